"""National series (territorial CO2, real GDP, population by country and year): readers and lookups.

Two layouts are read (docs/methods.md, "Years outside the tables (extension)" and "Country groups
and regions"):

- the Our World in Data CO2 extract (`owid-co2-data-extract.csv`, columns `country, year, population,
  gdp, co2, ...`), keyed by English names (`read_owid_co2`);
- a generic CSV that users can write for their own national data (`read_national_csv`)::

      region,year,co2,gdp,population
      DEU,1990,1052.1,1.64e12,79433000
      World,1990,22732.1,,5327803000

  `region` is an ISO 3166 alpha-3 code or an English country name (both go through the same name
  mapping), or an aggregate name such as `World`; `year` a whole year; `co2` territorial CO2 in Mt;
  `gdp` real GDP in one constant-price currency unit for every row (the reader's `gdp_unit` says
  which); `population` in persons. Empty cells mean "not known". Further columns are ignored.

Names become ISO3 codes through country_converter (a maintained classification, not a hand-written map;
`mrio_tools.context.names`). Aggregates (World, continents, income groups, OECD/non-OECD as published,
EU, international aviation and shipping, the Kuwaiti oil fires, historical territories) are recognised
first and are never taken for countries: country_converter alone would, e.g., map 'Kuwaiti Oil Fires' to
KWT. A name that maps to no country raises `DataFileError` listing it; two names that map to the same
code raise too (double counting).

Units of the OWID extract: co2 `Mt` (territorial principle, fossil fuels and cement, bunkers not in
any country), gdp `international $ (2011 prices)` (Maddison Project Database), population `persons`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from mrio_tools.choices import WorldTotal
from mrio_tools.context.names import aggregate_kind, names_to_iso3
from mrio_tools.errors import DataFileError, ValidationError, listed
from mrio_tools.errors import shown as shown_label

VARIABLES: Final = ("co2", "gdp", "population")

OWID_UNITS: Final[dict[str, str]] = {
    "co2": "Mt",
    "gdp": "international $ (2011 prices)",
    "population": "persons",
}
OWID_SOURCE: Final = (
    "Our World in Data CO2 data set (extract): Global Carbon Budget (2024), with major processing by "
    "Our World in Data; population UN World Population Prospects; GDP Maddison Project Database"
)
CO2_PRINCIPLE_OWID: Final = (
    "territorial (fossil fuels and cement, excluding land use; international aviation and shipping "
    "are separate rows, in no country)"
)

WORLD: Final = "World"

_LAYOUT_GENERIC: Final = (
    "expected columns region, year, co2, gdp, population (region: ISO3 code, English name or 'World'; "
    "co2 in Mt; gdp real, one constant-price currency unit; population in persons)"
)


@dataclass(frozen=True)
class NationalTable:
    """National series by country (ISO3) and by aggregate, one column per variable.

    `countries` is indexed by (`region`, `year`) with ISO3 regions; `aggregates` by (`name`, `year`)
    with the source's aggregate names (World among them). Columns: `co2`, `gdp`, `population` (NaN
    where not known), in `units`. `names` maps each source name to its ISO3 code,
    `aggregate_kinds` each aggregate name to what it is.
    """

    countries: pd.DataFrame
    aggregates: pd.DataFrame
    units: dict[str, str]
    names: dict[str, str]
    aggregate_kinds: dict[str, str]
    source: str
    path: str
    co2_principle: str
    notes: dict[str, Any] = field(default_factory=dict)


def read_owid_co2(path: Path) -> NationalTable:
    """Read the Our World in Data CO2 extract (a file, or a folder holding `owid-co2-data-extract.csv`).

    Units: `OWID_UNITS` (co2 Mt territorial, gdp international $ at 2011 prices, population persons).
    """
    path = Path(path)
    if path.is_dir():
        path = path / "owid-co2-data-extract.csv"
    if not path.is_file():
        raise DataFileError(
            f"{path}: no such file; give the OWID CO2 extract owid-co2-data-extract.csv or its folder"
        )
    frame = pd.read_csv(path, dtype={"country": str})
    missing = [c for c in ("country", "year", *VARIABLES) if c not in frame.columns]
    if missing:
        raise DataFileError(
            f"{path}: lacks the columns {missing} (found {list(frame.columns)}); expected the OWID CO2 "
            "layout country, year, population, gdp, co2, ..."
        )
    frame = frame.rename(columns={"country": "region"})
    return _national_table(
        frame,
        where=str(path),
        units=dict(OWID_UNITS),
        source=OWID_SOURCE,
        co2_principle=CO2_PRINCIPLE_OWID,
    )


def read_national_csv(path: Path, *, gdp_unit: str, co2_principle: str, source: str) -> NationalTable:
    """Read a national series in the generic layout of this module's docstring.

    `gdp_unit` names the constant-price GDP unit (e.g. 'M EUR (2015 prices)'), `co2_principle` the
    emissions principle of `co2` (e.g. 'territorial'), `source` where the numbers come from; all
    three are written into the table's metadata.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: no such national table; {_LAYOUT_GENERIC}")
    frame = pd.read_csv(path, dtype={"region": str})
    frame = frame.rename(columns=lambda c: str(c).strip())
    missing = [c for c in ("region", "year", *VARIABLES) if c not in frame.columns]
    if missing:
        raise DataFileError(
            f"{path}: lacks the columns {missing} (found {list(frame.columns)}); {_LAYOUT_GENERIC}"
        )
    return _national_table(
        frame,
        where=str(path),
        units={"co2": "Mt", "gdp": gdp_unit, "population": "persons"},
        source=source,
        co2_principle=co2_principle,
    )


def _lines(out: pd.DataFrame, mask: pd.Series, column: str | None = None) -> str:
    """'lines 5 (CHN, 2008: 'n/a'), ...': rows as an editor counts them (header = line 1)."""
    shown = [
        f"{i + 2} ({shown_label(r.region)}, {shown_label(r.year)}"
        + (f": {shown_label(getattr(r, column))}" if column else "")
        + ")"
        for i, r in zip(out.index[mask], out[mask].itertuples(), strict=True)
    ]
    return f"line{'s' if len(shown) > 1 else ''} {listed(shown)}"


def _national_table(
    frame: pd.DataFrame, *, where: str, units: dict[str, str], source: str, co2_principle: str
) -> NationalTable:
    """Check values, split aggregates from countries and map country names to ISO3."""
    out = frame[["region", "year", *VARIABLES]].copy()
    empty = out["region"].isna() | (out["region"].astype(str).str.strip() == "")
    if empty.any():
        raise DataFileError(f"{where}: {_lines(out, empty)} have no region name; give each row its country")
    out["region"] = out["region"].astype(str).str.strip()
    years = pd.to_numeric(out["year"], errors="coerce")
    bad_year = years.isna() | (years != years.round())
    if bad_year.any():
        raise DataFileError(f"{where}: {_lines(out, bad_year)} have no whole year; write e.g. 2008")
    out["year"] = years.astype(int)
    for variable in VARIABLES:
        values = pd.to_numeric(out[variable], errors="coerce")
        bad = values.isna() & out[variable].notna()
        if bad.any():
            raise DataFileError(
                f"{where}: column {variable} holds non-numbers in {_lines(out, bad, variable)}; write a "
                "number or leave the cell empty"
            )
        negative = values < 0
        if variable != "co2" and negative.any():
            raise DataFileError(f"{where}: negative {variable} in {_lines(out, negative, variable)}")
        out[variable] = values.astype(float)
    repeated = out.duplicated(subset=["region", "year"], keep=False)
    if repeated.any():
        shown = [f"{r.region} {r.year}" for r in out[repeated].itertuples()]
        raise DataFileError(f"{where}: repeated (region, year) rows: {listed(shown)}; keep one per pair")
    names = sorted(out["region"].unique())
    kinds = {n: k for n in names if (k := aggregate_kind(n)) is not None}
    countries = [n for n in names if n not in kinds]
    mapping = names_to_iso3(countries, where=where)
    is_aggregate = out["region"].isin(list(kinds))
    aggregates = out[is_aggregate].rename(columns={"region": "name"}).set_index(["name", "year"]).sort_index()
    by_country = out[~is_aggregate].copy()
    by_country["region"] = by_country["region"].map(mapping)
    by_country = by_country.set_index(["region", "year"]).sort_index()
    return NationalTable(
        countries=by_country,
        aggregates=aggregates,
        units=units,
        names=mapping,
        aggregate_kinds=kinds,
        source=source,
        path=where,
        co2_principle=co2_principle,
    )


def national_variable(
    national: NationalTable,
    *,
    variable: str,
    regions: Sequence[str],
    rest_of_world: Sequence[str],
    years: Sequence[int],
    world_total: WorldTotal,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A region x year frame of one national variable for a table's regions, with its metadata.

    `regions` are the table's regions in order; those in `rest_of_world` (e.g. ['RoW']; at most one)
    get World minus the table's other regions (docs/methods.md, "Years outside the tables
    (extension)"), every other region must be an ISO3 code of the national table with a value in
    every year asked.
    `world_total` chooses the World value: 'world_row' takes the source's `World` row (for OWID co2
    it includes international aviation and shipping, so they fall into the rest of the world) and
    refuses years where it is empty; 'sum_of_countries' sums the countries that have a value in
    every year asked (a fixed set, so that the composition does not change the trend; those left out
    are listed in the metadata), right where the World row has gaps or is rounded (OWID World GDP).

    Parameters
    ----------
    national
        The national table (`read_owid_co2` or the generic layout).
    variable
        One of `VARIABLES` (e.g. 'population', 'gdp', 'co2'); its unit is the national table's.
    regions
        The table's regions, in order.
    rest_of_world
        The table's rest-of-world region (at most one), filled as World minus the other regions.
    years
        The years asked; every region needs a value in each.
    world_total
        'world_row' or 'sum_of_countries' (see above), written into the metadata.
    """
    if variable not in VARIABLES:
        raise ValidationError(f"unknown national variable {variable!r}; use one of {list(VARIABLES)}")
    if len(rest_of_world) > 1:
        raise ValidationError(
            f"{len(rest_of_world)} rest-of-world regions {list(rest_of_world)}: World minus the countries "
            "can fill only one; aggregate them first or give their values in a national table"
        )
    rest = [r for r in regions if r in set(rest_of_world)]
    countries = [r for r in regions if r not in set(rest_of_world)]
    years = [int(y) for y in years]
    wide = _wide(national.countries, variable, years)
    absent = [r for r in countries if r not in wide.index]
    if absent:
        raise ValidationError(
            f"{national.path}: regions {listed(absent)} are not countries of the national table; name "
            "rest-of-world regions in rest_of_world, or give a national table that holds them"
        )
    frame = wide.reindex(countries)
    gaps = frame.isna()
    if gaps.to_numpy().any():
        shown = [f"{r} {y}" for r in countries for y in years if gaps.loc[r, y]]
        raise ValidationError(
            f"{national.path}: {variable} is missing for {listed(shown)}; give a national table with "
            "these values or ask for other years"
        )
    metadata: dict[str, Any] = {
        "variable": variable,
        "unit": national.units[variable],
        "source": national.source,
        "path": national.path,
        "years": years,
    }
    if variable == "co2":
        metadata["co2_principle"] = national.co2_principle
    if rest:
        world, world_note = _world(national, variable=variable, years=years, world_total=world_total)
        rest_values = world - frame.sum(axis=0)
        negative = [y for y in years if rest_values[y] < 0]
        if negative:
            raise ValidationError(
                f"{national.path}: World {variable} is below the sum of the table's countries in "
                f"{listed(negative)}; the rest of the world cannot be World minus the countries there"
            )
        frame = pd.concat([frame, pd.DataFrame([rest_values.to_numpy()], index=rest, columns=years)])
        metadata["rest_of_world"] = {
            "region": rest[0],
            "rule": f"World minus the table's {len(countries)} countries",
            "world_total": world_note,
        }
    frame = frame.reindex(list(regions))
    frame.index.name, frame.columns.name = "region", "year"
    return frame, metadata


def _wide(frame: pd.DataFrame, variable: str, years: list[int]) -> pd.DataFrame:
    """`variable` of a (region, year)-indexed frame as region x year, NaN where unknown."""
    wide = frame.reset_index().pivot_table(
        index="region", columns="year", values=variable, aggfunc="first", dropna=False
    )
    return wide.reindex(columns=years)


def _world(
    national: NationalTable, *, variable: str, years: list[int], world_total: WorldTotal
) -> tuple[pd.Series, str]:
    """World values of `variable` in `years` and a sentence saying where they come from."""
    if world_total == "world_row":
        if WORLD not in national.aggregates.index.get_level_values("name"):
            raise ValidationError(
                f"{national.path}: no '{WORLD}' row, so the rest of the world cannot be World minus the "
                "countries; add World rows or use world_total='sum_of_countries'"
            )
        wide_world = _wide(national.aggregates.rename_axis(index=["region", "year"]), variable, years)
        world = pd.Series(wide_world.loc[WORLD].to_numpy(dtype=float), index=years)
        missing = [y for y in years if np.isnan(world[y])]
        if missing:
            raise ValidationError(
                f"{national.path}: World {variable} is empty in {listed(missing)}; use "
                "world_total='sum_of_countries' or ask for other years"
            )
        return world, f"the source's '{WORLD}' row"
    if world_total == "sum_of_countries":
        wide = _wide(national.countries, variable, years)
        complete = wide.notna().all(axis=1)
        left_out = sorted(str(r) for r in wide.index[~complete])
        note = (
            f"sum of the {int(complete.sum())} countries with {variable} in every year "
            f"{years[0]}-{years[-1]}" + (f"; left out (gaps): {', '.join(left_out)}" if left_out else "")
        )
        return wide[complete].sum(axis=0), note
    raise ValidationError(f"world_total={world_total!r}; use 'world_row' or 'sum_of_countries'")
