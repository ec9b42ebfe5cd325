"""The store: parsed tables on disk, keyed by what they were made from, written atomically.

A source-year is parsed once and saved as columnar files (one ``.npz`` of the blocks, uncompressed so
that loading is a copy, and one JSON of labels, units and provenance). The key is a SHA-256 of

- the content of every raw file the year was read from (`mrio_tools.sources.registry.source_files`),
- the source, the year, the reader's options and the stressor selection,
- the package version and a hash of its engine code (new code may read the same files differently),

so a changed input or option is a miss, never a stale hit. An entry is built in a temporary folder
beside its final place and renamed into it: a killed run leaves no entry, never a half-written one.
File hashes are kept per process by (path, size, modification time), since one emissions workbook
serves every year.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mrio_tools.io.folders import swap_folder
from mrio_tools.mrio.container import MRIO

#: bump when the layout of an entry changes (old entries then miss instead of failing)
STORE_LAYOUT = 1
_HASH_CHUNK = 1 << 22
_file_hashes: dict[tuple[str, int, int], str] = {}


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


def mrio_to_files(mrio: MRIO, folder: Path) -> None:
    """Write `mrio` as ``blocks.npz`` + ``mrio.json`` into `folder` (which must exist)."""
    arrays: dict[str, np.ndarray] = {
        "Z": mrio.Z.to_numpy(dtype=np.float64),
        "Y": mrio.Y.to_numpy(dtype=np.float64),
        "F": mrio.F.to_numpy(dtype=np.float64),
        "F_Y": mrio.F_Y.to_numpy(dtype=np.float64),
    }
    extra: dict[str, Any] = {}
    if mrio.population is not None:
        arrays["population"] = mrio.population.to_numpy(dtype=np.float64)
        extra["population"] = {"index": _labels(mrio.population.index), "name": mrio.population.name}
    if mrio.value_added is not None:
        arrays["value_added"] = mrio.value_added.to_numpy(dtype=np.float64)
        extra["value_added"] = {
            "index": _labels(mrio.value_added.index),
            "columns": _labels(mrio.value_added.columns),
        }
    np.savez(folder / "blocks.npz", **arrays)  # type: ignore[arg-type]
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
    (folder / "mrio.json").write_text(json.dumps(description), encoding="utf-8")


def mrio_from_files(folder: Path) -> MRIO:
    """The `MRIO` that `mrio_to_files` wrote into `folder` (validated again on construction)."""
    description = json.loads((folder / "mrio.json").read_text(encoding="utf-8"))
    with np.load(folder / "blocks.npz") as blocks:
        arrays = {name: blocks[name] for name in blocks.files}
    rows, columns = _index(description["rows"]), _index(description["final_demand"])
    stressors = _index(description["stressors"])
    population = value_added = None
    if "population" in description:
        spec = description["population"]
        population = pd.Series(arrays["population"], index=_index(spec["index"]), name=spec["name"])
    if "value_added" in description:
        spec = description["value_added"]
        value_added = pd.DataFrame(
            arrays["value_added"], index=_index(spec["index"]), columns=_index(spec["columns"])
        )
    return MRIO(
        Z=pd.DataFrame(arrays["Z"], index=rows, columns=rows.copy()),
        Y=pd.DataFrame(arrays["Y"], index=rows.copy(), columns=columns),
        F=pd.DataFrame(arrays["F"], index=stressors, columns=rows.copy()),
        F_Y=pd.DataFrame(arrays["F_Y"], index=stressors.copy(), columns=columns.copy()),
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
        return (self._entry(key) / "mrio.json").is_file()

    def load(self, key: str) -> MRIO | None:
        """The stored table of `key`, or None on a miss."""
        return mrio_from_files(self._entry(key)) if self.has(key) else None

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
