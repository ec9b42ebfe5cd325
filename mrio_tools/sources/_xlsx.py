"""Opening publishers' xlsx workbooks read-only, with an error that names the file and the fix."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from ..errors import DataFileError


def open_workbook(path: Path, *, fix: str) -> Any:
    """The workbook at `path` opened read-only with cached values; `DataFileError` (ending in `fix`) if the
    file is missing or is not a readable xlsx. The caller closes it."""
    import openpyxl  # only the readers that need it pay for the import
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.is_file():
        raise DataFileError(f"{path}: no such file. Fix: {fix}")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError) as exc:
        raise DataFileError(
            f"{path}: not a readable xlsx workbook ({type(exc).__name__}: {exc}). Fix: {fix}"
        ) from exc
