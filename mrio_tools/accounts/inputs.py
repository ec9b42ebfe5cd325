"""Readers of the user files the methods take: sector sets, purchase baskets, hybrid overrides.

I/O only; each reader checks its file and raises `DataFileError` naming the file, the line as an
editor counts it (header = line 1) and the fix. The shipped sector sets are in
`mrio_tools/data/sector_sets/<source>.csv` (see the README there, and docs/methods.md, "Sector
transfers"); baskets and overrides follow docs/methods.md, "Footprint intensities and baskets".
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mrio_tools.errors import DataFileError, listed
from mrio_tools.leontief.solved import SolvedYear
from mrio_tools.units import conversion_factor

Array = NDArray[np.float64]

SECTOR_SET_COLUMNS = ("source", "sector", "sector_set")
BASKET_COLUMNS = ("region", "sector", "amount", "unit")
OVERRIDE_COLUMNS = ("region", "sector", "intensity", "unit")


def _read(path: Path, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, comment="#", skip_blank_lines=True, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise DataFileError(
            f"{path}: cannot read it as CSV ({error}). Fix: give a CSV with columns {', '.join(columns)}"
        ) from error
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataFileError(
            f"{path}: {what} needs columns {', '.join(columns)}; {listed(missing)} missing (it has "
            f"{listed(list(frame.columns))})"
        )
    frame = pd.DataFrame({str(c): frame[c].str.strip() for c in frame.columns})
    empty = (frame[list(columns)] == "").any(axis=1)
    if empty.any():
        raise DataFileError(
            f"{path}: lines {listed(_lines(path, frame.index[empty]))} have an empty cell. "
            "Fix: fill them or remove the lines"
        )
    return frame


def _lines(path: Path, index: pd.Index) -> list[int]:
    """Editor line numbers (header = 1) of data rows, counting comment and blank lines the reader skipped."""
    text = path.read_text(encoding="utf-8").splitlines()
    data_lines = [i + 1 for i, line in enumerate(text) if line.strip() and not line.lstrip().startswith("#")][
        1:
    ]
    return [data_lines[i] for i in index]


def read_sector_sets(path: Path) -> pd.DataFrame:
    """A sector-set file (columns source, sector, sector_set; `#` comment lines allowed)."""
    frame = _read(path, SECTOR_SET_COLUMNS, "a sector-set file")
    duplicated = frame.duplicated(list(SECTOR_SET_COLUMNS))
    if duplicated.any():
        raise DataFileError(
            f"{path}: lines {listed(_lines(path, frame.index[duplicated]))} repeat an earlier row. "
            "Fix: remove them"
        )
    return frame[list(SECTOR_SET_COLUMNS)].reset_index(drop=True)


def shipped_sector_sets(source: str) -> pd.DataFrame:
    """The sector sets shipped for `source` (mrio_tools/data/sector_sets/<source>.csv)."""
    folder = resources.files("mrio_tools") / "data" / "sector_sets"
    entry = folder / f"{source}.csv"
    if not entry.is_file():
        have = sorted(p.name.removesuffix(".csv") for p in folder.iterdir() if p.name.endswith(".csv"))
        raise DataFileError(
            f"no shipped sector sets for source {source!r} (shipped: {listed(have)}). Fix: pass "
            "--sector-sets FILE with columns source, sector, sector_set"
        )
    with resources.as_file(entry) as path:
        return read_sector_sets(Path(path))


def _positions(path: Path, frame: pd.DataFrame, solved: SolvedYear) -> list[int]:
    index = {label: i for i, label in enumerate(solved.mrio.Z.index)}
    unknown = [
        i
        for i, (r, s) in enumerate(zip(frame["region"], frame["sector"], strict=True))
        if (r, s) not in index
    ]
    if unknown:
        first = frame.iloc[unknown[0]]
        raise DataFileError(
            f"{path}: lines {listed(_lines(path, frame.index[unknown]))} name region-sectors the table does "
            f"not have (first: {first['region']}/{first['sector']}). Fix: use the table's regions "
            f"({listed(list(solved.regions))}) and sectors ({listed(list(solved.mrio.sectors))})"
        )
    return [index[(r, s)] for r, s in zip(frame["region"], frame["sector"], strict=True)]


def _numbers(path: Path, frame: pd.DataFrame, column: str) -> Array:
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna() | ~np.isfinite(values)
    if bad.any():
        raise DataFileError(
            f"{path}: lines {listed(_lines(path, frame.index[bad]))} have no number in column {column}"
        )
    return values.to_numpy(dtype=np.float64)


def read_basket(path: Path, solved: SolvedYear) -> Array:
    """A basket CSV (region, sector, amount, unit) as money by (region, sector) in the table's money unit."""
    frame = _read(path, BASKET_COLUMNS, "a basket")
    positions = _positions(path, frame, solved)
    amounts = _numbers(path, frame, "amount")
    money = solved.mrio.monetary_unit
    factors = []
    for i, unit in enumerate(frame["unit"]):
        try:
            factors.append(conversion_factor(unit, money))
        except ValueError as error:
            raise DataFileError(
                f"{path}: line {_lines(path, frame.index[[i]])[0]}: unit {unit!r} is not money "
                f"convertible to the table's {money} ({error})"
            ) from error
    basket = np.zeros(solved.n)
    np.add.at(basket, positions, amounts * np.asarray(factors))
    return basket


def read_overrides(path: Path, solved: SolvedYear, *, stressor: str) -> Array:
    """An override CSV (region, sector, intensity, unit `<mass>/<money>`) as a k x n array, NaN elsewhere.

    The intensities are for `stressor` and converted to the table's stressor unit per money unit.
    """
    frame = _read(path, OVERRIDE_COLUMNS, "a hybrid override file")
    positions = _positions(path, frame, solved)
    values = _numbers(path, frame, "intensity")
    if stressor not in solved.stressors:
        raise DataFileError(f"{path}: stressor {stressor!r} is not in the table ({listed(solved.stressors)})")
    s = solved.stressors.index(stressor)
    target_mass, money = solved.mrio.stressor_units[stressor], solved.mrio.monetary_unit
    out = np.full((solved.k, solved.n), np.nan)
    for i, unit in enumerate(frame["unit"]):
        line = _lines(path, frame.index[[i]])[0]
        try:
            factor = conversion_factor(unit, f"{target_mass}/{money}")
        except ValueError as error:
            raise DataFileError(
                f"{path}: line {line}: unit {unit!r} is not '<mass>/<money>' convertible to "
                f"{target_mass}/{money} ({error}). Fix: e.g. 'kg/USD' or 't/M USD'"
            ) from error
        if not np.isnan(out[s, positions[i]]):
            raise DataFileError(f"{path}: line {line} repeats a region-sector of an earlier line")
        out[s, positions[i]] = values[i] * factor
    return out
