"""Income-based (Ghosh) accounts: emissions enabled by each region's primary inputs.

Implements docs/methods.md, "Income-based accounts (Ghosh)". With B = x^-1 Z and
G = (I - B)^-1 = x^-1 L x, and value added (primary inputs) v = x - Z'1:

    IBA_i = v_i (G f^T)_i = v_i x_i^-1 (L x^ f^T)_i = (v_i / x_i) ((I - A)^-1 F^T)_i

so one solve of the factorised (I - A) with the k columns of F^T gives every income-based account
(no Ghosh inverse, no second factorisation). IBA_r = sum_{i in r} IBA_i + F_Y,r: households' direct
emissions stay with the resident region (as in PBA and CBA), so sum_r IBA_r = sum_r PBA_r, since
sum_i (v_i / x_i) ((I - A)^-1 F^T)_i = 1'(I - A)(I - A)^-1 F^T = 1'F^T.

v is the table's own balancing item x - Z'1 (value added plus taxes less subsidies on products, and
whatever else the publisher puts below Z), not a value-added block read separately: only this v
makes the identity exact.
"""

from __future__ import annotations

import pandas as pd

from mrio_tools.accounts import _rows
from mrio_tools.accounts._rows import MethodResult
from mrio_tools.leontief.factorize import inverse_output
from mrio_tools.leontief.solved import SolvedYear
from mrio_tools.schema import MONETARY

METHOD = 'docs/methods.md, "Income-based accounts (Ghosh)"'


def income_based(solved: SolvedYear) -> MethodResult:
    """IBA by region and by (region, sector), and value added v = x - Z'1 (module docstring).

    Accounts: IBA (with households' direct emissions), PBA for comparison, IBA_SECTOR (by sector,
    without households), VALUE_ADDED (stressor `monetary`, by sector).
    """
    x = solved.x
    v = x - solved.Z.sum(axis=0)
    enabled = solved.system.solve(solved.F.T).T * (v * inverse_output(x))  # k x n
    iba = _rows.by_region(solved, enabled) + solved.F_Y_region
    money = solved.mrio.monetary_unit
    value_added = _rows.sector_rows(solved, "VALUE_ADDED", v[None, :], unit=[money], stressors=[MONETARY])
    regional = pd.concat(
        [_rows.region_rows(solved, "IBA", iba), _rows.region_rows(solved, "PBA", _rows.pba(solved))],
        ignore_index=True,
    )
    regional["sector"] = ""
    table = pd.concat(
        [regional, _rows.sector_rows(solved, "IBA_SECTOR", enabled), value_added], ignore_index=True
    )
    negative = [f"{r}/{s}" for (r, s), value in zip(solved.mrio.Z.index, v, strict=True) if value < 0]
    metadata = {
        **solved.mrio.metadata,
        "method": METHOD,
        "primary_inputs": "v = x - Z'1, the table's balancing item below Z (value added, net taxes, ...)",
        "household_direct_emissions": "F_Y counted in IBA of the resident region",
        "sectors_with_negative_primary_inputs": negative,
    }
    return MethodResult(table=table, flows=None, metadata=metadata)
