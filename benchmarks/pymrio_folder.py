"""Write a synthetic MRIO (`synthetic.make_system`) as a pymrio parquet save laid out as `save_all` does.

The folder holds `file_parameters.json`, `metadata.json` (with a `year` entry), `Z.parquet`,
`Y.parquet`, `unit.parquet` and an extension folder `emissions/` with `F`, `F_Y` and `unit`
(layout: pymrio 0.7's `core/fileio.py`). Every table is written as `save_all` writes it, by pandas'
`DataFrame.to_parquet`: one row group (pyarrow's default holds up to 1,048,576 rows), which costs the
writer one extra copy of Z in Arrow's memory (3.1 GB at 164 x 120). An earlier version wrote Z in row
groups of a few hundred rows to avoid that copy; reading such a file took 2.3-3.2 s against 0.5-0.6 s
for the one-row-group file pymrio writes (pyarrow 26, 49 x 200), so it slowed both sides of the
benchmark with a layout no user meets.

Used by `bench_end_to_end.py` and `bench_series_store.py`; run alone:
``python benchmarks/pymrio_folder.py OUT --regions 49 --sectors 200 --stressors 20``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pandas as pd
from synthetic import SyntheticSystem, make_system

MONETARY_UNIT = "M EUR"
STRESSOR_UNIT = "kt"


def _write_frame(values: Any, rows: pd.Index, columns: pd.Index, path: Path) -> None:
    """Write `values` (an array) with its labels as pymrio's `save_all` does: ``DataFrame.to_parquet``."""
    pd.DataFrame(values, index=rows, columns=columns, copy=False).to_parquet(path)


def _parameters(
    files: dict[str, tuple[int, int]], systemtype: str, name: str | None = None
) -> dict[str, Any]:
    content: dict[str, Any] = {
        "files": {
            key: {"name": f"{key}.parquet", "nr_index_col": str(ic), "nr_header": str(hr)}
            for key, (ic, hr) in files.items()
        },
        "systemtype": systemtype,
    }
    if name is not None:
        content["name"] = name
    return content


def write_save(system: SyntheticSystem, folder: Path, *, year: int, name: str = "synthetic") -> Path:
    """Write `system` into `folder` (created) as a pymrio parquet save of `year`."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = pd.MultiIndex.from_product([system.regions, system.sectors], names=["region", "sector"])
    final = pd.MultiIndex.from_product([system.regions, system.categories], names=["region", "category"])
    stressors = pd.MultiIndex.from_tuples(
        [(s, "air") for s in system.stressors], names=["stressor", "compartment"]
    )
    _write_frame(system.Z, rows, rows, folder / "Z.parquet")
    _write_frame(system.Y, rows, final, folder / "Y.parquet")
    pd.DataFrame({"unit": MONETARY_UNIT}, index=rows).to_parquet(folder / "unit.parquet")
    (folder / "file_parameters.json").write_text(
        json.dumps(_parameters({"Z": (2, 2), "Y": (2, 2), "unit": (2, 1)}, "IOSystem"), indent=4)
    )
    metadata = {"description": "synthetic MRIO (benchmarks/synthetic.py)", "name": name, "system": "ixi"}
    metadata |= {"version": f"seed {system.seed}", "history": [], "year": year}
    (folder / "metadata.json").write_text(json.dumps(metadata, indent=4))
    ext = folder / "emissions"
    ext.mkdir(exist_ok=True)
    _write_frame(system.F, stressors, rows, ext / "F.parquet")
    _write_frame(system.F_Y, stressors, final, ext / "F_Y.parquet")
    pd.DataFrame({"unit": STRESSOR_UNIT}, index=stressors).to_parquet(ext / "unit.parquet")
    (ext / "file_parameters.json").write_text(
        json.dumps(
            _parameters({"F": (2, 2), "F_Y": (2, 2), "unit": (2, 1)}, "Extension", "Emissions"), indent=4
        )
    )
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--regions", type=int, default=49)
    parser.add_argument("--sectors", type=int, default=200)
    parser.add_argument("--stressors", type=int, default=20)
    parser.add_argument("--import-density", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--year", type=int, default=2015)
    args = parser.parse_args()
    system = make_system(
        args.regions, args.sectors, args.stressors, seed=args.seed, import_density=args.import_density
    )
    write_save(system, args.out, year=args.year)


if __name__ == "__main__":
    main()
