"""The store: parsed tables on disk, keyed by what they were made from, written atomically.

A source-year is parsed once and saved as one uncompressed ``.npy`` file per block (read on load
straight into one buffer and hashed on the way: the n x n block is not copied) and one JSON of labels,
units and provenance that also records the SHA-256 of every array file and of the description;
loading verifies them, and a damaged entry is set aside and rebuilt (`Store.load`). The key is a SHA-256 of

- the content of every raw file the year was read from (`mrio_tools.sources.registry.source_files`),
- the source, the year, the reader's options and the stressor selection,
- the package version and a hash of its engine code (new code may read the same files differently),

so a changed input or option is a miss, never a stale hit. An entry is built in a temporary folder
beside its final place and renamed into it: a killed run leaves no entry, never a half-written one.
File hashes are kept per process by (path, size, modification time), since one emissions workbook
serves every year.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from mrio_tools.io.folders import swap_folder
from mrio_tools.mrio.container import MRIO

#: bump when the layout of an entry changes (old entries then miss instead of failing)
STORE_LAYOUT = 2
#: the entry's JSON: labels, units, provenance and the SHA-256 of every file
ENTRY_FILE = "mrio.json"
#: arrays are uncompressed .npy files, so that loading can memory-map them
ARRAY_SUFFIX = ".npy"
#: checksum key of the description itself (labels, units, provenance) in the entry's JSON
DESCRIPTION = "description"
#: a damaged entry is renamed to ``<key>.damaged-<timestamp>``
DAMAGED_MARK = ".damaged-"
_HASH_CHUNK = 1 << 22
_file_hashes: dict[tuple[str, int, int], str] = {}


class DamagedEntryError(Exception):
    """A store entry whose files are missing, unreadable or differ from their recorded SHA-256."""


def default_cache_dir() -> Path:
    """The user cache folder of mrio_tools (``~/.cache/mrio_tools`` on Linux), or $MRIO_TOOLS_CACHE."""
    from platformdirs import user_cache_dir

    return Path(os.environ.get("MRIO_TOOLS_CACHE") or user_cache_dir("mrio_tools"))


def file_digest(path: Path) -> str:
    """SHA-256 of a file's content (memoised per process by path, size and modification time)."""
    stat = path.stat()
    memo = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if memo not in _file_hashes:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(_HASH_CHUNK):
                digest.update(chunk)
        _file_hashes[memo] = digest.hexdigest()
    return _file_hashes[memo]


@functools.cache
def engine_digest() -> str:
    """SHA-256 of the code that reads and computes (every module of mrio_tools but the report and CLI).

    Part of every key, so that a changed reader or solver never serves results of the old code, while
    a changed figure does not invalidate any table.
    """
    package = Path(__file__).resolve().parent.parent  # mrio_tools/
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if not path.is_file() or relative.parts[0] in ("report", "cli"):
            continue
        if relative.parts[:2] in (("data", "i18n"), ("data", "boundaries")):  # the report's data
            continue
        if path.suffix not in (".py", ".csv", ".json") or "__pycache__" in relative.parts:
            continue
        digest.update(str(relative).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def make_key(*, files: Iterable[Path], parts: Mapping[str, Any]) -> str:
    """The key of an entry: a hash of the files' contents, of `parts` (JSON with sorted keys) and of the
    package's engine code (`engine_digest`)."""
    from mrio_tools import __version__

    digest = hashlib.sha256()
    description = {
        "layout": STORE_LAYOUT,
        "package_version": __version__,
        "engine": engine_digest(),
        **parts,
    }
    digest.update(json.dumps(description, sort_keys=True, default=str).encode())
    for path in files:
        digest.update(path.name.encode())
        digest.update(file_digest(path).encode())
    return digest.hexdigest()


def _labels(index: pd.Index) -> dict[str, Any]:
    return {"names": list(index.names), "values": [list(v) if isinstance(v, tuple) else v for v in index]}


def _index(spec: Mapping[str, Any]) -> pd.Index:
    names, values = spec["names"], spec["values"]
    if len(names) > 1:
        return pd.MultiIndex.from_tuples([tuple(v) for v in values], names=names)
    return pd.Index(values, name=names[0], dtype=object)


def json_roundtrip(value: Any) -> Any:
    """`value` as it comes back from JSON (tuples become lists, keys strings)."""
    from mrio_tools.io.output import _jsonable

    return json.loads(json.dumps(_jsonable(value), default=str))


def _array_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _description_digest(description: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(description, sort_keys=True).encode()).hexdigest()


def mrio_to_files(mrio: MRIO, folder: Path) -> None:
    """Write `mrio` into `folder` (which must exist): one uncompressed ``<block>.npy`` per array and
    ``mrio.json`` holding the labels, units and provenance plus the SHA-256 of every array file and of
    the description (checked by `mrio_from_files`)."""
    arrays: dict[str, Any] = {"Z": mrio.Z, "Y": mrio.Y, "F": mrio.F, "F_Y": mrio.F_Y}
    extra: dict[str, Any] = {}
    if mrio.population is not None:
        arrays["population"] = mrio.population
        extra["population"] = {"index": _labels(mrio.population.index), "name": mrio.population.name}
    if mrio.value_added is not None:
        arrays["value_added"] = mrio.value_added
        extra["value_added"] = {
            "index": _labels(mrio.value_added.index),
            "columns": _labels(mrio.value_added.columns),
        }
    checksums: dict[str, str] = {}
    for name, frame in arrays.items():
        path = folder / f"{name}{ARRAY_SUFFIX}"
        # a view where the frame holds one float64 block (Z: no n x n copy); np.save writes C or Fortran
        # order as it finds it
        np.save(path, np.asarray(frame.to_numpy(dtype=np.float64)), allow_pickle=False)
        checksums[path.name] = _array_digest(path)
    description = {
        "rows": _labels(mrio.Z.index),
        "final_demand": _labels(mrio.Y.columns),
        "stressors": _labels(mrio.F.index),
        "monetary_unit": mrio.monetary_unit,
        "stressor_units": dict(mrio.stressor_units),
        "source": mrio.source,
        "version": mrio.version,
        "year": mrio.year,
        "price_basis": mrio.price_basis,
        "notes": json_roundtrip(dict(mrio.notes)),
        **extra,
    }
    description = json_roundtrip(description)
    checksums[DESCRIPTION] = _description_digest(description)
    entry = {"description": description, "checksums": checksums}
    (folder / ENTRY_FILE).write_text(json.dumps(entry), encoding="utf-8")


def _npy_header(handle: BinaryIO) -> tuple[tuple[int, ...], bool, np.dtype[Any]]:
    """(shape, Fortran order, dtype) from the header of the ``.npy`` file open at its start; the handle
    is left where the numbers begin. ValueError when it is not a ``.npy`` header."""
    version = np.lib.format.read_magic(handle)
    read_header = (
        np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    )
    shape, fortran, dtype = read_header(handle)
    return shape, fortran, dtype


def _read_array(path: Path, digest: str) -> np.ndarray:
    """The array of a ``.npy`` file read in chunks into one preallocated buffer (no second copy), its
    bytes hashed on the way; `DamagedEntryError` when the SHA-256 is not `digest` or the size is wrong.

    (Not memory-mapped: a mapped file that is truncated or edited later changes or crashes the tables
    already handed out.)
    """
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        shape, fortran, dtype = _npy_header(handle)
        header = handle.tell()
        handle.seek(0)
        sha.update(handle.read(header))
        if dtype.hasobject:
            raise DamagedEntryError(f"{path.name}: holds objects, not numbers")
        array = np.empty(shape, dtype=dtype, order="F" if fortran else "C")
        view = array.reshape(-1, order="A").view(np.uint8).data  # the buffer itself, as bytes
        done = 0
        # hashing runs beside the reading, chunk by chunk in order (one hashing thread; hashlib and
        # readinto both release the GIL): the check costs no time of its own on two cores
        with ThreadPoolExecutor(max_workers=1) as hasher:
            while done < len(view):
                got = handle.readinto(view[done : done + _HASH_CHUNK])
                if not got:
                    raise DamagedEntryError(
                        f"{path.name}: truncated ({done} of {len(view)} bytes of numbers)"
                    )
                hasher.submit(sha.update, view[done : done + got])
                done += got
        if handle.read(1):
            raise DamagedEntryError(f"{path.name}: longer than its header says")
    if sha.hexdigest() != digest:
        raise DamagedEntryError(f"{path.name}: its content differs from what was written (checksum)")
    return array


def _read_entry(folder: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The description and the arrays of an entry, each checked against its SHA-256.

    Raises `DamagedEntryError` naming the first file that is missing, unreadable or not what was written.
    Each array is read once, straight into its own buffer, and hashed in the same pass.
    """
    try:
        entry = json.loads((folder / ENTRY_FILE).read_text(encoding="utf-8"))
        description, checksums = entry["description"], dict(entry["checksums"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise DamagedEntryError(f"{ENTRY_FILE} is unreadable ({type(err).__name__}: {err})") from err
    if _description_digest(description) != checksums.pop(DESCRIPTION, None):
        raise DamagedEntryError(f"{ENTRY_FILE}: the labels, units or provenance differ from what was written")
    arrays: dict[str, np.ndarray] = {}
    for file_name, digest in checksums.items():
        try:
            arrays[file_name.removesuffix(ARRAY_SUFFIX)] = _read_array(folder / file_name, digest)
        except (OSError, ValueError) as err:
            raise DamagedEntryError(f"{file_name} is unreadable ({type(err).__name__}: {err})") from err
    return description, arrays


def mrio_from_files(folder: Path) -> MRIO:
    """The `MRIO` that `mrio_to_files` wrote into `folder` (checksums verified, validated again).

    Raises `DamagedEntryError` when a file of the entry is missing or differs from what was written.
    """
    description, arrays = _read_entry(folder)
    rows, columns = _index(description["rows"]), _index(description["final_demand"])
    stressors = _index(description["stressors"])
    population = value_added = None
    if "population" in description:
        spec = description["population"]
        population = pd.Series(arrays["population"], index=_index(spec["index"]), name=spec["name"])
    if "value_added" in description:
        spec = description["value_added"]
        value_added = pd.DataFrame(
            arrays["value_added"], index=_index(spec["index"]), columns=_index(spec["columns"]), copy=False
        )
    return MRIO(
        Z=pd.DataFrame(arrays["Z"], index=rows, columns=rows.copy(), copy=False),
        Y=pd.DataFrame(arrays["Y"], index=rows.copy(), columns=columns, copy=False),
        F=pd.DataFrame(arrays["F"], index=stressors, columns=rows.copy(), copy=False),
        F_Y=pd.DataFrame(arrays["F_Y"], index=stressors.copy(), columns=columns.copy(), copy=False),
        monetary_unit=description["monetary_unit"],
        stressor_units=description["stressor_units"],
        source=description["source"],
        version=description["version"],
        year=int(description["year"]),
        price_basis=description["price_basis"],
        notes=description["notes"],
        population=population,
        value_added=value_added,
    )


@dataclass(frozen=True)
class Store:
    """A folder of entries, one subfolder per key (``tables/<key>/``)."""

    root: Path

    def _entry(self, key: str) -> Path:
        return self.root / "tables" / key

    def has(self, key: str) -> bool:
        """Whether a complete entry exists for `key`."""
        return (self._entry(key) / ENTRY_FILE).is_file()

    def rows(self, key: str) -> int | None:
        """Rows of the table stored under `key`, read from its Z array's header; None when there is none.

        Reads a few hundred bytes and verifies nothing (`load` does): for choices that no answer can
        make wrong, only slower (how many years `mrio_tools.series.run` takes at once).
        """
        try:
            with (self._entry(key) / f"Z{ARRAY_SUFFIX}").open("rb") as handle:
                shape = _npy_header(handle)[0]
        except (OSError, ValueError):
            return None
        return int(shape[0]) if len(shape) == 2 else None

    def load(self, key: str) -> MRIO | None:
        """The stored table of `key`, or None on a miss.

        A damaged entry (a file missing, truncated or changed since it was written: its SHA-256 differs)
        is a miss too: it is renamed aside to ``<key>.damaged-<UTC timestamp>`` (kept, never deleted),
        with a one-line note on stderr, so that the caller rebuilds it from the raw files.
        """
        if not self.has(key):
            return None
        entry = self._entry(key)
        try:
            return mrio_from_files(entry)
        except DamagedEntryError as err:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            aside = entry.with_name(f"{entry.name}{DAMAGED_MARK}{stamp}")
            with contextlib.suppress(OSError):  # another worker set it aside first
                os.rename(entry, aside)
            print(
                f"mrio_tools: store entry {entry} is damaged ({err}); set aside as {aside.name}, "
                "rebuilding it from the raw files",
                file=sys.stderr,
            )
            return None

    def save(self, key: str, mrio: MRIO) -> Path:
        """Store `mrio` under `key`: built in a temporary folder, then renamed into place."""
        final = self._entry(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".part-", dir=final.parent))
        try:
            mrio_to_files(mrio, tmp)
            try:
                swap_folder(tmp, final, keep_existing=True)  # the one folder swap (mrio_tools.io.folders)
            except OSError:
                if not self.has(key):  # not another worker's identical entry: a real failure
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return final
