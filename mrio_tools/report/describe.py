"""The series described for readers: metadata lines, the emissions and their principle, the findings.

Every text is in the page's language (`i18n.text`); source titles and citations are shown as the
publisher wrote them. No absolute path is shown: a path in the metadata is named by its file name.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath
from typing import Any, Final

import pandas as pd

from mrio_tools.choices import Lang
from mrio_tools.report.i18n import region_name, text
from mrio_tools.report.words import basis_words, finding_sentence, principle_words

#: words of the findings table (mrio_tools.findings) in Chinese; other text is shown as it is
FINDING_WORDS: Final[dict[str, str]] = {
    "CBA > PBA in every year": "每年 CBA > PBA",
    "PBA > CBA in every year": "每年 PBA > CBA",
    "production-minus-consumption gap": "生产侧减消费侧差额",
    "export intensity decline": "出口碳强度下降",
    "years where it holds": "成立的年数",
    "economies where it holds in every year": "每年均成立的经济体数",
    "first year": "首年",
    "last year": "末年",
    "peak": "峰值",
}
FINDING_HEADERS: Final[dict[str, dict[str, str]]] = {
    "finding": {"en": "finding", "zh": "发现"},
    "subject": {"en": "region or group", "zh": "地区或国家组"},
    "statistic": {"en": "statistic", "zh": "统计量"},
    "years": {"en": "years", "zh": "年份"},
    "value": {"en": "value", "zh": "数值"},
    "unit": {"en": "unit", "zh": "单位"},
    "text": {"en": "statement", "zh": "陈述"},
    "basis": {"en": "basis", "zh": "数据基础"},
    "method": {"en": "method", "zh": "方法"},
    "source": {"en": "source", "zh": "来源"},
    "year_from": {"en": "from", "zh": "起始年"},
    "year_to": {"en": "to", "zh": "结束年"},
}
#: units of the findings in Chinese (masses keep their SI symbol)
UNIT_WORDS: Final[dict[str, str]] = {"years": "年", "%": "%"}


def _unit_zh(unit: str) -> str:
    if unit.startswith("economies of "):
        return f"个经济体（共 {unit.removeprefix('economies of ')} 个）"
    return UNIT_WORDS.get(unit, unit)


def findings_view(table: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The full findings table for the workbook: region names, bases and (in Chinese) the statements,
    words and units in `lang`; methods and sources as written."""
    out = table.copy()
    if "subject" in out.columns:
        out["subject"] = out["subject"].astype(str).map(lambda code: region_name(code, lang))
    if lang == "zh":
        if "text" in out.columns:
            out["text"] = [finding_sentence(row, lang) for row in table.to_dict("records")]
        for column in ("finding", "statistic"):
            if column in out.columns:
                out[column] = out[column].astype(str).map(lambda w: FINDING_WORDS.get(w, w))
        if "unit" in out.columns:
            out["unit"] = out["unit"].astype(str).map(_unit_zh)
    if "basis" in out.columns:
        out["basis"] = [basis_words(str(b), lang) for b in out["basis"]]
    return out.rename(columns={k: v[lang] for k, v in FINDING_HEADERS.items() if k in out.columns})


def _emission_entries(meta: Mapping[str, Any]) -> Mapping[str, Any]:
    per_year: Mapping[Any, Mapping[str, Any]] = meta.get("per_year") or {}
    first_year: Mapping[str, Any] = next(iter(per_year.values()), {})
    emissions = meta.get("emissions") or first_year.get("emissions") or {}
    return emissions if isinstance(emissions, Mapping) else {"": emissions}


def emissions_source(meta: Mapping[str, Any]) -> str:
    """The emissions source(s) of the series as published (first part of each entry's `source`)."""
    parts = []
    for entry in _emission_entries(meta).values():
        origin = str(entry.get("source", "")) if isinstance(entry, Mapping) else str(entry)
        parts.append(origin.split(";")[0].strip())
    return "; ".join(p for p in dict.fromkeys(parts) if p)


def emissions_text(meta: Mapping[str, Any], lang: Lang) -> str:
    """'name: source, principle' for every emissions entry of the metadata (or of its first year)."""
    parts = []
    colon = "：" if lang == "zh" else ": "
    for name, entry in _emission_entries(meta).items():
        if isinstance(entry, Mapping):
            origin = str(entry.get("source", "")).split(";")[0]
            principle = entry.get("principle")
            said = (
                text(lang, f"entry_principle_{principle}")
                if principle in ("residence", "territorial")
                else principle
            )
            parts.append(f"{name}{colon}{origin}, {said}")
        else:
            parts.append(f"{name}{colon}{entry}" if name else str(entry))
    return "; ".join(parts)


def _name_path(value: Any) -> str:
    """A path of the metadata named by its file (or folder) name, never as an absolute path."""
    return (
        PurePath(str(value)).name if str(value).startswith(("/", "~")) or ":\\" in str(value) else str(value)
    )


def metadata_lines(meta: Mapping[str, Any], lang: Lang) -> list[tuple[str, str]]:
    """(item, value) pairs describing the series: source, version, years, emissions and principle,
    output gap, prices, method, national table."""
    missing = text(lang, "not_recorded")
    years = meta.get("years") or []
    years_text = f"{min(years)}-{max(years)}" if years else missing
    gap = str(meta.get("output_gap_treatment") or meta.get("output_gap") or "")
    gap_key = f"gap_{gap}"
    gap_words = text(lang, gap_key) if gap_key in _KNOWN_GAPS else (gap or missing)
    if meta.get("output_gap_chosen_by") and lang == "en":
        gap_words += f" ({meta['output_gap_chosen_by']})"
    per_year: Mapping[Any, Mapping[str, Any]] = meta.get("per_year") or {}
    scaled = any(str(m.get("basis", "")).startswith("scaled_table") for m in per_year.values())
    lines = [
        (text(lang, "source"), str(meta.get("source", missing))),
        (text(lang, "version"), str(meta.get("version", missing))),
        (text(lang, "years"), years_text),
        (text(lang, "emissions"), emissions_text(meta, lang) or missing),
        (text(lang, "principle"), principle_words(meta, lang)),
        (text(lang, "output_gap"), gap_words),
        (text(lang, "prices"), text(lang, "prices_of_series_scaled" if scaled else "prices_of_series")),
        (text(lang, "method"), text(lang, "method_words")),
    ]
    extension = meta.get("extension")
    if isinstance(extension, Mapping) and extension.get("national_table"):
        lines.append((text(lang, "national_table"), _name_path(extension["national_table"])))
    return lines


_KNOWN_GAPS: Final = ("gap_recompute", "gap_scale_rows", "gap_residual_category")
