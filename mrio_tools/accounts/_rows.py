"""Long-table builders shared by the methods of the accounts stage (EEBT, TCBA, SDA, ...).

Every table follows `mrio_tools.schema`: regional rows `year, region, account, stressor, unit, value`
(then `sector` where the table is by sector), flows `year, origin, destination, stressor, unit, value`
(then `account`, `sector`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mrio_tools.leontief.solved import SolvedYear
from mrio_tools.schema import ACCOUNT_COLUMNS, FLOW_COLUMNS

Array = NDArray[np.float64]


@dataclass(frozen=True)
class MethodResult:
    """Long tables of one method for one year (or a change), with the metadata that travels with them.

    `table` holds regional rows (`schema.ACCOUNT_COLUMNS`, maybe then `sector`), `flows` origin-
    destination rows (`schema.FLOW_COLUMNS` then `account`, maybe `sector`) or None.
    """

    table: pd.DataFrame
    flows: pd.DataFrame | None
    metadata: dict[str, Any]


def units(solved: SolvedYear) -> list[str]:
    """The unit of each stressor, in stressor order."""
    return [solved.mrio.stressor_units[s] for s in solved.stressors]


def per_money(solved: SolvedYear) -> list[str]:
    """The unit of each stressor per unit of the table's money (an intensity)."""
    return [f"{u}/{solved.mrio.monetary_unit}" for u in units(solved)]


def region_rows(
    solved: SolvedYear, account: str, values: Array, *, unit: list[str] | None = None
) -> pd.DataFrame:
    """Long rows of a k x R array (one row per stressor and region)."""
    k, R = values.shape
    unit = units(solved) if unit is None else unit
    return pd.DataFrame(
        {
            "year": np.full(k * R, solved.mrio.year),
            "region": np.tile(solved.regions.to_numpy(dtype=object), k),
            "account": account,
            "stressor": np.repeat(np.asarray(solved.stressors, dtype=object), R),
            "unit": np.repeat(np.asarray(unit, dtype=object), R),
            "value": values.reshape(-1),
        },
        columns=list(ACCOUNT_COLUMNS),
    )


def sector_rows(
    solved: SolvedYear,
    account: str,
    values: Array,
    *,
    unit: list[str] | None = None,
    stressors: list[str] | None = None,
) -> pd.DataFrame:
    """Long rows of a k x n array (one row per stressor and (region, sector)), with a `sector` column.

    `unit` and `stressors` default to the table's stressors (give both for other rows, e.g. money).
    """
    k, n = values.shape
    unit = units(solved) if unit is None else unit
    stressors = solved.stressors if stressors is None else stressors
    index = solved.mrio.Z.index
    return pd.DataFrame(
        {
            "year": np.full(k * n, solved.mrio.year),
            "region": np.tile(index.get_level_values("region").to_numpy(dtype=object), k),
            "account": account,
            "stressor": np.repeat(np.asarray(stressors, dtype=object), n),
            "unit": np.repeat(np.asarray(unit, dtype=object), n),
            "value": values.reshape(-1),
            "sector": np.tile(index.get_level_values("sector").to_numpy(dtype=object), k),
        },
        columns=[*ACCOUNT_COLUMNS, "sector"],
    )


def origin_destination_rows(solved: SolvedYear, values: Array) -> pd.DataFrame:
    """Long flow rows (`FLOW_COLUMNS`) of a k x R x R array: stressor, origin r, destination s."""
    k, R, _ = values.shape
    regions = solved.regions.to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "year": np.full(k * R * R, solved.mrio.year),
            "origin": np.tile(np.repeat(regions, R), k),
            "destination": np.tile(regions, k * R),
            "stressor": np.repeat(np.asarray(solved.stressors, dtype=object), R * R),
            "unit": np.repeat(np.asarray(units(solved), dtype=object), R * R),
            "value": values.reshape(-1),
        },
        columns=list(FLOW_COLUMNS),
    )


def flow_rows(solved: SolvedYear, account: str, values: Array) -> pd.DataFrame:
    """Long flow rows of a k x R x R array (origin r, destination s), with an `account` column."""
    return origin_destination_rows(solved, values).assign(account=account)


def sector_flow_rows(solved: SolvedYear, account: str, values: Array) -> pd.DataFrame:
    """Long flow rows of a k x n x R array (origin region-sector i, destination region s), with
    `account` and `sector` (the origin's sector) columns."""
    k, n, R = values.shape
    index = solved.mrio.Z.index
    origin = index.get_level_values("region").to_numpy(dtype=object)
    sector = index.get_level_values("sector").to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "year": np.full(k * n * R, solved.mrio.year),
            "origin": np.tile(np.repeat(origin, R), k),
            "destination": np.tile(solved.regions.to_numpy(dtype=object), k * n),
            "stressor": np.repeat(np.asarray(solved.stressors, dtype=object), n * R),
            "unit": np.repeat(np.asarray(units(solved), dtype=object), n * R),
            "value": values.reshape(-1),
            "account": account,
            "sector": np.tile(np.repeat(sector, R), k),
        },
        columns=[*FLOW_COLUMNS, "account", "sector"],
    )


def by_region(solved: SolvedYear, values: Array) -> Array:
    """A k x n array summed over the sectors of each region (k x R)."""
    out: Array = values.reshape(values.shape[0], solved.R, solved.S).sum(axis=2)
    return out


def pba(solved: SolvedYear) -> Array:
    """PBA_r = sum_{i in r} F_i + F_Y,r (k x R), docs/methods.md, "National accounts"."""
    out: Array = solved.F_region + solved.F_Y_region
    return out


def off_diagonal(values: Array) -> Array:
    """A k x R x R array with its diagonal (r -> r) set to 0 (a new array)."""
    out = values.copy()
    R = values.shape[1]
    out[:, np.arange(R), np.arange(R)] = 0.0
    return out
