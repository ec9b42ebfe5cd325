"""Labels of the GLORIA MRIO (regions, sectors, final demand, value added, satellites) from its read-me.

GLORIA, the Global MRIO Lab's multi-regional table (University of Sydney, IELab): Lenzen M.,
Geschke A., West J., Fry J., Malik A., Giljum S., et al. (2022), "Implementing the material footprint
to measure progress towards Sustainable Development Goals 8 and 12", Nature Sustainability 5:157;
the Lab: Lenzen M. et al. (2017), "The Global MRIO Lab - charting the world economy", Economic
Systems Research 29:158. This module reads only the publisher's read-me workbook
(``GLORIA_ReadMe_059.xlsx`` for release 059); the tables are unlabelled matrices whose rows and
columns follow these lists in order, so the ``number`` of each label is its position there.

Sheets and columns read (checked on the release 059 read-me; row 1 is the header):

- ``Regions``: ``Lfd_Nr | Region_acronyms | Region_names``, 164 rows. The acronyms are ISO 3166
  alpha-3 codes except the four rest-of regions ``XAM``, ``XEU``, ``XAF``, ``XAS`` and two of
  GLORIA's own: ``DYE`` (the former Democratic Yemen, Aden) and ``SDS`` (South Sudan, ISO ``SSD``);
  they are kept as published (docs/methods.md, "Country groups and regions").
- ``Sectors``: ``Lfd_Nr | Sector_names``, 120 rows (GLORIA has no sector codes).
- ``Value added and final demand``: ``Lfd_Nr | Value_added_names | Final_demand_names``, 6 rows
  (final demand: households, non-profits, government, GFCF, changes in inventories, valuables).
- ``Satellites``: ``Lfd_Nr | Sat_head_indicator | Sat_indicator | Sat_unit``, one row per satellite
  account row (5,982 in release 059) with the publisher's unit words (``kilotonnes``, ``TJ``...).
  Emission indicator names are written in single quotes (``'co2_excl_short_cycle_org_c_total_EDGAR
  _consistent'``); the quotes are dropped. Names are not unique (a head indicator's rows can repeat
  another's, e.g. land use and biodiversity loss), so rows are identified by ``number``.

Other sheets (sequential labels, valuations, MR-SUT structure, concordances) are not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd

from mrio_tools.errors import DataFileError
from mrio_tools.sources._xlsx import open_workbook

#: sizes of the GLORIA classification (release 059 and the 164-region releases around it)
N_REGIONS: Final = 164
N_SECTORS: Final = 120

#: sheet -> header row (row 1) as published in the read-me
HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "Regions": ("Lfd_Nr", "Region_acronyms", "Region_names"),
    "Sectors": ("Lfd_Nr", "Sector_names"),
    "Value added and final demand": ("Lfd_Nr", "Value_added_names", "Final_demand_names"),
    "Satellites": ("Lfd_Nr", "Sat_head_indicator", "Sat_indicator", "Sat_unit"),
}
_FIX: Final = "Fix: pass the GLORIA read-me workbook (GLORIA_ReadMe_NNN.xlsx) unchanged"


@dataclass(frozen=True, eq=False)
class GloriaLabels:
    """The label lists of one GLORIA release, each numbered from 1 in the tables' order.

    `regions`: ``number``, ``code`` (the read-me's acronym), ``name``; `sectors`: ``number``,
    ``name``; `final_demand` and `value_added`: ``number``, ``name``; `satellites`: ``number``,
    ``group`` (the head indicator, e.g. ``Emissions (EDGAR)``), ``name``, ``unit`` (as published).
    `file` is the read-me's file name.
    """

    regions: pd.DataFrame
    sectors: pd.DataFrame
    final_demand: pd.DataFrame
    value_added: pd.DataFrame
    satellites: pd.DataFrame
    file: str

    def find_satellites(self, text: str) -> pd.DataFrame:
        """Satellite rows whose name contains `text`, ignoring case (``"co2"`` finds ``co2_...``)."""
        return self.satellites[self.satellites["name"].str.contains(text, case=False, regex=False)]


def _cell(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row + 1}"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet(path: Path, book: Any, sheet: str) -> list[list[Any]]:
    """Rows below the checked header, trailing empty rows dropped, each numbered 1..n in column A."""
    if sheet not in book.sheetnames:
        raise DataFileError(f"{path}: no sheet {sheet!r} (sheets: {book.sheetnames}). {_FIX}")
    header = HEADERS[sheet]
    rows = [list(row) for row in book[sheet].iter_rows(values_only=True)]
    found = tuple(rows[0][: len(header)]) if rows else ()
    if found != header:
        raise DataFileError(
            f"{path}, sheet {sheet!r}, row 1: header {list(found)}, expected {list(header)}. {_FIX}"
        )
    body = [row[: len(header)] + [None] * (len(header) - len(row)) for row in rows[1:]]
    while body and all(_blank(v) for v in body[-1]):
        body.pop()
    for k, row in enumerate(body, start=1):
        if row[0] != k or isinstance(row[0], bool):
            raise DataFileError(
                f"{path}, sheet {sheet!r}, cell {_cell(k, 0)}: {row[0]!r}, expected {k} (Lfd_Nr numbers the "
                f"rows 1, 2, ... without gaps: it is the position in GLORIA's tables). {_FIX}"
            )
    return body


def _labels(
    path: Path, sheet: str, body: list[list[Any]], col: int, *, blank_ends: bool = False
) -> list[str]:
    """Column `col` as stripped text; with `blank_ends`, trailing empty cells end the list."""
    cells = [row[col] for row in body]
    if blank_ends:
        while cells and _blank(cells[-1]):
            cells.pop()
    for k, value in enumerate(cells, start=1):
        if _blank(value) or not isinstance(value, str):
            raise DataFileError(
                f"{path}, sheet {sheet!r}, cell {_cell(k, col)}: {value!r} where a label "
                f"({HEADERS[sheet][col]}) is expected. {_FIX}"
            )
    return [str(value).strip() for value in cells]


def _count(path: Path, sheet: str, labels: list[str], expected: int | None, what: str) -> None:
    if not labels or (expected is not None and len(labels) != expected):
        raise DataFileError(
            f"{path}, sheet {sheet!r}: {len(labels)} {what}, expected {expected}. This reader knows the "
            f"{N_REGIONS}-region, {N_SECTORS}-sector GLORIA releases (e.g. 059). {_FIX}"
        )


def _unique(path: Path, sheet: str, labels: list[str], what: str) -> None:
    seen: dict[str, int] = {}
    for k, label in enumerate(labels, start=1):
        if label in seen:
            raise DataFileError(
                f"{path}, sheet {sheet!r}, rows {seen[label] + 1} and {k + 1}: {what} {label!r} appears twice"
            )
        seen[label] = k


def _unquote(name: str) -> str:
    """The read-me writes emission indicators as 'name' with the quotes inside the cell."""
    return name[1:-1].strip() if len(name) >= 2 and name[0] == name[-1] == "'" else name


def read_gloria_labels(
    readme: Path, *, sizes: tuple[int, int] | None = (N_REGIONS, N_SECTORS)
) -> GloriaLabels:
    """Read the label lists of GLORIA's read-me workbook (layout in the module docstring).

    `sizes` is the (regions, sectors) count the read-me must list; None accepts any non-empty lists
    (a read-me cut to the first regions and sectors, as the parser tests build from the real one).

    Checks each sheet's header, that ``Lfd_Nr`` runs 1..n, that labels are non-empty text, that
    there are 164 regions with distinct 3-letter codes and names and 120 distinct sectors, and that
    every satellite row has a unit. Raises `DataFileError` naming the file, sheet and row or cell.
    """
    path = Path(readme)
    book = open_workbook(path, fix=_FIX.removeprefix("Fix: "))
    try:
        bodies = {sheet: _sheet(path, book, sheet) for sheet in HEADERS}
    finally:
        book.close()

    codes = _labels(path, "Regions", bodies["Regions"], 1)
    names = _labels(path, "Regions", bodies["Regions"], 2)
    _count(path, "Regions", codes, None if sizes is None else sizes[0], "regions")
    bad = [(k, c) for k, c in enumerate(codes, start=1) if len(c) != 3 or not c.isalpha() or not c.isupper()]
    if bad:
        k, code = bad[0]
        raise DataFileError(
            f"{path}, sheet 'Regions', cell {_cell(k, 1)}: acronym {code!r} is not 3 capital letters. {_FIX}"
        )
    _unique(path, "Regions", codes, "acronym")
    _unique(path, "Regions", names, "region name")
    sectors = _labels(path, "Sectors", bodies["Sectors"], 1)
    _count(path, "Sectors", sectors, None if sizes is None else sizes[1], "sectors")
    _unique(path, "Sectors", sectors, "sector name")
    # the two lists share the sheet and its numbering but need not be equally long
    va_fd = "Value added and final demand"
    value_added = _labels(path, va_fd, bodies[va_fd], 1, blank_ends=True)
    final_demand = _labels(path, va_fd, bodies[va_fd], 2, blank_ends=True)
    if not final_demand or not value_added:
        raise DataFileError(f"{path}, sheet {va_fd!r}: no value-added or final-demand names. {_FIX}")
    satellites = bodies["Satellites"]
    groups = _labels(path, "Satellites", satellites, 1)
    indicators = [_unquote(s) for s in _labels(path, "Satellites", satellites, 2)]
    units = _labels(path, "Satellites", satellites, 3)

    def numbered(**columns: list[str]) -> pd.DataFrame:
        size = len(next(iter(columns.values())))
        return pd.DataFrame({"number": pd.Series(range(1, size + 1), dtype="int64"), **columns})

    return GloriaLabels(
        regions=numbered(code=codes, name=names),
        sectors=numbered(name=sectors),
        final_demand=numbered(name=final_demand),
        value_added=numbered(name=value_added),
        satellites=numbered(group=groups, name=indicators, unit=units),
        file=path.name,
    )


__all__ = ["HEADERS", "N_REGIONS", "N_SECTORS", "GloriaLabels", "read_gloria_labels"]
