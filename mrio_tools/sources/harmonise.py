"""Harmonisation shared by the publishers' readers: ISO3 regions, weighted stressors (CO2e), money in USD.

Three helpers, each returning new objects:

- `iso3_codes(codes, *, named)`: each region code of a source as ISO 3166 alpha-3 (country_converter),
  the source's own non-country regions (rest-of-world, split regions) passed in `named` and kept as
  the source writes them. An unknown code is an error naming it, never a silent 'not found'.
- `combine_rows(F, F_Y, units, definitions, *, unit)`: new stressor rows as weighted sums of rows of F
  and F_Y, e.g. GHG = CO2 + 29.8 fossil CH4 + 273 N2O in kg CO2-eq, rows in kg, kt or Gg converted to `unit`
  (docs/methods.md, "National accounts (the MRIO, final-demand view)": F and F_Y per stressor).
  `gwp100(gwp_set)` reads the factors shipped in ``mrio_tools/data/gwp100.csv`` (columns
  ``gas, ar6, ar5, source``; docs/methods.md, "Greenhouse gases in CO2 equivalents").
- `read_exchange_rates(path)` and `to_usd(mrio, rates)`: a table's money flows (Z, Y, value added)
  converted to USD with a rate the user supplies; nothing is shipped, nothing guessed.

Exchange-rate CSV layout (UTF-8, comma-separated, one header line, one line per currency and year)::

    year,currency,usd_per_unit,source
    2019,EUR,1.1195,"ECB euro reference rate, annual average 2019"

- ``year``: four digits; ``currency``: ISO 4217 code of the table's money (``EUR`` for EXIOBASE);
- ``usd_per_unit``: US dollars per one unit of the currency (a positive number, decimal point);
- ``source``: where the rate comes from (required: it is written into every output's metadata).
A year or currency that the file lacks is an error naming the file and what to add.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from mrio_tools.choices import GwpSet
from mrio_tools.errors import DataFileError, UnitError, ValidationError, listed
from mrio_tools.mrio.container import MRIO
from mrio_tools.units import MONEY_SCALE, conversion_factor

#: units publishers write that `mrio_tools.units` spells differently (1 Gg = 1 kt)
UNIT_ALIASES: Final[Mapping[str, str]] = {"Gg": "kt", "Tg": "Mt", "Pg": "Gt", "ton": "t", "tonnes": "t"}
if TYPE_CHECKING:
    from mrio_tools.sources.spec import ExtensionParts

GWP_FILE: Final = "gwp100.csv"
RATE_COLUMNS: Final = ("year", "currency", "usd_per_unit", "source")


# --------------------------------------------------------------------------- paths
# --------------------------------------------------------------------------- regions
@contextlib.contextmanager
def quiet_country_converter() -> Iterator[None]:
    """country_converter logs a warning per code it cannot place; the callers report those themselves."""
    logger = logging.getLogger("country_converter")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def iso3_codes(codes: Sequence[str], *, named: Mapping[str, str], source: str) -> dict[str, str]:
    """Region code -> ISO3 code (countries) or the code itself (the source's `named` regions).

    `named` maps each of the source's non-country codes to what it is (e.g. ``{"ROW": "rest of the
    world"}``); those stay as written. Other codes go through country_converter (ISO2, ISO3 or
    names); one it cannot place raises `DataFileError` naming the source and the code.
    """
    import country_converter as coco  # imported here: reading its table takes ~0.5 s

    others = [c for c in codes if c not in named]
    # not_found=None would return the code itself, which a 3-letter code passes as ISO3
    with quiet_country_converter():
        found = coco.convert(names=others, to="ISO3", not_found="<not found>") if others else []
    found = [found] if isinstance(found, str) else list(found)
    out = {c: c for c in codes if c in named}
    unknown = []
    for code, iso3 in zip(others, found, strict=True):
        if not isinstance(iso3, str) or iso3 == "<not found>" or len(iso3) != 3:
            unknown.append(code)
        else:
            out[code] = iso3
    if unknown:
        raise DataFileError(
            f"{source}: region codes {listed(unknown)} are neither countries (ISO2/ISO3) nor one of the "
            f"source's named regions ({', '.join(named) or 'none'}). Fix: restore the publisher's labels"
        )
    return out


def rename_regions(frame: pd.DataFrame, mapping: Mapping[str, str], *, axes: Sequence[int]) -> pd.DataFrame:
    """`frame` with the ``region`` level of its rows (axis 0) and/or columns (axis 1) renamed by `mapping`.

    The values are not copied (a full-size Z is 0.8 GB): the new frame wraps the same float array.
    """
    labels = [frame.index, frame.columns]
    for axis in axes:
        index = labels[axis]
        if not isinstance(index, pd.MultiIndex):
            raise ValidationError(f"rename_regions: axis {axis} is not a (region, ...) MultiIndex")
        level = index.names.index("region")
        labels[axis] = index.set_levels(
            [mapping.get(str(v), str(v)) for v in index.levels[level]], level=level
        )
    return pd.DataFrame(frame.to_numpy(dtype=float), index=labels[0], columns=labels[1], copy=False)


# --------------------------------------------------------------------------- stressors
def gwp100(gwp_set: GwpSet) -> dict[str, float]:
    """Gas -> GWP100 of `gwp_set` (``AR6`` or ``AR5``), from the shipped ``gwp100.csv``."""
    text = resources.files("mrio_tools").joinpath("data", GWP_FILE).read_text(encoding="utf-8")
    from io import StringIO

    table = pd.read_csv(StringIO(text))
    column = gwp_set.lower()
    return {str(g): float(v) for g, v in zip(table["gas"], table[column], strict=True)}


def gwp_source(gwp_set: GwpSet) -> str:
    """The citation of `gwp_set`'s factors (for the metadata)."""
    return (
        f"GWP100 of IPCC {gwp_set} (mrio_tools/data/{GWP_FILE}: AR6 WG1 Chapter 7 Table 7.SM.7; "
        "AR5 WG1 Chapter 8 Tables 8.7 and 8.A.1)"
    )


def standard_unit(unit: str) -> str:
    """A publisher's unit in `mrio_tools.units` spelling ('Gg' -> 'kt'); others unchanged."""
    text = str(unit).strip()
    head, _, rest = text.partition(" ")
    return f"{UNIT_ALIASES.get(head, head)}{' ' + rest if rest else ''}"


def combine_rows(
    F: pd.DataFrame,
    F_Y: pd.DataFrame,
    units: Mapping[str, str],
    definitions: Mapping[str, Mapping[str, float]],
    *,
    unit: Mapping[str, str],
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """New rows ``name = sum_row weight * row`` of F and F_Y, each row first converted to ``unit[name]``.

    `definitions` maps each new stressor to {row of F: weight} (weight 1 for a plain sum, the GWP100
    for a CO2e sum; a row already in CO2-eq has weight 1). Conversion uses the mass part of the units
    only ('kg CH4' -> 'kg CO2-eq' is the mass factor 1, then the weight). Unknown rows raise
    `ValidationError`; a row whose unit is not a mass raises `UnitError`.
    """
    F_rows, FY_rows, out_units = [], [], {}
    for name, weights in definitions.items():
        missing = [r for r in weights if r not in F.index]
        if missing or not weights:
            raise ValidationError(f"stressor {name!r}: rows {listed(missing)} are not in F (or none given)")
        target = unit[name]
        factors = pd.Series(
            {r: w * _mass_factor(name, r, units[r], target) for r, w in weights.items()}, dtype=float
        )
        F_rows.append(F.loc[list(weights)].mul(factors, axis=0).sum(axis=0).rename(name))
        FY_rows.append(F_Y.loc[list(weights)].mul(factors, axis=0).sum(axis=0).rename(name))
        out_units[name] = target
    F_new = pd.DataFrame(F_rows).rename_axis(index="stressor")
    FY_new = pd.DataFrame(FY_rows).rename_axis(index="stressor")
    return F_new, FY_new, out_units


def _mass_factor(name: str, row: str, unit: str, target: str) -> float:
    try:
        return conversion_factor(standard_unit(unit).split(" ")[0], target.split(" ")[0])
    except UnitError as err:
        raise UnitError(
            f"stressor {name!r}: row {row!r} is in {unit!r}, not a mass that converts to {target!r}. "
            "Fix: sum only rows of emissions in mass units"
        ) from err


# --------------------------------------------------------------------------- extension
def same_file_extension(
    read_year: Callable[[int], MRIO], years: Sequence[int], *, rest_of_world: Sequence[str]
) -> ExtensionParts:
    """`ExtensionParts` for a source whose emissions ship in each year's table file (EXIOBASE, Eora).

    docs/methods.md, "Years outside the tables": the table of a year is `read_year` without its
    stressor rows; the emissions of a year exist only with its own table, so `attach_emissions` of a
    real table returns that year as read, and a scaled table (a year without a table) is refused: the
    plan never asks for it, since the emission years are the table years.
    """
    from mrio_tools.sources.spec import ExtensionParts

    cached = functools.lru_cache(maxsize=1)(read_year)

    def read_table(year: int) -> MRIO:
        full = cached(year)
        empty = pd.DataFrame(index=pd.Index([], name="stressor"), columns=full.F.columns, dtype=float)
        empty_y = pd.DataFrame(index=pd.Index([], name="stressor"), columns=full.F_Y.columns, dtype=float)
        return dataclasses.replace(full, F=empty, F_Y=empty_y, stressor_units={})

    def attach(mrio: MRIO) -> MRIO:
        if "gdp_index" in mrio.notes or mrio.year not in years:
            raise ValidationError(
                f"{mrio.source}: emissions of {mrio.year} come only with that year's table file, so they "
                "cannot be attached to a scaled table. Fix: extend with scaled emissions instead"
            )
        return cached(mrio.year)

    return ExtensionParts(
        table_years=tuple(years),
        emission_years=tuple(years),
        read_table=read_table,
        attach_emissions=attach,
        rest_of_world=tuple(rest_of_world),
    )


# --------------------------------------------------------------------------- money
def read_exchange_rates(path: Path) -> pd.DataFrame:
    """The user's exchange-rate CSV (module docstring), checked; columns `RATE_COLUMNS`.

    Errors name the file and the line as an editor counts it (header = line 1).
    """
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as err:
        raise DataFileError(f"{path}: cannot read the exchange-rate CSV ({err})") from err
    missing = [c for c in RATE_COLUMNS if c not in table.columns]
    if missing:
        raise DataFileError(
            f"{path}, line 1: columns {listed(missing)} missing (header {list(table.columns)}). "
            "Fix: write the header 'year,currency,usd_per_unit,source'"
        )
    rows: list[dict[str, Any]] = []
    for i, row in enumerate(table.itertuples(index=False), start=2):
        rate = _number(str(row.usd_per_unit))
        if not str(row.year).isdigit() or len(str(row.year)) != 4:
            raise DataFileError(f"{path}, line {i}: year {row.year!r} is not four digits")
        if rate is None or rate <= 0:
            raise DataFileError(
                f"{path}, line {i}: usd_per_unit {row.usd_per_unit!r} is not a positive number. "
                "Fix: US dollars per one unit of the currency, e.g. 1.1195"
            )
        if not str(row.source).strip():
            raise DataFileError(f"{path}, line {i}: empty source. Fix: name where the rate comes from")
        rows.append(
            {
                "year": int(str(row.year)),
                "currency": str(row.currency).strip(),
                "usd_per_unit": rate,
                "source": str(row.source).strip(),
            }
        )
    out = pd.DataFrame(rows, columns=list(RATE_COLUMNS))
    dup = out[out.duplicated(["year", "currency"])]
    if len(dup):
        raise DataFileError(f"{path}: {dup.iloc[0]['currency']} {dup.iloc[0]['year']} is given twice")
    out.attrs["file"] = str(path)
    return out


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def to_usd(mrio: MRIO, rates: pd.DataFrame) -> MRIO:
    """`mrio` with Z, Y and value added in USD of the same scale ('M EUR' -> 'M USD'); emissions unchanged.

    The rate of the table's currency and year comes from `rates` (`read_exchange_rates`); a table
    already in USD is returned unchanged. Money-valued stressor rows (value added in F) are converted
    too. The rate and its source go into ``notes['currency_conversion']``.
    """
    scale, _, currency = mrio.monetary_unit.rpartition(" ")
    if currency == "USD":
        return mrio
    if scale not in MONEY_SCALE:
        raise UnitError(f"{mrio.source}: monetary unit {mrio.monetary_unit!r} has no known scale")
    hit = rates[(rates["currency"] == currency) & (rates["year"] == mrio.year)]
    if hit.empty:
        raise DataFileError(
            f"{rates.attrs.get('file', 'the exchange-rate table')}: no rate for {currency} in {mrio.year}. "
            f"Fix: add a line '{mrio.year},{currency},<USD per {currency}>,<source>'"
        )
    rate = float(hit["usd_per_unit"].iloc[0])
    new_unit = f"{scale} USD".strip()
    money_rows = [s for s, u in mrio.stressor_units.items() if u == mrio.monetary_unit]
    F, F_Y = mrio.F.copy(), mrio.F_Y.copy()
    if money_rows:
        F.loc[money_rows] *= rate
        F_Y.loc[money_rows] *= rate
    units = {s: (new_unit if s in money_rows else u) for s, u in mrio.stressor_units.items()}
    note = {
        "from": mrio.monetary_unit,
        "to": new_unit,
        "usd_per_unit": rate,
        "rate_source": str(hit["source"].iloc[0]),
        "rate_file": rates.attrs.get("file"),
        "what": "Z, Y, value added and money rows of F multiplied by the rate; emissions unchanged",
    }
    return dataclasses.replace(
        mrio,
        Z=mrio.Z * rate,
        Y=mrio.Y * rate,
        F=F,
        F_Y=F_Y,
        stressor_units=units,
        monetary_unit=new_unit,
        value_added=None if mrio.value_added is None else mrio.value_added * rate,
        notes={**dict(mrio.notes), "currency_conversion": note},
    )
