"""Serial series runs take small tables several years at a time in threads (`series.run._run_serial`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

import mrio_tools.series.run
from mrio_tools.series.run import run_series
from mrio_tools.series.tasks import SeriesJob, YearDone
from mrio_tools.sources.registry import SourceRequest

DEMO = SourceRequest(source="demo")
YEARS = list(range(1990, 1998))


def _watched(monkeypatch: pytest.MonkeyPatch, before: Callable[[int], None] = lambda year: None) -> list[str]:
    """Record the thread of every year's task (and run `before(year)` in it first)."""
    threads: list[str] = []
    task = mrio_tools.series.run.run_year

    def watched(job: SeriesJob, year: int) -> YearDone:
        threads.append(threading.current_thread().name)
        before(year)
        return task(job, year)

    monkeypatch.setattr(mrio_tools.series.run, "run_year", watched)
    return threads


def test_small_tables_run_side_by_side_with_the_numbers_of_one_after_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_by_one, side_by_side = tmp_path / "one", tmp_path / "two"
    run_series(DEMO, YEARS, one_by_one, solver="auto", unit=None, cache=None, threads=1, progress=False)
    # the first two years of the pool wait for each other: this passes only if they run at once
    meet = threading.Barrier(2, timeout=30)

    def together(year: int) -> None:
        if threading.current_thread() is not threading.main_thread() and year in (1991, 1992):
            meet.wait()

    threads = _watched(monkeypatch, together)
    result = run_series(
        DEMO, YEARS, side_by_side, solver="auto", unit=None, cache=None, threads=2, progress=False
    )
    assert result.computed == YEARS
    assert threads[0] == threading.main_thread().name  # the first year alone: its size decides the rest
    assert len(set(threads[1:])) == 2 and threading.main_thread().name not in threads[1:]
    for name in ("accounts.csv", "flows.csv"):
        assert (one_by_one / name).read_bytes() == (side_by_side / name).read_bytes()


def test_large_tables_run_one_after_another(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mrio_tools.series.run, "DENSE_UP_TO", 1)  # every table counts as large
    threads = _watched(monkeypatch)
    run_series(
        DEMO, YEARS[:4], tmp_path / "s", solver="auto", unit=None, cache=None, threads=2, progress=False
    )
    assert threads == [threading.main_thread().name] * 4


def test_a_failing_year_side_by_side_stops_the_run_and_a_rerun_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "s"

    def fail(year: int) -> None:
        if year == 1994:
            raise OSError("disk full while writing 1994 (simulated)")

    _watched(monkeypatch, fail)
    with pytest.raises(OSError, match="1994"):
        run_series(DEMO, YEARS, out, solver="auto", unit=None, cache=None, threads=2, progress=False)
    assert not (out / "accounts.csv").exists()  # no series tables from a failed run
    finished = {int(p.name) for p in (out / "years").iterdir() if (p / "meta.json").is_file()}
    assert 1990 in finished and 1994 not in finished

    monkeypatch.undo()
    again = run_series(DEMO, YEARS, out, solver="auto", unit=None, cache=None, threads=2, progress=False)
    assert again.computed == sorted(set(YEARS) - finished)
    clean = tmp_path / "clean"
    run_series(DEMO, YEARS, clean, solver="auto", unit=None, cache=None, threads=1, progress=False)
    assert (out / "accounts.csv").read_bytes() == (clean / "accounts.csv").read_bytes()


def test_with_a_warm_store_every_year_runs_side_by_side_from_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    run_series(
        DEMO, YEARS, tmp_path / "fill", solver="auto", unit=None, cache=cache, threads=1, progress=False
    )
    meet = threading.Barrier(2, timeout=30)

    def together(year: int) -> None:
        if year in (1990, 1991):  # the first two years: this passes only if they run at once
            meet.wait()

    threads = _watched(monkeypatch, together)
    out = tmp_path / "warm"
    result = run_series(DEMO, YEARS, out, solver="auto", unit=None, cache=cache, threads=2, progress=False)
    assert result.computed == YEARS
    assert threading.main_thread().name not in threads and len(set(threads)) == 2
    for name in ("accounts.csv", "flows.csv"):
        assert (out / name).read_bytes() == (tmp_path / "fill" / name).read_bytes()


def test_with_a_warm_store_large_tables_still_run_one_after_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    run_series(DEMO, YEARS[:3], tmp_path / "fill", solver="auto", unit=None, cache=cache, progress=False)
    monkeypatch.setattr(mrio_tools.series.run, "DENSE_UP_TO", 1)  # every table counts as large
    threads = _watched(monkeypatch)
    run_series(
        DEMO, YEARS[:3], tmp_path / "s", solver="auto", unit=None, cache=cache, threads=2, progress=False
    )
    assert threads == [threading.main_thread().name] * 3
