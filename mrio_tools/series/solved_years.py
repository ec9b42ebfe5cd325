"""Solved years for the methods' commands: each year's table read through the series store, then solved.

A year's table is looked up in the store (`series.store.Store`, keyed by the contents of the source's
files, the source options and the stressor selection, as the series engine keys its tables), parsed
with `sources.registry.open_source` on a miss (the source opened once for all years) and stored; then
(I - A) is factorised once (`leontief.solved.solve_year`). Only years with real tables are served
(basis `table`): extended years are not available to these commands.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from mrio_tools.choices import SolverMethod
from mrio_tools.leontief.solved import SolvedYear, solve_year
from mrio_tools.mrio.container import MRIO
from mrio_tools.series.store import Store, make_key
from mrio_tools.sources.registry import OpenSource, SourceRequest, open_source, resolved_options, source_files


def table_key(request: SourceRequest, year: int) -> str:
    """The store key of a real table: its files' contents, source, year, options, stressor selection."""
    return make_key(
        files=source_files(request, year),
        parts={
            "kind": "table",
            "source": request.source,
            "year": year,
            "options": resolved_options(request),
            "stressor": list(request.stressor or []),
            "stressor_name": request.stressor_name,
        },
    )


def load_year(opened: OpenSource, year: int, store: Store | None) -> MRIO:
    """One year's table: from the store when it holds the key, else parsed (and stored)."""
    if store is None:
        return opened.load(year)
    key = table_key(opened.request, year)
    stored = store.load(key)
    if stored is not None:
        return stored
    mrio = opened.load(year)
    store.save(key, mrio)
    return store.load(key) or mrio


def solved_years(
    request: SourceRequest, years: Sequence[int], *, solver: SolverMethod, cache: Path | None
) -> Iterator[tuple[int, SolvedYear]]:
    """(year, SolvedYear) for each of `years` in order; `cache` is the store's folder (None: no store).

    The years are checked against the source first (`YearNotAvailableError` naming those it lacks),
    so nothing is read for a request that cannot be served.
    """
    opened = open_source(request)
    opened.check_years(years)
    store = Store(cache) if cache is not None else None
    for year in years:
        yield year, solve_year(load_year(opened, year, store), solver=solver)
