"""The series engine: partitions per year, resume after a kill, nothing recomputed on a rerun, Dask."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from golden.cases import GOLDEN

from mrio_tools.schema import ACCOUNT_COLUMNS, FLOW_COLUMNS
from mrio_tools.series.run import parse_years, run_series
from mrio_tools.sources.registry import SourceRequest
from mrio_tools.testing import assert_identities

DEMO = SourceRequest(source="demo")
ALL_DEMO_YEARS = list(range(1990, 2020))


def _partitions(out: Path) -> dict[int, int]:
    """Complete partitions (those with meta.json) and the modification time of each meta.json."""
    folder = out / "years"
    if not folder.is_dir():
        return {}
    return {
        int(p.name): (p / "meta.json").stat().st_mtime_ns
        for p in folder.iterdir()
        if p.name.isdigit() and (p / "meta.json").is_file()
    }


def test_years_are_parsed_sorted_and_without_duplicates() -> None:
    assert parse_years("2010,2010,2008") == [2008, 2010]
    assert parse_years("2001-2003,2002") == [2001, 2002, 2003]
    with pytest.raises(ValueError, match="not a year"):
        parse_years("1990-999999999")


def test_series_writes_partitions_and_the_whole_series(tmp_path: Path) -> None:
    out = tmp_path / "s"
    result = run_series(DEMO, [2001, 2000, 2001], out, solver="auto", unit=None, cache=None, progress=False)
    assert result.computed == [2000, 2001]
    accounts = pd.read_csv(out / "accounts.csv")
    flows = pd.read_csv(out / "flows.csv")
    assert tuple(accounts.columns) == (*ACCOUNT_COLUMNS, "basis")
    assert tuple(flows.columns) == (*FLOW_COLUMNS, "basis")
    assert set(accounts["basis"]) == {"table"} and set(accounts["year"]) == {2000, 2001}
    assert not accounts.duplicated(["year", "region", "account", "stressor"]).any()
    assert_identities(accounts)
    meta = json.loads((out / "accounts.meta.json").read_text())
    assert meta["years"] == [2000, 2001] and meta["demonstration_data"] is True
    assert set(_partitions(out)) == {2000, 2001}


def test_rerun_with_same_inputs_recomputes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "s"
    run_series(DEMO, [2000, 2001, 2002], out, solver="auto", unit=None, cache=None, progress=False)
    before = _partitions(out)
    again = run_series(DEMO, [2000, 2001, 2002], out, solver="auto", unit=None, cache=None, progress=False)
    assert again.computed == []
    assert _partitions(out) == before
    # a changed choice (the unit) is a new key: every year is computed again
    other = run_series(DEMO, [2000, 2001, 2002], out, solver="auto", unit="t", cache=None, progress=False)
    assert other.computed == [2000, 2001, 2002]
    assert set(pd.read_csv(out / "accounts.csv").query("account == 'PBA'")["unit"]) == {"t"}


def _series_command(out: Path) -> list[str]:
    return [sys.executable, "-m", "mrio_tools", "series", "--source", "demo", "--years", "1990-2019"]


def test_a_killed_run_resumes_and_recomputes_only_the_missing_years(tmp_path: Path) -> None:
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    args = ["--no-cache", "--no-progress", "--threads", "1"]
    process = subprocess.Popen(
        [*_series_command(killed), "--out-dir", str(killed), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while len(_partitions(killed)) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()
    survived = _partitions(killed)
    assert 3 <= len(survived) < 30, "the run should have been killed midway"
    assert not (killed / "accounts.csv").exists()

    resumed = subprocess.run(
        [*_series_command(killed), "--out-dir", str(killed), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    missing = 30 - len(survived)
    assert f"{missing} years computed, {len(survived)} kept" in resumed.stdout
    after = _partitions(killed)
    assert {year: after[year] for year in survived} == survived  # the finished years were not redone
    subprocess.run([*_series_command(clean), "--out-dir", str(clean), *args], check=True, capture_output=True)
    for name in ("accounts.csv", "flows.csv"):
        assert (killed / name).read_bytes() == (clean / name).read_bytes()


def test_dask_local_cluster_gives_identical_results(tmp_path: Path) -> None:
    years = [1990, 1995, 2000, 2005, 2010, 2019]
    serial, parallel = tmp_path / "serial", tmp_path / "dask"
    run_series(DEMO, years, serial, solver="auto", unit=None, cache=None, threads=1, progress=False)
    result = run_series(
        DEMO, years, parallel, solver="auto", unit=None, cache=None, workers=2, progress=False
    )
    assert result.computed == years
    for name in ("accounts.csv", "flows.csv"):
        assert (serial / name).read_bytes() == (parallel / name).read_bytes()


def test_dask_scheduler_address(tmp_path: Path) -> None:
    from distributed import LocalCluster

    years = [2000, 2001, 2002]
    serial, remote = tmp_path / "serial", tmp_path / "remote"
    run_series(DEMO, years, serial, solver="auto", unit=None, cache=None, threads=1, progress=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        run_series(
            DEMO,
            years,
            remote,
            solver="auto",
            unit=None,
            cache=None,
            scheduler=cluster.scheduler_address,
            threads=1,
            progress=False,
        )
    assert (serial / "accounts.csv").read_bytes() == (remote / "accounts.csv").read_bytes()


def test_demo_accounts_unchanged_through_the_series(tmp_path: Path) -> None:
    golden = GOLDEN / "demo_2000.accounts.csv"
    expected = pd.read_csv(golden, float_precision="round_trip")
    run_series(DEMO, [2000], tmp_path, solver="auto", unit=None, cache=None, progress=False)
    ours = pd.read_csv(tmp_path / "accounts.csv", float_precision="round_trip")
    assert tuple(expected.columns) == ACCOUNT_COLUMNS
    pd.testing.assert_frame_equal(ours.drop(columns="basis"), expected, check_exact=False, rtol=1e-12)


# ------------------------------------------------------------------ real data
def _wiod(shared_data: Path, output_gap: str | None) -> SourceRequest:
    return SourceRequest(
        source="wiod2013",
        data=shared_data / "wiod2013",
        emissions=shared_data / "wiod2016_env",
        options={} if output_gap is None else {"output_gap": output_gap},
    )


@pytest.mark.realdata
def test_wiod_residual_category_is_unchanged(shared_data: Path, tmp_path: Path) -> None:
    run_series(
        _wiod(shared_data, "residual_category"),
        [2000, 2008],
        tmp_path,
        solver="auto",
        unit=None,
        cache=tmp_path / "cache",
        progress=False,
    )
    ours = pd.read_csv(tmp_path / "accounts.csv", float_precision="round_trip")
    for year in (2000, 2008):
        golden = pd.read_csv(
            GOLDEN / f"wiod2013_{year}_residual_category.csv",
            float_precision="round_trip",
        )
        mine = ours[ours["year"] == year].merge(golden, on=["year", "region", "account", "stressor", "unit"])
        assert len(mine) == len(golden) == 41 * 6
        np.testing.assert_allclose(mine["value_x"], mine["value_y"], rtol=1e-12, atol=0)


@pytest.mark.realdata
def test_wiod_output_gap_choices_on_2008(shared_data: Path) -> None:
    from mrio_tools.errors import ValidationError
    from mrio_tools.sources.wiod2013 import read_wiod2013

    data = shared_data / "wiod2013"
    scaled = read_wiod2013(data, 2008, output_gap="scale_rows")
    default = read_wiod2013(data, 2008, output_gap="by_file_form")
    assert default.notes["output_gap_treatment"] == "scale_rows"
    assert "default for the R data package" in default.notes["output_gap_chosen_by"]
    Z = scaled.Z.to_numpy()
    x = Z.sum(axis=1) + scaled.Y.to_numpy().sum(axis=1)
    column_sums = np.divide(Z.sum(axis=0), x, out=np.zeros_like(x), where=x > 0)
    assert (column_sums < 1).all() and (x >= 0).all()
    # x is the published output: compare with the file, read here without the reader
    import rdata

    raw = rdata.conversion.convert(rdata.parser.parse_file(data / "wiot_2008.RData"))["wiot_2008"]
    np.testing.assert_allclose(x, np.asarray(raw["output"], dtype=float), rtol=1e-12, atol=1e-9)
    # each buyer keeps its share of a row: the scaled row is a multiple of the file's row
    inter = np.asarray(raw["inter"], dtype=float)
    row = int(np.argmax(inter.sum(axis=1)))
    np.testing.assert_allclose(Z[row] / Z[row].sum(), inter[row] / inter[row].sum(), rtol=1e-12)
    with pytest.raises(ValidationError, match="CYP"):
        read_wiod2013(data, 2008, output_gap="recompute")


@pytest.mark.realdata
def test_wiod_sensitivity_table(shared_data: Path, tmp_path: Path) -> None:
    run_series(
        _wiod(shared_data, None), [2008], tmp_path, solver="auto", unit="Mt", cache=None, progress=False
    )
    table = pd.read_csv(tmp_path / "output_gap_sensitivity.csv", float_precision="round_trip")
    assert set(table["account"]) == {"CBA", "EEE"} and len(table) == 2 * 41
    expected = (table["residual_category"] - table["scale_rows"]) / table["scale_rows"].abs()
    np.testing.assert_allclose(table["relative_change"], expected, rtol=1e-12)
    assert (table["flagged"] == (expected.abs() > 0.02)).all()
    meta = json.loads((tmp_path / "accounts.meta.json").read_text())
    assert meta["output_gap_treatment"] == "scale_rows"
    assert os.path.exists(tmp_path / "output_gap_sensitivity.meta.json")


@pytest.mark.realdata
def test_wiod_sensitivity_columns_are_the_series_of_each_treatment(shared_data: Path, tmp_path: Path) -> None:
    # the default treatment (scale_rows) is taken from the series' own table, the other one is read and
    # solved on its own: each column must be what a series under that treatment gives
    run_series(
        _wiod(shared_data, None), [2008], tmp_path / "a", solver="auto", unit="Mt", cache=None, progress=False
    )
    run_series(
        _wiod(shared_data, "residual_category"),
        [2008],
        tmp_path / "b",
        solver="auto",
        unit="Mt",
        cache=None,
        progress=False,
    )
    table = pd.read_csv(tmp_path / "a" / "output_gap_sensitivity.csv", float_precision="round_trip")
    keys = ["year", "region", "account", "stressor", "unit"]
    for folder, column in (("a", "scale_rows"), ("b", "residual_category")):
        series = pd.read_csv(tmp_path / folder / "accounts.csv", float_precision="round_trip")
        both = table.merge(series[series["account"].isin(["CBA", "EEE"])], on=keys)
        assert len(both) == len(table) == 2 * 41
        np.testing.assert_allclose(both[column], both["value"], rtol=1e-12, atol=0)


def test_each_run_opens_the_source_afresh() -> None:
    from mrio_tools.series.tasks import _opened

    first = _opened(DEMO, "run 1")
    assert _opened(DEMO, "run 1") is first  # the tasks of one run share it
    assert _opened(DEMO, "run 2") is not first  # a later run never sees files as an earlier run read them
