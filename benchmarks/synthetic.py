"""A synthetic MRIO generator with realistic sparsity, for benchmarks (deterministic from a seed).

The system follows the notation of docs/methods.md (Z, Y, F, F_Y; x = Z1 + Y1):

- domestic blocks A_rr dense, column sums ~ U(0.25, 0.5);
- import blocks A_sr (s != r) sparse: about `import_density` of their entries nonzero, the import
  coefficients of each column summing to ~ U(0.05, 0.25);
- gross output x lognormal (a region size times a sector size);
- Z = A x^ built directly, one buying region's columns at a time (no solve, no n x n temporary);
  rows whose intermediate sales exceed `max_intermediate_share` of output are scaled down to it;
- final demand y = x - Z1 (so x = Z1 + Y1 by construction), split over 4 categories per consuming
  region, about 80 % to the producer's own region and the rest to 3 random foreign regions;
- F = f x^ with lognormal intensities f; F_Y nonzero on the households category only.

The generator holds Z (or writes into a caller's buffer, e.g. a memory-mapped .npy file) plus
arrays of one region's columns (n x S) at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

CATEGORIES = ("households", "government", "investment", "inventories")
#: Dirichlet concentration of the category split of each row's final demand (households dominate)
_CATEGORY_ALPHA = np.array([6.0, 1.5, 2.0, 0.5])
#: number of foreign regions that buy each row's final demand exports
_FOREIGN_BUYERS = 3


@dataclass(frozen=True)
class SyntheticSystem:
    """Arrays and labels of one synthetic MRIO; `x` is the output the system was built for."""

    Z: Array
    Y: Array
    F: Array
    F_Y: Array
    x: Array
    regions: list[str]
    sectors: list[str]
    categories: list[str]
    stressors: list[str]
    offdiagonal_density: float
    #: means over columns of the domestic and import input coefficients, after the row cap
    domestic_coefficient_mean: float
    import_coefficient_mean: float
    #: share of rows whose intermediate sales were scaled down to `max_intermediate_share`
    capped_row_share: float
    seed: int


def make_system(
    regions: int,
    sectors: int,
    stressors: int,
    *,
    seed: int,
    import_density: float = 0.03,
    domestic_share: tuple[float, float] = (0.25, 0.5),
    import_share: tuple[float, float] = (0.05, 0.25),
    max_intermediate_share: float = 0.7,
    Z_out: Array | None = None,
) -> SyntheticSystem:
    """Build a synthetic MRIO of `regions` x `sectors` with `stressors` stressors (see module docstring).

    `Z_out`, if given, is an n x n float64 buffer (e.g. `numpy.lib.format.open_memmap`) that receives Z,
    so that the caller decides where the largest array lives. The result depends only on the arguments.
    """
    if regions < 1 or sectors < 1 or stressors < 1:
        raise ValueError(
            f"need at least one region, sector and stressor; got {regions}, {sectors}, {stressors}"
        )
    R, S, k = regions, sectors, stressors
    n = R * S
    rng = np.random.default_rng(seed)
    if Z_out is None:
        Z = np.empty((n, n), dtype=np.float64)
    else:
        if Z_out.shape != (n, n) or Z_out.dtype != np.float64:
            raise ValueError(f"Z_out is {Z_out.shape} {Z_out.dtype}; expected ({n}, {n}) float64")
        Z = Z_out

    # gross output: region size times sector size, both lognormal (M currency units)
    region_size = rng.lognormal(mean=0.0, sigma=1.2, size=R)
    sector_size = rng.lognormal(mean=0.0, sigma=1.0, size=n)
    x = 1.0e4 * np.repeat(region_size, S) * sector_size

    row_sums = np.zeros(n)
    offdiagonal_nonzero = 0
    for r in range(R):
        block = slice(r * S, (r + 1) * S)
        # domestic coefficients: skewed positive entries, with a heavier own-sector input
        dom = rng.random((S, S)) ** 3
        dom[np.diag_indices(S)] += rng.random(S)
        dom *= rng.uniform(*domestic_share, size=S) / dom.sum(axis=0)
        # import coefficients: sparse over all foreign rows, column totals drawn per column
        A_block = np.where(rng.random((n, S)) < import_density, rng.random((n, S)), 0.0)
        A_block[block] = 0.0
        imported = A_block.sum(axis=0)
        target = rng.uniform(*import_share, size=S)
        A_block *= np.divide(target, imported, out=np.zeros(S), where=imported > 0)
        offdiagonal_nonzero += int(np.count_nonzero(A_block))
        A_block[block] = dom
        A_block *= x[block]  # Z = A x^, column by column
        Z[:, block] = A_block
        row_sums += A_block.sum(axis=1)

    # cap intermediate sales so that every row keeps final demand of at least the rest of its output
    scale = np.minimum(1.0, max_intermediate_share * x / row_sums)
    step = max(1, (1 << 24) // n)  # row slabs of ~128 MB at most, scaled in place
    for start in range(0, n, step):
        Z[start : start + step] *= scale[start : start + step, None]
    y = x - row_sums * scale
    inv_x = 1.0 / x
    column_total = (Z.T @ np.ones(n)) * inv_x
    blocks = [slice(r * S, (r + 1) * S) for r in range(R)]
    column_domestic = np.concatenate([Z[b, b].sum(axis=0) * inv_x[b] for b in blocks])

    # final demand: each row's y split to its own region and 3 random foreign ones, then to categories
    home = np.repeat(np.arange(R), S)
    destination = np.zeros((n, R))
    own = rng.uniform(0.75, 0.85, size=n) if R > 1 else np.ones(n)
    destination[np.arange(n), home] = own
    buyers = min(_FOREIGN_BUYERS, R - 1)
    if buyers:
        keys = rng.random((n, R))
        keys[np.arange(n), home] = np.inf  # the own region is never a foreign buyer
        foreign = np.argsort(keys, axis=1)[:, :buyers]
        weights = rng.dirichlet(np.ones(buyers), size=n) * (1.0 - own)[:, None]
        np.put_along_axis(destination, foreign, weights, axis=1)
    category = rng.dirichlet(_CATEGORY_ALPHA, size=n)
    Y = (y[:, None, None] * destination[:, :, None] * category[:, None, :]).reshape(n, R * len(CATEGORIES))

    # stressors: intensity = stressor-sector base x stressor-region factor x noise, all lognormal
    base = rng.lognormal(mean=3.0, sigma=1.5, size=(k, S))
    region_factor = rng.lognormal(mean=0.0, sigma=0.5, size=(k, R))
    noise = rng.lognormal(mean=0.0, sigma=0.3, size=(k, n))
    f = np.tile(base, R) * np.repeat(region_factor, S, axis=1) * noise
    F = f * x
    households = Y.reshape(n, R, len(CATEGORIES))[:, :, 0].sum(axis=0)
    F_Y = np.zeros((k, R, len(CATEGORIES)))
    F_Y[:, :, 0] = rng.lognormal(mean=2.0, sigma=0.5, size=(k, R)) * households
    F_Y = F_Y.reshape(k, R * len(CATEGORIES))

    return SyntheticSystem(
        Z=Z,
        Y=Y,
        F=F,
        F_Y=F_Y,
        x=x,
        regions=[f"R{r:03d}" for r in range(R)],
        sectors=[f"S{s:03d}" for s in range(S)],
        categories=list(CATEGORIES),
        stressors=[f"stressor_{i}" for i in range(k)],
        offdiagonal_density=offdiagonal_nonzero / float(n * n - n * S) if R > 1 else 0.0,
        domestic_coefficient_mean=float(column_domestic.mean()),
        import_coefficient_mean=float((column_total - column_domestic).mean()),
        capped_row_share=float(np.mean(scale < 1.0)),
        seed=seed,
    )
