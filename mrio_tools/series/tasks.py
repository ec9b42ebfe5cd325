"""One year of a series: the job every task gets, the keys of its partition and table, the task itself.

A year's key hashes its raw files, the source options, the stressor selection, the solver, the unit
and the package version (`mrio_tools.series.store`): a rerun with the same inputs finds every partition
current and recomputes nothing; a changed input or option recomputes the years it touches. Parsed
tables go to the store (``--cache``), so a recomputation (a new unit, another solver) does not parse
the raw files again. The partition layout is `mrio_tools.series.folder`'s.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mrio_tools.accounts.national import national_accounts
from mrio_tools.choices import TABLE_BASIS, SolverMethod
from mrio_tools.context.inventory import PrincipleRequest
from mrio_tools.errors import UnitError, listed
from mrio_tools.extension.source import (
    ExtendedSource,
    ExtensionRequest,
    extended_files,
    extended_source,
    read_national,
)
from mrio_tools.io.failures import output_error
from mrio_tools.io.folders import replace_folder_atomically
from mrio_tools.io.output import output_metadata
from mrio_tools.mrio.container import MRIO
from mrio_tools.schema import MASS_ACCOUNTS
from mrio_tools.series.folder import partition_dir, partition_files, partition_state, set_aside
from mrio_tools.series.solved_years import table_key
from mrio_tools.series.store import Store, json_roundtrip, make_key
from mrio_tools.sources.registry import (
    OpenSource,
    SourceRequest,
    open_source,
    resolved_options,
    source_spec,
)


@dataclass(frozen=True)
class SeriesJob:
    """Everything a year's task needs (picklable: Dask ships it to the workers)."""

    request: SourceRequest
    out_dir: Path
    solver: SolverMethod
    unit: str | None
    cache: Path | None
    threads: int = 1
    #: years outside the tables (None: only the source's own years); `years` are all the series' years
    extension: ExtensionRequest | None = None
    years: tuple[int, ...] = ()
    extra_key: Mapping[str, Any] = field(default_factory=dict)
    #: emissions principle (residence: the source as published; territorial: scaled to inventories)
    principle: PrincipleRequest = field(default_factory=lambda: PrincipleRequest("residence"))
    #: this run's token: the source is opened once per run and process (`_opened`), never reused
    run: str = field(default_factory=lambda: uuid.uuid4().hex)

    def extended(self) -> ExtendedSource | None:
        """The extended source (memoised per process), or None without extension."""
        if self.extension is None:
            return None
        return extended_source(self.request, self.extension, self.years, self.run)

    def basis(self, year: int) -> str:
        """The year's basis: ``table`` unless the extension plans an estimate."""
        extended = self.extended()
        return TABLE_BASIS if extended is None else extended.plan[year].basis


@dataclass(frozen=True)
class YearDone:
    """What a year's task did: ``computed`` (new partition) or ``kept`` (the partition was current)."""

    year: int
    status: str
    parsed: bool = False
    #: what the user should know (a damaged partition set aside), printed by the run
    notes: tuple[str, ...] = ()
    #: rows of the year's table (regions x sectors); None when the partition was kept
    rows: int | None = None


@functools.lru_cache(maxsize=8)
def _opened(request: SourceRequest, run: str) -> OpenSource:
    """The source opened once per run and process (shared files, e.g. the emissions workbook, read once).

    `run` is the series run's token: a later run opens the source afresh, so it never reads a shared
    file as an earlier run found it.
    """
    return open_source(request)


def _extended_key(job: SeriesJob, year: int) -> str:
    extended, extension = job.extended(), job.extension
    assert extended is not None and extension is not None
    plan = extended.plan[year]
    return make_key(
        files=extended_files(job.request, extension, plan),
        parts={
            "kind": "extended table",
            "source": job.request.source,
            "year": year,
            "plan": plan.notes,
            "emission_benchmarks": extension.emission_benchmarks,
            "options": resolved_options(job.request),
            "stressor": list(job.request.stressor or []),
            "stressor_name": job.request.stressor_name,
        },
    )


def _job_table_key(job: SeriesJob, year: int) -> str:
    return table_key(job.request, year) if job.basis(year) == TABLE_BASIS else _extended_key(job, year)


def year_key(job: SeriesJob, year: int) -> str:
    """The key of a year's partition (see module docstring)."""
    return make_key(
        files=job.principle.files(),
        parts={
            "kind": "accounts",
            "emissions_principle": job.principle.principle,
            "table": _job_table_key(job, year),
            "solver": job.solver,
            "unit": job.unit,
            "sensitivity": source_spec(job.request.source).sensitivity,
            **job.extra_key,
        },
    )


def stored_rows(job: SeriesJob) -> int | None:
    """Rows of the series' tables when the store holds the table of its first year with one, else None.

    Every year of a series has the same rows (the source's layout; an extended year is built from a
    table of the source), so one stored table tells them all. Only the first such year is looked up:
    its key hashes that year's raw files, which its task needs anyway
    (`mrio_tools.series.store.file_digest` keeps the hash).
    """
    if job.cache is None:
        return None
    first = next((year for year in job.years if job.basis(year) == TABLE_BASIS), None)
    return None if first is None else Store(job.cache).rows(table_key(job.request, first))


def load_table(
    request: SourceRequest, year: int, cache: Path | None, *, run: str | None = None
) -> tuple[MRIO, bool]:
    """The year's MRIO from the store, or parsed (and stored); True when it was parsed.

    `run` shares the opened source among the calls of one run (`_opened`); None opens it afresh.
    """

    def parse() -> MRIO:
        return (open_source(request) if run is None else _opened(request, run)).load(year)

    return _stored(lambda: table_key(request, year), parse, cache)


def _job_table(job: SeriesJob, year: int) -> tuple[MRIO, bool]:
    """The year's MRIO: its own table, or the extension's estimate (both through the store)."""
    extended = job.extended()
    if extended is None or extended.plan[year].basis == TABLE_BASIS:
        return load_table(job.request, year, job.cache, run=job.run)

    def build() -> MRIO:
        assert extended is not None
        mrio, _plan = extended.build(year)
        return _opened(job.request, job.run).finish(mrio)

    return _stored(lambda: _extended_key(job, year), build, job.cache)


def _stored(key_of: Callable[[], str], make: Callable[[], MRIO], cache: Path | None) -> tuple[MRIO, bool]:
    store = Store(cache) if cache is not None else None
    key = key_of() if store is not None else ""
    if store is not None and (stored := store.load(key)) is not None:
        return stored, False
    mrio = make()
    if store is not None:
        store.save(key, mrio)
        # the stored notes are JSON: hand out the same object a warm run reads, so both runs agree
        return store.load(key) or mrio, True
    return mrio, True


def convert_units(table: pd.DataFrame, unit: str | None, *, flows: bool) -> pd.DataFrame:
    """Emission accounts (and all flows) converted to `unit`; unchanged for None."""
    from mrio_tools.units import to_unit

    if unit is None:
        return table
    converted = to_unit(table, unit, where=None if flows else table["account"].isin(MASS_ACCOUNTS))
    overflow = ~np.isfinite(converted["value"].to_numpy(dtype=float)) & np.isfinite(
        table["value"].to_numpy(dtype=float)
    )
    if overflow.any():
        rows = converted.loc[overflow]
        where = [
            f"{r.get('region', r.get('origin', '?'))} {r.get('account', 'flow')} {r['year']}"
            for r in rows.head(5).to_dict("records")
        ]
        raise UnitError(
            f"converting to {unit!r} makes {int(overflow.sum())} values too large for a number "
            f"(overflow to infinity): {listed(where, 5)}. Fix: choose a larger unit, or check the "
            "source's values (they are far beyond any real emission)"
        )
    return converted


def unit_note(unit: str | None) -> dict[str, str]:
    """The metadata entry that records a unit conversion."""
    if unit is None:
        return {}
    return {
        "unit_conversion": f"accounts {', '.join(MASS_ACCOUNTS)} and all flows converted from the "
        f"stressor_units to {unit}; the unit column of each row states its unit"
    }


@contextmanager
def _threads(limit: int) -> Iterator[None]:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=limit):
        yield


def run_year(job: SeriesJob, year: int) -> YearDone:
    """Compute and save one year's partition, unless a current one exists (the Dask task).

    A partition whose key matches but whose files fail their checksum (cut short, edited) is set aside
    under ``DIR/damaged/`` and recomputed; the note says so (`YearDone.notes`).
    """
    from mrio_tools.series.sensitivity import output_gap_sensitivity

    key = year_key(job, year)
    final = partition_dir(job.out_dir, year)
    state = partition_state(final, key)
    if state.state == "current":
        return YearDone(year=year, status="kept")
    notes: tuple[str, ...] = ()
    if state.state == "damaged":
        try:
            place = set_aside(final, job.out_dir)
        except OSError as error:
            raise output_error(final, error, action="cannot set aside the damaged partition") from error
        notes = (f"{state.reason}: partition set aside as {place} and recomputed",)
    basis = job.basis(year)
    with _threads(job.threads):
        mrio, parsed = _job_table(job, year)
        inventory = job.principle.national if job.principle.files() else None
        national = read_national(inventory) if inventory is not None else None
        as_read = mrio
        mrio, principle_meta = job.principle.apply(mrio, national)
        result = national_accounts(mrio, solver=job.solver)
        spec = source_spec(job.request.source)
        sensitivity = None
        if spec.sensitivity and basis == TABLE_BASIS:
            # the table as read already stands for the treatment its reader applied (notes
            # '<option>_treatment'), unless the emissions principle rescaled it
            treatment = as_read.notes.get(f"{spec.sensitivity[0]}_treatment")
            known = (str(treatment), result.table) if mrio is as_read and treatment else None
            sensitivity = output_gap_sensitivity(
                job.request, year, cache=job.cache, solver=job.solver, unit=job.unit, run=job.run, known=known
            )
    accounts = convert_units(result.table, job.unit, flows=False).assign(basis=basis)
    flows = convert_units(result.flows, job.unit, flows=True).assign(basis=basis)

    def build(folder: Path) -> None:
        accounts.to_parquet(folder / "accounts.parquet", index=False)
        flows.to_parquet(folder / "flows.parquet", index=False)
        if sensitivity is not None:
            sensitivity.to_parquet(folder / "sensitivity.parquet", index=False)
        meta = {
            "key": key,
            "year": year,
            "basis": basis,
            "metadata": json_roundtrip({**result.metadata, **principle_meta}),
            "files": partition_files(folder),
        }
        (folder / "meta.json").write_text(json.dumps(output_metadata(meta), indent=1), encoding="utf-8")

    replace_folder_atomically(build, final)
    return YearDone(year=year, status="computed", parsed=parsed, notes=notes, rows=len(mrio.Z))


__all__ = [
    "MASS_ACCOUNTS",
    "SeriesJob",
    "YearDone",
    "convert_units",
    "load_table",
    "run_year",
    "stored_rows",
    "unit_note",
    "year_key",
]
