"""Tests of country groups, group accounts (sums by hand, partition identity) and per-capita accounts."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd
import pytest

from mrio_tools.accounts.per_capita import per_capita_unit
from mrio_tools.context.group_accounts import GROUP_COLUMNS, check_partition_identity, group_accounts
from mrio_tools.context.groups import (
    Grouping,
    eu27_grouping,
    g20_grouping,
    major_economies_grouping,
    oecd_grouping,
    read_groups_csv,
)
from mrio_tools.context.per_capita import per_capita_accounts
from mrio_tools.errors import DataFileError, UnitError, ValidationError

# PBA, CBA (kt) per region and year; world PBA = world CBA in each year (280 in 1993, 305 in 1994)
PBA_CBA = {
    1993: {
        "USA": (100.0, 120.0),
        "DEU": (50.0, 60.0),
        "MEX": (20.0, 18.0),
        "CHN": (80.0, 60.0),
        "RoW": (30.0, 22.0),
    },
    1994: {
        "USA": (110.0, 130.0),
        "DEU": (52.0, 61.0),
        "MEX": (22.0, 21.0),
        "CHN": (90.0, 66.0),
        "RoW": (31.0, 27.0),
    },
}
EXPORTS = {"USA": 1000.0, "DEU": 800.0, "MEX": 200.0, "CHN": 900.0, "RoW": 500.0}  # M USD
INTENSITY = {"USA": 0.2, "DEU": 0.1, "MEX": 0.3, "CHN": 0.5, "RoW": 0.4}  # kt/M USD
POPULATION = {"USA": 250e6, "DEU": 80e6, "MEX": 90e6, "CHN": 1.2e9, "RoW": 3.0e9}
REST = ["RoW"]


def made_accounts(basis: str = "table") -> pd.DataFrame:
    """A series table whose sums are easy by hand (EEI = 10 everywhere, EEE = NET_TRANSFER + 10)."""
    rows = []
    for year, regions in PBA_CBA.items():
        for region, (pba, cba) in regions.items():
            for account, unit, value in (
                ("PBA", "kt", pba),
                ("CBA", "kt", cba),
                ("NET_TRANSFER", "kt", pba - cba),
                ("EEI", "kt", 10.0),
                ("EEE", "kt", pba - cba + 10.0),
                ("HOUSEHOLD_DIRECT", "kt", 5.0),
                ("EXPORT_INTENSITY_TOTAL", "kt/M USD", INTENSITY[region]),
            ):
                rows.append((year, region, account, "CO2", unit, value, basis))
            rows.append((year, region, "GROSS_EXPORTS", "monetary", "M USD", EXPORTS[region], basis))
    return pd.DataFrame(rows, columns=["year", "region", "account", "stressor", "unit", "value", "basis"])


def _value(table: pd.DataFrame, grouping: str, year: int, region: str, account: str) -> float:
    hit = table[
        (table["grouping"] == grouping)
        & (table["year"] == year)
        & (table["region"] == region)
        & (table["account"] == account)
    ]
    assert len(hit) == 1, (grouping, year, region, account, hit)
    return float(hit["value"].iloc[0])


def _custom(tmp_path: Path) -> Grouping:
    path = tmp_path / "groups.csv"
    path.write_text("group,region\nA,USA\nA,DEU\nB,CHN\n", encoding="utf-8")
    return read_groups_csv(path, name="custom", other="rest")


def all_groupings(tmp_path: Path) -> list[Grouping]:
    return [
        oecd_grouping(membership="in_year"),
        oecd_grouping(membership="current"),
        eu27_grouping(),
        g20_grouping(),
        major_economies_grouping(),
        _custom(tmp_path),
    ]


def test_oecd_membership_by_accession_year() -> None:
    by_year = oecd_grouping(membership="in_year")
    # accession years published by the OECD: Mexico 1994, Chile 2010, Lithuania 2018, Colombia 2020
    assert "MEX" not in by_year.members("OECD", 1993)
    assert "MEX" in by_year.members("OECD", 1994)
    assert "CHL" not in by_year.members("OECD", 2009)
    assert "CHL" in by_year.members("OECD", 2010)
    assert "LTU" in by_year.members("OECD", 2018)
    assert "COL" not in by_year.members("OECD", 2019)
    assert len(by_year.members("OECD", 1990)) == 24
    current = oecd_grouping(membership="current")
    assert len(current.members("OECD", 1990)) == 38
    assert "CRI" in current.members("OECD", 1990)


def test_eu27_and_g20_and_major_lists() -> None:
    eu = eu27_grouping().members("EU27", 1995)
    assert len(eu) == 27 and "HRV" in eu and "GBR" not in eu
    g20 = g20_grouping().members("G20", 2000)
    assert {"ARG", "SAU", "ZAF", "USA", "CHN", "GBR"} <= g20
    major = major_economies_grouping()
    assert major.members("major developed", 1990) == {
        "AUS",
        "CAN",
        "DEU",
        "FRA",
        "GBR",
        "ITA",
        "JPN",
        "KOR",
        "USA",
    }
    assert "CHN" in major.members("major developing", 1990)


def test_group_sums_by_hand() -> None:
    table, meta = group_accounts(
        made_accounts(),
        groupings=[oecd_grouping(membership="in_year")],
        rest_of_world=REST,
        rest_of_world_group="other",
    )
    assert tuple(table.columns) == GROUP_COLUMNS
    g = "oecd_in_year"
    assert _value(table, g, 1993, "OECD", "PBA") == 150.0  # USA + DEU (MEX joins in 1994)
    assert _value(table, g, 1993, "OECD", "NET_TRANSFER") == -30.0
    assert _value(table, g, 1993, "non-OECD", "PBA") == 130.0  # MEX + CHN + RoW
    assert _value(table, g, 1994, "OECD", "PBA") == 184.0  # USA + DEU + MEX
    assert _value(table, g, 1994, "non-OECD", "CBA") == 93.0  # CHN + RoW
    assert _value(table, g, 1993, "OECD", "GROSS_EXPORTS") == 1800.0
    # intensity from sums: (0.2 * 1000 + 0.1 * 800) / 1800
    assert _value(table, g, 1993, "OECD", "EXPORT_INTENSITY_TOTAL") == pytest.approx(280.0 / 1800.0)
    assert set(table["basis"]) == {"table"}
    info = meta["groupings"][g]
    assert info["rest_of_world_in"] == {"RoW": "non-OECD"}
    assert "CHE" in info["members_not_in_table"]["OECD"]  # WIOD-like: CHE is held in RoW
    assert "members in each year" in info["membership_basis"]


def test_rest_of_world_as_its_own_group() -> None:
    table, _ = group_accounts(
        made_accounts(), groupings=[major_economies_grouping()], rest_of_world=REST, rest_of_world_group="own"
    )
    g = "major_economies"
    assert _value(table, g, 1993, "major developed", "PBA") == 150.0
    assert _value(table, g, 1993, "major developing", "PBA") == 100.0  # MEX + CHN
    assert _value(table, g, 1993, "RoW", "PBA") == 30.0
    assert "other economies" not in set(table["region"])  # no table region is left for it


@pytest.mark.parametrize("placement", ["other", "own"])
def test_partition_identity_for_every_grouping_and_year(
    tmp_path: Path, placement: Literal["other", "own"]
) -> None:
    accounts = made_accounts()
    groupings = all_groupings(tmp_path)
    table, _ = group_accounts(
        accounts, groupings=groupings, rest_of_world=REST, rest_of_world_group=placement
    )  # type: ignore[arg-type]
    world = {year: sum(p for p, _ in regions.values()) for year, regions in PBA_CBA.items()}
    for grouping in groupings:
        for year in PBA_CBA:
            rows = table[(table["grouping"] == grouping.name) & (table["year"] == year)]
            gaps = rows.loc[rows["account"] == "NET_TRANSFER", "value"]
            assert gaps.sum() == pytest.approx(0.0, abs=1e-9), (grouping.name, year)
            pba = rows.loc[rows["account"] == "PBA", "value"].sum()
            assert pba == pytest.approx(world[year]), (grouping.name, year)
            gap = rows.set_index(["region", "account"])["value"]
            for group in rows["region"].unique():
                assert gap[(group, "PBA")] - gap[(group, "CBA")] == pytest.approx(
                    gap[(group, "NET_TRANSFER")]
                )


def test_broken_partition_is_caught() -> None:
    accounts = made_accounts()
    table, _ = group_accounts(
        accounts, groupings=[eu27_grouping()], rest_of_world=REST, rest_of_world_group="other"
    )
    broken = table[~((table["region"] == "non-EU27") & (table["year"] == 1994))]
    with pytest.raises(ValidationError, match=r"eu27.*1994"):
        check_partition_identity(accounts, broken, grouping="eu27")


def test_custom_groups(tmp_path: Path) -> None:
    table, _ = group_accounts(
        made_accounts(), groupings=[_custom(tmp_path)], rest_of_world=REST, rest_of_world_group="other"
    )
    assert _value(table, "custom", 1994, "A", "CBA") == 191.0
    assert _value(table, "custom", 1994, "rest", "PBA") == 53.0  # MEX + RoW


def test_custom_groups_file_errors(tmp_path: Path) -> None:
    twice = tmp_path / "twice.csv"
    twice.write_text("group,region\nA,USA\nB,USA\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="USA"):
        read_groups_csv(twice, name="x", other="rest")
    columns = tmp_path / "columns.csv"
    columns.write_text("name,code\nA,USA\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="group, region"):
        read_groups_csv(columns, name="x", other="rest")


def test_rest_of_world_listed_as_member_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text("group,region\nA,RoW\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="rest-of-world"):
        group_accounts(
            made_accounts(),
            groupings=[read_groups_csv(path, name="x", other="rest")],
            rest_of_world=REST,
            rest_of_world_group="other",
        )


def test_mixed_units_are_refused() -> None:
    accounts = made_accounts()
    accounts.loc[(accounts["region"] == "DEU") & (accounts["account"] == "PBA"), "unit"] = "Mt"
    with pytest.raises(UnitError, match="PBA"):
        group_accounts(accounts, groupings=[eu27_grouping()], rest_of_world=REST, rest_of_world_group="other")


def test_per_capita_units_by_hand() -> None:
    assert per_capita_unit("kt", mass_unit="t") == ("t/capita", 1000.0)
    assert per_capita_unit("Mt", mass_unit="t") == ("t/capita", 1e6)
    assert per_capita_unit("kt CO2", mass_unit="t") == ("t CO2/capita", 1000.0)
    assert per_capita_unit("TJ", mass_unit="t") == ("TJ/capita", 1.0)
    # the national accounts keep the stressor's unit: kg per person stays kg per person
    assert per_capita_unit("kg", mass_unit=None) == ("kg/capita", 1.0)
    assert per_capita_unit("kt CO2", mass_unit=None) == ("kt CO2/capita", 1.0)
    # 1 Mt = 1e9 kg
    assert per_capita_unit("Mt", mass_unit="kg") == ("kg/capita", 1e9)


def test_per_capita_accounts_by_hand() -> None:
    accounts = made_accounts()
    groupings = [oecd_grouping(membership="in_year")]
    groups, _ = group_accounts(accounts, groupings=groupings, rest_of_world=REST, rest_of_world_group="other")
    population = pd.DataFrame({year: POPULATION for year in PBA_CBA})
    table, meta = per_capita_accounts(
        accounts,
        groups,
        population=population,
        population_source="made",
        groupings=groupings,
        rest_of_world=REST,
        rest_of_world_group="other",
    )
    assert set(table["unit"]) == {"t/capita"}
    assert set(table["account"]) == {"PBA_PER_CAPITA", "CBA_PER_CAPITA", "NET_TRANSFER_PER_CAPITA"}
    # USA 1993: 100 kt = 100,000 t over 250 million persons
    assert _value(table, "regions", 1993, "USA", "PBA_PER_CAPITA") == pytest.approx(100_000 / 250e6)
    # OECD 1993 (USA + DEU): 150,000 t over 330 million; 1994 (+ MEX): 184,000 t over 420 million
    assert _value(table, "oecd_in_year", 1993, "OECD", "PBA_PER_CAPITA") == pytest.approx(150_000 / 330e6)
    assert _value(table, "oecd_in_year", 1994, "OECD", "PBA_PER_CAPITA") == pytest.approx(184_000 / 420e6)
    # non-OECD 1993: MEX + CHN + RoW
    assert _value(table, "oecd_in_year", 1993, "non-OECD", "CBA_PER_CAPITA") == pytest.approx(
        (18 + 60 + 22) * 1000 / (90e6 + 1.2e9 + 3.0e9)
    )
    assert meta["population_unit"] == "persons"


def test_per_capita_without_population_names_the_region() -> None:
    accounts = made_accounts()
    population = pd.DataFrame({year: {k: v for k, v in POPULATION.items() if k != "MEX"} for year in PBA_CBA})
    with pytest.raises(ValidationError, match="MEX 1993"):
        per_capita_accounts(
            accounts,
            accounts.assign(grouping="x"),
            population=population,
            population_source="made",
            groupings=[],
            rest_of_world=REST,
            rest_of_world_group="other",
        )
