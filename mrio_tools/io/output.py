"""Writing results to disk (the I/O edge): atomic writes of long tables, folders swapped in whole.

A table is first written to a temporary file beside its target and then renamed over it, so an
interrupted run never leaves a half-written file and never destroys a user's existing output. The
temporary name is short (`.mrio-XXXXXXXX.tmp`) so that any legal target name works. The metadata goes
into a sidecar JSON (`accounts.csv` -> `accounts.meta.json`).

Before any computation, `check_output_paths` refuses outputs that coincide with each other or with an
input, and folders that cannot be written; every operating-system error while writing becomes an
`OutputError` naming the path and the fix. A folder of results (report, series) is built beside its
target and swapped in by `replace_folder_atomically`: an interrupted run leaves the old folder or the
new one, never a mix, and the next run repairs what an interruption left.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mrio_tools.errors import OutputError
from mrio_tools.schema import check_long_table, long_table_kind

#: table formats `write_table` writes, by file suffix
TABLE_WRITERS: Mapping[str, Callable[[pd.DataFrame, Path], object]] = {
    ".csv": lambda df, tmp: df.to_csv(tmp, index=False, float_format="%.17g"),
    ".parquet": lambda df, tmp: df.to_parquet(tmp, index=False),
}
#: longest file name (bytes) that common file systems (ext4, APFS, NTFS) accept
NAME_MAX = 255
_TEMP_PREFIX = ".mrio-"
_TEMP_SUFFIX = ".tmp"


def check_table_path(path: Path) -> Path:
    """`path` if `write_table` can write it (a known suffix); else `OutputError` naming it and the fix."""
    if path.suffix.lower() not in TABLE_WRITERS:
        raise OutputError(
            f"{path}: unknown table format {path.suffix!r}; name the file {' or '.join(TABLE_WRITERS)}"
        )
    return path


def output_error(path: Path, error: OSError, action: str = "cannot write") -> OutputError:
    """An `OutputError` for an operating-system error on `path`: what went wrong and the fix."""
    code = error.errno
    if isinstance(error, PermissionError) or code in (errno.EACCES, errno.EPERM, errno.EROFS):
        fix = "choose a folder you may write to (--out/--out-dir), or change its permissions"
    elif isinstance(error, NotADirectoryError | FileExistsError) or code in (errno.ENOTDIR, errno.EEXIST):
        fix = "a part of the path is a file, not a folder: choose another path or move that file"
    elif isinstance(error, IsADirectoryError) or code == errno.EISDIR:
        fix = "the path is a folder: give a file name inside it"
    elif code == errno.ENAMETOOLONG:
        fix = f"shorten the file name (at most {NAME_MAX} bytes per name)"
    elif code == errno.ENOSPC or code == errno.EDQUOT:
        fix = "free disk space or write to another disk"
    else:
        fix = "choose a path on a writable local folder"
    reason = error.strerror or type(error).__name__
    return OutputError(f"{path}: {action} ({reason}). Fix: {fix}")


def _temp_file(folder: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX, dir=folder)
    os.close(fd)
    return Path(name)


def atomic_write(path: Path, write: Callable[[Path], object]) -> Path:
    """Call `write(tmp)` for a temporary file in `path`'s folder, then rename it to `path`.

    An `OSError` (read-only folder, a file where a folder should be, disk full) becomes `OutputError`
    naming `path`; any other error of `write` passes through. The existing `path` is kept on failure.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temp_file(path.parent)
    except OSError as error:
        raise output_error(path, error) from error
    try:
        write(tmp)
        # mkstemp creates 0600; give the result the usual permissions (or keep the replaced file's)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.is_file() else 0o644)
        os.replace(tmp, path)
    except OSError as error:
        raise output_error(path, error) from error
    finally:
        tmp.unlink(missing_ok=True)
    return path


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
    """Write a long table as CSV or parquet (by suffix) and its metadata as a sidecar JSON, atomically.

    An accounts or flows table (`schema.long_table_kind`) is checked against the long schema first
    (`schema.check_long_table`): nothing is written when it breaks it.
    """
    check_schema(df, path)
    write = TABLE_WRITERS[check_table_path(path).suffix.lower()]
    atomic_write(path, lambda tmp: write(df, tmp))
    text = _metadata_text(metadata)
    atomic_write(metadata_path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return path


def _call_writer(writer: Callable[[pd.DataFrame, Path], object], df: pd.DataFrame, tmp: Path) -> None:
    writer(df, tmp)


def _write_text(text: str, tmp: Path) -> None:
    tmp.write_text(text, encoding="utf-8")


def write_tables_together(
    tables: Sequence[tuple[pd.DataFrame, Path]], *, metadata: Mapping[str, Any]
) -> list[Path]:
    """Write several tables (each with its sidecar) so that either all are replaced or none is.

    Every table and sidecar is first written to a temporary file beside its target; only when all of
    them are written are they renamed into place. A failure while writing (disk full, a read-only
    folder) leaves every existing output as it was. Raises `OutputError` naming the path at fault.
    """
    targets: list[tuple[Path, Callable[[Path], object]]] = []
    text = _metadata_text(metadata)
    for df, path in tables:
        check_schema(df, path)
        writer = TABLE_WRITERS[check_table_path(path).suffix.lower()]
        targets.append((path, functools.partial(_call_writer, writer, df)))
        targets.append((metadata_path(path), functools.partial(_write_text, text)))
    seen = [p.resolve() for p, _ in targets]
    if len(set(seen)) != len(seen):
        raise OutputError(f"{[str(p) for p, _ in targets]}: two outputs are the same file; give each its own")
    written: list[tuple[Path, Path]] = []
    try:
        for path, write in targets:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = _temp_file(path.parent)
            except OSError as error:
                raise output_error(path, error) from error
            written.append((tmp, path))
            try:
                write(tmp)
                os.chmod(tmp, path.stat().st_mode & 0o777 if path.is_file() else 0o644)
            except OSError as error:
                raise output_error(path, error) from error
        for tmp, path in written:
            try:
                os.replace(tmp, path)
            except OSError as error:
                raise output_error(path, error) from error
    finally:
        for tmp, _ in written:
            tmp.unlink(missing_ok=True)
    return [path for _, path in tables]


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
    resolved; table sidecars `NAME.meta.json` included), an output is an input or a folder holding an
    input (a report folder is replaced as a whole), a table output is an existing folder, a name is
    longer than the file system allows (its sidecar included), or the output's folder cannot be created
    or written (a file in the path, a read-only folder, /proc). Writability is tested by creating and
    removing a small probe file in the nearest existing folder; existing outputs are not touched.
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


# ------------------------------------------------------------ folders swapped in whole
def _tag(target: Path) -> str:
    # short, fixed-length sibling names: any legal folder name stays legal
    return hashlib.sha1(target.name.encode()).hexdigest()[:8]


def _siblings(target: Path, kind: str) -> Iterator[Path]:
    if not target.parent.is_dir():
        return iter(())
    return iter(sorted(target.parent.glob(f"{_TEMP_PREFIX}{kind}-{_tag(target)}-*")))


def recover_folder(target: Path) -> None:
    """Repair what an interrupted `replace_folder_atomically` left beside `target`.

    If `target` is missing, a completely built new folder (`ready`) is moved in, else the old folder
    (`old`) is moved back; every other leftover (half-built `new`, `old`) is deleted.
    """
    try:
        if not target.exists():
            ready = sorted(_siblings(target, "ready"), key=lambda p: p.stat().st_mtime)
            old = list(_siblings(target, "old"))
            if ready:
                os.replace(ready[-1], target)
            elif old:
                os.replace(old[-1], target)
        for kind in ("new", "ready", "old"):
            for leftover in _siblings(target, kind):
                shutil.rmtree(leftover)
    except OSError as error:
        raise output_error(
            target, error, action="cannot clean the leftovers of an interrupted run"
        ) from error


def replace_folder_atomically(build: Callable[[Path], None], target: Path) -> Path:
    """Build a folder with `build(tmp)` beside `target`, then swap it in for the old one.

    Steps: repair leftovers of an interrupted earlier run (`recover_folder`); build into a sibling
    `.mrio-new-*`; rename it `.mrio-ready-*` (marks it complete); rename the old `target` away to
    `.mrio-old-*`; rename the new folder to `target`; delete the old one. A run killed at any point
    leaves `target` as the old folder or the new one (between the two renames `target` is briefly
    absent, and the next run, or `recover_folder`, moves the complete new folder in), never a mix of
    the two. An error in `build` leaves the old folder untouched and removes the half-built one.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: is a file, not a folder. Fix: give a folder path")
    recover_folder(target)
    tag = _tag(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        new = Path(tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}new-{tag}-", dir=target.parent))
    except OSError as error:
        raise output_error(target, error) from error
    try:
        build(new)
        os.chmod(new, 0o755)
        ready = new.with_name(new.name.replace(f"{_TEMP_PREFIX}new-", f"{_TEMP_PREFIX}ready-", 1))
        os.replace(new, ready)
        if target.exists():
            old = new.with_name(new.name.replace(f"{_TEMP_PREFIX}new-", f"{_TEMP_PREFIX}old-", 1))
            os.replace(target, old)
        os.replace(ready, target)
    except BaseException as error:
        shutil.rmtree(new, ignore_errors=True)  # a half-built folder; a complete one is moved in below
        with contextlib.suppress(OutputError):
            recover_folder(target)
        if isinstance(error, OSError):
            raise output_error(target, error) from error
        raise
    recover_folder(target)  # deletes the old folder
    return target
