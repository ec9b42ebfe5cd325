"""The frozen `MRIO` container: one multi-regional input-output table (one source, one year).

Blocks use the textbook symbols of docs/methods.md:

- ``Z`` (n x n): inter-industry flows, rows and columns labelled (region, sector), seller in rows;
- ``Y`` (n x R*K): final demand, columns labelled (region, category) of the consuming region;
- ``F`` (k x n): direct emissions (stressors) of industries, rows labelled ``stressor``;
- ``F_Y`` (k x R*K): direct emissions of final demand (households), columns as ``Y``;
- gross output ``x = Z 1 + Y 1`` is derived, never stored separately.

Every region must list the same sectors in the same order (region-major), and likewise the same
final-demand categories: all five publisher sources are laid out that way, and the accounts rely on it.
The container is checked on construction; each error names the block, the labels and the fix.

Signs (checked on construction):

- ``Z`` must not hold negative entries: an input-output flow is a sale, and a negative one usually
  means a sign or file error (none of the real tables here has one: WIOD 2013 ``inter`` 1995-2011 and the
  EXIOBASE 3 aggregate Z are all >= 0). A table whose publisher documents negative intermediate
  entries is accepted only when ``notes["allow_negative_intermediate"]`` holds the reason (text that
  names where the source documents them); the reason is written into the output metadata.
- ``Y`` may be negative (changes in inventories, WIOD c42; sales of used assets in gross fixed capital
  formation, WIOD c41), but gross output x = Z1 + Y1 may not.
- ``F`` and ``F_Y``: a stressor in a monetary unit (value added: taxes less subsidies, EXIOBASE) may be
  negative; any other stressor (an emission, a resource use) may be negative only when it is listed in
  ``notes["signed_stressors"]`` (stressor -> reason, e.g. net land-use CO2 with removals). CO2 from
  fossil combustion cannot be negative, so a negative value there is always an error naming the cell.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from mrio_tools.mrio.checks import (
    ALLOW_NEGATIVE_INTERMEDIATE,
    CHECKED_NOTES,
    SIGNED_STRESSORS,
    gross_output_of,
    validate,
)


@dataclass(frozen=True)
class MRIO:
    """One MRIO table of one source and year, with its stressors, units and provenance.

    Construct it with labelled pandas objects; construction validates every block (see module
    docstring). Derive modified tables with `dataclasses.replace`, which validates again.
    """

    Z: pd.DataFrame
    Y: pd.DataFrame
    F: pd.DataFrame
    F_Y: pd.DataFrame
    monetary_unit: str
    stressor_units: Mapping[str, str]
    source: str
    version: str
    year: int
    price_basis: str
    notes: Mapping[str, Any] = field(default_factory=dict)
    population: pd.Series | None = None
    value_added: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        validate(self)

    # ------------------------------------------------------------------ labels
    # (computed once per table: the solvers and accounts ask for them thousands of times)
    @cached_property
    def regions(self) -> pd.Index:
        """Regions in table order."""
        return self.Z.index.get_level_values("region").unique()

    @cached_property
    def sectors(self) -> pd.Index:
        """Sectors of one region, in table order (the same for every region)."""
        return self.Z.index.get_level_values("sector").unique()

    @cached_property
    def categories(self) -> pd.Index:
        """Final-demand categories of one region, in table order."""
        return self.Y.columns.get_level_values("category").unique()

    @property
    def stressors(self) -> pd.Index:
        """Stressor labels (rows of F and F_Y)."""
        return self.F.index

    # ------------------------------------------------------------ derived data
    @cached_property
    def gross_output(self) -> pd.Series:
        """Gross output x = Z 1 + Y 1, one value per (region, sector), in `monetary_unit`."""
        return gross_output_of(self.Z, self.Y)

    @property
    def zero_output_sectors(self) -> list[tuple[str, str]]:
        """(region, sector) labels with zero gross output: allowed, their A columns are 0."""
        x = self.gross_output
        return [tuple(label) for label in x.index[x.to_numpy() == 0]]

    @property
    def metadata(self) -> dict[str, Any]:
        """Provenance and units as a plain dict, for writing next to every output."""
        return {
            "source": self.source,
            "version": self.version,
            "year": self.year,
            "price_basis": self.price_basis,
            "monetary_unit": self.monetary_unit,
            "stressor_units": dict(self.stressor_units),
            "regions": len(self.regions),
            "sectors_per_region": len(self.sectors),
            "zero_output_sectors": [list(label) for label in self.zero_output_sectors],
            **dict(self.notes),
        }


def with_notes(mrio: MRIO, extra: Mapping[str, Any]) -> MRIO:
    """`mrio` with `extra` added to its notes: a new table sharing the (read-only) blocks of `mrio`.

    The blocks are not checked again unless `extra` sets a note the checks read (`CHECKED_NOTES`):
    notes such as the source options change no number, and checking a 9,800-sector table costs about
    0.2 s, which every year read from a source used to pay twice (once as parsed, once noted).
    """
    notes = {**dict(mrio.notes), **extra}
    if set(extra) & set(CHECKED_NOTES):
        return dataclasses.replace(mrio, notes=notes)
    table = copy.copy(mrio)  # no __init__: the blocks and the cached labels are shared
    object.__setattr__(table, "notes", notes)
    return table


__all__ = ["ALLOW_NEGATIVE_INTERMEDIATE", "MRIO", "SIGNED_STRESSORS", "with_notes"]
