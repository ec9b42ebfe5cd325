"""Reader for Eora26 (the publisher's Eora26_YYYY_bp.zip / _pp.zip), wrapping `pymrio.parse_eora26`.

Eora26 (Lenzen et al. 2012, Environ. Sci. Technol. 46:8374, doi:10.1021/es300171x; Lenzen et al. 2013,
Econ. Syst. Res. 25:20, doi:10.1080/09535314.2013.769938): the simplified Eora, 189 countries + ROW x
26 sectors, 1990-2016 (free for academic use after registration at worldmrio.com; not for
redistribution), thousand current USD, basic (bp) and purchasers' (pp) prices.

Layout (what pymrio reads; tab-separated, no header rows, labels in separate files):
``Eora26_2010_bp.zip`` holds ``Eora26_2010_bp_T.txt`` (Z), ``_FD.txt`` (Y), ``_VA.txt`` (value added),
``_Q.txt`` (satellite rows x industries), ``_QY.txt`` (satellite rows x final demand) and the label
files ``labels_T.txt`` (country name, code, ``Industries``, sector), ``labels_FD.txt`` (country,
code, ``Final Demand``, category), ``labels_VA.txt`` and ``labels_Q.txt`` (indicator with its unit in
brackets, e.g. ``I-GHG-CO2 emissions (Gg)``, then the category). The labels may also come from an
``indices.zip`` beside the year zips. The rest of the world ``ROW`` has a single sector ``TOTAL``.

What this module adds to pymrio's parser:

- pymrio drops the ROW row and column (its single sector breaks the region-by-sector layout, and so
  the `MRIO` container's rule); what it drops is measured here from the files and written into the
  notes (``row_dropped``): ROW's gross output share and its CO2, so a user sees the loss;
- regions to ISO3 (country_converter) with Eora's own codes named in `EORA_CODES`;
- money unit ``000 USD`` recorded as ``k USD``; ``Gg`` as ``kt`` (1 Gg = 1 kt);
- ``CO2`` (kt): the rows of indicator `CO2_INDICATOR` summed over their categories, except the
  land-use categories (IPCC 1996 category 5, code starting with ``5``) and a ``Total`` category
  (a sum of the others); ``GHG`` (kt CO2-eq): those CO2 rows + GWP100 x the same categories of the
  CH4 (fossil for IPCC categories 1 and 2, else non-fossil) and N2O indicators; household direct
  emissions from ``_QY.txt``.
The Eora labels used here are those pymrio's parser reads; the CO2 indicator set of a real release
must be checked against its labels_Q.txt (the rows summed are written into the notes).
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, get_args

import numpy as np
import pandas as pd

from mrio_tools.choices import EoraPrice, GwpSet
from mrio_tools.errors import DataFileError, YearNotAvailableError
from mrio_tools.mrio.container import MRIO
from mrio_tools.sources.exiobase3 import GWP
from mrio_tools.sources.harmonise import (
    combine_rows,
    gwp100,
    gwp_source,
    iso3_codes,
    rename_regions,
    same_file_extension,
    standard_unit,
)
from mrio_tools.sources.spec import ExtensionParts, SourceOption, SourceRequest, SourceSpec, need

SOURCE: Final = "Eora26"
CITATION: Final = (
    "Lenzen, M. et al. (2013), Building Eora: a global multi-region input-output database at high country "
    "and sector resolution, Econ. Syst. Res. 25:20-49, doi:10.1080/09535314.2013.769938"
)
FILE_RE: Final = re.compile(r"^Eora26_(?P<year>\d{4})_(?P<price>bp|pp)\.zip$")
ROW: Final = "ROW"
#: Eora's codes that are not today's ISO3 countries (kept as written) or differ from ISO3
EORA_CODES: Final[Mapping[str, str]] = {
    "ANT": "Netherlands Antilles (dissolved 2010)",
    "SUD": "Sudan before the 2011 split (Eora's code)",
    "USR": "Former USSR (Eora's code, 1990-1991)",
    "CSK": "Czechoslovakia (Eora's code, 1990-1992)",
}
#: Eora codes that are ISO3 countries under another code
EORA_TO_ISO3: Final[Mapping[str, str]] = {"SDS": "SSD"}
CO2_INDICATOR: Final = "I-GHG-CO2 emissions"
GHG_INDICATORS: Final[Mapping[str, str]] = {
    "I-GHG-CO2 emissions": "CO2",
    "I-GHG-CH4 emissions": "CH4",
    "I-GHG-N2O emissions": "N2O",
}
TOTAL_CATEGORY: Final = "Total"


def table_files(data: Path, price: EoraPrice) -> dict[int, Path]:
    """Year -> zip of `price` in `data` (a folder of zips, folders named by year, or one zip)."""
    data = Path(data)
    candidates = (
        [data] if data.is_file() else sorted([*data.glob("Eora26_*.zip"), *data.glob("*/Eora26_*.zip")])
    )
    found = {}
    for path in candidates:
        m = FILE_RE.match(path.name)
        if m and m["price"] == price:
            found[int(m["year"])] = path
    return found


def table_file(data: Path, year: int, price: EoraPrice) -> Path:
    """The zip of `year`; `YearNotAvailableError` naming the years found."""
    files = table_files(data, price)
    if year not in files:
        raise YearNotAvailableError(
            f"{data}: no Eora26_{year}_{price}.zip ({price} years found: {sorted(files) or 'none'}). "
            "Fix: download the year from worldmrio.com, or pick one of those years"
        )
    return files[year]


def _raw(zip_path: Path, name: str) -> np.ndarray:
    """One numeric block of the zip, as read (ROW included), for measuring what pymrio drops."""
    with zipfile.ZipFile(zip_path) as archive, archive.open(name) as handle:
        return pd.read_csv(handle, sep="\t", header=None).to_numpy(dtype=float)


def _row_dropped(zip_path: Path, year: int, price: str) -> dict[str, Any]:
    stem = f"Eora26_{year}_{price}"
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        if "labels_T.txt" not in names:
            return {"measured": False, "why": "labels are in indices.zip"}
        with archive.open("labels_T.txt") as handle:
            labels = pd.read_csv(handle, sep="\t", header=None)
    row = (labels.iloc[:, 1].astype(str) == ROW).to_numpy()
    T = _raw(zip_path, f"{stem}_T.txt")
    FD = _raw(zip_path, f"{stem}_FD.txt")
    x = T.sum(axis=1) + FD.sum(axis=1)
    return {
        "measured": True,
        "what": "pymrio.parse_eora26 drops the ROW region (one sector 'TOTAL'): its output, inputs, final "
        "demand and emissions are not in the table",
        "row_gross_output_share": float(x[row].sum() / x.sum()) if x.sum() else 0.0,
        "row_gross_output_k_usd": float(x[row].sum()),
    }


def definitions(rows: list[tuple[str, str]], gwp_set: GwpSet) -> dict[str, dict[str, float]]:
    """{'CO2': {label: 1}, 'GHG': {label: GWP100}} over the satellite rows (indicator, category)."""
    gwp = gwp100(gwp_set)
    co2: dict[str, float] = {}
    ghg: dict[str, float] = {}
    for indicator, category in rows:
        gas = GHG_INDICATORS.get(indicator)
        if gas is None or category == TOTAL_CATEGORY or category.strip().startswith("5"):
            continue
        label = f"{indicator} - {category}"
        if gas == "CH4":
            # IPCC categories 1 (energy) and 2 (industrial processes) are fossil methane
            gas = "CH4_fossil" if category.strip()[:1] in ("1", "2") else "CH4_nonfossil"
        ghg[label] = gwp[gas]
        if gas == "CO2":
            co2[label] = 1.0
    return {"CO2": co2, "GHG": ghg}


def read_eora26(path: Path, *, year: int, gwp_set: GwpSet) -> MRIO:
    """Read one Eora26 zip into an `MRIO` with stressors CO2 (kt) and GHG (kt CO2-eq), k USD."""
    import pymrio

    path = Path(path)
    m = FILE_RE.match(path.name)
    if m is None or int(m["year"]) != year:
        raise DataFileError(f"{path}: expected the publisher's name Eora26_{year}_bp.zip or _pp.zip")
    try:
        with warnings.catch_warnings():
            # pymrio drops ROW from unsorted MultiIndexes; pandas' PerformanceWarning says nothing to a user
            warnings.simplefilter("ignore", pd.errors.PerformanceWarning)
            io = pymrio.parse_eora26(path, country_names="eora")
    except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile) as err:
        raise DataFileError(
            f"{path}: pymrio could not read it as an Eora26 zip ({type(err).__name__}: {err}). "
            "Fix: restore the file as downloaded (with its labels_*.txt or an indices.zip beside it)"
        ) from err
    Q = io.Q
    rows = [(str(a), str(b)) for a, b in Q.F.index]
    labels = pd.Index([f"{a} - {b}" for a, b in rows], name="stressor")
    F = Q.F.set_axis(labels, axis=0)
    F_Y = Q.F_Y.set_axis(labels, axis=0).reindex(columns=io.Y.columns)
    units = {label: standard_unit(u) for label, u in zip(labels, Q.unit["unit"], strict=True)}
    defs = definitions(rows, gwp_set)
    if not defs["CO2"]:
        raise DataFileError(
            f"{path}: labels_Q.txt has no {CO2_INDICATOR!r} rows (indicators: "
            f"{sorted({a for a, _ in rows})[:8]}). Fix: restore the file, or report the release's CO2 label"
        )
    unit = {"CO2": "kt", "GHG": "kt CO2-eq"}
    F_new, FY_new, new_units = combine_rows(F, F_Y, units, defs, unit=unit)
    regions = [str(r) for r in io.Z.index.get_level_values("region").unique()]
    iso3 = iso3_codes(regions, named=EORA_CODES, source=str(path))
    iso3.update({k: v for k, v in EORA_TO_ISO3.items() if k in iso3})
    va = io.VA.F
    va = va.set_axis(pd.Index([" - ".join(map(str, r)) for r in va.index], name="component"), axis=0)

    def iso(frame: pd.DataFrame, *axes: int) -> pd.DataFrame:
        return rename_regions(frame, iso3, axes=axes)

    notes = {
        "file": str(path),
        "price": m["price"],
        "citation": CITATION,
        "regions": "ISO3 from Eora's codes (country_converter); kept as written: "
        + ", ".join(f"{k} = {v}" for k, v in EORA_CODES.items()),
        "row_dropped": _row_dropped(path, year, m["price"]),
        "co2_definition": f"{CO2_INDICATOR} summed over categories {sorted(defs['CO2'])}",
        "co2_excluded": "land-use categories (IPCC code 5...) and the 'Total' category (a sum)",
        "ghg_definition": {"rows": defs["GHG"], "gwp": gwp_source(gwp_set)},
        "household_direct_emissions": "from _QY.txt (satellite rows x final demand)",
        "units": "000 USD recorded as k USD; Gg as kt",
    }
    return MRIO(
        Z=iso(io.Z, 0, 1),
        Y=iso(io.Y, 0, 1),
        F=iso(F_new, 1),
        F_Y=iso(FY_new, 1),
        monetary_unit="k USD",
        stressor_units=new_units,
        source=f"{SOURCE} ({m['price']})",
        version="not stated by the files",
        year=year,
        price_basis="basic prices" if m["price"] == "bp" else "purchasers' prices",
        notes=notes,
        value_added=iso(va, 1),
    )


# ------------------------------------------------------------------ registry entry
PRICE = SourceOption(
    name="price",
    choices=get_args(EoraPrice),
    default="bp",
    help="Eora26 valuation: bp basic prices or pp purchasers' prices (the publisher ships both)",
)


def _data(request: SourceRequest) -> Path:
    return need(request, "data")


def _price(request: SourceRequest) -> EoraPrice:
    return request.options.get("price", "bp")  # type: ignore[return-value]


def _extension(request: SourceRequest, options: Mapping[str, str | None]) -> ExtensionParts:
    years = sorted(table_files(_data(request), options["price"] or "bp"))  # type: ignore[arg-type]
    # no rest of the world: pymrio drops Eora's ROW (module docstring)
    return same_file_extension(_open(request, options), years, rest_of_world=[])


def _open(request: SourceRequest, options: Mapping[str, str | None]) -> Any:
    data = _data(request)
    price: EoraPrice = options["price"] or "bp"  # type: ignore[assignment]
    gwp_set: GwpSet = options["gwp"] or "AR6"  # type: ignore[assignment]
    return lambda year: read_eora26(table_file(data, year, price), year=year, gwp_set=gwp_set)


SPEC: SourceSpec = SourceSpec(
    name="eora26",
    description="Eora26 as published (Eora26_YYYY_bp.zip or _pp.zip, 1990-2016, k USD) in --data; "
    "stressors CO2 (kt) and GHG (kt CO2-eq); ROW dropped (measured in the notes)",
    needs=("data",),
    years=lambda request: sorted(table_files(_data(request), _price(request))),
    files=lambda request, year: [table_file(_data(request), year, _price(request))],
    open=_open,
    options=(PRICE, GWP),
    extension=_extension,
)

__all__ = ["CITATION", "EORA_CODES", "SPEC", "read_eora26", "table_file", "table_files"]
