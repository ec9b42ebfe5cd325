"""The skill test: real years rebuilt from another real year and compared with the real accounts.

Implements the skill test of docs/methods.md, "Years outside the tables (extension)": CBA, EEE and net
transfers of the extended year against those of the real table, by horizon |t - benchmark|.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from mrio_tools.accounts.national import national_accounts
from mrio_tools.choices import EXTENDED_BASES, Basis, SolverMethod
from mrio_tools.errors import ValidationError, listed
from mrio_tools.extension.scaling import (
    GDP_VARIABLE,
    TERRITORIAL_VARIABLE,
    national_index,
    scale_emissions,
    scale_table,
)
from mrio_tools.mrio.container import MRIO

#: accounts compared by the skill test, and the regions its summary shows one by one
SKILL_ACCOUNTS: Final = ("CBA", "EEE", "NET_TRANSFER")
SKILL_REGIONS: Final = ("CHN", "USA", "DEU", "JPN", "IND")


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
    """Extend real years from other real years and compare their accounts.

    docs/methods.md, "Years outside the tables (extension)", the skill test.

    For every benchmark year b, every year t of `years` with |t - b| in `horizons` (both directions),
    and every basis of `bases`, year t is rebuilt as if its table and/or sector emissions were missing,
    from b alone:

    - ``scaled_table+emissions``: `scale_table`(table b, G_t / G_b) with the real sector emissions of t
      attached (tests the scaled structure; the emissions are known);
    - ``table+scaled_emissions``: `scale_emissions`(real table t, benchmark b, T_t / T_b) (tests the
      scaled intensities; the table is known);
    - ``scaled_table+scaled_emissions``: both, with a = b (the extension may use a != b).

    CBA, EEE and NET_TRANSFER of `stressor` from `national_accounts` of the extended year are compared
    with those of the real year t. The test holds trade patterns and technology fixed from b, so it
    cannot see what changes them (e.g. a country's export boom).

    Parameters
    ----------
    read_table
        ``read_table(y)`` returns the real table of year y without emissions.
    attach_emissions
        ``attach_emissions(m)`` returns `m` with the sector emissions of ``m.year``.
    years
        The real years that may serve as benchmark or as target.
    benchmarks
        The benchmark years b (each must be among `years`).
    horizons
        The distances |t - b| to test, in years.
    bases
        Any of `EXTENDED_BASES`.
    territorial, gdp
        Regions x years frames of territorial CO2 (T) and real GDP (G), as for `extended_reader`.
    stressor
        The stressor whose accounts are compared; its unit is the table's ``unit`` column.
    regions
        The regions that `summary` shows one by one (default `SKILL_REGIONS`).
    solver
        How `national_accounts` solves (a `SolverMethod`).

    Returns
    -------
    SkillTest
        ``table``: one row per case, region and account: real, extended, abs_error = extended - real,
        rel_error = (extended - real) / |real| (NaN where real = 0), error_share_of_cba =
        (extended - real) / |real CBA| (a scale that stays meaningful for net transfers near zero).
        ``summary``, by basis, account and horizon: the median and 90th percentile of |rel_error| and
        of |error_share_of_cba| over all regions and cases (region ``all``), and their median over
        cases for each of `regions`. ``metadata``: the choices and the definitions above.
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
