"""Full-size synthetic EXIOBASE 3 pxp file in the publisher's layout: first read, store reload, pymrio beside.

Writes ``IOT_2019_pxp.zip`` (49 regions x 200 products: 44 EXIOBASE country codes + WA ... WM; the 7
EXIOBASE final-demand categories; a ``satellite/`` extension of 1,113 rows of which the 14 named
ones the reader uses, the others fillers in kg) in the layout that tests/publisher_layouts.py
writes small, with ``A.txt`` as the real 3.8 zips hold it. Numbers are random: 60 % of Z's cells
zero, the rest uniform in [0, 1e-3) M EUR (columns of A sum to about 0.2), 10 significant digits.

Each measurement runs in a fresh Python process and reports its wall time and peak resident memory
(``ru_maxrss``):

- ``ours_first_read``: `mrio_tools.sources.exiobase3.read_exiobase3` (pymrio's loader for Z, Y, x,
  F, F_Y, units; A skipped; CO2/GHG rows combined; ISO3 regions; the MRIO checks);
- ``ours_store_save``: the same read, then `mrio_tools.series.store.Store.save`;
- ``ours_store_reload``: `Store.load` of that entry in a new process;
- ``pymrio_parse_exiobase3``: `pymrio.parse_exiobase3` on the same zip (reads everything, A too).

Run (heavy: ~3 GB of text, several GB of memory), from the repository root::

    flock /tmp/work/heavy.lock .venv/bin/python benchmarks/publisher_files.py --dir /tmp/exio_bench

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

COUNTRIES = [
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
    "GB",
    "US",
    "JP",
    "CN",
    "CA",
    "KR",
    "BR",
    "IN",
    "MX",
    "RU",
    "AU",
    "CH",
    "TR",
    "TW",
    "NO",
    "ID",
    "ZA",
]
ROW_REGIONS = ("WA", "WE", "WF", "WL", "WM")
CATEGORIES = (
    "Final consumption expenditure by households",
    "Final consumption expenditure by non-profit organisations serving households (NPISH)",
    "Final consumption expenditure by government",
    "Gross fixed capital formation",
    "Changes in inventories",
    "Changes in valuables",
    "Exports: Total (fob)",
)
NAMED_ROWS = (
    "CO2 - combustion - air",
    "CO2 - non combustion - Cement production - air",
    "CO2 - non combustion - Lime production - air",
    "CO2 - waste - fossil - air",
    "CO2 - agriculture - peat decay - air",
    "CO2 - waste - biogenic - air",
    "CH4 - combustion - air",
    "CH4 - agriculture - air",
    "N2O - combustion - air",
    "SF6 - air",
)


def write(folder: Path, *, products: int, satellite_rows: int, seed: int) -> Path:
    """The zip, built in `folder` (text files first, then zipped with deflate as the publisher does)."""
    rng = np.random.default_rng(seed)
    regions = [*COUNTRIES, *ROW_REGIONS]
    name = "IOT_2019_pxp"
    root = folder / "build" / name
    (root / "satellite").mkdir(parents=True, exist_ok=True)
    rows = pd.MultiIndex.from_product(
        [regions, [f"Product {i:03d}" for i in range(products)]], names=["region", "sector"]
    )
    cols = pd.MultiIndex.from_product([regions, CATEGORIES], names=["region", "category"])
    n = len(rows)
    Z = rng.random((n, n)) * 1e-3
    Z[rng.random((n, n)) < 0.6] = 0.0
    Y = rng.random((n, len(cols))) * 0.1
    x = Z.sum(1) + Y.sum(1)
    fmt = "%.10g"
    pd.DataFrame(Z, index=rows, columns=rows).to_csv(root / "Z.txt", sep="\t", float_format=fmt)
    pd.DataFrame(Z / x[None, :], index=rows, columns=rows).to_csv(root / "A.txt", sep="\t", float_format=fmt)
    del Z
    pd.DataFrame(Y, index=rows, columns=cols).to_csv(root / "Y.txt", sep="\t", float_format=fmt)
    pd.DataFrame({"indout": x}, index=rows).to_csv(root / "x.txt", sep="\t", float_format=fmt)
    pd.DataFrame({"unit": "M.EUR"}, index=rows).to_csv(root / "unit.txt", sep="\t")
    labels = [
        *NAMED_ROWS,
        *(f"Filler stressor {i:04d} - air" for i in range(satellite_rows - len(NAMED_ROWS))),
    ]
    stressors = pd.Index(labels, name="stressor")
    F = rng.random((len(labels), n)) * 1e6
    pd.DataFrame(F, index=stressors, columns=rows).to_csv(
        root / "satellite" / "F.txt", sep="\t", float_format=fmt
    )
    F_Y = np.zeros((len(labels), len(cols)))
    F_Y[: len(NAMED_ROWS), 0 :: len(CATEGORIES)] = 1e7
    pd.DataFrame(F_Y, index=stressors, columns=cols).to_csv(
        root / "satellite" / "F_Y.txt", sep="\t", float_format=fmt
    )
    pd.DataFrame({"unit": "kg"}, index=stressors).to_csv(root / "satellite" / "unit.txt", sep="\t")
    core = {
        "systemtype": "IOSystem",
        "files": {
            k: {"name": f"{k}.txt", "nr_index_col": "2", "nr_header": "2" if k in ("Z", "A", "Y") else "1"}
            for k in ("Z", "A", "Y", "x", "unit")
        },
    }
    ext = {
        "systemtype": "Extension",
        "name": "satellite",
        "files": {
            "F": {"name": "F.txt", "nr_index_col": "1", "nr_header": "2"},
            "F_Y": {"name": "F_Y.txt", "nr_index_col": "1", "nr_header": "2"},
            "unit": {"name": "unit.txt", "nr_index_col": "1", "nr_header": "1"},
        },
    }
    (root / "file_parameters.json").write_text(json.dumps(core, indent=4))
    (root / "satellite" / "file_parameters.json").write_text(json.dumps(ext, indent=4))
    (root / "metadata.json").write_text(
        json.dumps({"name": "EXIOBASE", "version": "synthetic", "history": []})
    )
    out = folder / f"{name}.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(root.parent).as_posix())
    return out


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9


def measure(kind: str, zip_path: Path, store: Path) -> dict[str, float]:
    """One measurement in this process (called in a fresh subprocess by `main`)."""
    start = time.perf_counter()
    if kind == "pymrio_parse_exiobase3":
        import pymrio

        pymrio.parse_exiobase3(zip_path)
    elif kind == "ours_store_reload":
        from mrio_tools.series.store import Store

        assert Store(store).load("bench") is not None
    else:
        from mrio_tools.sources.exiobase3 import read_exiobase3

        mrio = read_exiobase3(zip_path, year=2019, gwp_set="AR6", rates=None)
        if kind == "ours_store_save":
            from mrio_tools.series.store import Store

            Store(store).save("bench", mrio)
    return {"wall_s": round(time.perf_counter() - start, 1), "peak_gb": round(_peak_gb(), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, required=True, help="work folder (needs ~4 GB of disk)")
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--satellite-rows", type=int, default=1113)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    zip_path = args.dir / "IOT_2019_pxp.zip"
    store = args.dir / "store"
    if args.measure:
        print(json.dumps(measure(args.measure, zip_path, store)))
        return
    results: dict[str, object] = {}
    if not zip_path.is_file():
        start = time.perf_counter()
        write(args.dir, products=args.products, satellite_rows=args.satellite_rows, seed=args.seed)
        results["write_s"] = round(time.perf_counter() - start, 1)
    results["zip_gb"] = round(zip_path.stat().st_size / 1e9, 2)
    for kind in ("ours_first_read", "ours_store_save", "ours_store_reload", "pymrio_parse_exiobase3"):
        done = subprocess.run(
            [sys.executable, __file__, "--dir", str(args.dir), "--measure", kind],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        results[kind] = json.loads(done.stdout.strip().splitlines()[-1])
        print(kind, results[kind], flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
