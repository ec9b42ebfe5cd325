"""Reader for the 3-region x 8-sector MRIO of 2015 (course data, ../shared/data/cml_3x8_2015).

Layout, checked by opening the files (see the data README): plain numbers separated by whitespace, no
labels, in the folder root; the labels are in `labels/`:

- `Z.txt` n x n and `Y.txt` n x (R*K), rows and columns in the order of
  `labels/multi_reg_sectors.csv` (columns `region,sector`) and of
  `labels/multi_reg_final_demand.csv` (columns `region,final_demand_category`);
- `V.txt` value added, one row of n; `F.txt` k x n and `Fhh.txt` k x (R*K): stressors of industries
  and of final demand (households' direct emissions), in the order of the `extension_name` column of
  `labels/labels.csv`, written like `CO2 emissions (unit: tonnes/year)`;
- `pop.txt` population (persons) per region, in the order of the regions in the sector labels.

Stressor names and units are taken from `labels/labels.csv` and shortened by the tables below
(`CO2 emissions (unit: tonnes/year)` -> `CO2` in `t`). The course states the data are built from
2015 data, in M EUR; the price basis is not stated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from mrio_tools.errors import DataFileError
from mrio_tools.mrio.container import MRIO
from mrio_tools.sources.spec import SourceRequest, SourceSpec, folder_files, need

YEAR: Final = 2015
SOURCE: Final = "CML 3-region x 8-sector MRIO (course data built from 2015 data)"
VERSION: Final = "course material"
MONETARY_UNIT: Final = "M EUR"
PRICE_BASIS: Final = "not stated by source"

SECTOR_LABELS: Final = "labels/multi_reg_sectors.csv"
FINAL_DEMAND_LABELS: Final = "labels/multi_reg_final_demand.csv"
LABELS: Final = "labels/labels.csv"

#: short stressor names for the extension names of labels.csv (others are kept as written)
STRESSOR_NAMES: Final[dict[str, str]] = {
    "CO2 emissions": "CO2",
    "Blue water consumption": "blue water",
    "Employment": "employment",
}
#: units of labels.csv ('... (unit: U/year)'), written as mrio_tools writes them
UNITS: Final[dict[str, str]] = {"tonnes": "t", "million m3": "Mm3", "1000 people": "1000 persons"}
_EXTENSION_RE = re.compile(r"^(?P<name>.+?)\s*\(unit:\s*(?P<unit>.+?)\s*/\s*year\)$")


def _file(data_dir: Path, name: str) -> Path:
    path = data_dir / name
    if not path.is_file():
        raise DataFileError(
            f"{path}: missing. The folder must hold Z.txt, Y.txt, V.txt, F.txt, Fhh.txt, pop.txt and "
            f"{SECTOR_LABELS}, {FINAL_DEMAND_LABELS}, {LABELS} (see ../shared/data/README.md, cml_3x8_2015)"
        )
    return path


def _matrix(data_dir: Path, name: str, shape: tuple[int, int], what: str) -> np.ndarray:
    """A whitespace-separated matrix of the expected shape (a single row may be written as one line)."""
    path = _file(data_dir, name)
    try:
        values = np.loadtxt(path, ndmin=2)
    except ValueError as err:
        raise DataFileError(f"{path}: not a table of numbers separated by whitespace ({err})") from err
    if values.shape != shape:
        raise DataFileError(f"{path}: shape {values.shape}, expected {shape} ({what})")
    if not np.isfinite(values).all():
        row, col = (int(i[0]) for i in np.nonzero(~np.isfinite(values)))
        raise DataFileError(f"{path}: non-finite value at row {row}, column {col}")
    return values


def _labels(data_dir: Path, name: str, columns: list[str]) -> pd.DataFrame:
    path = _file(data_dir, name)
    frame = pd.read_csv(path, dtype=str)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataFileError(f"{path}: no column {missing}; found {list(frame.columns)}, expected {columns}")
    if frame[columns].isna().to_numpy().any():
        raise DataFileError(
            f"{path}: empty label in row {int(np.flatnonzero(frame[columns].isna().any(axis=1))[0])}"
        )
    return frame[columns]


def _stressors(data_dir: Path) -> tuple[list[str], dict[str, str]]:
    """Stressor names and units from labels.csv's `extension_name` column."""
    path = _file(data_dir, LABELS)
    table = pd.read_csv(path, dtype=str)
    if "extension_name" not in table.columns:
        raise DataFileError(f"{path}: no column 'extension_name'; found {list(table.columns)}")
    names, units = [], {}
    for text in table["extension_name"].dropna():
        m = _EXTENSION_RE.match(text.strip())
        if m is None:
            raise DataFileError(f"{path}: extension {text!r} is not written 'NAME (unit: UNIT/year)'")
        if m["unit"] not in UNITS:
            raise DataFileError(
                f"{path}: extension {text!r} has unit {m['unit']!r}, not one of {list(UNITS)}. "
                "Fix: add its spelling to cml3x8.UNITS"
            )
        name = STRESSOR_NAMES.get(m["name"], m["name"])
        names.append(name)
        units[name] = UNITS[m["unit"]]
    if not names:
        raise DataFileError(f"{path}: column 'extension_name' is empty; the stressors cannot be named")
    return names, units


def _check_region_order(data_dir: Path, regions: list[str]) -> None:
    """pop.txt follows labels.csv's region list: it must be the sector labels' region order."""
    path = _file(data_dir, LABELS)
    table = pd.read_csv(path, dtype=str)
    if "region_name" not in table.columns:
        raise DataFileError(f"{path}: no column 'region_name'; found {list(table.columns)}")
    listed = [str(r).strip() for r in table["region_name"].dropna()]
    if listed != regions:
        raise DataFileError(
            f"{path}: regions {listed} differ from the region order {regions} of {SECTOR_LABELS}; "
            "pop.txt cannot be matched to regions. Fix: list the regions in the same order"
        )


def read_cml3x8(data_dir: Path) -> MRIO:
    """Read the 3 x 8 course MRIO of 2015 (M EUR) with CO2 (t), blue water (Mm3) and employment.

    F holds the industries' stressors, F_Y the final-demand (household) stressors of Fhh.txt;
    `population` (persons) and `value_added` (the row of V.txt) come along. Each file's shape is
    checked against the label files; an error names the file, the shape found and the one expected.
    """
    data_dir = Path(data_dir)
    sectors = _labels(data_dir, SECTOR_LABELS, ["region", "sector"])
    demand = _labels(data_dir, FINAL_DEMAND_LABELS, ["region", "final_demand_category"])
    rows = pd.MultiIndex.from_frame(sectors, names=["region", "sector"])
    columns = pd.MultiIndex.from_frame(demand, names=["region", "category"])
    regions = rows.get_level_values("region").unique()
    _check_region_order(data_dir, list(regions))
    names, units = _stressors(data_dir)
    n, m, k = len(rows), len(columns), len(names)
    Z = _matrix(data_dir, "Z.txt", (n, n), f"{n} sector rows of {SECTOR_LABELS} squared")
    Y = _matrix(data_dir, "Y.txt", (n, m), f"{n} sectors x {m} final-demand columns of {FINAL_DEMAND_LABELS}")
    V = _matrix(data_dir, "V.txt", (1, n), f"one value-added row over the {n} sectors")
    F = _matrix(data_dir, "F.txt", (k, n), f"{k} stressors of {LABELS} x {n} sectors")
    Fhh = _matrix(data_dir, "Fhh.txt", (k, m), f"{k} stressors x {m} final-demand columns")
    pop = _matrix(
        data_dir, "pop.txt", (1, len(regions)), f"one population row over the regions {list(regions)}"
    )
    stressor_index = pd.Index(names, name="stressor")
    return MRIO(
        Z=pd.DataFrame(Z, index=rows, columns=rows),
        Y=pd.DataFrame(Y, index=rows, columns=columns),
        F=pd.DataFrame(F, index=stressor_index, columns=rows),
        F_Y=pd.DataFrame(Fhh, index=stressor_index, columns=columns),
        monetary_unit=MONETARY_UNIT,
        stressor_units=units,
        source=SOURCE,
        version=VERSION,
        year=YEAR,
        price_basis=PRICE_BASIS,
        notes={
            "year_stated_by_source": True,
            "household_direct_emissions": "Fhh.txt: direct stressors of final demand, in F_Y",
            "population_unit": "persons",
            "files": str(data_dir),
        },
        population=pd.Series(pop[0], index=pd.Index(regions, name="region"), name="population"),
        value_added=pd.DataFrame(V, index=pd.Index(["value added"], name="component"), columns=rows),
    )


# ------------------------------------------------------------------ the registry entry
def _open(request: SourceRequest, options: Mapping[str, str | None]) -> Callable[[int], MRIO]:
    data = need(request, "data")

    def read_cml_year(year: int) -> MRIO:
        return read_cml3x8(data)

    return read_cml_year


SPEC = SourceSpec(
    name="cml3x8",
    description="the 3-region x 8-sector 2015 course table in --data",
    needs=("data",),
    years=lambda request: [2015],
    files=lambda request, year: folder_files(need(request, "data")),
    open=_open,
)
