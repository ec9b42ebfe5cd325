"""Technology-adjusted consumption-based accounts (TCBA, Kander et al. 2015, Nature Climate Change 5:431).

Implements docs/methods.md, "Technology-adjusted CBA (Kander et al. 2015, Nature Climate Change
5:431)", as the paper's supplementary worked example does it (final-demand view):

- x^exp_r: rows of r of sum_{s != r} X[:, s], output of r's sectors driven by final demand abroad
  (`SolvedYear.x_exp`); EEE_r = f_r x^exp_r
- world-market average direct intensity of sector i (the same sector in every region)
  w_i = sum_r f_{r,i} x^exp_{r,i} / sum_r x^exp_{r,i}   (0 for a sector no region exports)
- TCBA_r = PBA_r - sum_i w_i x^exp_{r,i} + EEI_r   ( = CBA_r + EEE_r - sum_i w_i x^exp_{r,i} )

sum_r TCBA_r = sum_r PBA_r, since sum_r sum_i w_i x^exp_{r,i} = sum_r EEE_r = sum_r EEI_r.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mrio_tools.accounts import _rows
from mrio_tools.accounts._rows import MethodResult
from mrio_tools.accounts.national import consumption_based, exports_embodied, imports_embodied
from mrio_tools.leontief.solved import SolvedYear

Array = NDArray[np.float64]

METHOD = 'docs/methods.md, "Technology-adjusted CBA (Kander et al. 2015, Nature Climate Change 5:431)"'
#: the region label of rows that hold world-market averages
WORLD_MARKET = "world market"


def world_market_intensity(solved: SolvedYear) -> Array:
    """w_i = sum_r f_{r,i} x^exp_{r,i} / sum_r x^exp_{r,i} (k x S); 0 where no region exports sector i."""
    k, R, S = solved.k, solved.R, solved.S
    x_exp = solved.x_exp.reshape(R, S)
    embodied = (solved.f.reshape(k, R, S) * x_exp).sum(axis=1)
    exported = x_exp.sum(axis=0)
    out = np.zeros((k, S))
    np.divide(embodied, exported, out=out, where=exported != 0)
    return out


def tcba_accounts(solved: SolvedYear) -> MethodResult:
    """TCBA per region (module docstring), beside PBA, CBA, EEE, EEI and the world-average EEE.

    Accounts: TCBA, EEE_WORLD_AVERAGE (sum_i w_i x^exp_{r,i}), CBA, EEE, EEI; and the world-market
    intensities w_i as rows with region "world market" and a `sector` column (WORLD_MARKET_INTENSITY).
    """
    k, R, S = solved.k, solved.R, solved.S
    w = world_market_intensity(solved)
    credited = (w[:, None, :] * solved.x_exp.reshape(1, R, S)).sum(axis=2)
    eei = solved.E.sum(axis=1) - solved.E_domestic
    tcba = _rows.pba(solved) - credited + eei
    regional = pd.concat(
        [
            _rows.region_rows(solved, "TCBA", tcba),
            _rows.region_rows(solved, "EEE_WORLD_AVERAGE", credited),
            consumption_based(solved),
            exports_embodied(solved),
            imports_embodied(solved),
        ],
        ignore_index=True,
    )
    regional["sector"] = ""
    sectors = solved.mrio.sectors.to_numpy(dtype=object)
    averages = pd.DataFrame(
        {
            "year": solved.mrio.year,
            "region": WORLD_MARKET,
            "account": "WORLD_MARKET_INTENSITY",
            "stressor": np.repeat(np.asarray(solved.stressors, dtype=object), S),
            "unit": np.repeat(np.asarray(_rows.per_money(solved), dtype=object), S),
            "value": w.reshape(-1),
            "sector": np.tile(sectors, k),
        }
    )
    metadata = {
        **solved.mrio.metadata,
        "method": METHOD,
        "export_related_output": "x^exp from the final-demand view: output driven by final demand abroad",
        "world_market_average": "w_i over all regions of the table, weighted by x^exp",
        "household_direct_emissions": "F_Y counted in PBA, CBA and TCBA of the resident region",
    }
    return MethodResult(
        table=pd.concat([regional, averages], ignore_index=True), flows=None, metadata=metadata
    )
