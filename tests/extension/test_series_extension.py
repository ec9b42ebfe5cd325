"""Series over years outside the tables (--extend), derived tables, and the series manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from mrio_tools.cli import main
from mrio_tools.context.request import DerivedRequest
from mrio_tools.errors import DataFileError
from mrio_tools.extension.source import ExtensionRequest
from mrio_tools.series.run import check_manifest, run_series
from mrio_tools.sources.registry import SourceRequest
from mrio_tools.testing import assert_identities


def test_extend_needs_national_and_an_extendable_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s"
    assert main(["series", "--source", "demo", "--years", "2000", "--out-dir", str(out), "--extend"]) == 2
    assert "--extend needs --national FILE" in capsys.readouterr().err
    with pytest.raises(DataFileError, match=r"source .demo. cannot be extended.*sources that can: wiod2013"):
        run_series(
            SourceRequest(source="demo"),
            [1985],
            out,
            solver="auto",
            unit=None,
            cache=None,
            extension=ExtensionRequest(national=tmp_path, emission_benchmarks="nearest"),
            progress=False,
        )
    assert not out.exists()


def test_manifest_detects_a_mixed_folder(tmp_path: Path) -> None:
    run_series(SourceRequest(source="demo"), [2000, 2001], tmp_path, solver="auto", unit=None, cache=None)
    manifest = check_manifest(tmp_path)
    assert set(manifest["files"]) == {"accounts.csv", "accounts.meta.json", "flows.csv", "flows.meta.json"}
    # a table from another run (here: edited) is detected, and a rerun repairs the folder
    flows = tmp_path / "flows.csv"
    flows.write_text(flows.read_text() + "\n")
    with pytest.raises(DataFileError, match=r"flows\.csv: missing or changed since the run"):
        check_manifest(tmp_path)
    result = run_series(
        SourceRequest(source="demo"), [2000, 2001], tmp_path, solver="auto", unit=None, cache=None
    )
    assert result.computed == []
    check_manifest(tmp_path)
    (tmp_path / "manifest.json").unlink()
    with pytest.raises(DataFileError, match=r"no manifest\.json"):
        check_manifest(tmp_path)


@pytest.mark.realdata
def test_wiod_extended_series_with_derived_tables(shared_data: Path, tmp_path: Path) -> None:
    request = SourceRequest(
        source="wiod2013", data=shared_data / "wiod2013", emissions=shared_data / "wiod2016_env"
    )
    years = [1994, 1999, 2000, 2012, 2018]
    kwargs = {
        "solver": "auto",
        "unit": "Mt",
        "cache": tmp_path / "cache",
        "extension": ExtensionRequest(national=shared_data / "owid_co2_2025", emission_benchmarks="nearest"),
        "derived": DerivedRequest(
            national=shared_data / "owid_co2_2025",
            deflator=shared_data / "us_gdp_deflator" / "GDPDEF.csv",
            rest_of_world=("RoW",),
            rest_of_world_group="other",
            constant_price_year=2012,
        ),
        "progress": False,
    }
    out = tmp_path / "s"
    result = run_series(request, years, out, **kwargs)  # type: ignore[arg-type]
    assert result.computed == years
    accounts = pd.read_csv(out / "accounts.csv")
    basis = accounts.groupby("year")["basis"].unique().map(list).to_dict()
    assert basis == {
        1994: ["scaled_table+scaled_emissions"],
        1999: ["table+scaled_emissions"],
        2000: ["table"],
        2012: ["scaled_table+emissions"],
        2018: ["scaled_table+scaled_emissions"],
    }
    assert_identities(accounts)
    flows = pd.read_csv(out / "flows.csv")
    assert flows["basis"].notna().all()
    meta = json.loads((out / "accounts.meta.json").read_text())
    plan = meta["extension"]["plan"]
    assert plan["1999"]["emission_benchmark_year"] == 2000 and plan["2012"]["table_benchmark_year"] == 2011
    assert plan["2018"]["emission_benchmark_year"] == 2016  # 'nearest': JRC's last year
    for name in ("groups.csv", "per_capita.csv", "export_intensity.csv", "findings.csv"):
        assert (out / name).is_file(), name
    assert "findings.csv" in check_manifest(out)["files"]
    # a rerun finds every year current (extended years included)
    again = run_series(request, years, out, **kwargs)  # type: ignore[arg-type]
    assert again.computed == []


@pytest.mark.realdata
def test_skill_test_command(shared_data: Path, tmp_path: Path) -> None:
    args = ["skill-test", "--source", "wiod2013", "--data", str(shared_data / "wiod2013")]
    args += [
        "--emissions",
        str(shared_data / "wiod2016_env"),
        "--national",
        str(shared_data / "owid_co2_2025"),
    ]
    assert main([*args, "--benchmarks", "2005", "--horizons", "1", "--out-dir", str(tmp_path)]) == 0
    table = pd.read_csv(tmp_path / "skill.csv")
    assert set(table["year"]) == {2004, 2006} and set(table["horizon"]) == {1}
    assert set(table["basis"]) == {
        "table+scaled_emissions",
        "scaled_table+emissions",
        "scaled_table+scaled_emissions",
    }
    # errors are the extended value minus the real one, relative to the real one
    row = table.iloc[0]
    assert row["abs_error"] == pytest.approx(row["extended"] - row["real"])
    summary = pd.read_csv(tmp_path / "skill_summary.csv")
    assert {"CHN", "USA", "DEU", "JPN", "IND", "all"} <= set(summary["region"])
    with pytest.raises(DataFileError, match="benchmarks \\[1995\\] are not real years"):
        from mrio_tools.extension.source import skill_test_of

        skill_test_of(
            SourceRequest(
                source="wiod2013", data=shared_data / "wiod2013", emissions=shared_data / "wiod2016_env"
            ),
            shared_data / "owid_co2_2025",
            benchmarks=[1995],
            horizons=[1],
            stressor="CO2",
        )
