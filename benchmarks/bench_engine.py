"""Benchmark of mrio_tools' national accounts against pymrio's calc_all on one synthetic MRIO.

Usage (from the repository root):

    python benchmarks/bench_engine.py --regions 49 --sectors 200 --stressors 4
    python benchmarks/bench_engine.py --regions 164 --sectors 120 --stressors 4 --skip-pymrio

The parent process generates the system once (benchmarks/synthetic.py), saves Z, Y, F, F_Y and the
labels as .npy files in a temporary folder, then runs each side in its own worker process, one after
the other, so that their peak memory (ru_maxrss) and wall time do not mix:

- ours:   `MRIO` from labelled DataFrames, then `mrio_tools.accounts.national.national_accounts`;
- pymrio: `pymrio.IOSystem` with Z, Y and one extension (F, F_Y), then `calc_all()`, reading
          D_pba_reg, D_cba_reg, D_exp_reg and D_imp_reg.

Each worker reports load time (np.load), build time (container construction, for us including the
MRIO's validation), compute time and peak resident memory. The parent compares PBA, CBA, EEE and EEI
(docs/methods.md, "National accounts") elementwise and prints progress lines, then, as its last line, one
JSON object. Memory is in GB of 10^9 bytes; `*_s` is compute time in seconds.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from mrio_tools.choices import SolverMethod

ACCOUNTS = ("PBA", "CBA", "EEE", "EEI")
#: pymrio's regional accounts with the same definitions (docs/methods.md, "National accounts")
PYMRIO_ACCOUNTS = {"PBA": "D_pba_reg", "CBA": "D_cba_reg", "EEE": "D_exp_reg", "EEI": "D_imp_reg"}
TINY = np.finfo(np.float64).tiny


def log(message: str) -> None:
    print(message, flush=True)


def peak_gb() -> float:
    """Peak resident memory of this process so far, GB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9


def current_gb() -> float:
    """Resident memory now, GB (from /proc; 0 where it is not available)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024 / 1e9
    except OSError:
        pass
    return 0.0


def machine_busy_s() -> float | None:
    """CPU seconds the whole machine has spent busy since boot, all cores (None without /proc/stat)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    ticks = [int(v) for v in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# ------------------------------------------------------------------ workers
def load_arrays(folder: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    arrays = {name: np.load(folder / f"{name}.npy") for name in ("Z", "Y", "F", "F_Y")}
    labels = json.loads((folder / "labels.json").read_text())
    return arrays, labels


def frames(arrays: dict[str, np.ndarray], labels: dict[str, Any]) -> dict[str, Any]:
    """Labelled DataFrames around the loaded arrays (pandas 2 wraps a 2-D float array without a copy)."""
    import pandas as pd

    rows = pd.MultiIndex.from_product([labels["regions"], labels["sectors"]], names=["region", "sector"])
    fd = pd.MultiIndex.from_product([labels["regions"], labels["categories"]], names=["region", "category"])
    stressors = pd.Index(labels["stressors"], name="stressor")
    return {
        "Z": pd.DataFrame(arrays["Z"], index=rows, columns=rows),
        "Y": pd.DataFrame(arrays["Y"], index=rows, columns=fd),
        "F": pd.DataFrame(arrays["F"], index=stressors, columns=rows),
        "F_Y": pd.DataFrame(arrays["F_Y"], index=stressors, columns=fd),
    }


def _measured(
    folder: Path, build: Callable[[dict[str, Any], dict[str, Any]], Any], compute: Callable[[Any], Any]
) -> tuple[Any, dict[str, Any], dict[str, float]]:
    """Load the arrays, `build(frames, labels)` the side's object, time `compute(object)`; return its
    result, the labels and the timings (wall and CPU seconds, memory after building)."""
    start = time.perf_counter()
    arrays, labels = load_arrays(folder)
    loaded = time.perf_counter()
    blocks = frames(arrays, labels)
    del arrays
    built_object = build(blocks, labels)
    del blocks
    built = time.perf_counter()
    rss_built = current_gb()
    cpu = time.process_time()
    result = compute(built_object)
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    timings = {
        "load_s": loaded - start,
        "build_s": built - loaded,
        "compute_s": done - built,
        "compute_cpu_s": cpu,
        "rss_after_build_gb": rss_built,
    }
    return result, labels, timings


def run_ours(folder: Path, solver: str) -> dict[str, Any]:
    import pandas as pd

    import mrio_tools
    from mrio_tools.accounts.national import national_accounts
    from mrio_tools.mrio.container import MRIO

    def build(blocks: dict[str, Any], labels: dict[str, Any]) -> MRIO:
        return MRIO(
            **blocks,
            monetary_unit="M EUR",
            stressor_units={s: "kg" for s in labels["stressors"]},
            source="synthetic (benchmarks/synthetic.py)",
            version=f"seed {labels['seed']}",
            year=2020,
            price_basis="basic prices",
            notes={"purpose": "engine benchmark"},
        )

    accounts, labels, timings = _measured(folder, build, lambda mrio: national_accounts(mrio, solver=solver))
    table = accounts.table
    R, k = len(labels["regions"]), len(labels["stressors"])
    wanted = pd.MultiIndex.from_product(
        [labels["stressors"], labels["regions"]], names=["stressor", "region"]
    )
    for account in ACCOUNTS:
        part = table[table["account"] == account].set_index(["stressor", "region"])["value"]
        values = part.reindex(wanted).to_numpy(dtype=np.float64).reshape(k, R)
        if np.isnan(values).any():
            raise RuntimeError(f"{account}: the accounts table lacks some (stressor, region) rows")
        np.save(folder / f"ours_{account}.npy", values)
    solver_info = dict(accounts.metadata["solver"])
    return {
        **timings,
        "solver": {key: value for key, value in solver_info.items() if np.isscalar(value)},
        "engine": str(Path(mrio_tools.__file__).parent),
    }


def run_pymrio(folder: Path) -> dict[str, Any]:
    import pandas as pd
    import pymrio

    def build(blocks: dict[str, Any], labels: dict[str, Any]) -> pymrio.IOSystem:
        unit = pd.DataFrame({"unit": "kg"}, index=blocks["F"].index)
        # pymrio builds each extension from a keyword argument holding the Extension's own arguments
        extension = {"name": "emissions", "F": blocks["F"], "F_Y": blocks["F_Y"], "unit": unit}
        return pymrio.IOSystem(Z=blocks["Z"], Y=blocks["Y"], emissions=extension)

    def compute(io: pymrio.IOSystem) -> pymrio.IOSystem:
        io.calc_all()
        return io

    io, labels, timings = _measured(folder, build, compute)
    for account, attribute in PYMRIO_ACCOUNTS.items():
        frame = getattr(io.emissions, attribute)
        values = frame.loc[labels["stressors"], labels["regions"]].to_numpy(dtype=np.float64)
        np.save(folder / f"pymrio_{account}.npy", values)
    return timings


def worker(side: str, folder: Path, solver: str) -> None:
    result = run_ours(folder, solver) if side == "ours" else run_pymrio(folder)
    result["peak_gb"] = peak_gb()
    (folder / f"{side}.json").write_text(json.dumps(result))
    log(
        f"  [{side}] load {result['load_s']:.2f} s, build {result['build_s']:.2f} s, "
        f"compute {result['compute_s']:.2f} s, peak {result['peak_gb']:.2f} GB"
    )


# ------------------------------------------------------------------- parent
def generate(folder: Path, regions: int, sectors: int, stressors: int, seed: int) -> dict[str, Any]:
    from numpy.lib.format import open_memmap
    from synthetic import make_system

    n = regions * sectors
    Z = open_memmap(folder / "Z.npy", mode="w+", dtype=np.float64, shape=(n, n))
    system = make_system(regions, sectors, stressors, seed=seed, Z_out=Z)
    Z.flush()
    for name in ("Y", "F", "F_Y"):
        np.save(folder / f"{name}.npy", getattr(system, name))
    x = Z.sum(axis=1) + system.Y.sum(axis=1)
    output_error = float(np.max(np.abs(x - system.x) / system.x))
    labels = {
        "regions": system.regions,
        "sectors": system.sectors,
        "categories": system.categories,
        "stressors": system.stressors,
        "seed": seed,
    }
    (folder / "labels.json").write_text(json.dumps(labels))
    stats = {
        "offdiagonal_density": system.offdiagonal_density,
        "domestic_coefficient_mean": system.domestic_coefficient_mean,
        "import_coefficient_mean": system.import_coefficient_mean,
        "capped_row_share": system.capped_row_share,
        "output_identity_rel_error": output_error,
    }
    del Z, system
    return stats


def run_worker(side: str, folder: Path, solver: str) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", side, "--input", str(folder)]
    command += ["--solver", solver]
    log(f"running {side} in its own process ...")
    busy, own = machine_busy_s(), children_cpu_s()
    started = time.perf_counter()
    completed = subprocess.run(command, check=False)
    wall = time.perf_counter() - started
    busy_after = machine_busy_s()
    # CPU time that other processes took while the worker ran: near 0 means a clean timing, while
    # seconds of it mean the timings are inflated (2 busy BLAS threads wait for each other)
    other = None if busy is None or busy_after is None else busy_after - busy - (children_cpu_s() - own)
    if completed.returncode != 0:
        raise RuntimeError(f"{side} worker failed with exit status {completed.returncode}")
    result: dict[str, Any] = json.loads((folder / f"{side}.json").read_text())
    result["process_wall_s"] = wall
    result["other_cpu_s"] = other
    if other is not None and other > 0.05 * wall:
        log(f"  warning: other processes used {other:.1f} CPU s during the {side} run; timings are inflated")
    return result


def compare(folder: Path) -> dict[str, float]:
    """Largest elementwise |ours - pymrio| / max(|pymrio|, tiny), per account."""
    out = {}
    for account in ACCOUNTS:
        ours = np.load(folder / f"ours_{account}.npy")
        reference = np.load(folder / f"pymrio_{account}.npy")
        out[account] = float(np.max(np.abs(ours - reference) / np.maximum(np.abs(reference), TINY)))
    return out


def identity_error(folder: Path) -> float:
    """|sum PBA - sum CBA| / sum PBA over all stressors (docs/methods.md identity 1), for our side alone."""
    pba, cba = np.load(folder / "ours_PBA.npy"), np.load(folder / "ours_CBA.npy")
    return float(np.max(np.abs(pba.sum(axis=1) - cba.sum(axis=1)) / np.abs(pba.sum(axis=1))))


def versions() -> dict[str, str]:
    import pandas as pd
    import pymrio
    import scipy

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pandas": pd.__version__,
        "pymrio": pymrio.__version__,
    }


def machine_memory_gb() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    except (ValueError, OSError):
        return None


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def parent(args: argparse.Namespace) -> int:
    R, S, k = args.regions, args.sectors, args.stressors
    n = R * S
    log(f"synthetic MRIO: {R} regions x {S} sectors = {n} rows, {k} stressors, seed {args.seed}")
    log(f"Z alone is {n * n * 8 / 1e9:.2f} GB (float64)")
    folder = Path(tempfile.mkdtemp(prefix="mrio_bench_", dir=args.tmpdir))
    report: dict[str, Any] = {
        "regions": R,
        "sectors": S,
        "stressors": k,
        "n": n,
        "seed": args.seed,
        "solver_requested": args.solver,
    }
    status = 0
    report["load_average_start"] = os.getloadavg()[0]
    try:
        started = time.perf_counter()
        report.update(generate(folder, R, S, k, args.seed))
        report["generate_s"] = time.perf_counter() - started
        log(
            f"generated in {report['generate_s']:.1f} s (offdiagonal density "
            f"{report['offdiagonal_density']:.4f}, generator peak {peak_gb():.2f} GB)"
        )
        ours = run_worker("ours", folder, args.solver)
        pymrio = None if args.skip_pymrio else run_worker("pymrio", folder, args.solver)
        solver = ours["solver"]
        report.update(
            {
                "solver_method": solver.get("method"),
                "solver": solver,
                "engine": ours["engine"],
                "ours_s": ours["compute_s"],
                "ours_cpu_s": ours["compute_cpu_s"],
                "ours_load_s": ours["load_s"],
                "ours_build_s": ours["build_s"],
                "ours_peak_gb": ours["peak_gb"],
                "ours_rss_after_build_gb": ours["rss_after_build_gb"],
                "ours_identity_rel_error": identity_error(folder),
                "ours_other_cpu_s": ours["other_cpu_s"],
                "pymrio_s": pymrio["compute_s"] if pymrio else None,
                "pymrio_cpu_s": pymrio["compute_cpu_s"] if pymrio else None,
                "pymrio_load_s": pymrio["load_s"] if pymrio else None,
                "pymrio_build_s": pymrio["build_s"] if pymrio else None,
                "pymrio_peak_gb": pymrio["peak_gb"] if pymrio else None,
                "pymrio_rss_after_build_gb": pymrio["rss_after_build_gb"] if pymrio else None,
                "pymrio_other_cpu_s": pymrio["other_cpu_s"] if pymrio else None,
            }
        )
        if pymrio:
            per_account = compare(folder)
            report["max_rel_diff"] = max(per_account.values())
            report["rel_diff_by_account"] = per_account
        else:
            report["max_rel_diff"] = None
        report["speedup"] = ratio(report["pymrio_s"], report["ours_s"])
        report["speedup_incl_build"] = ratio(
            report["pymrio_s"] and report["pymrio_s"] + report["pymrio_build_s"],
            report["ours_s"] + report["ours_build_s"],
        )
        report["memory_ratio"] = ratio(report["pymrio_peak_gb"], report["ours_peak_gb"])
        log(
            f"ours {report['ours_s']:.2f} s / {report['ours_peak_gb']:.2f} GB ({report['solver_method']}); "
            + (
                f"pymrio {report['pymrio_s']:.2f} s / {report['pymrio_peak_gb']:.2f} GB; "
                f"speedup {report['speedup']:.1f}x, memory ratio {report['memory_ratio']:.1f}x, "
                f"max rel diff {report['max_rel_diff']:.2e}"
                if pymrio
                else "pymrio skipped"
            )
        )
    except (RuntimeError, OSError, ValueError) as error:
        # the JSON line is still printed, with the error, and the exit status says it failed
        report["error"] = str(error)
        status = 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report.update(
        {
            "versions": versions(),
            "cpu_count": os.cpu_count(),
            # other work on the machine slows small BLAS calls badly: judge timings with these
            "load_average_end": os.getloadavg()[0],
            "machine_memory_gb": machine_memory_gb(),
            "platform": platform.platform(),
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }
    )
    print(json.dumps(report), flush=True)
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=49)
    parser.add_argument("--sectors", type=int, default=200)
    parser.add_argument("--stressors", type=int, default=4)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--solver", choices=typing.get_args(SolverMethod), default="auto")
    parser.add_argument("--skip-pymrio", action="store_true", help="run our engine only (large tables)")
    parser.add_argument("--tmpdir", default=None, help="where the temporary .npy files go")
    parser.add_argument("--worker", choices=("ours", "pymrio"), help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.input, args.solver)
        return 0
    return parent(args)


if __name__ == "__main__":
    sys.exit(main())
