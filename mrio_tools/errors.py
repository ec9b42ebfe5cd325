"""Exceptions raised by mrio_tools; every message names the file, block or label at fault and the fix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class MRIOError(Exception):
    """Base class of every error mrio_tools raises on purpose."""


class ValidationError(MRIOError, ValueError):
    """An MRIO block is inconsistent (labels, values, balance)."""


class SolverError(MRIOError, ArithmeticError):
    """The Leontief system is singular, ill-conditioned, or a solve missed its residual tolerance."""


class DataFileError(MRIOError, ValueError):
    """A raw data file does not have the layout its publisher ships."""


class YearNotAvailableError(MRIOError, LookupError):
    """A year was asked for that the data folder does not hold."""


class ConcordanceError(MRIOError, ValueError):
    """A concordance does not map a classification completely or names labels the table lacks."""


class UnitError(MRIOError, ValueError):
    """Values with different or unknown units were combined."""


class OutputError(MRIOError, ValueError):
    """An output path that mrio_tools cannot write (unknown table format)."""


class DownloadError(MRIOError, OSError):
    """A publisher's file could not be fetched (connection, address, or a moved file)."""


#: how many offending labels an error message lists before it says "and N more"
SHOWN_LABELS = 8


def listed(labels: Sequence[Any], limit: int = SHOWN_LABELS) -> str:
    """The first `limit` labels, comma-separated, then "and N more" if there are more."""
    head = ", ".join(str(label) for label in labels[:limit])
    return head + (f" and {len(labels) - limit} more" if len(labels) > limit else "")


class FolderInUseError(OutputError):
    """An output folder another run is writing at the moment (its lock file names the run)."""


#: longest quotation of a user's label or value in a message (longer ones are cut in the middle)
SHOWN_CHARACTERS = 120


def shown(value: object, limit: int = SHOWN_CHARACTERS) -> str:
    """`value` quoted for a message, cut to `limit` characters (middle elided, total length stated).

    A label of a megabyte (a whole file read as one cell) would otherwise fill the terminal.
    """
    text = repr(value) if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return text
    keep = max(limit - 30, 10)
    return f"{text[: keep // 2]}...[{len(text)} characters]...{text[-(keep - keep // 2) :]}"


class UsageError(MRIOError, ValueError):
    """A command-line argument or option value that cannot be what it must be (a malformed address)."""
