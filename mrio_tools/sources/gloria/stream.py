"""Reading GLORIA's headerless CSV matrices in row chunks, straight from the zip, with checked shapes.

No matrix is ever held whole as a pandas object: `row_chunks` yields (first row, float64 block of
``chunk_rows`` rows) from pandas' C parser, and the caller copies each block into its own
preallocated arrays. Errors name the file (zip and member), the line as an editor counts it (the
files have no header: row i of the matrix is line i + 1) and the fix.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final

import numpy as np

from mrio_tools.errors import DataFileError

#: rows per chunk: 256 rows of the full 39,360-column T-Results are 80 MB
CHUNK_ROWS: Final = 256


@dataclass(frozen=True)
class Member:
    """One CSV of a GLORIA year: inside a zip archive (`archive` set) or a plain file (`path`)."""

    path: Path
    member: str | None = None

    @property
    def shown(self) -> str:
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    @contextlib.contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """The file's bytes (a zip member is streamed, not extracted)."""
        with contextlib.ExitStack() as stack:
            try:
                if self.member is None:
                    handle: IO[bytes] = stack.enter_context(self.path.open("rb"))
                else:
                    archive = stack.enter_context(zipfile.ZipFile(self.path))
                    handle = stack.enter_context(archive.open(self.member))
            except (zipfile.BadZipFile, KeyError, OSError) as exc:
                raise DataFileError(
                    f"{self.shown}: cannot be opened ({type(exc).__name__}: {exc}). Fix: download the "
                    "archive again (mrio-tools download --source gloria)"
                ) from exc
            yield handle


def row_chunks(
    member: Member, *, n_rows: int, n_cols: int, chunk_rows: int = CHUNK_ROWS
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (first row, block) of the headerless CSV `member`, checked to be `n_rows` x `n_cols` numbers."""
    import pandas as pd

    fix = "Fix: use the publisher's file unchanged (GLORIA release 059, headerless comma-separated numbers)"
    row = 0
    with member.open() as raw:
        stream = io.BufferedReader(raw, buffer_size=1 << 22)  # type: ignore[arg-type,type-var]
        try:
            reader = pd.read_csv(
                stream, header=None, dtype=np.float64, chunksize=chunk_rows, engine="c", names=range(n_cols)
            )
            for frame in reader:
                block = frame.to_numpy(dtype=np.float64, copy=False)
                if row + block.shape[0] > n_rows:
                    raise DataFileError(
                        f"{member.shown}: more than the {n_rows} lines the labels give (read-me). {fix}"
                    )
                bad = ~np.isfinite(block)
                if bad.any():
                    i, j = np.argwhere(bad)[0]
                    raise DataFileError(
                        f"{member.shown}, line {row + i + 1}, field {j + 1}: empty or not a finite number "
                        f"(a line with fewer than {n_cols} fields reads as empty). {fix}"
                    )
                yield row, block
                row += block.shape[0]
        except (ValueError, pd.errors.ParserError) as exc:
            if isinstance(exc, DataFileError):
                raise
            raise DataFileError(
                f"{member.shown}, after line {row}: {exc} (expected {n_cols} numbers per line). {fix}"
            ) from exc
    if row != n_rows:
        raise DataFileError(
            f"{member.shown}: {row} lines, expected {n_rows} (from the read-me's labels). {fix}"
        )


def selected_rows(member: Member, *, n_rows: int, n_cols: int, rows: Sequence[int]) -> np.ndarray:
    """The lines `rows` (0-based, ascending) of the headerless CSV `member` as a len(rows) x n_cols array.

    The other lines are counted, not parsed (a satellite file has 5,982 lines of which CO2 needs 6).
    """
    fix = "Fix: use the publisher's file unchanged (GLORIA release 059, headerless comma-separated numbers)"
    wanted = {r: k for k, r in enumerate(rows)}
    out = np.empty((len(rows), n_cols), dtype=np.float64)
    count = 0
    with member.open() as raw:
        for line in io.BufferedReader(raw, buffer_size=1 << 22):  # type: ignore[arg-type,type-var]
            if count in wanted:
                fields = line.rstrip(b"\r\n").split(b",")
                try:
                    values = np.array(fields, dtype=np.float64)
                except ValueError as exc:
                    raise DataFileError(f"{member.shown}, line {count + 1}: {exc}. {fix}") from exc
                if values.size != n_cols or not np.isfinite(values).all():
                    raise DataFileError(
                        f"{member.shown}, line {count + 1}: {values.size} fields, expected {n_cols} finite "
                        f"numbers. {fix}"
                    )
                out[wanted[count]] = values
            count += 1
    if count != n_rows:
        raise DataFileError(
            f"{member.shown}: {count} lines, expected {n_rows} (from the read-me's labels). {fix}"
        )
    return out


__all__ = ["CHUNK_ROWS", "Member", "row_chunks", "selected_rows"]
