"""compare-sources: two publishers' fixtures side by side, matched through ISO3."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from publisher_layouts import eora26_zip, icio_csv, icio_emissions_csv

from mrio_tools.accounts.compare_sources import compare_sources, country_codes, unmatched

#: the user CSV of the ICIO fixture: AUS 110 Mt, CHN 1000 Mt, ROW 500 Mt (+ DEU 40 folded into ROW)
CSV_ROWS = [("AUS", "D35", 2018, 100.0), ("AUS", "D01T02", 2018, 10.0), ("CHN", "D35", 2018, 1000.0),
            ("ROW", "D35", 2018, 500.0), ("DEU", "D35", 2018, 40.0)]  # fmt: skip


def _long(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(2010, region, account, "CO2", unit, value) for region, account, unit, value in rows],
        columns=["year", "region", "account", "stressor", "unit", "value"],
    )


def test_country_codes_keep_rest_of_world_unmatched() -> None:
    codes = country_codes(["AT", "ROM", "DEU", "RoW", "WA", "CN1"])
    assert codes["AT"] == "AUT" and codes["DEU"] == "DEU"
    assert codes["RoW"] is None and codes["WA"] is None and codes["CN1"] is None


def test_compare_sources_by_hand() -> None:
    a = _long([("AUT", "PBA", "kt", 50.0), ("CHN", "PBA", "kt", 100.0), ("USA", "PBA", "kt", 150.0)])
    b = _long([("AT", "PBA", "Mt", 0.055), ("CN", "PBA", "Mt", 0.08), ("WA", "PBA", "Mt", 1.0)])
    table = compare_sources(a, b, stressor="CO2", names=("a", "b"))
    got = table.set_index(["status", "region"])
    # AT: b 0.055 Mt = 55 kt, (55 - 50) / 50 = +10 %; CN: 80 kt vs 100 kt, -20 %
    assert got.loc[("matched", "AUT"), "value_b"] == pytest.approx(55.0)
    assert got.loc[("matched", "AUT"), "rel_diff"] == pytest.approx(0.10)
    assert got.loc[("matched", "CHN"), "rel_diff"] == pytest.approx(-0.20)
    # ranks among the two matched countries: a has CHN 100 > AUT 50, b has CHN 80 > AUT 55
    assert got.loc[("matched", "CHN"), "rank_a"] == 1 and got.loc[("matched", "AUT"), "rank_b"] == 2
    assert unmatched(table) == {"only_a": ["USA"], "only_b": ["WA"]}
    assert set(table["unit"]) == {"kt"}


def test_compare_sources_command_on_two_fixtures(tmp_path: Path) -> None:
    eora = eora26_zip(tmp_path / "eora")
    icio = icio_csv(tmp_path / "icio", year=2010)
    rows = [(r, s, 2010, v) for r, s, _, v in CSV_ROWS]
    em = icio_emissions_csv(tmp_path / "em", rows)
    out = tmp_path / "cmp.csv"
    command = [
        sys.executable, "-m", "mrio_tools", "compare-sources", "--year", "2010",
        "--source-a", "eora26", "--data-a", str(eora.parent),
        "--source-b", "oecd_icio", "--data-b", str(icio.parent), "--emissions-b", str(em),
        "--option-b", "icio_emissions=csv", "--option-b", "principle=territorial", "--out", str(out),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out)
    pba = table[(table["account"] == "PBA") & (table["status"] == "matched")].set_index("region")
    # CHN is the one country in both: Eora 100 kt (fixture: 2 x (40 + 3) + households 2 x 7), ICIO
    # 1000 Mt = 1e6 kt; rel_diff = (1e6 - 100) / 100 = 9999
    assert list(pba.index) == ["CHN"]
    assert pba.loc["CHN", "value_b"] == pytest.approx(1e6)
    assert pba.loc["CHN", "rel_diff"] == pytest.approx(9999.0)
    assert "AUT" in done.stderr and "USA" in done.stderr and "AUS" in done.stderr
    meta = json.loads((tmp_path / "cmp.meta.json").read_text())
    assert meta["source_a"]["source"].startswith("Eora26") and meta["source_b"]["source"] == "OECD ICIO"
    assert np.isnan(table.loc[table["status"] != "matched", "rel_diff"]).all()
