"""What a series derives from its accounts, and with which choices: groups, per capita, prices, findings.

`DerivedRequest` holds the user's inputs (the national table, the deflator, custom groups) and the
choices the derived tables make (rest-of-world placement, constant-price year, which regions the
findings name); `DerivedRequest.tables` calls `context.derived.derived_tables` and returns each table
with its metadata under the file name it is written to (``groups.csv``, ``per_capita.csv``,
``export_intensity.csv``, ``findings.csv``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from mrio_tools.choices import RestOfWorldGroup
from mrio_tools.context.derived import DERIVED_FILES, OPTIONAL_FILES, derived_tables
from mrio_tools.context.groups import (
    Grouping,
    eu27_grouping,
    g20_grouping,
    major_economies_grouping,
    oecd_grouping,
    read_groups_csv,
)
from mrio_tools.context.prices import Deflator, read_fred_deflator
from mrio_tools.errors import DataFileError

#: the exporters whose export-intensity decline the findings report, where the table has them
FINDINGS_EXPORTERS = ("CHN", "USA", "DEU", "JPN", "IND", "KOR", "RUS", "BRA")


@dataclass(frozen=True)
class DerivedRequest:
    """Inputs and choices of the derived tables (see module docstring)."""

    national: Path
    #: None: current prices only (no export_intensity.csv; findings without the constant-price declines)
    deflator: Path | None
    rest_of_world: tuple[str, ...]
    rest_of_world_group: RestOfWorldGroup
    constant_price_year: int
    groups_csv: Path | None = None

    def check(self) -> None:
        """The files exist and the deflator covers the constant-price year (before any work)."""
        for what, path in (("--national", self.national), ("--deflator", self.deflator)):
            if path is not None and not path.exists():
                raise DataFileError(f"{what} {path} does not exist. Fix: pass the file or its folder")
        if self.groups_csv is not None and not self.groups_csv.is_file():
            raise DataFileError(f"--groups {self.groups_csv} does not exist. Fix: pass a CSV (group, region)")
        if (deflator := self.read_deflator()) is not None:
            deflator.at(self.constant_price_year)

    def read_deflator(self) -> Deflator | None:
        """The deflator (FRED GDPDEF layout: the file, or the folder holding GDPDEF.csv), or None."""
        return None if self.deflator is None else read_fred_deflator(self.deflator)

    def groupings(self) -> list[Grouping]:
        """OECD (members in each year, and current members), EU27, G20, major economies, custom groups."""
        groupings = [
            oecd_grouping(membership="in_year"),
            oecd_grouping(membership="current"),
            eu27_grouping(),
            g20_grouping(),
            major_economies_grouping(),
        ]
        if self.groups_csv is not None:
            groupings.append(read_groups_csv(self.groups_csv, name="custom", other="rest"))
        return groupings

    def tables(
        self,
        accounts: pd.DataFrame,
        benchmark_years: Mapping[int, int],
        *,
        source: str,
        emissions_principle: str = "residence",
    ) -> dict[str, tuple[pd.DataFrame, dict[str, Any]]]:
        """File name -> (table, metadata) of every derived table of the series `accounts`."""
        from mrio_tools.extension.source import read_national

        stressor = str(accounts.loc[accounts["account"] == "PBA", "stressor"].iloc[0])
        regions = set(accounts["region"])
        tables = derived_tables(
            accounts,
            national=read_national(self.national),
            deflator=self.read_deflator(),
            groupings=self.groupings(),
            rest_of_world=list(self.rest_of_world),
            rest_of_world_group=self.rest_of_world_group,
            population_world_total="world_row",
            constant_price_year=self.constant_price_year,
            benchmark_years=dict(benchmark_years),
            stressor=stressor,
            gap_unit="Gt",
            gap_groups=[("oecd_in_year", "OECD"), ("oecd_in_year", "non-OECD")],
            gap_regions=[r for r in ("CHN",) if r in regions],
            exporters=[r for r in FINDINGS_EXPORTERS if r in regions],
            source=source,
            emissions_principle=emissions_principle,
        )
        files = {**DERIVED_FILES, **OPTIONAL_FILES}
        return {files[name]: value for name, value in tables.items()}
