"""Assembling a series: the checked partitions into the series tables, swapped in with the manifest.

See `mrio_tools.series.folder` for the folder format and `mrio_tools.series.run` for the run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from mrio_tools.accounts.national import Accounts
from mrio_tools.context.request import DerivedRequest
from mrio_tools.errors import DataFileError
from mrio_tools.io.output import swap_files, table_files
from mrio_tools.series.folder import (
    MANIFEST,
    check_manifest,
    checked_partition,
    manifest_text,
    note,
    partition_dir,
)
from mrio_tools.series.sensitivity import SENSITIVITY_FLAG
from mrio_tools.series.tasks import unit_note


def remove_unlisted(out_dir: Path, earlier: Sequence[Path]) -> None:
    """Remove the series tables of earlier runs that the new manifest does not list."""
    listed_now = set(check_manifest(out_dir)["files"])
    for path in earlier:
        if path.name not in listed_now and path.is_file():
            try:
                path.unlink()
            except OSError as error:
                raise DataFileError(
                    f"{path}: a table of an earlier run that this run's manifest does not list, and it "
                    f"cannot be removed ({error}); the report ignores it. Fix: remove it by hand"
                ) from error
            note(f"removed {path}: a table of an earlier run that this run does not write")


def partition_regions(out_dir: Path, year: int) -> list[str]:
    """The regions of `year`'s saved partition (its accounts' region column)."""
    path = partition_dir(out_dir, year) / "accounts.parquet"
    return sorted(pd.read_parquet(path, columns=["region"])["region"].astype(str).unique())


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
    """The saved partitions of `years` as one `Accounts` (with ``basis``) and the sensitivity table.

    Every partition's files are checked against their checksums first (`folder.checked_partition`).
    """
    tables, flows, sensitivity, per_year = [], [], [], {}
    for year in years:
        folder = partition_dir(out_dir, year)
        meta = checked_partition(folder)
        try:
            tables.append(pd.read_parquet(folder / "accounts.parquet"))
            flows.append(pd.read_parquet(folder / "flows.parquet"))
            if (folder / "sensitivity.parquet").is_file():
                sensitivity.append(pd.read_parquet(folder / "sensitivity.parquet"))
        except (OSError, ValueError) as error:
            raise DataFileError(
                f"{folder}: a partition that cannot be read ({error}). Fix: run the series command again"
            ) from error
        per_year[year] = {**meta["metadata"], "basis": meta["basis"]}
    accounts = Accounts(
        table=pd.concat(tables, ignore_index=True),
        flows=pd.concat(flows, ignore_index=True),
        metadata=merged_metadata(per_year),
    )
    return accounts, (pd.concat(sensitivity, ignore_index=True) if sensitivity else None)


def write_series(
    out_dir: Path,
    years: Sequence[int],
    *,
    command: str | None,
    unit: str | None,
    extra_metadata: Mapping[str, Any] | None = None,
    derived: DerivedRequest | None = None,
    benchmark_years: Mapping[int, int] | None = None,
    run: str | None = None,
) -> list[Path]:
    """Assemble the partitions of `years` into the series tables, then swap them in with the manifest.

    ``accounts.csv``, ``flows.csv``, ``output_gap_sensitivity.csv`` where the source has a sensitivity
    option, and the `derived` tables. Every table, sidecar and the manifest (with the SHA-256 of each)
    are staged first and swapped in together, the manifest last (`io.output.swap_files`): until then
    the old tables and manifest stay as they were, so a folder a report accepted stays readable.

    Parameters
    ----------
    out_dir
        The series folder holding the partitions (`folder.partition_dir`).
    years
        The years of this run (their partitions are checked against their checksums first).
    command
        The command line, recorded in the metadata (None: not recorded).
    unit
        The unit the run converted to (None: the source's), recorded in the metadata.
    extra_metadata
        More metadata for every table (the extension's plan).
    derived
        The derived tables to add (groups, per capita, export intensity, findings), or None.
    benchmark_years
        Estimated year -> its benchmark year, for the derived tables' findings.
    run
        The run's id, recorded in the manifest.

    Returns
    -------
    list of Path
        The series tables written (without their sidecars and the manifest).
    """
    accounts, sensitivity = read_partitions(out_dir, years)
    meta = {
        **accounts.metadata,
        **(extra_metadata or {}),
        **unit_note(unit),
        **({"command": command} if command else {}),
    }
    tables: list[tuple[pd.DataFrame, str, Mapping[str, Any]]] = [
        (accounts.table, "accounts.csv", meta),
        (accounts.flows, "flows.csv", meta),
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
        tables.append((sensitivity, "output_gap_sensitivity.csv", sensitivity_meta))
    if derived is not None:
        source = f"{meta.get('source')} ({meta.get('version')})"
        principle = str(meta.get("emissions_principle", "residence"))
        for name, (table, table_meta) in derived.tables(
            accounts.table, benchmark_years or {}, source=source, emissions_principle=principle
        ).items():
            kept = ("source", "version", "command", "emissions_principle")
            provenance: dict[str, Any] = {k: meta[k] for k in kept if k in meta}
            tables.append((table, name, {**provenance, **table_meta}))
    files = [
        f
        for table, name, table_meta in tables
        for f in table_files(table, out_dir / name, metadata=table_meta)
    ]
    digests = {path.name: hashlib.sha256(data).hexdigest() for path, data in files}
    files.append((out_dir / MANIFEST, manifest_text(digests, years=years, run=run).encode()))
    swap_files([(path, _writer(data)) for path, data in files])
    return [out_dir / name for _, name, _ in tables]


def _writer(data: bytes) -> Callable[[Path], object]:
    return lambda tmp: tmp.write_bytes(data)


__all__ = ["merged_metadata", "partition_regions", "read_partitions", "remove_unlisted", "write_series"]
