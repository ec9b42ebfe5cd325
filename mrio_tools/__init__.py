"""mrio_tools: production- and consumption-based emission accounts from multi-regional input-output tables.

Nothing runs on import. The public entry points are re-exported here.
"""

from .errors import (
    ConcordanceError,
    DataFileError,
    MRIOError,
    SolverError,
    UnitError,
    ValidationError,
    YearNotAvailableError,
)
from .mrio import MRIO

__all__ = [
    "MRIO",
    "ConcordanceError",
    "DataFileError",
    "MRIOError",
    "SolverError",
    "UnitError",
    "ValidationError",
    "YearNotAvailableError",
]
__version__ = "0.1.0"
