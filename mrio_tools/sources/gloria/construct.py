"""Symmetric input-output tables from GLORIA's multi-regional supply-use table, in place, block by block.

Notation (Eurostat Manual of Supply, Use and Input-Output Tables, 2008 edition, chapter 11,
"Transformation models", models B and D; docs/methods.md, "Notation"):

- ``V`` (industries x products): the supply (make) table; in GLORIA supply is domestic, so ``V`` is
  block-diagonal with one S x S block ``V_r`` per region (checked when the file is read);
- ``U`` (products x industries): intermediate use of products by industries, all regions;
- ``Y_p`` (products x final-demand columns): final use of products;
- ``F`` (stressors x industries), ``VA`` (components x industries): satellites by industry;
- ``g = V 1`` industry output, ``q = V' 1`` product output (supply side).

Two constructions, each without inverting a matrix (``V`` is not inverted: models A and C, which
need ``V^-1``, are not offered):

- ``industry_by_industry``, model D, fixed product sales structure: every product's sales are
  split among the industries that make it in the shares those industries supply it,
  ``D = V diag(q)^-1`` (market shares, industries x products), and
  ``Z = D U``, ``Y = D Y_p``; ``F`` and ``VA`` stay by industry. With ``U 1 + Y_p 1 = q`` (product
  balance) gross output is ``x = Z 1 + Y 1 = D q = V 1 = g``.
- ``product_by_product``, model B, industry technology: every industry's inputs are split over its
  products in the shares of its output, ``C = diag(g)^-1 V`` (product mix, industries x products),
  and ``Z = U C``, ``F_p = F C``, ``VA_p = VA C``; ``Y = Y_p``; ``x = Z 1 + Y 1 = U 1 + Y_p 1 = q``.

Because ``D`` and ``C`` are block-diagonal, ``Z`` is made in the memory of ``U``: region r's rows
(model D: ``U[r] <- D_r U[r]``) or columns (model B: ``U[:, r] <- U[:, r] C_r``) are replaced one
block at a time, each step holding one S x n temporary. Peak memory is one n x n array plus
O(S n). A product with q = 0 that is used, or an industry with g = 0 that buys inputs, would lose
those flows: that is an error naming the label, never a silent zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

import numpy as np

from mrio_tools.errors import DataFileError

#: the constructions offered (see the module docstring)
Construct = Literal["industry_by_industry", "product_by_product"]
CONSTRUCT_MODELS: Final = {
    "industry_by_industry": "Eurostat (2008) ch. 11 model D: fixed product sales structure, "
    "Z = V diag(q)^-1 U",
    "product_by_product": "Eurostat (2008) ch. 11 model B: industry technology, Z = U diag(g)^-1 V",
}


def _safe_inverse(v: np.ndarray) -> np.ndarray:
    out = np.zeros_like(v)
    np.divide(1.0, v, out=out, where=v != 0)
    return out


def construct_in_place(
    U: np.ndarray,
    Y_p: np.ndarray,
    F: np.ndarray,
    VA: np.ndarray,
    V_blocks: np.ndarray,
    *,
    construct: Construct,
    labels: Sequence[str],
) -> None:
    """Turn the use blocks into the symmetric table (formulas in the module docstring), in place.

    Parameters
    ----------
    U
        n x n use table (products x industries), overwritten by ``Z``.
    Y_p
        n x m final use of products, overwritten by ``Y`` (model D; kept for model B).
    F
        k x n satellites by industry, overwritten by ``F_p`` (model B; kept for model D).
    VA
        c x n value added by industry, overwritten like `F`.
    V_blocks
        R x S x S: region r's supply block ``V_r`` (its industries x its products).
    construct
        ``"industry_by_industry"`` (model D) or ``"product_by_product"`` (model B).
    labels
        the n row labels (region and sector), for error messages.
    """
    n_reg, n_sec, _ = V_blocks.shape
    g = V_blocks.sum(axis=2).ravel()  # industry output, V 1
    q = V_blocks.sum(axis=1).ravel()  # product output, V' 1
    if construct == "industry_by_industry":
        # counted, not summed in abs: np.abs(U) would be a second n x n array
        used = (np.count_nonzero(U, axis=1) + np.count_nonzero(Y_p, axis=1)) > 0
        lost = np.flatnonzero(used & (q == 0))
        if lost.size:
            raise DataFileError(
                f"product {labels[lost[0]]} is used (intermediate or final) but no industry supplies it "
                f"(q = 0; {lost.size} such products): the fixed product sales structure cannot place its "
                "sales. Fix: use --construct product_by_product, or check the T-Results file"
            )
        q_inv = _safe_inverse(q)
        for r in range(n_reg):
            rows = slice(r * n_sec, (r + 1) * n_sec)
            D_r = V_blocks[r] * q_inv[rows][np.newaxis, :]  # market shares of region r's industries
            U[rows, :] = D_r @ U[rows, :]
            Y_p[rows, :] = D_r @ Y_p[rows, :]
        return
    buys = (np.count_nonzero(U, axis=0) + np.count_nonzero(F, axis=0) + np.count_nonzero(VA, axis=0)) > 0
    lost = np.flatnonzero(buys & (g == 0))
    if lost.size:
        raise DataFileError(
            f"industry {labels[lost[0]]} has inputs or satellites but supplies nothing (g = 0; {lost.size} "
            "such industries): the industry technology assumption cannot place them. Fix: use "
            "--construct industry_by_industry, or check the T-Results file"
        )
    g_inv = _safe_inverse(g)
    for r in range(n_reg):
        cols = slice(r * n_sec, (r + 1) * n_sec)
        C_r = V_blocks[r] * g_inv[cols][:, np.newaxis]  # product mix of region r's industries
        U[:, cols] = U[:, cols] @ C_r
        F[:, cols] = F[:, cols] @ C_r
        VA[:, cols] = VA[:, cols] @ C_r


__all__ = ["CONSTRUCT_MODELS", "Construct", "construct_in_place"]
