"""Years outside the tables: extension plans, scaled tables, scaled emissions and the skill test.

Implements docs/methods.md, "Years outside the tables (extension)", in the spirit of Peters et
al. (2011, PNAS 108:8903): the structure of a year t comes from the nearest year with a table (a), the
emission intensities from the nearest year with sector emissions and a table (b), and national
indices (territorial CO2 T_r, real GDP G_r) carry them to t. With f = F x^-1 (docs/methods.md notation):

- ``table``                          the real table of t with the real sector emissions of t;
- ``table+scaled_emissions``         real table of t; F_t = f_b x_t, then each region's industries and
                                     households scaled by one factor so that PBA_t,r = PBA_b,r T_r,t / T_r,b;
- ``scaled_table+emissions``         A_a kept, Y_t,s = Y_a,s G_s,t / G_s,a, x_t = (I - A_a)^-1 Y_t 1,
                                     Z_t = A_a x̂_t; the year's own sector emissions placed with x_t;
- ``scaled_table+scaled_emissions``  both of the above.

Indices, not levels, are used, so the benchmark's emissions principle (e.g. residence) is kept. Money
in scaled tables is at benchmark-year prices (a), never current prices of t: `MRIO.price_basis` and the
notes say so. Every MRIO built here carries in its notes ``basis``, ``table_benchmark_year``,
``emission_benchmark_year`` and the indices used (`extended_reader`).

The skill test (`skill_test`) treats real years as missing, extends them from another real year and
compares CBA, EEE and net transfers with the real-table results by horizon |t - benchmark|.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, get_args

import numpy as np
import pandas as pd

from mrio_tools.accounts.national import national_accounts
from mrio_tools.choices import EXTENDED_BASES, Basis, EmissionBenchmarks, SolverMethod
from mrio_tools.errors import ValidationError, YearNotAvailableError, listed
from mrio_tools.leontief.factorize import factorize, inverse_output
from mrio_tools.mrio.container import MRIO

#: what the territorial and GDP frames of `extended_reader` hold (named in errors and notes)
TERRITORIAL_VARIABLE: Final = "territorial CO2"
GDP_VARIABLE: Final = "real GDP"
#: accounts compared by the skill test, and the regions its summary shows one by one
SKILL_ACCOUNTS: Final = ("CBA", "EEE", "NET_TRANSFER")
SKILL_REGIONS: Final = ("CHN", "USA", "DEU", "JPN", "IND")
TIE_RULE: Final = "equally near benchmark years: the earlier one is used"


# ------------------------------------------------------------------------ the plan
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
    """The basis and benchmark years of each of `years` (docs/methods.md, "Years outside the tables").

    With T the years that have a table and E the years that have sector emissions:

    - t in T and t in E: ``table`` (a = b = t);
    - t in T only: ``table+scaled_emissions``, a = t, b = the emission benchmark of t;
    - t in E only: ``scaled_table+emissions``, a = nearest year of T, b = t;
    - neither: ``scaled_table+scaled_emissions``, a = nearest year of T, b = the emission benchmark of t.

    `emission_benchmarks` (a scientific choice, recorded in every plan) says where b may lie:

    - ``"with_table"``: b = nearest year of T ∩ E, so f_b = F_b x_b^-1 uses a real output x_b;
    - ``"nearest"``: b = nearest year of E (docs/methods.md's wording); where b has no table its emissions
      sit on the table of the year of T nearest to b scaled to b by GDP (`scale_table`), and f_b uses
      that x_b. It keeps estimated years next to the last emission year continuous with it: WIOD
      2017-2019 then start from JRC 2016 (PBA_2016 T_t / T_2016), not from JRC 2011 carried by
      territorial CO2 over 2011-2019 (for 2019 these differ by +13 % for CHN, +19 % for IND,
      -18 % for RoW, -2 % for the world, because the JRC and GCP growth rates 2011-2016 differ).

    Nearest means the smallest |t - a|; between two equally near years the earlier one is used.
    For WIOD 2013 + JRC (T = 1995-2011, E = 2000-2016) this gives 1995-1999 ``table+scaled_emissions``
    (b = 2000), 2000-2011 ``table``, 2012-2016 ``scaled_table+emissions`` (a = 2011), 1990-1994
    ``scaled_table+scaled_emissions`` (a = 1995, b = 2000) and 2017-2019 the same with a = 2011 and
    b = 2011 (``"with_table"``) or b = 2016 on the 2011 table scaled to 2016 (``"nearest"``).
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


# -------------------------------------------------------------------- the maths
def _index_values(index: pd.Series, regions: pd.Index, what: str) -> np.ndarray:
    """Index values in the order of `regions`; ValidationError naming missing or invalid regions."""
    missing = [r for r in regions if r not in index.index]
    if missing:
        raise ValidationError(
            f"{what}: no value for regions {listed(missing)}. Fix: give one value per table region "
            "(the rest of the world as World minus the table's countries)"
        )
    values = index.reindex(regions).to_numpy(dtype=np.float64)
    bad = [r for r, v in zip(regions, values, strict=True) if not (np.isfinite(v) and v > 0)]
    if bad:
        raise ValidationError(
            f"{what}: not a positive finite number for regions {listed(bad)}. Fix: check the national "
            "series of these regions in both years"
        )
    return values


def _without_stressors(mrio: MRIO, **changes: Any) -> MRIO:
    """`mrio` with F and F_Y emptied (no stressors) and the emissions notes removed, plus `changes`."""
    notes = {k: v for k, v in dict(changes.pop("notes", mrio.notes)).items() if k != "emissions"}
    Z = changes.get("Z", mrio.Z)
    Y = changes.get("Y", mrio.Y)
    empty = pd.Index([], name="stressor", dtype=object)
    return dataclasses.replace(
        mrio,
        F=pd.DataFrame(np.zeros((0, len(Z.index))), index=empty, columns=Z.index.copy()),
        F_Y=pd.DataFrame(np.zeros((0, len(Y.columns))), index=empty.copy(), columns=Y.columns.copy()),
        stressor_units={},
        notes=notes,
        **changes,
    )


def scale_table(table_a: MRIO, gdp_index: pd.Series, *, year: int) -> MRIO:
    """The table of `year` (t) estimated from `table_a` (year a) and real GDP indices (basis scaled_table).

    docs/methods.md, "Years outside the tables": with g_s = G_s,t / G_s,a (`gdp_index`, one value per
    consuming region s),

        Y_t = Y_a ĝ   (every column of consuming region s, all origins and categories, times g_s)
        x_t = (I - A_a)^-1 Y_t 1   (solved with one LU of (I - A_a), never inverted)
        Z_t = A_a x̂_t = Z_a x̂_a^-1 x̂_t

    so A_a is kept. One refinement keeps gross output non-negative: a negative entry of Y_a (a drawdown
    of inventories, or rounding dust) is scaled not by its consumer's g_s but by its row's
    purchase-weighted index h_i = sum_s Y+_a[i, s] g_s / sum_s Y+_a[i, s] over the row's positive
    entries Y+ (its own g_s where the row has none), so every row's net final demand keeps its
    benchmark sign (y_t,i = h_i y_a,i). Without it, rows that are only offsetting inventory entries
    (WIOD 1995: LUX c8 with +1 in LUX and -1 in RoW) get negative output when the two consumers'
    indices differ. ``notes["negative_final_demand_entries"]`` counts the entries so scaled.

    Money is at benchmark-year prices (a), not current prices of t: ``price_basis``
    and ``notes["money"]`` say so; ``notes`` also carry ``table_benchmark_year`` (a) and ``gdp_index``.
    The result has no stressors (F_a x̂_a^-1 x̂_t would be the intensities of a, not the emissions of t):
    attach the year's sector emissions (concordance weights then use x_t), or scale a benchmark's
    with `scale_emissions`. Population and value added of a are dropped (they belong to year a).
    """
    regions = table_a.regions
    g = _index_values(gdp_index, regions, f"GDP index {table_a.year}->{year}")
    n_sec, n_cat = len(table_a.sectors), len(table_a.categories)
    Z_a = table_a.Z.to_numpy(dtype=np.float64)
    x_a = table_a.gross_output.to_numpy()
    Y_a = table_a.Y.to_numpy(dtype=np.float64)
    g_columns = np.repeat(g, n_cat)[None, :]
    positive = np.where(Y_a > 0, Y_a, 0.0)
    bought = positive.sum(axis=1)
    has_buyers = bought > 0
    h = np.divide((positive * g_columns).sum(axis=1), bought, out=np.ones_like(bought), where=has_buyers)
    drawdown = (Y_a < 0) & has_buyers[:, None]
    Y_t = np.where(drawdown, Y_a * h[:, None], Y_a * g_columns)
    system = factorize(Z_a, x_a, block_size=n_sec, labels=list(table_a.Z.index))
    x_t = system.solve(Y_t.sum(axis=1))
    Z_t = Z_a * (inverse_output(x_a) * x_t)[None, :]
    a = table_a.year
    money = f"money at benchmark-year prices ({a})"
    notes = {
        **dict(table_a.notes),
        "table_benchmark_year": a,
        "money": money,
        "gdp_index": {
            "variable": GDP_VARIABLE,
            "from": a,
            "to": year,
            "values": {str(r): float(v) for r, v in zip(regions, g, strict=True)},
        },
        "negative_final_demand_entries": {
            "count": int(drawdown.sum()),
            "scaling": "by the purchase-weighted GDP index of their row's positive entries",
        },
        "scaled_table": "A of the benchmark kept; final demand of each consuming region scaled by its real "
        "GDP index; x = (I - A)^-1 Y 1 (docs/methods.md, 'Years outside the tables')",
    }
    return _without_stressors(
        table_a,
        Z=pd.DataFrame(Z_t, index=table_a.Z.index, columns=table_a.Z.columns),
        Y=pd.DataFrame(Y_t, index=table_a.Y.index, columns=table_a.Y.columns),
        year=int(year),
        price_basis=f"{money}: the {a} table's {table_a.price_basis}, final demand scaled by real GDP "
        f"indices {a}->{year}",
        notes=notes,
        population=None,
        value_added=None,
    )


def _household_emissions(table_t: MRIO, benchmark: MRIO) -> np.ndarray:
    """F_Y of the benchmark on the columns of table_t, matched by (region, category) label.

    Categories that table_t has and the benchmark lacks get 0; emissions of the benchmark in a category
    that table_t lacks raise (they would be lost).
    """
    columns = table_t.Y.columns
    lost = benchmark.F_Y.columns.difference(columns)
    carrying = [c for c in lost if np.abs(benchmark.F_Y[c].to_numpy()).sum() > 0]
    if carrying:
        raise ValidationError(
            f"scale_emissions: the {benchmark.year} benchmark has household emissions in final-demand "
            f"columns that the {table_t.year} table lacks: {listed(carrying)}. Fix: give both tables the "
            "same final-demand categories"
        )
    return benchmark.F_Y.reindex(columns=columns, fill_value=0.0).to_numpy(dtype=np.float64)


def scale_emissions(table_t: MRIO, benchmark: MRIO, territorial_index: pd.Series) -> MRIO:
    """Emissions of `table_t` (year t) from the intensities of `benchmark` (year b): basis *+scaled_emissions.

    docs/methods.md, "Years outside the tables": with f_b = F_b x_b^-1 and τ_r = T_r,t / T_r,b
    (`territorial_index`, one value per region r),

        F⁰_t = f_b x̂_t                       per sector, every stressor of the benchmark
        F⁰_Y,t = F_Y,b                         households: the benchmark's, matched by (region, category)
        s_r = PBA_b,r τ_r / (sum_{i in r} F⁰_t,i + sum_{c in r} F⁰_Y,t,c)
        F_t,i = s_r F⁰_t,i,  F_Y,t,c = s_r F⁰_Y,t,c   (one factor for a region's industries and households)

    so PBA_t,r = PBA_b,r T_r,t / T_r,b exactly (to rounding), for every stressor (the territorial CO2
    index is applied to each stressor of the benchmark). Household columns are matched by label:
    categories of table_t that the benchmark lacks get none; benchmark household emissions in a
    category that table_t lacks raise `ValidationError`. F and F_Y of `table_t`, if any, are replaced.
    Regions and sectors of both tables must be the same.
    """
    if not table_t.Z.index.equals(benchmark.Z.index):
        raise ValidationError(
            f"scale_emissions: the {table_t.year} table and the {benchmark.year} benchmark have different "
            "(region, sector) labels. Fix: use two years of the same source and classification"
        )
    if len(benchmark.stressors) == 0:
        raise ValidationError(
            f"scale_emissions: the {benchmark.year} benchmark has no stressors. Fix: attach its sector "
            "emissions first"
        )
    regions = table_t.regions
    tau = _index_values(territorial_index, regions, f"territorial CO2 index {benchmark.year}->{table_t.year}")
    n_sec, n_cat = len(table_t.sectors), len(table_t.categories)
    x_b = benchmark.gross_output.to_numpy()
    x_t = table_t.gross_output.to_numpy()
    F_b = benchmark.F.to_numpy(dtype=np.float64)
    f_b = F_b * inverse_output(x_b)[None, :]
    F0 = f_b * x_t[None, :]
    FY0 = _household_emissions(table_t, benchmark)
    k, R = F_b.shape[0], len(regions)
    pba_b = F_b.reshape(k, R, -1).sum(axis=2) + benchmark.F_Y.to_numpy(dtype=np.float64).reshape(
        k, R, -1
    ).sum(axis=2)
    pba0 = F0.reshape(k, R, n_sec).sum(axis=2) + FY0.reshape(k, R, n_cat).sum(axis=2)
    target = pba_b * tau[None, :]
    impossible = (pba0 == 0) & (target != 0)
    if impossible.any():
        s, r = (int(v) for v in np.argwhere(impossible)[0])
        raise ValidationError(
            f"scale_emissions: region {regions[r]!r}, stressor {benchmark.stressors[s]!r}: the "
            f"{benchmark.year} intensities give no emissions on the {table_t.year} output, so PBA cannot be "
            f"scaled to {target[s, r]:.6g}. Fix: use a benchmark year whose emitting sectors have output "
            f"in {table_t.year}"
        )
    factor = np.divide(target, pba0, out=np.zeros_like(target), where=pba0 != 0)
    if (factor < 0).any():
        s, r = (int(v) for v in np.argwhere(factor < 0)[0])
        raise ValidationError(
            f"scale_emissions: region {regions[r]!r}, stressor {benchmark.stressors[s]!r}: scaling factor "
            f"{factor[s, r]:.6g} < 0 (net negative emissions). Fix: scale such stressors separately"
        )
    F_t = F0 * np.repeat(factor, n_sec, axis=1)
    F_Y_t = FY0 * np.repeat(factor, n_cat, axis=1)
    b = benchmark.year
    notes = {
        **{key: value for key, value in dict(table_t.notes).items() if key != "emissions"},
        "emission_benchmark_year": b,
        # the benchmark's emission records (source, principle, allocation), marked as the benchmark's
        "emissions": {
            str(k): {**v, "emission_benchmark_year": b} if isinstance(v, Mapping) else v
            for k, v in dict(benchmark.notes.get("emissions", {})).items()
        },
        "scaled_emissions": f"intensities f = F x^-1 of {b} times the output of {table_t.year}, households "
        f"of {b} by (region, category), each region scaled to PBA_{b} times its {TERRITORIAL_VARIABLE} index "
        f"(docs/methods.md, 'Years outside the tables'); the {b} emissions principle is kept",
        "territorial_index": {
            "variable": TERRITORIAL_VARIABLE,
            "from": b,
            "to": table_t.year,
            "values": {str(r): float(v) for r, v in zip(regions, tau, strict=True)},
        },
    }
    return dataclasses.replace(
        table_t,
        F=pd.DataFrame(F_t, index=benchmark.F.index.copy(), columns=table_t.Z.index.copy()),
        F_Y=pd.DataFrame(F_Y_t, index=benchmark.F.index.copy(), columns=table_t.Y.columns.copy()),
        stressor_units=dict(benchmark.stressor_units),
        notes=notes,
    )


# ------------------------------------------------------------------ the builder
def national_index(
    frame: pd.DataFrame, regions: pd.Index, *, year: int, base: int, variable: str
) -> pd.Series:
    """I_r = V_r,year / V_r,base from a regions x years `frame` of national values (e.g. T or G).

    Raises `YearNotAvailableError` naming the variable and year when a year column is absent, and
    `ValidationError` naming the region, year and variable when a value is missing or not positive.
    """
    columns = {int(c): c for c in frame.columns}
    for y in (year, base):
        if y not in columns:
            raise YearNotAvailableError(
                f"national {variable}: no values for {y}; years held: {listed(sorted(columns)) or 'none'}. "
                f"Fix: supply {variable} for {y} in the national table, or leave the years that need it "
                "out of the series"
            )
    values = frame.to_numpy(dtype=np.float64)
    position = {y: frame.columns.get_loc(c) for y, c in columns.items()}
    out = {}
    for region in regions:
        if region not in frame.index:
            raise ValidationError(
                f"national {variable}: no row for region {region!r}. Fix: add {region!r} to the national "
                "table (the rest of the world as World minus the table's countries)"
            )
        for y in (year, base):
            value = float(values[frame.index.get_loc(region), position[y]])
            if not (np.isfinite(value) and value > 0):
                raise ValidationError(
                    f"national {variable}: region {region!r}, year {y}: value {value!r} is missing or not "
                    f"positive. Fix: supply {variable} for {region!r} in {y} in the national table, or "
                    f"leave the years that need {y} out of the series"
                )
        row = frame.index.get_loc(region)
        out[region] = float(values[row, position[year]] / values[row, position[base]])
    return pd.Series(out, name=f"{variable} index {base}->{year}").rename_axis("region")


def extended_reader(
    read_table: Callable[[int], MRIO],
    attach_emissions: Callable[[MRIO], MRIO],
    plan: Mapping[int, YearPlan],
    *,
    territorial: pd.DataFrame,
    gdp: pd.DataFrame,
) -> Callable[[int], tuple[MRIO, YearPlan]]:
    """A function year -> (MRIO, its YearPlan) that builds any planned year (docs/methods.md, extension).

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


# -------------------------------------------------------------- the skill test
@dataclass(frozen=True)
class SkillTest:
    """Skill-test results: one row per case, region and account (`table`), errors by horizon (`summary`)."""

    table: pd.DataFrame
    summary: pd.DataFrame
    metadata: Mapping[str, Any]


SKILL_COLUMNS: Final = (
    "year", "benchmark_year", "horizon", "basis", "region", "account", "stressor", "unit",
    "real", "extended", "abs_error", "rel_error", "error_share_of_cba",
)  # fmt: skip
SUMMARY_COLUMNS: Final = ("basis", "account", "horizon", "region", "statistic", "value", "cases")


def _accounts_wide(mrio: MRIO, stressor: str, solver: SolverMethod) -> pd.DataFrame:
    table = national_accounts(mrio, solver=solver).table
    rows = table[(table["stressor"] == stressor) & table["account"].isin(SKILL_ACCOUNTS)]
    wide = rows.pivot_table(index="region", columns="account", values="value", aggfunc="sum", sort=False)
    return wide.reindex(columns=list(SKILL_ACCOUNTS))


def skill_test(
    read_table: Callable[[int], MRIO],
    attach_emissions: Callable[[MRIO], MRIO],
    years: Sequence[int],
    *,
    benchmarks: Sequence[int],
    horizons: Sequence[int],
    bases: Sequence[Basis],
    territorial: pd.DataFrame,
    gdp: pd.DataFrame,
    stressor: str,
    regions: Sequence[str] = SKILL_REGIONS,
    solver: SolverMethod = "auto",
) -> SkillTest:
    """Extend real years from other real years and compare their accounts (docs/methods.md, skill test).

    For every benchmark year b in `benchmarks`, every year t in `years` with |t - b| in `horizons`
    (both directions), and every basis in `bases` (any of `EXTENDED_BASES`), year t is rebuilt as if
    its table and/or sector emissions were missing, from b alone:

    - ``scaled_table+emissions``: `scale_table`(table b, G_t / G_b) with the real sector emissions of t
      attached (tests the scaled structure; the emissions are known);
    - ``table+scaled_emissions``: `scale_emissions`(real table t, benchmark b, T_t / T_b) (tests the
      scaled intensities; the table is known);
    - ``scaled_table+scaled_emissions``: both, with a = b (the extension may use a != b).

    CBA, EEE and NET_TRANSFER of `stressor` from `national_accounts` of the extended year are compared
    with those of the real year t. ``table`` rows: real, extended, abs_error = extended - real,
    rel_error = (extended - real) / |real| (NaN where real = 0), error_share_of_cba = (extended - real)
    / |real CBA| (a scale that stays meaningful for net transfers near zero). ``summary`` rows, by
    basis, account and horizon: the median and 90th percentile of |rel_error| and of
    |error_share_of_cba| over all regions and cases (region ``all``), and their median over cases for
    each of `regions`. The test holds trade patterns and technology fixed from b, so it cannot see
    what changes them (e.g. a country's export boom). `read_table(y)` returns the table of y without
    emissions; `attach_emissions` adds those of ``m.year``.
    """
    unknown = [b for b in bases if b not in EXTENDED_BASES]
    if unknown or not bases:
        raise ValidationError(f"skill_test: bases {unknown or 'none'}; choose from {list(EXTENDED_BASES)}")
    cases = sorted(
        (b, t) for b in benchmarks for t in years if t != b and abs(t - b) in set(horizons) and b in years
    )
    if not cases:
        raise ValidationError(
            f"skill_test: no year of {listed(list(years))} lies at horizons {list(horizons)} from the "
            f"benchmarks {list(benchmarks)} (benchmarks must be among the years). Fix: widen them"
        )
    needed = sorted({y for case in cases for y in case})
    real: dict[int, MRIO] = {}
    real_accounts: dict[int, pd.DataFrame] = {}
    unit = ""
    for year in needed:
        real[year] = attach_emissions(read_table(year))
        unit = real[year].stressor_units[stressor]
        real_accounts[year] = _accounts_wide(real[year], stressor, solver)
    rows = []
    for b, t in cases:
        bench = real[b]
        built: dict[Basis, MRIO] = {}
        if {"scaled_table+emissions", "scaled_table+scaled_emissions"} & set(bases):
            g = national_index(gdp, bench.regions, year=t, base=b, variable=GDP_VARIABLE)
            scaled = scale_table(bench, g, year=t)
        tau = national_index(territorial, bench.regions, year=t, base=b, variable=TERRITORIAL_VARIABLE)
        for basis in bases:
            if basis == "scaled_table+emissions":
                built[basis] = attach_emissions(scaled)
            elif basis == "table+scaled_emissions":
                built[basis] = scale_emissions(real[t], bench, tau)
            else:
                built[basis] = scale_emissions(scaled, bench, tau)
        truth = real_accounts[t]
        for basis, mrio in built.items():
            estimate = _accounts_wide(mrio, stressor, solver).reindex(truth.index)
            for account in SKILL_ACCOUNTS:
                r, e = truth[account].to_numpy(), estimate[account].to_numpy()
                cba = np.abs(truth["CBA"].to_numpy())
                with np.errstate(divide="ignore", invalid="ignore"):
                    rel = np.where(r != 0, (e - r) / np.abs(r), np.nan)
                    share = np.where(cba != 0, (e - r) / cba, np.nan)
                rows.append(
                    pd.DataFrame(
                        {
                            "year": t,
                            "benchmark_year": b,
                            "horizon": abs(t - b),
                            "basis": basis,
                            "region": truth.index.to_numpy(dtype=object),
                            "account": account,
                            "stressor": stressor,
                            "unit": unit,
                            "real": r,
                            "extended": e,
                            "abs_error": e - r,
                            "rel_error": rel,
                            "error_share_of_cba": share,
                        },
                        columns=list(SKILL_COLUMNS),
                    )
                )
    table = pd.concat(rows, ignore_index=True)
    metadata = {
        "method": "skill test (docs/methods.md, 'Years outside the tables'): real years rebuilt from others",
        "benchmarks": [int(b) for b in benchmarks],
        "horizons": [int(h) for h in horizons],
        "bases": list(bases),
        "stressor": stressor,
        "unit": unit,
        "cases": [[int(b), int(t)] for b, t in cases],
        "scaled_table+scaled_emissions": "table and emission benchmark are the same year here",
        "rel_error": "(extended - real) / |real|",
        "error_share_of_cba": "(extended - real) / |real CBA of the region and year|",
    }
    return SkillTest(table=table, summary=skill_summary(table, regions=regions), metadata=metadata)


def skill_summary(table: pd.DataFrame, *, regions: Sequence[str]) -> pd.DataFrame:
    """Errors by basis, account and horizon from a `skill_test` table (statistics: see `skill_test`)."""
    data = table.assign(abs_rel=table["rel_error"].abs(), abs_share=table["error_share_of_cba"].abs())
    parts = []
    keys = ["basis", "account", "horizon"]
    for (basis, account, horizon), group in data.groupby(keys, sort=True):
        cases = int(group[["year", "benchmark_year"]].drop_duplicates().shape[0])
        stats = {
            "median_abs_rel_error": group["abs_rel"].median(),
            "p90_abs_rel_error": group["abs_rel"].quantile(0.9),
            "median_abs_error_share_of_cba": group["abs_share"].median(),
            "p90_abs_error_share_of_cba": group["abs_share"].quantile(0.9),
        }
        parts += [(basis, account, horizon, "all", name, float(v), cases) for name, v in stats.items()]
        for region in regions:
            mine = group[group["region"] == region]
            if mine.empty:
                continue
            parts += [
                (
                    basis,
                    account,
                    horizon,
                    region,
                    "median_abs_rel_error",
                    float(mine["abs_rel"].median()),
                    cases,
                ),
                (
                    basis,
                    account,
                    horizon,
                    region,
                    "median_abs_error_share_of_cba",
                    float(mine["abs_share"].median()),
                    cases,
                ),
            ]
    return pd.DataFrame(parts, columns=list(SUMMARY_COLUMNS))
