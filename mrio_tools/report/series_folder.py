"""Reading a saved series folder (the report's only input): long tables, their metadata, optional tables.

A series folder DIR holds `accounts.csv` (`year, region, account, stressor, unit, value, basis`) and
`flows.csv` (`year, origin, destination, stressor, unit, value, basis`), each with its sidecar
`NAME.meta.json`, and may hold further tables that the report shows when present (`OPTIONAL_TABLES`).
Only the tables the folder's manifest lists are read, each checked against its SHA-256
(`mrio_tools.series.folder`, the folder format, imported without the engine). The report never
recomputes accounts: everything it draws is read here.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pandas as pd

from mrio_tools.choices import TABLE_BASIS
from mrio_tools.errors import DataFileError
from mrio_tools.io.output import metadata_path
from mrio_tools.series.folder import MANIFEST, check_manifest, read_listed, read_manifest

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
#: the skill test's tables (another command's; read from --skill-dir, else from the series folder)
SKILL_TABLES: Final = ("skill.csv", "skill_summary.csv")
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


def _loads_meta(path: Path, data: bytes | None) -> dict[str, Any]:
    if data is None:
        return {}
    try:
        loaded = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataFileError(f"{path}: not valid JSON ({error}); rewrite the series folder") from error
    if not isinstance(loaded, dict):
        raise DataFileError(f"{path}: holds a {type(loaded).__name__}, not an object; rewrite the series")
    return loaded


def _parse_long(path: Path, data: bytes, columns: tuple[str, ...], *, by_year: bool = True) -> pd.DataFrame:
    try:
        table = pd.read_csv(io.BytesIO(data), keep_default_na=False, na_values=[""])
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


def check_skill_dir(skill_dir: Path) -> None:
    """`DataFileError` unless `skill_dir` is a folder holding the skill test's tables (before any work)."""
    if not skill_dir.is_dir():
        raise DataFileError(
            f"--skill-dir {skill_dir}: no such folder. Fix: pass the --out-dir of `mrio-tools skill-test`, "
            "or leave --skill-dir out"
        )
    missing = [name for name in SKILL_TABLES if not (skill_dir / name).is_file()]
    if missing:
        raise DataFileError(
            f"--skill-dir {skill_dir}: holds no {' or '.join(missing)}. Fix: pass the --out-dir of "
            "`mrio-tools skill-test`, or leave --skill-dir out"
        )


def read_series_folder(series_dir: Path, *, skill_dir: Path | None = None) -> SeriesFolder:
    """Read `series_dir` (layout: module docstring); `DataFileError` names a missing or broken file.

    Only the tables its manifest lists are read, each checked against the SHA-256 the manifest
    records (`mrio_tools.series.folder`): a table left by another run is never shown. The skill-test
    tables (`skill.csv`, `skill_summary.csv`, written by another command) are read from `skill_dir`
    when given (`mrio-tools skill-test --out-dir`), else from the series folder when present.
    """
    if not series_dir.is_dir():
        raise DataFileError(f"{series_dir} is not a folder; pass the --out-dir of `mrio-tools series`")
    if skill_dir is not None:
        check_skill_dir(skill_dir)
    accounts_path, flows_path = series_dir / "accounts.csv", series_dir / "flows.csv"
    for path in (accounts_path, flows_path):
        if not path.is_file():
            raise DataFileError(
                f"{path} is missing: a series folder needs accounts.csv and flows.csv; write one with "
                "`mrio-tools series ... --out-dir DIR`"
            )
    # no manifest: check_manifest raises, naming the fix
    manifest = read_manifest(series_dir) or check_manifest(series_dir)

    def listed(path: Path) -> bytes | None:
        return read_listed(series_dir, path.name, manifest)

    def required(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
        data = listed(path)
        if data is None:
            raise DataFileError(
                f"{path}: not listed in {series_dir / MANIFEST}, so it is not a table of the run that "
                "wrote the folder. Fix: run the series command again"
            )
        return _parse_long(path, data, columns)

    accounts = required(accounts_path, ACCOUNT_TABLE_COLUMNS)
    flows = required(flows_path, FLOW_TABLE_COLUMNS)
    optional: dict[str, pd.DataFrame] = {}
    optional_meta: dict[str, Mapping[str, Any]] = {}
    for name in OPTIONAL_TABLES:
        by_year = name in BY_YEAR_TABLES
        path = series_dir / f"{name}.csv"
        if name.startswith("skill"):
            path = (skill_dir if skill_dir is not None else series_dir) / f"{name}.csv"
            data = path.read_bytes() if path.is_file() else None
            meta_path = metadata_path(path)
            meta_data = meta_path.read_bytes() if meta_path.is_file() else None
        else:
            data, meta_data = listed(path), listed(metadata_path(path))
        if data is None:
            continue
        table = _parse_long(path, data, ("year", "value") if by_year else (), by_year=by_year)
        if "group" in table.columns and "region" not in table.columns:
            table = table.rename(columns={"group": "region"})
        optional[name] = table
        optional_meta[name] = _loads_meta(metadata_path(path), meta_data)
    return SeriesFolder(
        path=series_dir,
        accounts=accounts,
        flows=flows,
        metadata=_loads_meta(metadata_path(accounts_path), listed(metadata_path(accounts_path))),
        flows_metadata=_loads_meta(metadata_path(flows_path), listed(metadata_path(flows_path))),
        optional=optional,
        optional_metadata=optional_meta,
    )
