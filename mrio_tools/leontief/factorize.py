"""The Leontief solver: factorise (I - A) once, then solve; the inverse L is never formed for accounts.

Implements docs/methods.md, "Solving without inverting". With A = Z x^-1 (columns with x = 0
stay 0) the accounts need

- output by consumer   X = (I - A)^-1 B        (`LeontiefSystem.solve`)
- multipliers          m^T = (I - A)^-T f^T     (`LeontiefSystem.solve_transposed`)
- domestic solves      (I - A_rr)^-1 e_r        (`LeontiefSystem.solve_domestic`)

Four methods (`mrio_tools.choices.SolverMethod`):

- ``"dense"``: LAPACK LU with partial pivoting of (I - A), built in place in one n x n buffer (no copy
  of Z, no second n x n matrix). Cost about n^3 / 3 multiply-adds, about a third of an inversion.
- ``"block"``: block-Jacobi splitting I - A = (I - D) - O, with D the domestic (diagonal) blocks of A,
  factorised one region at a time, and O the import blocks held as a sparse matrix. It iterates
  X_{k+1} = (I - D)^-1 (B + O X_k). For A >= 0 with column sums < 1, (I - A) is a nonsingular
  M-matrix and this is a regular splitting, so the iteration converges (Varga, Matrix Iterative
  Analysis, thm. 3.13); its rate is the spectral radius of (I - D)^-1 O, about the import share of
  inputs. The residual O (X_{k+1} - X_k) comes free with each step. It starts from an
  Anderson-accelerated point (`mrio_tools.leontief.anderson`), which removes the dominant eigenvalue's
  share of the error, and finishes with plain steps under the entrywise stopping rule.
- ``"krylov"``: GMRES preconditioned by the domestic factors, finished by the block iteration's
  entrywise stopping rule (`mrio_tools.leontief.krylov`); for import shares close to 1.
- ``"sparse"``: SuperLU of (I - A) as a sparse matrix (`mrio_tools.leontief.krylov`), for tables
  that are mostly zeros also inside the domestic blocks.

``"auto"``: dense LU up to n = DENSE_UP_TO; above it, ``"sparse"`` when at most SPARSE_MAX_DENSITY of Z
is nonzero, else ``"block"`` when the import blocks are sparse and the estimated contraction rate is at
most BLOCK_MAX_RATE, else ``"krylov"`` up to KRYLOV_MAX_RATE, else ``"dense"`` (benchmarks/README.md,
"Which solver wins", has the measurements behind these limits). The method used and why are in
`LeontiefSystem.method` and `diagnostics`, written into every output's metadata.

Every solve checks its residual ||(I - A) X - B|| / ||B|| (max norm, per right-hand side) against
`tolerance` and raises `SolverError` when it is missed. A singular or ill-conditioned (I - A) raises
`SolverError` naming the columns at fault.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
from numpy.typing import NDArray

from mrio_tools.choices import SolverMethod
from mrio_tools.errors import SolverError
from mrio_tools.leontief.anderson import accelerated_start
from mrio_tools.leontief.kernels import (
    column_scale,
    dense_factor,
    factor_block,
    import_cells,
    imports_scan,
    relative_change,
    sparse_lu,
    sparse_product,
)
from mrio_tools.leontief.krylov import krylov_start, sparse_matrix

Array = NDArray[np.float64]

#: below this size dense LU is always fast (well under a second)
DENSE_UP_TO = 2000
#: the block path is chosen only when import blocks hold at most this share of nonzeros ...
BLOCK_MAX_OFFDIAGONAL_DENSITY = 0.25
#: ... and the estimated contraction rate per iteration is at most this
BLOCK_MAX_RATE = 0.8
#: ``auto`` takes the Krylov method when the contraction rate is above BLOCK_MAX_RATE but at most this
KRYLOV_MAX_RATE = 0.999
#: ``auto`` takes the sparse direct factorisation when at most this share of Z is nonzero
SPARSE_MAX_DENSITY = 0.02
DEFAULT_TOLERANCE = 1e-11
#: block method: iterate until no entry of X changes by more than this share of itself
CHANGE_TOLERANCE = 1e-12
#: ... or, when rounding keeps it from getting there, until the largest change stops falling below this
ROUNDING_CHANGE = 1e-10
MAX_ITERATIONS = 1000


@contextlib.contextmanager
def single_blas_thread() -> Iterator[None]:
    """BLAS and LAPACK on one thread inside the block: the per-region factors and solves are small
    (S x S), and two BLAS threads on a small matrix mostly wait for each other (measured on the 2-core
    workplace with other work running: 49 LU factorisations of 200 x 200 took 0.57 s on two threads,
    0.044 s on one; benchmarks/README.md). Large dense LU keeps every thread.

    The libraries are looked up once per process (`_blas_controller`): `threadpoolctl.threadpool_limits`
    scans every loaded library on each call, about 2 ms, which a series entering this block for every
    region of every year paid thousands of times (3.5 s of a 9 s WIOD 2000-2011 run)."""
    with _blas_controller().limit(limits=1, user_api="blas"):
        yield


def _small_on_one_thread(n: int) -> contextlib.AbstractContextManager[None]:
    """One BLAS thread for a dense LU (and its solves) of n <= DENSE_UP_TO, every thread above.

    LAPACK's blocked LU sums in an order that depends on its thread count: the same WIOD year
    (n = 1,435) factorised on one and on two threads differs by up to 1.3e-14 (relative). On one
    thread a small table gives the same numbers on every machine, whatever its cores, in a serial run
    and on Dask workers alike, and the cores are free to take years side by side
    (`mrio_tools.series.run`). A lone LU of n = 1,435 takes about 60 ms on one thread, 35 ms on two.
    """
    return single_blas_thread() if n <= DENSE_UP_TO else contextlib.nullcontext()


_getrs = sla.lapack.dgetrs


@functools.cache
def _blas_controller() -> Any:
    """threadpoolctl's view of the BLAS libraries loaded in this process (they are loaded on import of
    numpy and scipy, before the first solve, and never unloaded)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def inverse_output(x: Array) -> Array:
    """1 / x with 0 where x = 0 (such columns of A = Z x^-1 stay 0, docs/methods.md notation)."""
    out = np.zeros_like(x, dtype=np.float64)
    np.divide(1.0, x, out=out, where=x != 0)
    return out


@dataclass(frozen=True)
class LeontiefSystem:
    """(I - A) factorised once; solve with it as often as needed. Build with `factorize`."""

    method: Literal["dense", "block", "krylov", "sparse"]
    Z: Array = field(repr=False)
    inv_x: Array = field(repr=False)
    block_size: int
    tolerance: float
    domestic_lu: tuple[tuple[Array, NDArray[np.int32]], ...] = field(repr=False)
    dense_lu: tuple[Array, NDArray[np.int32]] | None = field(repr=False, default=None)
    imports: sp.csr_matrix | sp.csc_matrix | None = field(repr=False, default=None)
    sparse_lu: Any = field(repr=False, default=None)
    labels: Sequence[Any] | None = field(repr=False, default=None)
    diagnostics: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of (region, sector) rows."""
        return int(self.Z.shape[0])

    @property
    def regions(self) -> int:
        """Number of regions (diagonal blocks)."""
        return self.n // self.block_size

    # ------------------------------------------------------------- public API
    def solve(self, B: Array) -> Array:
        """X with (I - A) X = B, for an n x c matrix (or n-vector) B of right-hand sides."""
        return self._run(B, transposed=False)

    def solve_transposed(self, B: Array) -> Array:
        """X with (I - A)^T X = B; for multipliers m^T = (I - A)^-T f^T (docs/methods.md)."""
        return self._run(B, transposed=True)

    def solve_domestic(self, region: int, B: Array, *, transposed: bool) -> Array:
        """X with (I - A_rr) X = B (or its transpose) for region index `region`'s domestic block."""
        with single_blas_thread():
            return np.asarray(
                sla.lu_solve(self.domestic_lu[region], B, trans=int(transposed), check_finite=False)
            )

    # ------------------------------------------------------------ internals
    def _run(self, B: Array, *, transposed: bool) -> Array:
        B = np.asarray(B, dtype=np.float64)
        vector = B.ndim == 1
        B2 = B[:, None] if vector else B
        if B2.shape[0] != self.n:
            raise SolverError(f"right-hand side has {B2.shape[0]} rows; the system has {self.n}")
        if self.method == "dense":
            assert self.dense_lu is not None
            with _small_on_one_thread(self.n):
                X = np.asarray(sla.lu_solve(self.dense_lu, B2, trans=int(transposed), check_finite=False))
            residual = self._residual(X, B2, transposed=transposed)
        elif self.method == "sparse":
            X = np.asarray(self.sparse_lu.solve(np.asfortranarray(B2), trans="T" if transposed else "N"))
            residual = self._residual(X, B2, transposed=transposed)
        elif self.method == "krylov":
            assert self.imports is not None
            with single_blas_thread():
                start = krylov_start(
                    self.n,
                    B2,
                    functools.partial(self._domestic_all, transposed=transposed),
                    self.imports.T if transposed else self.imports,
                )
                X, residual = self._iterate(B2, transposed=transposed, start=start)
        else:
            with single_blas_thread():
                X, residual = self._iterate(B2, transposed=transposed)
        self._check(residual, B2, transposed=transposed)
        return X[:, 0] if vector else X

    def _domestic_all(self, B: Array, *, transposed: bool) -> Array:
        out = np.empty_like(B)
        s = self.block_size
        trans = int(transposed)
        for r, (lu, piv) in enumerate(self.domestic_lu):
            rows = slice(r * s, (r + 1) * s)
            # LAPACK getrs itself: scipy's lu_solve wrapper costs about 70 us a call, which the block
            # iteration pays R times a step (a third of the solve time at WIOD size)
            out[rows], info = _getrs(lu, piv, B[rows], trans=trans, overwrite_b=False)
            assert info == 0, info  # only an invalid argument makes getrs fail
        return out

    def _iterate(self, B: Array, *, transposed: bool, start: Array | None = None) -> tuple[Array, Array]:
        assert self.imports is not None
        imports = self.imports.T if transposed else self.imports
        if start is None:  # the block method: an accelerated start (mrio_tools.leontief.anderson)

            def step(X: Array) -> tuple[Array, Array]:
                OX = sparse_product(imports, X)
                return self._domestic_all(B + OX, transposed=transposed), OX

            X, OX = accelerated_start(
                self._domestic_all(B, transposed=transposed), step, handover=CHANGE_TOLERANCE
            )
        else:
            X, OX = start, sparse_product(imports, start)
        scale = column_scale(B)
        previous = np.inf
        for _ in range(MAX_ITERATIONS):
            X_next = self._domestic_all(B + OX, transposed=transposed)
            OX_next = sparse_product(imports, X_next)
            # (I - A) X_next - B = (I - D) X_next - O X_next - B = O X - O X_next
            residual = OX - OX_next
            change = relative_change(X_next, X)  # every entry must settle (kernels.relative_change)
            X, OX = X_next, OX_next
            size = np.abs(residual).max(axis=0) / scale
            # converged, or at rounding level: a converging iteration shrinks the change every step (by
            # the contraction rate, which may be close to 1), so a change that no longer falls is noise
            settled = change <= CHANGE_TOLERANCE or (change <= ROUNDING_CHANGE and change >= previous)
            if (size <= self.tolerance).all() and settled:
                return X, residual
            previous = change
            if not np.isfinite(size).all() or size.max() > 1e8:
                break  # diverging (possible only with negative coefficients): let the check raise
        return X, residual

    def _residual(self, X: Array, B: Array, *, transposed: bool) -> Array:
        if transposed:  # (I - A)^T X - B = X - x^-1 (Z^T X) - B
            return X - self.inv_x[:, None] * (self.Z.T @ X) - B
        return X - self.Z @ (self.inv_x[:, None] * X) - B

    def _check(self, residual: Array, B: Array, *, transposed: bool) -> None:
        relative = np.abs(residual).max(axis=0) / column_scale(B)
        worst = int(np.argmax(relative))
        if relative[worst] > self.tolerance:
            what = "(I - A)^T X = B" if transposed else "(I - A) X = B"
            raise SolverError(
                f"{self.method} solve of {what} missed its tolerance: relative residual "
                f"{relative[worst]:.3g} > {self.tolerance:.1g} on right-hand side {worst}. The system is "
                "ill-conditioned or (block method) converges too slowly; try method='dense' and check "
                "the columns of A that sum close to 1"
            )


def factorize(
    Z: Array,
    x: Array,
    *,
    block_size: int,
    method: SolverMethod = "auto",
    tolerance: float = DEFAULT_TOLERANCE,
    labels: Sequence[Any] | None = None,
) -> LeontiefSystem:
    """Factorise (I - A), A = Z x^-1, for repeated solves (docs/methods.md, "Solving without inverting").

    `block_size` is the number of sectors per region (the diagonal blocks); `labels` name the
    columns in error messages. Z is referenced, not copied. See the module docstring for methods.
    """
    Z = np.asarray(Z, dtype=np.float64)
    n = Z.shape[0]
    if Z.shape != (n, n) or x.shape != (n,) or block_size <= 0 or n % block_size:
        raise SolverError(
            f"Z is {Z.shape}, x is {x.shape}, block size {block_size}: not a square block system"
        )
    inv_x = inverse_output(np.asarray(x, dtype=np.float64))
    regions = n // block_size
    diagnostics: dict[str, Any] = {"n": n, "regions": regions}
    domestic = []
    domestic_nonzero = 0
    with single_blas_thread():
        for r in range(regions):
            rows = slice(r * block_size, (r + 1) * block_size)
            block = Z[rows, rows]
            domestic_nonzero += int(np.count_nonzero(block))
            D = np.eye(block_size) - block * inv_x[rows]
            domestic.append(factor_block(D, labels, r * block_size))
    if method == "sparse":
        matrix = sparse_matrix(Z, inv_x, block_size)
        diagnostics["density"] = matrix.nnz / float(n * n)
        return LeontiefSystem(
            method="sparse",
            Z=Z,
            inv_x=inv_x,
            block_size=block_size,
            tolerance=tolerance,
            labels=labels,
            domestic_lu=tuple(domestic),
            sparse_lu=sparse_lu(matrix, labels),
            diagnostics=diagnostics,
        )
    system = functools.partial(
        LeontiefSystem,
        Z=Z,
        inv_x=inv_x,
        block_size=block_size,
        tolerance=tolerance,
        labels=labels,
        domestic_lu=tuple(domestic),
        diagnostics=diagnostics,
    )
    if method in ("auto", "block", "krylov") and regions > 1:
        if method == "auto" and n <= DENSE_UP_TO:
            # dense LU in any case: only the share of nonzeros is wanted (for the diagnostics), and
            # counting all of Z once is cheaper than the scan (about 12 of 65 ms at WIOD size)
            offdiagonal = int(np.count_nonzero(Z)) - domestic_nonzero
            density, imports = offdiagonal / import_cells(n, block_size), None
        else:
            limit = None if method != "auto" else BLOCK_MAX_OFFDIAGONAL_DENSITY
            density, imports = imports_scan(Z, inv_x, block_size, max_density=limit)
        diagnostics["offdiagonal_density"] = density
        if imports is not None:
            # not in the diagnostics: the block and dense paths keep their keys (golden metadata)
            total = (domestic_nonzero + imports.nnz) / float(n * n)
            if method == "auto" and total <= SPARSE_MAX_DENSITY:
                return factorize(
                    Z, x, block_size=block_size, method="sparse", tolerance=tolerance, labels=labels
                )
            trial = system(method="block", imports=imports)
            with single_blas_thread():
                rate = _contraction_rate(trial)
            diagnostics["contraction_rate"] = rate
            if method == "block" or (method == "auto" and rate <= BLOCK_MAX_RATE):
                return trial
            if method == "krylov" or rate <= KRYLOV_MAX_RATE:
                return system(method="krylov", imports=imports)
    if method in ("block", "krylov") and regions == 1:  # a single region has no import blocks
        diagnostics["note"] = f"one region: the {method} method is a dense LU"
    with _small_on_one_thread(n):
        return system(method="dense", dense_lu=dense_factor(Z, inv_x, labels))


def _contraction_rate(system: LeontiefSystem, steps: int = 8) -> float:
    """Power-iteration estimate of the spectral radius of (I - D)^-1 O (block-Jacobi iteration matrix)."""
    assert system.imports is not None
    v = np.ones((system.n, 1))
    rate = 0.0
    for _ in range(steps):
        w = system._domestic_all(np.asarray(system.imports @ v), transposed=False)
        norm_v, norm_w = float(np.abs(v).max()), float(np.abs(w).max())
        if norm_w == 0.0:
            return 0.0
        rate = norm_w / norm_v
        v = w / norm_w
    return rate


def leontief_inverse(Z: Array, x: Array) -> Array:
    """The full Leontief inverse L = (I - A)^-1, only for users who need L itself.

    Accounts never need it (docs/methods.md, "Solving without inverting"): prefer `factorize(...).solve`.
    Costs about three LU factorisations and holds an extra n x n matrix.
    """
    n = Z.shape[0]
    lu = dense_factor(np.asarray(Z, dtype=np.float64), inverse_output(np.asarray(x, dtype=np.float64)), None)
    return np.asarray(sla.lu_solve(lu, np.eye(n), check_finite=False))
