"""The report's section on the methods beyond the basic accounts, from a folder of their outputs.

`mrio-tools eebt | tcba | sda | income | sectors | footprints | paths --out-dir DIR` write
`DIR/<method>.csv` (and `_flows`, `_top`, `_list`, `_endpoints` tables). `read_methods_folder(DIR)`
reads what is there; `method_topics` makes one `Topic` per method (a sheet of the workbook and a long
table), each a compact table of one year and stressor; `section_html` renders them as the page's
"methods" section. Nothing is recomputed. Definitions: docs/methods.md, the section each method cites.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Final

import pandas as pd

from mrio_tools.choices import Lang
from mrio_tools.errors import DataFileError
from mrio_tools.report.i18n import account_name
from mrio_tools.report.tables import Topic
from mrio_tools.report.views import localize

#: file of each method's shown table, the accounts shown (None: the table as it is), sort account
SHOWN: Final[dict[str, tuple[str, tuple[str, ...] | None, str]]] = {
    "eebt": (
        "eebt.csv",
        ("CBA", "CBA_EEBT", "CBA_EEBT_MINUS_MRIO", "EEBT_DIFF_REEXPORTED", "EEBT_DIFF_OTHER"),
        "CBA",
    ),
    "tcba": ("tcba.csv", ("CBA", "TCBA", "EEE", "EEE_WORLD_AVERAGE"), "CBA"),
    "income": ("income.csv", ("PBA", "IBA"), "PBA"),
    "sda": (
        "sda.csv",
        (
            "EXPORT_INTENSITY_START",
            "EXPORT_INTENSITY_END",
            "SDA_TOTAL_CHANGE",
            "SDA_INTENSITY_EFFECT",
            "SDA_TECHNOLOGY_EFFECT",
            "SDA_EXPORT_MIX_EFFECT",
        ),
        "EXPORT_INTENSITY_START",
    ),
    "sectors": ("sectors_top.csv", None, "value"),
    "footprints": ("footprints.csv", None, "value"),
    "paths": ("paths_list.csv", None, "value"),
}
TITLES: Final[dict[str, dict[Lang, str]]] = {
    "section": {"en": "Beyond the basic accounts", "zh": "基本账户之外的方法"},
    "eebt": {"en": "trade view (EEBT) beside the MRIO view", "zh": "双边贸易隐含排放（EEBT）与MRIO视角"},
    "tcba": {"en": "technology-adjusted CBA", "zh": "技术调整的消费端排放（TCBA）"},
    "income": {"en": "income-based accounts", "zh": "收入端排放（Ghosh）"},
    "sda": {"en": "decomposition of export intensity", "zh": "出口碳强度的结构分解"},
    "sectors": {"en": "sectors carrying the net transfers", "zh": "承载净转移的部门"},
    "footprints": {"en": "most carbon-intensive products", "zh": "碳足迹强度最高的产品"},
    "paths": {"en": "largest supply-chain paths", "zh": "最大的供应链路径"},
}
#: workbook sheet of each method (at most 31 characters)
SHEETS: Final[dict[str, dict[Lang, str]]] = {
    "eebt": {"en": "EEBT vs MRIO", "zh": "EEBT与MRIO"},
    "tcba": {"en": "TCBA", "zh": "TCBA"},
    "income": {"en": "income-based", "zh": "收入端"},
    "sda": {"en": "SDA export intensity", "zh": "出口强度分解"},
    "sectors": {"en": "sector transfers", "zh": "部门转移"},
    "footprints": {"en": "footprint intensity", "zh": "足迹强度"},
    "paths": {"en": "supply-chain paths", "zh": "供应链路径"},
}
#: rows shown per table on the page and sheet (the long table has all)
ROWS: Final = 30


def read_methods_folder(folder: Path) -> dict[str, pd.DataFrame]:
    """The methods' tables found in `folder` (by method name); `DataFileError` when it holds none."""
    folder = Path(folder)
    found = {}
    for method, (name, _, _) in SHOWN.items():
        path = folder / name
        if path.is_file():
            found[method] = pd.read_csv(path, keep_default_na=False, na_values=[""])
    endpoints = folder / "sda_endpoints.csv"
    if endpoints.is_file():  # the decomposition from the first to the last year, when chained
        found["sda"] = pd.read_csv(endpoints, keep_default_na=False, na_values=[""])
    if not found:
        raise DataFileError(
            f"{folder}: no outputs of the method commands ({', '.join(n for n, _, _ in SHOWN.values())}). "
            "Fix: run e.g. `mrio-tools eebt ... --out-dir DIR` and pass --methods-dir DIR"
        )
    return found


def _shown(
    method: str, table: pd.DataFrame, *, stressor: str, year: int | None, lang: Lang
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(shown, long) of one method for the stressor and year (the last year in the table by default)."""
    _, accounts, sort = SHOWN[method]
    rows = table[table["stressor"].astype(str) == stressor] if "stressor" in table.columns else table
    if rows.empty and "stressor" in table.columns:
        rows = table[table["stressor"] == table["stressor"].iloc[0]]
    years = sorted(rows["year"].unique())
    chosen = year if year in years else years[-1]
    rows = rows[rows["year"] == chosen]
    if method == "footprints":
        rows = rows[rows["account"] == "FOOTPRINT_INTENSITY"].nlargest(ROWS, "value")
        shown = rows[["year", "region", "sector", "value", "unit"]].reset_index(drop=True)
        return localize(shown, lang), rows
    if method == "paths":
        return localize(rows.head(ROWS).reset_index(drop=True), lang), rows
    if method == "sectors":
        shown = rows.reset_index(drop=True).head(ROWS * 3)
        if "account" in shown.columns:
            shown = shown.assign(account=[account_name(str(a), lang) for a in shown["account"]])
        return localize(shown, lang), rows
    assert accounts is not None
    regional = rows["sector"].fillna("") == "" if "sector" in rows.columns else True
    rows = rows[rows["account"].isin(accounts) & regional]
    wide = rows.pivot_table(index="region", columns="account", values="value", aggfunc="sum")
    units = rows.groupby("account")["unit"].first()
    wide = wide.reindex(columns=[a for a in accounts if a in wide.columns]).sort_values(sort, ascending=False)
    wide.columns = [f"{account_name(a, lang)} [{units[a]}]" for a in wide.columns]
    wide.insert(0, "year", chosen)
    return localize(wide.reset_index().head(ROWS), lang), rows


def method_topics(
    tables: dict[str, pd.DataFrame], *, stressor: str, year: int | None, lang: Lang
) -> list[Topic]:
    """One Topic per method present (sheet `m_<method>`), in the order of `SHOWN`."""
    topics = []
    for method in SHOWN:
        if method not in tables:
            continue
        shown, long = _shown(method, tables[method], stressor=stressor, year=year, lang=lang)
        title = TITLES[method][lang]
        caption = f"{title}. docs/methods.md. {stressor}"
        topics.append(Topic(f"methods_{method}", SHEETS[method][lang], caption, shown, long))
    return topics


def section_html(topics: list[Topic], lang: Lang) -> str:
    """The page's methods section: one collapsible table per method."""
    out = [f'<section id="methods"><h2>{html.escape(TITLES["section"][lang])}</h2>']
    for topic in topics:
        out.append(
            f'<details id="table-{topic.name}" open><summary>{html.escape(topic.sheet)}</summary>'
            f"<p>{html.escape(topic.caption)}</p>"
            f"{topic.shown.to_html(index=False, float_format='{:.4g}'.format)}"
            "</details>"
        )
    out.append("</section>")
    return "\n".join(out)


def with_section(page: str, section: str) -> str:
    """`page` with `section` placed before its reproduce section (or before </body>)."""
    marker = '<section id="reproduce">'
    at = page.find(marker)
    at = at if at >= 0 else page.rfind("</body>")
    return page[:at] + section + "\n" + page[at:]


def _add_sheets(path: Path, topics: list[Topic]) -> None:
    """Append one sheet per topic (caption row, bold header, frozen panes) to the workbook at `path`."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    book = load_workbook(path)
    bold = Font(bold=True)
    for topic in topics:
        sheet = book.create_sheet(topic.sheet[:31])
        sheet.cell(row=1, column=1, value=topic.caption).font = bold
        for j, header in enumerate(topic.shown.columns, start=1):
            sheet.cell(row=2, column=j, value=str(header)).font = bold
        for i, row in enumerate(topic.shown.itertuples(index=False), start=3):
            for j, value in enumerate(row, start=1):
                sheet.cell(row=i, column=j, value=value.item() if hasattr(value, "item") else value)
        sheet.freeze_panes = "A3"
    book.save(path)


def add_methods(
    built: Path, tables: dict[str, pd.DataFrame], stressor: str, year: int | None, lang: Lang
) -> None:
    """Add the methods to a report folder being built: page section, sheets, long tables, manifest."""
    import json

    from mrio_tools.report.tables import write_long_tables

    topics = method_topics(tables, stressor=stressor, year=year, lang=lang)
    page = built / "report.html"
    page.write_text(
        with_section(page.read_text(encoding="utf-8"), section_html(topics, lang)), encoding="utf-8"
    )
    workbook = built / "tables" / "policy_tables.xlsx"
    if workbook.is_file():
        _add_sheets(workbook, topics)
    write_long_tables(built / "tables", topics)
    manifest = built / "report.json"
    if manifest.is_file():
        content = json.loads(manifest.read_text(encoding="utf-8"))
        content["tables"] = [*content.get("tables", []), *(t.name for t in topics)]
        manifest.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
