"""Tables derived from a series' accounts: groups, per capita, export intensity trends, findings.

`derived_tables` is what the series command calls after the accounts; each table comes with its
metadata dict, to be written as `groups.csv`, `per_capita.csv`, `export_intensity.csv` and
`findings.csv` (keys of `DERIVED_FILES`) with their `.meta.json` sidecars.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import pandas as pd

from mrio_tools.choices import RestOfWorldGroup, WorldTotal
from mrio_tools.context.group_accounts import group_accounts
from mrio_tools.context.groups import MAJOR_DEVELOPED, MAJOR_DEVELOPING, Grouping
from mrio_tools.context.inventory import INVENTORY_FILE, inventory_table
from mrio_tools.context.national import NationalTable, national_variable
from mrio_tools.context.per_capita import per_capita_accounts
from mrio_tools.context.prices import Deflator, export_intensity_trends
from mrio_tools.errors import ValidationError
from mrio_tools.findings import findings_table

#: table name -> file name in a series folder
DERIVED_FILES: Final[dict[str, str]] = {
    "groups": "groups.csv",
    "per_capita": "per_capita.csv",
    "export_intensity": "export_intensity.csv",
    "findings": "findings.csv",
}
#: tables written where the national table allows: the inventory check needs territorial CO2 of
#: every region and year of the series
OPTIONAL_FILES: Final[dict[str, str]] = {"inventory_check": INVENTORY_FILE}
#: the tables that need a deflator (constant prices), with what it adds
NEEDS_DEFLATOR: Final[dict[str, str]] = {
    "export_intensity": "export intensity in constant prices needs --deflator",
    "findings": "the export-intensity declines of the findings need --deflator (the other findings "
    "are written)",
}


def derived_tables(
    accounts: pd.DataFrame,
    *,
    national: NationalTable,
    deflator: Deflator | None,
    groupings: Sequence[Grouping],
    rest_of_world: Sequence[str],
    rest_of_world_group: RestOfWorldGroup,
    population_world_total: WorldTotal,
    constant_price_year: int,
    benchmark_years: Mapping[int, int],
    stressor: str,
    gap_unit: str,
    gap_groups: Sequence[tuple[str, str]],
    gap_regions: Sequence[str],
    exporters: Sequence[str],
    source: str,
    emissions_principle: str = "residence",
) -> dict[str, tuple[pd.DataFrame, dict[str, Any]]]:
    """Group accounts, per-capita accounts, export intensity trends and findings of a series.

    docs/methods.md, "Country groups and regions", "National accounts (the MRIO, final-demand
    view)" (per capita) and "Export carbon intensity".

    Parameters
    ----------
    accounts
        The series table (`year, region, account, stressor, unit, value, basis`).
    national
        The national table (population, with its source) of `mrio_tools.context.national`.
    deflator
        The export (or GDP) price deflator of the intensities' currency.
    groupings
        The country groupings whose group accounts are made (`mrio_tools.context.groups`).
    rest_of_world
        The table's rest-of-world regions (e.g. ['RoW']).
    rest_of_world_group
        Where `rest_of_world` goes: 'other' (each grouping's non-member group) or 'own' (a group of
        its own).
    population_world_total
        How the rest of the world's population is found (`national_variable`).
    constant_price_year
        The base year of constant prices (the deflator is rebased to 100 there).
    benchmark_years
        Year -> benchmark table year of every year whose basis starts with 'scaled_table' (the
        extension's metadata): their money is at that year's prices.
    stressor
        The stressor the findings are about (e.g. 'CO2').
    gap_unit
        The mass unit of the findings' gaps (e.g. 'Gt').
    gap_groups
        (grouping, group) pairs for the findings' gaps, e.g. [('oecd_in_year', 'OECD'),
        ('oecd_in_year', 'non-OECD')].
    gap_regions
        Regions whose PBA - CBA gap is a finding (e.g. ['CHN']).
    exporters
        Regions whose export intensity decline is a finding.
    source
        The data source of the series, written into every finding.

    Returns
    -------
    dict
        Table name ('groups', 'per_capita', 'export_intensity', 'findings') -> (long table, its
        metadata); each table's unit travels in its ``unit`` column.
    """
    regions = list(dict.fromkeys(accounts["region"]))
    years = sorted(int(y) for y in accounts["year"].unique())
    groups, groups_meta = group_accounts(
        accounts, groupings=groupings, rest_of_world=rest_of_world, rest_of_world_group=rest_of_world_group
    )
    population, population_meta = national_variable(
        national,
        variable="population",
        regions=regions,
        rest_of_world=rest_of_world,
        years=years,
        world_total=population_world_total,
    )
    per_capita, per_capita_meta = per_capita_accounts(
        accounts,
        groups,
        population=population,
        population_source=national.source,
        groupings=groupings,
        rest_of_world=rest_of_world,
        rest_of_world_group=rest_of_world_group,
    )
    per_capita_meta["population"] = population_meta
    trends, trends_meta = (
        export_intensity_trends(
            accounts,
            deflator=deflator,
            constant_price_year=constant_price_year,
            benchmark_years=benchmark_years,
        )
        if deflator is not None
        else (pd.DataFrame(columns=["region", "account", "stressor", "measure", "prices", "year"]), {})
    )
    findings, findings_meta = findings_table(
        accounts,
        groups,
        trends,
        stressor=stressor,
        major_developed=MAJOR_DEVELOPED,
        major_developing=MAJOR_DEVELOPING,
        gap_regions=gap_regions,
        gap_groups=gap_groups,
        gap_unit=gap_unit,
        exporters=exporters if deflator is not None else [],
        source=source,
    )
    findings_meta["groupings"] = groups_meta["groupings"]
    findings_meta["price_basis"] = trends_meta
    tables = {
        "groups": (groups, groups_meta),
        "per_capita": (per_capita, per_capita_meta),
        "export_intensity": (trends, trends_meta),
        "findings": (findings, findings_meta),
    }
    not_written: dict[str, str] = {}
    try:
        tables["inventory_check"] = inventory_table(
            accounts, national=national, rest_of_world=rest_of_world, principle=emissions_principle
        )
    except ValidationError as error:  # no territorial CO2 for some region or year: say so, go on
        not_written[INVENTORY_FILE] = f"the national table lacks territorial CO2: {error}"
    if deflator is None:  # current prices only
        del tables["export_intensity"]
        not_written.update({DERIVED_FILES[name]: why for name, why in NEEDS_DEFLATOR.items()})
    for _table, meta in tables.values():  # every table says what is missing and why
        if not_written:
            meta["not_written"] = dict(not_written)
    return tables
