"""Tests of deflators (annual means by hand) and export intensity in current and constant prices."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mrio_tools.context.prices import (
    TREND_COLUMNS,
    Deflator,
    as_index,
    export_intensity_trends,
    index_base_year,
    index_unit,
    intensity_decline,
    read_deflator_csv,
    read_fred_deflator,
)
from mrio_tools.errors import DataFileError, UnitError, ValidationError

FRED = """DATE,GDPDEF
2010-01-01,95.0
2010-04-01,95.5
2010-07-01,96.5
2010-10-01,97.0
2011-01-01,97.0
2011-04-01,98.0
2011-07-01,98.5
2011-10-01,98.5
2012-01-01,99.0
2012-04-01,99.5
2012-07-01,100.5
2012-10-01,101.0
2013-01-01,101.5
2013-04-01,102.0
"""


def _fred(tmp_path: Path) -> Deflator:
    path = tmp_path / "GDPDEF.csv"
    path.write_text(FRED, encoding="utf-8")
    return read_fred_deflator(path)


def test_annual_mean_of_four_quarters(tmp_path: Path) -> None:
    deflator = _fred(tmp_path)
    # 2012: (99 + 99.5 + 100.5 + 101) / 4 = 100; 2010: 384 / 4 = 96; 2011: 392 / 4 = 98
    assert deflator.at(2012) == pytest.approx(100.0)
    assert deflator.at(2010) == pytest.approx(96.0)
    assert deflator.at(2011) == pytest.approx(98.0)
    assert deflator.base_year == 2012 and deflator.currency == "USD"


def test_incomplete_year_is_refused(tmp_path: Path) -> None:
    deflator = _fred(tmp_path)
    with pytest.raises(ValidationError, match="2013 has 2 of 4 quarters"):
        deflator.at(2013)
    with pytest.raises(ValidationError, match="no deflator for 2009"):
        deflator.at(2009)


def test_real_gdpdef(shared_data: Path) -> None:
    deflator = read_fred_deflator(shared_data / "us_gdp_deflator")
    quarters_2012 = (99.313 + 99.713 + 100.230 + 100.738) / 4
    quarters_2011 = (97.346 + 97.989 + 98.595 + 98.714) / 4
    quarters_1995 = (71.300 + 71.642 + 71.995 + 72.342) / 4
    assert deflator.at(2012) == pytest.approx(100.0)
    assert deflator.at(2011) == pytest.approx(100.0 * quarters_2011 / quarters_2012)
    assert deflator.at(1995) == pytest.approx(100.0 * quarters_1995 / quarters_2012)
    assert deflator.incomplete_years == {2021: 2}


def test_fred_layout_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("date,value\n2010-01-01,1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="DATE, GDPDEF"):
        read_fred_deflator(path)
    path.write_text("DATE,GDPDEF\n2010-02-01,1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="quarters"):
        read_fred_deflator(path)


def test_generic_deflator_and_rebasing(tmp_path: Path) -> None:
    path = tmp_path / "deflator.csv"
    path.write_text("year,index,base_year\n2010,100,2010\n2011,104,2010\n2012,110,2010\n", encoding="utf-8")
    deflator = read_deflator_csv(path, currency="USD", source="own")
    assert deflator.at(2011) == 104.0
    rebased = deflator.rebased(2012)
    assert rebased.at(2010) == pytest.approx(100.0 / 1.10)
    assert rebased.at(2012) == pytest.approx(100.0)


def _accounts(rows: list[tuple[int, str, float, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(y, r, "EXPORT_INTENSITY_TOTAL", "CO2", u, v, b) for y, r, v, u, b in rows],
        columns=["year", "region", "account", "stressor", "unit", "value", "basis"],
    )


def _value(table: pd.DataFrame, year: int, measure: str, prices: str) -> float:
    hit = table[(table["year"] == year) & (table["measure"] == measure) & (table["prices"] == prices)]
    assert len(hit) == 1, hit
    return float(hit["value"].iloc[0])


def test_constant_price_intensity_by_hand(tmp_path: Path) -> None:
    deflator = _fred(tmp_path)  # 2010: 96, 2011: 98, 2012: 100
    accounts = _accounts([(2010, "CHN", 2.0, "kt/M USD", "table"), (2011, "CHN", 1.5, "kt/M USD", "table")])
    table, meta = export_intensity_trends(
        accounts, deflator=deflator, constant_price_year=2012, benchmark_years={}
    )
    assert tuple(table.columns) == TREND_COLUMNS
    # 2 kt per M USD = 2e6 kg per 1e6 USD = 2 kg/USD
    assert _value(table, 2010, "intensity", "current USD") == pytest.approx(2.0)
    assert set(table.loc[table["measure"] == "intensity", "unit"]) == {"kg/USD"}
    # constant 2012 USD: money / (P_t / 100), so q * P_t / 100
    assert _value(table, 2010, "intensity", "constant 2012 USD") == pytest.approx(2.0 * 0.96)
    assert _value(table, 2011, "intensity", "constant 2012 USD") == pytest.approx(1.5 * 0.98)
    assert _value(table, 2011, "index", "current USD") == pytest.approx(75.0)
    assert _value(table, 2011, "index", "constant 2012 USD") == pytest.approx(100 * 1.47 / 1.92)
    assert set(table.loc[table["measure"] == "index", "unit"]) == {"index (2010 = 100)"}
    decline = intensity_decline(
        table,
        region="CHN",
        account="EXPORT_INTENSITY_TOTAL",
        stressor="CO2",
        prices="constant 2012 USD",
        from_year=2010,
        to_year=2011,
    )
    assert decline == pytest.approx(1 - 1.47 / 1.92)
    assert "one USD GDP deflator for all exporters" in meta["one_deflator"]
    assert meta["constant_price_year"] == 2012


def test_scaled_table_years_are_at_benchmark_prices(tmp_path: Path) -> None:
    deflator = _fred(tmp_path)
    accounts = _accounts(
        [
            (2010, "CHN", 2.0, "kt/M USD", "scaled_table+emissions"),
            (2011, "CHN", 1.5, "kt/M USD", "table"),
            (2012, "CHN", 1.2, "kt/M USD", "scaled_table+scaled_emissions"),
        ]
    )
    table, meta = export_intensity_trends(
        accounts, deflator=deflator, constant_price_year=2012, benchmark_years={2010: 2011, 2012: 2011}
    )
    # never labelled current: the money of a scaled table is at its benchmark year's prices
    assert _value(table, 2010, "intensity", "benchmark-year USD (2011)") == pytest.approx(2.0)
    assert _value(table, 2011, "intensity", "current USD") == pytest.approx(1.5)
    assert _value(table, 2012, "intensity", "benchmark-year USD (2011)") == pytest.approx(1.2)
    # constant prices deflate with the benchmark year's index (98), not the year's own
    assert _value(table, 2010, "intensity", "constant 2012 USD") == pytest.approx(2.0 * 0.98)
    assert _value(table, 2012, "intensity", "constant 2012 USD") == pytest.approx(1.2 * 0.98)
    constant = table[(table["measure"] == "intensity") & (table["prices"] == "constant 2012 USD")]
    assert list(constant["deflator_year"]) == [2011, 2011, 2011]
    assert list(constant["basis"]) == ["scaled_table+emissions", "table", "scaled_table+scaled_emissions"]
    assert meta["benchmark_years"] == {2010: 2011, 2012: 2011}


def test_scaled_years_need_their_benchmark(tmp_path: Path) -> None:
    accounts = _accounts([(2010, "CHN", 2.0, "kt/M USD", "scaled_table+emissions")])
    with pytest.raises(ValidationError, match="benchmark"):
        export_intensity_trends(
            accounts, deflator=_fred(tmp_path), constant_price_year=2012, benchmark_years={}
        )


def test_other_currency_is_refused(tmp_path: Path) -> None:
    accounts = _accounts([(2010, "AUT", 2.0, "kt/M EUR", "table")])
    with pytest.raises(UnitError, match="exchange rate"):
        export_intensity_trends(
            accounts, deflator=_fred(tmp_path), constant_price_year=2012, benchmark_years={}
        )


def test_index_base_is_the_first_finite_non_zero_year(tmp_path: Path) -> None:
    """One index rule (context.prices.as_index), used by the trends and the report."""
    values = pd.Series([0.0, float("nan"), 4.0, 2.0], index=[2003, 2000, 2001, 2002])
    # sorted by year: 2000 NaN, 2001 4.0, 2002 2.0, 2003 0.0 -> base 2001 (4.0)
    assert index_base_year(values) == 2001
    assert as_index(values).loc[[2001, 2002, 2003]].tolist() == pytest.approx([100.0, 50.0, 0.0])
    assert index_unit(2001) == "index (2001 = 100)"
    assert index_base_year(pd.Series([0.0, float("nan")], index=[2000, 2001])) is None
    assert as_index(pd.Series([0.0], index=[2000])).isna().all()
    # in the trends: a zero first year (2010) does not make every index infinite
    accounts = _accounts([(2010, "CHN", 0.0, "kt/M USD", "table"), (2011, "CHN", 1.5, "kt/M USD", "table")])
    table, _ = export_intensity_trends(
        accounts, deflator=_fred(tmp_path), constant_price_year=2012, benchmark_years={}
    )
    assert _value(table, 2011, "index", "current USD") == pytest.approx(100.0)
    assert set(table.loc[table["measure"] == "index", "unit"]) == {"index (2011 = 100)"}


def test_intensity_unit_must_be_mass_per_money(tmp_path: Path) -> None:
    accounts = _accounts([(2010, "CHN", 2.0, "kt/capita", "table")])
    with pytest.raises(UnitError, match="not 'mass/money'"):
        export_intensity_trends(
            accounts, deflator=_fred(tmp_path), constant_price_year=2012, benchmark_years={}
        )
