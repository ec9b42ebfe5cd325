"""The MRIO tables whose accounts are kept as golden files (see make_golden.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from systems import make_mrio, random_arrays

from mrio_tools import MRIO
from mrio_tools.sources.demo import read_demo

GOLDEN = Path(__file__).resolve().parent


def _random(seed: int, R: int, S: int, K: int, k: int, *, density: float = 0.5, **kw: object) -> MRIO:
    return make_mrio(random_arrays(seed, R, S, K, k, import_density=density), R, S, K, **kw)


def _with_population() -> MRIO:
    population = pd.Series([3.0, 0.5, 12.0, 7.25], index=pd.Index([f"r{i}" for i in range(4)], name="region"))
    return _random(5, 4, 3, 2, 2, population=population)


def _region_without_exports() -> MRIO:
    """Region r2 sells nothing abroad (no intensity rows for it)."""
    mrio = _random(2, 3, 2, 1, 1, density=0.0)
    Z, Y = mrio.Z.copy(), mrio.Y.copy()
    Z.loc["r2", ["r0", "r1"]] = 0.0
    Y.loc["r2", ["r0", "r1"]] = 0.0
    return dataclasses.replace(mrio, Z=Z, Y=Y)


#: name -> (table, solver passed to national_accounts)
CASES: dict[str, tuple[Callable[[], MRIO], str]] = {
    "demo_2000": (lambda: read_demo(2000), "auto"),
    "demo_2019": (lambda: read_demo(2019), "auto"),
    "random_dense": (lambda: _random(0, 5, 4, 3, 2), "dense"),
    "random_block": (lambda: _random(1, 5, 4, 3, 2), "block"),
    "random_no_imports": (lambda: _random(3, 6, 3, 2, 3, density=0.0), "auto"),
    "random_one_sector": (lambda: _random(4, 4, 1, 1, 1, density=1.0), "auto"),
    "random_population": (_with_population, "auto"),
    "region_without_exports": (_region_without_exports, "auto"),
}
