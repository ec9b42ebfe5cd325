"""Structural path analysis (SPA) of a footprint: the largest supply-chain paths f_i A_ij ... A_kl y_l.

Implements docs/methods.md, "Structural path analysis". E = f L y = f y + f A y + f A^2 y + ...; a
path of order p from final demand of product l back to emitting product i is

    f_i A_i,j1 A_j1,j2 ... A_jp-1,l y_l     (order 0: f_l y_l)

The search walks the tree from each final demand y_l. A node j reached with amount v (the output of j
that this path needs) contributes f_j v itself, and its whole subtree (every longer path through it)
contributes exactly m_j v, with m = f L the total multiplier (`SolvedYear.m`). So a branch is pruned
when m_j v < threshold: no path below it can reach the threshold, and nothing below the threshold is
ever enumerated. Paths with f_j v >= threshold (and order <= depth) are reported; the covered share
is sum(paths) / E. As the threshold falls (and the depth grows) the share rises to 1.

The frontier of each order is expanded in one vectorised step (columns of A read from Z, no n x n copy).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mrio_tools.accounts import _rows
from mrio_tools.accounts._rows import MethodResult
from mrio_tools.errors import ValidationError
from mrio_tools.leontief.factorize import inverse_output
from mrio_tools.leontief.solved import SolvedYear

Array = NDArray[np.float64]

METHOD = 'docs/methods.md, "Structural path analysis"'
PATH_COLUMNS = ("year", "region", "stressor", "unit", "value", "share", "order", "path")
#: largest frontier expanded in one step (columns of A gathered at once)
_BATCH = 256
#: "world": the footprint of all final demand
WORLD = "world"


@dataclass(frozen=True)
class _Node:
    product: NDArray[np.int64]  # product of each node
    amount: Array  # v: output of that product this path needs
    parent: NDArray[np.int64]  # index of the parent node in the previous order (-1 at order 0)


def _expand(solved: SolvedYear, frontier: _Node, mult: Array, threshold: float) -> _Node:
    """Children (i, A_ij v) of every node whose subtree bound m_i A_ij v reaches the threshold."""
    inv_x = inverse_output(solved.x)
    products, amounts, parents = [], [], []
    for start in range(0, frontier.product.size, _BATCH):
        js = frontier.product[start : start + _BATCH]
        A_cols = solved.Z[:, js] * inv_x[js]  # n x b: columns j of A
        child_amount = A_cols * frontier.amount[start : start + _BATCH]
        keep = mult[:, None] * child_amount >= threshold
        i, b = np.nonzero(keep)
        products.append(i)
        amounts.append(child_amount[i, b])
        parents.append(b + start)
    return _Node(np.concatenate(products), np.concatenate(amounts), np.concatenate(parents))


def _label(solved: SolvedYear, chain: list[int]) -> str:
    index = solved.mrio.Z.index
    return " <- ".join(f"{index[j][0]}/{index[j][1]}" for j in chain)


def structural_paths(
    solved: SolvedYear, *, stressor: str, region: str, threshold_share: float, depth: int
) -> MethodResult:
    """Paths of the footprint of `region`'s final demand (or "world") for one stressor (module docstring).

    `threshold_share`: a path is reported (and a branch kept) down to this share of the footprint E;
    `depth`: the largest order. Table: PATH_COLUMNS (path as "emitter <- ... <- final product");
    accounts rows SPA_FOOTPRINT (E = m y), SPA_COVERED (sum of paths) and SPA_COVERED_SHARE.
    """
    if stressor not in solved.stressors:
        raise ValidationError(f"stressor {stressor!r} is not in the table (it has {solved.stressors})")
    if not 0 < threshold_share < 1 or depth < 0:
        raise ValidationError("give 0 < threshold share < 1 and a depth >= 0")
    s = solved.stressors.index(stressor)
    if region == WORLD:
        y = solved.y.sum(axis=1)
    elif region in solved.regions:
        y = solved.y[:, solved.regions.get_loc(region)]
    else:
        raise ValidationError(f"region {region!r} is not in the table; give one of its regions or {WORLD!r}")
    f, mult = solved.f[s], solved.m[s]
    total = float(mult @ y)
    if total <= 0:
        raise ValidationError(f"the footprint of {region} for {stressor} is {total}: nothing to decompose")
    threshold = threshold_share * total
    start = np.flatnonzero(mult * y >= threshold)
    layers = [_Node(start.astype(np.int64), y[start], np.full(start.size, -1, dtype=np.int64))]
    while len(layers) <= depth and layers[-1].product.size:
        layers.append(_expand(solved, layers[-1], mult, threshold))
    records: list[tuple[float, int, str]] = []
    for order, layer in enumerate(layers):
        values = f[layer.product] * layer.amount
        for node in np.flatnonzero(values >= threshold):
            chain, o, at = [], order, int(node)
            while o >= 0:
                chain.append(int(layers[o].product[at]))
                at = int(layers[o].parent[at])
                o -= 1
            records.append((float(values[node]), order, _label(solved, chain)))
    records.sort(key=lambda r: -r[0])
    unit = _rows.units(solved)[s]
    paths = pd.DataFrame(
        {
            "year": solved.mrio.year,
            "region": region,
            "stressor": stressor,
            "unit": unit,
            "value": [r[0] for r in records],
            "share": [r[0] / total for r in records],
            "order": [r[1] for r in records],
            "path": [r[2] for r in records],
        },
        columns=list(PATH_COLUMNS),
    )
    covered = float(paths["value"].sum())
    summary = pd.DataFrame(
        {
            "year": solved.mrio.year,
            "region": region,
            "account": ["SPA_FOOTPRINT", "SPA_COVERED", "SPA_COVERED_SHARE"],
            "stressor": stressor,
            "unit": [unit, unit, "1"],
            "value": [total, covered, covered / total],
        }
    )
    metadata = {
        **solved.mrio.metadata,
        "method": METHOD,
        "footprint": f"E = m y of {region}'s final demand (households' direct emissions not included)",
        "threshold_share": threshold_share,
        "threshold": threshold,
        "depth": depth,
        "pruning": "branch dropped when its subtree total m_j v falls below the threshold",
        "nodes_expanded": int(sum(layer.product.size for layer in layers)),
        "paths": len(records),
        "covered_share": covered / total,
    }
    return MethodResult(table=summary, flows=paths, metadata=metadata)
