"""Tests of the findings table and of derived_tables on a made series whose answers are known."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mrio_tools.context.derived import DERIVED_FILES, derived_tables
from mrio_tools.context.group_accounts import group_accounts
from mrio_tools.context.groups import (
    MAJOR_DEVELOPED,
    MAJOR_DEVELOPING,
    major_economies_grouping,
    oecd_grouping,
)
from mrio_tools.context.national import read_owid_co2
from mrio_tools.context.prices import export_intensity_trends, read_deflator_csv
from mrio_tools.errors import ValidationError
from mrio_tools.findings import FINDING_COLUMNS, findings_table, largest_exporters

YEARS = (1990, 1991, 1992, 1993)
# PBA - CBA (kt) by construction; CBA = 1000 kt everywhere; RoW closes the world (sum = 0)
NET = {
    "USA": (-50.0, -60.0, -70.0, -80.0),
    "GBR": (-20.0, -20.0, -20.0, -20.0),
    "JPN": (-10.0, -5.0, 5.0, -10.0),  # CBA > PBA except in 1992
    "CHN": (100.0, 300.0, 500.0, 400.0),  # peak 1992
    "IND": (-5.0, 10.0, 20.0, 30.0),  # PBA > CBA except in 1990
    "RoW": (-15.0, -225.0, -435.0, -320.0),
}
CHN_INTENSITY = (4.0, 3.0, 2.0, 1.5)  # kt/M USD
BASIS = {1990: "scaled_table+scaled_emissions", 1991: "table", 1992: "table", 1993: "table"}
EXPORTS = {"USA": 500.0, "GBR": 300.0, "JPN": 400.0, "CHN": 600.0, "IND": 100.0, "RoW": 200.0}
REST = ["RoW"]


def made_series() -> pd.DataFrame:
    rows = []
    for region, nets in NET.items():
        for i, year in enumerate(YEARS):
            basis = BASIS[year]
            rows += [
                (year, region, "PBA", "CO2", "kt", 1000.0 + nets[i], basis),
                (year, region, "CBA", "CO2", "kt", 1000.0, basis),
                (year, region, "NET_TRANSFER", "CO2", "kt", nets[i], basis),
                (year, region, "GROSS_EXPORTS", "monetary", "M USD", EXPORTS[region], basis),
                (
                    year,
                    region,
                    "EXPORT_INTENSITY_TOTAL",
                    "CO2",
                    "kt/M USD",
                    CHN_INTENSITY[i] if region == "CHN" else 1.0,
                    basis,
                ),
            ]
    return pd.DataFrame(rows, columns=["year", "region", "account", "stressor", "unit", "value", "basis"])


def _deflator(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "deflator.csv"
    path.write_text("year,index,base_year\n1990,90,1993\n1991,92,1993\n1992,95,1993\n1993,100,1993\n")
    return read_deflator_csv(path, currency="USD", source="made")


def _row(table: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=table.index)
    for column, value in where.items():
        mask &= table[column] == value
    hit = table[mask]
    assert len(hit) == 1, (where, hit)
    return hit.iloc[0]


def _findings(tmp_path: Path) -> pd.DataFrame:
    accounts = made_series()
    groups, _ = group_accounts(
        accounts,
        groupings=[oecd_grouping(membership="in_year")],
        rest_of_world=REST,
        rest_of_world_group="other",
    )
    trends, _ = export_intensity_trends(
        accounts, deflator=_deflator(tmp_path), constant_price_year=1993, benchmark_years={1990: 1991}
    )
    table, meta = findings_table(
        accounts,
        groups,
        trends,
        stressor="CO2",
        major_developed=MAJOR_DEVELOPED,
        major_developing=MAJOR_DEVELOPING,
        gap_regions=["CHN"],
        gap_groups=[("oecd_in_year", "OECD"), ("oecd_in_year", "non-OECD")],
        gap_unit="Mt",
        exporters=["CHN"],
        source="made series",
    )
    assert meta["gap_unit"] == "Mt"
    return table


def test_cba_above_pba_in_every_year(tmp_path: Path) -> None:
    table = _findings(tmp_path)
    assert tuple(table.columns) == FINDING_COLUMNS
    summary = _row(table, finding="CBA > PBA in every year", subject="major developed")
    assert summary["value"] == 2.0
    assert summary["unit"] == "economies of 3"
    assert summary["text"].startswith("major developed: GBR, USA;")
    assert "AUS" in summary["text"]  # named as not a region of the table
    jpn = _row(table, finding="CBA > PBA in every year", subject="JPN")
    assert jpn["value"] == 3.0 and "1992" in jpn["text"]
    developing = _row(table, finding="PBA > CBA in every year", subject="major developing")
    assert developing["value"] == 1.0 and developing["text"].startswith("major developing: CHN")
    assert (summary["year_from"], summary["year_to"]) == (1990, 1993)
    assert summary["basis"] == "scaled_table+scaled_emissions; table"
    assert set(table["source"]) == {"made series"}


def test_gaps_first_last_and_peak(tmp_path: Path) -> None:
    table = _findings(tmp_path)
    gap = "production-minus-consumption gap"
    assert _row(table, finding=gap, subject="CHN", statistic="first year")["value"] == pytest.approx(0.1)
    assert _row(table, finding=gap, subject="CHN", statistic="last year")["value"] == pytest.approx(0.4)
    peak = _row(table, finding=gap, subject="CHN", statistic="peak")
    assert (peak["year_from"], peak["value"], peak["unit"]) == (1992, pytest.approx(0.5), "Mt")
    # OECD in every year: USA + GBR + JPN; non-OECD: CHN + IND + RoW, the mirror image
    oecd_first = _row(table, finding=gap, subject="OECD", statistic="first year")
    assert oecd_first["value"] == pytest.approx(-0.08)
    assert oecd_first["basis"] == "scaled_table+scaled_emissions"
    assert _row(table, finding=gap, subject="non-OECD", statistic="last year")["value"] == pytest.approx(0.11)
    assert _row(table, finding=gap, subject="non-OECD", statistic="peak")["year_from"] == 1993


def test_export_intensity_decline(tmp_path: Path) -> None:
    table = _findings(tmp_path)
    rows = table[table["finding"] == "export intensity decline"]
    current = _row(rows, statistic="decline of EXPORT_INTENSITY_TOTAL, current USD")
    assert (current["year_from"], current["year_to"]) == (1991, 1993)  # 1990 is at benchmark-year prices
    assert current["value"] == pytest.approx(100 * (1 - 1.5 / 3.0))
    constant = _row(rows, statistic="decline of EXPORT_INTENSITY_TOTAL, constant 1993 USD")
    # 1990 is scaled from the 1991 table: deflated with 1991's index (92), 1993 with 100
    assert constant["value"] == pytest.approx(100 * (1 - 1.5 / (4.0 * 0.92)))
    assert (constant["year_from"], constant["year_to"]) == (1990, 1993)
    assert constant["unit"] == "%"
    assert constant["basis"] == "scaled_table+scaled_emissions; table"
    assert current["basis"] == "table"


def test_missing_exporter_is_named(tmp_path: Path) -> None:
    accounts = made_series()
    trends, _ = export_intensity_trends(
        accounts, deflator=_deflator(tmp_path), constant_price_year=1993, benchmark_years={1990: 1991}
    )
    with pytest.raises(ValidationError, match="BRA"):
        findings_table(
            accounts,
            accounts.assign(grouping="x"),
            trends,
            stressor="CO2",
            major_developed=[],
            major_developing=[],
            gap_regions=[],
            gap_groups=[],
            gap_unit="Mt",
            exporters=["BRA"],
            source="made",
        )


def test_largest_exporters() -> None:
    assert largest_exporters(made_series(), n=2, year=1993) == ["CHN", "USA"]


def test_derived_tables_end_to_end(tmp_path: Path) -> None:
    lines = ["country,year,population,gdp,co2,co2_per_capita"]
    population = {
        "United States": 250e6,
        "United Kingdom": 57e6,
        "Japan": 123e6,
        "China": 1.1e9,
        "India": 0.85e9,
    }
    for year in YEARS:
        lines += [f"{name},{year},{persons},,," for name, persons in population.items()]
        lines.append(f"World,{year},5.3e9,,,")
    national_path = tmp_path / "owid.csv"
    national_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tables = derived_tables(
        made_series(),
        national=read_owid_co2(national_path),
        deflator=_deflator(tmp_path),
        groupings=[oecd_grouping(membership="in_year"), major_economies_grouping()],
        rest_of_world=REST,
        rest_of_world_group="other",
        population_world_total="world_row",
        constant_price_year=1993,
        benchmark_years={1990: 1991},
        stressor="CO2",
        gap_unit="Mt",
        gap_groups=[("oecd_in_year", "OECD"), ("oecd_in_year", "non-OECD")],
        gap_regions=["CHN"],
        exporters=["CHN"],
        source="made series",
    )
    assert set(tables) == set(DERIVED_FILES)
    per_capita = tables["per_capita"][0]
    rest = _row(per_capita, grouping="regions", region="RoW", year=1990, account="PBA_PER_CAPITA")
    # RoW population = World - the five countries = 5.3e9 - 2.38e9; PBA 985 kt = 985,000 t
    assert rest["value"] == pytest.approx(985_000 / (5.3e9 - 2.38e9))
    assert rest["unit"] == "t/capita"
    assert (
        tables["per_capita"][1]["population"]["rest_of_world"]["rule"]
        == "World minus the table's 5 countries"
    )
    assert not tables["findings"][0].empty
    assert "oecd_in_year" in tables["findings"][1]["groupings"]
