"""Emissions principle of a table: the source as published (residence) or scaled to territorial totals.

Sector accounts such as the JRC WIOD environmental accounts follow the residence principle of the
national accounts: they include CO2 from international bunker fuels burnt by resident operators
(Danish and Greek shipping, for example), which territorial inventories (UNFCCC, the Global Carbon
Project) leave out. To compare with those inventories, or to publish consumption accounts that add
up to them, the Global Carbon Project's consumption-based accounts scale each country's production
emissions to its territorial inventory total (Peters, Minx, Weber and Edenhofer 2011, PNAS 108:8903;
docs/methods.md, "Emissions principle: residence or territorial"):

    k_r = T_r / PBA_r,       PBA_r = sum_{i in r} F_i + F_Y,r
    F'_i = k_r F_i (i in r), F_Y',r = k_r F_Y,r

so that PBA'_r = T_r for every region, and every other account (CBA, EEE, EEI) follows from the
scaled emissions. The structure within a region (which sector, households or industries) is the
source's. The rest of the world's total is World minus the table's countries (done by the caller,
`mrio_tools.context.inventory.inventory_totals`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Final, get_args

import numpy as np
import pandas as pd

from mrio_tools.choices import EmissionsPrinciple
from mrio_tools.errors import ValidationError, listed
from mrio_tools.mrio.container import MRIO
from mrio_tools.units import conversion_factor

#: the allowed principles (choices.EmissionsPrinciple), read once
EMISSIONS_PRINCIPLES: Final[tuple[EmissionsPrinciple, ...]] = get_args(EmissionsPrinciple)
#: what each principle means, for the metadata
PRINCIPLE_NOTES: Final[dict[str, str]] = {
    "residence": "residence: the source's emissions as published (national-accounts residence "
    "principle where the source follows it, e.g. JRC: bunker fuels of resident operators included)",
    "territorial": "territorial: each region's sector and household direct emissions scaled by "
    "k_r = T_r / PBA_r to its territorial inventory total T_r (rest of world: World minus the table's "
    "countries), as the Global Carbon Project's consumption accounts do (Peters et al. 2011, "
    "PNAS 108:8903); docs/methods.md, 'Emissions principle: residence or territorial'",
}


def production_totals(mrio: MRIO, stressor: str) -> pd.Series:
    """PBA_r = sum_{i in r} F_i + F_Y,r of one stressor, per region, in the stressor's unit."""
    _check_stressor(mrio, stressor)
    sectors = pd.Series(mrio.F.loc[stressor]).groupby(level="region", sort=False).sum()
    households = pd.Series(mrio.F_Y.loc[stressor]).groupby(level="region", sort=False).sum()
    return (sectors + households.reindex(sectors.index, fill_value=0.0)).rename("PBA")


def to_territorial(
    mrio: MRIO, *, totals: pd.Series, totals_unit: str, stressor: str
) -> tuple[MRIO, pd.Series]:
    """`mrio` with `stressor`'s emissions of each region scaled to its territorial total, and k_r.

    k_r = T_r / PBA_r (module docstring); `totals` is T_r indexed by region (every region of the
    table, in `totals_unit`, e.g. 'Mt'). Returns a new MRIO (F and F_Y scaled, other stressors
    untouched; the notes record the principle and the factors) and k_r per region (unit "1").
    Raises `ValidationError` for a region without a total, a negative or non-finite total, or a
    region whose PBA is zero while its total is not (no factor can reach it).
    """
    pba = production_totals(mrio, stressor)
    regions = list(pba.index)
    missing = [r for r in regions if r not in totals.index or not np.isfinite(totals.get(r, np.nan))]
    if missing:
        raise ValidationError(
            f"territorial totals lack regions {listed(missing)} of the {mrio.source} {mrio.year} table. "
            "Fix: give a national table with territorial CO2 of these regions (rest of world: World row)"
        )
    target = totals.reindex(regions).astype(float) * conversion_factor(
        totals_unit, mrio.stressor_units[stressor]
    )
    negative = [r for r in regions if target[r] < 0]
    unreachable = [r for r in regions if pba[r] == 0 and target[r] != 0]
    if negative or unreachable:
        raise ValidationError(
            f"{mrio.source} {mrio.year}: cannot scale {stressor} to territorial totals: negative totals "
            f"{listed(negative)}, zero production emissions with a non-zero total {listed(unreachable)}. "
            "Fix: check the national table, or use --emissions-principle residence"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        k = pd.Series(np.where(pba.to_numpy() == 0, 1.0, target.to_numpy() / pba.to_numpy()), index=regions)
    k.index.name = "region"
    F = mrio.F.copy()
    F_Y = mrio.F_Y.copy()
    F.loc[stressor] = (
        mrio.F.loc[stressor].to_numpy() * k.reindex(mrio.F.columns.get_level_values("region")).to_numpy()
    )
    F_Y.loc[stressor] = (
        mrio.F_Y.loc[stressor].to_numpy() * k.reindex(mrio.F_Y.columns.get_level_values("region")).to_numpy()
    )
    factors = {str(r): float(v) for r, v in k.items()}
    notes: dict[str, Any] = {**dict(mrio.notes), **principle_metadata("territorial", factors)}
    return dataclasses.replace(mrio, F=F, F_Y=F_Y, notes=notes), k.rename("k")


def principle_metadata(principle: EmissionsPrinciple, factors: Mapping[str, float] | None) -> dict[str, Any]:
    """The metadata entries of a principle: its name (key `emissions_principle`) and what it means."""
    meta: dict[str, Any] = {
        "emissions_principle": principle,
        "emissions_principle_note": PRINCIPLE_NOTES[principle],
    }
    if factors is not None:
        meta["territorial_scale_factors"] = dict(factors)
    return meta


def _check_stressor(mrio: MRIO, stressor: str) -> None:
    if stressor not in mrio.F.index:
        raise ValidationError(
            f"{mrio.source} {mrio.year}: no stressor {stressor!r} to scale (stressors: "
            f"{listed(list(mrio.F.index))}). Fix: pick the CO2 stressor with --stressor"
        )
