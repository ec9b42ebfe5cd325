"""Price deflators and export carbon intensity in current and constant prices.

docs/methods.md, "Export carbon intensity": trends need constant prices; report current- and constant-
price series side by side, as kg CO2 per USD and as an index (first year = 100); the decline
between years a and b is 1 - q_b / q_a. And "Years outside the tables (extension)": money in scaled tables is
at benchmark-year prices, never joined to current-price years without saying so.

Deflator layouts:
- FRED series GDPDEF (`read_fred_deflator`): columns `DATE` (first day of each quarter) and
  `GDPDEF` (index, 2012 = 100); a year's index is the mean of its four quarters; years with fewer
  than four quarters are kept out and asking for them is an error;
- a generic annual CSV (`read_deflator_csv`)::

      year,index,base_year
      2011,98.2,2012
      2012,100.0,2012

  `index` = price level of the year relative to `base_year` (= 100 there), one `base_year` for
  all rows; the currency the deflator applies to is an argument of the reader.

Deflating an intensity: money in constant prices of base year B is money_t / (P_t / P_B), so
q_const = q_current * P_t / P_B. Rows whose basis starts with `scaled_table` hold money at the
prices of their benchmark table year a: their constant-price value uses P_a, and their
undeflated value is labelled 'benchmark-year USD (a)', never 'current USD'.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from mrio_tools.errors import DataFileError, UnitError, ValidationError, listed
from mrio_tools.units import conversion_factor, parse_money

INTENSITY_ACCOUNTS: Final = ("EXPORT_INTENSITY_TOTAL", "EXPORT_INTENSITY_DOMESTIC")
TREND_COLUMNS: Final = (
    "year",
    "region",
    "account",
    "stressor",
    "measure",
    "prices",
    "deflator_year",
    "unit",
    "value",
    "basis",
)
SCALED_TABLE_PREFIX: Final = "scaled_table"
FRED_SOURCE: Final = (
    "US Bureau of Economic Analysis, GDP implicit price deflator (FRED series GDPDEF), quarterly, "
    "seasonally adjusted; annual = mean of the four quarters"
)


@dataclass(frozen=True)
class Deflator:
    """Annual price index (`index`: year -> value, `base_year` = 100) for money in `currency`."""

    index: pd.Series
    base_year: int
    currency: str
    source: str
    path: str
    incomplete_years: dict[int, int] = field(default_factory=dict)

    def at(self, year: int) -> float:
        """The index of `year`, or `ValidationError` saying why there is none."""
        if year in self.incomplete_years:
            raise ValidationError(
                f"{self.path}: {year} has {self.incomplete_years[year]} of 4 quarters, so no annual "
                "deflator; use a deflator file with the whole year or leave the year out"
            )
        if year not in self.index.index:
            raise ValidationError(
                f"{self.path}: no deflator for {year} (it covers {int(self.index.index.min())}-"
                f"{int(self.index.index.max())}); give a deflator that covers it"
            )
        return float(self.index[year])

    def rebased(self, base_year: int) -> Deflator:
        """The same deflator with `base_year` = 100."""
        level = self.at(base_year)
        return Deflator(
            self.index * 100.0 / level,
            base_year,
            self.currency,
            self.source,
            self.path,
            dict(self.incomplete_years),
        )


def read_fred_deflator(path: Path) -> Deflator:
    """Read the FRED GDPDEF CSV (a file, or a folder holding GDPDEF.csv); annual = mean of 4 quarters."""
    path = Path(path)
    if path.is_dir():
        path = path / "GDPDEF.csv"
    if not path.is_file():
        raise DataFileError(
            f"{path}: no such file; give FRED's GDPDEF.csv (columns DATE, GDPDEF) or its folder"
        )
    frame = pd.read_csv(path, dtype=str)
    if list(frame.columns[:2]) != ["DATE", "GDPDEF"]:
        raise DataFileError(f"{path}: columns {list(frame.columns)}; expected DATE, GDPDEF (the FRED layout)")
    dates = pd.to_datetime(frame["DATE"], format="%Y-%m-%d", errors="coerce")
    values = pd.to_numeric(frame["GDPDEF"], errors="coerce")
    bad = dates.isna() | values.isna() | ~(values > 0)
    if bad.any():
        raise DataFileError(
            f"{path}: lines {listed([i + 2 for i in frame.index[bad]])} have no date YYYY-MM-DD or no "
            "positive index"
        )
    if not dates.dt.month.isin([1, 4, 7, 10]).all() or not (dates.dt.day == 1).all():
        raise DataFileError(f"{path}: dates are not first days of quarters; expected quarterly FRED data")
    quarters = pd.DataFrame({"year": dates.dt.year, "quarter": dates.dt.quarter, "value": values})
    if quarters.duplicated(subset=["year", "quarter"]).any():
        raise DataFileError(f"{path}: a quarter appears twice")
    count = quarters.groupby("year")["quarter"].count()
    incomplete = {int(str(y)): int(n) for y, n in count.items() if n != 4}
    complete = quarters[~quarters["year"].isin(list(incomplete))]
    annual = complete.groupby("year")["value"].mean()
    annual.index = annual.index.astype(int)
    if 2012 not in annual.index:
        raise DataFileError(
            f"{path}: 2012, the base year of GDPDEF, has no four quarters; use the whole series"
        )
    # the annual mean of 2012 is 100 up to rounding of the quarters; rebasing makes it exact
    return Deflator(annual, 2012, "USD", FRED_SOURCE, str(path), incomplete).rebased(2012)


def read_deflator_csv(path: Path, *, currency: str, source: str) -> Deflator:
    """Read an annual deflator in the generic layout (`year, index, base_year`) for money in `currency`."""
    path = Path(path)
    layout = "expected columns year, index, base_year (index = 100 in base_year, one base_year for all rows)"
    if not path.is_file():
        raise DataFileError(f"{path}: no such deflator file; {layout}")
    frame = pd.read_csv(path).rename(columns=lambda c: str(c).strip())
    missing = [c for c in ("year", "index", "base_year") if c not in frame.columns]
    if missing:
        raise DataFileError(f"{path}: lacks the columns {missing} (found {list(frame.columns)}); {layout}")
    years = pd.to_numeric(frame["year"], errors="coerce")
    values = pd.to_numeric(frame["index"], errors="coerce")
    bad = years.isna() | (years != years.round()) | values.isna() | ~(values > 0)
    if bad.any():
        raise DataFileError(
            f"{path}: lines {listed([i + 2 for i in frame.index[bad]])} need a whole year and a "
            "positive index"
        )
    bases = frame["base_year"].dropna().unique()
    if len(bases) != 1:
        raise DataFileError(f"{path}: base_year must be one year for all rows, found {list(bases)}")
    if years.duplicated().any():
        raise DataFileError(
            f"{path}: years {listed(sorted(set(years[years.duplicated()].astype(int))))} appear twice"
        )
    index = pd.Series(values.to_numpy(dtype=float), index=years.astype(int).to_numpy())
    return Deflator(index.sort_index(), int(bases[0]), currency, source, str(path))


def _mass_and_currency(unit: str) -> tuple[str, str]:
    """('kt', 'USD') of an intensity unit 'kt/M USD'; `UnitError` if it is no mass per money."""
    parts = unit.split("/")
    money = parse_money(parts[1]) if len(parts) == 2 else None
    if money is None:
        raise UnitError(f"export intensity unit {unit!r} is not 'mass/money' (e.g. 'kt/M USD')")
    return parts[0].strip(), money[1]


def export_intensity_trends(
    accounts: pd.DataFrame,
    *,
    deflator: Deflator,
    constant_price_year: int,
    benchmark_years: Mapping[int, int],
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Export intensities in kg per currency unit, current and constant prices, values and indices.

    From the EXPORT_INTENSITY_* rows of a series table (e.g. 'kt/M USD'). For each row:
    - measure 'intensity', prices 'current USD' (or 'benchmark-year USD (a)' for rows whose basis
      starts with 'scaled_table': their money is at the prices of benchmark year a =
      `benchmark_years[year]`), unit 'kg/USD';
    - measure 'intensity', prices 'constant B USD' (B = `constant_price_year`):
      q * P_d / P_B with d = year (current-price rows) or a (scaled rows), kept in `deflator_year`;
    - measure 'index', the same two series as 100 * q_t / q_base, base = the first year of the
      series (region, account, stressor, prices) with a finite, non-zero value (`index_base_year`);
      unit 'index (YYYY = 100)'.
    The deflator's currency must be the money of the intensities (convert other currencies first).
    """
    rows = accounts[accounts["account"].isin(INTENSITY_ACCOUNTS)].copy()
    if rows.empty:
        raise ValidationError(
            f"no {' or '.join(INTENSITY_ACCOUNTS)} rows in the accounts; nothing to deflate"
        )
    base = deflator.rebased(constant_price_year)
    scaled = rows["basis"].astype(str).str.startswith(SCALED_TABLE_PREFIX)
    no_benchmark = sorted({int(y) for y in rows.loc[scaled, "year"] if int(y) not in benchmark_years})
    if no_benchmark:
        raise ValidationError(
            f"years {listed(no_benchmark)} come from scaled tables but benchmark_years names no benchmark "
            "table year for them; pass the extension's benchmark year of every extended year"
        )
    factors: dict[str, float] = {}
    out_units: dict[str, str] = {}
    for unit in rows["unit"].unique():
        mass, currency = _mass_and_currency(unit)
        if currency != deflator.currency:
            raise UnitError(
                f"export intensity in {unit!r} but the deflator ({deflator.path}) is for "
                f"{deflator.currency}; "
                "convert the table's currency at each year's exchange rate first"
            )
        substance = mass.split(maxsplit=1)[1] if len(mass.split(maxsplit=1)) > 1 else ""
        target = f"kg {substance}".strip() + f"/{currency}"
        factors[unit] = conversion_factor(unit, target)
        out_units[unit] = target
    rows["deflator_year"] = [
        benchmark_years[int(y)] if s else int(y) for y, s in zip(rows["year"], scaled, strict=True)
    ]
    rows["value"] = rows["value"] * rows["unit"].map(factors)
    rows["unit"] = rows["unit"].map(out_units)
    current = rows.assign(
        measure="intensity",
        prices=[
            f"benchmark-year {deflator.currency} ({d})" if s else f"current {deflator.currency}"
            for d, s in zip(rows["deflator_year"], scaled, strict=True)
        ],
    )
    current["deflator_year"] = pd.array([pd.NA] * len(current), dtype="Int64")
    levels = rows["deflator_year"].map(base.at)
    constant = rows.assign(
        measure="intensity",
        prices=f"constant {constant_price_year} {deflator.currency}",
        value=rows["value"] * levels / 100.0,
    )
    constant["deflator_year"] = constant["deflator_year"].astype("Int64")
    intensity = pd.concat([current, constant], ignore_index=True)
    index = _as_index(intensity)
    out = pd.concat([intensity, index], ignore_index=True)
    out["year"] = out["year"].astype(int)
    out = out.sort_values(["account", "region", "measure", "prices", "year"], kind="stable")
    metadata = {
        "deflator_source": base.source,
        "deflator_path": base.path,
        "deflator_currency": base.currency,
        "constant_price_year": constant_price_year,
        "rule": "q_constant = q_current * P_t / P_base (money deflated by the price index)",
        "one_deflator": f"one {base.currency} GDP deflator for all exporters "
        "(docs/methods.md, Export carbon intensity)",
        "scaled_tables": "rows with basis scaled_table* are at benchmark-year prices: labelled "
        "'benchmark-year ... (a)' and deflated with P_a, not P_t",
        "benchmark_years": {int(y): int(a) for y, a in sorted(benchmark_years.items())},
        "index": "100 * q_t / q_base, base = first year with a finite, non-zero value of each "
        "(region, account, stressor, prices) series",
    }
    return out[list(TREND_COLUMNS)].reset_index(drop=True), metadata


def index_base_year(values: pd.Series) -> int | None:
    """The year an index sets to 100: the first year of `values` (index: year) with a finite, non-zero value.

    docs/methods.md, "Export carbon intensity": a year with a zero or missing value cannot be the
    base (every index would be infinite or missing), so the base is the first year that can be one,
    and the index's unit names it. None when no year qualifies.
    """
    ordered = values.sort_index()
    valid = ordered[np.isfinite(ordered.to_numpy(dtype=float)) & (ordered.to_numpy(dtype=float) != 0)]
    return None if valid.empty else int(valid.index[0])


def as_index(values: pd.Series) -> pd.Series:
    """`values` (index: year) as 100 * v_t / v_base, base = `index_base_year` (all NaN if there is none)."""
    ordered = values.sort_index()
    base = index_base_year(ordered)
    if base is None:
        return ordered * np.nan
    return ordered / float(ordered[base]) * 100.0


def index_unit(base: int | None) -> str:
    """The unit of an index with base year `base` ('index (2000 = 100)')."""
    return "index (no finite non-zero year)" if base is None else f"index ({base} = 100)"


def _as_index(intensity: pd.DataFrame) -> pd.DataFrame:
    """Index rows of intensity rows: each (region, account, stressor, prices) series by `as_index`."""
    keys = ["region", "account", "stressor", "prices"]
    ordered = intensity.sort_values([*keys, "year"], kind="stable")
    value = pd.Series(np.nan, index=ordered.index)
    unit = pd.Series("", index=ordered.index, dtype=object)
    for _, group in ordered.groupby(keys, sort=False):
        by_year = pd.Series(group["value"].to_numpy(dtype=float), index=group["year"].to_numpy())
        value[group.index] = as_index(by_year).to_numpy()
        unit[group.index] = index_unit(index_base_year(by_year))
    return ordered.assign(measure="index", value=value, unit=unit)


def intensity_decline(
    trends: pd.DataFrame,
    *,
    region: str,
    account: str,
    stressor: str,
    prices: str,
    from_year: int,
    to_year: int,
) -> float:
    """1 - q_b / q_a of one intensity series of `export_intensity_trends` (a = from_year, b = to_year).

    docs/methods.md, "Export carbon intensity". A fraction (0.8 = 80 % lower in b than in a).

    Parameters
    ----------
    trends
        The output of `export_intensity_trends`.
    region, account, stressor, prices
        Which series: exporter, intensity account (`INTENSITY_ACCOUNTS`), stressor and price series
        (e.g. 'constant 2012 USD').
    from_year, to_year
        a and b; both must be in the series (`ValidationError` otherwise).
    """
    rows = trends[
        (trends["region"] == region)
        & (trends["account"] == account)
        & (trends["stressor"] == stressor)
        & (trends["prices"] == prices)
        & (trends["measure"] == "intensity")
    ].set_index("year")["value"]
    absent = [y for y in (from_year, to_year) if y not in rows.index]
    if absent:
        raise ValidationError(
            f"no {account} of {region} ({stressor}, {prices}) in {listed(absent)}; it has "
            f"{listed(sorted(int(y) for y in rows.index))}"
        )
    return 1.0 - float(rows[to_year]) / float(rows[from_year])
