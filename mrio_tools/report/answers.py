"""The four answers at the top of the report: our figure, its basis, its expected error, the published one.

The questions (`QUESTIONS`) are the report's reason to exist: did major developed economies consume
more CO2 than they produced (CBA > PBA); the non-OECD and China PBA - CBA gaps 1990 -> 2019; China's
export carbon intensity decline. Our figures are read off the series' findings table
(`mrio_tools.findings`, never recomputed here); the published figures of the Chinese Academy of
Sciences report come from `mrio_tools/data/reference_figures.csv` (docs/methods.md, "Reference
figures": for orientation, never for tuning); the expected error of an estimated year is the skill
test's median |relative error| at that year's horizon and basis (docs/methods.md, "Years outside the
tables").
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final, Literal, get_args

import pandas as pd

from mrio_tools.choices import TABLE_BASIS, Lang
from mrio_tools.report.i18n import account_name, region_name, text
from mrio_tools.report.words import (
    INTENSITY_ACCOUNTS,
    decline_parts,
    horizon,
    plan_of,
    price_words,
    year_basis_words,
)

#: the questions the answers section answers, in the order shown
Question = Literal["developed_cba_above_pba", "non_oecd_gap", "china_gap", "china_export_intensity"]
QUESTIONS: Final[tuple[Question, ...]] = get_args(Question)
#: the findings' subject of each gap question
GAP_SUBJECTS: Final[dict[Question, str]] = {"non_oecd_gap": "non-OECD", "china_gap": "CHN"}
#: the skill-test account whose error goes with each question (the gap is NET_TRANSFER = PBA - CBA)
ERROR_ACCOUNT: Final[dict[Question, str]] = {
    "non_oecd_gap": "NET_TRANSFER",
    "china_gap": "NET_TRANSFER",
    "china_export_intensity": "EEE",
}


@dataclass(frozen=True)
class ReferenceFigure:
    """One published figure (`mrio_tools/data/reference_figures.csv`)."""

    question: str
    subject: str
    year_from: int
    year_to: int
    value: float
    unit: str
    source: str


@dataclass(frozen=True)
class Shown:
    """A number of ours on the page, with the findings row it was read from (subject, statistic)."""

    shown: str
    value: float
    subject: str
    statistic: str
    year: int


@dataclass(frozen=True)
class Answer:
    """One line of the answers section, every part in words of the page's language."""

    question: Question
    asked: str
    ours: str
    figures: tuple[Shown, ...]
    basis: str
    error: str
    published: str
    source: str


@functools.cache
def reference_figures() -> tuple[ReferenceFigure, ...]:
    """The published figures shipped with the package."""
    path = resources.files("mrio_tools") / "data" / "reference_figures.csv"
    with path.open(encoding="utf-8") as handle:
        return tuple(
            ReferenceFigure(
                question=row["question"],
                subject=row["subject"],
                year_from=int(row["year_from"]),
                year_to=int(row["year_to"]),
                value=float(row["value"]),
                unit=row["unit"],
                source=row["source"],
            )
            for row in csv.DictReader(handle)
        )


def _skill_error(
    summary: pd.DataFrame | None, *, basis: str, account: str, horizon: int | None, region: str
) -> tuple[float, str] | None:
    """The skill test's median |relative error| at `horizon` and whose it is: `region`'s own cases
    when the summary has them, else the median over all regions ('all')."""
    if summary is None or horizon is None:
        return None
    rows = summary[
        (summary["basis"] == basis)
        & (summary["account"] == account)
        & (summary["horizon"] == horizon)
        & (summary["statistic"] == "median_abs_rel_error")
    ]
    for who in (region, "all"):
        found = rows.loc[rows["region"] == who, "value"]
        if not found.empty:
            return float(found.iloc[0]), who
    return None


class _Reader:
    """Reads answers off one series: findings, accounts' bases, metadata, skill summary."""

    def __init__(
        self,
        findings: pd.DataFrame,
        bases: pd.Series,
        metadata: Mapping[str, Any],
        summary: pd.DataFrame | None,
        lang: Lang,
    ) -> None:
        self.findings, self.bases, self.meta, self.summary, self.lang = (
            findings,
            bases,
            metadata,
            summary,
            lang,
        )

    def t(self, key: str, **values: object) -> str:
        return text(self.lang, key, **values)

    def basis(self, year: int) -> str:
        return str(self.bases.get(year, TABLE_BASIS))

    def basis_of_years(self, years: Sequence[int]) -> str:
        return self.t("basis_sep").join(
            self.t("year_is", year=y, basis=year_basis_words(y, self.basis(y), self.meta, self.lang))
            for y in years
        )

    def error_of_years(self, years: Sequence[int], account: str, region: str) -> str:
        parts = []
        plan = plan_of(self.meta)
        for year in years:
            basis = self.basis(year)
            if basis == TABLE_BASIS:
                parts.append(self.t("error_real", year=year))
                continue
            reach = horizon(year, basis, plan.get(str(year)) or {})
            found = _skill_error(self.summary, basis=basis, account=account, horizon=reach, region=region)
            if found is None:
                key = "error_not_tested" if self.summary is not None else "error_no_skill"
                parts.append(self.t(key, year=year, horizon=reach if reach is not None else "?"))
            else:
                error, who = found
                key = "error_of_year" if who == "all" else "error_of_year_region"
                parts.append(
                    self.t(
                        key,
                        region=region_name(who, self.lang),
                        year=year,
                        horizon=reach,
                        error=f"{100 * error:.0f}",
                        account=account_name(account, self.lang),
                    )
                )
        return self.t("basis_sep").join(parts)

    def published(self, question: Question) -> tuple[str, str]:
        figures = [f for f in reference_figures() if f.question == question]
        if not figures:
            return self.t("not_recorded"), ""
        if question == "developed_cba_above_pba":
            shown = self.t("published_developed", a=figures[0].year_from, b=figures[0].year_to)
        elif question == "china_export_intensity":
            f = figures[0]
            shown = self.t("published_decline", value=f"{f.value:g}", a=f.year_from, b=f.year_to)
        else:
            shown = " → ".join(
                self.t("value_in_year", value=f"{f.value:.2f} {f.unit}", year=f.year_from) for f in figures
            )
        return shown, figures[0].source

    def rows(self, **match: str) -> pd.DataFrame:
        found = self.findings
        for column, value in match.items():
            if column not in found.columns:
                return found.iloc[0:0]
            found = found[found[column].astype(str) == value]
        return found

    def developed(self) -> tuple[str, tuple[Shown, ...], list[int]]:
        summary = self.rows(finding="CBA > PBA in every year", subject="major developed")
        if summary.empty or not {"statistic", "value", "year_from", "year_to"} <= set(summary.columns):
            return self.t("answer_missing"), (), []
        row = summary.iloc[0]
        years = [
            int(y) for y in self.bases.index.astype(int) if int(row["year_from"]) <= y <= int(row["year_to"])
        ]
        each = self.rows(finding="CBA > PBA in every year", statistic="years where it holds")
        holding = [
            str(r) for r, v in zip(each["subject"], each["value"], strict=True) if int(v) == len(years)
        ]
        of = len(each)
        value = float(row["value"])
        names = self.t("list_sep").join(region_name(r, self.lang) for r in holding)
        shown = f"{value:.0f}"
        ours = self.t("ours_developed", n=shown, of=of, a=row["year_from"], b=row["year_to"], names=names)
        figure = Shown(shown, value, "major developed", str(row["statistic"]), int(row["year_to"]))
        return ours, (figure,), years

    def gap(self, subject: str) -> tuple[str, tuple[Shown, ...], list[int]]:
        found = self.rows(finding="production-minus-consumption gap", subject=subject)
        if not {"statistic", "value", "unit", "year_from"} <= set(found.columns):
            return self.t("answer_missing"), (), []
        ends = [found[found["statistic"] == s] for s in ("first year", "last year")]
        if any(e.empty for e in ends):
            return self.t("answer_missing"), (), []
        figures = tuple(
            Shown(
                f"{float(e['value'].iloc[0]):.2f} {e['unit'].iloc[0]}",
                float(e["value"].iloc[0]),
                subject,
                str(e["statistic"].iloc[0]),
                int(e["year_from"].iloc[0]),
            )
            for e in ends
        )
        ours = " → ".join(self.t("value_in_year", value=f.shown, year=f.year) for f in figures)
        return ours, figures, [f.year for f in figures]

    def decline(self) -> tuple[str, tuple[Shown, ...], list[int]]:
        found = self.rows(finding="export intensity decline", subject="CHN")
        if found.empty or not {"statistic", "value", "year_from", "year_to"} <= set(found.columns):
            return self.t("answer_missing"), (), []

        def rank(statistic: str) -> tuple[int, int]:
            account = next((i for i, a in enumerate(INTENSITY_ACCOUNTS) if a in statistic), 9)
            return (0 if "constant" in statistic else 1 if "current" in statistic else 2, account)

        statistic = min(found["statistic"].astype(str), key=rank)
        row = found[found["statistic"] == statistic].iloc[0]
        account, prices = decline_parts(statistic) or ("", "")
        value = float(row["value"])
        shown = f"{value:.1f} %"
        ours = self.t(
            "ours_decline",
            value=shown,
            a=row["year_from"],
            b=row["year_to"],
            what=text(self.lang, f"intensity_{account}") if account in INTENSITY_ACCOUNTS else account,
            prices=price_words(prices, self.lang),
        )
        figure = Shown(shown, value, "CHN", statistic, int(row["year_to"]))
        return ours, (figure,), [int(row["year_from"]), int(row["year_to"])]

    def answer(self, question: Question) -> Answer:
        if question == "developed_cba_above_pba":
            ours, figures, years = self.developed()
            estimated = [y for y in years if self.basis(y) != TABLE_BASIS]
            basis = self.t("basis_count", real=len(years) - len(estimated), estimated=len(estimated))
            error = self.t("error_sign")
        else:
            if question == "china_export_intensity":
                ours, figures, years = self.decline()
            else:
                ours, figures, years = self.gap(GAP_SUBJECTS[question])
            region = "CHN" if question != "non_oecd_gap" else "all"
            basis = self.basis_of_years(years)
            error = self.error_of_years(years, ERROR_ACCOUNT[question], region)
        published, source = self.published(question)
        return Answer(
            question=question,
            asked=self.t(f"question_{question}"),
            ours=ours,
            figures=figures,
            basis=basis if figures else "",
            error=error if figures else "",
            published=published,
            source=source,
        )


def answers(
    findings: pd.DataFrame,
    bases: pd.Series,
    metadata: Mapping[str, Any],
    summary: pd.DataFrame | None,
    lang: Lang,
) -> list[Answer]:
    """The answers to `QUESTIONS` read off a series (module docstring).

    `findings`: the series' findings.csv; `bases`: year -> basis of the accounts
    (`views.basis_by_year`); `metadata`: the accounts' metadata (its extension plan names the
    benchmark years); `summary`: the skill test's skill_summary.csv, or None when not run.
    """
    reader = _Reader(findings, bases, metadata, summary, lang)
    return [reader.answer(q) for q in QUESTIONS]
