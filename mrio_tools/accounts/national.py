"""National emission accounts of one MRIO year: PBA, CBA, EEE, EEI, flows and export intensity.

Implements docs/methods.md, "National accounts (the MRIO, final-demand view)" and "Export
carbon intensity". One small function per account, each reading from one `SolvedYear`
(`mrio_tools.leontief.solved`: f = F x^-1, X = (I - A)^-1 [y_1 ... y_R], m^T = (I - A)^-T f^T, solved once):

- E[r, s] = sum_{i in r} f_i X[i, s]                    origin-destination embodied emissions
- PBA_r = sum_{i in r} F_i + F_Y,r                      household direct emissions stay resident
- CBA_s = sum_r E[r, s] + F_Y,s
- EEE_r = sum_{s != r} E[r, s],  EEI_s = sum_{r != s} E[r, s],  NET_TRANSFER = PBA - CBA = EEE - EEI
- gross exports e_r: rows of r of Z and Y bought by other regions, intermediate plus final
- EXPORT_INTENSITY_TOTAL q_r = m e_r / 1'e_r with multipliers m^T = (I - A)^-T f^T
- EXPORT_INTENSITY_DOMESTIC d_r = f_r (I - A_rr)^-1 e_r / 1'e_r

`accounts_of` composes them into one `Accounts`; `national_accounts` solves the year and does the same.
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

from mrio_tools.accounts._rows import origin_destination_rows, units
from mrio_tools.accounts.per_capita import per_capita_table
from mrio_tools.choices import SolverMethod
from mrio_tools.errors import ValidationError
from mrio_tools.leontief.solved import SolvedYear, solve_year
from mrio_tools.mrio.container import MRIO
from mrio_tools.schema import ACCOUNT_COLUMNS, ACCOUNTS, MONETARY

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


def _stressor_rows(solved: SolvedYear, account: str, values: Array) -> pd.DataFrame:
    """Long rows of a k x R array of an account in the stressors' own units."""
    return _long(solved.mrio.year, solved.regions, account, solved.stressors, units(solved), values)


# ---------------------------------------------------------------------- values (k x R arrays)
def _pba(solved: SolvedYear) -> Array:
    return solved.F_region + solved.F_Y_region


def _cba(solved: SolvedYear) -> Array:
    out: Array = solved.E.sum(axis=1) + solved.F_Y_region
    return out


def _exporting(solved: SolvedYear) -> NDArray[np.bool_]:
    """Regions with positive gross exports (only they have an export intensity)."""
    return solved.e_region > 0


# ---------------------------------------------------------------------- one function per account
def production_based(solved: SolvedYear) -> pd.DataFrame:
    """PBA_r = sum_{i in r} F_i + F_Y,r: industries' and households' direct emissions (account PBA)."""
    return _stressor_rows(solved, "PBA", _pba(solved))


def consumption_based(solved: SolvedYear) -> pd.DataFrame:
    """CBA_s = sum_r E[r, s] + F_Y,s, E[r, s] = sum_{i in r} f_i X[i, s] (account CBA)."""
    return _stressor_rows(solved, "CBA", _cba(solved))


def exports_embodied(solved: SolvedYear) -> pd.DataFrame:
    """EEE_r = sum_{s != r} E[r, s]: r's emissions caused by final demand abroad (account EEE)."""
    return _stressor_rows(solved, "EEE", solved.E.sum(axis=2) - solved.E_domestic)


def imports_embodied(solved: SolvedYear) -> pd.DataFrame:
    """EEI_s = sum_{r != s} E[r, s]: emissions abroad caused by s's final demand (account EEI)."""
    return _stressor_rows(solved, "EEI", solved.E.sum(axis=1) - solved.E_domestic)


def net_transfer(solved: SolvedYear) -> pd.DataFrame:
    """NET_TRANSFER_r = PBA_r - CBA_r (= EEE_r - EEI_r); positive for a net exporter of emissions."""
    return _stressor_rows(solved, "NET_TRANSFER", _pba(solved) - _cba(solved))


def household_direct(solved: SolvedYear) -> pd.DataFrame:
    """F_Y,r: direct emissions of r's final demand, summed over its categories (account HOUSEHOLD_DIRECT)."""
    return _stressor_rows(solved, "HOUSEHOLD_DIRECT", solved.F_Y_region)


def gross_exports(solved: SolvedYear) -> pd.DataFrame:
    """1'e_r: r's sales of intermediate and final goods to all other regions, stressor `monetary`.

    e_r[i] = sum_{s != r} (Z_rs 1 + Y_rs 1)[i] (account GROSS_EXPORTS, in the table's currency).
    """
    mrio = solved.mrio
    values = solved.e_region[None, :]
    return _long(mrio.year, solved.regions, "GROSS_EXPORTS", [MONETARY], [mrio.monetary_unit], values)


def _intensity_rows(solved: SolvedYear, account: str, embodied: Array) -> pd.DataFrame:
    """Rows of embodied / 1'e_r for the regions with exports, in stressor unit per currency unit."""
    exporting = _exporting(solved)
    with np.errstate(divide="ignore", invalid="ignore"):
        intensity = embodied / solved.e_region
    mrio = solved.mrio
    per_money = [f"{u}/{mrio.monetary_unit}" for u in units(solved)]
    return _long(
        mrio.year, solved.regions[exporting], account, solved.stressors, per_money, intensity[:, exporting]
    )


def export_intensity_total(solved: SolvedYear) -> pd.DataFrame:
    """q_r = m e_r / 1'e_r, m^T = (I - A)^-T f^T: upstream emissions anywhere per unit exported.

    Account EXPORT_INTENSITY_TOTAL (docs/methods.md, "Export carbon intensity"); regions without gross
    exports have no row.
    """
    k, R, S = solved.k, solved.R, solved.S
    embodied = (solved.m.reshape(k, R, S) * solved.e.reshape(1, R, S)).sum(axis=2)
    return _intensity_rows(solved, "EXPORT_INTENSITY_TOTAL", embodied)


def export_intensity_domestic(solved: SolvedYear) -> pd.DataFrame:
    """d_r = f_r (I - A_rr)^-1 e_r / 1'e_r: emissions on r's territory per unit exported.

    Account EXPORT_INTENSITY_DOMESTIC (docs/methods.md, "Export carbon intensity"); regions without gross
    exports have no row.
    """
    embodied = np.zeros((solved.k, solved.R))
    for r in range(solved.R):
        embodied[:, r] = solved.domestic_embodied(r, solved.e[solved.rows(r)])
    return _intensity_rows(solved, "EXPORT_INTENSITY_DOMESTIC", embodied)


def per_capita(solved: SolvedYear) -> pd.DataFrame:
    """PBA_r / P_r, CBA_r / P_r and NET_TRANSFER_r / P_r with population P (accounts *_PER_CAPITA).

    Unit: the stressor's unit per person (e.g. 'kg/capita'), by `per_capita_table`. Raises
    `ValidationError` when the table has no population.
    """
    mrio = solved.mrio
    if mrio.population is None:
        raise ValidationError(
            f"{mrio.source} {mrio.year}: the table has no population, so per-capita accounts cannot be "
            "computed. Fix: pass population= (persons per region) to the MRIO, or skip per_capita"
        )
    population = pd.DataFrame(
        {
            "year": mrio.year,
            "region": solved.regions,
            "population": mrio.population.to_numpy(dtype=np.float64),
        }
    )
    rows = pd.concat(
        [production_based(solved), consumption_based(solved), net_transfer(solved)], ignore_index=True
    )
    return per_capita_table(rows, population, keys=("year", "region"), mass_unit=None)


def bilateral_flows(solved: SolvedYear) -> pd.DataFrame:
    """E[r, s] = sum_{i in r} f_i X[i, s] for every origin r and destination s (long, `FLOW_COLUMNS`)."""
    return origin_destination_rows(solved, solved.E)


# ---------------------------------------------------------------------- composition
def accounts_of(solved: SolvedYear) -> Accounts:
    """Every regional account and the bilateral flows of all stressors of a solved year (module docstring).

    Per-capita accounts are included when the table has a population.
    """
    parts = [
        production_based(solved),
        consumption_based(solved),
        exports_embodied(solved),
        imports_embodied(solved),
        net_transfer(solved),
        household_direct(solved),
        gross_exports(solved),
        export_intensity_total(solved),
        export_intensity_domestic(solved),
    ]
    if solved.mrio.population is not None:
        parts.append(per_capita(solved))
    table = pd.concat(parts, ignore_index=True)
    system = solved.system
    metadata = {
        **solved.mrio.metadata,
        "method": "MRIO final-demand view, docs/methods.md 'National accounts' and 'Export carbon intensity'",
        "household_direct_emissions": "F_Y counted in PBA and CBA of the resident region",
        "export_definition": "gross exports, intermediate plus final, to all other regions of the table",
        "regions_without_exports": [str(r) for r in solved.regions[~_exporting(solved)]],
        "solver": {"method": system.method, **system.diagnostics},
        "accounts": {a: ACCOUNTS[a] for a in table["account"].unique()},
    }
    return Accounts(table=table, flows=bilateral_flows(solved), metadata=metadata)


def national_accounts(mrio: MRIO, *, solver: SolverMethod = "auto") -> Accounts:
    """Every regional account and the bilateral flows of all stressors of `mrio` (formulas: module docstring).

    `solver` picks the factorisation of (I - A) (`leontief.factorize.factorize`); it changes speed and
    memory, not results (each solve is checked against its residual tolerance). Same as
    `accounts_of(solve_year(mrio, solver=solver))`.
    """
    return accounts_of(solve_year(mrio, solver=solver))
