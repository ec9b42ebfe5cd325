"""A series folder is one run's: reused by another run, shared by two at once, damaged, never mixed.

Issue 21, through the command line where the user meets each case: exit status, the message, and
that nothing was lost (a user's files, a folder a report accepted) or mixed (tables of two runs).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from mrio_tools.cli import main
from mrio_tools.series.folder import LOCK, MANIFEST, check_manifest

REPO = Path(__file__).resolve().parents[2]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = main(args)
    except SystemExit as usage:
        code = int(usage.code or 0)
    return code, capsys.readouterr().err


def _series(out: Path, *extra: str, years: str = "2000-2001") -> list[str]:
    return [
        "series",
        "--source",
        "demo",
        "--years",
        years,
        "--out-dir",
        str(out),
        "--no-cache",
        "--no-progress",
        *extra,
    ]


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}


# ------------------------------------------------------------------ a folder reused by another run
@pytest.mark.realdata
def test_rerun_by_another_source_removes_the_tables_it_does_not_write(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "series"
    wiod = [
        "series", "--source", "wiod2013", "--data", str(shared_data / "wiod2013"),
        "--emissions", str(shared_data / "wiod2016_env"), "--years", "2008", "--out-dir", str(out),
        "--cache", str(tmp_path / "cache"), "--no-progress",
    ]  # fmt: skip
    code, err = _run(wiod, capsys)
    assert code == 0, err
    first = set(check_manifest(out)["files"])
    assert "output_gap_sensitivity.csv" in first
    # the same folder, another source without the sensitivity option, in another unit
    code, err = _run(_series(out, "--unit", "Mt"), capsys)
    assert code == 0, err
    listed = set(check_manifest(out)["files"])
    assert listed == {"accounts.csv", "accounts.meta.json", "flows.csv", "flows.meta.json"}
    # every table of the first run that the new manifest does not list is gone, each with a note
    tables = {p.name for p in out.iterdir() if p.is_file()}
    assert tables == listed | {MANIFEST}
    assert "removed" in err and "output_gap_sensitivity.csv" in err
    accounts = pd.read_csv(out / "accounts.csv")
    assert set(accounts["region"]) <= {f"Demo {c}" for c in "ABCDEF"} and set(accounts["year"]) == {
        2000,
        2001,
    }


def test_derived_tables_of_an_earlier_run_are_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mrio_tools.series.folder import write_manifest

    out = tmp_path / "series"
    assert _run(_series(out), capsys)[0] == 0
    # as a run with --national and --deflator leaves them: group and per-capita tables, listed
    for name in ("groups", "per_capita"):
        (out / f"{name}.csv").write_text(
            "year,grouping,region,account,stressor,unit,value\n2000,g,A,PBA,CO2,kt,1\n"
        )
        (out / f"{name}.meta.json").write_text("{}")
    write_manifest(
        out, sorted(p for p in out.iterdir() if p.is_file() and p.name != MANIFEST), years=[2000, 2001]
    )
    code, err = _run(_series(out, "--unit", "Mt"), capsys)
    assert code == 0, err
    assert not any((out / n).exists() for n in ("groups.csv", "groups.meta.json", "per_capita.csv"))
    assert "removed" in err and "groups.csv" in err and "per_capita.csv" in err
    assert set(check_manifest(out)["files"]) == {
        "accounts.csv",
        "accounts.meta.json",
        "flows.csv",
        "flows.meta.json",
    }


def test_report_reads_only_the_tables_the_manifest_lists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mrio_tools.report.series_folder import read_series_folder

    out = tmp_path / "series"
    assert _run(_series(out), capsys)[0] == 0
    # a per-capita table of another run (another unit) dropped beside the new tables: not listed
    stray = pd.DataFrame({"year": [2000], "grouping": ["regions"], "region": ["Demo A"], "account": ["PBA"],
                          "stressor": ["CO2"], "unit": ["t/capita"], "value": [1e9]})  # fmt: skip
    stray.to_csv(out / "per_capita.csv", index=False)
    assert "per_capita" not in read_series_folder(out).optional
    # a listed table changed after the run: the report refuses it, naming the file
    (out / "flows.csv").write_text((out / "flows.csv").read_text() + "1\n")
    code, err = _run(["report", "--series", str(out), "--out-dir", str(tmp_path / "report")], capsys)
    assert code == 2 and "flows.csv" in err and "changed since the run" in err and "unexpected" not in err
    assert not (tmp_path / "report").exists()


def test_series_into_a_folder_that_is_not_a_series_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "thesis"
    mine.mkdir()
    (mine / "accounts.csv").write_text("my own accounts, typed by hand\n")
    (mine / "notes.txt").write_text("keep me")
    before = _files(mine)
    code, err = _run(_series(mine), capsys)
    assert code == 2
    assert "not a series folder" in err and "accounts.csv" in err and "notes.txt" in err
    assert "empty or new folder" in err
    assert _files(mine) == before and sorted(p.name for p in mine.iterdir()) == ["accounts.csv", "notes.txt"]


def test_a_table_no_series_run_wrote_is_refused_in_a_series_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "series"
    assert _run(_series(out), capsys)[0] == 0
    (out / "my_analysis.csv").write_text("region,value\nDemo A,1\n")
    before = _files(out)
    code, err = _run(_series(out, "--unit", "Mt"), capsys)
    assert code == 2 and "my_analysis.csv" in err and "no series run wrote" in err and "move these" in err
    assert _files(out) == before  # nothing computed, nothing removed


# ------------------------------------------------------------------ the lock
HOLD = """
import sys, time
from pathlib import Path
from mrio_tools.series.folder import series_lock

with series_lock(Path(sys.argv[1]), run="holder-run"):
    print("locked", flush=True)
    sys.stdin.readline()
"""


def test_a_live_run_holding_the_folder_refuses_a_second_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "series"
    assert _run(_series(out), capsys)[0] == 0
    before = _files(out)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        code, err = _run(_series(out, "--unit", "Mt"), capsys)
        assert code == 2
        assert "another run writes this series folder now" in err and "holder-run" in err
        assert f"process {holder.pid}" in err and "another --out-dir" in err
        assert {k: v for k, v in _files(out).items() if k != LOCK} == before
    finally:
        holder.communicate(input="\n", timeout=60)
    # once the holder has ended, the run goes ahead
    code, err = _run(_series(out, "--unit", "Mt"), capsys)
    assert code == 0, err
    assert set(pd.read_csv(out / "accounts.csv").query("account == 'PBA'")["unit"]) == {"Mt"}


def test_the_stale_lock_of_a_dead_run_is_taken_over_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(dead.stdout)
    out = tmp_path / "series"
    out.mkdir()
    (out / LOCK).write_text(json.dumps({"run": "killed-run", "pid": pid, "host": "here", "started": "then"}))
    code, err = _run(_series(out), capsys)
    assert code == 0, err
    assert "took over the lock" in err and "killed-run" in err and "no longer runs" in err
    assert not (out / LOCK).exists()
    check_manifest(out)


def test_two_runs_at_once_into_one_folder_never_mix_units(tmp_path: Path) -> None:
    out = tmp_path / "series"
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "mrio_tools", *_series(out, "--unit", unit, years="1990-2019")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        for unit in ("kt", "Mt")
    ]
    results = [(run.wait(timeout=300), run.communicate()[1]) for run in runs]
    codes = [code for code, _ in results]
    assert 0 in codes, results
    for code, err in results:
        assert code in (0, 2), err
        if code == 2:  # the loser is refused by name, never half-way
            assert "another run writes this series folder now" in err and "unexpected" not in err
    # whatever the order, the folder is one run's: a valid manifest and one unit across all years
    manifest = check_manifest(out)
    accounts = pd.read_csv(out / "accounts.csv")
    mass = accounts[accounts["account"].isin(["PBA", "CBA"])]
    assert len(set(mass["unit"])) == 1 and set(mass["year"]) == set(range(1990, 2020))
    flows = pd.read_csv(out / "flows.csv")
    assert set(flows["unit"]) == set(mass["unit"]) and manifest["years"] == list(range(1990, 2020))


def test_two_runs_at_once_sharing_one_store_each_get_their_own_tables(tmp_path: Path) -> None:
    store = tmp_path / "store"
    runs = {
        unit: subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mrio_tools",
                "series",
                "--source",
                "demo",
                "--years",
                "2000-2009",
                "--out-dir",
                str(tmp_path / unit),
                "--cache",
                str(store),
                "--no-progress",
                "--unit",
                unit,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        for unit in ("kt", "Mt")
    }
    for unit, run in runs.items():
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        check_manifest(tmp_path / unit)
        accounts = pd.read_csv(tmp_path / unit / "accounts.csv")
        assert set(accounts.query("account == 'PBA'")["unit"]) == {unit}
    # one entry per year in the store (the same tables), none half-written or left as a temporary
    entries = sorted(p.name for p in (store / "tables").iterdir())
    assert len(entries) == 10 and not [e for e in entries if e.startswith(".")]
    kt = pd.read_csv(tmp_path / "kt" / "accounts.csv").query("account == 'PBA'")["value"].to_numpy()
    mt = pd.read_csv(tmp_path / "Mt" / "accounts.csv").query("account == 'PBA'")["value"].to_numpy()
    assert kt == pytest.approx(mt * 1000, rel=1e-12)  # 1 Mt = 1000 kt


# ------------------------------------------------------------------ damaged partitions
def test_a_truncated_partition_is_named_set_aside_and_recomputed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "series"
    assert _run(_series(out), capsys)[0] == 0
    tables = {name: (out / name).read_bytes() for name in ("accounts.csv", "flows.csv")}
    damaged = out / "years" / "2001" / "flows.parquet"
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])  # cut short, key unchanged
    code, err = _run(_series(out), capsys)
    assert code == 0, err
    assert str(damaged) in err and "does not match its checksum" in err and "set aside" in err
    aside = list((out / "damaged").glob("2001-*"))
    assert (
        len(aside) == 1
        and (aside[0] / "flows.parquet").stat().st_size < (out / "years/2001/flows.parquet").stat().st_size
    )
    # recomputed: the same tables as before the damage, and the folder checks again
    assert {name: (out / name).read_bytes() for name in tables} == tables
    check_manifest(out)
    code, err = _run(_series(out), capsys)
    assert code == 0 and "set aside" not in err  # repaired for good


def test_a_failed_rerun_leaves_the_folder_a_report_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mrio_tools.report.series_folder import read_series_folder
    from mrio_tools.series import tasks

    out = tmp_path / "series"
    assert _run(_series(out), capsys)[0] == 0
    tables = {name: (out / name).read_bytes() for name in ("accounts.csv", "flows.csv", MANIFEST)}
    real = tasks.national_accounts

    def fails_in_2001(mrio, **kwargs):  # type: ignore[no-untyped-def]
        if mrio.year == 2001:
            raise OSError(28, "No space left on device")
        return real(mrio, **kwargs)

    monkeypatch.setattr(tasks, "national_accounts", fails_in_2001)
    code, err = _run(_series(out, "--unit", "Mt"), capsys)
    assert code == 2 and "No space left on device" in err and "free disk space" in err
    # 2000 was recomputed in Mt, but the old tables and their manifest are intact and readable
    assert {name: (out / name).read_bytes() for name in tables} == tables
    check_manifest(out)
    assert set(read_series_folder(out).accounts.query("account == 'PBA'")["unit"]) == {"kg"}
