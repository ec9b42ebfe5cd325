"""Footprint intensities of every region-sector's product, purchase baskets and a tiered hybrid.

Implements docs/methods.md, "Footprint intensities and baskets":

- footprint intensity of product j (region-sector): M_j = sum_i f_i L_ij, emissions anywhere per unit
  of money of j's output delivered to final use; M = m, solved once as m^T = (I - A)^-T f^T
  (`SolvedYear.m`). In stressor unit per money unit: kt/M USD is kg/USD.
- its domestic part M^dom_j = sum_{i in r(j)} f_i L_ij (i over j's own region, through the whole
  world's supply chain, so feedback through other regions counts), its imported part M_j - M^dom_j;
  all R domestic parts come from ONE transposed solve with k R right-hand sides
  (I - A)^T Q = [f^T restricted to the rows of region r, for every r]
- a basket b (money by region-sector) has footprint M b, split likewise into domestic and imported parts
  of each product; M applied to all final demand, summed, is world CBA less households' direct emissions
- tiered hybrid: f_i of named region-sectors is replaced by a process-based (bottom-up) intensity,
  f' = f there; M' = f' L (one more transposed solve); the change M' - M of every product and the
  change (M' - M) y_s of every consuming region's footprint are reported.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mrio_tools.accounts import _rows
from mrio_tools.accounts._rows import MethodResult
from mrio_tools.errors import ValidationError
from mrio_tools.leontief.solved import SolvedYear

Array = NDArray[np.float64]

METHOD = 'docs/methods.md, "Footprint intensities and baskets"'


def domestic_part(solved: SolvedYear, f: Array | None = None) -> Array:
    """M^dom_j = sum_{i in r(j)} f_i L_ij (k x n), by one transposed solve with k R right-hand sides."""
    f = solved.f if f is None else f
    k, R, n = solved.k, solved.R, solved.n
    rhs = np.zeros((n, k * R))
    for r in range(R):
        rows = solved.rows(r)
        rhs[rows, r * k : (r + 1) * k] = f[:, rows].T
    Q = solved.system.solve_transposed(rhs)  # n x (R k), column r k + s: stressor s of region r
    out = np.empty((k, n))
    for r in range(R):
        rows = solved.rows(r)
        out[:, rows] = Q[rows, r * k : (r + 1) * k].T
    return out


def footprint_intensities(solved: SolvedYear) -> MethodResult:
    """FOOTPRINT_INTENSITY (M), _DOMESTIC and _IMPORTED of every (region, sector) product, and each
    consuming region's FOOTPRINT_OF_FINAL_DEMAND M y_s (= CBA_s less households' direct emissions)."""
    M = solved.m
    domestic = domestic_part(solved)
    unit = _rows.per_money(solved)
    sectors = pd.concat(
        [
            _rows.sector_rows(solved, "FOOTPRINT_INTENSITY", M, unit=unit),
            _rows.sector_rows(solved, "FOOTPRINT_INTENSITY_DOMESTIC", domestic, unit=unit),
            _rows.sector_rows(solved, "FOOTPRINT_INTENSITY_IMPORTED", M - domestic, unit=unit),
        ],
        ignore_index=True,
    )
    regional = _rows.region_rows(solved, "FOOTPRINT_OF_FINAL_DEMAND", M @ solved.y)
    regional["sector"] = ""
    metadata = {
        **solved.mrio.metadata,
        "method": METHOD,
        "intensity": "total multiplier M = f L: emissions anywhere per unit of money of the product's "
        "output delivered to final use",
        "domestic_part": "sum over the product's own region of f_i L_ij (full L, feedback included)",
    }
    return MethodResult(
        table=pd.concat([sectors, regional], ignore_index=True), flows=None, metadata=metadata
    )


def basket_footprint(solved: SolvedYear, basket: Array, *, name: str) -> MethodResult:
    """Footprint M b of a basket `b` (n: money by (region, sector), in the table's money unit).

    Rows per basket item (`sector` column; region = the product's region): BASKET_FOOTPRINT,
    _DOMESTIC, _IMPORTED; and the basket's totals with region = `name`.
    """
    if basket.shape != (solved.n,):
        raise ValidationError(
            f"basket {name!r} has {basket.shape} entries; the table has {solved.n} products"
        )
    M = solved.m
    domestic = domestic_part(solved) * basket
    total = M * basket
    items = pd.concat(
        [
            _rows.sector_rows(solved, "BASKET_FOOTPRINT", total),
            _rows.sector_rows(solved, "BASKET_FOOTPRINT_DOMESTIC", domestic),
            _rows.sector_rows(solved, "BASKET_FOOTPRINT_IMPORTED", total - domestic),
        ],
        ignore_index=True,
    )
    items = items[np.tile(basket != 0, 3 * solved.k)]
    k = solved.k
    sums = np.stack([total.sum(axis=1), domestic.sum(axis=1), (total - domestic).sum(axis=1)])  # 3 x k
    totals = pd.DataFrame(
        {
            "year": solved.mrio.year,
            "region": name,
            "account": np.repeat(
                ["BASKET_FOOTPRINT", "BASKET_FOOTPRINT_DOMESTIC", "BASKET_FOOTPRINT_IMPORTED"], k
            ),
            "stressor": np.tile(np.asarray(solved.stressors, dtype=object), 3),
            "unit": np.tile(np.asarray(_rows.units(solved), dtype=object), 3),
            "value": sums.reshape(-1),
            "sector": "",
        }
    )
    metadata = {
        **solved.mrio.metadata,
        "method": METHOD,
        "basket": name,
        "basket_money_unit": solved.mrio.monetary_unit,
        "basket_total_money": float(basket.sum()),
    }
    return MethodResult(table=pd.concat([items, totals], ignore_index=True), flows=None, metadata=metadata)


def hybrid_intensities(solved: SolvedYear, override: Array) -> MethodResult:
    """Tiered hybrid: f' = f with `override` (k x n, NaN where the MRIO's f is kept; in stressor unit per
    money unit) replacing it; M' = f' L and its change against M (module docstring).

    Rows: FOOTPRINT_INTENSITY_HYBRID and FOOTPRINT_INTENSITY_HYBRID_CHANGE (M' - M) per product;
    per consuming region CBA_HYBRID_CHANGE = (M' - M) y_s; the overridden f as DIRECT_INTENSITY_OVERRIDE.
    """
    if override.shape != solved.f.shape:
        raise ValidationError(f"override has shape {override.shape}; the table's f is {solved.f.shape}")
    chosen = ~np.isnan(override)
    if (override[chosen] < 0).any():
        raise ValidationError("an override intensity is negative; give process-based intensities >= 0")
    f_hybrid = np.where(chosen, override, solved.f)
    M_hybrid = solved.system.solve_transposed(f_hybrid.T).T
    change = M_hybrid - solved.m
    unit = _rows.per_money(solved)
    replaced = _rows.sector_rows(
        solved, "DIRECT_INTENSITY_OVERRIDE", np.where(chosen, override, 0.0), unit=unit
    )
    replaced = replaced[chosen.reshape(-1)]
    sectors = pd.concat(
        [
            _rows.sector_rows(solved, "FOOTPRINT_INTENSITY_HYBRID", M_hybrid, unit=unit),
            _rows.sector_rows(solved, "FOOTPRINT_INTENSITY_HYBRID_CHANGE", change, unit=unit),
            replaced,
        ],
        ignore_index=True,
    )
    regional = _rows.region_rows(solved, "CBA_HYBRID_CHANGE", change @ solved.y)
    regional["sector"] = ""
    index = solved.mrio.Z.index
    metadata = {
        **solved.mrio.metadata,
        "method": METHOD + " (tiered hybrid)",
        "overridden": {
            stressor: [f"{index[int(j)][0]}/{index[int(j)][1]}" for j in np.flatnonzero(chosen[s])]
            for s, stressor in enumerate(solved.stressors)
        },
    }
    return MethodResult(
        table=pd.concat([sectors, regional], ignore_index=True), flows=None, metadata=metadata
    )
