"""A 30-year series of a synthetic 49 x 200 table from a warm store, serial and with 2 Dask workers.

Writes one pymrio parquet save per year (`pymrio_folder.write_save`; the years share Z, Y and F by
hard links and differ in their `metadata.json` year, so each year is its own store entry), fills the
store with one unmeasured ``mrio-tools series --cache STORE`` run, then measures

    mrio-tools series --source pymrio --data SAVES --years 1990-2019 --cache STORE --out-dir NEW [--workers 2]

into a new output folder each time (every year solved, every table read from the store). Memory is
polled with psutil every 0.1 s: the peak of each process of the tree (the command, and the Dask
workers) and the peak of their sum. Prints years per minute and those peaks; the last line is JSON.
Disk: the store holds 8 n^2 bytes per year (0.77 GB at 49 x 200, 23 GB for 30 years).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent


def measure(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Wall seconds, peak summed RSS of the process tree and each process's peak RSS (GB)."""
    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peaks: dict[int, tuple[str, float]] = {}
    total_peak = 0.0
    while process.poll() is None:
        total = 0.0
        try:
            tree = [process, *process.children(recursive=True)]
        except psutil.Error:
            tree = []
        for proc in tree:
            try:
                rss = proc.memory_info().rss / 1e9
                name = " ".join(proc.cmdline()[1:4])
            except psutil.Error:
                continue
            total += rss
            if rss > peaks.get(proc.pid, ("", 0.0))[1]:
                peaks[proc.pid] = (name, rss)
        total_peak = max(total_peak, total)
        time.sleep(0.1)
    wall = time.perf_counter() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise RuntimeError(f"failed ({process.returncode}): {stderr[-2000:]}")
    per_process = sorted((round(rss, 3) for _, rss in peaks.values()), reverse=True)
    return {"wall_s": wall, "tree_peak_gb": total_peak, "process_peaks_gb": per_process[:6]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=49)
    parser.add_argument("--sectors", type=int, default=200)
    parser.add_argument("--stressors", type=int, default=20)
    parser.add_argument("--first", type=int, default=1990)
    parser.add_argument("--years", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--tmpdir", default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from pymrio_folder import write_save
    from synthetic import make_system

    root = Path(tempfile.mkdtemp(prefix="bench_series_store_", dir=args.tmpdir))
    try:
        saves = root / "saves"
        years = list(range(args.first, args.first + args.years))
        system = make_system(args.regions, args.sectors, args.stressors, seed=args.seed, import_density=0.05)
        first = write_save(system, saves / str(years[0]), year=years[0])
        del system
        for year in years[1:]:
            folder = saves / str(year)
            shutil.copytree(first, folder, copy_function=os.link)
            meta = json.loads((first / "metadata.json").read_text())
            (folder / "metadata.json").unlink()  # a hard link: replace, do not edit
            (folder / "metadata.json").write_text(json.dumps({**meta, "year": year}))
        env = dict(os.environ)
        env["PYTHONPATH"] = str(HERE.parent) + os.pathsep + env.get("PYTHONPATH", "")
        span = f"{years[0]}-{years[-1]}"
        base = [sys.executable, "-m", "mrio_tools", "series", "--source", "pymrio", "--data", str(saves)]
        base += ["--years", span, "--cache", str(root / "store"), "--no-progress"]
        print("filling the store ...", file=sys.stderr, flush=True)
        fill = measure([*base, "--out-dir", str(root / "fill")], env)
        result: dict[str, Any] = {"regions": args.regions, "sectors": args.sectors, "years": len(years)}
        result["cold_fill"] = fill
        for label, extra in (("serial", []), ("workers_2", ["--workers", "2"])):
            print(f"{label} ...", file=sys.stderr, flush=True)
            run = measure([*base, "--out-dir", str(root / label), *extra], env)
            run["years_per_minute"] = 60 * len(years) / run["wall_s"]
            result[label] = run
            print(f"  {run}", file=sys.stderr, flush=True)
        serial, parallel = (
            (root / "serial" / "accounts.csv").read_bytes(),
            (root / "workers_2" / "accounts.csv").read_bytes(),
        )
        result["serial_equals_workers"] = serial == parallel
        result["load_average"] = os.getloadavg()
        print(json.dumps(result))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
