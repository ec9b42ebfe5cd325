"""Synthetic GLORIA 059 files in the publisher's layout, and the first read / store reload measured on them.

    flock /tmp/work/heavy.lock .venv/bin/python benchmarks/gloria_files.py --regions 82 --out /tmp/gloria82 \
        --readme ../shared/data/gloria059_labels/GLORIA_ReadMe_059.xlsx [--pymrio] [--keep]

Writes the real read-me (cut to the first N regions when N < 164, all 120 sectors, every satellite)
and one year (2019) in the unpacked-folder form the reader accepts (``GLORIA_MRIOs_59_2019/`` with
``..._T-Results_2019_059_Markup001(full).csv``, ``_Y-``, ``_V-``; ``GLORIA_SatelliteAccounts_059_2019/``
with ``_TQ-``, ``_YQ-``): headerless CSVs, T of 2RS x 2RS numbers (industry rows: domestic supply on
the diagonal; product rows: use by all industries, 30 % of cells non-zero, 6 significant digits),
balanced so that U1 + Y1 = V'1 and every industry's inputs are below its output. Then, each in its
own process (peak memory = largest resident set of the process, sampled every 0.1 s by psutil):

1. first read: ``read_gloria`` (industry_by_industry) and saving the table into a store;
2. store reload: loading it back (``Store.load``);
3. with ``--pymrio``: pymrio 0.7's ``parse_gloria_sut`` on the same files (its SUT step only).

The files are deleted afterwards unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

YEAR = 2019
PREFIX = "20230314"
N_SECTORS, N_CATEGORIES, N_VA = 120, 6, 6


def _name(matrix: str) -> str:
    return f"{PREFIX}_120secMother_AllCountries_002_{matrix}-Results_{YEAR}_059_Markup001(full).csv"


def write_readme(real: Path, dest: Path, n_regions: int) -> None:
    import openpyxl

    if n_regions == 164:
        shutil.copy(real, dest)
        return
    book = openpyxl.load_workbook(real, read_only=True)
    out = openpyxl.Workbook()
    out.remove(out.active)
    for name in ("Regions", "Sectors", "Value added and final demand", "Satellites"):
        rows = [list(r) for r in book[name].iter_rows(values_only=True)]
        body = [r for r in rows[1:] if any(v is not None for v in r)]
        if name == "Regions":
            body = body[:n_regions]
        sheet = out.create_sheet(name)
        for row in [rows[0], *body]:
            sheet.append(row)
    book.close()
    out.save(dest)


def write_files(folder: Path, readme: Path, n_regions: int, seed: int = 1) -> dict[str, float]:
    """The five CSVs of one year (layout in the module docstring); returns sizes in GB and seconds."""
    import openpyxl

    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    pool = np.array([f"{v:.6g}" for v in rng.uniform(0.01, 1.0, 4096)], dtype=object)
    pool_values = pool.astype(float)
    S, R = N_SECTORS, n_regions
    ns, n2, m = R * S, 2 * R * S, R * N_CATEGORIES
    mrio_dir, sat_dir = folder / f"GLORIA_MRIOs_59_{YEAR}", folder / f"GLORIA_SatelliteAccounts_059_{YEAR}"
    mrio_dir.mkdir(parents=True)
    sat_dir.mkdir(parents=True)
    industry_cols = np.tile(np.repeat([True, False], S), R)
    inputs = np.zeros(ns)  # column sums of U, for value added
    g = np.zeros(ns)
    y_rows: list[str] = []
    zero_t = ["0"] * n2
    with (mrio_dir / _name("T")).open("w") as t_file:
        for r in range(R):
            u_idx = rng.integers(0, pool.size, size=(S, ns))
            u_mask = rng.random((S, ns)) < 0.3
            U_r = np.where(u_mask, pool_values[u_idx], 0.0)
            Y_r = np.zeros((S, m))
            y_mask = rng.random((S, m)) < 0.3
            y_idx = rng.integers(0, pool.size, size=(S, m))
            Y_r[y_mask] = pool_values[y_idx[y_mask]]
            Y_r[:, r * N_CATEGORIES] += 3000.0  # own households: output above inputs
            q = U_r.sum(axis=1) + Y_r.sum(axis=1)  # product balance: supply = use
            g[r * S : (r + 1) * S] = q  # diagonal supply: industry s makes product s
            inputs += U_r.sum(axis=0)
            for s in range(S):  # industry rows: the diagonal of the region's supply block
                row = list(zero_t)
                row[r * 2 * S + S + s] = repr(float(q[s]))
                t_file.write(",".join(row) + "\n")
            for s in range(S):  # product rows: use by every industry, none by products
                row = np.full(n2, "0", dtype=object)
                values = np.full(ns, "0", dtype=object)
                values[u_mask[s]] = pool[u_idx[s][u_mask[s]]]
                row[industry_cols] = values
                t_file.write(",".join(row.tolist()) + "\n")
                ys = np.full(m, "0", dtype=object)
                nz = Y_r[s] != 0
                ys[nz] = [repr(float(v)) for v in Y_r[s][nz]]
                y_rows.append(",".join(ys.tolist()))
    zero_y = ",".join(["0"] * m)
    with (mrio_dir / _name("Y")).open("w") as y_file:
        for r in range(R):
            y_file.write((zero_y + "\n") * S)
            y_file.write("\n".join(y_rows[r * S : (r + 1) * S]) + "\n")
    with (mrio_dir / _name("V")).open("w") as v_file:
        for r in range(R):
            for k in range(N_VA):
                row = np.full(n2, "0", dtype=object)
                if k == 0:  # compensation of employees closes each industry's column
                    cols = np.flatnonzero(industry_cols)[r * S : (r + 1) * S]
                    row[cols] = [repr(float(v)) for v in g[r * S : (r + 1) * S] - inputs[r * S : (r + 1) * S]]
                v_file.write(",".join(row.tolist()) + "\n")
    book = openpyxl.load_workbook(readme, read_only=True)
    names = [str(r[2]).strip("'") for r in list(book["Satellites"].iter_rows(values_only=True))[1:] if r[0]]
    book.close()
    co2 = names.index("co2_excl_short_cycle_org_c_total_EDGAR_consistent")
    zero_q, zero_yq = ",".join(["0"] * n2), ",".join(["0"] * m)
    with (sat_dir / _name("TQ")).open("w") as tq, (sat_dir / _name("YQ")).open("w") as yq:
        for k in range(len(names)):
            if k == co2:
                row = np.full(n2, "0", dtype=object)
                row[industry_cols] = [f"{v:.4f}" for v in rng.uniform(0, 100, ns)]
                tq.write(",".join(row.tolist()) + "\n")
                yq.write(
                    ",".join(
                        f"{v:.4f}" if j % N_CATEGORIES == 0 else "0"
                        for j, v in enumerate(rng.uniform(0, 50, m))
                    )
                    + "\n"
                )
            else:
                tq.write(zero_q + "\n")
                yq.write(zero_yq + "\n")
    sizes = {p.name.split("_")[-4]: p.stat().st_size / 1e9 for p in [*mrio_dir.iterdir(), *sat_dir.iterdir()]}
    return {"seconds": time.perf_counter() - start, **{f"{k}_GB": round(v, 3) for k, v in sizes.items()}}


def measure(command: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak resident GB, stdout) of one command."""
    import psutil

    start = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        try:
            peak = max(peak, process.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.1)
    out, err = process.communicate()
    if process.returncode:
        raise SystemExit(f"{command} failed:\n{err[-3000:]}")
    return time.perf_counter() - start, peak / 1e9, out.strip()


def _step(step: str, folder: Path) -> None:
    """One measured step, run in its own process."""
    from mrio_tools.series.store import Store

    store = Store(folder / "store")
    if step == "read":
        from mrio_tools.sources.gloria import read_gloria

        mrio = read_gloria(folder, YEAR, construct="industry_by_industry", co2_inventory="edgar")
        store.save("gloria", mrio)
        print(json.dumps({"n": len(mrio.Z), "x_total": float(mrio.gross_output.sum())}))
    elif step == "reload":
        mrio = store.load("gloria")
        assert mrio is not None
        print(json.dumps({"n": len(mrio.Z)}))
    elif step == "pymrio":
        from pymrio.tools.ioparser import parse_gloria_sut

        data, _ = parse_gloria_sut(folder, YEAR, version=59)
        print(json.dumps({"U": list(data["U"].shape)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=82)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--readme", type=Path, default=Path("../shared/data/gloria059_labels/GLORIA_ReadMe_059.xlsx")
    )
    parser.add_argument("--pymrio", action="store_true", help="also run pymrio's parse_gloria_sut")
    parser.add_argument("--keep", action="store_true", help="keep the synthetic files")
    parser.add_argument("--step", choices=("read", "reload", "pymrio"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        _step(args.step, args.out)
        return
    if args.out.exists():
        raise SystemExit(f"{args.out} exists; pass a new folder")
    args.out.mkdir(parents=True)
    try:
        write_readme(args.readme, args.out / "GLORIA_ReadMe_059.xlsx", args.regions)
        written = write_files(args.out, args.out / "GLORIA_ReadMe_059.xlsx", args.regions)
        print(json.dumps({"regions": args.regions, "sectors": N_SECTORS, "written": written}))
        steps = ["read", "reload", *(["pymrio"] if args.pymrio else [])]
        for step in steps:
            wall, peak, out = measure([sys.executable, __file__, "--out", str(args.out), "--step", step])
            print(
                json.dumps(
                    {"step": step, "wall_s": round(wall, 1), "peak_rss_GB": round(peak, 2), "out": out}
                )
            )
    finally:
        if not args.keep:
            shutil.rmtree(args.out, ignore_errors=True)


if __name__ == "__main__":
    main()
