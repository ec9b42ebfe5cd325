"""The report page: one self-contained HTML file (figures embedded as base64 PNG, no network, no script)."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mrio_tools.choices import Lang
from mrio_tools.report.figure_set import DrawnFigure, Omitted
from mrio_tools.report.i18n import text
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
"""


@dataclass(frozen=True)
class PageParts:
    """What the page shows, in order."""

    lang: Lang
    title: str
    demo: bool
    about: Sequence[tuple[str, str]]
    extension: str
    skill: Topic | None
    findings: Topic | None
    figures: Sequence[DrawnFigure]
    omitted: Sequence[Omitted]
    topics: Sequence[Topic]
    command: str
    report_command: str
    series_folder: str


def _table(frame: pd.DataFrame, *, limit: int = 2000) -> str:
    rows = []
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    for values in frame.head(limit).itertuples(index=False):
        extended = str(values[0]).endswith(EXTENDED_MARK) if len(values) else False
        cells = []
        for value in values:
            if isinstance(value, float | np.floating):
                number = float(value)
                if not np.isfinite(number):
                    shown = ""
                else:
                    shown = f"{number:,.4g}" if abs(number) < 1000 else f"{number:,.0f}"
                cells.append(f'<td class="num">{html.escape(shown)}</td>')
            elif isinstance(value, int | np.integer) and not isinstance(value, bool):
                cells.append(f'<td class="num">{value}</td>')
            else:
                cells.append(f"<td>{html.escape(str(value))}</td>")
        attribute = ' class="extended"' if extended else ""
        rows.append(f"<tr{attribute}>{''.join(cells)}</tr>")
    more = f"<p>… {len(frame) - limit} more rows in the workbook and CSV.</p>" if len(frame) > limit else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


def _demo(parts: PageParts) -> str:
    return f'<p class="demo">{html.escape(text(parts.lang, "demo_banner"))}</p>' if parts.demo else ""


def render_page(parts: PageParts) -> str:
    """The whole page as a string (figures read from their PNG files and embedded)."""

    def t(key: str, **values: object) -> str:
        return html.escape(text(parts.lang, key, **values))

    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-Hans" if parts.lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(parts.title)}</title><style>{_CSS}</style></head><body>",
    ]
    if parts.demo:
        out.append(f'<div class="demo banner">{t("demo_banner")}</div>')
    out.append(f"<h1>{html.escape(parts.title)}</h1>")
    out.append(f'<section id="about"><h2>{t("what")}</h2>{_demo(parts)}<dl>')
    for key, value in parts.about:
        out.append(f"<dt>{html.escape(key)}</dt><dd>{html.escape(value)}</dd>")
    out.append(f"</dl><h3>{t('extension')}</h3><p>{html.escape(parts.extension)}</p>")
    out.append(f"<h3>{t('skill_error')}</h3>")
    if parts.skill is not None:
        out.append(f"<p>{html.escape(parts.skill.caption)}</p>{_table(parts.skill.shown)}")
    else:
        out.append(f"<p>{t('not_computed', what='skill.csv')}</p>")
    out.append("</section>")
    out.append(f'<section id="findings"><h2>{t("findings")}</h2>{_demo(parts)}')
    if parts.findings is not None:
        out.append(f"<p>{html.escape(parts.findings.caption)}</p>{_table(parts.findings.shown)}")
    else:
        out.append(f"<p>{t('not_computed', what='findings.csv')}</p>")
    out.append("</section>")
    out.append(f'<section id="figures"><h2>{t("figures")}</h2>')
    for figure in parts.figures:
        data = base64.b64encode(figure.png.read_bytes()).decode("ascii")
        out.append(
            f'<figure id="fig-{figure.name}">{_demo(parts)}'
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(figure.title)}">'
            f"<figcaption>{html.escape(figure.caption)} (SVG: figures/{figure.name}.svg)</figcaption>"
            "</figure>"
        )
    for omitted in parts.omitted:
        out.append(f"<p><b>{html.escape(omitted.title)}</b>: {html.escape(omitted.reason)}</p>")
    out.append("</section>")
    out.append(f'<section id="tables"><h2>{t("tables")}</h2>{_demo(parts)}<p>{t("extended_mark")}</p>')
    for topic in parts.topics:
        out.append(
            f'<details id="table-{topic.name}"><summary>{html.escape(topic.sheet)}</summary>'
            f"<p>{html.escape(topic.caption)}</p>{_table(topic.shown)}</details>"
        )
    out.append(f"<p>{t('downloads_text')}</p></section>")
    out.append(f'<section id="reproduce"><h2>{t("reproduce")}</h2>{_demo(parts)}')
    out.append(
        f"<p>{t('reproduce_text', folder=parts.series_folder)}</p><pre>{html.escape(parts.command)}</pre>"
    )
    out.append(f"<p>{t('report_command')}:</p><pre>{html.escape(parts.report_command)}</pre></section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
