"""The inventory check: PBA beside territorial inventories, their ratio and year-on-year breaks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mrio_tools.context.inventory import (
    BREAK_THRESHOLD_PP,
    INVENTORY_ACCOUNTS,
    inventory_check,
    inventory_metadata,
)
from mrio_tools.context.national import read_owid_co2
from mrio_tools.schema import ACCOUNT_COLUMNS
from mrio_tools.sources.wiod_env import read_jrc_co2

DATA_RAW = Path(__file__).resolve().parents[2] / "data_raw"


def _series(pba: dict[str, list[float]], years: list[int]) -> pd.DataFrame:
    rows = [
        {
            "year": year,
            "region": region,
            "account": "PBA",
            "stressor": "CO2",
            "unit": "Mt",
            "value": value,
            "basis": "table",
        }
        for region, values in pba.items()
        for year, value in zip(years, values, strict=True)
    ]
    return pd.DataFrame(rows)


def _value(table: pd.DataFrame, region: str, year: int, account: str) -> float:
    rows = table[(table["region"] == region) & (table["year"] == year) & (table["account"] == account)]
    assert len(rows) == 1, (region, year, account)
    return float(rows["value"].iloc[0])


def test_a_series_without_a_break_is_not_flagged() -> None:
    # PBA grows 10 % a year, the inventory (in Gt, half of PBA) too: ratio 2, no flag
    years = [2000, 2001, 2002]
    accounts = _series({"AAA": [100.0, 110.0, 121.0]}, years)
    inventory = pd.DataFrame([[0.05, 0.055, 0.0605]], index=["AAA"], columns=years)
    table = inventory_check(
        accounts, inventory=inventory, inventory_unit="Gt", principle="residence", threshold_pp=10.0
    )
    assert list(table.columns) == [*ACCOUNT_COLUMNS, "basis", "principle"]
    assert set(table["account"]) == set(INVENTORY_ACCOUNTS)
    assert _value(table, "AAA", 2001, "INVENTORY") == pytest.approx(55.0)
    assert _value(table, "AAA", 2002, "PBA_TO_INVENTORY") == pytest.approx(2.0)
    assert _value(table, "AAA", 2002, "SOURCE_GROWTH") == pytest.approx(10.0)
    assert _value(table, "AAA", 2002, "INVENTORY_GROWTH") == pytest.approx(10.0)
    flags = table[table["account"] == "BREAK_FLAG"]
    assert flags["value"].tolist() == [0.0, 0.0] and set(flags["unit"]) == {"flag"}
    assert set(flags["year"]) == {2001, 2002}  # no growth in the first year
    units = table.drop_duplicates("account").set_index("account")["unit"].to_dict()
    assert units == {
        "PBA": "Mt",
        "INVENTORY": "Mt",
        "PBA_TO_INVENTORY": "1",
        "SOURCE_GROWTH": "%",
        "INVENTORY_GROWTH": "%",
        "BREAK_FLAG": "flag",
    }
    principles = table.drop_duplicates("account").set_index("account")["principle"].to_dict()
    assert principles["INVENTORY"] == "territorial" and principles["PBA"] == "residence"
    assert principles["BREAK_FLAG"] == "residence vs territorial"


def test_a_break_the_inventory_does_not_show_is_flagged() -> None:
    # BBB: 100 -> 110 (+10 %) -> 88 (-20 %) while its inventory stays at 50 -> 55 (+10 %) -> 55 (0 %):
    # differences 0 and 20 pp; CCC: -9 % against 0 %, 9 pp, below the 10 pp threshold
    years = [2000, 2001, 2002]
    accounts = _series({"BBB": [100.0, 110.0, 88.0], "CCC": [100.0, 100.0, 91.0]}, years)
    inventory = pd.DataFrame([[50.0, 55.0, 55.0], [80.0, 80.0, 80.0]], index=["BBB", "CCC"], columns=years)
    table = inventory_check(
        accounts, inventory=inventory, inventory_unit="Mt", principle="residence", threshold_pp=10.0
    )
    assert _value(table, "BBB", 2002, "SOURCE_GROWTH") == pytest.approx(-20.0)
    assert _value(table, "BBB", 2002, "INVENTORY_GROWTH") == pytest.approx(0.0)
    assert _value(table, "BBB", 2001, "BREAK_FLAG") == 0.0
    assert _value(table, "BBB", 2002, "BREAK_FLAG") == 1.0
    assert _value(table, "CCC", 2002, "BREAK_FLAG") == 0.0
    meta = inventory_metadata(table, inventory_meta={}, principle="residence", threshold_pp=10.0)
    assert meta["breaks"] == ["BBB 2001-2002"]


def test_growth_only_between_consecutive_years() -> None:
    accounts = _series({"AAA": [100.0, 50.0]}, [2000, 2005])
    inventory = pd.DataFrame([[100.0, 100.0]], index=["AAA"], columns=[2000, 2005])
    table = inventory_check(
        accounts, inventory=inventory, inventory_unit="Mt", principle="residence", threshold_pp=10.0
    )
    assert not table["account"].isin(["SOURCE_GROWTH", "INVENTORY_GROWTH", "BREAK_FLAG"]).any()


def test_the_jrc_china_2015_break_is_flagged_on_the_shipped_data() -> None:
    # China's PBA in the JRC workbook (sectors + FC_HH): 10.53 Gt (2014) -> 8.99 Gt (2015), -14.6 %;
    # the Global Carbon Budget (OWID): 9976.0 -> 9858.0 Mt, -1.2 %: a 13.4 pp difference > 10 pp
    jrc = read_jrc_co2(DATA_RAW / "jrc_co2" / "CO2 emissions.xlsx")
    china = jrc[(jrc["country"] == "CHN") & jrc["year"].isin([2013, 2014, 2015])]
    totals = china.groupby("year")["value"].sum() / 1000.0  # kt -> Mt
    assert totals[2014] == pytest.approx(10530, rel=1e-3) and totals[2015] == pytest.approx(8990, rel=1e-3)
    accounts = _series({"CHN": [float(totals[y]) for y in (2013, 2014, 2015)]}, [2013, 2014, 2015])
    owid = read_owid_co2(DATA_RAW / "owid_co2")
    inventory = owid.countries.loc["CHN", "co2"].loc[[2013, 2014, 2015]].to_frame("CHN").T
    assert float(inventory.loc["CHN", 2014]) == pytest.approx(9976.027)
    table = inventory_check(
        accounts,
        inventory=inventory,
        inventory_unit="Mt",
        principle="residence",
        threshold_pp=BREAK_THRESHOLD_PP,
    )
    assert _value(table, "CHN", 2015, "BREAK_FLAG") == 1.0
    assert _value(table, "CHN", 2014, "BREAK_FLAG") == 0.0
    assert _value(table, "CHN", 2015, "SOURCE_GROWTH") == pytest.approx(-14.6, abs=0.1)
    assert _value(table, "CHN", 2015, "INVENTORY_GROWTH") == pytest.approx(-1.18, abs=0.01)
