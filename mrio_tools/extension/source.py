"""A source extended to years outside its tables: the plan, the national indices and the year builder.

Glue between a registry entry's `ExtensionParts`, the national series (`mrio_tools.context.national`)
and the maths of `extension.plan`, `extension.scaling` and `extension.reader` (docs/methods.md, "Years
outside the tables (extension)"). The series engine asks it, per year, for the plan (basis and
benchmark years) and for the estimated MRIO of a year whose basis is not ``table``. National indices
use territorial CO2 with the rest of the world as World minus the table's countries (OWID's World
row), and real GDP with the rest of the world as the sum of the countries that have GDP in every year
asked (OWID's World GDP has gaps); both choices go into the metadata.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from mrio_tools.choices import EXTENDED_BASES, EmissionBenchmarks, WorldTotal
from mrio_tools.context.national import NationalTable, national_variable, read_owid_co2
from mrio_tools.errors import DataFileError
from mrio_tools.extension.plan import YearPlan, extension_plan
from mrio_tools.extension.reader import extended_reader
from mrio_tools.extension.scaling import national_index
from mrio_tools.extension.skill import SkillTest, skill_test
from mrio_tools.mrio.container import MRIO
from mrio_tools.sources.registry import (
    REGISTRY,
    ExtensionParts,
    SourceRequest,
    open_source,
    source_files,
    source_spec,
)

#: how each national variable's rest of world is found (see module docstring)
WORLD_TOTALS: dict[str, WorldTotal] = {"co2": "world_row", "gdp": "sum_of_countries"}


@dataclass(frozen=True)
class ExtensionRequest:
    """The user's extension choices: the national series and where emission benchmarks may lie."""

    national: Path
    emission_benchmarks: EmissionBenchmarks

    def files(self) -> list[Path]:
        """The national table's files (for the store's keys)."""
        if self.national.is_dir():
            return sorted(p for p in self.national.glob("*.csv") if p.is_file())
        return [self.national]


@dataclass(frozen=True)
class ExtendedSource:
    """A source ready to build any planned year (see module docstring)."""

    parts: ExtensionParts
    plan: dict[int, YearPlan]
    territorial: pd.DataFrame
    gdp: pd.DataFrame
    metadata: dict[str, Any]
    build: Callable[[int], tuple[MRIO, YearPlan]]

    def check(self) -> None:
        """Every national index an estimated year needs exists (errors name region, year, variable)."""
        regions = pd.Index(self.territorial.index)
        for year, plan in self.plan.items():
            if plan.basis in ("scaled_table+emissions", "scaled_table+scaled_emissions"):
                national_index(
                    self.gdp, regions, year=year, base=plan.table_benchmark_year, variable="real GDP"
                )
            if plan.basis in ("table+scaled_emissions", "scaled_table+scaled_emissions"):
                national_index(
                    self.territorial,
                    regions,
                    year=year,
                    base=plan.emission_benchmark_year,
                    variable="territorial CO2",
                )


def read_national(path: Path) -> NationalTable:
    """The national table (Our World in Data CO2 extract layout), read once per process and version
    of its files (a changed file is read again)."""
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    stamp = tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.is_file())
    return _read_national(path, stamp)


@functools.lru_cache(maxsize=4)
def _read_national(path: Path, stamp: tuple[tuple[str, int, int], ...]) -> NationalTable:
    return read_owid_co2(path)


def _national_frames(
    national: Path, regions: Sequence[str], rest_of_world: Sequence[str], years: Sequence[int]
) -> tuple[tuple[pd.DataFrame, dict[str, Any]], tuple[pd.DataFrame, dict[str, Any]]]:
    """Region x year frames (with metadata) of territorial CO2 and real GDP (`WORLD_TOTALS`)."""
    table = read_national(national)
    co2, gdp = (
        national_variable(
            table,
            variable=variable,
            regions=list(regions),
            rest_of_world=list(rest_of_world),
            years=list(years),
            world_total=WORLD_TOTALS[variable],
        )
        for variable in ("co2", "gdp")
    )
    return co2, gdp


@functools.lru_cache(maxsize=4)
def extended_source(
    request: SourceRequest, extension: ExtensionRequest, years: tuple[int, ...], run: str
) -> ExtendedSource:
    """Plan `years` for `request`'s source and prepare the builder (memoised per run and process)."""
    spec = source_spec(request.source)
    if spec.extension is None:
        extendable = [s.name for s in REGISTRY.values() if s.extension]
        raise DataFileError(
            f"source {request.source!r} cannot be extended to years outside its tables (sources that "
            f"can: {', '.join(extendable)}). Fix: drop --extend or pick years the source holds"
        )
    opened = open_source(request)
    parts = spec.extension(request, opened.options)
    plan = extension_plan(
        years,
        table_years=parts.table_years,
        emission_years=parts.emission_years,
        emission_benchmarks=extension.emission_benchmarks,
    )
    needed = sorted(
        {y for p in plan.values() for y in (p.year, p.table_benchmark_year, p.emission_benchmark_year)}
    )
    regions = list(parts.read_table(parts.table_years[0]).regions)
    (territorial, territorial_meta), (gdp, gdp_meta) = _national_frames(
        extension.national, regions, parts.rest_of_world, needed
    )
    build = extended_reader(parts.read_table, parts.attach_emissions, plan, territorial=territorial, gdp=gdp)
    metadata = {
        "extension": {
            "method": "docs/methods.md, 'Years outside the tables' (after Peters et al. 2011, PNAS 108:8903)",
            "emission_benchmarks": extension.emission_benchmarks,
            "national_table": str(extension.national),
            "territorial_index": territorial_meta,
            "gdp_index": gdp_meta,
            "plan": {year: p.notes for year, p in plan.items()},
            "prices": "money of years whose basis starts with scaled_table is at the prices of their "
            "benchmark table year, not current prices",
        }
    }
    return ExtendedSource(
        parts=parts, plan=plan, territorial=territorial, gdp=gdp, metadata=metadata, build=build
    )


def extended_files(request: SourceRequest, extension: ExtensionRequest, plan: YearPlan) -> list[Path]:
    """The raw files an estimated year is built from: its benchmark tables, emissions, national table."""
    table_years = sorted({plan.table_benchmark_year, plan.emission_benchmark_table_year})
    files = [f for year in table_years for f in source_files(request, year)]
    return [*dict.fromkeys(files), *extension.files()]


def benchmark_years(plans: Sequence[YearPlan]) -> dict[int, int]:
    """Year -> benchmark table year of every year whose money is at benchmark-year prices."""
    return {p.year: p.table_benchmark_year for p in plans if p.basis.startswith("scaled_table")}


def skill_test_of(
    request: SourceRequest,
    national: Path,
    *,
    benchmarks: Sequence[int],
    horizons: Sequence[int],
    stressor: str,
) -> SkillTest:
    """The skill test (docs/methods.md, "Years outside the tables (extension)") on the source's real years.

    Real years (those with a table and sector emissions) are rebuilt from each benchmark in
    `benchmarks` at every horizon in `horizons`, by each estimated basis, with the national indices
    the extension uses; `mrio_tools.extension.skill.skill_test` compares their CBA, EEE and net transfers.
    """
    spec = source_spec(request.source)
    if spec.extension is None:
        raise DataFileError(f"source {request.source!r} cannot be extended, so it has no skill test")
    parts = spec.extension(request, open_source(request).options)
    real = sorted(set(parts.table_years) & set(parts.emission_years))
    missing = sorted(set(benchmarks) - set(real))
    if missing:
        raise DataFileError(
            f"skill test: benchmarks {missing} are not real years of {request.source!r} (years with a table "
            f"and sector emissions: {real[0]}-{real[-1]}). Fix: pick benchmarks among them"
        )
    regions = list(parts.read_table(real[0]).regions)
    (territorial, _), (gdp, _) = _national_frames(national, regions, parts.rest_of_world, real)
    result = skill_test(
        parts.read_table,
        parts.attach_emissions,
        real,
        benchmarks=benchmarks,
        horizons=horizons,
        bases=EXTENDED_BASES,
        territorial=territorial,
        gdp=gdp,
        stressor=stressor,
    )
    return SkillTest(
        table=result.table,
        summary=result.summary,
        metadata={**result.metadata, "source": request.source, "national_table": str(national)},
    )
