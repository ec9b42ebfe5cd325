"""The series folder format: partitions, the manifest, the lock; no import of the engine.

A series folder ``DIR`` holds

- ``DIR/years/YYYY/``: one partition per year (``accounts.parquet``, ``flows.parquet``, optionally
  ``sensitivity.parquet``, and ``meta.json`` with the year's key, its metadata and the SHA-256 of
  each of its files), swapped in whole (`mrio_tools.io.folders`), checked on every read;
- the series tables (``accounts.csv``, ``flows.csv``, ... each with its ``NAME.meta.json``) and
  ``manifest.json``, which lists every table of the run that wrote them with its SHA-256. The tables
  and the manifest are swapped in together (`mrio_tools.io.output.swap_files`, manifest last): the
  old manifest stays until the new tables are in place, and a reader (the report) reads only the
  tables the manifest lists and checks their hashes (`check_manifest`);
- ``DIR/.mrio-series.lock`` while a run writes the folder (`series_lock`): the run's id, process,
  host and start time; a second run is refused (`FolderInUseError`) while the first lives;
- ``DIR/damaged/``: partitions whose files failed their checksum, set aside for inspection.

The report checks a folder by importing this module only.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import socket
import sys
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mrio_tools.errors import DataFileError, FolderInUseError, OutputError, listed, shown

MANIFEST = "manifest.json"
LOCK = ".mrio-series.lock"
#: where partitions that failed their checksum are moved
DAMAGED = "damaged"
#: file suffixes that count as tables (a series run refuses unknown ones in its folder)
TABLE_SUFFIXES = (".csv", ".parquet", ".json", ".xlsx")
_CHUNK = 1 << 22


def note(text: str) -> None:
    """A note for the user on stderr (a partition set aside, a stale lock taken over)."""
    print(f"mrio-tools: note: {text}", file=sys.stderr)


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's content."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# ------------------------------------------------------------------ partitions
def partition_dir(out_dir: Path, year: int) -> Path:
    """The folder of `year`'s partition."""
    return out_dir / "years" / str(year)


@dataclass(frozen=True)
class PartitionState:
    """What a partition folder holds: ``absent``, ``stale`` (another key), ``current`` or ``damaged``."""

    state: str
    reason: str = ""


def partition_state(folder: Path, key: str) -> PartitionState:
    """Whether the partition in `folder` is current for `key`, with every file matching its checksum."""
    if not folder.exists():
        return PartitionState("absent")
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        stored_key, files = meta["key"], meta.get("files")
    except FileNotFoundError:
        return PartitionState("damaged", f"{folder / 'meta.json'} is missing")
    except (OSError, ValueError, KeyError, TypeError) as error:
        return PartitionState("damaged", f"{folder / 'meta.json'} is not a partition's metadata ({error})")
    if stored_key != key:
        return PartitionState("stale")
    if not isinstance(files, dict) or not files:
        return PartitionState("stale")  # written before partitions carried checksums
    for name, digest in files.items():
        path = folder / str(name)
        if not path.is_file():
            return PartitionState("damaged", f"{path} is missing")
        if sha256_of(path) != digest:
            return PartitionState("damaged", f"{path} does not match its checksum (changed or cut short)")
    return PartitionState("current")


def set_aside(folder: Path, out_dir: Path) -> Path:
    """Move a damaged partition to ``DIR/damaged/YYYY-<time>`` (kept for inspection); its new place."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%f")
    place = out_dir / DAMAGED / f"{folder.name}-{stamp}"
    place.parent.mkdir(parents=True, exist_ok=True)
    os.replace(folder, place)
    return place


def partition_files(folder: Path) -> dict[str, str]:
    """The checksums a partition's meta.json records: every file of `folder` but meta.json."""
    return {p.name: sha256_of(p) for p in sorted(folder.iterdir()) if p.is_file() and p.name != "meta.json"}


def checked_partition(folder: Path) -> dict[str, Any]:
    """The partition's meta.json after checking every file's checksum; `DataFileError` naming the file."""
    fix = "Fix: run the series command again: it sets a damaged partition aside and recomputes it"
    try:
        meta: dict[str, Any] = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        files = dict(meta["files"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DataFileError(f"{folder / 'meta.json'}: not a partition's metadata ({error}). {fix}") from error
    for name, digest in files.items():
        path = folder / str(name)
        if not path.is_file() or sha256_of(path) != digest:
            raise DataFileError(f"{path}: missing or damaged (its checksum does not match). {fix}")
    return meta


# ------------------------------------------------------------------ the manifest
def manifest_text(files: Mapping[str, str], *, years: Sequence[int], run: str | None = None) -> str:
    """The manifest listing `files` (name -> SHA-256) as the tables of one run."""
    manifest = {
        "what": "the tables of one run of the series; a folder without this file may mix two runs",
        "years": [int(y) for y in years],
        "files": dict(files),
        **({"run": run} if run else {}),
    }
    return json.dumps(manifest, indent=1, sort_keys=True) + "\n"


def write_manifest(
    out_dir: Path, files: Sequence[Path], *, years: Sequence[int], run: str | None = None
) -> Path:
    """Record `files` (with their SHA-256) as the tables of one run of the series in `out_dir`."""
    from mrio_tools.io.output import atomic_write

    text = manifest_text({p.name: sha256_of(p) for p in files}, years=years, run=run)
    return atomic_write(out_dir / MANIFEST, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    """The folder's manifest (None when there is none); `DataFileError` naming a malformed one."""
    path = out_dir / MANIFEST
    if not path.is_file():
        return None
    fix = "Fix: run the series command again (it recomputes no year that is current)"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataFileError(f"{path}: not valid JSON ({error}). {fix}") from error
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and "/" not in k and k not in ("", ".", "..")
        for k, v in files.items()
    ):
        raise DataFileError(
            f"{path}: not a series manifest (it needs an object 'files' of table name -> SHA-256). {fix}"
        )
    assert isinstance(manifest, dict)
    return manifest


def check_manifest(out_dir: Path) -> dict[str, Any]:
    """The folder's manifest, after checking every table it lists; `DataFileError` naming the fix."""
    fix = "Fix: run the series command again (it recomputes no year that is current)"
    manifest = read_manifest(out_dir)
    if manifest is None:
        raise DataFileError(
            f"{out_dir}: no {MANIFEST}, so the series tables may come from an interrupted run or from "
            f"two runs. {fix}"
        )
    for name, digest in manifest["files"].items():
        table = out_dir / name
        if not table.is_file() or sha256_of(table) != digest:
            raise DataFileError(
                f"{table}: missing or changed since the run that wrote {out_dir / MANIFEST}. {fix}"
            )
    return manifest


def read_listed(out_dir: Path, name: str, manifest: Mapping[str, Any]) -> bytes | None:
    """The bytes of table `name` if the manifest lists it (checked against its SHA-256), else None."""
    digest = manifest["files"].get(name)
    if digest is None:
        return None
    path = out_dir / name
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DataFileError(f"{path}: listed in {MANIFEST} but cannot be read ({error})") from error
    if hashlib.sha256(data).hexdigest() != digest:
        raise DataFileError(
            f"{path}: changed since the run that wrote {out_dir / MANIFEST}. Fix: run the series "
            "command again"
        )
    return data


# ------------------------------------------------------------------ what a run may find in its folder
def _entries(out_dir: Path) -> list[Path]:
    if not out_dir.is_dir():
        return []
    return sorted(p for p in out_dir.iterdir() if not p.name.startswith(".mrio-"))


def foreign_tables(out_dir: Path, known: Collection[str], keep: Collection[str]) -> list[Path]:
    """Before a run: the tables in `out_dir` it would mix with; `OutputError` if it is not a series folder.

    `known`: names of tables a series run writes (with their sidecars); `keep`: tables of other
    commands that may live beside them (the skill test). A non-empty folder without a manifest or
    ``years/`` is not a series folder: refused, naming its files. In a series folder, a table that is
    neither known, kept nor listed in the manifest is refused too. Returns the series tables found
    (which the run removes when its manifest does not list them).
    """
    entries = _entries(out_dir)
    if not entries:
        return []
    manifest = read_manifest(out_dir)
    if manifest is None and not (out_dir / "years").is_dir():
        raise OutputError(
            f"{out_dir}: not a series folder (no {MANIFEST}, no years/), and it holds "
            f"{listed([shown(p.name) for p in entries])}; a series run would mix its tables with these or "
            "replace them. Fix: give an empty or new folder as --out-dir"
        )
    listed_names = set(manifest["files"]) if manifest else set()
    series_names = {n for name in known for n in (name, _sidecar(name))} | listed_names
    kept_names = {n for name in keep for n in (name, _sidecar(name))} | {MANIFEST}
    tables = [p for p in entries if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES]
    foreign = [p for p in tables if p.name not in series_names | kept_names]
    if foreign:
        raise OutputError(
            f"{out_dir}: holds {listed([shown(p.name) for p in foreign])}, which no series run wrote; a "
            "series run removes every table its manifest will not list. Fix: move these files elsewhere, "
            "or give an empty or new folder as --out-dir"
        )
    return [p for p in tables if p.name in series_names]


def _sidecar(name: str) -> str:
    return Path(name).stem + ".meta.json"


# ------------------------------------------------------------------ the lock
def _holder(path: Path) -> dict[str, Any]:
    try:
        holder = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def _describe(holder: Mapping[str, Any]) -> str:
    return (
        f"run {holder.get('run', '?')} (process {holder.get('pid', '?')} on {holder.get('host', '?')}, "
        f"started {holder.get('started', '?')})"
    )


@contextlib.contextmanager
def series_lock(out_dir: Path, *, run: str) -> Iterator[None]:
    """Hold `out_dir` for run `run`; `FolderInUseError` naming the other run while one lives.

    The lock is an operating-system lock (``flock``) on ``DIR/.mrio-series.lock``, which the system
    releases when its process ends however it ends: a lock file left by a killed run is taken over,
    with a note naming it. The file records the run's id, process, host and start time.
    """
    import fcntl

    path = out_dir / LOCK
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise FolderInUseError(
                    f"{out_dir}: another run writes this series folder now: {_describe(_holder(path))}; two "
                    "runs into one folder would mix their tables. Fix: wait until it ends, or give this run "
                    "another --out-dir"
                ) from None
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)  # the file was replaced by the run that held it; lock the new one
    except OSError as error:
        from mrio_tools.io.failures import output_error

        raise output_error(path, error, action="cannot lock the series folder") from error
    try:
        previous = _holder(path)
        if previous and previous.get("run") != run:
            note(f"{path}: took over the lock of {_describe(previous)}, which no longer runs")
        record = {
            "run": run,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode(), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)


__all__ = [
    "MANIFEST",
    "PartitionState",
    "check_manifest",
    "checked_partition",
    "foreign_tables",
    "manifest_text",
    "partition_dir",
    "partition_state",
    "read_listed",
    "read_manifest",
    "series_lock",
    "set_aside",
    "write_manifest",
]
