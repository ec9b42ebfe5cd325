"""Opening publishers' xlsx workbooks read-only, with an error that names the file and the fix.

openpyxl reads a read-only workbook lazily: a damaged sheet (malformed XML, a truncated member) fails
only while its rows are iterated, with an `xml.etree.ElementTree.ParseError` that names no file. The
workbook returned here therefore wraps its sheets so that such failures, at opening or at reading, are a
`DataFileError` naming the file, the sheet and the fix.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from mrio_tools.errors import DataFileError

#: what openpyxl raises on a damaged workbook: not a zip, a missing or truncated member, malformed XML
#: (ElementTree's ParseError and lxml's XMLSyntaxError are both SyntaxErrors), an unexpected value
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, SyntaxError, ValueError, TypeError)


def _damaged(path: Path, exc: Exception, fix: str, where: str = "") -> DataFileError:
    return DataFileError(
        f"{path}: not a readable xlsx workbook{where} ({type(exc).__name__}: {exc}). Fix: {fix}"
    )


class _Sheet:
    """A read-only worksheet whose row iteration reports a damaged file as `DataFileError`."""

    def __init__(self, sheet: Any, path: Path, fix: str) -> None:
        self._sheet, self._path, self._fix = sheet, path, fix

    def iter_rows(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        try:
            yield from self._sheet.iter_rows(*args, **kwargs)
        except _DAMAGED as exc:
            raise _damaged(self._path, exc, self._fix, f" (sheet {self._sheet.title!r})") from exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sheet, name)


class _Workbook:
    """An openpyxl read-only workbook whose sheets are `_Sheet`s; other attributes pass through."""

    def __init__(self, book: Any, handle: BinaryIO, path: Path, fix: str) -> None:
        self._book, self._handle, self._path, self._fix = book, handle, path, fix

    def close(self) -> None:
        try:
            self._book.close()
        finally:
            self._handle.close()

    @property
    def worksheets(self) -> list[_Sheet]:
        return [_Sheet(sheet, self._path, self._fix) for sheet in self._book.worksheets]

    def __getitem__(self, name: str) -> _Sheet:
        try:
            sheet = self._book[name]
        except KeyError:
            raise
        except _DAMAGED as exc:
            raise _damaged(self._path, exc, self._fix, f" (sheet {name!r})") from exc
        return _Sheet(sheet, self._path, self._fix)

    def __contains__(self, name: str) -> bool:
        return name in self._book.sheetnames

    def __getattr__(self, name: str) -> Any:
        return getattr(self._book, name)


def open_workbook(path: Path, *, fix: str) -> Any:
    """The workbook at `path` opened read-only with cached values; `DataFileError` (ending in `fix`) if the
    file is missing or is not a readable xlsx, also when a damaged sheet is found while its rows are read.
    The caller closes it."""
    import openpyxl  # only the readers that need it pay for the import
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.is_file():
        raise DataFileError(f"{path}: no such file. Fix: {fix}")
    try:
        # our own handle: openpyxl leaves its file open when a workbook fails to load
        handle = path.open("rb")
    except OSError as exc:
        raise _damaged(path, exc, fix) from exc
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except (InvalidFileException, OSError, *_DAMAGED) as exc:
        handle.close()
        raise _damaged(path, exc, fix) from exc
    return _Workbook(book, handle, path, fix)
