"""Many years of one source: one task per year, serial or on Dask, each year saved as it finishes.

The folder format (partitions, manifest, lock) is `mrio_tools.series.folder`'s; a year's task is
`mrio_tools.series.tasks.run_year`. A run

1. checks every input before any work (years, unit, derived inputs, the scheduler's address) and that
   the folder is a series folder or empty (`folder.foreign_tables`: a user's files are never mixed
   with or replaced by series tables);
2. holds the folder's lock (`folder.series_lock`): a second run into the same folder is refused;
3. runs one task per year (a current partition is kept, a damaged one set aside and recomputed);
4. assembles the partitions into the series tables and swaps them in together with the manifest
   (`io.output.swap_files`, manifest last), then removes the series tables of earlier runs that the
   new manifest does not list.

Tasks run serially, on a local Dask cluster (``workers``) or on an existing Dask scheduler
(``scheduler``: its workers must have mrio_tools installed and see the same paths). Each task limits
the BLAS/OpenMP threads it uses (threadpoolctl) so that workers do not oversubscribe the cores.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from mrio_tools.accounts.national import Accounts, national_accounts
from mrio_tools.choices import SolverMethod
from mrio_tools.context.derived import DERIVED_FILES, OPTIONAL_FILES
from mrio_tools.context.inventory import PrincipleRequest
from mrio_tools.context.request import DerivedRequest
from mrio_tools.errors import OutputError, UsageError, shown
from mrio_tools.extension.source import ExtensionRequest, benchmark_years, extended_source
from mrio_tools.leontief.factorize import DENSE_UP_TO
from mrio_tools.series.assemble import (
    merged_metadata,
    partition_regions,
    read_partitions,
    remove_unlisted,
    write_series,
)
from mrio_tools.series.folder import (
    MANIFEST,
    check_manifest,
    foreign_tables,
    note,
    series_lock,
    write_manifest,
)
from mrio_tools.series.sensitivity import SENSITIVITY_FLAG, output_gap_sensitivity
from mrio_tools.series.tasks import (
    MASS_ACCOUNTS,
    SeriesJob,
    YearDone,
    _opened,
    _threads,
    convert_units,
    load_table,
    run_year,
    stored_rows,
    unit_note,
)
from mrio_tools.sources.registry import SourceRequest, open_source
from mrio_tools.units import check_mass_unit

#: the tables a series run writes (besides their sidecars and the manifest)
SERIES_TABLES = (
    "accounts.csv",
    "flows.csv",
    "output_gap_sensitivity.csv",
    *DERIVED_FILES.values(),
    *OPTIONAL_FILES.values(),
)
#: tables of other commands that may share a series folder (`mrio-tools skill-test`); kept as they are
COMPANION_TABLES = ("skill.csv", "skill_summary.csv")
#: a Dask scheduler address: PROTOCOL://HOST:PORT (tcp, tls, ucx, ws, wss) or inproc://...
SCHEDULER_ADDRESS = re.compile(
    r"^(?:(?:tcp|tls|ucx|ws|wss)://)?\[?[A-Za-z0-9_.:-]+\]?:\d{1,5}$|^inproc://\S+$"
)


def parse_years(text: str) -> list[int]:
    """'1995-2011' or '2000,2005,2010' or '2008' -> sorted list of distinct years (1000-2999)."""

    def year(token: str) -> int:
        token = token.strip()
        if not token.isdigit() or not 1000 <= int(token) <= 2999:
            raise ValueError(f"{token!r} in {text!r} is not a year; write e.g. 2008, 1995-2011 or 2000,2005")
        return int(token)

    years: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            first, last = (year(p) for p in part.split("-", 1))
            if last < first:
                raise ValueError(f"year range {part!r} runs backwards; write e.g. 1995-2011")
            years.update(range(first, last + 1))
        elif part:
            years.add(year(part))
    if not years:
        raise ValueError(f"no years in {text!r}; write e.g. 2008, 1995-2011 or 2000,2005")
    return sorted(years)


def check_scheduler(address: str | None) -> None:
    """`UsageError` naming `address` and the expected form unless it looks like a Dask scheduler's."""
    if address is not None and not SCHEDULER_ADDRESS.match(address.strip()):
        raise UsageError(
            f"--scheduler {shown(address)} is not a scheduler address; write PROTOCOL://HOST:PORT, "
            "e.g. tcp://10.0.0.5:8786 (what `dask scheduler` prints as 'Scheduler at')"
        )


@dataclass(frozen=True)
class SeriesResult:
    """The written series: its tables' paths and what each year's task did."""

    out_dir: Path
    paths: tuple[Path, ...]
    done: tuple[YearDone, ...]

    @property
    def computed(self) -> list[int]:
        """Years whose partitions this run computed (the rest were current)."""
        return sorted(d.year for d in self.done if d.status == "computed")


def _client(workers: int | None, scheduler: str | None) -> Any:
    from distributed import Client, LocalCluster

    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
        return Client(cluster), cluster
    try:
        return Client(scheduler, timeout="20s"), None
    except (OSError, TimeoutError) as error:
        raise OutputError(
            f"--scheduler {shown(scheduler)}: no Dask scheduler answers there ({error}). Fix: start one "
            "(`dask scheduler`) and pass the address it prints, or run without --scheduler"
        ) from error


def _run_serial(job: SeriesJob, years: Sequence[int], progress: Callable[[YearDone], None]) -> list[YearDone]:
    """The years in this process: one after another, or side by side when the tables are small.

    The tables' size decides: the store's when it holds one of them (`stored_rows`), else the first
    computed year's (years run one at a time until then). A table of at most DENSE_UP_TO rows is
    solved on one BLAS thread whatever the method (the dense LU: `mrio_tools.leontief.factorize`; the
    block and Krylov methods: per-region factors), so `job.threads` years then run side by side in
    threads, each on one BLAS thread (LAPACK, numpy and pyarrow release the GIL): the same numbers as
    one after another. Larger tables use every thread in each year's solve, and two of them would
    hold twice the memory: those years run one after another. The first error stops the run (years
    not yet started are cancelled; the partitions already written stay, and a rerun resumes).
    """
    done: list[YearDone] = []

    def finished(year_done: YearDone) -> YearDone:
        done.append(year_done)
        progress(year_done)
        return year_done

    rest = list(years)
    rows = stored_rows(job)
    while rest and rows is None:
        rows = finished(run_year(job, rest.pop(0))).rows
    width = min(job.threads, len(rest))
    if rows is None or rows > DENSE_UP_TO or width < 2:
        for year in rest:
            finished(run_year(job, year))
        return done
    # each task limits its threads to one and restores the limit it found on return: the limit is
    # process-wide, so it must already be one here, or a task finishing first would hand the other
    # tasks' LUs back their threads
    with _threads(1), ThreadPoolExecutor(max_workers=width) as pool:
        futures = [pool.submit(run_year, dataclasses.replace(job, threads=1), year) for year in rest]
        try:
            for future in as_completed(futures):
                finished(future.result())
        finally:
            for future in futures:
                future.cancel()
    return done


def _run_tasks(
    job: SeriesJob,
    years: Sequence[int],
    *,
    workers: int | None,
    scheduler: str | None,
    progress: Callable[[YearDone], None],
) -> list[YearDone]:
    if scheduler is None and not workers:
        return _run_serial(job, years, progress)
    from distributed import as_completed as completed_on_dask

    client, cluster = _client(workers, scheduler)
    try:
        futures = client.map(run_year, [job] * len(years), list(years), pure=False)
        done = []
        for future in completed_on_dask(futures):
            done.append(future.result())
            progress(done[-1])
        return done
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_series(
    request: SourceRequest,
    years: Sequence[int],
    out_dir: Path,
    *,
    solver: SolverMethod,
    unit: str | None,
    cache: Path | None,
    workers: int | None = None,
    scheduler: str | None = None,
    threads: int | None = None,
    extension: ExtensionRequest | None = None,
    derived: DerivedRequest | None = None,
    progress: bool = True,
    command: str | None = None,
    principle: PrincipleRequest | None = None,
) -> SeriesResult:
    """Compute every year of `years` (one task each) into `out_dir`, then write the whole series.

    Results do not depend on where a year runs nor on `threads` (tables of at most DENSE_UP_TO rows
    are solved on one BLAS thread, the block, Krylov and sparse methods factorise per region or on
    one thread), except for a dense LU of a larger table (``solver="dense"``), whose last bits follow
    its thread count. See the module docstring for the steps and `mrio_tools.series.folder` for the
    folder.

    Parameters
    ----------
    request
        The source, its files and options, and the stressor selection.
    years
        The years; checked against the source's (or the extension's) before any work; duplicates dropped.
    out_dir
        The series folder: empty, new, or written by an earlier series run.
    solver
        Factorisation of (I - A) (docs/methods.md, "Solving without inverting").
    unit
        Mass unit the emission accounts and flows are converted to; None keeps the source's.
    cache
        The store folder of parsed tables (None: no store).
    workers
        > 0 runs a local Dask cluster with that many worker processes.
    scheduler
        Address of an existing Dask scheduler ('tcp://host:8786') to run on instead.
    threads
        Without workers: the cores of the run (small tables: that many years side by side on one BLAS
        thread each, `_run_serial`; default all). With workers: BLAS threads of each task (default:
        the cores shared among the workers).
    extension
        Estimates years outside the source's tables (`mrio_tools.extension.source`; every row's
        ``basis`` says how its year was made).
    derived
        Adds groups, per-capita, export intensity, findings and inventory-check tables
        (`mrio_tools.context.derived`).
    progress
        Show a progress bar on stderr.
    command
        The command line, recorded in the tables' metadata.
    principle
        The emissions principle (default residence, the source as published; territorial scales each
        region to its inventory total, `mrio_tools.context.inventory.PrincipleRequest`): part of every
        year's key and metadata (``emissions_principle``, and the factors k_r as
        ``territorial_scale_factors``).

    Returns
    -------
    SeriesResult
        The tables written and what each year's task did.

    Raises
    ------
    FolderInUseError
        Another live run writes `out_dir`.
    OutputError
        `out_dir` holds files that are not a series run's, or cannot be written.
    """
    years = sorted(set(years))
    if threads is None:
        cores = os.cpu_count() or 1
        threads = max(1, cores // workers) if workers else cores
    job = SeriesJob(
        request=request,
        out_dir=out_dir,
        solver=solver,
        unit=unit,
        cache=cache,
        threads=threads,
        extension=extension,
        years=tuple(years),
        principle=principle or PrincipleRequest("residence"),
    )
    job.principle.check()
    check_scheduler(scheduler)
    source = _opened(request, job.run)  # checks paths and options, lists years; the tasks reuse it
    if extension is None:
        source.check_years(years)
    else:
        extended_source(request, extension, tuple(years), job.run).check()
    if derived is not None:
        derived.check()
    check_mass_unit(unit)  # before any work
    foreign_tables(out_dir, SERIES_TABLES, COMPANION_TABLES)  # refuses a user's folder before any work
    with series_lock(out_dir, run=job.run):
        earlier = foreign_tables(out_dir, SERIES_TABLES, COMPANION_TABLES)
        members_checked: list[int] = []
        bar = tqdm(total=len(years), desc=f"{request.source} years", unit="year", disable=not progress)

        def advance(done: YearDone) -> None:
            bar.update(1)
            bar.set_postfix_str(f"{done.year} {done.status}")
            for text in done.notes:
                note(text)
            if derived is not None and not members_checked:
                # the table's regions are known once a year is done: --groups typos end the run here
                derived.check_regions(partition_regions(out_dir, done.year), done.year)
                members_checked.append(done.year)

        try:
            done = _run_tasks(job, years, workers=workers, scheduler=scheduler, progress=advance)
        finally:
            bar.close()
        extended = job.extended()
        paths = write_series(
            out_dir,
            years,
            command=command,
            unit=unit,
            extra_metadata=extended.metadata if extended is not None else {},
            derived=derived,
            benchmark_years=benchmark_years(list(extended.plan.values())) if extended is not None else {},
            run=job.run,
        )
        remove_unlisted(out_dir, earlier)
    return SeriesResult(out_dir=out_dir, paths=tuple(paths), done=tuple(sorted(done, key=lambda d: d.year)))


def accounts_series(
    request: SourceRequest, years: Sequence[int], *, solver: SolverMethod = "auto", progress: bool = True
) -> Accounts:
    """Accounts of every year in `years`, in memory, concatenated (no store, no partitions).

    Per-year metadata is kept under 'per_year' (`merged_metadata`). For long series prefer
    `run_series`, which saves each year as it finishes and resumes.
    """
    source = open_source(request)
    years = sorted(set(years))
    source.check_years(years)
    tables, flows, per_year = [], [], {}
    for year in tqdm(years, desc=f"{request.source} accounts", unit="year", disable=not progress):
        result = national_accounts(source.load(year), solver=solver)
        tables.append(result.table)
        flows.append(result.flows)
        per_year[year] = dict(result.metadata)
    return Accounts(
        table=pd.concat(tables, ignore_index=True),
        flows=pd.concat(flows, ignore_index=True),
        metadata=merged_metadata(per_year),
    )


__all__ = [
    "MANIFEST",
    "MASS_ACCOUNTS",
    "SENSITIVITY_FLAG",
    "SeriesJob",
    "SeriesResult",
    "YearDone",
    "accounts_series",
    "check_manifest",
    "check_scheduler",
    "convert_units",
    "load_table",
    "merged_metadata",
    "output_gap_sensitivity",
    "parse_years",
    "read_partitions",
    "run_series",
    "run_year",
    "unit_note",
    "write_manifest",
    "write_series",
]
