"""mrio_tools: production- and consumption-based emission accounts from multi-regional input-output tables.

The pipeline, one package per stage (data flows down this list; see README "Layout"):

==================  ===================================================================
``sources``         publishers' files -> MRIO (a registry entry per source)
``mrio``            the MRIO container and its checks, stressors, concordances
``leontief``        factorise (I - A) once; the solved year
``accounts``        national accounts and the methods built on a solved year
``series``          many years: tasks, store, partitions + manifest, Dask
``extension``       years outside the tables, and the skill test
``context``         national series, groups, per capita, prices, derived tables
``findings``        statements read off a series, with their evidence
``report``          figures, map, Excel, the HTML page, languages
``cli``             the ``mrio-tools`` command line
==================  ===================================================================

Public entry points (imported on first use, so that ``import mrio_tools`` stays cheap and runs
nothing):

- ``open_source(request)``: the registry's reader for one source (``mrio_tools.sources.registry``)
- ``national_accounts(mrio, solver=...)``: PBA, CBA, EEE, EEI and flows of one year
- ``solve_year(mrio, solver=...)``: the solved year that every account reads
- ``run_series(request, years, out_dir, ...)``: many years into a series folder
- ``build_report(series_dir, out_dir, ...)``: the report of a saved series folder
- ``MRIO`` and every exception of ``mrio_tools.errors``
"""

from __future__ import annotations

import importlib
from typing import Any

from mrio_tools.errors import (
    ConcordanceError,
    DataFileError,
    DownloadError,
    MRIOError,
    OutputError,
    SolverError,
    UnitError,
    ValidationError,
    YearNotAvailableError,
)
from mrio_tools.mrio.container import MRIO

__version__ = "0.1.0"

#: entry point -> the module that defines it (imported when first asked for)
_LAZY = {
    "open_source": "mrio_tools.sources.registry",
    "national_accounts": "mrio_tools.accounts.national",
    "solve_year": "mrio_tools.leontief.solved",
    "run_series": "mrio_tools.series.run",
    "build_report": "mrio_tools.report.build",
}

__all__ = [
    "MRIO",
    "ConcordanceError",
    "DataFileError",
    "DownloadError",
    "MRIOError",
    "OutputError",
    "SolverError",
    "UnitError",
    "ValidationError",
    "YearNotAvailableError",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mrio_tools' has no attribute {name!r}")
