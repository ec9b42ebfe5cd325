"""Accounts of many years of one source, one long table (serial; a Dask path comes with the time series)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from .accounts import Accounts, national_accounts
from .solve import SolverMethod
from .sources import SourceRequest, open_source


def parse_years(text: str) -> list[int]:
    """'1995-2011' or '2000,2005,2010' or '2008' -> list of years."""

    def year(token: str) -> int:
        if not token.strip().isdigit():
            raise ValueError(
                f"{token.strip()!r} in {text!r} is not a year; write e.g. 2008, 1995-2011 or 2000,2005"
            )
        return int(token)

    years: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            first, last = (year(p) for p in part.split("-", 1))
            if last < first:
                raise ValueError(f"year range {part!r} runs backwards; write e.g. 1995-2011")
            years.extend(range(first, last + 1))
        elif part:
            years.append(year(part))
    if not years:
        raise ValueError(f"no years in {text!r}; write e.g. 2008, 1995-2011 or 2000,2005")
    return years


def accounts_series(
    request: SourceRequest, years: Sequence[int], *, solver: SolverMethod = "auto", progress: bool = True
) -> Accounts:
    """Accounts of every year in `years`, concatenated, with per-year metadata kept under 'years'."""
    tables, flows, per_year = [], [], {}
    source = open_source(request)
    for year in tqdm(years, desc=f"{request.source} accounts", unit="year", disable=not progress):
        result = national_accounts(source.load(year), solver=solver)
        tables.append(result.table)
        flows.append(result.flows)
        per_year[year] = dict(result.metadata)
    first: dict[str, Any] = dict(per_year[years[0]])
    common = {
        key: value for key, value in first.items() if all(m.get(key) == value for m in per_year.values())
    }
    metadata = {
        **common,
        "years": list(years),
        "per_year": {y: {k: v for k, v in m.items() if k not in common} for y, m in per_year.items()},
    }
    return Accounts(
        table=pd.concat(tables, ignore_index=True),
        flows=pd.concat(flows, ignore_index=True),
        metadata=metadata,
    )
