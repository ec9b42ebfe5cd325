"""Per-capita accounts of regions and country groups, with population from a national table.

docs/methods.md, "National accounts (the MRIO, final-demand view)" and "Country groups and regions":
value per capita = account / population, by `mrio_tools.accounts.per_capita.per_capita_table`. Emission
masses are given in tonnes per person whatever the account's mass unit (kt / persons * 1000 = t/capita;
Mt / persons * 1e6 = t/capita); a unit that is no mass is divided as it is (`unit/capita`). A group's
population is the sum of its members' (the rest-of-world region's population is World minus the table's
countries: see `mrio_tools.context.national.national_variable`), so a group's per-capita value is its
sum over its members' sum, not a mean of per-capita values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import pandas as pd

from mrio_tools.accounts.per_capita import per_capita_table
from mrio_tools.choices import RestOfWorldGroup
from mrio_tools.context.group_accounts import GROUP_COLUMNS
from mrio_tools.context.groups import Grouping, assignment_table
from mrio_tools.errors import ValidationError, listed
from mrio_tools.schema import PER_CAPITA_ACCOUNTS

#: the `grouping` label of single table regions in the per-capita table
REGIONS: Final = "regions"
#: the mass unit of per-capita emissions in the per-capita table (tonnes per person)
PER_CAPITA_MASS: Final = "t"


def per_capita_accounts(
    accounts: pd.DataFrame,
    groups: pd.DataFrame,
    *,
    population: pd.DataFrame,
    population_source: str,
    groupings: Sequence[Grouping],
    rest_of_world: Sequence[str],
    rest_of_world_group: RestOfWorldGroup,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Per-capita PBA, CBA and NET_TRANSFER of every region and every group, per year.

    Output columns `GROUP_COLUMNS`; single regions have `grouping` = 'regions'; masses in tonnes
    per person (`PER_CAPITA_MASS`).

    Parameters
    ----------
    accounts
        A series table (`year, region, account, stressor, unit, value, basis`).
    groups
        The output of `mrio_tools.context.group_accounts.group_accounts` for the same `groupings` and
        rest-of-world choice.
    population
        Persons, region x year (e.g. from `national_variable(..., variable='population')`).
    population_source
        Where the population comes from, written into the metadata.
    groupings
        The groupings whose groups get per-capita rows.
    rest_of_world, rest_of_world_group
        The table's rest-of-world regions and where they go (as for `group_accounts`).
    """
    regions = list(dict.fromkeys(accounts["region"]))
    years = sorted(int(y) for y in accounts["year"].unique())
    missing = [
        f"{r} {y}" for r in regions for y in years if r not in population.index or y not in population.columns
    ]
    if not missing:
        values = population.loc[regions, years]
        missing = [f"{r} {y}" for r in regions for y in years if not float(values.loc[r, y]) > 0]
    if missing:
        raise ValidationError(
            f"population is missing or not positive for {listed(missing)}; give a national table with "
            "population for every region and year of the accounts"
        )
    long_pop = (
        population.loc[regions, years]
        .rename_axis(index="region", columns="year")
        .reset_index()
        .melt(id_vars="region", var_name="year", value_name="population")
    )
    long_pop["year"] = long_pop["year"].astype(int)
    parts = [_divide(accounts.assign(grouping=REGIONS), long_pop.assign(grouping=REGIONS))]
    for grouping in groupings:
        assignment = assignment_table(
            grouping, regions, years, rest_of_world=rest_of_world, rest_of_world_group=rest_of_world_group
        )
        summed = long_pop.merge(assignment, on=["year", "region"]).groupby(["year", "group"], as_index=False)
        group_pop = (
            summed.agg(population=("population", "sum"))
            .rename(columns={"group": "region"})
            .assign(grouping=grouping.name)
        )
        rows = groups[groups["grouping"] == grouping.name]
        parts.append(_divide(rows, group_pop))
    out = pd.concat(parts, ignore_index=True)[list(GROUP_COLUMNS)]
    metadata = {
        "rule": "account / population; a group's population is the sum of its members'",
        "accounts": list(PER_CAPITA_ACCOUNTS),
        "unit": f"{PER_CAPITA_MASS} per person for masses, the account's unit per person otherwise",
        "population_source": population_source,
        "population_unit": "persons",
        "rest_of_world": list(rest_of_world),
        "rest_of_world_group": rest_of_world_group,
    }
    return out, metadata


def _divide(rows: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Per-capita rows (t/capita for masses) of `rows`, population matched on grouping, year and region."""
    table = per_capita_table(rows, population, keys=("grouping", "year", "region"), mass_unit=PER_CAPITA_MASS)
    return table[list(GROUP_COLUMNS)]
