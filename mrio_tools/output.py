"""Writing results to disk (the I/O edge): atomic writes of long tables with their metadata.

A table is first written to a temporary file beside its target and then renamed over it, so an
interrupted run never leaves a half-written file and never destroys a user's existing output. The
metadata goes into a sidecar JSON (`accounts.csv` -> `accounts.meta.json`).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import OutputError

#: table formats `write_table` writes, by file suffix
TABLE_WRITERS: Mapping[str, Callable[[pd.DataFrame, Path], object]] = {
    ".csv": lambda df, tmp: df.to_csv(tmp, index=False, float_format="%.17g"),
    ".parquet": lambda df, tmp: df.to_parquet(tmp, index=False),
}


def check_table_path(path: Path) -> Path:
    """`path` if `write_table` can write it (a known suffix); else `OutputError` naming it and the fix."""
    if path.suffix.lower() not in TABLE_WRITERS:
        raise OutputError(
            f"{path}: unknown table format {path.suffix!r}; name the file {' or '.join(TABLE_WRITERS)}"
        )
    return path


def atomic_write(path: Path, write: Callable[[Path], object]) -> Path:
    """Call `write(tmp)` for a temporary file in `path`'s folder, then rename it to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        # mkstemp creates 0600; give the result the usual permissions (or keep the replaced file's)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    return value


def metadata_path(path: Path) -> Path:
    """The sidecar metadata file of a table: `name.csv` -> `name.meta.json`."""
    return path.with_name(path.stem + ".meta.json")


def write_table(df: pd.DataFrame, path: Path, *, metadata: Mapping[str, Any]) -> Path:
    """Write a long table as CSV or parquet (by suffix) and its metadata as a sidecar JSON, atomically."""
    write = TABLE_WRITERS[check_table_path(path).suffix.lower()]
    atomic_write(path, lambda tmp: write(df, tmp))
    text = json.dumps(_jsonable(metadata), indent=2, sort_keys=True, default=str)
    atomic_write(metadata_path(path), lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))
    return path
