"""The series command on the shipped real data: --national alone, the inventory check, territorial."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from mrio_tools.context.national import read_owid_co2
from mrio_tools.testing import assert_identities

DATA_RAW = Path(__file__).resolve().parents[2] / "data_raw"
#: two years built from the 2011 table with each year's JRC CO2 (basis scaled_table+emissions)
YEARS = "2014,2015"


def _series(out: Path, cache: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "mrio_tools",
        "series",
        "--source",
        "wiod2013",
        "--data",
        str(DATA_RAW / "wiod2013"),
        "--emissions",
        str(DATA_RAW / "jrc_co2"),
        "--extend",
        "--national",
        str(DATA_RAW / "owid_co2"),
        "--years",
        YEARS,
        "--unit",
        "Mt",
        "--out-dir",
        str(out),
        "--cache",
        str(cache),
        "--no-progress",
        *extra,
    ]
    return subprocess.run(command, capture_output=True, text=True, check=True)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store of parsed tables for the module: the 2011 table is parsed once."""
    return tmp_path_factory.mktemp("store")


@pytest.fixture(scope="module")
def residence(tmp_path_factory: pytest.TempPathFactory, cache: Path) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("residence") / "series"
    done = _series(out, cache)
    return out, done.stderr


def test_national_without_deflator_writes_groups_per_capita_findings(residence: tuple[Path, str]) -> None:
    out, stderr = residence
    for name in ("groups.csv", "per_capita.csv", "findings.csv", "inventory_check.csv"):
        assert (out / name).is_file(), name
        assert (out / name.replace(".csv", ".meta.json")).is_file(), name
    assert not (out / "export_intensity.csv").exists()
    assert "no --deflator" in stderr and "export_intensity.csv" in stderr
    meta = json.loads((out / "findings.meta.json").read_text(encoding="utf-8"))
    assert "export_intensity.csv" in meta["not_written"]
    findings = pd.read_csv(out / "findings.csv")
    assert not findings["finding"].str.contains("export intensity").any()
    assert findings["finding"].str.contains("gap").any()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "inventory_check.csv" in manifest["files"] and "groups.csv" in manifest["files"]


def test_the_china_2015_break_is_flagged_in_the_series(residence: tuple[Path, str]) -> None:
    out, _ = residence
    table = pd.read_csv(out / "inventory_check.csv")
    assert list(table.columns) == [
        "year",
        "region",
        "account",
        "stressor",
        "unit",
        "value",
        "basis",
        "principle",
    ]
    flag = table[(table["region"] == "CHN") & (table["year"] == 2015) & (table["account"] == "BREAK_FLAG")]
    assert flag["value"].tolist() == [1.0]
    meta = json.loads((out / "accounts.meta.json").read_text(encoding="utf-8"))
    assert meta["emissions_principle"] == "residence"
    inventory_meta = json.loads((out / "inventory_check.meta.json").read_text(encoding="utf-8"))
    assert "CHN 2014-2015" in inventory_meta["breaks"]
    assert "territorial" in inventory_meta["inventory_principle"]


def test_territorial_pba_equals_the_inventory(tmp_path: Path, cache: Path) -> None:
    out = tmp_path / "series"
    _series(out, cache, "--emissions-principle", "territorial")
    accounts = pd.read_csv(out / "accounts.csv")
    assert_identities(accounts)
    owid = read_owid_co2(DATA_RAW / "owid_co2")
    pba = accounts[accounts["account"] == "PBA"].set_index(["region", "year"])["value"]
    assert set(accounts["unit"][accounts["account"] == "PBA"]) == {"Mt"}
    countries = [r for r in pba.index.get_level_values("region").unique() if r != "RoW"]
    assert len(countries) == 40
    for region in countries:
        for year in (2014, 2015):
            expected = float(owid.countries.loc[(region, year), "co2"])
            assert pba[(region, year)] == pytest.approx(expected, rel=1e-9), (region, year)
    # rest of world: World (OWID's World row, bunkers included) minus the 40 countries
    for year in (2014, 2015):
        world = float(owid.aggregates.loc[("World", year), "co2"])
        rest = world - sum(float(owid.countries.loc[(r, year), "co2"]) for r in countries)
        assert pba[("RoW", year)] == pytest.approx(rest, rel=1e-9)
    meta = json.loads((out / "accounts.meta.json").read_text(encoding="utf-8"))
    assert meta["emissions_principle"] == "territorial"
    factors = meta["per_year"]["2015"]["territorial_scale_factors"]
    assert set(factors) == {*countries, "RoW"}
    # China 2015: JRC 8.99 Gt scaled to the GCB's 9.86 Gt, k ~ 1.10
    assert factors["CHN"] == pytest.approx(9858.04 / 8994.6, rel=2e-3)
    flags = pd.read_csv(out / "inventory_check.csv")
    assert (flags.loc[flags["account"] == "BREAK_FLAG", "value"] == 0).all()


@pytest.mark.parametrize("command", ["series", "accounts"])
def test_territorial_without_national_is_refused_with_the_fix(command: str, tmp_path: Path) -> None:
    where = ["--years", "2008", "--out-dir", str(tmp_path / "s")] if command == "series" else []
    where += ["--year", "2008", "--out", str(tmp_path / "a.csv")] if command == "accounts" else []
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mrio_tools",
            command,
            "--source",
            "wiod2013",
            "--data",
            str(DATA_RAW / "wiod2013"),
            "--emissions",
            str(DATA_RAW / "jrc_co2"),
            "--emissions-principle",
            "territorial",
            *where,
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "--national" in done.stderr and "data_raw/owid_co2" in done.stderr
    assert not (tmp_path / "a.csv").exists() and not (tmp_path / "s").exists()
