"""The report page: one self-contained HTML file (figures embedded as base64 PNG, no network, no script).

Order: the answers first (our figure, its basis, its expected error, the published figure, a link to
why they differ), then the figures, the findings in words, the inventory checks, why the figures
differ, what was computed from which data, the full tables, every region's figure (appendix) and how
to reproduce. Source titles and citations are set in <cite> (they stay as published in every
language); numbers of the answers are <data> elements carrying the findings' value.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mrio_tools.choices import Lang
from mrio_tools.report.answers import Answer
from mrio_tools.report.figure_set import DrawnFigure, Omitted
from mrio_tools.report.i18n import text
from mrio_tools.report.inventory import Break
from mrio_tools.report.tables import Topic
from mrio_tools.report.views import EXTENDED_MARK

_CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
 max-width:1100px;margin:0 auto;padding:0 1em 3em;color:#111;line-height:1.45}
.demo{background:#fff3c4;border:2px solid #b58900;padding:.4em .8em;font-weight:bold}
.banner{position:sticky;top:0;z-index:2}
figure{margin:1.5em 0;border-top:1px solid #ccc;padding-top:.5em}
figure img{max-width:100%;height:auto}
figcaption{font-size:.85em;color:#333}
table{border-collapse:collapse;font-size:.8em;margin:.5em 0}
th,td{border:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top}
td.num{text-align:right;white-space:nowrap}
th{background:#eee;position:sticky;top:2.2em}
tr.extended td{font-style:italic;background:repeating-linear-gradient(45deg,#fff,#fff 4px,#eee 4px,#eee 8px)}
details{margin:.5em 0}
code,pre{background:#f4f4f4;padding:.2em .4em;white-space:pre-wrap;word-break:break-all}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}
dt{font-weight:bold}
cite{font-style:normal}
#answers table{font-size:.92em;width:100%}
#answers td:nth-child(2) data,#answers td:nth-child(2){font-weight:bold}
#answers th{position:static}
.break{background:#fdecea;border-left:4px solid #D55E00;padding:.3em .6em}
.regions{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:0 1em}
.regions figure{margin:.5em 0}
.index a{margin-right:.6em;white-space:nowrap}
"""


@dataclass(frozen=True)
class InventoryPart:
    """The inventory checks as the page shows them (None parts: not in the series)."""

    principle: str
    source: str
    inventory_principles: str | None
    threshold: str | None
    breaks: Sequence[Break]
    summary: Topic | None


@dataclass(frozen=True)
class PageParts:
    """What the page shows, in order."""

    lang: Lang
    title: str
    demo: bool
    answers: Sequence[Answer] | None
    why: Sequence[str]
    about: Sequence[tuple[str, str]]
    extension: str
    skill: Topic | None
    findings: Topic | None
    inventory: InventoryPart
    figures: Sequence[DrawnFigure]
    omitted: Sequence[Omitted]
    topics: Sequence[Topic]
    regions: Sequence[tuple[str, DrawnFigure]]
    command: str
    report_command: str
    series_folder: str
    citations: Sequence[str]


def _cited(value: str, citations: Sequence[str]) -> str:
    """`value` escaped, each citation in it set in <cite>."""
    out = html.escape(value)
    # a citation is a title or a name, never a bare number or code such as a version "1"
    for citation in sorted({c for c in citations if len(c) > 3 and not c.isdigit()}, key=len, reverse=True):
        escaped = html.escape(citation)
        if escaped in out and f"<cite>{escaped}" not in out:
            out = out.replace(escaped, f"<cite>{escaped}</cite>")
    return out


def _cell(value: object) -> str:
    if value is None or value is pd.NA:
        return "<td></td>"
    if isinstance(value, float | np.floating):
        number = float(value)
        shown = (
            "" if not np.isfinite(number) else f"{number:,.4g}" if abs(number) < 1000 else f"{number:,.0f}"
        )
        return f'<td class="num">{html.escape(shown)}</td>'
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return f'<td class="num">{value}</td>'
    return f"<td>{html.escape(str(value))}</td>"


def _table(frame: pd.DataFrame, lang: Lang, *, limit: int = 2000) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.head(limit).itertuples(index=False):
        extended = str(values[0]).endswith(EXTENDED_MARK) if len(values) else False
        attribute = ' class="extended"' if extended else ""
        rows.append(f"<tr{attribute}>{''.join(_cell(v) for v in values)}</tr>")
    more = (
        f"<p>{html.escape(text(lang, 'more_rows', n=len(frame) - limit))}</p>" if len(frame) > limit else ""
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


def _demo(parts: PageParts) -> str:
    return f'<p class="demo">{html.escape(text(parts.lang, "demo_banner"))}</p>' if parts.demo else ""


def _ours(answer: Answer) -> str:
    """Our figure in words, each number a <data> element with the findings' value."""
    out, start = html.escape(answer.ours), 0
    for shown in answer.figures:
        escaped = html.escape(shown.shown)
        at = out.find(escaped, start)
        if at < 0:
            continue
        tag = (
            f'<data value="{shown.value!r}" data-subject="{html.escape(shown.subject)}" '
            f'data-statistic="{html.escape(shown.statistic)}" data-year="{shown.year}">{escaped}</data>'
        )
        out = out[:at] + tag + out[at + len(escaped) :]
        start = at + len(tag)
    return out


def _answers(parts: PageParts) -> list[str]:
    lang = parts.lang

    def t(key: str, **values: object) -> str:
        return html.escape(text(lang, key, **values))

    out = [f'<section id="answers"><h2>{t("answers")}</h2>{_demo(parts)}']
    if parts.answers is None:
        out.append(f"<p>{t('not_computed', what='findings.csv')}</p></section>")
        return out
    out.append(
        f'<p>{t("answers_intro")} <a href="#why">{t("why_link")}</a>{t("period")}</p><table><thead><tr>'
    )
    for key in ("col_question", "col_ours", "col_years_basis", "col_error", "col_published"):
        out.append(f"<th>{t(key)}</th>")
    out.append("</tr></thead><tbody>")
    for answer in parts.answers:
        out.append(
            f'<tr id="answer-{answer.question}"><td>{html.escape(answer.asked)}</td><td>{_ours(answer)}</td>'
            f"<td>{html.escape(answer.basis)}</td><td>{html.escape(answer.error)}</td>"
            f"<td>{html.escape(answer.published)}</td></tr>"
        )
    sources = dict.fromkeys(a.source for a in parts.answers if a.source)
    cited = "; ".join(f"<cite>{html.escape(s)}</cite>" for s in sources)
    out.append(f"</tbody></table><p>{t('answers_source')} {cited}</p></section>")
    return out


def _inventory(parts: PageParts) -> list[str]:
    lang, part = parts.lang, parts.inventory

    def t(key: str, **values: object) -> str:
        return html.escape(text(lang, key, **values))

    out = [f'<section id="inventory"><h2>{t("inventory")}</h2>{_demo(parts)}']
    out.append(f"<p>{t('inventory_principle', principle=part.principle)}</p>")
    if part.summary is None:
        out.append(f"<p>{t('inventory_absent')}</p></section>")
        return out
    out.append(f"<p>{t('inventory_intro')}</p>")
    if part.inventory_principles:
        out.append(f"<p>{t('principle_inventory', principles=part.inventory_principles)}</p>")
    if part.threshold:
        out.append(f"<p>{t('inventory_threshold', threshold=part.threshold)}</p>")
    if part.breaks:
        out.append(f"<p>{_cited(text(lang, 'inventory_breaks', source=part.source), parts.citations)}</p>")
    if part.breaks:
        # the largest break (in mass) in words; the others as a list
        largest = max(part.breaks, key=lambda b: abs(b.change) if b.change == b.change else 0.0)
        note = _cited(largest.note, parts.citations)
        out.append(f'<p class="break" id="break-{largest.region}-{largest.year}">{note}</p>')
        others = [b for b in part.breaks if b is not largest]
        if others:
            out.append(f"<p>{t('breaks_others')}</p><ul>")
            out.extend(f'<li id="break-{b.region}-{b.year}">{html.escape(b.short)}</li>' for b in others)
            out.append("</ul>")
    if not part.breaks:
        out.append(f"<p>{t('inventory_none')}</p>")
    out.append(
        f'<details id="table-{part.summary.name}"><summary>{html.escape(part.summary.sheet)}</summary>'
        f"{_table(part.summary.shown, lang)}</details></section>"
    )
    return out


def _figure(parts: PageParts, figure: DrawnFigure, *, caption: bool = True) -> str:
    data = base64.b64encode(figure.png.read_bytes()).decode("ascii")
    said = _cited(figure.caption, parts.citations) if caption else ""
    return (
        f'<figure id="fig-{figure.name}">{_demo(parts)}'
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(figure.title)}">'
        f"<figcaption>{said} "
        f"(SVG: <code>figures/{figure.name}.svg</code>)</figcaption></figure>"
    )


def _regions(parts: PageParts) -> list[str]:
    lang = parts.lang
    out = [f'<section id="regions"><h2>{html.escape(text(lang, "regions"))}</h2>{_demo(parts)}']
    links = " ".join(f'<a href="#fig-{f.name}">{html.escape(name)}</a>' for name, f in parts.regions)
    out.append(f'<p>{html.escape(text(lang, "regions_intro"))}</p><p class="index">{links}</p>')
    if parts.regions:  # one caption for all: the source and bases are the same for every region
        out.append(f"<p><small>{_cited(parts.regions[0][1].caption, parts.citations)}</small></p>")
    out.append('<div class="regions">')
    out.extend(_figure(parts, figure, caption=False) for _, figure in parts.regions)
    out.append("</div></section>")
    return out


def render_page(parts: PageParts) -> str:
    """The whole page as a string (figures read from their PNG files and embedded)."""
    lang = parts.lang

    def t(key: str, **values: object) -> str:
        return html.escape(text(lang, key, **values))

    def cited(value: str) -> str:
        return _cited(value, parts.citations)

    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-Hans" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(parts.title)}</title><style>{_CSS}</style></head><body>",
    ]
    if parts.demo:
        out.append(f'<div class="demo banner">{t("demo_banner")}</div>')
    out.append(f"<h1>{html.escape(parts.title)}</h1>")
    out.extend(_answers(parts))
    out.append(f'<section id="figures"><h2>{t("figures")}</h2>')
    out.extend(_figure(parts, figure) for figure in parts.figures)
    for omitted in parts.omitted:
        out.append(f"<p><b>{html.escape(omitted.title)}</b>: {html.escape(omitted.reason)}</p>")
    out.append("</section>")
    out.append(f'<section id="findings"><h2>{t("findings")}</h2>{_demo(parts)}')
    if parts.findings is not None:
        out.append(f"<p>{t('findings_intro')}</p>{_table(parts.findings.shown, lang)}")
    else:
        out.append(f"<p>{t('not_computed', what='findings.csv')}</p>")
    out.append("</section>")
    out.extend(_inventory(parts))
    out.append(f'<section id="why"><h2>{t("why")}</h2>')
    out.extend(f"<p>{cited(paragraph)}</p>" for paragraph in parts.why)
    out.append("</section>")
    out.append(f'<section id="about"><h2>{t("what")}</h2>{_demo(parts)}<dl>')
    for key, value in parts.about:
        out.append(f"<dt>{html.escape(key)}</dt><dd>{cited(value)}</dd>")
    out.append(f"</dl><h3>{t('extension')}</h3><p>{html.escape(parts.extension)}</p>")
    out.append(f"<h3>{t('skill_error')}</h3>")
    if parts.skill is not None:
        out.append(f"<p>{cited(parts.skill.caption)}</p>{_table(parts.skill.shown, lang)}")
    else:
        out.append(f"<p>{t('not_computed', what='skill.csv')}</p>")
    out.append("</section>")
    out.append(f'<section id="tables"><h2>{t("tables")}</h2>{_demo(parts)}<p>{t("extended_mark")}</p>')
    for topic in parts.topics:
        out.append(
            f'<details id="table-{topic.name}"><summary>{html.escape(topic.sheet)}</summary>'
            f"<p>{cited(topic.caption)}</p>{_table(topic.shown, lang)}</details>"
        )
    out.append(f"<p>{t('downloads_text')}</p></section>")
    out.extend(_regions(parts))
    out.append(f'<section id="reproduce"><h2>{t("reproduce")}</h2>{_demo(parts)}')
    folder = f"<code>{html.escape(parts.series_folder)}</code>"
    out.append(f"<p>{t('reproduce_text', folder='{folder}').replace('{folder}', folder)}</p>")
    out.append(f"<pre>{html.escape(parts.command)}</pre>")
    out.append(f"<p>{t('report_command')}:</p><pre>{html.escape(parts.report_command)}</pre></section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
