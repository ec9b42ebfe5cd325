"""The R data package form of WIOD 2013 (wiod 0.4.0, ``wiot_YYYY.RData``) read into blocks."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mrio_tools.errors import SHOWN_LABELS, DataFileError, listed
from mrio_tools.sources.wiod2013.layout import (
    _RDATA_MAGIC,
    CATEGORY_NAMES,
    SECTOR_CODES,
    Wiod2013Blocks,
    _region,
    wiod2013_sectors,
)


# ------------------------------------------------------------------- RData
def _keep_list(value: Any, attrs: Any) -> Any:
    # the wiod package marks its lists with R class "iot"; the underlying named list is what we read
    return value


def _parse_rdata(path: Path) -> dict[str, Any]:
    import rdata

    fix = "Fix: download the file again (R package wiod 0.4.0, data/wiot_YYYY.RData)"
    with path.open("rb") as f:
        head = f.read(6)
    # checked here because rdata only warns, then guesses another format, on files that are not R's
    if not head.startswith(_RDATA_MAGIC):
        raise DataFileError(f"{path}: not an R data file (it starts with {head!r}). {fix}")
    constructors = {**rdata.conversion.DEFAULT_CLASS_MAP, "iot": _keep_list}
    try:
        converted = rdata.conversion.convert(rdata.parser.parse_file(path), constructors)
    except (NotImplementedError, ValueError, EOFError, OSError) as exc:
        raise DataFileError(
            f"{path}: not a readable R data file ({type(exc).__name__}: {exc}). {fix}"
        ) from exc
    if not isinstance(converted, dict):
        raise DataFileError(f"{path}: holds a {type(converted).__name__}, not named R objects. {fix}")
    return converted


def _field(path: Path, obj: Mapping[str, Any], object_name: str, field: str) -> np.ndarray:
    if field not in obj:
        raise DataFileError(
            f"{path}: object {object_name!r} has no field {field!r} (fields: {listed(list(obj))}). "
            "Fix: use the wiod package's wiot_YYYY.RData files unchanged"
        )
    return np.asarray(obj[field])


def _numeric(path: Path, object_name: str, field: str, array: np.ndarray) -> np.ndarray:
    if array.dtype.kind not in "biuf":
        raise DataFileError(f"{path}: {object_name}${field} holds {array.dtype} values, expected numbers")
    values = array.astype(np.float64)
    if not np.isfinite(values).all():
        bad = np.argwhere(~np.isfinite(values))[:SHOWN_LABELS].tolist()
        raise DataFileError(f"{path}: {object_name}${field} has missing or infinite values at {bad}")
    return values


def _read_rdata(path: Path, year: int) -> Wiod2013Blocks:
    objects = _parse_rdata(path)
    object_name = f"wiot_{year}"
    if object_name not in objects:
        raise DataFileError(
            f"{path}: no object {object_name!r} (the file holds {listed(list(objects)) or 'nothing'}). "
            "Fix: use the wiod package's wiot_YYYY.RData file of that year"
        )
    obj = objects[object_name]
    if not isinstance(obj, Mapping):
        raise DataFileError(f"{path}: {object_name!r} is a {type(obj).__name__}, expected a named R list")
    countries = [str(c) for c in _field(path, obj, object_name, "countries").tolist()]
    industries = [str(s) for s in _field(path, obj, object_name, "industries").tolist()]
    if tuple(industries) != SECTOR_CODES:
        raise DataFileError(
            f"{path}: {object_name}$industries is {listed(industries)}, expected the 35 WIOD 2013 codes "
            "c1..c35 in order"
        )
    regions = [_region(c) for c in countries]
    if len(set(regions)) != len(regions):
        dup = sorted({c for c in regions if regions.count(c) > 1})
        raise DataFileError(
            f"{path}: {object_name}$countries lists {listed(dup)} more than once (ROM is ROU)"
        )
    if "year" in obj:
        stored = np.asarray(obj["year"]).ravel().tolist()
        if stored and int(stored[0]) != year:
            raise DataFileError(f"{path}: {object_name}$year is {stored[0]}, the file name says {year}")
    n_reg, n_sec, n_cat = len(countries), len(SECTOR_CODES), len(CATEGORY_NAMES)
    n = n_reg * n_sec
    arrays: dict[str, np.ndarray] = {}
    layout = f"{n_reg} countries x {n_sec} sectors, {n_cat} final-demand categories per country"
    for field, shape in (("inter", (n, n)), ("final", (n, n_reg * n_cat)), ("output", (n,))):
        raw = _field(path, obj, object_name, field)
        if raw.shape != shape:
            raise DataFileError(
                f"{path}: {object_name}${field} has shape {raw.shape}, expected {shape} ({layout}). "
                "Fix: use the wiod package's wiot_YYYY.RData files unchanged"
            )
        arrays[field] = _numeric(path, object_name, field, raw)
    rows = pd.MultiIndex.from_product([regions, SECTOR_CODES], names=["region", "sector"])
    cols = pd.MultiIndex.from_product([regions, list(CATEGORY_NAMES)], names=["region", "category"])
    sectors = wiod2013_sectors()
    names = dict(zip(sectors["code"], sectors["name"], strict=True))
    return Wiod2013Blocks(
        Z=pd.DataFrame(arrays["inter"], index=rows, columns=rows.copy()),
        Y=pd.DataFrame(arrays["final"], index=rows.copy(), columns=cols),
        published_output=pd.Series(arrays["output"], index=rows.copy(), name="published_output"),
        value_added=None,
        sector_names=names,
        year=year,
        path=path,
        form="R data package wiod 0.4.0 (wiot_YYYY.RData, whole M USD)",
        extra_notes={
            "value_added": "not in the R data package form (x - Z column sums also holds taxes and margins)",
        },
    )
