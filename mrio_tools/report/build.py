"""Build the report folder from a saved series folder: report.html, figures/, tables/ (written as a whole).

`build_report(series_dir, out_dir, lang=...)` reads the series (`series_folder.read_series_folder`),
never recomputes accounts, draws the figures (`figure_set`), writes the workbook and long tables
(`tables`) and the page (`page`). Everything is written into a sibling temporary folder that then
replaces `out_dir`, so an interrupted run leaves the old report or the new one, never a mix. A
`report.json` manifest in the folder lists the files and the inputs.

"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from mrio_tools import __version__
from mrio_tools.choices import LANGS, Lang
from mrio_tools.errors import OutputError, ValidationError
from mrio_tools.io.folders import replace_folder_atomically
from mrio_tools.io.output import display_path, display_text
from mrio_tools.report.answers import answers
from mrio_tools.report.describe import emissions_source, emissions_text, metadata_lines
from mrio_tools.report.figure_set import FigureSet
from mrio_tools.report.fonts import cjk_family, figure_style
from mrio_tools.report.i18n import region_name, text
from mrio_tools.report.inventory import breaks, inventory_principles, threshold
from mrio_tools.report.page import InventoryPart, PageParts, render_page
from mrio_tools.report.region_figures import region_figures
from mrio_tools.report.series_folder import SeriesFolder, read_series_folder
from mrio_tools.report.tables import Topic, write_long_tables, write_workbook
from mrio_tools.report.topics import Topics, series_topics
from mrio_tools.report.views import Choices, basis_by_year, extended_years, pick_regions, pick_stressor
from mrio_tools.report.words import findings_in_words, price_words, principle_words

#: the report folder's own manifest (files and inputs); a folder without it is not replaced
MANIFEST = "report.json"


def _check_out_dir(series_dir: Path, out_dir: Path) -> None:
    series, out = series_dir.resolve(), out_dir.resolve()
    if series == out or series.is_relative_to(out):
        raise OutputError(
            f"{out_dir}: the report folder would replace the series folder {series_dir}; "
            "write the report to another folder, e.g. DIR/report"
        )
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MANIFEST).is_file())):
        raise OutputError(
            f"{out_dir} exists and is not a report folder (no {MANIFEST}); the report replaces its folder "
            "as a whole, so give a new or empty folder"
        )


def build_report(
    series_dir: Path,
    out_dir: Path,
    *,
    lang: Lang = "en",
    stressor: str | None = None,
    regions: Sequence[str] | None = None,
    year: int | None = None,
    top_flows: int = 10,
    command: str | None = None,
    skill_dir: Path | None = None,
    methods_dir: Path | None = None,
) -> list[Path]:
    """Write the report of the saved series folder `source` into `out_dir`; return the files written.

    `lang` ("en" or "zh") sets every text, label, header and region name; Chinese needs a CJK font
    (`fonts.cjk_family`). `stressor` (default: the first PBA stressor, CO2 preferred), `regions`
    (default: CHN, USA, DEU, JPN, IND, GBR where present, else the largest emitters) and `year` of the
    one-year figures (default: the last year) are display choices. `command` is the command that
    asked for the report, shown under "How to reproduce". `skill_dir`: the folder of
    `mrio-tools skill-test` (skill.csv, skill_summary.csv) when it is not the series folder.
    `methods_dir`: a folder of `mrio-tools eebt|tcba|sda|...` outputs (report.methods_section).

    The series folder must be one run's (its manifest checked, `mrio_tools.series.folder.check_manifest`).
    The report folder is replaced as a whole (`mrio_tools.io.output.replace_folder_atomically`).
    """
    from mrio_tools.series.folder import check_manifest

    if lang not in LANGS:
        raise ValueError(f"lang {lang!r} is not one of {LANGS}")
    series_dir = Path(series_dir)
    folder = read_series_folder(series_dir, skill_dir=skill_dir)
    if methods_dir is not None:  # methods hook (issue 19): read before any work, fail early
        from mrio_tools.report.methods_section import read_methods_folder

        read_methods_folder(methods_dir)
    check_manifest(series_dir)
    _check_out_dir(series_dir, out_dir)
    if lang == "zh":
        cjk_family()  # fail before any work when no font covers Chinese
    chosen = pick_stressor(folder.accounts, stressor)
    years = sorted(int(y) for y in folder.accounts["year"].unique())
    if year is not None and year not in years:
        raise ValidationError(
            f"--year {year} is not in the series {series_dir} ({years[0]}-{years[-1]}). "
            "Fix: pass one of its years"
        )
    choices = Choices(
        stressor=chosen,
        regions=pick_regions(folder.accounts, chosen, regions),
        year=year if year is not None else years[-1],
        lang=lang,
    )
    files: list[Path] = []

    def build(built: Path) -> None:
        _build_into(folder, choices, built, top_flows=top_flows, command=command, series_dir=series_dir)
        if methods_dir is not None:  # methods hook (issue 19): a page section and a sheet per method
            from mrio_tools.report.methods_section import add_methods

            add_methods(built, read_methods_folder(methods_dir), choices.stressor, choices.year, choices.lang)
        files.extend(sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file()))

    replace_folder_atomically(build, out_dir)
    return [out_dir / f for f in files]


def _notes(
    folder: SeriesFolder, choices: Choices, topics: Topics, commands: tuple[str, str]
) -> list[tuple[str, str]]:
    lang = choices.lang
    return [
        *([(text(lang, "demo_tag").strip(), text(lang, "demo_banner"))] if folder.demonstration else []),
        *metadata_lines(folder.metadata, lang),
        (text(lang, "stressor"), choices.stressor),
        (text(lang, "extension"), _extension_text(folder, lang)),
        (
            text(lang, "skill_error"),
            "skill_summary.csv"
            if topics.get("skill_summary") is not None
            else text(lang, "not_computed", what="skill.csv"),
        ),
        (text(lang, "reproduce"), commands[0]),
        (text(lang, "report_command"), commands[1]),
        ("mrio_tools", __version__),
    ]


def _extension_text(folder: SeriesFolder, lang: Lang) -> str:
    extended = extended_years(folder.accounts)
    if not extended:
        return text(lang, "extension_none")
    return text(lang, "extension_years", years=", ".join(str(y) for y in extended))


def _why(folder: SeriesFolder, lang: Lang) -> list[str]:
    """The paragraphs of 'why they differ', filled with this series' source, years and prices."""
    meta = folder.metadata
    bases = basis_by_year(folder.accounts)
    tables = sorted(int(str(y)) for y, b in bases.items() if b == "table")
    estimated = extended_years(folder.accounts)
    findings = folder.optional.get("findings")
    prices = "constant USD"
    if findings is not None and "statistic" in findings.columns:
        constant = [s for s in findings["statistic"].astype(str) if "constant" in s]
        prices = constant[0].split(", ", 1)[-1] if constant else prices
    span = f"{tables[0]}-{tables[-1]}" if tables else "-"
    return [
        text(
            lang,
            "why_database",
            source=str(meta.get("version") or meta.get("source", "?")),
            regions=meta.get("regions", "?"),
        ),
        text(lang, "why_principle", principle=principle_words(meta, lang)),
        text(lang, "why_estimated", tables=span, years=", ".join(str(y) for y in estimated) or "-"),
        text(lang, "why_prices", prices=price_words(prices, lang)),
    ]


def _inventory_part(folder: SeriesFolder, choices: Choices, topics: Topics) -> InventoryPart:
    lang, checks = choices.lang, folder.optional.get("inventory_check")
    principle = principle_words(folder.metadata, lang)
    if checks is None or checks.empty:
        return InventoryPart(principle, "", None, None, [], None)
    meta = folder.optional_metadata.get("inventory_check", {})
    source = emissions_source(folder.metadata) or "?"
    return InventoryPart(
        principle=principle,
        source=source,
        inventory_principles=text(lang, "list_sep").join(
            text(lang, f"entry_principle_{p}") if p in ("residence", "territorial") else p
            for p in inventory_principles(checks)
        )
        or None,
        threshold=threshold(meta, lang),
        breaks=breaks(checks, lang=lang),
        summary=topics.get("inventory_summary"),
    )


def _build_into(
    folder: SeriesFolder,
    choices: Choices,
    out: Path,
    *,
    top_flows: int,
    command: str | None,
    series_dir: Path,
) -> None:
    lang, meta, demo = choices.lang, folder.metadata, folder.demonstration
    tag = text(lang, "demo_tag") if demo else ""
    with figure_style(lang):
        figure_set = FigureSet(folder, choices, out / "figures")
        drawn, omitted = figure_set.draw_all(flows=top_flows)
        regions = region_figures(figure_set, out / "figures")

    def caption(key: str) -> str:
        source = f"{meta.get('source', '?')} ({meta.get('version', '?')}); {emissions_text(meta, lang)}"
        return f"{tag}{text(lang, key)}. {source}. {choices.stressor}"

    topics = series_topics(folder, choices, caption, n_flows=top_flows)
    series_command = display_text(str(meta.get("command") or text(lang, "not_recorded")))
    folder_name = display_path(series_dir)
    report_command = (
        display_text(command)
        if command
        else f"mrio_tools.report.build_report({folder_name!r}, OUT, lang={lang!r})"
    )
    tables_dir = out / "tables"
    write_workbook(
        tables_dir / "policy_tables.xlsx",
        topics.all,
        _notes(folder, choices, topics, (series_command, report_command)),
        text(lang, "notes"),
        (text(lang, "note_key"), text(lang, "note_value")),
    )
    write_long_tables(tables_dir, topics.all)
    findings = folder.optional.get("findings")
    years = len(basis_by_year(folder.accounts))
    skill = topics.get("extended_errors") or topics.get("skill_summary") or topics.get("skill")
    page = render_page(
        PageParts(
            lang=lang,
            title=(tag + text(lang, "title", stressor=choices.stressor)),
            demo=demo,
            answers=None
            if findings is None
            else answers(
                findings, basis_by_year(folder.accounts), meta, folder.optional.get("skill_summary"), lang
            ),
            why=_why(folder, lang),
            about=[*metadata_lines(meta, lang), (text(lang, "stressor"), choices.stressor)],
            extension=_extension_text(folder, lang),
            skill=skill,
            findings=None
            if findings is None
            else Topic(
                "findings",
                text(lang, "sheet_findings"),
                "",
                findings_in_words(findings, lang, years),
                findings,
            ),
            inventory=_inventory_part(folder, choices, topics),
            figures=drawn,
            omitted=omitted,
            topics=topics.tables(),
            regions=[(region_name(f.name.removeprefix("region_"), lang), f) for f in regions],
            command=series_command,
            report_command=report_command,
            series_folder=folder_name,
            citations=[str(meta.get("source", "")), str(meta.get("version", "")), emissions_source(meta)],
        )
    )
    (out / "report.html").write_text(page, encoding="utf-8")
    manifest = {
        "series_dir": folder_name,
        "lang": lang,
        "stressor": choices.stressor,
        "regions": list(choices.regions),
        "year": choices.year,
        "figures": [f.name for f in drawn],
        "region_figures": [f.name for f in regions],
        "omitted": {o.name: o.reason for o in omitted},
        "tables": [t.name for t in topics.all],
        "mrio_tools": __version__,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
