"""Reader for the EXIOBASE 3 aggregate (6 regions x 27 products, files PS7_*.txt) and its CO2 definition.

The aggregate (../shared/data/exiobase3_agg, see its README) is EXIOBASE 3.8.x product-by-product
(Stadler et al. 2018, J. Ind. Ecol. 22:502; CC BY-SA 4.0) summed to 6 regions and 27 products for a
university course. Layout, checked by opening the files (tab-separated, pymrio's text layout):

- `PS7_Z.txt`: header rows `region` and `sector` (first two cells: the row name, then empty), a third
  row `region<TAB>sector` naming the two index columns, then one row per (region, sector);
- `PS7_Y.txt`: the same, with the second header row named `new` holding the final-demand category
  (4 per region: households, government, gross fixed capital formation, other);
- `PS7_F.txt`: header rows `region` and `sector`, a third row `stressor`, then 1,113 EXIOBASE stressor
  rows (one index column);
- `PS7_F_GHG.txt`: one column, a header line `0` and then one GHG value per (region, sector) in the
  order of Z's rows, without labels.

No unit file ships with the aggregate. Units follow EXIOBASE 3's satellite convention (its
`satellite/unit.txt`) and are assigned per row family in `stressor_unit`; each family was checked
for plausibility against world totals (see the rule table). The value-added rows are M EUR: their sum
equals x - Z'1 to 1e-3 M EUR in the file (tested). Nothing is converted.

The year is not stated by the source (about 2019-2022 by the README): the caller passes it, and
`notes['year_stated_by_source']` is False. There is no F_Y: household direct emissions are absent,
so PBA and CBA built on this table exclude them (docs/methods.md, "National accounts").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final, get_args

import numpy as np
import pandas as pd

from mrio_tools.choices import StressorSet
from mrio_tools.errors import DataFileError
from mrio_tools.mrio.container import MRIO
from mrio_tools.mrio.stressors import define_stressors
from mrio_tools.sources.spec import SourceOption, SourceRequest, SourceSpec, folder_files, need

Z_FILE: Final = "PS7_Z.txt"
Y_FILE: Final = "PS7_Y.txt"
F_FILE: Final = "PS7_F.txt"
GHG_FILE: Final = "PS7_F_GHG.txt"
FILES: Final = (Z_FILE, Y_FILE, F_FILE, GHG_FILE)

SOURCE: Final = "EXIOBASE 3 aggregate (6 regions x 27 products, PS7 course files)"
VERSION: Final = "3.8.x product-by-product, aggregated"
MONETARY_UNIT: Final = "M EUR"
# EXIOBASE 3 monetary tables are valued at basic prices, current prices of the table's year
PRICE_BASIS: Final = "basic prices, current prices"

#: CO2 in this table: fossil and process CO2, in EXIOBASE 3's stressor naming. Excluded on purpose:
#: 'CO2 - agriculture - peat decay - air' (land use: drained peatland) and
#: 'CO2 - waste - biogenic - air' (biogenic carbon), which inventories of fossil CO2 leave out.
EXIOBASE_CO2_ROWS: Final[tuple[str, ...]] = (
    "CO2 - combustion - air",
    "CO2 - non combustion - Cement production - air",
    "CO2 - non combustion - Lime production - air",
    "CO2 - waste - fossil - air",
)
EXIOBASE_CO2_EXCLUDED: Final[tuple[str, ...]] = (
    "CO2 - agriculture - peat decay - air",
    "CO2 - waste - biogenic - air",
)

#: the EXIOBASE 3 value-added ("factor inputs") rows, M EUR
VALUE_ADDED_ROWS: Final[tuple[str, ...]] = (
    "Taxes less subsidies on products purchased: Total",
    "Other net taxes on production",
    "Compensation of employees; wages, salaries, & employers' social contributions: Low-skilled",
    "Compensation of employees; wages, salaries, & employers' social contributions: Medium-skilled",
    "Compensation of employees; wages, salaries, & employers' social contributions: High-skilled",
    "Operating surplus: Consumption of fixed capital",
    "Operating surplus: Rents on land",
    "Operating surplus: Royalties on resources",
    "Operating surplus: Remaining net operating surplus",
)

#: the stressor that PS7_F_GHG.txt becomes
GHG_ROW: Final = "GHG (PS7_F_GHG)"
GHG_UNIT: Final = "kg CO2-eq"
#: what PS7_F_GHG.txt holds, found by checking it against the rows of PS7_F.txt (tested on the real file)
GHG_COMPOSITION: Final = (
    "GWP100 of IPCC AR5, whole kg CO2-eq: all six CO2 rows (including peat decay and biogenic waste CO2) "
    "+ 28 x the eleven CH4 rows + 265 x the two N2O rows + 'HFC - air' + 'PFC - air' (already CO2-eq); "
    "'SF6 - air' is not included"
)

#: (match kind, pattern, unit, why) per EXIOBASE row family, first match wins;
#: the world totals of the file in brackets back the unit
_UNIT_RULES: Final[tuple[tuple[str, str, str, str], ...]] = (
    ("value added", "", "M EUR", "VALUE_ADDED_ROWS: their sum is x - Z'1 (78 trillion EUR, about world GDP)"),
    (
        "prefix",
        "Employment hours:",
        "M hours",
        "EXIOBASE 'M.hr' (8.8e6 M h over 4.1e6 thousand jobs: 2,170 h/job)",
    ),
    ("prefix", "Employment:", "1000 persons", "EXIOBASE '1000 p.' (4.1 billion jobs)"),
    (
        "exact",
        "HFC - air",
        "kg CO2-eq",
        "EXIOBASE gives F-gas groups in CO2-eq (1.2 Gt; physical HFC is ~1 Mt)",
    ),
    ("exact", "PFC - air", "kg CO2-eq", "EXIOBASE gives F-gas groups in CO2-eq"),
    ("suffix", " - air", "kg", "EXIOBASE air emissions (CO2 - combustion: 27.9 Gt)"),
    ("suffix", " - water", "kg", "EXIOBASE nutrient emissions to water"),
    ("suffix", " - soil", "kg", "EXIOBASE nutrient emissions to soil"),
    ("exact", "Emissions nec - waste - undef", "kg", "EXIOBASE waste emissions"),
    ("prefix", "Cropland - ", "km2", "EXIOBASE land use (cropland 2.1e7 km2)"),
    ("prefix", "Permanent pastures - ", "km2", "EXIOBASE land use (pastures 3.1e7 km2)"),
    ("prefix", "Forest area - ", "km2", "EXIOBASE land use (forest 2.5e7 km2)"),
    ("prefix", "Other land Use", "km2", "EXIOBASE land use"),
    ("prefix", "Infrastructure land", "km2", "EXIOBASE land use"),
    ("prefix", "Energy ", "TJ", "EXIOBASE energy accounts (energy from nature 660 EJ)"),
    ("prefix", "Emission Relevant Energy Carrier", "TJ", "EXIOBASE energy accounts"),
    ("prefix", "Water Consumption ", "Mm3", "EXIOBASE water (blue consumption 1,700 km3)"),
    ("prefix", "Water Withdrawal ", "Mm3", "EXIOBASE water"),
    ("prefix", "Domestic Extraction Used", "kt", "EXIOBASE materials (used extraction 79 Gt)"),
    ("prefix", "Unused Domestic Extraction", "kt", "EXIOBASE materials"),
)


def stressor_unit(row: str) -> str:
    """Unit of one EXIOBASE 3 stressor row, by EXIOBASE's satellite convention (see `_UNIT_RULES`).

    Raises `DataFileError` for a row of no known family, rather than guessing.
    """
    for kind, pattern, unit, _why in _UNIT_RULES:
        hit = (
            (kind == "value added" and row in VALUE_ADDED_ROWS)
            or (kind == "exact" and row == pattern)
            or (kind == "prefix" and row.startswith(pattern))
            or (kind == "suffix" and row.endswith(pattern))
        )
        if hit:
            return unit
    raise DataFileError(
        f"{F_FILE}: stressor row {row!r} belongs to no EXIOBASE row family with a known unit. "
        "Fix: add its family and unit (from EXIOBASE's satellite/unit.txt) to _UNIT_RULES"
    )


# ------------------------------------------------------------------------- files
def _path(data_dir: Path, name: str) -> Path:
    path = Path(data_dir) / name
    if not path.is_file():
        raise DataFileError(
            f"{path}: missing. The EXIOBASE aggregate folder must hold {', '.join(FILES)} "
            "(tab-separated, pymrio text layout; see ../shared/data/README.md)"
        )
    return path


def _read_table(path: Path, *, index_col: list[int] | int, header: list[int]) -> pd.DataFrame:
    try:
        # only an empty cell is missing: 'NA' or 'n/a' in a number column is reported as text
        frame = pd.read_csv(
            path, sep="\t", header=header, index_col=index_col, keep_default_na=False, na_values=[""]
        )
    except (ValueError, IndexError) as err:  # pandas' ParserError is a ValueError
        raise DataFileError(f"{path}: not in the expected tab-separated layout ({err})") from err
    bad = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if bad:
        column = bad[0]
        values = pd.to_numeric(frame[column], errors="coerce")
        row = frame.index[values.isna() & frame[column].notna()]
        raise DataFileError(
            f"{path}: column {column!r} holds text where numbers belong "
            f"(row {row[0] if len(row) else '?'!r}). "
            "Fix: correct the cell, or restore the published file"
        )
    if frame.isna().to_numpy().any():
        rows, cols = np.nonzero(frame.isna().to_numpy())
        raise DataFileError(
            f"{path}: empty cell at row {frame.index[rows[0]]!r}, column {frame.columns[cols[0]]!r} "
            f"({len(rows)} empty cells). Fix: restore the published file"
        )
    return frame


def _check_axis(found: pd.Index, expected: pd.Index, path: Path, what: str) -> None:
    if found.equals(expected):
        return
    if len(found) != len(expected):
        raise DataFileError(
            f"{path}: {what} has {len(found)} labels, expected {len(expected)} (the rows of {Z_FILE})"
        )
    pos = int(np.flatnonzero(found.to_numpy() != expected.to_numpy())[0])
    raise DataFileError(
        f"{path}: {what} label {pos} is {found[pos]!r}, expected {expected[pos]!r} "
        f"(the rows of {Z_FILE}, in order)"
    )


def _read_ghg(path: Path, n: int) -> np.ndarray:
    try:
        values = pd.read_csv(path, sep="\t", header=0).to_numpy(dtype=float)
    except ValueError as err:
        raise DataFileError(f"{path}: expected one column of numbers under a header line ({err})") from err
    if values.shape != (n, 1):
        raise DataFileError(
            f"{path}: shape {values.shape} (after the header line), expected ({n}, 1): "
            f"one value per row of {Z_FILE}"
        )
    if not np.isfinite(values).all():
        raise DataFileError(
            f"{path}: empty or non-finite value at row {int(np.flatnonzero(~np.isfinite(values))[0])}"
        )
    return values[:, 0]


# ------------------------------------------------------------------------ reader
def read_exiobase_agg(data_dir: Path, *, year: int) -> MRIO:
    """Read the EXIOBASE 3 aggregate into an `MRIO` with all 1,113 stressor rows plus the GHG file's row.

    `year` is required because the files do not state it; it is recorded with
    `notes['year_stated_by_source'] = False`. Monetary unit M EUR; stressor units per row from
    `stressor_unit`; `value_added` holds the nine value-added rows. F_Y is zero (the aggregate has no
    household direct emissions).
    """
    data_dir = Path(data_dir)
    z_path, y_path, f_path, ghg_path = (_path(data_dir, name) for name in FILES)
    Z = _read_table(z_path, index_col=[0, 1], header=[0, 1])
    if list(Z.index.names) != ["region", "sector"]:
        raise DataFileError(
            f"{z_path}: index columns are named {list(Z.index.names)}, expected ['region', 'sector'] "
            "(third line 'region<TAB>sector')"
        )
    Z.columns = Z.columns.set_names(["region", "sector"])
    _check_axis(Z.columns, Z.index, z_path, "the column header")
    Y = _read_table(y_path, index_col=[0, 1], header=[0, 1])
    _check_axis(Y.index.set_names(["region", "sector"]), Z.index, y_path, "the row index")
    Y.index = Z.index
    Y.columns = Y.columns.set_names(["region", "category"])
    F = _read_table(f_path, index_col=0, header=[0, 1])
    F.columns = F.columns.set_names(["region", "sector"])
    _check_axis(F.columns, Z.index, f_path, "the column header")
    F.index = pd.Index([str(s) for s in F.index], name="stressor")
    if F.index.has_duplicates:
        raise DataFileError(
            f"{f_path}: stressor rows repeat: {F.index[F.index.duplicated()].unique().tolist()[:8]}"
        )
    ghg = _read_ghg(ghg_path, len(Z.index))
    F = pd.concat([F, pd.DataFrame([ghg], index=pd.Index([GHG_ROW], name="stressor"), columns=Z.index)])
    units = {row: stressor_unit(row) for row in F.index if row != GHG_ROW}
    units[GHG_ROW] = GHG_UNIT
    va_rows = [row for row in VALUE_ADDED_ROWS if row in F.index]
    value_added = F.loc[va_rows].rename_axis(index="component") if va_rows else None
    notes = {
        "year_stated_by_source": False,
        "household_direct_emissions": "absent: the aggregate has no F_Y, so F_Y is zero and PBA and CBA "
        "exclude households' direct emissions",
        "stressor_units_basis": "EXIOBASE 3 satellite unit convention by row family (no unit file ships "
        "with the aggregate); value-added rows checked: their sum equals x - Z'1",
        "ghg_row": {"file": GHG_FILE, "unit": GHG_UNIT, "composition": GHG_COMPOSITION},
        "files": [str(p) for p in (z_path, y_path, f_path, ghg_path)],
    }
    if not va_rows:
        notes["value_added"] = "not set: none of the EXIOBASE value-added rows is in the file"
    return MRIO(
        Z=Z,
        Y=Y,
        F=F,
        F_Y=pd.DataFrame(0.0, index=F.index, columns=Y.columns),
        monetary_unit=MONETARY_UNIT,
        stressor_units=units,
        source=SOURCE,
        version=VERSION,
        year=int(year),
        price_basis=PRICE_BASIS,
        notes=notes,
        value_added=value_added,
    )


def read_exiobase_agg_co2(data_dir: Path, *, year: int) -> MRIO:
    """The aggregate with one stressor, `CO2` in kg: the sum of `EXIOBASE_CO2_ROWS`.

    Peat-decay and biogenic waste CO2 (`EXIOBASE_CO2_EXCLUDED`) are left out; household direct
    emissions are absent from this data set (F_Y is zero). The definition is in notes.
    """
    mrio = define_stressors(read_exiobase_agg(data_dir, year=year), {"CO2": EXIOBASE_CO2_ROWS}, unit="kg")
    notes = {
        **dict(mrio.notes),
        "co2_definition": "fossil and process CO2 of industries: " + ", ".join(EXIOBASE_CO2_ROWS),
        "co2_excluded_rows": "land-use and biogenic CO2: " + ", ".join(EXIOBASE_CO2_EXCLUDED),
    }
    return dataclasses.replace(mrio, notes=notes)


# ------------------------------------------------------------------ the registry entry
def _open(request: SourceRequest, options: Mapping[str, str | None]) -> Callable[[int], MRIO]:
    data = need(request, "data")
    if options["stressor_set"] == "all":
        return lambda year: read_exiobase_agg(data, year=year)
    return lambda year: read_exiobase_agg_co2(data, year=year)


STRESSOR_SET = SourceOption(
    name="stressor_set",
    choices=get_args(StressorSet),
    default="fossil_co2",
    help="fossil_co2: stressor CO2 = combustion + cement + lime + fossil waste rows (kg); all: every "
    "one of the 1,113 EXIOBASE stressor rows (pick with --stressor)",
)

SPEC = SourceSpec(
    name="exiobase_agg",
    description="EXIOBASE 3 aggregate in pymrio text layout (PS7_*.txt) in --data; states no "
    "year: needs --year",
    needs=("data",),
    years=lambda request: [],
    files=lambda request, year: folder_files(need(request, "data")),
    open=_open,
    options=(STRESSOR_SET,),
)
