"""The Krylov and sparse direct paths of the solver, and which path ``auto`` takes for which structure.

Expected values come from numpy's dense solver (an independent computation), never from the paths tested.
"""

from __future__ import annotations

import typing

import numpy as np
import pytest
from systems import random_arrays

from mrio_tools.choices import SolverMethod
from mrio_tools.leontief.factorize import DENSE_UP_TO, factorize


@pytest.mark.parametrize("method", ["krylov", "sparse"])
def test_krylov_and_sparse_solves_match_numpy(method: str) -> None:
    a = random_arrays(3, regions=4, sectors=5, categories=2, stressors=3, import_density=0.3)
    n = a["A"].shape[0]
    system = factorize(a["Z"], a["x"], block_size=5, method=method)  # type: ignore[arg-type]
    assert system.method == method
    I_minus_A = np.eye(n) - a["A"]
    B = np.random.default_rng(1).random((n, 4))
    np.testing.assert_allclose(system.solve(B), np.linalg.solve(I_minus_A, B), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(
        system.solve_transposed(B), np.linalg.solve(I_minus_A.T, B), rtol=1e-10, atol=1e-12
    )
    domestic = I_minus_A[5:10, 5:10]
    np.testing.assert_allclose(
        system.solve_domestic(1, B[5:10], transposed=False), np.linalg.solve(domestic, B[5:10])
    )


def test_every_solver_choice_is_a_method() -> None:
    assert set(typing.get_args(SolverMethod)) == {"auto", "dense", "block", "krylov", "sparse"}


def _sparse_everywhere(seed: int, regions: int, sectors: int, density: float) -> dict[str, np.ndarray]:
    """A GLORIA-like table: Z mostly zeros inside the domestic blocks too; x = 1, column sums of A 0.3."""
    rng = np.random.default_rng(seed)
    n = regions * sectors
    A = rng.random((n, n)) * (rng.random((n, n)) < density)
    np.fill_diagonal(A, rng.random(n))
    A *= 0.3 / A.sum(axis=0)
    x = np.ones(n)
    return {"A": A, "Z": A * x, "x": x, "y": x - A.sum(axis=1)}


def test_auto_takes_the_sparse_factorisation_for_a_table_of_mostly_zeros() -> None:
    a = _sparse_everywhere(7, regions=3, sectors=700, density=0.004)
    assert a["Z"].shape[0] > DENSE_UP_TO and (a["y"] > 0).all()
    system = factorize(a["Z"], a["x"], block_size=700, method="auto")
    assert system.method == "sparse"
    assert system.diagnostics["density"] < 0.02
    # x = (I - A)^-1 y with y = x - Z1: the solve gives back x = 1
    np.testing.assert_allclose(system.solve(a["y"]), a["x"], rtol=1e-12)
    B = np.random.default_rng(2).random((a["x"].size, 3))
    np.testing.assert_allclose(
        system.solve_transposed(B), np.linalg.solve(np.eye(B.shape[0]) - a["A"].T, B), rtol=1e-10
    )


def test_auto_takes_krylov_when_the_import_share_is_high() -> None:
    # domestic coefficients sum to 0.05 per column, imports to 0.85: the block iteration contracts by
    # about 0.85 / 0.95 per step, above BLOCK_MAX_RATE
    rng = np.random.default_rng(11)
    regions, sectors = 3, 700
    n = regions * sectors
    A = rng.random((n, n)) * (rng.random((n, n)) < 0.02)
    for r in range(regions):
        block = slice(r * sectors, (r + 1) * sectors)
        A[block, block] = 0.0
    A *= 0.85 / A.sum(axis=0)
    for r in range(regions):
        block = slice(r * sectors, (r + 1) * sectors)
        D = rng.random((sectors, sectors))
        A[block, block] = D * (0.05 / D.sum(axis=0))
    x = rng.uniform(1.0, 2.0, n)
    system = factorize(A * x, x, block_size=sectors, method="auto")
    assert system.method == "krylov"
    assert system.diagnostics["contraction_rate"] > 0.8
    B = rng.random((n, 3))
    expected = np.linalg.solve(np.eye(n) - A, B)
    np.testing.assert_allclose(system.solve(B), expected, rtol=1e-10)
    np.testing.assert_allclose(system.solve_transposed(B), np.linalg.solve(np.eye(n) - A.T, B), rtol=1e-10)


@pytest.mark.parametrize("method", ["block", "krylov"])
def test_a_fortran_ordered_z_gives_the_same_import_blocks_and_solves(method: str) -> None:
    # pandas holds a frame read from a file in Fortran order; the import scan then reads Z by columns
    a = random_arrays(4, regions=4, sectors=6, categories=1, stressors=1, import_density=0.2)
    c_order = factorize(a["Z"], a["x"], block_size=6, method=method)  # type: ignore[arg-type]
    f_order = factorize(np.asfortranarray(a["Z"]), a["x"], block_size=6, method=method)  # type: ignore[arg-type]
    assert c_order.imports is not None and f_order.imports is not None
    # O = A without its diagonal blocks, built here with numpy alone
    imports = a["A"].copy()
    for r in range(4):
        imports[r * 6 : (r + 1) * 6, r * 6 : (r + 1) * 6] = 0.0
    np.testing.assert_allclose(f_order.imports.toarray(), imports, rtol=1e-14, atol=0)
    np.testing.assert_allclose(c_order.imports.toarray(), imports, rtol=1e-14, atol=0)
    B = np.random.default_rng(3).random((24, 2))
    expected = np.linalg.solve(np.eye(24) - a["A"], B)
    np.testing.assert_allclose(f_order.solve(B), expected, rtol=1e-10)


@pytest.mark.parametrize("workers", [2, 3])
@pytest.mark.parametrize("layout", ["csr", "csc", "csr transposed"])
def test_threaded_sparse_products_equal_the_plain_product(
    layout: str, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Column chunks on several threads give exactly scipy's own product, whatever the layout."""
    import scipy.sparse as sp

    from mrio_tools.leontief import kernels

    monkeypatch.setattr(kernels, "SPARSE_THREADED_FROM", 0)
    monkeypatch.setattr(kernels, "SPARSE_CHUNK_BYTES", 8 * 120 * 3)  # chunks of 3 columns
    monkeypatch.setattr(kernels, "_workers", lambda: workers)
    rng = np.random.default_rng(7)
    dense = rng.random((120, 120)) * (rng.random((120, 120)) < 0.1)
    dense[40:60] = 0.0  # empty rows: a band may hold none
    matrices = {
        "csr": sp.csr_matrix(dense),
        "csc": sp.csc_matrix(dense),
        "csr transposed": sp.csc_matrix(dense.T).T,  # what the transposed solve multiplies with
    }
    M = matrices[layout]
    X = rng.random((120, 11))
    got = kernels.sparse_product(M, X)
    np.testing.assert_array_equal(got, M @ X)
    np.testing.assert_allclose(got, dense @ X, rtol=1e-13)
