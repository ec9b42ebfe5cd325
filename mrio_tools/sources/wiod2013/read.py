"""Reading one WIOD 2013 year as an `MRIO`: the file form picked, the output gap treated.

docs/methods.md, "The output gap of rounded tables".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, get_args

import numpy as np
import pandas as pd

from mrio_tools.choices import OutputGap
from mrio_tools.mrio.container import MRIO
from mrio_tools.sources.wiod2013.layout import (
    CATEGORY_NAMES,
    MONETARY_UNIT,
    PRICE_BASIS,
    REGION_RENAMES,
    SOURCE,
    VERSION,
    Wiod2013Blocks,
    _file_for_year,
    wiod2013_sectors,
)
from mrio_tools.sources.wiod2013.rdata_form import _read_rdata
from mrio_tools.sources.wiod2013.xlsx_form import _read_xlsx


def read_wiod2013_blocks(data_dir: Path, year: int) -> Wiod2013Blocks:
    """Read one year's labelled blocks from `data_dir` (workbook if present, else RData), unvalidated.

    Raises `YearNotAvailableError` (listing the folder's years) when the year is absent, and
    `DataFileError` naming the file, object or cell when the file does not have the published layout.
    """
    data_dir = Path(data_dir)
    path, form = _file_for_year(data_dir, year)
    return _read_xlsx(path, year) if form == "xlsx" else _read_rdata(path, year)


def output_residual(blocks: Wiod2013Blocks) -> dict[str, Any]:
    """Published gross output minus x = Z1 + Y1: largest absolute gap, where, total gap, published total."""
    x = blocks.Z.to_numpy().sum(axis=1) + blocks.Y.to_numpy().sum(axis=1)
    residual = blocks.published_output.to_numpy() - x
    worst = int(np.argmax(np.abs(residual)))
    region, sector = blocks.Z.index[worst]
    return {
        "max_abs": float(np.abs(residual[worst])),
        "at": [str(region), str(sector)],
        "sum_abs": float(np.abs(residual).sum()),
        "published_total": float(blocks.published_output.sum()),
        "unit": MONETARY_UNIT,
        "definition": "published gross output minus (Z1 + Y1); the MRIO uses Z1 + Y1",
    }


RESIDUAL_CATEGORY: Final = "residual"
RESIDUAL_DESCRIPTION: Final = (
    "published output minus Z1 + Y1 of the file (rounding of the R package copy), booked as final use "
    "of the producing region"
)
#: the treatment `output_gap="by_file_form"` picks (docs/methods.md: scale_rows is the default for rounded
#: copies; the publisher's workbooks carry decimals, so their gap is rounding dust)
DEFAULT_OUTPUT_GAP: Final[Mapping[str, str]] = {"rdata": "scale_rows", "xlsx": "recompute"}


def _form_key(blocks: Wiod2013Blocks) -> str:
    """'rdata' or 'xlsx': which of the two file forms the blocks were read from."""
    return "xlsx" if blocks.path.suffix.lower() == ".xlsx" else "rdata"


def table_file(data_dir: Path, year: int) -> Path:
    """The file the year's table is read from (the workbook where both forms are present)."""
    return _file_for_year(Path(data_dir), year)[0]


def _with_residual_category(blocks: Wiod2013Blocks, gap: np.ndarray) -> pd.DataFrame:
    """Y with one more category per region holding, in the region's own rows, `gap`."""
    Z, Y = blocks.Z, blocks.Y
    regions = Y.columns.get_level_values("region").unique()
    row_regions = Z.index.get_level_values("region")
    residual = pd.DataFrame(
        {(region, RESIDUAL_CATEGORY): np.where(row_regions == region, gap, 0.0) for region in regions},
        index=Y.index,
    )
    residual.columns = residual.columns.set_names(["region", "category"])
    combined = pd.concat([Y, residual], axis=1)
    order = pd.MultiIndex.from_product(
        [regions, [*Y.columns.get_level_values("category").unique(), RESIDUAL_CATEGORY]],
        names=["region", "category"],
    )
    return combined.reindex(columns=order)


def _output_gap(blocks: Wiod2013Blocks) -> np.ndarray:
    """Published output minus Z1 + Y1 of the file, per row."""
    published: np.ndarray = blocks.published_output.to_numpy(dtype=float)
    gap: np.ndarray = published - blocks.Z.to_numpy().sum(axis=1) - blocks.Y.to_numpy().sum(axis=1)
    return gap


def _scaled_rows(blocks: Wiod2013Blocks) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """docs/methods.md `scale_rows`: row i of Z and Y times x_i / (Z1 + Y1)_i, x the published output.

    Every buyer of i, domestic or foreign, keeps its share, and x stays the published output. Rows
    with (Z1 + Y1)_i = 0 but x_i != 0 cannot be scaled: their gap is booked in a residual final-demand
    category of the producing region (only then does Y get that category), and they are listed.
    """
    x = blocks.published_output.to_numpy(dtype=float)
    total = blocks.Z.to_numpy().sum(axis=1) + blocks.Y.to_numpy().sum(axis=1)
    scalable = total != 0
    factor = np.ones_like(x)
    np.divide(x, total, out=factor, where=scalable)
    Z = blocks.Z.mul(factor, axis=0)
    Y = blocks.Y.mul(factor, axis=0)
    unscalable = ~scalable & (x != 0)
    labels = [f"{r} {s}" for r, s in blocks.Z.index[unscalable]]
    # published output 0 where the file has sales: the row is scaled to 0 (the sector produces nothing)
    zeroed = [f"{r} {s}" for r, s in blocks.Z.index[scalable & (x == 0)]]
    report: dict[str, Any] = {
        "rows_with_published_output_zero_scaled_to_zero": zeroed,
        "rows_scaled": int(scalable.sum()),
        "factor_min": float(factor[scalable].min()) if scalable.any() else 1.0,
        "factor_max": float(factor[scalable].max()) if scalable.any() else 1.0,
        "rows_unscalable_booked_as_residual": labels,
    }
    if unscalable.any():
        Y = _with_residual_category(dataclasses.replace(blocks, Y=Y), np.where(unscalable, x, 0.0))
    return Z, Y, report


def read_wiod2013(data_dir: Path, year: int, *, output_gap: OutputGap) -> MRIO:
    """Read the WIOD 2013 table of `year` from `data_dir` as a validated `MRIO` (M USD, no stressors).

    Gross output is x = Z1 + Y1 (docs/methods.md, notation); ``notes["output_residual"]`` says how far the
    publisher's output column is from Z1 + Y1 of the file. `output_gap` (required: a scientific choice)
    says what to do with that gap:

    - ``"recompute"``: nothing; x = Z1 + Y1 of the file as it is. Right for the publisher's workbooks,
      whose values carry decimals (the gap is rounding dust). On the R copy it fails in most years
      where a few tiny sectors (e.g. CYP c8, SVN c8, LUX c24 in 2008) end up with inputs >= x = Z1 + Y1
      or with x < 0, which `MRIO` rejects as it must.
    - ``"scale_rows"``: row i of Z and of Y times x_i / (Z1 + Y1)_i with x the published output, so
      every buyer of i keeps its share (rows that sell nothing in the file but have published output
      get the residual category below, and are listed in ``notes["output_gap_scaling"]``).
    - ``"residual_category"``: the gap of each row becomes an extra final-demand category
      ``residual`` of the producing region (its own column), so x equals the published output but
      the whole gap counts as domestic final use.
    - ``"by_file_form"``: ``scale_rows`` for the rounded R copy (docs/methods.md's default for rounded
      copies), ``recompute`` for workbooks; ``notes["output_gap_chosen_by"]`` says which and why.

    Regions are ISO3 (ROM -> ROU) plus ``RoW``; sectors the codes c1..c35 (names in
    ``notes["sector_names"]``); categories c37, c38, c39, c41, c42 (+ ``residual``; names in
    ``notes["category_names"]``). ``F`` and ``F_Y`` have no rows: attach emissions with the concordance
    module. Raises `YearNotAvailableError`, `DataFileError`, or `ValidationError` where the table breaks
    a check of `MRIO`.
    """
    if output_gap not in get_args(OutputGap):
        raise ValueError(f"output_gap={output_gap!r}; use one of {', '.join(get_args(OutputGap))}")
    blocks = read_wiod2013_blocks(data_dir, year)
    sectors = wiod2013_sectors().set_index("code")
    category_names = dict(CATEGORY_NAMES)
    chosen_by = "the caller"
    if output_gap == "by_file_form":
        output_gap = DEFAULT_OUTPUT_GAP[_form_key(blocks)]  # type: ignore[assignment]
        chosen_by = f"default for the {blocks.form} (docs/methods.md, 'The output gap of rounded tables')"
    Z, Y = blocks.Z, blocks.Y
    gap_notes: dict[str, Any] = {}
    if output_gap == "residual_category":
        Y = _with_residual_category(blocks, _output_gap(blocks))
    elif output_gap == "scale_rows":
        Z, Y, gap_notes = _scaled_rows(blocks)
    if RESIDUAL_CATEGORY in Y.columns.get_level_values("category"):
        category_names[RESIDUAL_CATEGORY] = RESIDUAL_DESCRIPTION
    notes: dict[str, Any] = {
        "file": blocks.path.name,
        "file_form": blocks.form,
        "sector_names": dict(blocks.sector_names),
        "sector_isic_rev3": sectors["isic_rev3"].to_dict(),
        "category_names": category_names,
        "regions_renamed": dict(REGION_RENAMES),
        "output_residual": output_residual(blocks),
        "output_gap_treatment": output_gap,
        "output_gap_chosen_by": chosen_by,
        **({"output_gap_scaling": gap_notes} if gap_notes else {}),
        **blocks.extra_notes,
    }
    return MRIO(
        Z=Z,
        Y=Y,
        F=pd.DataFrame(
            np.zeros((0, len(blocks.Z.index))),
            index=pd.Index([], name="stressor", dtype=object),
            columns=blocks.Z.index.copy(),
        ),
        F_Y=pd.DataFrame(
            np.zeros((0, len(Y.columns))),
            index=pd.Index([], name="stressor", dtype=object),
            columns=Y.columns.copy(),
        ),
        monetary_unit=MONETARY_UNIT,
        stressor_units={},
        source=SOURCE,
        version=f"{VERSION}, {blocks.form}",
        year=year,
        price_basis=PRICE_BASIS,
        notes=notes,
        value_added=blocks.value_added,
    )
