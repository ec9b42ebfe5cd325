"""Small MRIO systems for tests, built independently of mrio_tools' maths (numpy's own solve)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mrio_tools import MRIO


def labels(regions: int, sectors: int, categories: int) -> tuple[pd.MultiIndex, pd.MultiIndex]:
    region_names = [f"r{i}" for i in range(regions)]
    rows = pd.MultiIndex.from_product(
        [region_names, [f"s{j}" for j in range(sectors)]], names=["region", "sector"]
    )
    cols = pd.MultiIndex.from_product(
        [region_names, [f"c{j}" for j in range(categories)]], names=["region", "category"]
    )
    return rows, cols


def random_arrays(
    seed: int, regions: int, sectors: int, categories: int, stressors: int, *, import_density: float = 0.5
) -> dict[str, np.ndarray]:
    """A, y, x = (I - A)^-1 y, Z = A x^, F, F_Y with numpy only (the test's own independent computation)."""
    rng = np.random.default_rng(seed)
    n = regions * sectors
    A = rng.random((n, n)) * (rng.random((n, n)) < import_density)
    for r in range(regions):
        block = slice(r * sectors, (r + 1) * sectors)
        A[block, block] = rng.random((sectors, sectors))
    A *= rng.uniform(0.1, 0.8, n) / np.maximum(A.sum(axis=0), 1e-12)
    Y = rng.random((n, regions * categories)) * 100
    x = np.linalg.solve(np.eye(n) - A, Y.sum(axis=1))
    Z = A * x
    F = rng.lognormal(0, 1, (stressors, n)) * x
    F_Y = rng.random((stressors, regions * categories)) * F.sum() / 20
    return {"A": A, "Y": Y, "x": x, "Z": Z, "F": F, "F_Y": F_Y}


def make_mrio(
    arrays: dict[str, np.ndarray], regions: int, sectors: int, categories: int, **kw: object
) -> MRIO:
    rows, cols = labels(regions, sectors, categories)
    k = arrays["F"].shape[0]
    stressor_index = pd.Index([f"e{i}" for i in range(k)], name="stressor")
    params: dict[str, object] = dict(
        Z=pd.DataFrame(arrays["Z"], index=rows, columns=rows),
        Y=pd.DataFrame(arrays["Y"], index=rows, columns=cols),
        F=pd.DataFrame(arrays["F"], index=stressor_index, columns=rows),
        F_Y=pd.DataFrame(arrays["F_Y"], index=stressor_index, columns=cols),
        monetary_unit="M EUR",
        stressor_units=dict.fromkeys(stressor_index, "kg"),
        source="test",
        version="random",
        year=2000,
        price_basis="current",
    )
    params.update(kw)
    return MRIO(**params)  # type: ignore[arg-type]


def two_region_by_hand(*, population: pd.Series | None = None) -> MRIO:
    """One sector per region, small enough to solve on paper (the tests write out the solution).

    Z = [[10, 20], [30, 40]], Y (one category each) = [[50, 20], [10, 120]] -> x = [100, 200];
    F = [10, 40] t CO2, F_Y = [1, 2] t CO2; money in M EUR.
    """
    rows = pd.MultiIndex.from_tuples([("A", "s"), ("B", "s")], names=["region", "sector"])
    cols = pd.MultiIndex.from_tuples([("A", "c"), ("B", "c")], names=["region", "category"])
    stressor = pd.Index(["CO2"], name="stressor")
    return MRIO(
        Z=pd.DataFrame([[10.0, 20.0], [30.0, 40.0]], index=rows, columns=rows),
        Y=pd.DataFrame([[50.0, 20.0], [10.0, 120.0]], index=rows, columns=cols),
        F=pd.DataFrame([[10.0, 40.0]], index=stressor, columns=rows),
        F_Y=pd.DataFrame([[1.0, 2.0]], index=stressor, columns=cols),
        monetary_unit="M EUR",
        stressor_units={"CO2": "t"},
        source="hand",
        version="1",
        year=2020,
        price_basis="current",
        population=population,
    )
