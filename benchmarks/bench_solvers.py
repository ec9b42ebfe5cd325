"""Which exact solver path wins, compute only: dense LU, block iteration, Krylov, sparse direct.

For one synthetic system (`synthetic.make_system`; domestic blocks dense, import blocks
`--import-density` dense) each method of `mrio_tools.leontief.factorize` runs in its own process
(memory capped by `--memory-gb`, time by `--timeout`): factorise (I - A), solve X = (I - A)^-1 y for
the R consuming regions and m^T = (I - A)^-T f^T for the k stressors, with every solve's residual
check. Printed: seconds per step, the worker's peak resident memory, and the largest relative
difference of X and m from the dense LU's (when dense ran), per column relative to its largest entry.
The last line is one JSON object.

``python benchmarks/bench_solvers.py --regions 49 --sectors 200 --stressors 20``
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

METHODS = ("dense", "block", "krylov", "sparse")
TINY = np.finfo(np.float64).tiny


def worker(folder: Path, method: str, memory_gb: float) -> None:
    limit = int(memory_gb * 1e9)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from mrio_tools.leontief.factorize import factorize

    Z = np.load(folder / "Z.npy")
    Y, F = np.load(folder / "Y.npy"), np.load(folder / "F.npy")
    meta = json.loads((folder / "meta.json").read_text())
    S, R = meta["sectors"], meta["regions"]
    x = Z.sum(axis=1) + Y.sum(axis=1)
    y = Y.reshape(len(x), R, -1).sum(axis=2)
    f = F / x
    started = time.perf_counter()
    system = factorize(Z, x, block_size=S, method=method)  # type: ignore[arg-type]
    factorised = time.perf_counter()
    X = system.solve(y)
    solved = time.perf_counter()
    m = system.solve_transposed(np.ascontiguousarray(f.T))
    done = time.perf_counter()
    np.save(folder / f"X_{method}.npy", X)
    np.save(folder / f"m_{method}.npy", m)
    result = {
        "method": system.method,
        "factorize_s": factorised - started,
        "solve_X_s": solved - factorised,
        "solve_m_s": done - solved,
        "total_s": done - started,
        "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9,
        "diagnostics": {k: v for k, v in system.diagnostics.items() if np.isscalar(v)},
    }
    (folder / f"{method}.json").write_text(json.dumps(result))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=49)
    parser.add_argument("--sectors", type=int, default=200)
    parser.add_argument("--stressors", type=int, default=20)
    parser.add_argument("--import-density", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--memory-gb", type=float, default=12.0)
    parser.add_argument("--tmpdir", default=None)
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(Path(args.worker[0]), args.worker[1], args.memory_gb)
        return 0
    from numpy.lib.format import open_memmap
    from synthetic import make_system

    folder = Path(tempfile.mkdtemp(prefix="bench_solvers_", dir=args.tmpdir))
    try:
        n = args.regions * args.sectors
        Z = open_memmap(folder / "Z.npy", mode="w+", dtype=np.float64, shape=(n, n))
        system = make_system(
            args.regions,
            args.sectors,
            args.stressors,
            seed=args.seed,
            import_density=args.import_density,
            Z_out=Z,
        )
        Z.flush()
        del Z
        np.save(folder / "Y.npy", system.Y)
        np.save(folder / "F.npy", system.F)
        (folder / "meta.json").write_text(json.dumps({"regions": args.regions, "sectors": args.sectors}))
        results: dict[str, Any] = {"regions": args.regions, "sectors": args.sectors, "n": n}
        results["import_density"] = args.import_density
        for method in args.methods.split(","):
            command = [
                sys.executable,
                __file__,
                "--worker",
                str(folder),
                method,
                "--memory-gb",
                str(args.memory_gb),
            ]
            print(f"{method} ...", file=sys.stderr, flush=True)
            try:
                done = subprocess.run(command, timeout=args.timeout, capture_output=True, text=True)
            except subprocess.TimeoutExpired:
                results[method] = {"failed": f"did not finish within {args.timeout:.0f} s"}
                continue
            if done.returncode != 0:
                results[method] = {"failed": (done.stderr.strip().splitlines() or ["?"])[-1][:300]}
                continue
            results[method] = json.loads((folder / f"{method}.json").read_text())
            print(f"  {results[method]}", file=sys.stderr, flush=True)
        if (folder / "X_dense.npy").is_file():
            X0, m0 = np.load(folder / "X_dense.npy"), np.load(folder / "m_dense.npy")
            for method in METHODS:
                if method != "dense" and (folder / f"X_{method}.npy").is_file():
                    X, m = np.load(folder / f"X_{method}.npy"), np.load(folder / f"m_{method}.npy")
                    # per column, relative to the column's largest entry (the dense LU's own accuracy)
                    diff = max(
                        float(np.max(np.abs(X - X0).max(axis=0) / np.maximum(np.abs(X0).max(axis=0), TINY))),
                        float(np.max(np.abs(m - m0).max(axis=0) / np.maximum(np.abs(m0).max(axis=0), TINY))),
                    )
                    results[method]["max_rel_diff_vs_dense"] = diff
        print(json.dumps(results))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
