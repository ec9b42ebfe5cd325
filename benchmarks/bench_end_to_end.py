"""End to end (files -> numbers -> files): pymrio's load_all + calc_all against `mrio-tools`, one save.

The parent writes a synthetic system (`synthetic.make_system`) as a pymrio parquet save
(`pymrio_folder.write_save`), then runs each case in its own process under ``/usr/bin/time -v`` (wall
time of the whole process, imports included, and its peak resident memory):

- ``pymrio``: ``pymrio.load_all(save)``, ``calc_all()``, and the regional accounts D_pba_reg,
  D_cba_reg, D_exp_reg, D_imp_reg of the extension written as CSV;
- ``cold``: ``mrio-tools accounts --source pymrio --data SAVE --year Y --out accounts.csv``;
- ``warm``: ``mrio-tools series --source pymrio --data SAVE --years Y --cache STORE --out-dir NEW``
  with the store filled by an earlier (unmeasured) run, so the table comes from the store.

Each case runs `--repeat` times (best wall time, its peak); results of pymrio and of both our cases are
compared (largest relative difference over PBA, CBA, EEE, EEI of every stressor and region). The last
line printed is one JSON object. ``--skip-pymrio`` runs our cases only (GLORIA size: pymrio's calc_all
holds about six dense n x n matrices, 6 x 8 n^2 bytes = 18.6 GB at n = 19,680, plus its load).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ACCOUNTS = {"PBA": "D_pba_reg", "CBA": "D_cba_reg", "EEE": "D_exp_reg", "EEI": "D_imp_reg"}
TINY = np.finfo(np.float64).tiny
YEAR = 2015
HERE = Path(__file__).resolve().parent


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def pymrio_worker(save: Path, out: Path) -> None:
    """The pymrio side: load, compute everything, write the four regional accounts."""
    import pymrio

    io = pymrio.load_all(save)
    io.calc_all()
    for account, attribute in ACCOUNTS.items():
        getattr(io.emissions, attribute).to_csv(out / f"{account}.csv")


def timed(command: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `command` under /usr/bin/time -v: wall seconds and peak resident memory (GB of 10^9 bytes)."""
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{command[:4]} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    peak_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))  # type: ignore[union-attr]
    # CPU seconds in user and kernel mode: on a virtual machine the kernel share is mostly the first
    # touch of fresh memory (benchmarks/README.md, "Fresh memory on this machine")
    cpu = {
        f"{mode}_s": float(re.search(rf"{label} time \(seconds\): ([\d.]+)", done.stderr).group(1))  # type: ignore[union-attr]
        for mode, label in (("user", "User"), ("sys", "System"))
    }
    return {"wall_s": wall, "peak_gb": peak_kib * 1024 / 1e9, **cpu}


def best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    fastest = min(runs, key=lambda r: r["wall_s"])
    return {
        **fastest,
        "walls_s": [round(r["wall_s"], 3) for r in runs],
        "peak_gb_max": max(r["peak_gb"] for r in runs),
    }


def ours_table(path: Path) -> dict[str, pd.DataFrame]:
    """Our long accounts table as stressor x region frames per account."""
    table = pd.read_csv(path)
    return {
        account: table[table["account"] == account].pivot_table(
            index="stressor", columns="region", values="value", aggfunc="sum"
        )
        for account in ACCOUNTS
    }


def max_rel_diff(ours: dict[str, pd.DataFrame], folder: Path) -> float:
    worst = 0.0
    for account in ACCOUNTS:
        reference = pd.read_csv(folder / f"{account}.csv", index_col=[0, 1])  # (stressor, compartment)
        reference.index = pd.Index([" - ".join(map(str, label)) for label in reference.index])
        mine = ours[account].reindex(index=reference.index, columns=reference.columns)
        if mine.isna().to_numpy().any():
            raise RuntimeError(f"{account}: labels of the two sides differ")
        ref = reference.to_numpy(dtype=np.float64)
        worst = max(worst, float(np.max(np.abs(mine.to_numpy() - ref) / np.maximum(np.abs(ref), TINY))))
    return worst


def ours_vs_ours(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> float:
    worst = 0.0
    for account in ACCOUNTS:
        ref = a[account].to_numpy()
        got = b[account].reindex(index=a[account].index, columns=a[account].columns).to_numpy()
        worst = max(worst, float(np.max(np.abs(got - ref) / np.maximum(np.abs(ref), TINY))))
    return worst


def parent(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(HERE))
    from pymrio_folder import write_save
    from synthetic import make_system

    root = Path(tempfile.mkdtemp(prefix="bench_e2e_", dir=args.tmpdir))
    try:
        save = root / "save"
        log(f"writing a {args.regions} x {args.sectors} system, {args.stressors} stressors, as a pymrio save")
        system = make_system(
            args.regions, args.sectors, args.stressors, seed=args.seed, import_density=args.import_density
        )
        write_save(system, save, year=YEAR)
        del system
        python = sys.executable
        env = dict(os.environ)
        env["PYTHONPATH"] = str(HERE.parent) + os.pathsep + env.get("PYTHONPATH", "")
        cli = [python, "-m", "mrio_tools"]
        common = ["--source", "pymrio", "--data", str(save), "--solver", args.solver]
        result: dict[str, Any] = {
            "regions": args.regions,
            "sectors": args.sectors,
            "stressors": args.stressors,
        }
        result |= {"n": args.regions * args.sectors, "import_density": args.import_density, "seed": args.seed}
        result |= {"save_bytes": sum(p.stat().st_size for p in save.rglob("*") if p.is_file())}
        runs: dict[str, list[dict[str, Any]]] = {"pymrio": [], "cold": [], "warm": []}
        store = root / "store"
        fill = [
            *cli,
            "series",
            *common,
            "--years",
            str(YEAR),
            "--cache",
            str(store),
            "--out-dir",
            str(root / "fill"),
            "--no-progress",
        ]
        subprocess.run(fill, check=True, env=env, capture_output=True)
        for i in range(args.repeat):
            if not args.skip_pymrio:
                out = root / f"pymrio{i}"
                out.mkdir()
                log(f"run {i + 1}: pymrio load_all + calc_all ...")
                runs["pymrio"].append(
                    timed([python, str(Path(__file__).resolve()), "--worker", str(save), str(out)], env)
                )
                log(f"  {runs['pymrio'][-1]}")
            log(f"run {i + 1}: mrio-tools accounts (cold, from the pymrio save) ...")
            runs["cold"].append(
                timed(
                    [*cli, "accounts", *common, "--year", str(YEAR), "--out", str(root / f"cold{i}.csv")], env
                )
            )
            log(f"  {runs['cold'][-1]}")
            log(f"run {i + 1}: mrio-tools series (warm store, new output folder) ...")
            warm = [
                *cli,
                "series",
                *common,
                "--years",
                str(YEAR),
                "--cache",
                str(store),
                "--out-dir",
                str(root / f"warm{i}"),
                "--no-progress",
            ]
            runs["warm"].append(timed(warm, env))
            log(f"  {runs['warm'][-1]}")
        cold = ours_table(root / "cold0.csv")
        warm_table = ours_table(root / "warm0" / "accounts.csv")
        result["cold_vs_warm_max_rel_diff"] = ours_vs_ours(cold, warm_table)
        for case, case_runs in runs.items():
            if case_runs:
                result[case] = best(case_runs)
        if runs["pymrio"]:
            result["max_rel_diff_cold"] = max_rel_diff(cold, root / "pymrio0")
            result["max_rel_diff_warm"] = max_rel_diff(warm_table, root / "pymrio0")
            for case in ("cold", "warm"):
                result[f"speedup_{case}"] = result["pymrio"]["wall_s"] / result[case]["wall_s"]
                result[f"memory_ratio_{case}"] = result["pymrio"]["peak_gb"] / result[case]["peak_gb"]
        meta = json.loads((root / "cold0.meta.json").read_text())
        result["solver"] = {k: v for k, v in meta.get("solver", {}).items() if np.isscalar(v)}
        result["date"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        result["load_average"] = os.getloadavg()
        print(json.dumps(result))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=49)
    parser.add_argument("--sectors", type=int, default=200)
    parser.add_argument("--stressors", type=int, default=20)
    parser.add_argument("--import-density", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--solver", default="auto")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-pymrio", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--tmpdir", default=None)
    parser.add_argument("--worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        pymrio_worker(*args.worker)
        return 0
    return parent(args)


if __name__ == "__main__":
    sys.exit(main())
