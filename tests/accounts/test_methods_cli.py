"""`mrio-tools eebt | tcba | sda | income | sectors | footprints | paths` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from mrio_tools.schema import ACCOUNT_COLUMNS


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mrio_tools", *args], capture_output=True, text=True, check=False
    )


COMMANDS = {
    "eebt": ["flows"],
    "tcba": [],
    "income": [],
    "sectors": ["flows", "top"],
    "footprints": [],
    "paths": ["list"],
}
EXTRA = {
    "sectors": ["--top", "2"],
    "paths": ["--stressor", "demo emission 1 (air)", "--threshold", "0.01", "--depth", "4"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_method_writes_long_tables_with_metadata(tmp_path: Path, command: str) -> None:
    out = tmp_path / f"{command}.csv"
    done = run(
        command,
        "--source",
        "demo",
        "--year",
        "2010",
        "--out",
        str(out),
        "--no-cache",
        *EXTRA.get(command, []),
    )
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out)
    assert tuple(table.columns[:6]) == ACCOUNT_COLUMNS
    assert table["unit"].notna().all() and (table["year"] == 2010).all()
    meta = json.loads(out.with_name(f"{command}.meta.json").read_text())
    assert meta["method"].startswith("docs/methods.md")
    assert meta["years"] == [2010] and "command" in meta
    for part in COMMANDS[command]:
        assert (tmp_path / f"{command}_{part}.csv").is_file(), part


def test_sda_over_years_into_a_folder(tmp_path: Path) -> None:
    done = run(
        "sda",
        "--source",
        "demo",
        "--years",
        "2000,2005,2010",
        "--prices",
        "current",
        "--out-dir",
        str(tmp_path),
        "--no-cache",
    )
    assert done.returncode == 0, done.stderr
    chained = pd.read_csv(tmp_path / "sda.csv")
    assert sorted(set(chained["year"])) == [2005, 2010] and sorted(set(chained["base_year"])) == [2000, 2005]
    endpoints = pd.read_csv(tmp_path / "sda_endpoints.csv")
    assert set(endpoints["base_year"]) == {2000}


def test_bad_requests_are_one_paragraph(tmp_path: Path) -> None:
    done = run(
        "sda", "--source", "demo", "--years", "2000,2010", "--prices", "constant", "--out-dir", str(tmp_path)
    )
    assert done.returncode == 2 and "--deflator" in done.stderr
    done = run(
        "eebt", "--source", "demo", "--years", "2000,2010", "--out", str(tmp_path / "e.csv"), "--no-cache"
    )
    assert done.returncode == 2 and "--out-dir" in done.stderr
    sets = tmp_path / "sets.csv"
    sets.write_text("source,sector,sector_set\ndemo,steel,basic_metals\n")
    done = run(
        "sectors",
        "--source",
        "demo",
        "--year",
        "2010",
        "--sector-sets",
        str(sets),
        "--out",
        str(tmp_path / "s.csv"),
        "--no-cache",
    )
    assert done.returncode == 2 and "steel" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "s.csv").exists()


@pytest.mark.parametrize("command", ["eebt", "sda", "paths"])
def test_help_names_the_method(command: str) -> None:
    done = run(command, "--help")
    assert done.returncode == 0 and "docs/methods.md" in done.stdout


def test_an_output_never_overwrites_a_users_input(tmp_path: Path) -> None:
    basket = tmp_path / "basket.csv"
    basket.write_text("region,sector,amount,unit\nDemo A,food,1,M USD\n")
    before = basket.read_text()
    out = tmp_path / "fp.csv"
    done = run(
        "footprints", "--source", "demo", "--year", "2010", "--basket", str(basket), "--out", str(basket)
    )
    assert done.returncode == 2 and "would overwrite the input" in done.stderr
    assert basket.read_text() == before
    done = run(
        "footprints",
        "--source",
        "demo",
        "--year",
        "2010",
        "--basket",
        str(basket),
        "--out",
        str(out),
        "--no-cache",
    )
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "fp_basket.csv")
    total = table[(table["region"] == "basket") & (table["account"] == "BASKET_FOOTPRINT")]
    assert len(total) == 2 and (total["value"] > 0).all()
