"""Many years of one source: one task per year, serial or on Dask, each year saved as it finishes.

A series folder ``DIR`` holds

- ``DIR/years/YYYY/``: one partition per year (``accounts.parquet``, ``flows.parquet``, optionally
  ``sensitivity.parquet``, and ``meta.json`` with the year's key and metadata), built in a temporary
  folder and renamed into place, so a partition is complete or absent;
- ``DIR/accounts.csv`` and ``DIR/flows.csv`` (long format plus ``basis``) with ``.meta.json`` each,
  and ``DIR/output_gap_sensitivity.csv`` where the source has a sensitivity option: the whole series,
  assembled from the partitions once every year is done.

A year's key hashes its raw files, the source options, the stressor selection, the solver, the unit
and the package version (`mrio_tools.series.store`): a rerun with the same inputs finds every partition
current and recomputes nothing; a killed run resumes with the years it had not finished; a changed
input or option recomputes the years it touches. Parsed tables go to the store (``--cache``), so a
recomputation (a new unit, another solver) does not parse the raw files again.

Tasks run serially, on a local Dask cluster (``workers``) or on an existing Dask scheduler
(``scheduler``: its workers must have mrio_tools installed and see the same paths). Each task limits
the BLAS/OpenMP threads it uses (threadpoolctl) so that workers do not oversubscribe the cores.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from mrio_tools.accounts.national import Accounts, national_accounts
from mrio_tools.choices import SolverMethod
from mrio_tools.context.inventory import PrincipleRequest
from mrio_tools.context.request import DerivedRequest
from mrio_tools.errors import DataFileError
from mrio_tools.extension.source import (
    ExtendedSource,
    ExtensionRequest,
    benchmark_years,
    extended_files,
    extended_source,
    read_national,
)
from mrio_tools.io.output import output_metadata
from mrio_tools.mrio.container import MRIO
from mrio_tools.series.store import Store, file_digest, json_roundtrip, make_key
from mrio_tools.sources.registry import (
    OpenSource,
    SourceRequest,
    open_source,
    resolved_options,
    source_files,
    source_spec,
)
from mrio_tools.units import check_mass_unit

#: the basis of a year computed from its own table and sector emissions (docs/methods.md, extension)
TABLE_BASIS = "table"
#: accounts measured in the stressor's own (mass) unit, which a unit conversion converts
MASS_ACCOUNTS = ("PBA", "CBA", "EEE", "EEI", "NET_TRANSFER", "HOUSEHOLD_DIRECT")
#: share of CBA or EEE by which two output-gap treatments may differ before a region is flagged
SENSITIVITY_FLAG = 0.02


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


# ------------------------------------------------------------------ one year
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


@functools.lru_cache(maxsize=8)
def _opened(request: SourceRequest, run: str) -> OpenSource:
    """The source opened once per run and process (shared files, e.g. the emissions workbook, read once).

    `run` is the series run's token: a later run opens the source afresh, so it never reads a shared
    file as an earlier run found it.
    """
    return open_source(request)


def _table_key(request: SourceRequest, year: int) -> str:
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
    return _table_key(job.request, year) if job.basis(year) == TABLE_BASIS else _extended_key(job, year)


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


def load_table(
    request: SourceRequest, year: int, cache: Path | None, *, run: str | None = None
) -> tuple[MRIO, bool]:
    """The year's MRIO from the store, or parsed (and stored); True when it was parsed.

    `run` shares the opened source among the calls of one run (`_opened`); None opens it afresh.
    """

    def parse() -> MRIO:
        return (open_source(request) if run is None else _opened(request, run)).load(year)

    return _stored(lambda: _table_key(request, year), parse, cache)


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
    return to_unit(table, unit, where=None if flows else table["account"].isin(MASS_ACCOUNTS))


def unit_note(unit: str | None) -> dict[str, str]:
    """The metadata entry that records a unit conversion."""
    if unit is None:
        return {}
    return {
        "unit_conversion": f"accounts {', '.join(MASS_ACCOUNTS)} and all flows converted from the "
        f"stressor_units to {unit}; the unit column of each row states its unit"
    }


def output_gap_sensitivity(
    request: SourceRequest,
    year: int,
    *,
    cache: Path | None,
    solver: SolverMethod,
    unit: str | None,
    run: str | None = None,
) -> pd.DataFrame:
    """CBA and EEE of every region under the two treatments the source's `sensitivity` names.

    docs/methods.md, "The output gap of rounded tables": no treatment is exact, so report the change
    between two, and flag regions where it exceeds 2 % (`SENSITIVITY_FLAG`) of the first.
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
        mrio, _ = load_table(variant, year, cache, run=run)
        table = convert_units(national_accounts(mrio, solver=solver).table, unit, flows=False)
        table = table[table["account"].isin(["CBA", "EEE"])]
        tables.append(table.set_index(["year", "region", "account", "stressor", "unit"])["value"])
    both = pd.concat(tables, axis=1, keys=[first, second]).reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        change = (both[second] - both[first]) / both[first].abs()
    both["relative_change"] = change
    both["flagged"] = change.abs() > SENSITIVITY_FLAG
    both.insert(5, "option", option)
    return both


@contextmanager
def _threads(limit: int) -> Iterator[None]:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=limit):
        yield


def _partition(out_dir: Path, year: int) -> Path:
    return out_dir / "years" / str(year)


def _partition_key(folder: Path) -> str | None:
    try:
        return str(json.loads((folder / "meta.json").read_text(encoding="utf-8"))["key"])
    except (OSError, ValueError, KeyError):
        return None


def _swap_in(tmp: Path, final: Path) -> None:
    """Rename `tmp` to `final`; an old `final` is moved aside first and removed after."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(final, old)
    os.rename(tmp, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def run_year(job: SeriesJob, year: int) -> YearDone:
    """Compute and save one year's partition, unless a current one exists (the Dask task)."""
    key = year_key(job, year)
    final = _partition(job.out_dir, year)
    if _partition_key(final) == key:
        return YearDone(year=year, status="kept")
    basis = job.basis(year)
    with _threads(job.threads):
        mrio, parsed = _job_table(job, year)
        inventory = job.principle.national if job.principle.files() else None
        national = read_national(inventory) if inventory is not None else None
        mrio, principle_meta = job.principle.apply(mrio, national)
        result = national_accounts(mrio, solver=job.solver)
        sensitivity = (
            output_gap_sensitivity(
                job.request, year, cache=job.cache, solver=job.solver, unit=job.unit, run=job.run
            )
            if source_spec(job.request.source).sensitivity and basis == TABLE_BASIS
            else None
        )
    accounts = convert_units(result.table, job.unit, flows=False).assign(basis=basis)
    flows = convert_units(result.flows, job.unit, flows=True).assign(basis=basis)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{year}.part-", dir=final.parent))
    try:
        accounts.to_parquet(tmp / "accounts.parquet", index=False)
        flows.to_parquet(tmp / "flows.parquet", index=False)
        if sensitivity is not None:
            sensitivity.to_parquet(tmp / "sensitivity.parquet", index=False)
        metadata = json_roundtrip({**result.metadata, **principle_meta})
        meta = {"key": key, "year": year, "basis": basis, "metadata": metadata}
        (tmp / "meta.json").write_text(json.dumps(output_metadata(meta), indent=1), encoding="utf-8")
        _swap_in(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return YearDone(year=year, status="computed", parsed=parsed)


# ---------------------------------------------------------------- many years
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


def _run_tasks(
    job: SeriesJob,
    years: Sequence[int],
    *,
    workers: int | None,
    scheduler: str | None,
    progress: Callable[[YearDone], None],
) -> list[YearDone]:
    if scheduler is None and not workers:
        done = []
        for year in years:
            done.append(run_year(job, year))
            progress(done[-1])
        return done
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
    client = Client(cluster if cluster is not None else scheduler)
    try:
        futures = client.map(run_year, [job] * len(years), list(years), pure=False)
        done = []
        for future in as_completed(futures):
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

    Years are checked against the source's before any work; duplicates are dropped. `cache` is the
    store folder (None: no store). `workers` > 0 runs a local Dask cluster with that many worker
    processes; `scheduler` ('tcp://host:8786') uses an existing cluster instead. `threads` caps the
    BLAS threads of each task (default: the cores shared among the workers). Results do not depend on
    where a year runs, only, in the last bits, on `threads` (BLAS sums in another order): runs with the
    same `threads` give identical numbers. `extension` estimates years outside the source's tables
    (`mrio_tools.extension.source`; every row's ``basis`` says how each year was made); `derived` adds
    groups, per-capita, export intensity, findings and inventory-check tables
    (`mrio_tools.context.derived`). `principle` is the emissions principle (default residence, the
    source as published; territorial scales each region to its inventory total,
    `mrio_tools.context.inventory.PrincipleRequest`): part of every year's key and metadata
    (`emissions_principle`, and the factors k_r as `territorial_scale_factors`). See module docstring.
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
    source = _opened(request, job.run)  # checks paths and options, lists years; the tasks reuse it
    if extension is None:
        source.check_years(years)
    else:
        extended_source(request, extension, tuple(years), job.run).check()
    if derived is not None:
        derived.check()
    check_mass_unit(unit)  # before any work
    bar = tqdm(total=len(years), desc=f"{request.source} years", unit="year", disable=not progress)

    def advance(done: YearDone) -> None:
        bar.update(1)
        bar.set_postfix_str(f"{done.year} {done.status}")

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
    )
    return SeriesResult(out_dir=out_dir, paths=tuple(paths), done=tuple(sorted(done, key=lambda d: d.year)))


def merged_metadata(per_year: Mapping[int, Mapping[str, Any]]) -> dict[str, Any]:
    """Metadata shared by every year at the top, the rest under ``per_year``."""
    first = dict(next(iter(per_year.values())))
    common = {
        key: value for key, value in first.items() if all(m.get(key) == value for m in per_year.values())
    }
    return {
        **common,
        "years": list(per_year),
        "per_year": {y: {k: v for k, v in m.items() if k not in common} for y, m in per_year.items()},
    }


def read_partitions(out_dir: Path, years: Sequence[int]) -> tuple[Accounts, pd.DataFrame | None]:
    """The saved partitions of `years` as one `Accounts` (with ``basis``) and the sensitivity table."""
    tables, flows, sensitivity, per_year = [], [], [], {}
    for year in years:
        folder = _partition(out_dir, year)
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        tables.append(pd.read_parquet(folder / "accounts.parquet"))
        flows.append(pd.read_parquet(folder / "flows.parquet"))
        if (folder / "sensitivity.parquet").is_file():
            sensitivity.append(pd.read_parquet(folder / "sensitivity.parquet"))
        per_year[year] = {**meta["metadata"], "basis": meta["basis"]}
    accounts = Accounts(
        table=pd.concat(tables, ignore_index=True),
        flows=pd.concat(flows, ignore_index=True),
        metadata=merged_metadata(per_year),
    )
    return accounts, (pd.concat(sensitivity, ignore_index=True) if sensitivity else None)


MANIFEST = "manifest.json"


def write_series(
    out_dir: Path,
    years: Sequence[int],
    *,
    command: str | None,
    unit: str | None,
    extra_metadata: Mapping[str, Any] | None = None,
    derived: DerivedRequest | None = None,
    benchmark_years: Mapping[int, int] | None = None,
) -> list[Path]:
    """Assemble the partitions of `years` into the series tables, then write the manifest.

    ``accounts.csv``, ``flows.csv``, ``output_gap_sensitivity.csv`` where the source has a sensitivity
    option, and the `derived` tables. The manifest (`MANIFEST`) is removed first and written last with
    the SHA-256 of every table: a run interrupted in between leaves no manifest, so a reader knows the
    folder may mix two runs (`check_manifest`), and a rerun, which recomputes no current year,
    repairs it.
    """
    from mrio_tools.io.output import metadata_path, write_table

    (out_dir / MANIFEST).unlink(missing_ok=True)
    accounts, sensitivity = read_partitions(out_dir, years)
    meta = {
        **accounts.metadata,
        **(extra_metadata or {}),
        **unit_note(unit),
        **({"command": command} if command else {}),
    }
    paths = [
        write_table(accounts.table, out_dir / "accounts.csv", metadata=meta),
        write_table(accounts.flows, out_dir / "flows.csv", metadata=meta),
    ]
    if sensitivity is not None:
        option = str(sensitivity["option"].iloc[0])
        sensitivity_meta = {
            **meta,
            "what": f"CBA and EEE under two treatments of {option} (docs/methods.md, 'The output gap of "
            f"rounded tables'); relative_change = (second - first) / |first|; flagged where "
            f"|relative_change| > {SENSITIVITY_FLAG:.0%}",
            # the two treatments are read as the source publishes them, whatever the series' principle
            "emissions_principle": "residence",
            "emissions_principle_note": "computed from the source's emissions as published",
        }
        paths.append(
            write_table(sensitivity, out_dir / "output_gap_sensitivity.csv", metadata=sensitivity_meta)
        )
    if derived is not None:
        source = f"{meta.get('source')} ({meta.get('version')})"
        principle = str(meta.get("emissions_principle", "residence"))
        tables = derived.tables(
            accounts.table, benchmark_years or {}, source=source, emissions_principle=principle
        )
        for name, (table, table_meta) in tables.items():
            kept = ("source", "version", "command", "emissions_principle")
            provenance: dict[str, Any] = {k: meta[k] for k in kept if k in meta}
            paths.append(write_table(table, out_dir / name, metadata={**provenance, **table_meta}))
    write_manifest(out_dir, [p for path in paths for p in (path, metadata_path(path))], years=years)
    return paths


def write_manifest(out_dir: Path, files: Sequence[Path], *, years: Sequence[int]) -> Path:
    """Record `files` (with their SHA-256) as the tables of one run of the series in `out_dir`."""
    from mrio_tools.io.output import atomic_write

    manifest = {
        "what": "the tables of one run of the series; a folder without this file may mix two runs",
        "years": [int(y) for y in years],
        "files": {p.name: file_digest(p) for p in files},
    }
    text = json.dumps(manifest, indent=1, sort_keys=True)
    return atomic_write(out_dir / MANIFEST, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))


def check_manifest(out_dir: Path) -> dict[str, Any]:
    """The folder's manifest, after checking every table it lists; `DataFileError` naming the fix."""
    path = out_dir / MANIFEST
    fix = "Fix: run the series command again (it recomputes no year that is current)"
    if not path.is_file():
        raise DataFileError(
            f"{out_dir}: no {MANIFEST}, so the series tables may come from an interrupted run or from "
            f"two runs. {fix}"
        )
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for name, digest in manifest["files"].items():
        table = out_dir / name
        if not table.is_file() or file_digest(table) != digest:
            raise DataFileError(f"{table}: missing or changed since the run that wrote {path}. {fix}")
    return manifest


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
    "SeriesJob",
    "SeriesResult",
    "YearDone",
    "accounts_series",
    "parse_years",
    "read_partitions",
    "run_series",
    "run_year",
    "write_series",
]
