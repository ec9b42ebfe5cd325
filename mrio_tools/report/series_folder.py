"""Reading a saved series folder (the report's only input): long tables, their metadata, optional tables.

A series folder DIR holds `accounts.csv` (`year, region, account, stressor, unit, value, basis`) and
`flows.csv` (`year, origin, destination, stressor, unit, value, basis`), each with its sidecar
`NAME.meta.json`, and may hold further tables that the report shows when present (`OPTIONAL_TABLES`).
The report never recomputes accounts: everything it draws is read here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pandas as pd

from mrio_tools.choices import TABLE_BASIS
from mrio_tools.errors import DataFileError
from mrio_tools.io.output import metadata_path

ACCOUNT_TABLE_COLUMNS: Final = ("year", "region", "account", "stressor", "unit", "value")
FLOW_TABLE_COLUMNS: Final = ("year", "origin", "destination", "stressor", "unit", "value")

#: tables a series folder may hold besides accounts and flows, shown when present
OPTIONAL_TABLES: Final[dict[str, str]] = {
    "groups": "group accounts (`year, grouping, region, account, stressor, unit, value, basis`)",
    "per_capita": "per-capita accounts (as groups; single regions have grouping `regions`)",
    "export_intensity": "export carbon intensity (`year, region, account, stressor, measure, prices, "
    "deflator_year, unit, value, basis`; `prices` 'current USD', 'constant B USD', ...)",
    "findings": "the findings table (one row per finding, with source, years, basis and method)",
    "skill": "the extension skill test, one row per case (`mrio-tools skill-test`)",
    "skill_summary": "the extension skill test: error statistics by basis, account and horizon",
    "output_gap_sensitivity": "CBA and EEE under two output-gap treatments, per region",
    "inventory_check": "PBA beside the national inventory (`year, region, account, stressor, unit, value, "
    "basis, principle`; accounts PBA, INVENTORY, PBA_TO_INVENTORY, SOURCE_GROWTH, INVENTORY_GROWTH, "
    "BREAK_FLAG)",
}
#: optional tables with one value per year (their rows carry a basis; a missing one means `table`)
BY_YEAR_TABLES: Final = ("groups", "per_capita", "export_intensity", "inventory_check")


@dataclass(frozen=True)
class SeriesFolder:
    """What a saved series folder holds: the two long tables, their metadata and the optional tables."""

    path: Path
    accounts: pd.DataFrame
    flows: pd.DataFrame
    metadata: Mapping[str, Any]
    flows_metadata: Mapping[str, Any]
    optional: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    optional_metadata: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def demonstration(self) -> bool:
        """True when the series is made of demonstration data (metadata `demonstration_data`)."""
        return bool(self.metadata.get("demonstration_data"))


def _read_meta(table: Path) -> dict[str, Any]:
    path = metadata_path(table)
    if not path.is_file():
        return {}
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataFileError(f"{path}: not valid JSON ({error}); rewrite the series folder") from error
    if not isinstance(loaded, dict):
        raise DataFileError(f"{path}: holds a {type(loaded).__name__}, not an object; rewrite the series")
    return loaded


def _read_long(
    path: Path, columns: tuple[str, ...], *, required: bool, by_year: bool = True
) -> pd.DataFrame | None:
    if not path.is_file():
        if required:
            raise DataFileError(
                f"{path} is missing: a series folder needs accounts.csv and flows.csv; write one with "
                "`mrio-tools series ... --out-dir DIR`"
            )
        return None
    try:
        table = pd.read_csv(path, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise DataFileError(f"{path}: cannot be read as CSV ({error}); rewrite the series folder") from error
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise DataFileError(
            f"{path}: columns {missing} are missing (it has {list(table.columns)}); "
            "write the series again with `mrio-tools series`"
        )
    if not by_year:
        return table
    if "basis" not in table.columns:
        # a folder written by `accounts` or the old `report` holds real tables only
        table = table.assign(basis=TABLE_BASIS)
    table["basis"] = table["basis"].fillna(TABLE_BASIS).astype(str)
    if "year" in table.columns:
        table["year"] = table["year"].astype(int)
    return table


def read_series_folder(series_dir: Path, *, skill_dir: Path | None = None) -> SeriesFolder:
    """Read `series_dir` (layout: module docstring); `DataFileError` names a missing or broken file.

    The skill-test tables (`skill.csv`, `skill_summary.csv`) are read from `skill_dir` when given
    (`mrio-tools skill-test --out-dir`), else from the series folder.
    """
    if not series_dir.is_dir():
        raise DataFileError(f"{series_dir} is not a folder; pass the --out-dir of `mrio-tools series`")
    accounts_path, flows_path = series_dir / "accounts.csv", series_dir / "flows.csv"
    accounts = _read_long(accounts_path, ACCOUNT_TABLE_COLUMNS, required=True)
    flows = _read_long(flows_path, FLOW_TABLE_COLUMNS, required=True)
    assert accounts is not None and flows is not None
    optional: dict[str, pd.DataFrame] = {}
    optional_meta: dict[str, Mapping[str, Any]] = {}
    for name in OPTIONAL_TABLES:
        folder = skill_dir if skill_dir is not None and name.startswith("skill") else series_dir
        path = folder / f"{name}.csv"
        by_year = name in BY_YEAR_TABLES
        table = _read_long(path, ("year", "value") if by_year else (), required=False, by_year=by_year)
        if table is not None:
            if "group" in table.columns and "region" not in table.columns:
                table = table.rename(columns={"group": "region"})
            optional[name] = table
            optional_meta[name] = _read_meta(path)
    return SeriesFolder(
        path=series_dir,
        accounts=accounts,
        flows=flows,
        metadata=_read_meta(accounts_path),
        flows_metadata=_read_meta(flows_path),
        optional=optional,
        optional_metadata=optional_meta,
    )
