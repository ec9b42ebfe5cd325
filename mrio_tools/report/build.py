"""Build the report folder from a saved series folder: report.html, figures/, tables/ (written as a whole).

`build_report(series_dir, out_dir, lang=...)` reads the series (`series_folder.read_series_folder`),
never recomputes accounts, draws the figures (`figure_set`), writes the workbook and long tables
(`tables`) and the page (`page`). Everything is written into a sibling temporary folder that then
replaces `out_dir`, so an interrupted run leaves the old report or the new one, never a mix. A
`report.json` manifest in the folder lists the files and the inputs.

"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path

from mrio_tools import __version__
from mrio_tools.choices import LANGS, Lang
from mrio_tools.errors import OutputError, ValidationError
from mrio_tools.io.folders import replace_folder_atomically
from mrio_tools.io.output import display_path
from mrio_tools.report.figure_set import FigureSet
from mrio_tools.report.fonts import cjk_family, figure_style
from mrio_tools.report.i18n import text
from mrio_tools.report.page import PageParts, render_page
from mrio_tools.report.series_folder import SeriesFolder, read_series_folder
from mrio_tools.report.tables import Topic, write_long_tables, write_workbook
from mrio_tools.report.views import (
    Choices,
    common_unit,
    emissions_text,
    extended_year_errors,
    extended_years,
    findings_view,
    intensity_series,
    localize,
    mass_accounts,
    metadata_lines,
    per_capita_rows,
    pick_regions,
    pick_stressor,
    wide_by_region,
)
from mrio_tools.report.views import top_flows as top_flows_table
from mrio_tools.schema import MASS_ACCOUNTS, PER_CAPITA_ACCOUNTS

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
        drawn, omitted = FigureSet(folder, choices, out / "figures").draw_all(flows=top_flows)

    def caption(key: str) -> str:
        source = f"{meta.get('source', '?')} ({meta.get('version', '?')}); {emissions_text(meta)}"
        return f"{tag}{text(lang, key)}. {source}. {choices.stressor}"

    topics: list[Topic] = []
    rows, unit = mass_accounts(folder.accounts, choices.stressor, MASS_ACCOUNTS)
    topics.append(
        Topic(
            "accounts",
            text(lang, "sheet_accounts"),
            caption("sheet_accounts"),
            wide_by_region(rows, MASS_ACCOUNTS, unit, lang),
            rows,
        )
    )
    groups = folder.optional.get("groups")
    if groups is not None:
        rows, unit = mass_accounts(groups, choices.stressor, MASS_ACCOUNTS)
        shown = wide_by_region(rows, MASS_ACCOUNTS, unit, lang).rename(
            columns={text(lang, "col_region"): text(lang, "col_group")}
        )
        topics.append(Topic("groups", text(lang, "sheet_groups"), caption("sheet_groups"), shown, rows))
    per_capita = per_capita_rows(folder, choices.stressor)
    if not per_capita.empty:
        unit, factor = common_unit(per_capita[per_capita["account"] != "NET_TRANSFER_PER_CAPITA"])
        per_capita = per_capita.assign(value=per_capita["value"] * factor, unit=unit)
        topics.append(
            Topic(
                "per_capita",
                text(lang, "sheet_per_capita"),
                caption("sheet_per_capita"),
                wide_by_region(per_capita, PER_CAPITA_ACCOUNTS, unit, lang),
                per_capita,
            )
        )
    intensity, _ = intensity_series(folder, choices.stressor, lang)
    if not intensity.empty:
        wide = intensity.pivot_table(
            index=["year", "region"], columns="series", values="value", aggfunc="sum"
        )
        basis = intensity.groupby(["year", "region"])["basis"].first()
        wide.insert(0, "basis", basis.reindex(wide.index))
        shown = localize(wide.reset_index(), lang)
        topics.append(
            Topic(
                "export_intensity",
                text(lang, "sheet_export_intensity"),
                caption("sheet_export_intensity"),
                shown,
                intensity,
            )
        )
    flows, unit = top_flows_table(folder.flows, choices.stressor, top_flows)
    if not flows.empty:
        shown = flows[["year", "origin", "destination", "value", "basis"]].rename(
            columns={"value": f"{choices.stressor} [{unit}]"}
        )
        topics.append(
            Topic(
                "top_flows",
                text(lang, "sheet_top_flows"),
                caption("sheet_top_flows"),
                localize(shown, lang),
                flows,
            )
        )
    plain = {
        "findings": "sheet_findings",
        "skill_summary": "sheet_skill",
        "skill": "sheet_skill_cases",
        "output_gap_sensitivity": "sheet_output_gap",
    }
    extra: dict[str, Topic] = {}
    for name, key in plain.items():
        table = folder.optional.get(name)
        if table is not None:
            shown = findings_view(table, lang, compact=False) if name == "findings" else localize(table, lang)
            extra[name] = Topic(name, text(lang, key), caption(key), shown, table)
            topics.append(extra[name])

    extended = extended_years(folder.accounts)
    if "skill_summary" in extra and extended:
        errors = extended_year_errors(folder.accounts, meta, extra["skill_summary"].long, lang)
        extra["extended_errors"] = Topic(
            "extended_errors",
            text(lang, "sheet_extended_errors"),
            caption("extended_errors_caption"),
            errors,
            errors,
        )
        topics.append(extra["extended_errors"])
    extension = (
        text(lang, "extension_years", years=", ".join(str(y) for y in extended))
        if extended
        else text(lang, "extension_none")
    )
    series_command = str(meta.get("command") or text(lang, "not_recorded"))
    report_command = (
        command or f"mrio_tools.report.build_report({display_path(series_dir)!r}, OUT, lang={lang!r})"
    )
    notes = [
        *([(text(lang, "demo_tag").strip(), text(lang, "demo_banner"))] if demo else []),
        *metadata_lines(meta, lang),
        (text(lang, "stressor"), choices.stressor),
        (text(lang, "extension"), extension),
        (
            text(lang, "skill_error"),
            "skill_summary.csv" if "skill_summary" in extra else text(lang, "not_computed", what="skill.csv"),
        ),
        (text(lang, "reproduce"), series_command),
        (text(lang, "report_command"), report_command),
        ("mrio_tools", __version__),
    ]
    tables_dir = out / "tables"
    write_workbook(
        tables_dir / "policy_tables.xlsx",
        topics,
        notes,
        text(lang, "notes"),
        (text(lang, "note_key"), text(lang, "note_value")),
    )
    write_long_tables(tables_dir, topics)
    about = [*metadata_lines(meta, lang), (text(lang, "stressor"), choices.stressor)]
    page = render_page(
        PageParts(
            lang=lang,
            title=(tag + text(lang, "title", stressor=choices.stressor)),
            demo=demo,
            about=about,
            extension=extension,
            skill=extra.get("extended_errors", extra.get("skill_summary", extra.get("skill"))),
            findings=(
                dataclasses.replace(
                    extra["findings"], shown=findings_view(extra["findings"].long, lang, compact=True)
                )
                if "findings" in extra
                else None
            ),
            figures=drawn,
            omitted=omitted,
            topics=[
                t for t in topics if t.name not in ("findings", "skill", "skill_summary", "extended_errors")
            ],
            command=series_command,
            report_command=report_command,
            series_folder=display_path(series_dir),
        )
    )
    (out / "report.html").write_text(page, encoding="utf-8")
    manifest = {
        "series_dir": display_path(series_dir),
        "lang": lang,
        "stressor": choices.stressor,
        "regions": list(choices.regions),
        "year": choices.year,
        "figures": [f.name for f in drawn],
        "omitted": {o.name: o.reason for o in omitted},
        "tables": [t.name for t in topics],
        "mrio_tools": __version__,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
