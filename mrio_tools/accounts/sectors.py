"""Sector transfers: embodied emissions in exports and imports by sector and partner, and net transfers
of named sector sets (basic metals; electrical equipment, where photovoltaic products sit).

Implements docs/methods.md, "Sector transfers". Two views, both reported and named in the `account`:

- emitting sector (final-demand view): T[i, s] = f_i X[i, s] for s != r(i), the emissions of r's
  sector i caused by final demand of s (sum_i sum_{s != r} T = EEE_r; read by destination, EEI_s by
  origin region and sector);
- traded product (trade view, EEBT): P[i, s] = d_i (Z_i,s 1 + Y_i,s 1) for s != r(i), the exporter's
  domestic multiplier d = f_r (I - A_rr)^-1 of product i times gross exports of i to s.

Net transfer of a sector set K between r and s: N_K[r, s] = sum_{i in K, r} V[i, s] - sum_{i in K, s}
V[i, r] (V = T or P). By region and sector: NET_TRANSFER_SECTOR_r,i = sum_{s != r} V[(r, i), s] -
sum_{t != r} V[(t, i), r]; over all sectors it sums to PBA_r - CBA_r (emitting view) or to the EEBT
net EEBT_EXPORTS_r - EEBT_IMPORTS_r (product view).

Sector sets map a source's sectors to named sets: `mrio_tools/data/sector_sets/<source>.csv`
(columns source, sector, sector_set; its README says what each set holds), or a user's own file of the
same layout (`read_sector_sets`). A sector may belong to several sets; a set need not cover all sectors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, get_args

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mrio_tools.accounts import _rows
from mrio_tools.accounts._rows import MethodResult
from mrio_tools.accounts.eebt import domestic_multipliers
from mrio_tools.choices import TransferView
from mrio_tools.errors import ValidationError, listed
from mrio_tools.leontief.solved import SolvedYear

Array = NDArray[np.float64]

METHOD = 'docs/methods.md, "Sector transfers"'
TRANSFER_VIEWS: Final[tuple[TransferView, ...]] = get_args(TransferView)
#: account name of each view's sector flows and of its net transfers
FLOW_ACCOUNT: Final[dict[TransferView, str]] = {
    "emitting_sector": "SECTOR_EXPORTS_EMITTING",
    "product": "SECTOR_EXPORTS_PRODUCT",
}
NET_ACCOUNT: Final[dict[TransferView, str]] = {
    "emitting_sector": "NET_TRANSFER_SECTOR_EMITTING",
    "product": "NET_TRANSFER_SECTOR_PRODUCT",
}
SET_ACCOUNT: Final[dict[TransferView, str]] = {
    "emitting_sector": "NET_TRANSFER_SET_EMITTING",
    "product": "NET_TRANSFER_SET_PRODUCT",
}


def sector_exports(solved: SolvedYear, view: TransferView) -> Array:
    """V[k, i, s] (k x n x R): T = f_i X[i, s] or P = d_i (Z_i,s 1 + Y_i,s 1), 0 where s = r(i)."""
    if view == "emitting_sector":
        V = solved.f[:, :, None] * solved.X[None, :, :]
    else:
        V = domestic_multipliers(solved)[:, :, None] * solved.sales[None, :, :]
    for r in range(solved.R):
        V[:, solved.rows(r), r] = 0.0
    return V


def net_by_sector(solved: SolvedYear, V: Array) -> Array:
    """NET_TRANSFER_SECTOR[k, (r, i)] = exports of (r, i) - r's imports of sector i (k x n)."""
    k, R, S = solved.k, solved.R, solved.S
    exports = V.sum(axis=2)  # k x n
    imports = V.reshape(k, R, S, R).sum(axis=1)  # k x S x R: sector i bought by region s from abroad
    out: Array = exports - imports.transpose(0, 2, 1).reshape(k, R * S)
    return out


def net_by_set(solved: SolvedYear, V: Array, members: Sequence[int]) -> Array:
    """N_K[k, r, s] = sum_{i in K, r} V[i, s] - sum_{i in K, s} V[i, r] (k x R x R), K sector numbers."""
    k, R, S = solved.k, solved.R, solved.S
    picked = V.reshape(k, R, S, R)[:, :, list(members), :].sum(axis=2)  # k x R x R, r -> s
    out: Array = picked - picked.transpose(0, 2, 1)
    return out


def set_members(solved: SolvedYear, sector_sets: pd.DataFrame) -> dict[str, list[int]]:
    """Sector numbers of each set for this table; `ValidationError` naming sectors the table lacks."""
    sectors = list(solved.mrio.sectors)
    unknown = sorted(set(sector_sets["sector"]) - set(sectors))
    if unknown:
        raise ValidationError(
            f"sector sets name sectors {listed(unknown)} that {solved.mrio.source} does not have (its "
            f"sectors: {listed(sectors)}). Fix: map this source's own sector codes"
        )
    return {
        str(name): sorted(sectors.index(s) for s in group["sector"])
        for name, group in sector_sets.groupby("sector_set", sort=True)
    }


def sector_transfers(
    solved: SolvedYear, *, sector_sets: pd.DataFrame, views: Sequence[TransferView]
) -> MethodResult:
    """Sector flows, net transfers by region and sector, and net transfers of sector sets (module docstring).

    `sector_sets` has columns sector, sector_set (one row per member). `views` are those reported.
    Table rows: NET_TRANSFER_SECTOR_<view> by (region, sector), NET_TRANSFER (PBA - CBA) and
    EEBT_NET for comparison. Flows: SECTOR_EXPORTS_<view> by (origin, sector) -> destination, and
    NET_TRANSFER_SET_<view> between regions, with the set's name in the `sector` column.
    """
    members = set_members(solved, sector_sets)
    tables, flows = [], []
    for view in views:
        V = sector_exports(solved, view)
        tables.append(_rows.sector_rows(solved, NET_ACCOUNT[view], net_by_sector(solved, V)))
        flows.append(_rows.sector_flow_rows(solved, FLOW_ACCOUNT[view], V))
        for name, numbers in members.items():
            part = _rows.flow_rows(solved, SET_ACCOUNT[view], net_by_set(solved, V, numbers))
            part["sector"] = name
            flows.append(part)
    national = _rows.region_rows(solved, "NET_TRANSFER", solved.E.sum(axis=2) - solved.E.sum(axis=1))
    national["sector"] = ""
    tables.append(national)
    metadata = {
        **solved.mrio.metadata,
        "method": METHOD,
        "views": {
            "emitting_sector": "f_i X[i, s]: emissions of the exporter's sector i caused by demand abroad",
            "product": "d_i (Z_i,s 1 + Y_i,s 1): exporter's domestic multiplier times gross exports (EEBT)",
        },
        "sector_sets": {
            name: [str(solved.mrio.sectors[i]) for i in numbers] for name, numbers in members.items()
        },
    }
    return MethodResult(
        table=pd.concat(tables, ignore_index=True),
        flows=pd.concat(flows, ignore_index=True),
        metadata=metadata,
    )


def top_sectors(table: pd.DataFrame, *, account: str, count: int) -> pd.DataFrame:
    """The `count` sectors of largest |net transfer| per region, year and stressor (rows of `account`)."""
    rows = table[table["account"] == account].copy()
    rows["size"] = rows["value"].abs()
    keys = ["year", "region", "stressor"]
    top = rows.sort_values("size", ascending=False).groupby(keys, sort=True).head(count)
    return top.drop(columns="size").sort_values([*keys, "value"]).reset_index(drop=True)


def sets_for_source(sector_sets: pd.DataFrame, source: str) -> pd.DataFrame:
    """The rows of a sector-set table (columns source, sector, sector_set) for `source`."""
    rows = sector_sets[sector_sets["source"] == source]
    if rows.empty:
        have = listed(sorted(set(sector_sets["source"])))
        raise ValidationError(
            f"the sector sets hold no rows for source {source!r} (they cover {have}). Fix: add rows "
            f"'{source},<sector>,<set>' or pass --sector-sets with a file for this source"
        )
    return rows[["sector", "sector_set"]].reset_index(drop=True)


def mapping_of(sector_sets: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """A sector-set table (sector, sector_set) from {set: [sectors]} (for callers of the library)."""
    return pd.DataFrame(
        [(sector, name) for name, sectors in sector_sets.items() for sector in sectors],
        columns=["sector", "sector_set"],
    )
