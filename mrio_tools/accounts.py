"""National emission accounts of one MRIO year: PBA, CBA, EEE, EEI, flows and export intensity.

Implements ../shared/METHODS.md, "National accounts (the MRIO, final-demand view)" and "Export
carbon intensity". With f = F x^-1, y_s the final demand of consuming region s summed over its
categories, and X = (I - A)^-1 [y_1 ... y_R] (solved, never inverted):

- E[r, s] = sum_{i in r} f_i X[i, s]                    origin-destination embodied emissions
- PBA_r = sum_{i in r} F_i + F_Y,r                      household direct emissions stay resident
- CBA_s = sum_r E[r, s] + F_Y,s
- EEE_r = sum_{s != r} E[r, s],  EEI_s = sum_{r != s} E[r, s],  NET_TRANSFER = PBA - CBA = EEE - EEI
- gross exports e_r: rows of r of Z and Y bought by other regions, intermediate plus final
- EXPORT_INTENSITY_TOTAL q_r = m e_r / 1'e_r with multipliers m^T = (I - A)^-T f^T
- EXPORT_INTENSITY_DOMESTIC d_r = f_r (I - A_rr)^-1 e_r / 1'e_r

Results are long tables (`mrio_tools.schema`) with units in a column and the table's provenance in
`Accounts.metadata`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .mrio import MRIO
from .schema import ACCOUNT_COLUMNS, ACCOUNTS, FLOW_COLUMNS, MONETARY
from .solve import SolverMethod, factorize, inverse_output

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Accounts:
    """Long-format results of one or more years, with the metadata that must travel with them."""

    table: pd.DataFrame
    flows: pd.DataFrame
    metadata: Mapping[str, Any]


def _long(
    year: int, regions: pd.Index, account: str, stressors: list[str], units: list[str], values: Array
) -> pd.DataFrame:
    """Long rows for a k x R array of values (one row per stressor and region)."""
    k, R = values.shape
    return pd.DataFrame(
        {
            "year": np.full(k * R, year),
            "region": np.tile(regions.to_numpy(dtype=object), k),
            "account": account,
            "stressor": np.repeat(np.asarray(stressors, dtype=object), R),
            "unit": np.repeat(np.asarray(units, dtype=object), R),
            "value": values.reshape(-1),
        },
        columns=list(ACCOUNT_COLUMNS),
    )


def national_accounts(mrio: MRIO, *, solver: SolverMethod = "auto") -> Accounts:
    """Every regional account and the bilateral flows of all stressors of `mrio` (formulas: module docstring).

    `solver` picks the factorisation of (I - A) (`mrio_tools.solve.factorize`); it changes speed and
    memory, not results (each solve is checked against its residual tolerance).
    """
    regions, stressors = mrio.regions, list(mrio.stressors)
    R, S, K, k = len(regions), len(mrio.sectors), len(mrio.categories), len(stressors)
    n = R * S
    Z, Y = mrio.Z.to_numpy(dtype=np.float64), mrio.Y.to_numpy(dtype=np.float64)
    x = mrio.gross_output.to_numpy()
    F, F_Y = mrio.F.to_numpy(dtype=np.float64), mrio.F_Y.to_numpy(dtype=np.float64)
    f = F * inverse_output(x)
    y = Y.reshape(n, R, K).sum(axis=2)

    system = factorize(Z, x, block_size=S, method=solver, labels=list(mrio.Z.index))
    X = system.solve(y)
    E = np.einsum("krs,rsd->krd", f.reshape(k, R, S), X.reshape(R, S, R))
    household = F_Y.reshape(k, R, K).sum(axis=2)
    domestic = E[:, np.arange(R), np.arange(R)]
    pba = F.reshape(k, R, S).sum(axis=2) + household
    cba = E.sum(axis=1) + household
    eee = E.sum(axis=2) - domestic
    eei = E.sum(axis=1) - domestic

    # gross exports: what each (region, sector) sells to other regions, intermediate plus final
    sold_to = Z.reshape(n, R, S).sum(axis=2) + y
    for r in range(R):
        sold_to[r * S : (r + 1) * S, r] = 0.0
    e = sold_to.sum(axis=1)
    exports = e.reshape(R, S).sum(axis=1)
    m = system.solve_transposed(f.T).T if k else np.zeros((0, n))
    domestic_upstream = np.zeros((k, R))
    for r in range(R):
        rows = slice(r * S, (r + 1) * S)
        domestic_upstream[:, r] = f[:, rows] @ system.solve_domestic(r, e[rows], transposed=False)
    exporting = exports > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        total_intensity = (m.reshape(k, R, S) * e.reshape(1, R, S)).sum(axis=2) / exports
        domestic_intensity = domestic_upstream / exports

    year = mrio.year
    units = [mrio.stressor_units[s] for s in stressors]
    per_money = [f"{u}/{mrio.monetary_unit}" for u in units]
    parts = [
        _long(year, regions, "PBA", stressors, units, pba),
        _long(year, regions, "CBA", stressors, units, cba),
        _long(year, regions, "EEE", stressors, units, eee),
        _long(year, regions, "EEI", stressors, units, eei),
        _long(year, regions, "NET_TRANSFER", stressors, units, pba - cba),
        _long(year, regions, "HOUSEHOLD_DIRECT", stressors, units, household),
        _long(year, regions, "GROSS_EXPORTS", [MONETARY], [mrio.monetary_unit], exports[None, :]),
    ]
    parts += [
        _long(
            year,
            regions[exporting],
            "EXPORT_INTENSITY_TOTAL",
            stressors,
            per_money,
            total_intensity[:, exporting],
        ),
        _long(
            year,
            regions[exporting],
            "EXPORT_INTENSITY_DOMESTIC",
            stressors,
            per_money,
            domestic_intensity[:, exporting],
        ),
    ]
    if mrio.population is not None:
        population = mrio.population.to_numpy(dtype=np.float64)[None, :]
        per_capita = [f"{u}/capita" for u in units]
        parts += [
            _long(year, regions, "PBA_PER_CAPITA", stressors, per_capita, pba / population),
            _long(year, regions, "CBA_PER_CAPITA", stressors, per_capita, cba / population),
            _long(year, regions, "NET_TRANSFER_PER_CAPITA", stressors, per_capita, (pba - cba) / population),
        ]
    table = pd.concat(parts, ignore_index=True)

    flows = pd.DataFrame(
        {
            "year": np.full(k * R * R, year),
            "origin": np.tile(np.repeat(regions.to_numpy(dtype=object), R), k),
            "destination": np.tile(regions.to_numpy(dtype=object), k * R),
            "stressor": np.repeat(np.asarray(stressors, dtype=object), R * R),
            "unit": np.repeat(np.asarray(units, dtype=object), R * R),
            "value": E.reshape(-1),
        },
        columns=list(FLOW_COLUMNS),
    )
    metadata = {
        **mrio.metadata,
        "method": "MRIO final-demand view, METHODS.md 'National accounts' and 'Export carbon intensity'",
        "household_direct_emissions": "F_Y counted in PBA and CBA of the resident region",
        "export_definition": "gross exports, intermediate plus final, to all other regions of the table",
        "regions_without_exports": [str(r) for r in regions[~exporting]],
        "solver": {"method": system.method, **system.diagnostics},
        "accounts": {a: ACCOUNTS[a] for a in table["account"].unique()},
    }
    return Accounts(table=table, flows=flows, metadata=metadata)
