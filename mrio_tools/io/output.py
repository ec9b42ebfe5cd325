"""Writing results to disk (the I/O edge): atomic writes of long tables, folders swapped in whole.

A table is first written to a temporary file beside its target and then renamed over it, so an
interrupted run never leaves a half-written file and never destroys a user's existing output. The
temporary name is short (`.mrio-XXXXXXXX.tmp`) so that any legal target name works. The metadata goes
into a sidecar JSON (`accounts.csv` -> `accounts.meta.json`).

Before any computation, `check_output_paths` refuses outputs that coincide with each other or with an
input, and folders that cannot be written; every operating-system error while writing becomes an
`OutputError` naming the path and the fix. Files that belong together (a table and its sidecar,
accounts and flows, a series' tables and their manifest) are staged and swapped in together, the old
ones restored if a rename fails (`swap_files`). A folder of results (report, series partition, store
entry) is swapped in by the one folder swap of `mrio_tools.io.folders` (re-exported here).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mrio_tools.errors import OutputError
from mrio_tools.io.failures import NAME_MAX, TEMP_PREFIX, output_error, temp_file
from mrio_tools.io.folders import recover_folder, replace_folder_atomically, swap_folder
from mrio_tools.schema import check_long_table, long_table_kind

#: table formats `write_table` writes, by file suffix
TABLE_WRITERS: Mapping[str, Callable[[pd.DataFrame, Path], object]] = {
    ".csv": lambda df, tmp: df.to_csv(tmp, index=False, float_format="%.17g"),
    ".parquet": lambda df, tmp: df.to_parquet(tmp, index=False),
}


def _temp_file(folder: Path) -> Path:
    # one name for every temporary file this module makes (tests simulate failures through it)
    return temp_file(folder)


def check_table_path(path: Path) -> Path:
    """`path` if `write_table` can write it (a known suffix); else `OutputError` naming it and the fix."""
    if path.suffix.lower() not in TABLE_WRITERS:
        raise OutputError(
            f"{path}: unknown table format {path.suffix!r}; name the file {' or '.join(TABLE_WRITERS)}"
        )
    return path


def atomic_write(path: Path, write: Callable[[Path], object]) -> Path:
    """Call `write(tmp)` for a temporary file in `path`'s folder, then rename it to `path`.

    An `OSError` (read-only folder, a file where a folder should be, disk full) becomes `OutputError`
    naming `path`; any other error of `write` passes through. The existing `path` is kept on failure.
    """
    return swap_files([(path, write)])[0]


def swap_files(targets: Sequence[tuple[Path, Callable[[Path], object]]]) -> list[Path]:
    """Write every target (`write(tmp)` into a temporary file beside it), then swap all in, or none.

    Stage: each file is written to a temporary sibling; a failure there (disk full, read-only folder)
    leaves every existing target as it was. Swap: each old target is first kept under a hard link (a
    copy where links are not possible), then the staged files are renamed into place in order; if a
    rename fails, the targets already replaced are restored from their kept copies (and new ones
    removed), so the caller sees the old files or the new ones, never a mix. `OSError`s become
    `OutputError` naming the path at fault; the last target is swapped last (put a manifest there).
    """
    staged: list[tuple[Path, Path]] = []
    kept: list[tuple[Path, Path | None]] = []
    try:
        for path, write in targets:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = _temp_file(path.parent)
            except OSError as error:
                raise output_error(path, error) from error
            staged.append((tmp, path))
            try:
                write(tmp)
                # mkstemp creates 0600; give the result the usual permissions (or keep the old file's)
                os.chmod(tmp, path.stat().st_mode & 0o777 if path.is_file() else 0o644)
            except OSError as error:
                raise output_error(path, error) from error
        if len(staged) > 1:
            for _, path in staged:
                kept.append((path, _keep(path)))
        done: list[int] = []
        for i, (tmp, path) in enumerate(staged):
            try:
                os.replace(tmp, path)
            except OSError as error:
                _restore([kept[j] for j in done])
                raise output_error(path, error) from error
            done.append(i)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        for _, copy in kept:
            if copy is not None:
                copy.unlink(missing_ok=True)
    return [path for _, path in staged]


def _keep(path: Path) -> Path | None:
    """A hard link (or copy) of the existing `path` beside it, to restore it; None when absent."""
    if not path.is_file():
        return None
    try:
        copy = _temp_file(path.parent)
        copy.unlink()
        try:
            os.link(path, copy)
        except OSError:
            shutil.copy2(path, copy)
    except OSError as error:
        raise output_error(
            path, error, action="cannot keep a copy of the old file while replacing it"
        ) from error
    return copy


def _restore(replaced: Sequence[tuple[Path, Path | None]]) -> None:
    """Put back the old files of `replaced` (remove the ones that did not exist before)."""
    for path, copy in reversed(replaced):
        try:
            if copy is None:
                path.unlink(missing_ok=True)
            else:
                os.replace(copy, path)
        except OSError:  # keep restoring the others; the first error is the one reported
            continue


# ------------------------------------------------- paths as outputs name them (no absolute paths)
#: the project folder (a clone's root: the folder holding pyproject.toml above the package)
_PROJECT = Path(__file__).resolve().parents[2]
#: an absolute path inside text (a command line, a note): '/' not preceded by a word character
_ABSOLUTE = re.compile(r"(?<![\w.~])/[^\s\"'<>|,;=]+")


def display_path(path: Path | str) -> str:
    """`path` as every output names it: never absolute, so outputs do not reveal or depend on the
    machine that built them.

    Relative to the working folder when inside it, else relative to the project folder, else the
    file's name with the start of its SHA-256 (``name (sha256 1a2b...)``), or a folder's name.
    A relative path is returned as given.
    """
    given = Path(path)
    if not given.is_absolute():
        return given.as_posix()
    resolved = given.resolve()
    for root in (Path.cwd().resolve(), _PROJECT):
        if resolved == root or root in resolved.parents:
            return resolved.relative_to(root).as_posix() or "."
    if resolved.is_file():
        digest = hashlib.sha256(resolved.read_bytes()).hexdigest()
        return f"{resolved.name} (sha256 {digest[:16]})"
    return resolved.name


def display_text(text: str) -> str:
    """`text` with every absolute path of this machine in it replaced by its `display_path`."""

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        top = found.split("/")[1]
        return display_path(found) if top and Path("/", top).exists() else found

    return _ABSOLUTE.sub(replace, text) if "/" in text else text


def display_command(argv: Sequence[str]) -> str:
    """A command line for the metadata: the program as `mrio-tools`, paths by `display_text`."""
    return " ".join(["mrio-tools", *(display_text(a) for a in argv[1:])])


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return display_path(value)
    if isinstance(value, str):
        return display_text(value)
    return value


def output_metadata(value: Any) -> Any:
    """Metadata as written next to every output: JSON types, no absolute path (`display_text`)."""
    return _jsonable(value)


def metadata_path(path: Path) -> Path:
    """The sidecar metadata file of a table: `name.csv` -> `name.meta.json`."""
    return path.with_name(path.stem + ".meta.json")


def _metadata_text(metadata: Mapping[str, Any]) -> str:
    return json.dumps(_jsonable(metadata), indent=2, sort_keys=True, default=str) + "\n"


def check_schema(df: pd.DataFrame, path: Path) -> None:
    """`OutputError` naming `path` when an accounts or flows table breaks the long schema."""
    kind = long_table_kind(df)
    if kind is None:
        return
    try:
        check_long_table(df, flows=kind == "flows")
    except ValueError as error:
        raise OutputError(f"{path}: not written, the {kind} table breaks the long schema: {error}") from error


def write_table(df: pd.DataFrame, path: Path, *, metadata: Mapping[str, Any]) -> Path:
    """Write a long table as CSV or parquet (by suffix) and its metadata as a sidecar JSON, both or neither.

    An accounts or flows table (`schema.long_table_kind`) is checked against the long schema first
    (`schema.check_long_table`): nothing is written when it breaks it. The table and its sidecar are
    staged and swapped in together (`swap_files`).
    """
    return write_tables_together([(df, path)], metadata=metadata)[0]


def table_bytes(df: pd.DataFrame, path: Path) -> bytes:
    """The bytes `write_table` writes for `df` at `path` (CSV or parquet by suffix)."""
    suffix = check_table_path(path).suffix.lower()
    if suffix == ".csv":
        return df.to_csv(index=False, float_format="%.17g").encode("utf-8")
    data = df.to_parquet(None, index=False)
    assert isinstance(data, bytes)
    return data


def table_files(df: pd.DataFrame, path: Path, *, metadata: Mapping[str, Any]) -> list[tuple[Path, bytes]]:
    """A table and its sidecar as (path, bytes), the long schema checked first (`check_schema`)."""
    check_schema(df, path)
    try:
        data = table_bytes(df, path)
    except OSError as error:
        raise output_error(path, error) from error
    return [(path, data), (metadata_path(path), _metadata_text(metadata).encode("utf-8"))]


def write_tables_together(
    tables: Sequence[tuple[pd.DataFrame, Path]], *, metadata: Mapping[str, Any]
) -> list[Path]:
    """Write several tables (each with its sidecar) so that either all are replaced or none is.

    Every table and sidecar is first written to a temporary file beside its target; only when all of
    them are written are they renamed into place, and if a rename fails the ones already replaced are
    restored (`swap_files`). A failure leaves every existing output as it was. Raises `OutputError`
    naming the path at fault.
    """
    files = [file for df, path in tables for file in table_files(df, path, metadata=metadata)]
    seen = [p.resolve() for p, _ in files]
    if len(set(seen)) != len(seen):
        raise OutputError(f"{[str(p) for p, _ in files]}: two outputs are the same file; give each its own")
    swap_files([(path, functools.partial(_write_bytes, data)) for path, data in files])
    return [path for _, path in tables]


def _write_bytes(data: bytes, tmp: Path) -> None:
    tmp.write_bytes(data)


# ------------------------------------------------------------ checks before computing
def _nearest_existing(path: Path) -> Path:
    current = path
    while not current.exists() and current != current.parent:
        current = current.parent
    return current


def _probe(folder: Path, output: Path) -> None:
    """Create and remove a small file in `folder`: proves that outputs can be written there."""
    try:
        probe = _temp_file(folder)
    except OSError as error:
        raise output_error(output, error, action=f"cannot write into {folder}") from error
    probe.unlink(missing_ok=True)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output_paths(outputs: Sequence[Path], inputs: Sequence[Path]) -> list[Path]:
    """Check, before any computation, that `outputs` can be written without harm; return them resolved.

    Raises `OutputError` naming the path and the fix when two outputs are the same file (symbolic links
    resolved; table sidecars `NAME.meta.json` included), an output is an input, a folder holding an
    input (a report folder is replaced as a whole) or a path inside an input folder, a table output
    is an existing folder, a name is longer than the file system allows (its sidecar included), or
    the output's folder cannot be created or written (a file in the path, a read-only folder, /proc).
    Writability is tested by creating and removing a small probe file in the nearest existing
    folder; existing outputs are not touched.
    """
    resolved_inputs = [(Path(p), Path(p).resolve()) for p in inputs]
    claimed: dict[Path, Path] = {}
    result = []
    for output in map(Path, outputs):
        is_table = output.suffix.lower() in TABLE_WRITERS
        files = [output, metadata_path(output)] if is_table else [output]
        for file in files:
            if len(file.name.encode()) > NAME_MAX:
                raise OutputError(
                    f"{output}: the name {file.name[:40]}... is {len(file.name.encode())} bytes, longer than "
                    f"the {NAME_MAX} a file system allows"
                    + (" (the sidecar metadata file adds '.meta.json')" if file != output else "")
                    + ". Fix: shorten the name"
                )
            real = file.resolve()
            if real in claimed:
                raise OutputError(
                    f"{output}: the same file as the output {claimed[real]} ({real}). Fix: give each output "
                    "its own name (a table's NAME.meta.json sidecar counts too)"
                )
            claimed[real] = output
            for given, real_input in resolved_inputs:
                if real == real_input or (not is_table and _inside(real_input, real)):
                    raise OutputError(
                        f"{output}: would overwrite the input {given}"
                        + ("" if real == real_input else " (an output folder is replaced as a whole)")
                        + ". Fix: write the output elsewhere; inputs are never overwritten"
                    )
                if real_input.is_dir() and _inside(real, real_input):
                    raise OutputError(
                        f"{output}: is inside the input folder {given}, whose files are read as inputs "
                        "(and could be overwritten). Fix: write the output outside every input folder"
                    )
        real_output = output.resolve()
        if is_table and real_output.is_dir():
            raise OutputError(
                f"{output}: is a folder, not a file. Fix: give a file name, e.g. {output}/accounts.csv"
            )
        if not is_table and real_output.exists() and not real_output.is_dir():
            raise OutputError(f"{output}: is a file, not a folder. Fix: give a folder path")
        existing = _nearest_existing(real_output.parent)
        if not existing.is_dir():
            raise OutputError(
                f"{output}: {existing} is a file, so no folder can be made under it. Fix: choose another path"
            )
        _probe(existing, output)
        result.append(real_output)
    return result


__all__ = [
    "NAME_MAX",
    "TEMP_PREFIX",
    "atomic_write",
    "check_output_paths",
    "check_table_path",
    "metadata_path",
    "output_error",
    "recover_folder",
    "replace_folder_atomically",
    "swap_files",
    "swap_folder",
    "table_bytes",
    "table_files",
    "write_table",
    "write_tables_together",
]
