"""Emissions embodied in bilateral trade (EEBT, the trade view), beside the MRIO (final-demand) view.

Implements docs/methods.md, "Emissions embodied in bilateral trade (EEBT, the trade view)". With the
exporter's domestic technology only and gross (intermediate + final) exports:

- domestic multipliers of r's products   d_r = f_r (I - A_rr)^-1   (k x S; d_r^T solved with the
  factorised domestic block, `LeontiefSystem.solve_domestic`, never inverted)
- EEBT[r -> s] = d_r (Z_rs 1 + Y_rs 1)  (s != r), split into its intermediate part d_r Z_rs 1 and
  its final part d_r Y_rs 1
- CBA by EEBT: CBA^T_s = PBA_s - sum_t EEBT[s -> t] + sum_r EEBT[r -> s]; sum_s CBA^T_s = sum_s PBA_s.

The trade view assigns emissions to the direct importer, the MRIO view to the final consumer. The
difference D_s = CBA^T_s - CBA_s is split into two named parts (exact, the second is the remainder):

- ``EEBT_DIFF_REEXPORTED``: emissions the trade view books on s for intermediate imports that s uses
  to make output for final demand abroad, sum_{j in s} (sum_{i not in s} d_i Z_ij) x^exp_j / x_j
  (x^exp: output driven by final demand abroad, `SolvedYear.x_exp`); the MRIO view books them on the
  final consumers abroad;
- ``EEBT_DIFF_OTHER``: D_s minus the above: intermediate imports used for s's own final demand (counted
  in both views) less what the domestic-technology view misses in the supply chains of s's purchases
  (imported inputs of its suppliers, and feedback through other regions).

Never multiply total MRIO multipliers by gross intermediate trade: that double counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mrio_tools.accounts import _rows
from mrio_tools.accounts._rows import MethodResult
from mrio_tools.accounts.national import consumption_based, exports_embodied, imports_embodied
from mrio_tools.leontief.factorize import inverse_output
from mrio_tools.leontief.solved import SolvedYear

Array = NDArray[np.float64]

METHOD = 'docs/methods.md, "Emissions embodied in bilateral trade (EEBT, the trade view)"'


def domestic_multipliers(solved: SolvedYear) -> Array:
    """d = [f_1 (I - A_11)^-1, ..., f_R (I - A_RR)^-1] (k x n): emissions on a product's own territory
    per unit of its output, with its own region's technology only (one domestic solve per region)."""
    out = np.zeros((solved.k, solved.n))
    for r in range(solved.R):
        rows = solved.rows(r)
        out[:, rows] = solved.system.solve_domestic(r, solved.f[:, rows].T, transposed=True).T
    return out


def eebt_flows(solved: SolvedYear, d: Array | None = None) -> tuple[Array, Array]:
    """(intermediate, final) parts of EEBT[r -> s] (each k x R x R, diagonal 0).

    EEBT_int[r, s] = d_r Z_rs 1, EEBT_fin[r, s] = d_r Y_rs 1 (`d` = `domestic_multipliers`).
    """
    d = domestic_multipliers(solved) if d is None else d
    k, R, S = solved.k, solved.R, solved.S
    final = solved.y
    intermediate = solved.sales - final
    parts = []
    for sold in (intermediate, final):
        flows: Array = np.einsum("krs,rsd->krd", d.reshape(k, R, S), sold.reshape(R, S, R))
        parts.append(_rows.off_diagonal(flows))
    return parts[0], parts[1]


def reexported_intermediate(solved: SolvedYear, d: Array) -> Array:
    """sum_{j in s} (sum_{i not in s} d_i Z_ij) x^exp_j / x_j for each region s (k x R)."""
    embodied = d @ solved.Z  # k x n: trade-view emissions embodied in each buyer's inputs
    for s in range(solved.R):
        rows = solved.rows(s)
        embodied[:, rows] -= d[:, rows] @ solved.Z[rows, rows]
    share = solved.x_exp * inverse_output(solved.x)
    return _rows.by_region(solved, embodied * share)


def eebt_accounts(solved: SolvedYear) -> MethodResult:
    """EEBT flows and national accounts by the trade view beside the MRIO view (module docstring).

    Accounts: EEBT_EXPORTS, EEBT_IMPORTS, CBA_EEBT, CBA (MRIO), EEE, EEI, CBA_EEBT_MINUS_MRIO and its
    parts EEBT_DIFF_REEXPORTED and EEBT_DIFF_OTHER; flows: EEBT, EEBT_INTERMEDIATE, EEBT_FINAL.
    """
    d = domestic_multipliers(solved)
    intermediate, final = eebt_flows(solved, d)
    total = intermediate + final
    exports, imports = total.sum(axis=2), total.sum(axis=1)
    cba_trade = _rows.pba(solved) + imports - exports
    cba_mrio = solved.E.sum(axis=1) + solved.F_Y_region
    difference = cba_trade - cba_mrio
    reexported = reexported_intermediate(solved, d)
    table = pd.concat(
        [
            _rows.region_rows(solved, "EEBT_EXPORTS", exports),
            _rows.region_rows(solved, "EEBT_IMPORTS", imports),
            _rows.region_rows(solved, "CBA_EEBT", cba_trade),
            consumption_based(solved),
            exports_embodied(solved),
            imports_embodied(solved),
            _rows.region_rows(solved, "CBA_EEBT_MINUS_MRIO", difference),
            _rows.region_rows(solved, "EEBT_DIFF_REEXPORTED", reexported),
            _rows.region_rows(solved, "EEBT_DIFF_OTHER", difference - reexported),
        ],
        ignore_index=True,
    )
    flows = pd.concat(
        [
            _rows.flow_rows(solved, "EEBT", total),
            _rows.flow_rows(solved, "EEBT_INTERMEDIATE", intermediate),
            _rows.flow_rows(solved, "EEBT_FINAL", final),
        ],
        ignore_index=True,
    )
    metadata = {
        **solved.mrio.metadata,
        "method": METHOD,
        "view": "trade view (EEBT: exporter's domestic technology, gross exports, assigned to the direct "
        "importer) beside the MRIO final-demand view (CBA, EEE, EEI)",
        "household_direct_emissions": "F_Y counted in PBA, CBA and CBA_EEBT of the resident region",
    }
    return MethodResult(table=table, flows=flows, metadata=metadata)
