"""Reader for EXIOBASE 3 (the publisher's IOT_YYYY_pxp.zip / IOT_YYYY_ixi.zip), wrapping pymrio's loader.

EXIOBASE 3 (Stadler et al. 2018, J. Ind. Ecol. 22:502, doi:10.1111/jiec.12715; CC BY-SA 4.0;
zenodo.org/records/5589597 for 3.8.2): 49 regions (44 countries + 5 rest-of-world regions) x 200
products (pxp) or 163 industries (ixi), 1995-2022, M EUR, basic prices, current prices.

Layout (EXIOBASE is written with pymrio, so it is pymrio's text save, zipped): ``IOT_2019_pxp.zip``
holds a folder ``IOT_2019_pxp/`` with ``file_parameters.json``, ``metadata.json``, ``Z.txt``,
``Y.txt``, ``x.txt``, ``A.txt`` (3.4 releases: A only), ``unit.txt`` (``M.EUR`` per row), and the
extension folder ``satellite/`` (3.9: ``air_emissions/``) with its own ``file_parameters.json``,
``F.txt``, ``F_Y.txt`` (3.4: ``F_hh.txt``) and ``unit.txt``. Tab-separated; Z has two header rows
(``region``, ``sector``) and two index columns; Y's second header row is ``category``; F has one
index column ``stressor``. Region codes are ISO 3166 alpha-2 plus WA, WE, WF, WL, WM.

What this module adds to `pymrio.load_all` (which `pymrio.parse_exiobase3` calls):

- only the blocks an MRIO needs are read (Z, Y, x, units, F, F_Y; A only where Z is absent, then
  Z = A x^), and ``F_hh`` is taken as F_Y as parse_exiobase3 does;
- regions as ISO3 (country_converter; ``GR`` -> ``GRC``), the five rest-of-world regions kept and
  named in `REST_OF_WORLD`;
- two documented stressors: ``CO2`` (kg): fossil and process CO2 rows `EXIOBASE_CO2_ROWS` (peat
  decay and biogenic waste CO2 left out, as in `exiobase_agg`), and ``GHG`` (kg CO2-eq): those rows +
  GWP100 x every ``CH4 - ... - air`` (fossil: combustion and non-combustion fuel rows; non-fossil:
  agriculture, waste) and ``N2O - ... - air`` row + GWP100 x ``SF6 - air`` + ``HFC - air``
  and ``PFC - air`` (published in kg CO2-eq); AR6 by default, AR5 as an option;
- household direct emissions from F_Y (the households' column of each region);
- value added from the satellite's nine factor-input rows (M EUR);
- the money unit recorded as ``M EUR``, and with a user's rate file (`harmonise.to_usd`) in M USD.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, get_args

import numpy as np
import pandas as pd

from mrio_tools.choices import Currency, ExiobaseSystem, GwpSet
from mrio_tools.errors import DataFileError, YearNotAvailableError
from mrio_tools.mrio.container import MRIO
from mrio_tools.sources.exiobase_agg import EXIOBASE_CO2_EXCLUDED, EXIOBASE_CO2_ROWS, VALUE_ADDED_ROWS
from mrio_tools.sources.harmonise import (
    combine_rows,
    gwp100,
    gwp_source,
    iso3_codes,
    read_exchange_rates,
    rename_regions,
    same_file_extension,
    to_usd,
)
from mrio_tools.sources.spec import ExtensionParts, SourceOption, SourceRequest, SourceSpec, need

SOURCE: Final = "EXIOBASE 3"
CITATION: Final = (
    "Stadler, K. et al. (2018), EXIOBASE 3: Developing a time series of detailed environmentally extended "
    "multi-regional input-output tables, J. Ind. Ecol. 22:502-515, doi:10.1111/jiec.12715 (CC BY-SA 4.0)"
)
PRICE_BASIS: Final = "basic prices, current prices"
#: EXIOBASE's rest-of-world regions (kept, not ISO3)
REST_OF_WORLD: Final[Mapping[str, str]] = {
    "WA": "RoW Asia and Pacific",
    "WE": "RoW Europe",
    "WF": "RoW Africa",
    "WL": "RoW America",
    "WM": "RoW Middle East",
}
#: the extension folders that hold the air emissions (3.8: satellite, 3.9: air_emissions)
EMISSION_ROW: Final = "CO2 - combustion - air"
FILE_RE: Final = re.compile(r"^IOT_(?P<year>\d{4})_(?P<system>pxp|ixi)\.zip$")
#: the exchange-rate file the USD option reads from the --data folder (harmonise module docstring)
RATE_FILE: Final = "exchange_rates.csv"
#: CH4 rows of fossil origin (fuel combustion; fuel extraction, transport and refining); the others
#: (agriculture, waste) are non-fossil, each with its own GWP100 (docs/methods.md, "Greenhouse gases
#: in CO2 equivalents")
FOSSIL_CH4: Final = ("CH4 - combustion - ", "CH4 - non combustion - ")
_BLOCKS: Final = ["Z", "Y", "x", "unit", "F", "F_Y", "F_hh"]


def table_files(data: Path, system: ExiobaseSystem) -> dict[int, Path]:
    """Year -> zip for the `system`'s files in `data` (a folder of zips, or one zip)."""
    data = Path(data)
    candidates = [data] if data.is_file() else sorted(data.glob("IOT_*_*.zip"))
    found = {}
    for path in candidates:
        m = FILE_RE.match(path.name)
        if m and m["system"] == system:
            found[int(m["year"])] = path
    return found


def table_file(data: Path, year: int, system: ExiobaseSystem) -> Path:
    """The zip of `year`; `YearNotAvailableError` naming the years found."""
    files = table_files(data, system)
    if year not in files:
        raise YearNotAvailableError(
            f"{data}: no IOT_{year}_{system}.zip ({system} years here: {sorted(files) or 'none'}). "
            "Fix: download the year from EXIOBASE's Zenodo record, or pick one of those years"
        )
    return files[year]


def _load(path: Path) -> Any:
    import pymrio

    try:
        io = pymrio.load_all(path, subset=_BLOCKS)
        if getattr(io, "Z", None) is None:
            io = pymrio.load_all(path, subset=[*_BLOCKS, "A"])
    except (pymrio.core.fileio.ReadError, OSError, ValueError, KeyError) as err:
        raise DataFileError(
            f"{path}: pymrio could not read it as an EXIOBASE 3 zip ({type(err).__name__}: {err}). "
            "Fix: restore the file as downloaded (IOT_YYYY_pxp.zip with its inner folder)"
        ) from err
    return io


def _emission_extension(io: Any, path: Path) -> Any:
    for name in io.get_extensions(instance_names=True):
        ext = getattr(io, name)
        F = getattr(ext, "F", None)
        if isinstance(F, pd.DataFrame) and EMISSION_ROW in _labels(F.index):
            if getattr(ext, "F_Y", None) is None and getattr(ext, "F_hh", None) is not None:
                ext.F_Y = ext.F_hh
            return ext
    raise DataFileError(
        f"{path}: no extension holds the row {EMISSION_ROW!r} (extensions: "
        f"{list(io.get_extensions(instance_names=True))}). Fix: use a zip with its satellite folder"
    )


def _labels(index: pd.Index) -> list[str]:
    if isinstance(index, pd.MultiIndex):
        return [" - ".join(str(p) for p in label) for label in index]
    return [str(label) for label in index]


def definitions(F_rows: list[str], gwp_set: GwpSet) -> dict[str, dict[str, float]]:
    """{'CO2': {row: 1}, 'GHG': {row: GWP100}} over the EXIOBASE rows present in `F_rows`."""
    gwp = gwp100(gwp_set)
    co2 = {row: 1.0 for row in EXIOBASE_CO2_ROWS if row in F_rows}
    ghg = dict(co2)
    for row in F_rows:
        gas = row.split(" - ")[0]
        if row.endswith(" - air") and gas == "N2O":
            ghg[row] = gwp["N2O"]
        elif row.endswith(" - air") and gas == "CH4":
            ghg[row] = gwp["CH4_fossil" if row.startswith(FOSSIL_CH4) else "CH4_nonfossil"]
    for row, weight in (("SF6 - air", gwp["SF6"]), ("HFC - air", 1.0), ("PFC - air", 1.0)):
        if row in F_rows:
            ghg[row] = weight
    return {"CO2": co2, "GHG": ghg}


def read_exiobase3(path: Path, *, year: int, gwp_set: GwpSet, rates: pd.DataFrame | None) -> MRIO:
    """Read one EXIOBASE 3 zip into an `MRIO` with stressors CO2 (kg) and GHG (kg CO2-eq).

    `year` must agree with the file name (``IOT_2019_pxp.zip``); `gwp_set` picks the GWP100 factors
    of GHG; `rates` (`harmonise.read_exchange_rates`) converts M EUR to M USD, None keeps M EUR.
    """
    path = Path(path)
    m = FILE_RE.match(path.name)
    if m is None or int(m["year"]) != year:
        raise DataFileError(f"{path}: expected the publisher's name IOT_{year}_pxp.zip or IOT_{year}_ixi.zip")
    io = _load(path)
    ext = _emission_extension(io, path)
    Z = io.Z if getattr(io, "Z", None) is not None else io.A.mul(np.asarray(io.x).reshape(-1), axis=1)
    Y = io.Y
    F = ext.F.set_axis(pd.Index(_labels(ext.F.index), name="stressor"), axis=0)
    F_Y = (
        ext.F_Y
        if getattr(ext, "F_Y", None) is not None
        else pd.DataFrame(0.0, index=ext.F.index, columns=Y.columns)
    )
    F_Y = F_Y.set_axis(F.index, axis=0).reindex(columns=Y.columns)
    units = dict(zip(_labels(ext.unit.index), ext.unit["unit"].astype(str), strict=True))
    defs = definitions(list(F.index), gwp_set)
    if len(defs["CO2"]) != len(EXIOBASE_CO2_ROWS):
        missing = [r for r in EXIOBASE_CO2_ROWS if r not in defs["CO2"]]
        raise DataFileError(f"{path}: the satellite lacks the CO2 rows {missing}. Fix: restore the file")
    F_new, FY_new, new_units = combine_rows(F, F_Y, units, defs, unit={"CO2": "kg", "GHG": "kg CO2-eq"})
    regions = [str(r) for r in Z.index.get_level_values("region").unique()]
    iso3 = iso3_codes(regions, named=REST_OF_WORLD, source=str(path))
    va_rows = [r for r in VALUE_ADDED_ROWS if r in F.index]
    value_added = F.loc[va_rows].rename_axis(index="component") if va_rows else None
    money = {str(u).replace(".", " ").replace("Mill", "M").strip() for u in io.unit["unit"]}
    if money != {"M EUR"}:
        raise DataFileError(f"{path}: unit.txt gives {sorted(money)}, expected M.EUR throughout")
    notes = {
        "file": str(path),
        "system": m["system"],
        "citation": CITATION,
        "regions": "ISO3 from EXIOBASE's ISO2 codes (country_converter); rest of world kept: "
        + ", ".join(f"{k} = {v}" for k, v in REST_OF_WORLD.items()),
        "region_codes_source": {v: k for k, v in iso3.items()},
        "co2_definition": "fossil and process CO2 of industries and households: " + ", ".join(defs["CO2"]),
        "co2_excluded_rows": "land-use and biogenic CO2: " + ", ".join(EXIOBASE_CO2_EXCLUDED),
        "ghg_definition": {
            "rows": defs["GHG"],
            "gwp": gwp_source(gwp_set),
            "note": "HFC and PFC rows are published in kg CO2-eq (weight 1)",
        },
        "household_direct_emissions": "F_Y of the satellite (households' column of each region)",
    }
    mrio = MRIO(
        Z=rename_regions(Z, iso3, axes=(0, 1)),
        Y=rename_regions(Y, iso3, axes=(0, 1)),
        F=rename_regions(F_new, iso3, axes=(1,)),
        F_Y=rename_regions(FY_new, iso3, axes=(1,)),
        monetary_unit="M EUR",
        stressor_units=new_units,
        source=f"{SOURCE} {m['system']}",
        version=str(getattr(io.meta, "version", None) or "not stated"),
        year=year,
        price_basis=PRICE_BASIS,
        notes=notes,
        value_added=None if value_added is None else rename_regions(value_added, iso3, axes=(1,)),
    )
    return mrio if rates is None else to_usd(mrio, rates)


# ------------------------------------------------------------------ registry entry
SYSTEM = SourceOption(
    name="system",
    choices=get_args(ExiobaseSystem),
    default="pxp",
    help="EXIOBASE 3 table form: pxp product-by-product (200 products) or ixi industry-by-industry (163)",
)
GWP = SourceOption(
    name="gwp",
    choices=get_args(GwpSet),
    default="AR6",
    help="GWP100 set of the GHG stressor (CO2-eq): IPCC AR6 or AR5 (mrio_tools/data/gwp100.csv)",
)
CURRENCY = SourceOption(
    name="currency",
    choices=get_args(Currency),
    default="source",
    help=f"source: the publisher's money (M EUR); USD: converted with {RATE_FILE} in --data "
    "(columns year,currency,usd_per_unit,source; docs/sources.md)",
)


def _data(request: SourceRequest) -> Path:
    return need(request, "data")


def _years(request: SourceRequest) -> list[int]:
    system = request.options.get("system", SYSTEM.default)
    return sorted(table_files(_data(request), system))  # type: ignore[arg-type]


def _rates(request: SourceRequest, options: Mapping[str, str | None]) -> pd.DataFrame | None:
    if options.get("currency") != "USD":
        return None
    data = _data(request)
    path = (data if data.is_dir() else data.parent) / RATE_FILE
    if not path.is_file():
        raise DataFileError(
            f"{path}: missing; --currency USD reads the exchange rates from it. Fix: write it "
            "(columns year,currency,usd_per_unit,source) or drop --currency USD"
        )
    return read_exchange_rates(path)


def _files(request: SourceRequest, year: int) -> list[Path]:
    data = _data(request)
    system = request.options.get("system", SYSTEM.default)
    files = [table_file(data, year, system)]  # type: ignore[arg-type]
    rate_file = (data if data.is_dir() else data.parent) / RATE_FILE
    return files + ([rate_file] if request.options.get("currency") == "USD" and rate_file.is_file() else [])


def _extension(request: SourceRequest, options: Mapping[str, str | None]) -> ExtensionParts:
    years = sorted(table_files(_data(request), options["system"] or "pxp"))  # type: ignore[arg-type]
    return same_file_extension(_open(request, options), years, rest_of_world=list(REST_OF_WORLD))


def _open(request: SourceRequest, options: Mapping[str, str | None]) -> Any:
    data = _data(request)
    system: ExiobaseSystem = options["system"] or "pxp"  # type: ignore[assignment]
    gwp_set: GwpSet = options["gwp"] or "AR6"  # type: ignore[assignment]
    rates = _rates(request, options)

    def read_year(year: int) -> MRIO:
        return read_exiobase3(table_file(data, year, system), year=year, gwp_set=gwp_set, rates=rates)

    return read_year


SPEC: SourceSpec = SourceSpec(
    name="exiobase3",
    description="EXIOBASE 3 as published (IOT_YYYY_pxp.zip or _ixi.zip, 1995-2022, M EUR) in --data; "
    "stressors CO2 (kg) and GHG (kg CO2-eq)",
    needs=("data",),
    years=_years,
    files=_files,
    open=_open,
    options=(SYSTEM, GWP, CURRENCY),
    extension=_extension,
)

__all__ = ["CITATION", "REST_OF_WORLD", "SPEC", "read_exiobase3", "table_file", "table_files"]
