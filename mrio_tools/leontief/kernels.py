"""Kernels of the Leontief solver: LU of a block with a named error, (I - A) built in one buffer, the
import-block scan into a sparse matrix, and chunked sparse products (`mrio_tools.leontief.factorize`).

Implements the building blocks of docs/methods.md, "Solving without inverting"; nothing here inverts.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
from numpy.typing import NDArray

from mrio_tools.errors import SolverError
from mrio_tools.leontief.krylov import sparse_factor

Array = NDArray[np.float64]

#: columns of a dense right-hand side per sparse product: the slice of X that the product reads at
#: random (one row per nonzero) stays inside the cache
SPARSE_CHUNK_BYTES = 4 << 20
#: products with fewer multiply-adds than this run on one thread (starting threads costs more)
SPARSE_THREADED_FROM = 50_000_000
EPS = float(np.finfo(np.float64).eps)
#: reciprocal condition number under which (I - A) counts as numerically singular
MIN_RCOND = 1e-13
_getrf = sla.lapack.dgetrf


def sparse_product(M: sp.csr_matrix | sp.csc_matrix, X: Array) -> Array:
    """M @ X in cache-sized column chunks on all cores (scipy releases the GIL in the product)."""
    n, c = X.shape
    workers = _workers()
    width = max(1, min(SPARSE_CHUNK_BYTES // (8 * n), -(-c // workers)))
    if width >= c or M.nnz * c < SPARSE_THREADED_FROM:
        return np.asarray(M @ X)
    out = np.empty((M.shape[0], c))

    def chunk(start: int) -> None:
        out[:, start : start + width] = M @ np.ascontiguousarray(X[:, start : start + width])

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(chunk, range(0, c, width)))
    return out


def relative_change(new: Array, old: Array) -> float:
    """Largest |new - old| / (|new| + floor) over all entries: the block iteration's stopping measure.

    Entries of X span many orders of magnitude (small sectors, small trade flows): a normwise stop
    would leave the small ones inexact, so every entry must settle; the floor (4 eps max |new|, the
    rounding level of each column) covers entries that cancel to about 0.
    """
    floor = 4 * EPS * np.abs(new).max(axis=0) + np.finfo(np.float64).tiny
    return float((np.abs(new - old) / (np.abs(new) + floor)).max())


def column_scale(B: Array) -> Array:
    scale = np.abs(B).max(axis=0)
    return np.where(scale > 0, scale, 1.0)


def column_name(labels: Sequence[Any] | None, index: int) -> str:
    return repr(labels[index]) if labels is not None else f"column {index}"


def one_norm(M: Array, step: int = 512) -> float:
    """Largest absolute column sum, a column slab at a time (no n x n temporary)."""
    sums = [float(np.abs(M[:, c : c + step]).sum(axis=0).max()) for c in range(0, M.shape[1], step)]
    return max(sums)


def factor_block(M: Array, labels: Sequence[Any] | None, offset: int) -> tuple[Array, NDArray[np.int32]]:
    """LU of a matrix with partial pivoting; SolverError naming the weakest columns if (near) singular."""
    anorm = one_norm(M)
    # LAPACK's getrf itself, as scipy's lu_factor calls it (same factors, 0-based pivots): lu_factor
    # reports an exact zero pivot as a warning, which only a process-wide warnings filter could
    # silence (not safe while years are solved side by side in threads); the error below names columns
    lu, piv, info = _getrf(M, overwrite_a=True)
    if info < 0:
        raise SolverError(f"LAPACK getrf rejected its argument {-info} (a {M.shape} matrix)")
    rcond, info = sla.lapack.dgecon(lu, anorm, norm="1")
    pivots = np.abs(np.diag(lu))
    if info != 0 or not np.isfinite(rcond) or rcond < MIN_RCOND or (pivots == 0).any():
        weakest = np.argsort(pivots)[:5]
        names = ", ".join(column_name(labels, offset + int(j)) for j in weakest)
        raise SolverError(
            f"(I - A) is singular or ill-conditioned (reciprocal condition number {rcond:.2g}); the columns "
            f"with the smallest LU pivots are {names}. Check them for input coefficients summing to 1 "
            "or more, sign errors, or a sector that only supplies itself"
        )
    return lu, piv


def sparse_lu(matrix: sp.csc_matrix, labels: Sequence[Any] | None) -> Any:
    """SuperLU of (I - A); SolverError naming the method when it is singular."""
    try:
        return sparse_factor(matrix)
    except RuntimeError as err:  # SuperLU: "Factor is exactly singular"
        raise SolverError(
            f"(I - A) is singular ({err}); use method='dense' to have the weakest columns named, and check "
            "them for input coefficients summing to 1 or more"
        ) from err


def _workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _slab_count(M: Array, s: int, r: int) -> int:
    """Nonzeros of region r's slab of M (its s rows) outside its own (domestic) columns."""
    lines = slice(r * s, (r + 1) * s)
    return int(np.count_nonzero(M[lines])) - int(np.count_nonzero(M[lines, lines]))


@dataclass(frozen=True)
class _SparseParts:
    """The arrays of the sparse O being filled, and where each region's nonzeros begin."""

    offsets: NDArray[np.int64]
    indices: NDArray[np.int32]
    data: Array
    indptr: NDArray[np.int64]


def _import_slab(M: Array, inv_x: Array, s: int, r: int, out: _SparseParts, *, by_columns: bool) -> None:
    """Write region r's import nonzeros (column indices, values of A, counts per row) into `out`, at
    the place that the counts of the regions before it leave for them."""
    n = M.shape[1]
    lines = slice(r * s, (r + 1) * s)
    slab = M[lines]
    flat = np.flatnonzero(slab)  # one pass over the slab, in memory order
    column = flat % n
    outside = (column < r * s) | (column >= (r + 1) * s)
    flat, column = flat[outside], column[outside]
    row = flat // n
    place = slice(int(out.offsets[r]), int(out.offsets[r + 1]))
    out.indices[place] = column
    # A = Z x^-1: the buyer's (column's) output divides
    np.multiply(
        slab.reshape(-1)[flat], inv_x[lines][row] if by_columns else inv_x[column], out=out.data[place]
    )
    out.indptr[r * s + 1 : (r + 1) * s + 1] = np.bincount(row, minlength=s)


def import_cells(n: int, s: int) -> float:
    """Cells of an n x n table outside its diagonal blocks of s x s (the import blocks): n^2 - n s."""
    return float(n * n - n * s)


def imports_scan(
    Z: Array, inv_x: Array, s: int, *, max_density: float | None
) -> tuple[float, sp.csr_matrix | sp.csc_matrix | None]:
    """Density of the import blocks and O (A without its domestic blocks), sparse.

    Two passes over Z in its memory order: a region's rows at a time for a C-ordered Z (giving CSR), a
    region's columns at a time for a Fortran-ordered one (as pandas holds a frame read from a file;
    giving CSC), the regions shared among the cores (numpy releases the GIL). The first counts each
    region's import nonzeros: when they exceed `max_density`, the dense LU wins and nothing is built
    (the sparse copy would cost more memory than it saves); otherwise the arrays of O are allocated at
    their final size and the second pass writes each region's nonzeros straight into its place, with
    no per-region pieces to join afterwards (at n = 9,800 that would hold O twice, 2 x 56 MB).
    """
    n = Z.shape[0]
    by_columns = bool(Z.flags.f_contiguous and not Z.flags.c_contiguous)
    M = Z.T if by_columns else Z  # C-contiguous either way: its rows are Z's rows or Z's columns
    offdiagonal = import_cells(n, s)
    regions = range(n // s)
    with ThreadPoolExecutor(max_workers=_workers()) as pool:
        counts = np.fromiter(pool.map(functools.partial(_slab_count, M, s), regions), np.int64, len(regions))
        nonzero = int(counts.sum())
        if max_density is not None and nonzero > max_density * offdiagonal:
            return nonzero / offdiagonal, None
        offsets = np.concatenate(([0], np.cumsum(counts)))
        parts = _SparseParts(
            offsets=offsets,
            indices=np.empty(nonzero, dtype=np.int32),
            data=np.empty(nonzero),
            indptr=np.zeros(n + 1, dtype=np.int64),
        )
        list(
            pool.map(functools.partial(_import_slab, M, inv_x, s, out=parts, by_columns=by_columns), regions)
        )
    np.cumsum(parts.indptr, out=parts.indptr)
    arrays = (parts.data, parts.indices, parts.indptr)
    # CSC as it was read (no conversion): products with it and with its transpose are as fast
    matrix = sp.csc_matrix(arrays, shape=(n, n)) if by_columns else sp.csr_matrix(arrays, shape=(n, n))
    return nonzero / offdiagonal, matrix


def dense_factor(Z: Array, inv_x: Array, labels: Sequence[Any] | None) -> tuple[Array, NDArray[np.int32]]:
    """LU of (I - A) in one n x n buffer, filled in Fortran order so that LAPACK factorises it in place
    (no copy)."""
    n = Z.shape[0]
    buffer = np.empty((n, n), dtype=np.float64, order="F")
    # numpy walks Z in its own order and writes the Fortran buffer in tiles: half the time of a
    # transposed copy of column slabs (10 against 19 ms at n = 1,435), the same numbers
    np.multiply(Z, -inv_x, out=buffer)
    buffer[np.diag_indices(n)] += 1.0
    return factor_block(buffer, labels, 0)
