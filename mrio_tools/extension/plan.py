"""The extension plan: each year's basis and its table (a) and emission (b) benchmark years.

Implements docs/methods.md, "Years outside the tables (extension)", in the spirit of Peters et al.
(2011, PNAS 108:8903). The plan only chooses years; `extension.scaling` does the maths and
`extension.reader` builds the planned years.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, get_args

from mrio_tools.choices import Basis, EmissionBenchmarks
from mrio_tools.errors import ValidationError, listed

TIE_RULE: Final = "equally near benchmark years: the earlier one is used"


@dataclass(frozen=True)
class YearPlan:
    """How one year of a series is built: its basis and the years whose table (a) and emissions (b) it uses.

    ``table_benchmark_year`` equals ``year`` when the year's own table is used (bases ``table`` and
    ``table+scaled_emissions``); ``emission_benchmark_year`` equals ``year`` when the year's own sector
    emissions are used (``table`` and ``scaled_table+emissions``). ``emission_benchmark_table_year`` is
    the year of the table on which b's emissions sit: b itself where b has a table, else the table year
    nearest to b, scaled to b by GDP (for ``scaled_table+emissions`` that is a).
    """

    year: int
    basis: Basis
    table_benchmark_year: int
    emission_benchmark_year: int
    emission_benchmark_table_year: int

    @property
    def notes(self) -> dict[str, Any]:
        """The plan as MRIO notes (basis and both benchmark years)."""
        return {
            "basis": self.basis,
            "table_benchmark_year": self.table_benchmark_year,
            "emission_benchmark_year": self.emission_benchmark_year,
            "emission_benchmark_table_year": self.emission_benchmark_table_year,
        }


def _nearest(candidates: Sequence[int], year: int) -> int:
    """The candidate nearest to `year`; ties go to the earlier year (`TIE_RULE`)."""
    return min(candidates, key=lambda c: (abs(c - year), c))


def extension_plan(
    years: Iterable[int],
    *,
    table_years: Iterable[int],
    emission_years: Iterable[int],
    emission_benchmarks: EmissionBenchmarks,
) -> dict[int, YearPlan]:
    """The basis and benchmark years of each of `years`.

    docs/methods.md, "Years outside the tables (extension)".

    With T the years that have a table and E the years that have sector emissions:

    - t in T and t in E: ``table`` (a = b = t);
    - t in T only: ``table+scaled_emissions``, a = t, b = the emission benchmark of t;
    - t in E only: ``scaled_table+emissions``, a = nearest year of T, b = t;
    - neither: ``scaled_table+scaled_emissions``, a = nearest year of T, b = the emission benchmark of t.

    `emission_benchmarks` (a scientific choice, recorded in every plan) says where b may lie:

    - ``"with_table"``: b = nearest year of T ∩ E, so f_b = F_b x_b^-1 uses a real output x_b;
    - ``"nearest"``: b = nearest year of E (docs/methods.md); where b has no table its emissions sit on
      the table of the year of T nearest to b scaled to b by GDP (`scale_table`), and f_b uses
      that x_b. It keeps estimated years next to the last emission year continuous with it
      (docs/methods.md, "Years outside the tables (extension)", gives the WIOD 2013 figures).

    Nearest means the smallest |t - a|; between two equally near years the earlier one is used
    (`TIE_RULE`); docs/methods.md shows the plan this gives for WIOD 2013 + JRC.
    Raises `ValidationError` if no year has a table, or a year needs b but none qualifies.
    """
    tables = sorted({int(y) for y in table_years})
    emitted = {int(y) for y in emission_years}
    if emission_benchmarks not in get_args(EmissionBenchmarks):
        raise ValidationError(
            f"extension plan: emission_benchmarks={emission_benchmarks!r}; use 'with_table' or 'nearest'"
        )
    both = sorted(emitted.intersection(tables) if emission_benchmarks == "with_table" else emitted)
    if not tables:
        raise ValidationError("extension plan: no year has a table. Fix: pass the source's table years")
    plan: dict[int, YearPlan] = {}
    for year in sorted({int(y) for y in years}):
        has_table, has_emissions = year in tables, year in emitted
        if not (has_table and has_emissions) and not has_emissions and not both:
            raise ValidationError(
                f"extension plan: {year} needs emission intensities of a benchmark year, but no year has "
                f"sector emissions (years {listed(sorted(emitted)) or 'none'})"
                + (f" and a table (years {listed(tables)})" if emission_benchmarks == "with_table" else "")
                + ". Fix: supply sector emissions for a table year"
            )
        a = year if has_table else _nearest(tables, year)
        b = year if has_emissions else _nearest(both, year)
        basis: Basis
        if has_table and has_emissions:
            basis = "table"
        elif has_table:
            basis = "table+scaled_emissions"
        elif has_emissions:
            basis = "scaled_table+emissions"
        else:
            basis = "scaled_table+scaled_emissions"
        plan[year] = YearPlan(
            year=year,
            basis=basis,
            table_benchmark_year=a,
            emission_benchmark_year=b,
            emission_benchmark_table_year=b if b in tables else _nearest(tables, b),
        )
    return plan
