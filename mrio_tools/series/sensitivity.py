"""The output-gap sensitivity of a year: CBA and EEE under the two treatments a source names.

docs/methods.md, "The output gap of rounded tables": no treatment is exact, so the series reports the
change between two and flags regions where it exceeds `SENSITIVITY_FLAG` of the first.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mrio_tools.accounts.national import consumption_based, exports_embodied
from mrio_tools.choices import SolverMethod
from mrio_tools.leontief.solved import solve_year
from mrio_tools.mrio.container import MRIO
from mrio_tools.series.tasks import convert_units, load_table
from mrio_tools.sources.registry import SourceRequest, source_spec

#: share of CBA or EEE by which two output-gap treatments may differ before a region is flagged
SENSITIVITY_FLAG = 0.02


def _cba_eee(mrio: MRIO, *, solver: SolverMethod) -> pd.DataFrame:
    """CBA and EEE rows of `mrio` (the rows of `national_accounts(...).table` for these two accounts):
    one forward solve, none of the other accounts' work (multipliers, domestic solves, flows)."""
    solved = solve_year(mrio, solver=solver)
    return pd.concat([consumption_based(solved), exports_embodied(solved)], ignore_index=True)


def output_gap_sensitivity(
    request: SourceRequest,
    year: int,
    *,
    cache: Path | None,
    solver: SolverMethod,
    unit: str | None,
    run: str | None = None,
    known: tuple[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """CBA and EEE of every region under the two treatments the source's `sensitivity` names.

    docs/methods.md, "The output gap of rounded tables": relative_change = (second - first) / |first|,
    flagged where |relative_change| > `SENSITIVITY_FLAG`.

    Parameters
    ----------
    request
        The source request; its sensitivity option is set to each of the two treatments in turn.
    year
        The year (a year of the source's own tables).
    cache
        The store folder of parsed tables (None: no store).
    solver
        Factorisation of (I - A) (docs/methods.md, "Solving without inverting").
    unit
        Mass unit of the accounts (None: the source's).
    run
        The series run's token: the opened source is shared among the run's calls.
    known
        (treatment, accounts in the source's units) of a table of this year already computed under
        one of the two treatments (the series' own table, when its emissions principle left it as
        read): that treatment is taken from it instead of being read and solved again.

    Returns
    -------
    pandas.DataFrame
        ``year, region, account, stressor, unit, option``, CBA or EEE under each treatment,
        ``relative_change`` and ``flagged``.
    """
    spec = source_spec(request.source)
    assert spec.sensitivity is not None
    option, first, second = spec.sensitivity
    tables = []
    for choice in (first, second):
        variant = SourceRequest(
            source=request.source,
            data=request.data,
            emissions=request.emissions,
            stressor=request.stressor,
            stressor_name=request.stressor_name,
            options={**request.options, option: choice},
        )
        if known is not None and known[0] == choice:
            table = known[1][known[1]["account"].isin(["CBA", "EEE"])]
        else:
            mrio, _ = load_table(variant, year, cache, run=run)
            table = _cba_eee(mrio, solver=solver)
        table = convert_units(table, unit, flows=False)
        tables.append(table.set_index(["year", "region", "account", "stressor", "unit"])["value"])
    both = pd.concat(tables, axis=1, keys=[first, second]).reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        change = (both[second] - both[first]) / both[first].abs()
    both["relative_change"] = change
    both["flagged"] = change.abs() > SENSITIVITY_FLAG
    both.insert(5, "option", option)
    return both


__all__ = ["SENSITIVITY_FLAG", "output_gap_sensitivity"]
