"""Two more exact paths for (I - A) X = B: a Krylov method and a sparse direct factorisation.

Implements docs/methods.md, "Solving without inverting" (A = Z x^-1, D its domestic blocks, O = A - D
its import blocks):

- ``"krylov"``: GMRES on the block-Jacobi preconditioned system (I - G) X = (I - D)^-1 B with
  G = (I - D)^-1 O, one right-hand side at a time (restarted GMRES, Saad and Schultz 1986). Where the
  block iteration X_{k+1} = G X_k + (I - D)^-1 B needs about log(tol) / log(rho(G)) steps, GMRES needs
  far fewer when rho(G) is close to 1 (large import shares). The result then goes through the block
  iteration's own stopping rule (every entry of X settled, `LeontiefSystem._iterate`), so it is as exact
  as the block method.
- ``"sparse"``: SuperLU (scipy.sparse.linalg.splu, COLAMD column order) of (I - A) held as a sparse
  matrix; for tables whose Z is mostly zeros also inside the domestic blocks (GLORIA-like).

Neither forms an n x n dense matrix besides Z; the residual of every solve is checked by the caller.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

Array = NDArray[np.float64]

#: relative residual of the preconditioned system at which GMRES hands over to the block iteration's
#: entrywise stopping rule
KRYLOV_RTOL = 1e-13
KRYLOV_RESTART = 60
KRYLOV_MAX_ITERATIONS = 20


def krylov_start(
    n: int,
    B: Array,
    precondition: Callable[[Array], Array],
    imports: sp.csr_matrix | sp.csc_matrix,
) -> Array:
    """X with (I - G) X = (I - D)^-1 B by GMRES per column; `precondition` applies (I - D)^-1.

    GMRES stops at KRYLOV_RTOL or KRYLOV_MAX_ITERATIONS restarts; the caller finishes and checks.
    """

    def matvec(v: Array) -> Array:
        v = np.asarray(v, dtype=np.float64).reshape(n)
        return v - precondition(np.asarray(imports @ v).reshape(n, 1))[:, 0]

    operator = spla.LinearOperator((n, n), matvec=matvec, dtype=np.float64)
    C = precondition(B)
    X = np.empty_like(C)
    for j in range(C.shape[1]):
        scale = float(np.abs(C[:, j]).max())
        if scale == 0.0:
            X[:, j] = 0.0
            continue
        solution, _info = spla.gmres(
            operator,
            C[:, j],
            x0=C[:, j],
            rtol=KRYLOV_RTOL,
            atol=0.0,
            restart=KRYLOV_RESTART,
            maxiter=KRYLOV_MAX_ITERATIONS,
        )
        X[:, j] = solution
    return X


def sparse_matrix(Z: Array, inv_x: Array, block_size: int) -> sp.csc_matrix:
    """(I - A) as a sparse matrix, from Z read once a region's rows at a time."""
    n = Z.shape[0]
    rows: list[NDArray[np.int64]] = []
    cols: list[NDArray[np.int64]] = []
    data: list[Array] = []
    for start in range(0, n, block_size):
        slab = Z[start : start + block_size]
        i, j = np.nonzero(slab)
        rows.append(i + start)
        cols.append(j)
        data.append(-slab[i, j] * inv_x[j])
    diagonal = np.arange(n)
    matrix = sp.coo_matrix(
        (
            np.concatenate([*data, np.ones(n)]),
            (np.concatenate([*rows, diagonal]), np.concatenate([*cols, diagonal])),
        ),
        shape=(n, n),
    )
    return sp.csc_matrix(matrix)  # duplicates (the diagonal) are summed


def sparse_factor(matrix: sp.csc_matrix) -> spla.SuperLU:
    """SuperLU factors of `matrix` (COLAMD column ordering)."""
    return spla.splu(matrix, permc_spec="COLAMD")


def density(Z: Array, block_size: int) -> float:
    """Share of nonzero entries of Z, counted a region's rows at a time (no n x n temporary)."""
    n = Z.shape[0]
    nonzero = sum(int(np.count_nonzero(Z[s : s + block_size])) for s in range(0, n, block_size))
    return nonzero / float(n * n) if n else 0.0
