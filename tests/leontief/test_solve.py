"""The Leontief solver: textbook values, agreement of methods, residual checks and singular systems."""

from __future__ import annotations

import numpy as np
import pytest
from systems import random_arrays

from mrio_tools.errors import SolverError
from mrio_tools.leontief.factorize import factorize, leontief_inverse

# Miller and Blair (2009), Input-Output Analysis, 2nd ed., section 2.3 (Table 2.3 two-sector example):
# Z = [[150, 500], [200, 100]], x = [1000, 2000]; published L to four decimals.
MB_Z = np.array([[150.0, 500.0], [200.0, 100.0]])
MB_X = np.array([1000.0, 2000.0])
MB_L = np.array([[1.2541, 0.3300], [0.2640, 1.1221]])


def test_miller_blair_leontief_inverse() -> None:
    assert np.allclose(leontief_inverse(MB_Z, MB_X), MB_L, atol=5e-5)


@pytest.mark.parametrize("method", ["dense", "block"])
def test_miller_blair_output_for_new_final_demand(method: str) -> None:
    # the book's f_new = [600, 1500] gives x_new = [1247.52, 1841.58]
    system = factorize(MB_Z, MB_X, block_size=1, method=method)  # type: ignore[arg-type]
    assert np.allclose(system.solve(np.array([600.0, 1500.0])), [1247.52, 1841.58], atol=0.01)
    # the original final demand reproduces the original output
    assert np.allclose(system.solve(np.array([350.0, 1700.0])), MB_X, rtol=1e-12)


@pytest.mark.parametrize("method", ["dense", "block"])
def test_solves_match_numpy(method: str) -> None:
    a = random_arrays(3, regions=4, sectors=5, categories=2, stressors=3, import_density=0.3)
    n = a["A"].shape[0]
    system = factorize(a["Z"], a["x"], block_size=5, method=method)  # type: ignore[arg-type]
    assert system.method == method
    I_minus_A = np.eye(n) - a["A"]
    B = np.random.default_rng(1).random((n, 4))
    assert np.allclose(system.solve(B), np.linalg.solve(I_minus_A, B), rtol=1e-10, atol=1e-12)
    assert np.allclose(system.solve_transposed(B), np.linalg.solve(I_minus_A.T, B), rtol=1e-10, atol=1e-12)
    domestic = I_minus_A[5:10, 5:10]
    assert np.allclose(
        system.solve_domestic(1, B[5:10], transposed=False), np.linalg.solve(domestic, B[5:10])
    )
    assert np.allclose(
        system.solve_domestic(1, B[5:10], transposed=True), np.linalg.solve(domestic.T, B[5:10])
    )


def test_auto_takes_block_for_a_large_system_with_sparse_imports() -> None:
    a = random_arrays(5, regions=3, sectors=700, categories=1, stressors=1, import_density=0.01)
    system = factorize(a["Z"], a["x"], block_size=700, method="auto")
    assert system.method == "block"
    assert system.diagnostics["offdiagonal_density"] < 0.02
    assert np.allclose(system.solve(a["Y"]).sum(axis=1), a["x"], rtol=1e-9)


def test_auto_takes_dense_for_a_small_system() -> None:
    a = random_arrays(5, regions=3, sectors=4, categories=1, stressors=1)
    assert factorize(a["Z"], a["x"], block_size=4, method="auto").method == "dense"


def test_zero_output_columns_stay_zero() -> None:
    Z = np.array([[10.0, 0.0], [0.0, 0.0]])
    x = np.array([100.0, 0.0])
    system = factorize(Z, x, block_size=1, method="dense")
    assert np.allclose(system.solve(np.array([90.0, 0.0])), [100.0, 0.0])


def test_singular_system_names_the_columns() -> None:
    # columns 'b' and 'c' feed each other completely: (I - A) is singular
    Z = np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 50.0], [0.0, 50.0, 0.0]])
    x = np.array([10.0, 50.0, 50.0])
    with pytest.raises(SolverError, match=r"singular.*('b'|'c')"):
        factorize(Z, x, block_size=3, method="dense", labels=["a", "b", "c"])


def test_block_iteration_that_cannot_converge_raises() -> None:
    # negative coefficients (possible in some published tables) making (I - A) singular, with a
    # right-hand side outside its range: no iteration can converge, and the residual check must catch it
    Z = np.array([[0.0, 100.0], [100.0, 0.0]])
    x = np.array([100.0, 100.0])
    system = factorize(-Z, x, block_size=1, method="block")
    with pytest.raises(SolverError, match="missed its tolerance"):
        system.solve(np.array([1.0, 0.0]))


def test_diverging_block_iteration_is_rescued_by_the_acceleration_exactly() -> None:
    # spectral radius of the block-Jacobi iteration above 1 (sqrt(1.5 * 0.9) = 1.16): plain steps
    # diverge; the Anderson start (mrio_tools.leontief.anderson) still reaches the solution, which must
    # then be the exact one (numpy's LU of I - A as the independent reference), else the check raises
    Z = np.array([[0.0, 150.0], [90.0, 0.0]])
    x = np.array([100.0, 100.0])
    system = factorize(-Z, x, block_size=1, method="block")
    b = np.array([1.0, 1.0])
    expected = np.linalg.solve(np.eye(2) + Z / x, b)
    np.testing.assert_allclose(system.solve(b), expected, rtol=1e-12, atol=0)


def test_wrong_right_hand_side_shape() -> None:
    system = factorize(MB_Z, MB_X, block_size=1, method="dense")
    with pytest.raises(SolverError, match="3 rows"):
        system.solve(np.ones(3))


def _slow_loop_system(S: int = 5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Four regions: 2 and 3 trade heavily with each other (import coefficients 0.6: a slow loop for the
    block iteration), region 0 buys a tiny amount (1e-4) from region 2, and 0 and 1 trade moderately.
    Returns A, final demand of region 0 on its own products, and emission intensities of region 2 only
    (whose multipliers reach region 0 through the same small coefficient)."""
    rng = np.random.default_rng(3)
    n = 4 * S
    A = np.zeros((n, n))

    def block(seller: int, buyer: int, column_sum: float) -> None:
        values = rng.uniform(0.5, 1, (S, S))
        rows, columns = slice(seller * S, (seller + 1) * S), slice(buyer * S, (buyer + 1) * S)
        A[rows, columns] = values * column_sum / values.sum(axis=0)

    for r in range(4):
        block(r, r, 0.3)
    block(2, 3, 0.6)
    block(3, 2, 0.6)
    block(2, 0, 1e-4)
    block(0, 1, 0.1)
    block(1, 0, 0.1)
    b = np.zeros((n, 1))
    b[:S, 0] = rng.uniform(1, 2, S)
    intensity = np.zeros((n, 1))
    intensity[2 * S : 3 * S, 0] = rng.uniform(1, 2, S)
    return A, b, intensity


def test_block_method_is_exact_entrywise_for_small_flows() -> None:
    """Small entries of X (small sectors, small trade flows) carry EEE and EEI: every entry must agree
    with the dense solve to 1e-9 relative, also when they converge slowly. Here region 0's demand
    reaches regions 2 and 3 only through a 1e-4 coefficient, and the 2-3 loop converges at about 0.86
    per iteration: a stop on the residual alone leaves those entries wrong by about 1e-7."""
    A, demand, intensity = _slow_loop_system()
    n = A.shape[0]
    x = np.linalg.solve(np.eye(n) - A, demand[:, 0] + 1.0)
    system = factorize(A * x, x, block_size=5, method="block")
    # references: (I - A) is an M-matrix, so dense LU needs no pivoting and its triangular solves
    # add terms of one sign: the reference is accurate entry by entry
    for transposed, matrix, b in ((False, np.eye(n) - A, demand), (True, (np.eye(n) - A).T, intensity)):
        X = system.solve_transposed(b) if transposed else system.solve(b)
        expected = np.linalg.solve(matrix, b)
        assert expected.min() > 0 and expected.min() < 1e-3 * expected.max()
        assert np.max(np.abs(X - expected) / expected) < 1e-9, f"transposed={transposed}"
