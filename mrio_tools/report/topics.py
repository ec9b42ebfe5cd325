"""The report's tables (topics): each as shown (localized, wide, every region's row) and in long form.

`series_topics` cuts them from a saved series folder: accounts by country, groups, per capita,
export intensity, top flows, the inventory checks, and the optional tables (findings, skill test,
output gap), with the expected error next to every estimated year. Pure: no file is written here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from mrio_tools.report.describe import findings_view
from mrio_tools.report.i18n import text
from mrio_tools.report.inventory import ratio_summary, wide_checks
from mrio_tools.report.series_folder import SeriesFolder
from mrio_tools.report.tables import Topic
from mrio_tools.report.views import (
    Choices,
    common_unit,
    extended_year_errors,
    extended_years,
    intensity_series,
    localize,
    mass_accounts,
    per_capita_rows,
    top_flows,
    wide_by_region,
)
from mrio_tools.schema import MASS_ACCOUNTS, PER_CAPITA_ACCOUNTS

#: optional tables of the series folder shown as they are (name -> sheet title key)
PLAIN_TABLES = {
    "findings": "sheet_findings",
    "skill_summary": "sheet_skill",
    "skill": "sheet_skill_cases",
    "output_gap_sensitivity": "sheet_output_gap",
}
#: topics the page shows in its own sections rather than among the full tables
OWN_SECTIONS = ("findings", "skill", "skill_summary", "extended_errors", "inventory_summary")


@dataclass(frozen=True)
class Topics:
    """The topics of a report, in workbook order, and those the page shows in their own sections."""

    all: list[Topic]

    def get(self, name: str) -> Topic | None:
        return next((t for t in self.all if t.name == name), None)

    def tables(self) -> list[Topic]:
        """The topics of the page's full-tables section."""
        return [t for t in self.all if t.name not in OWN_SECTIONS]


def _mass_topics(folder: SeriesFolder, choices: Choices, caption: Callable[[str], str]) -> list[Topic]:
    lang, meta = choices.lang, folder.metadata
    rows, unit = mass_accounts(folder.accounts, choices.stressor, MASS_ACCOUNTS)
    shown = wide_by_region(rows, MASS_ACCOUNTS, unit, lang, meta)
    topics = [Topic("accounts", text(lang, "sheet_accounts"), caption("sheet_accounts"), shown, rows)]
    groups = folder.optional.get("groups")
    if groups is not None:
        rows, unit = mass_accounts(groups, choices.stressor, MASS_ACCOUNTS)
        shown = wide_by_region(rows, MASS_ACCOUNTS, unit, lang, meta).rename(
            columns={text(lang, "col_region"): text(lang, "col_group")}
        )
        topics.append(Topic("groups", text(lang, "sheet_groups"), caption("sheet_groups"), shown, rows))
    per_capita = per_capita_rows(folder, choices.stressor)
    if not per_capita.empty:
        unit, factor = common_unit(per_capita[per_capita["account"] != "NET_TRANSFER_PER_CAPITA"])
        per_capita = per_capita.assign(value=per_capita["value"] * factor, unit=unit)
        shown = wide_by_region(per_capita, PER_CAPITA_ACCOUNTS, unit, lang, meta)
        topics.append(
            Topic(
                "per_capita", text(lang, "sheet_per_capita"), caption("sheet_per_capita"), shown, per_capita
            )
        )
    return topics


def _trade_topics(
    folder: SeriesFolder, choices: Choices, caption: Callable[[str], str], n_flows: int
) -> list[Topic]:
    lang, meta = choices.lang, folder.metadata
    topics = []
    intensity, _ = intensity_series(folder, choices.stressor, lang)
    if not intensity.empty:
        wide = intensity.pivot_table(
            index=["year", "region"], columns="series", values="value", aggfunc="sum"
        )
        basis = intensity.groupby(["year", "region"])["basis"].first()
        wide.insert(0, "basis", basis.reindex(wide.index))
        shown = localize(wide.reset_index(), lang, meta)
        key = "sheet_export_intensity"
        topics.append(Topic("export_intensity", text(lang, key), caption(key), shown, intensity))
    flows, unit = top_flows(folder.flows, choices.stressor, n_flows)
    if not flows.empty:
        shown = flows[["year", "origin", "destination", "value", "basis"]].rename(
            columns={"value": f"{choices.stressor} [{unit}]"}
        )
        key = "sheet_top_flows"
        topics.append(Topic("top_flows", text(lang, key), caption(key), localize(shown, lang, meta), flows))
    return topics


def _check_topics(folder: SeriesFolder, choices: Choices, caption: Callable[[str], str]) -> list[Topic]:
    checks = folder.optional.get("inventory_check")
    if checks is None or checks.empty:
        return []
    lang = choices.lang
    if "stressor" in checks.columns and (checks["stressor"] == choices.stressor).any():
        checks = checks[checks["stressor"] == choices.stressor]
    summary = ratio_summary(checks, lang)
    return [
        Topic(
            "inventory_check",
            text(lang, "sheet_inventory"),
            caption("sheet_inventory"),
            wide_checks(checks, lang),
            checks,
        ),
        Topic(
            "inventory_summary",
            text(lang, "sheet_inventory_summary"),
            caption("sheet_inventory_summary"),
            summary,
            summary,
        ),
    ]


def _plain_topics(folder: SeriesFolder, choices: Choices, caption: Callable[[str], str]) -> list[Topic]:
    lang, meta = choices.lang, folder.metadata
    topics = []
    for name, key in PLAIN_TABLES.items():
        table = folder.optional.get(name)
        if table is not None:
            shown = findings_view(table, lang) if name == "findings" else localize(table, lang, meta)
            topics.append(Topic(name, text(lang, key), caption(key), shown, table))
    summary = folder.optional.get("skill_summary")
    if summary is not None and extended_years(folder.accounts):
        errors = extended_year_errors(folder.accounts, meta, summary, lang)
        topics.append(
            Topic(
                "extended_errors",
                text(lang, "sheet_extended_errors"),
                caption("extended_errors_caption"),
                errors,
                errors,
            )
        )
    return topics


def series_topics(
    folder: SeriesFolder, choices: Choices, caption: Callable[[str], str], *, n_flows: int
) -> Topics:
    """Every topic the series supports, in workbook order; `caption(key)` makes a sheet's caption."""
    return Topics(
        [
            *_mass_topics(folder, choices, caption),
            *_trade_topics(folder, choices, caption, n_flows),
            *_check_topics(folder, choices, caption),
            *_plain_topics(folder, choices, caption),
        ]
    )


def by_name(topics: Topics, name: str) -> pd.DataFrame | None:
    """The long table of topic `name`, or None."""
    topic = topics.get(name)
    return None if topic is None else topic.long
