"""A series' production-based accounts checked against national territorial inventories.

For each region and year (docs/methods.md, "Emissions principle: residence or territorial"; the
inventory is the national table's territorial CO2, for OWID the Global Carbon Budget):

- ``PBA``: the series' production-based account, in its unit;
- ``INVENTORY``: the territorial inventory total T_r in the same unit (rest of world: World minus
  the table's countries, `inventory_totals`);
- ``PBA_TO_INVENTORY`` = PBA / INVENTORY (unit "1"): above 1 where the source's principle (residence:
  bunker fuels of resident operators) or its coverage adds emissions the inventory leaves out;
- ``SOURCE_GROWTH`` = 100 (PBA_t / PBA_t-1 - 1) and ``INVENTORY_GROWTH`` likewise (unit "%"), from
  the second year of the series on;
- ``BREAK_FLAG`` (unit "flag"): 1 where |SOURCE_GROWTH - INVENTORY_GROWTH| > `BREAK_THRESHOLD_PP`
  percentage points, i.e. a year-on-year break of the source that the inventory does not show
  (e.g. JRC China 2014-2015: 10.53 -> 8.99 Gt, -14.6 %, while the Global Carbon Budget falls 1.2 %).

Every row carries the year's ``basis`` and a ``principle`` column: the series' emissions principle
on PBA and SOURCE_GROWTH rows, ``territorial`` on INVENTORY rows, ``<principle> vs territorial`` on
the comparisons.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from mrio_tools.choices import EmissionsPrinciple
from mrio_tools.context.national import NationalTable, national_variable
from mrio_tools.errors import DataFileError, ValidationError
from mrio_tools.mrio.container import MRIO
from mrio_tools.mrio.principle import principle_metadata, to_territorial
from mrio_tools.schema import ACCOUNT_COLUMNS
from mrio_tools.units import conversion_factor

#: a year-on-year break: source and inventory growth differ by more than this (percentage points).
#: On the real WIOD 2013 + JRC series (41 regions, the 16 year pairs 2000-2001 ... 2015-2016 that
#: have JRC sector emissions in both years: 656 pairs), |g_source - g_inventory| has mean 1.86 pp,
#: standard deviation 3.23, median 0.89, 90th percentile 4.19, 95th 6.81, 99th 17.4, maximum 36.8
#: (LUX 2008). 10 pp (about mean + 2.5 sd, beyond the 95th percentile) flags 18 pairs (2.7 %),
#: among them China 2014-2015 (13.4 pp), Brazil 2014-2015 (12.0 pp) and RoW 2014-2015 (20.5 pp):
#: larger than inventory revisions or residence-territorial drift, small enough to catch a
#: change of method in the source.
BREAK_THRESHOLD_PP: Final = 10.0
#: file name in a series folder
INVENTORY_FILE: Final = "inventory_check.csv"
#: the accounts of the table, in order
INVENTORY_ACCOUNTS: Final = (
    "PBA",
    "INVENTORY",
    "PBA_TO_INVENTORY",
    "SOURCE_GROWTH",
    "INVENTORY_GROWTH",
    "BREAK_FLAG",
)
#: the principle of the inventory
INVENTORY_PRINCIPLE: Final = "territorial"


def inventory_totals(
    national: NationalTable, *, regions: Sequence[str], rest_of_world: Sequence[str], years: Sequence[int]
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Territorial CO2 (the national table's `co2`, its unit) as region x year, with its metadata.

    The rest of the world is World (the national table's World row, which for OWID includes
    international aviation and shipping) minus the table's countries.
    """
    frame, meta = national_variable(
        national,
        variable="co2",
        regions=list(regions),
        rest_of_world=list(rest_of_world),
        years=list(years),
        world_total="world_row",
    )
    return frame, {**meta, "principle": national.co2_principle}


def inventory_check(
    accounts: pd.DataFrame,
    *,
    inventory: pd.DataFrame,
    inventory_unit: str,
    principle: str,
    threshold_pp: float,
) -> pd.DataFrame:
    """The inventory check table of a series (accounts of the module docstring), long format.

    `accounts`: the series table (`year, region, account, stressor, unit, value, basis`), one PBA
    row per region and year; `inventory`: region x year territorial totals in `inventory_unit`
    (`inventory_totals`); `principle`: the series' emissions principle; `threshold_pp`: the break
    threshold in percentage points.
    """
    pba = accounts[accounts["account"] == "PBA"]
    if pba.empty:
        raise ValidationError("the series has no PBA rows: nothing to check against inventories")
    if len(set(pba["stressor"])) != 1 or len(set(pba["unit"])) != 1:
        raise ValidationError(
            f"the inventory check needs one stressor in one unit; PBA rows have stressors "
            f"{sorted(pba['stressor'].unique())} in units {sorted(pba['unit'].unique())}"
        )
    stressor, unit = str(pba["stressor"].iloc[0]), str(pba["unit"].iloc[0])
    source = pba.pivot_table(index="region", columns="year", values="value", aggfunc="first", sort=False)
    basis = pba.drop_duplicates("year").set_index("year")["basis"]
    years = sorted(int(y) for y in source.columns)
    target = inventory.reindex(index=source.index, columns=years) * conversion_factor(inventory_unit, unit)
    if target.isna().to_numpy().any():
        raise ValidationError("the inventory lacks some regions or years of the series; give all of them")
    versus = f"{principle} vs {INVENTORY_PRINCIPLE}"
    # growth only from the year before (a series of 2000, 2005 has no year-on-year growth)
    consecutive = pd.Series([False, *(b - a == 1 for a, b in itertools.pairwise(years))], index=years)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = source / target
        source_growth = ((source / source.shift(axis=1) - 1.0) * 100.0).loc[:, consecutive.to_numpy()]
        inventory_growth = ((target / target.shift(axis=1) - 1.0) * 100.0).loc[:, consecutive.to_numpy()]
    flag = ((source_growth - inventory_growth).abs() > threshold_pp).astype(float)
    flag = flag.where(source_growth.notna() & inventory_growth.notna())
    parts = [
        ("PBA", source, unit, principle),
        ("INVENTORY", target, unit, INVENTORY_PRINCIPLE),
        ("PBA_TO_INVENTORY", ratio, "1", versus),
        ("SOURCE_GROWTH", source_growth, "%", principle),
        ("INVENTORY_GROWTH", inventory_growth, "%", INVENTORY_PRINCIPLE),
        ("BREAK_FLAG", flag, "flag", versus),
    ]
    frames = []
    for account, wide, row_unit, row_principle in parts:
        long = wide.rename_axis(index="region", columns="year").reset_index()
        long = long.melt(id_vars="region", var_name="year", value_name="value").dropna(subset=["value"])
        long = long[np.isfinite(long["value"].to_numpy(dtype=float))]
        frames.append(long.assign(account=account, stressor=stressor, unit=row_unit, principle=row_principle))
    table = pd.concat(frames, ignore_index=True)
    table["year"] = table["year"].astype(int)
    table["basis"] = table["year"].map(basis)
    order = {a: i for i, a in enumerate(INVENTORY_ACCOUNTS)}
    table = table.sort_values(
        ["year", "region", "account"], key=lambda c: c.map(order) if c.name == "account" else c
    )
    out: pd.DataFrame = table[[*ACCOUNT_COLUMNS, "basis", "principle"]].reset_index(drop=True)
    return out


def inventory_metadata(
    table: pd.DataFrame, *, inventory_meta: dict[str, Any], principle: str, threshold_pp: float
) -> dict[str, Any]:
    """What the inventory check holds, its rule and the breaks it flags (region, year)."""
    flagged = table[(table["account"] == "BREAK_FLAG") & (table["value"] == 1)]
    return {
        "what": "PBA of the series beside the national table's territorial inventory, their ratio and "
        "year-on-year breaks of the source that the inventory does not show (mrio_tools.context.inventory)",
        "emissions_principle": principle,
        "inventory": inventory_meta,
        "inventory_principle": inventory_meta.get("principle", INVENTORY_PRINCIPLE),
        "break_rule": f"BREAK_FLAG = 1 where |SOURCE_GROWTH - INVENTORY_GROWTH| > {threshold_pp:g} "
        "percentage points (growth from the previous year of the series)",
        "break_threshold_pp": threshold_pp,
        "breaks": [
            f"{region} {int(year) - 1}-{int(year)}"
            for region, year in zip(flagged["region"], flagged["year"], strict=True)
        ],
    }


def inventory_table(
    accounts: pd.DataFrame, *, national: NationalTable, rest_of_world: Sequence[str], principle: str
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The inventory check of a series and its metadata (what `context.derived` writes as `INVENTORY_FILE`).

    `rest_of_world`: the table's rest-of-world regions (World minus the countries); `principle`: the
    series' emissions principle. Uses `BREAK_THRESHOLD_PP`.
    """
    regions = list(dict.fromkeys(str(r) for r in accounts["region"]))
    years = sorted(int(y) for y in accounts["year"].unique())
    totals, totals_meta = inventory_totals(
        national, regions=regions, rest_of_world=rest_of_world, years=years
    )
    table = inventory_check(
        accounts,
        inventory=totals,
        inventory_unit=national.units["co2"],
        principle=principle,
        threshold_pp=BREAK_THRESHOLD_PP,
    )
    meta = inventory_metadata(
        table, inventory_meta=totals_meta, principle=principle, threshold_pp=BREAK_THRESHOLD_PP
    )
    return table, meta


@dataclass(frozen=True)
class PrincipleRequest:
    """The emissions principle of a run and, for territorial, the national table of the totals.

    `rest_of_world`: the table's rest-of-world regions (World minus the table's countries).
    """

    principle: EmissionsPrinciple
    national: Path | None = None
    rest_of_world: tuple[str, ...] = ()

    def check(self) -> None:
        """`DataFileError` naming the fix when territorial has no national table (before any work)."""
        if self.principle != "territorial":
            return
        fix = "Fix: pass the OWID CO2 extract (or its folder) as --national, e.g. data_raw/owid_co2"
        if self.national is None:
            raise DataFileError(
                f"--emissions-principle territorial needs the inventory totals (--national). {fix}"
            )
        if not self.national.exists():
            raise DataFileError(f"--national {self.national} does not exist. {fix}")

    def files(self) -> list[Path]:
        """The files the principle reads (for the year's key): the national table for territorial."""
        if self.principle == "residence" or self.national is None:
            return []
        if self.national.is_dir():
            return sorted(p for p in self.national.glob("*.csv") if p.is_file())
        return [self.national]

    def apply(self, mrio: MRIO, national: NationalTable | None) -> tuple[MRIO, dict[str, Any]]:
        """`mrio` under the principle (`mrio.principle.to_territorial` for territorial) and its metadata."""
        if self.principle == "residence":
            return mrio, principle_metadata("residence", None)
        if national is None:
            raise ValidationError("the territorial principle needs the national table; none was read")
        stressor = _scaled_stressor(mrio)
        totals, _meta = inventory_totals(
            national, regions=list(mrio.regions), rest_of_world=self.rest_of_world, years=[mrio.year]
        )
        scaled, k = to_territorial(
            mrio, totals=totals[mrio.year], totals_unit=national.units["co2"], stressor=stressor
        )
        return scaled, principle_metadata("territorial", {str(r): float(v) for r, v in k.items()})


def _scaled_stressor(mrio: MRIO) -> str:
    """The stressor a territorial inventory total stands for: the table's only one, or `CO2`."""
    stressors = [str(s) for s in mrio.stressors]
    if len(stressors) == 1:
        return stressors[0]
    if "CO2" in stressors:
        return "CO2"
    raise ValidationError(
        f"{mrio.source} {mrio.year}: {len(stressors)} stressors and none is named CO2, so the territorial "
        "CO2 totals fit none of them. Fix: select the CO2 stressor (--stressor, --stressor-name CO2)"
    )
