"""Anderson acceleration of the block iteration: far fewer products with the import blocks.

Implements docs/methods.md, "Solving without inverting" (block method). With D the domestic blocks
of A and O = A - D the import blocks, the block iteration is the fixed point

    X = g(X),   g(X) = (I - D)^-1 (B + O X)

whose error shrinks by the spectral radius of G = (I - D)^-1 O per step. In MRIO tables that radius
is set by one dominant (Perron) eigenvalue, about the import share of inputs; the others are far
smaller (synthetic 49 x 200 table, 5 % dense import blocks: 0.12 against 0.006 for the next five).
Anderson acceleration (Anderson 1965; Walker and Ni 2011, SIAM J. Numer. Anal. 49(4)) mixes the last
`depth` steps: with residuals F_k = g(X_k) - X_k and the differences dX_i = X_{i+1} - X_i,
dF_i = F_{i+1} - F_i of earlier steps, each column j of the right-hand sides takes

    gamma_j = argmin || F_k[:, j] - dF[:, j, :] gamma ||_2        (least squares, by QR)
    X_{k+1}[:, j] = X_k[:, j] + F_k[:, j] - (dX[:, j, :] + dF[:, j, :]) gamma_j

On a linear fixed point this is equivalent to GMRES (Walker and Ni 2011), so the dominant eigenvalue
costs about one step and the rest converge at the rate of the remaining spectrum.

The acceleration only finds a start: `LeontiefSystem._iterate` finishes with plain steps of g and its
own stopping rule (every entry of X settled, residual below tolerance), so results are as exact as
the plain block iteration's. When a mixed step does not reduce the residual (the history has become
degenerate, or the table is far from the regime above) the best point so far is handed over.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from mrio_tools.leontief.kernels import EPS, relative_change

Array = NDArray[np.float64]

#: earlier steps mixed into each new one (3 reaches 1e-13 in 7 steps on the 49 x 200 synthetic
#: table, against 16 plain steps; benchmarks/README.md, "Which solver wins")
ANDERSON_DEPTH = 3
#: at most this many accelerated steps before the plain iteration takes over
ANDERSON_MAX_STEPS = 50
#: a mixed step whose largest relative change grows past this multiple of the smallest seen ends it;
#: so do `depth` + 1 steps in a row that do not halve it (rounding level reached)
ANDERSON_GROWTH = 10.0


def _mixing(residual: Array, dX: list[Array], dF: list[Array]) -> Array:
    """The Anderson step (module docstring) for every column at once; a column whose history is
    degenerate (a zero column of the right-hand side, or steps that no longer differ) takes the plain
    step X + F.

    The least-squares problems are solved by a QR factorisation of each column's history, built by
    modified Gram-Schmidt with one reorthogonalisation ("twice is enough": Giraud, Langou and Rozloznik
    2005, Comput. Math. Appl. 50) for all columns together: the history has at most `ANDERSON_DEPTH`
    vectors, and a batched LAPACK QR of c tall n x depth matrices cost twice as much (31 against 13 ms
    a step at n = 9,800 and c = 49)."""
    columns = residual.shape[1]
    depth = len(dF)
    basis: list[Array] = []
    R = np.zeros((columns, depth, depth))
    for i, step_F in enumerate(dF):
        v = step_F.copy()
        for _ in range(2):
            for j, q in enumerate(basis):
                projection = np.einsum("nc,nc->c", q, v)
                R[:, j, i] += projection
                v -= q * projection
        norm = np.sqrt(np.einsum("nc,nc->c", v, v))
        R[:, i, i] = norm
        basis.append(v / np.where(norm > 0, norm, 1.0))
    rhs = np.stack([np.einsum("nc,nc->c", q, residual) for q in basis], axis=1)  # Q^T F, c x depth
    diagonal = np.abs(np.diagonal(R, axis1=1, axis2=2))
    usable = diagonal.min(axis=1) > 1e3 * EPS * np.maximum(diagonal.max(axis=1), np.finfo(np.float64).tiny)
    gamma = np.zeros_like(rhs)
    if usable.any():
        gamma[usable] = np.linalg.solve(R[usable], rhs[usable][..., None])[..., 0]
    correction = np.zeros_like(residual)
    for i, (step_X, step_F) in enumerate(zip(dX, dF, strict=True)):
        correction += (step_X + step_F) * gamma[:, i]
    return residual - correction


def accelerated_start(
    start: Array,
    step: Callable[[Array], tuple[Array, Array]],
    *,
    handover: float,
    depth: int = ANDERSON_DEPTH,
) -> tuple[Array, Array]:
    """A point X close to the solution of X = g(X), and O X, for the plain iteration to finish.

    `step(X)` returns (g(X), O X); `start` is the first point (the caller's X_0 = (I - D)^-1 B). Stops
    when a plain step would change no entry by more than `handover` of itself, and returns the best
    point and its product with the import blocks, so that the plain iteration's first step is g of it
    without a further product.
    """
    depth = min(depth, start.shape[0])  # no more history than unknowns (tiny systems)
    X = start
    G, OX = step(X)
    residual = G - X
    best = (np.inf, X, OX)
    dX: list[Array] = []
    dF: list[Array] = []
    stalled = 0
    for _ in range(ANDERSON_MAX_STEPS):
        change = relative_change(G, X)
        if not np.isfinite(change) or change > ANDERSON_GROWTH * best[0]:
            break
        stalled = 0 if change <= 0.5 * best[0] else stalled + 1
        if change <= best[0]:
            best = (change, X, OX)
        if change <= handover or stalled > depth:  # done, or at rounding level
            break
        X_next = X + (_mixing(residual, dX, dF) if dX else residual)
        G_next, OX_next = step(X_next)
        residual_next = G_next - X_next
        dX.append(X_next - X)
        dF.append(residual_next - residual)
        if len(dX) > depth:
            del dX[0], dF[0]
        X, G, OX, residual = X_next, G_next, OX_next, residual_next
    return best[1], best[2]
