"""Wall time and peak memory (whole process tree) of `mrio-tools series` runs, and store vs parse.

    .venv/bin/python benchmarks/bench_series.py --data ../shared/data --out /tmp/bench_series

Runs WIOD 2013 + JRC CO2 2000-2011 four ways: serial and with 2 Dask workers, each with an empty
store (cold) and again with the store and the partitions in place (warm: nothing to recompute), and
a warm-store run into a new folder (tables from the store, accounts recomputed). Memory is the
largest sum of resident memory over the command's process and all its children, sampled every
0.1 s (psutil). Then it times parsing one WIOD year from the RData (with the JRC CO2 attached)
against loading it from the store.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil


def measure(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak resident GB of the process tree) of one command."""
    start = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    if process.returncode:
        raise SystemExit(f"{command} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return time.perf_counter() - start, peak / 1e9


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--out", type=Path, required=True, help="scratch folder (emptied)")
    parser.add_argument("--years", default="2000-2011")
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    base = [sys.executable, "-m", "mrio_tools", "series", "--source", "wiod2013"]
    base += ["--data", str(args.data / "wiod2013"), "--emissions", str(args.data / "wiod2016_env")]
    base += ["--years", args.years, "--unit", "Mt", "--no-progress"]
    rows = []
    for label, extra in (("serial", []), ("2 Dask workers", ["--workers", "2"])):
        cache = args.out / f"cache {label}"
        out = args.out / f"series {label}"
        command = [*base, "--cache", str(cache), "--out-dir", str(out), *extra]
        rows.append((label, "cold (empty store)", *measure(command)))
        rows.append((label, "warm (nothing to recompute)", *measure(command)))
        fresh = [*base, "--cache", str(cache), "--out-dir", str(out) + " 2", *extra]
        rows.append((label, "warm store, new folder", *measure(fresh)))
    print("| run | case | wall s | peak GB (process tree) |\n|---|---|---|---|")
    for label, case, wall, peak in rows:
        print(f"| {label} | {case} | {wall:.1f} | {peak:.2f} |")

    from mrio_tools.series.run import load_table
    from mrio_tools.sources.registry import SourceRequest
    from mrio_tools.sources.wiod2013 import read_wiod2013

    request = SourceRequest(
        source="wiod2013", data=args.data / "wiod2013", emissions=args.data / "wiod2016_env"
    )
    cache = args.out / "cache store"
    wiod = args.data / "wiod2013"
    load_table(request, 2008, cache, run="bench")  # fills the store (and reads the JRC workbook once)
    timings = {}
    for name, step in (
        (
            "parse RData (table only)",
            lambda: read_wiod2013(wiod, 2008, output_gap="scale_rows"),
        ),
        ("parse RData + attach JRC CO2", lambda: load_table(request, 2008, None, run="bench")),
        ("load from the store", lambda: load_table(request, 2008, cache, run="bench")),
    ):
        start = time.perf_counter()
        for _ in range(5):
            step()
        timings[name] = (time.perf_counter() - start) / 5
    for name, seconds in timings.items():
        print(f"{name}: {seconds * 1000:.0f} ms per year")


if __name__ == "__main__":
    main()
