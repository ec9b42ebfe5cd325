"""Operating-system errors while writing, as `OutputError`s naming the path and the fix; temporary names.

Shared by the file writes (`mrio_tools.io.output`) and the folder swap (`mrio_tools.io.folders`). Every
temporary file or folder starts with `TEMP_PREFIX` and is short, so that any legal target name works.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from mrio_tools.errors import OutputError

#: longest file name (bytes) that common file systems (ext4, APFS, NTFS) accept
NAME_MAX = 255
#: first characters of every temporary file or folder the writers make beside their targets
TEMP_PREFIX = ".mrio-"
TEMP_SUFFIX = ".tmp"


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


def temp_file(folder: Path) -> Path:
    """A new empty temporary file in `folder` (short name, `TEMP_PREFIX`...`TEMP_SUFFIX`)."""
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    os.close(fd)
    return Path(name)
