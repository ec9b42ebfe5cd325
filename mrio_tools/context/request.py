"""What a series derives from its accounts, and with which choices: groups, per capita, prices, findings.

`DerivedRequest` holds the user's inputs (the national table, the deflator, custom groups) and the
choices the derived tables make (rest-of-world placement, constant-price year, which regions the
findings name); `DerivedRequest.tables` calls `context.derived.derived_tables` and returns each table
with its metadata under the file name it is written to (``groups.csv``, ``per_capita.csv``,
``export_intensity.csv``, ``findings.csv``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
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
from mrio_tools.errors import DataFileError, listed, shown

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
        if self.groups_csv is not None:
            self.custom_grouping()  # an empty or malformed groups file is found before any work
        if (deflator := self.read_deflator()) is not None:
            deflator.at(self.constant_price_year)

    def custom_grouping(self) -> Grouping | None:
        """The --groups file as a grouping (None without one); `DataFileError` if it lists no member."""
        if self.groups_csv is None:
            return None
        fix = "Fix: give one row per member under the header group,region (e.g. 'asia,CHN')"
        try:
            grouping = read_groups_csv(self.groups_csv, name="custom", other="rest")
        except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as error:
            raise DataFileError(f"--groups {self.groups_csv}: not a readable CSV ({error}). {fix}") from error
        if not grouping.listed_regions():
            raise DataFileError(f"--groups {self.groups_csv}: lists no group member. {fix}")
        return grouping

    def check_regions(self, regions: Collection[str], year: int) -> None:
        """Once the table's regions are known (its first year): the --groups members are regions of
        it, and the national table has every region (but the rest of the world) in `year`.

        The same checks `tables` makes after the last year, made early so that a run ends after
        one year, not after all of them.
        """
        from mrio_tools.context.national import national_variable
        from mrio_tools.extension.source import read_national

        self.check_members(regions)
        national_variable(
            read_national(self.national),
            variable="population",
            regions=sorted(regions),
            rest_of_world=[r for r in self.rest_of_world if r in regions],
            years=[year],
            world_total="world_row",
        )

    def check_members(self, regions: Collection[str]) -> None:
        """`DataFileError` naming the --groups members that are not regions of the table (typos, names)."""
        grouping = self.custom_grouping()
        if grouping is None:
            return
        unknown = sorted(grouping.listed_regions() - set(regions))
        if not unknown:
            return
        by_case = {r.casefold(): r for r in regions}
        shown_members = [
            shown(m) + (f" (did you mean {by_case[m.casefold()]}?)" if m.casefold() in by_case else "")
            for m in unknown
        ]
        raise DataFileError(
            f"--groups {self.groups_csv}: {listed(shown_members)} are not regions of the table (it has "
            f"{listed(sorted(regions), 12)}); their group would silently lose them. Fix: write each member "
            "as the table's region code (ISO3, case as in the table), then rerun: current years are kept"
        )

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
        custom = self.custom_grouping()
        if custom is not None:
            groupings.append(custom)
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
        self.check_members(regions)
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
