"""Codes of a series said in words for readers, in English or Chinese: bases, prices, units, findings.

A basis code (`table`, `scaled_table+emissions`, ...; docs/methods.md, "Years outside the tables")
becomes "real table" or, for an estimated year with the extension plan of the series metadata,
"table of 2011, scaled"; a price code (`constant 2012 USD`, `benchmark-year USD (1995)`) becomes
"constant 2012 USD" / "2012 年不变价美元". The findings table (mrio_tools.findings) is turned into a
compact table of sentences without code names. All words come from `i18n.text`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

import pandas as pd

from mrio_tools.choices import BASES, Lang
from mrio_tools.report.i18n import TEXT, account_name, region_name, text

#: metadata value of the emissions principle when the key `emissions_principle` is absent
DEFAULT_PRINCIPLE: Final = "residence"
#: the findings' intensity accounts in the order the page prefers them
INTENSITY_ACCOUNTS: Final = ("EXPORT_INTENSITY_TOTAL", "EXPORT_INTENSITY_DOMESTIC")


def plan_of(metadata: Mapping[str, Any]) -> Mapping[str, Mapping[str, Any]]:
    """The extension plan of the series metadata: year (as text) -> benchmark years of that year."""
    extension = metadata.get("extension")
    plan = extension.get("plan") if isinstance(extension, Mapping) else None
    return plan if isinstance(plan, Mapping) else {}


def basis_words(basis: str, lang: Lang, step: Mapping[str, Any] | None = None) -> str:
    """One basis code in words; with the year's plan `step`, the benchmark years are named.

    `table` -> "real table"; `scaled_table+emissions` -> "table of 2011, scaled"; `table+scaled_emissions`
    -> "real table, emissions of 2016 scaled"; both -> "table of 1995 and emissions of 2000, scaled".
    An unknown code is shown as it is; several codes joined by ';' or '/' are each said in words.
    """
    parts = [p.strip() for p in re.split(r"[;/,]", basis) if p.strip()]
    if len(parts) > 1:
        return text(lang, "basis_sep").join(dict.fromkeys(basis_words(p, lang, step) for p in parts))
    if basis not in BASES:
        return basis
    step = step or {}
    table_year, emission_year = step.get("table_benchmark_year"), step.get("emission_benchmark_year")
    if table_year is None and emission_year is None:
        return text(lang, f"basis_{basis}")
    return text(lang, f"basis_{basis}_years", a=table_year or "?", b=emission_year or "?")


def year_basis_words(year: int, basis: str, metadata: Mapping[str, Any], lang: Lang) -> str:
    """The basis of one year in words, with its benchmark years from the series' extension plan."""
    return basis_words(basis, lang, plan_of(metadata).get(str(year)))


def horizon(year: int, basis: str, step: Mapping[str, Any]) -> int | None:
    """Years from `year` to the farthest benchmark its basis uses (the table's a, the emissions' b)."""
    a, b = step.get("table_benchmark_year"), step.get("emission_benchmark_year")
    used = {"scaled_table+emissions": [a], "table+scaled_emissions": [b]}.get(basis, [a, b])
    known = [int(y) for y in used if y is not None]
    return max(abs(int(year) - y) for y in known) if known else None


def price_words(prices: str, lang: Lang) -> str:
    """'current USD', 'constant 2012 USD', 'benchmark-year USD (1995)' in words of `lang`."""
    constant = re.fullmatch(r"constant (\d{4}) USD", prices)
    if constant:
        return text(lang, "prices_constant", year=constant.group(1))
    benchmark = re.fullmatch(r"benchmark-year USD \((\d{4})\)", prices)
    if benchmark:
        return text(lang, "prices_benchmark", year=benchmark.group(1))
    if prices == "current USD":
        return text(lang, "prices_current")
    return prices


def principle_words(metadata: Mapping[str, Any], lang: Lang) -> str:
    """The emissions principle of the series (metadata `emissions_principle`, absent = residence)."""
    principle = str(metadata.get("emissions_principle") or DEFAULT_PRINCIPLE)
    key = f"principle_{principle}"
    return text(lang, key) if key in TEXT else principle


def number(value: float, digits: int = 3) -> str:
    """`value` with `digits` significant digits, no exponent for the magnitudes of the page."""
    return f"{value:.{digits}g}" if abs(value) < 10**digits else f"{value:,.0f}"


def _subject(code: str, lang: Lang) -> str:
    if code in ("major developed", "major developing"):
        return text(lang, f"subject_{code.replace(' ', '_')}")
    return region_name(code, lang)


def decline_parts(statistic: str) -> tuple[str, str] | None:
    """('EXPORT_INTENSITY_TOTAL', 'constant 2012 USD') of a findings statistic 'decline of A, P'."""
    found = re.fullmatch(r"decline of (\w+), (.+)", statistic)
    return (found.group(1), found.group(2)) if found else None


def finding_sentence(row: Mapping[Any, Any], lang: Lang, n_years: int | None = None) -> str:
    """The statement of one findings row in words of `lang` (no code names)."""
    finding, statistic = str(row.get("finding", "")), str(row.get("statistic", ""))
    subject = _subject(str(row.get("subject", "")), lang)
    value = row.get("value")
    year_from, year_to = row.get("year_from"), row.get("year_to")
    if finding in ("CBA > PBA in every year", "PBA > CBA in every year"):
        relation = "CBA > PBA" if finding.startswith("CBA") else "PBA > CBA"
        if statistic == "years where it holds" and value is not None:
            total = n_years if n_years is not None else int(str(year_to)) - int(str(year_from)) + 1
            return text(lang, "say_years_hold", subject=subject, relation=relation, n=int(value), of=total)
        if statistic == "economies where it holds in every year" and value is not None:
            of = re.search(r"(\d+)", str(row.get("unit", "")))
            return text(
                lang,
                "say_economies_hold",
                subject=subject,
                relation=relation,
                n=int(value),
                of=of.group(1) if of else "?",
            )
        return text(lang, "say_relation", subject=subject, relation=relation)
    if finding == "production-minus-consumption gap" and value is not None:
        key = {"first year": "say_gap_first", "last year": "say_gap_last", "peak": "say_gap_peak"}
        return text(
            lang,
            key.get(statistic, "say_gap_first"),
            subject=subject,
            value=number(float(value)),
            unit=str(row.get("unit", "")),
            year=year_from,
        )
    parts = decline_parts(statistic)
    if finding == "export intensity decline" and parts is not None and value is not None:
        account, prices = parts
        return text(
            lang,
            "say_decline",
            subject=subject,
            what=account_name(account, lang),
            prices=price_words(prices, lang),
            value=f"{float(value):.1f}",
            a=year_from,
            b=year_to,
        )
    if lang == "en":
        return str(row.get("text", ""))
    return text(lang, "say_unknown", finding=finding)


def findings_in_words(table: pd.DataFrame, lang: Lang, n_years: int | None = None) -> pd.DataFrame:
    """The findings as a compact table of words: what, region or group, years, statement, basis."""
    rows = []
    for row in table.to_dict("records"):
        year_from, year_to = row.get("year_from"), row.get("year_to")
        years = (
            "" if year_from is None else str(year_from) if year_from == year_to else f"{year_from}-{year_to}"
        )
        rows.append(
            {
                text(lang, "col_finding"): text(lang, _finding_key(str(row.get("finding", "")))),
                text(lang, "col_subject"): _subject(str(row.get("subject", "")), lang),
                text(lang, "col_year"): years,
                text(lang, "col_statement"): finding_sentence(row, lang, n_years),
                text(lang, "col_basis"): _compact_basis(str(row.get("basis", "")), lang),
            }
        )
    return pd.DataFrame(rows)


def _compact_basis(basis: str, lang: Lang) -> str:
    """One basis in words; several (a finding over many years) as 'real tables, and estimated years'."""
    held = {p.strip() for p in re.split(r"[;/,]", basis) if p.strip()}
    return basis_words(basis, lang) if len(held) <= 1 else text(lang, "basis_mixed")


def _finding_key(finding: str) -> str:
    return {
        "CBA > PBA in every year": "finding_cba_above",
        "PBA > CBA in every year": "finding_pba_above",
        "production-minus-consumption gap": "finding_gap",
        "export intensity decline": "finding_decline",
    }.get(finding, "finding_other")
