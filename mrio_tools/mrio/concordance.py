"""Sector concordances: the file layout, its reader and checks, and the concordances shipped.

A concordance links each sector of an emission source's classification to one or more sectors of a
table; `mrio_tools.mrio.allocation.allocate` uses it (docs/methods.md, "Emissions from another
classification (concordance)").

Concordance file layout (CSV, UTF-8, one header line, one link per line)::

    source_sector,target_sector,role,note
    G45,c19,primary,motor-vehicle trade is ISIC Rev.3 50
    G45,c20,fallback,used only where c19 has no output in a region

- ``source_sector``: a sector code of the emission source's classification;
- ``target_sector``: a sector code of the table;
- ``role``: ``primary`` (a normal link) or ``fallback`` (targets used only where every primary target
  of that source sector has zero gross output in a region);
- ``note``: free text, the reason for the link (may be empty; one-to-many links should explain the
  judgment).

Every source sector needs at least one primary link; a (source, target) pair appears once.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from mrio_tools.errors import ConcordanceError, DataFileError, listed

#: columns of a concordance file, in this order
COLUMNS: Final = ("source_sector", "target_sector", "role", "note")
#: allowed values of the ``role`` column
ROLES: Final = ("primary", "fallback")


# ------------------------------------------------------------------------ concordance
@dataclass(frozen=True)
class Link:
    """One row of a concordance: a source sector linked to a table sector."""

    source_sector: str
    target_sector: str
    role: str
    note: str


@dataclass(frozen=True)
class Concordance:
    """A validated sector concordance (source classification -> table classification).

    `source` says where it came from (a file path or a description) and is written into the notes
    of every table the concordance is used on.
    """

    links: tuple[Link, ...]
    source: str

    @property
    def source_sectors(self) -> tuple[str, ...]:
        """Source sectors in the order of their first link."""
        return tuple(dict.fromkeys(link.source_sector for link in self.links))

    @property
    def target_sectors(self) -> tuple[str, ...]:
        """Every table sector named as a primary or fallback target, in order of first mention."""
        return tuple(dict.fromkeys(link.target_sector for link in self.links))

    def targets(self, source_sector: str, role: str) -> tuple[str, ...]:
        """Targets of `source_sector` with `role` (``primary`` or ``fallback``), in file order."""
        if role not in ROLES:
            raise ValueError(f"role {role!r} is not one of {ROLES}")
        return tuple(
            link.target_sector
            for link in self.links
            if link.source_sector == source_sector and link.role == role
        )


def concordance_from_frame(table: pd.DataFrame, *, source: str) -> Concordance:
    """Validate a table in the concordance layout (module docstring) and return a `Concordance`.

    `source` names where the table came from; error messages cite it with the line number the row
    has in a CSV file with one header line (row 0 is line 2).
    """
    if tuple(table.columns) != COLUMNS:
        raise ConcordanceError(
            f"{source}: columns are {list(table.columns)}, expected {list(COLUMNS)}. "
            "Fix: write the header line 'source_sector,target_sector,role,note'"
        )
    links: list[Link] = []
    first_line: dict[tuple[str, str], int] = {}
    for position, row in enumerate(table.itertuples(index=False, name=None)):
        line = position + 2
        fields = [
            "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()
            for value in row
        ]
        src, tgt, role, note = fields
        empty = [name for name, value in zip(COLUMNS[:3], fields[:3], strict=True) if not value]
        if empty:
            raise ConcordanceError(
                f"{source}, line {line}: empty {', '.join(empty)}. Fix: fill the field(s) or delete the line"
            )
        if role not in ROLES:
            raise ConcordanceError(
                f"{source}, line {line}: role {role!r} for {src} -> {tgt} is not one of {list(ROLES)}"
            )
        key = (src, tgt)
        if key in first_line:
            raise ConcordanceError(
                f"{source}, line {line}: duplicate link {src} -> {tgt} (first on line {first_line[key]}). "
                "Fix: keep one line per (source_sector, target_sector) pair"
            )
        first_line[key] = line
        links.append(Link(src, tgt, role, note))
    if not links:
        raise ConcordanceError(f"{source}: the concordance has no links")
    concordance = Concordance(links=tuple(links), source=source)
    no_primary = [s for s in concordance.source_sectors if not concordance.targets(s, "primary")]
    if no_primary:
        raise ConcordanceError(
            f"{source}: source sectors {listed(no_primary)} have fallback links but no primary link. "
            "Fix: mark their normal targets as role 'primary'"
        )
    return concordance


def read_concordance(path: Path) -> Concordance:
    """Read and validate a concordance CSV file (layout in the module docstring)."""
    if not path.is_file():
        raise DataFileError(f"{path}: concordance file not found. Fix: pass the path of an existing CSV file")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise DataFileError(f"{path}: not a readable CSV concordance ({err})") from err
    return concordance_from_frame(table, source=str(path))


#: concordances shipped in mrio_tools/data/concordances/, by name (file stem)
SHIPPED_CONCORDANCES: Final = ("wiod2016_to_wiod2013",)


def shipped_concordance(name: str) -> Concordance:
    """Read a concordance shipped with the package (see `SHIPPED_CONCORDANCES`).

    Its `source` is the package-relative file name, so metadata do not carry local paths.
    """
    if name not in SHIPPED_CONCORDANCES:
        raise ConcordanceError(f"no shipped concordance {name!r}; available: {list(SHIPPED_CONCORDANCES)}")
    relative = f"data/concordances/{name}.csv"
    resource = importlib.resources.files("mrio_tools").joinpath(relative)
    with importlib.resources.as_file(resource) as path:
        concordance = read_concordance(path)
    return dataclasses.replace(concordance, source=f"mrio_tools/{relative}")
