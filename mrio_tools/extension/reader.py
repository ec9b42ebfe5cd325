"""The extended reader: a function year -> MRIO that builds any planned year, real or estimated.

Implements docs/methods.md, "Years outside the tables (extension)": by the year's basis it reads the
real table, scales it (`extension.scaling.scale_table`), attaches the year's emissions, or scales a
benchmark's (`extension.scaling.scale_emissions`). Every MRIO built here carries in its notes
``basis``, ``table_benchmark_year``, ``emission_benchmark_year`` and the indices used.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from mrio_tools.errors import YearNotAvailableError, listed
from mrio_tools.extension.plan import YearPlan
from mrio_tools.extension.scaling import (
    GDP_VARIABLE,
    TERRITORIAL_VARIABLE,
    national_index,
    scale_emissions,
    scale_table,
)
from mrio_tools.mrio.container import MRIO


def extended_reader(
    read_table: Callable[[int], MRIO],
    attach_emissions: Callable[[MRIO], MRIO],
    plan: Mapping[int, YearPlan],
    *,
    territorial: pd.DataFrame,
    gdp: pd.DataFrame,
) -> Callable[[int], tuple[MRIO, YearPlan]]:
    """A function year -> (MRIO, its YearPlan) that builds any planned year.

    docs/methods.md, "Years outside the tables (extension)".
    `read_table(a)` returns the real table of a year without emissions; `attach_emissions(m)` returns
    `m` with the sector emissions of ``m.year`` (for WIOD: `attach_jrc_co2_table` with the JRC year
    ``m.year``, so concordance weights use the output of the table given, scaled or not).
    `territorial` (T) and `gdp` (G) are regions x years frames of national values (index: the table's
    regions incl. its rest of the world; columns: years). By basis (a, b from the plan):

    - ``table``: attach(read(t));
    - ``table+scaled_emissions``: `scale_emissions`(read(t), attach(read(b)), T_t / T_b);
    - ``scaled_table+emissions``: attach(`scale_table`(read(a), G_t / G_a, year=t));
    - ``scaled_table+scaled_emissions``: `scale_emissions`(`scale_table`(read(a), G_t / G_a, year=t),
      attach(read(b)), T_t / T_b).

    Where b has no table (plan made with ``emission_benchmarks="nearest"``), attach(read(b)) is
    attach(`scale_table`(read(a_b), G_b / G_a_b, year=b)) with a_b = ``emission_benchmark_table_year``.
    Every MRIO's notes carry ``basis``, ``table_benchmark_year``, ``emission_benchmark_year``,
    ``emission_benchmark_table_year`` and ``indices`` (each index with its variable, years and values
    per region: ``gdp``, ``territorial_co2``, and ``emission_benchmark_gdp`` for a scaled benchmark).
    The last table read and the last benchmark with emissions are kept for the next year (consecutive
    years share them).
    Missing national values raise errors naming the region, year and variable.
    """

    @functools.lru_cache(maxsize=1)
    def table_of(year: int) -> MRIO:
        return read_table(year)

    @functools.lru_cache(maxsize=1)
    def benchmark_of(year: int, table_year: int) -> MRIO:
        if table_year == year:
            return attach_emissions(read_table(year))
        g = national_index(
            gdp, table_of(table_year).regions, year=year, base=table_year, variable=GDP_VARIABLE
        )
        return attach_emissions(scale_table(table_of(table_year), g, year=year))

    def build(year: int) -> tuple[MRIO, YearPlan]:
        if year not in plan:
            raise YearNotAvailableError(
                f"the extension plan holds the years {listed(sorted(plan))}; {year} is not among them. "
                "Fix: make the plan with this year (extension_plan)"
            )
        p = plan[year]
        indices: dict[str, Any] = {}
        if p.basis == "table":
            mrio = benchmark_of(year, year)
        else:
            if p.basis in ("scaled_table+emissions", "scaled_table+scaled_emissions"):
                a = p.table_benchmark_year
                g = national_index(gdp, table_of(a).regions, year=year, base=a, variable=GDP_VARIABLE)
                table = scale_table(table_of(a), g, year=year)
                indices["gdp"] = table.notes["gdp_index"]
            else:
                table = table_of(year)
            if p.basis == "scaled_table+emissions":
                mrio = attach_emissions(table)
            else:
                b = p.emission_benchmark_year
                tau = national_index(
                    territorial, table.regions, year=year, base=b, variable=TERRITORIAL_VARIABLE
                )
                benchmark = benchmark_of(b, p.emission_benchmark_table_year)
                mrio = scale_emissions(table, benchmark, tau)
                if p.emission_benchmark_table_year != b:
                    indices["emission_benchmark_gdp"] = benchmark.notes["gdp_index"]
                indices["territorial_co2"] = mrio.notes["territorial_index"]
        notes = {**dict(mrio.notes), **p.notes, "indices": indices}
        return dataclasses.replace(mrio, notes=notes), p

    return build
