"""Reading publishers' zip archives safely (I/O edge): whole archives, members inside the target folder.

Publishers ship tables as zip archives (EXIOBASE, GLORIA, Eora, an xlsx workbook is one too). A
downloaded archive may be cut short, and an archive from elsewhere may name members that would land
outside the extraction folder (`../../.bashrc`, `/etc/passwd`: "zip slip") or be symbolic links
pointing anywhere. This module refuses all three with a `DataFileError` naming the archive, the member
and the fix:

- a truncated or damaged archive (no central directory, a member whose data ends early or whose CRC
  does not match) is reported, and nothing half-extracted is left under its final name;
- a member name that is absolute, has a drive letter, or climbs out with `..` is refused;
- a member that is a symbolic link (or another special file: device, pipe) is refused; only regular
  files and folders are extracted.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Final

from mrio_tools.errors import DataFileError

#: first bytes of a zip archive (local file header)
ZIP_MAGIC: Final = b"PK\x03\x04"
#: errors the zipfile module raises on a damaged archive or member
_DAMAGED: Final = (zipfile.BadZipFile, zlib.error, EOFError, zipfile.LargeZipFile, NotImplementedError)
_FIX: Final = "download the archive again (a cut transfer leaves a truncated file)"


def zip_problem(path: Path, *, required: Iterable[str] = ()) -> str | None:
    """What is wrong with the zip archive at `path` (None when nothing is): not a zip (e.g. an HTML
    page), truncated, a member failing its CRC check, or a `required` member absent."""
    try:
        with path.open("rb") as f:
            head = f.read(512)
    except OSError as err:
        return f"cannot be read ({err.strerror})"
    if not head.startswith(ZIP_MAGIC):
        html = b"<html" in head.lower() or head.lstrip().startswith(b"<")
        what = "an HTML page, not a zip archive" if html else "not a zip archive"
        return f"{what} (it starts with {head[:16]!r})"
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
            names = set(archive.namelist())
    except _DAMAGED as err:
        return f"a truncated or damaged zip archive ({type(err).__name__}: {err})"
    if bad is not None:
        return f"a damaged zip archive (member {bad!r} fails its CRC check)"
    missing = [name for name in required if name not in names]
    if missing:
        return f"a zip archive without the member(s) {missing}"
    return None


def _open(path: Path) -> zipfile.ZipFile:
    if not path.is_file():
        raise DataFileError(f"{path}: no such archive. Fix: {_FIX}")
    try:
        return zipfile.ZipFile(path)
    except _DAMAGED as err:
        raise DataFileError(
            f"{path}: not a readable zip archive, or a truncated one ({type(err).__name__}: {err}). "
            f"Fix: {_FIX}"
        ) from err


def safe_member_path(archive: Path, info: zipfile.ZipInfo) -> PurePosixPath:
    """The member's relative path, after refusing names outside the archive's folder and symbolic links."""
    name = info.filename
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or (posix.parts and ":" in posix.parts[0]) or ".." in posix.parts:
        raise DataFileError(
            f"{archive}: member {name!r} would be written outside the extraction folder (zip slip); "
            "refused. Fix: use the publisher's archive, not one from another source"
        )
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise DataFileError(
            f"{archive}: member {name!r} is a symbolic link; links are not extracted (they can point "
            "anywhere). Fix: use the publisher's archive, which holds plain files"
        )
    # archives written on Windows or by Python's writestr carry no file type: those are plain files
    if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise DataFileError(f"{archive}: member {name!r} is a special file (mode {oct(mode)}); refused")
    return posix


def read_member(archive: Path, member: str) -> bytes:
    """The bytes of one member of `archive`, checked (safe name, a regular file, complete, CRC)."""
    with _open(archive) as zf:
        try:
            info = zf.getinfo(member)
        except KeyError:
            raise DataFileError(
                f"{archive}: no member {member!r} (it holds {len(zf.namelist())} members). Fix: {_FIX}"
            ) from None
        safe_member_path(archive, info)
        try:
            return zf.read(info)
        except _DAMAGED as err:
            raise DataFileError(
                f"{archive}: member {member!r} is truncated or damaged ({type(err).__name__}: {err}). "
                f"Fix: {_FIX}"
            ) from err


def extract_members(archive: Path, dest: Path, members: Iterable[str] | None = None) -> list[Path]:
    """Extract `members` (default: all) of `archive` into `dest`; return the extracted files' paths.

    Every member is checked first (names inside `dest`, no symbolic links or special files); each file
    is written to a temporary name in `dest` and renamed when complete, so a damaged member leaves no
    file under its final name. Raises `DataFileError` naming the archive, the member and the fix.
    """
    dest = Path(dest)
    with _open(archive) as zf:
        infos = zf.infolist() if members is None else [zf.getinfo(m) for m in members]
        checked = [(info, safe_member_path(archive, info)) for info in infos]
        root = dest.resolve()
        written: list[Path] = []
        for info, relative in checked:
            target = dest.joinpath(*relative.parts)
            if root not in target.resolve().parents and target.resolve() != root:
                raise DataFileError(f"{archive}: member {info.filename!r} resolves outside {dest}; refused")
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=".mrio-", suffix=".tmp", dir=target.parent)
            tmp = Path(tmp_name)
            try:
                with zf.open(info) as source, os.fdopen(fd, "wb") as out:
                    shutil.copyfileobj(source, out, 1 << 20)
                os.replace(tmp, target)
            except _DAMAGED as err:
                raise DataFileError(
                    f"{archive}: member {info.filename!r} is truncated or damaged "
                    f"({type(err).__name__}: {err}). Fix: {_FIX}"
                ) from err
            finally:
                tmp.unlink(missing_ok=True)
            written.append(target)
    return written
