"""The report's figures, drawn from a saved series: each with its caption and the table behind it.

Every figure is a `matplotlib.figure.Figure` (no pyplot state), saved as PNG and SVG. Titles carry
the demonstration label where the data is made up; captions name the source, the emissions and the
basis of the years shown.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from mrio_tools.choices import TABLE_BASIS
from mrio_tools.io.output import atomic_write
from mrio_tools.report.describe import emissions_text
from mrio_tools.report.figures import (
    add_caption,
    basis_handles,
    mark_extended,
    plot_lines_over_time,
    plot_pba_cba_time,
    plot_ranked_bars,
    plot_top_flows,
)
from mrio_tools.report.i18n import account_name, region_name, text
from mrio_tools.report.maps import plot_choropleth, read_boundaries
from mrio_tools.report.series_folder import SeriesFolder
from mrio_tools.report.views import (
    Choices,
    as_index,
    basis_by_year,
    common_unit,
    group_lines,
    intensity_series,
    mass_accounts,
    per_capita_rows,
    top_flows,
)
from mrio_tools.report.words import basis_words, year_basis_words
from mrio_tools.schema import MASS_ACCOUNTS


@dataclass(frozen=True)
class DrawnFigure:
    """A saved figure: its file stem, title, caption and the long table it was drawn from."""

    name: str
    title: str
    caption: str
    png: Path
    svg: Path
    table: pd.DataFrame


@dataclass(frozen=True)
class Omitted:
    """A figure the series cannot support, with the sentence the report shows instead."""

    name: str
    title: str
    reason: str


def save_figure(fig: Figure, stem: Path, *, dpi: int = 150) -> tuple[Path, Path]:
    """Write `fig` as `stem.png` (`dpi`, default 150) and `stem.svg`, each atomically."""
    paths = []
    for fmt in ("png", "svg"):

        def draw(tmp: Path, fmt: str = fmt) -> None:
            fig.savefig(
                tmp,
                format=fmt,
                dpi=dpi,
                bbox_inches="tight",
                metadata=None if fmt == "png" else {"Date": None},
            )

        paths.append(atomic_write(stem.with_suffix(f".{fmt}"), draw))
    return paths[0], paths[1]


def footer(fig: Figure, ax: Axes, handles: list[Artist], caption: str) -> Axes:
    """An axes-less strip `ax` under the panels of `fig`: the legend, then the caption (source, basis)."""
    ax.set_axis_off()
    width = float(fig.get_figwidth())
    legend = ax.legend(
        handles=handles, loc="upper center", ncols=max(1, int(width // 4)), fontsize=7.5, frameon=False
    )
    legend.set_in_layout(True)
    # a CJK character is about twice as wide as a Latin one: wrap Chinese captions at half the count
    limit = int(width * 16) // (2 if any("\u4e00" <= c <= "\u9fff" for c in caption) else 1)
    ax.annotate(
        textwrap.fill(caption, limit),
        xy=(0.0, 0.0),
        xycoords="axes fraction",
        va="top",
        fontsize=6.5,
    )
    return ax


class FigureSet:
    """Draws the report's figures of one series into a folder (see `draw_all`)."""

    def __init__(self, folder: SeriesFolder, choices: Choices, out: Path) -> None:
        self.folder, self.choices, self.out, self.lang = folder, choices, out, choices.lang
        self.demo = folder.demonstration
        self.basis = basis_by_year(folder.accounts)
        self.drawn: list[DrawnFigure] = []
        self.omitted: list[Omitted] = []

    # helpers ---------------------------------------------------------------------------------
    def t(self, key: str, **values: object) -> str:
        return text(self.lang, key, **values)

    def title(self, key: str, **values: object) -> str:
        return (self.t("demo_tag") if self.demo else "") + self.t(key, **values)

    def caption(self, years: list[int] | None = None, extra: str = "") -> str:
        meta = self.folder.metadata
        basis = self.basis if years is None else self.basis.reindex(years).dropna()
        held = sorted(set(basis)) or [TABLE_BASIS]
        kinds = basis_words(held[0], self.lang) if len(held) == 1 else self.t("basis_mixed")
        body = self.t(
            "caption",
            source=meta.get("source", "?"),
            version=meta.get("version", "?"),
            emissions=emissions_text(meta, self.lang) or self.t("not_recorded"),
            basis=kinds,
        )
        return (self.t("demo_banner") + " " if self.demo else "") + body + extra

    def extended_label(self, year: int) -> str | None:
        """The legend text for an extended `year` (naming its basis), None for a year from a table."""
        basis = str(self.basis.get(year, TABLE_BASIS))
        return None if basis == TABLE_BASIS else self.t("extended_legend")

    def name(self, code: str) -> str:
        return region_name(code, self.lang)

    def keep(self, name: str, title: str, fig: Figure, table: pd.DataFrame, caption: str) -> None:
        png, svg = save_figure(fig, self.out / name)
        self.drawn.append(DrawnFigure(name, title, caption, png, svg, table))

    def omit(self, name: str, title: str, what: str) -> None:
        self.omitted.append(Omitted(name, title, self.t("not_computed", what=what)))

    # figures ---------------------------------------------------------------------------------
    def pba_cba(self, table: pd.DataFrame, regions: list[str], name: str, title_key: str) -> None:
        stressor = self.choices.stressor
        rows, unit = mass_accounts(table, stressor, ("PBA", "CBA"))
        rows = rows[rows["region"].isin(regions)]
        title = self.title(title_key, stressor=stressor)
        ncols = min(3, len(regions))
        nrows = -(-len(regions) // ncols)
        fig = Figure(figsize=(3.6 * ncols + 0.5, 2.6 * nrows + 1.6), layout="constrained")
        grid = fig.add_gridspec(nrows + 1, ncols, height_ratios=[1.0] * nrows + [0.3])
        axes = np.array([[fig.add_subplot(grid[i, j]) for j in range(ncols)] for i in range(nrows)])
        names = {"PBA": account_name("PBA", self.lang), "CBA": account_name("CBA", self.lang)}
        for ax, region in zip(axes.flat, regions, strict=False):
            one = rows[rows["region"] == region]
            pba = one[one["account"] == "PBA"].set_index("year")["value"]
            cba = one[one["account"] == "CBA"].set_index("year")["value"]
            basis = one.groupby("year")["basis"].first()
            plot_pba_cba_time(ax, pba, cba, basis, title=self.name(region), unit=unit, names=names)
        for ax in list(axes.flat)[len(regions) :]:
            ax.set_visible(False)
        basis = basis_by_year(rows)
        handles = axes.flat[0].get_legend_handles_labels()[0]
        handles += basis_handles(
            basis,
            table_label=self.t("table_legend"),
            extended_label=self.t("extended_legend"),
        )
        fig.suptitle(title, fontsize=11)
        caption = self.caption(sorted(rows["year"].unique()))
        footer(fig, fig.add_subplot(grid[nrows, :]), handles, caption)
        self.keep(name, title, fig, rows, caption)

    def gap_ranked(self) -> None:
        stressor, year = self.choices.stressor, self.choices.year
        rows, unit = mass_accounts(self.folder.accounts, stressor, ("NET_TRANSFER",))
        rows = rows[rows["year"] == year]
        per_capita = per_capita_rows(self.folder, stressor)
        per_capita = per_capita[
            (per_capita["account"] == "NET_TRANSFER_PER_CAPITA") & (per_capita["year"] == year)
        ]
        panels = 2 if not per_capita.empty else 1
        title = self.title("fig_gap_ranked", year=year)
        fig = Figure(figsize=(5.0 * panels, 0.18 * len(rows) + 2.2), layout="constrained")
        axes = fig.subplots(1, panels, squeeze=False)[0]
        positive, negative, extended = (
            self.t("net_exporter"),
            self.t("net_importer"),
            self.extended_label(year),
        )
        values = rows.set_index("region")["value"].rename(index=self.name)
        plot_ranked_bars(
            axes[0],
            values,
            title=self.t("absolute"),
            xlabel=f"PBA - CBA [{unit}]",
            extended_label=extended,
            positive_label=positive,
            negative_label=negative,
        )
        table = rows
        if panels == 2:
            pc_unit, factor = common_unit(per_capita)
            pc = per_capita.assign(value=per_capita["value"] * factor, unit=pc_unit)
            values = pc.set_index("region")["value"].rename(index=self.name)
            plot_ranked_bars(
                axes[1],
                values,
                title=self.t("per_capita"),
                xlabel=f"PBA - CBA [{pc_unit}]",
                extended_label=extended,
                positive_label=positive,
                negative_label=negative,
            )
            table = pd.concat([rows, pc], ignore_index=True)
        else:
            self.omit("gap_per_capita", self.t("per_capita"), "per_capita.csv")
        fig.suptitle(title, fontsize=11)
        caption = self.caption([year])
        fig.text(0.0, 0.0, caption, fontsize=6.5, va="top", wrap=True)
        self.keep("gap_ranked", title, fig, table, caption)

    def lines(
        self, name: str, title: str, rows: pd.DataFrame, *, ylabel: str, zero_line: bool, note: str = ""
    ) -> None:
        wide = rows.pivot_table(index="year", columns="label", values="value", aggfunc="sum")
        basis = rows.pivot_table(index="year", columns="label", values="basis", aggfunc="first")
        fig = Figure(figsize=(9, 5), layout="constrained")
        ax = fig.add_subplot()
        plot_lines_over_time(
            ax, wide, basis, title=title, ylabel=ylabel, xlabel=self.t("year"), zero_line=zero_line
        )
        handles = ax.get_legend_handles_labels()[0]
        handles += basis_handles(
            basis_by_year(rows),
            table_label=self.t("table_legend"),
            extended_label=self.t("extended_legend"),
        )
        mark_extended(ax, basis_by_year(rows), label="")
        ax.legend(handles=handles, fontsize=7, frameon=False, ncols=2)
        caption = self.caption(sorted(rows["year"].unique()), extra=note)
        add_caption(ax, caption)
        self.keep(name, title, fig, rows.drop(columns="label"), caption)

    def group_gaps(self) -> None:
        groups = self.folder.optional.get("groups")
        title = self.title("fig_gap_groups")
        if groups is None:
            self.omit("group_gaps", title, "groups.csv")
            self.omit(
                "pba_cba_groups",
                self.title("fig_pba_cba_groups", stressor=self.choices.stressor),
                "groups.csv",
            )
            return
        shown_rows = group_lines(groups)
        shown = list(dict.fromkeys(shown_rows["region"].astype(str)))
        rows, unit = mass_accounts(shown_rows, self.choices.stressor, ("NET_TRANSFER",))
        rows = rows.assign(label=rows["region"].map(self.name))
        self.lines("group_gaps", title, rows, ylabel=f"PBA - CBA [{unit}]", zero_line=True)
        self.pba_cba(shown_rows, shown[:6], "pba_cba_groups", "fig_pba_cba_groups")

    def export_intensity(self) -> None:
        rows, constant = intensity_series(self.folder, self.choices.stressor, self.lang)
        title = self.title("fig_intensity")
        rows = rows[(rows["account"] == "EXPORT_INTENSITY_TOTAL") & rows["region"].isin(self.choices.regions)]
        if rows.empty:
            self.omit("export_intensity", title, "export_intensity.csv")
            return
        parts = []
        for _, one in rows.groupby(["panel", "region"]):
            one = one.sort_values("year")
            indexed = as_index(one.set_index("year")["value"])
            parts.append(one.assign(value=indexed.to_numpy(), unit=f"index ({one['year'].iloc[0]} = 100)"))
        indexed_rows = pd.concat(parts, ignore_index=True)
        panels = list(dict.fromkeys(indexed_rows["panel"].astype(str)))
        fig = Figure(figsize=(max(5.2 * len(panels) + 0.5, 9.0), 6.2), layout="constrained")
        grid = fig.add_gridspec(2, len(panels), height_ratios=[1.0, 0.5])
        axes = [fig.add_subplot(grid[0, j]) for j in range(len(panels))]
        for ax, panel in zip(axes, panels, strict=True):
            one = indexed_rows[indexed_rows["panel"] == panel]
            wide = one.pivot_table(index="year", columns="region", values="value", aggfunc="sum")
            basis = one.pivot_table(index="year", columns="region", values="basis", aggfunc="first")
            plot_lines_over_time(
                ax,
                wide.rename(columns=self.name),
                basis.rename(columns=self.name),
                title=f"{account_name('EXPORT_INTENSITY_TOTAL', self.lang)}, {panel}",
                ylabel=self.t("index"),
                xlabel=self.t("year"),
            )
            mark_extended(ax, basis_by_year(one), label="")
        handles = axes[0].get_legend_handles_labels()[0]
        handles += basis_handles(
            basis_by_year(indexed_rows),
            table_label=self.t("table_legend"),
            extended_label=self.t("extended_legend"),
        )
        fig.suptitle(title, fontsize=11)
        note = "" if constant else " " + self.t("constant_note")
        if indexed_rows["basis"].astype(str).str.startswith("scaled_table").any():
            note += self.t("benchmark_prices_note")
        caption = self.caption(sorted(indexed_rows["year"].unique()), extra=note)
        footer(fig, fig.add_subplot(grid[1, :]), handles, caption)
        self.keep("export_intensity", title, fig, indexed_rows, caption)

    def flows(self, n: int) -> None:
        year = self.choices.year
        top, unit = top_flows(self.folder.flows, self.choices.stressor, n)
        top = top[top["year"] == year]
        title = self.title("fig_flows", year=year)
        if top.empty:
            self.omit("top_flows", title, "flows.csv")
            return
        labels = top["origin"].map(self.name) + " → " + top["destination"].map(self.name)
        fig = Figure(figsize=(8, 0.3 * len(top) + 1.8), layout="constrained")
        ax = fig.add_subplot()
        plot_top_flows(
            ax,
            pd.Series(top["value"].to_numpy(), index=labels.to_numpy()),
            title=title,
            xlabel=f"{self.choices.stressor} [{unit}]",
            extended_label=self.extended_label(year),
        )
        caption = self.caption([year])
        add_caption(ax, caption, width=120, y=-0.15)
        self.keep("top_flows", title, fig, top, caption)

    def world_map(self) -> None:
        year = self.choices.year
        title = self.title("fig_map", year=year)
        per_capita = per_capita_rows(self.folder, self.choices.stressor)
        rows = per_capita[(per_capita["account"] == "NET_TRANSFER_PER_CAPITA") & (per_capita["year"] == year)]
        boundaries = read_boundaries()
        mapped = rows[
            rows["region"].astype(str).replace({"ROM": "ROU"}).isin(set(boundaries["iso3"].dropna()))
        ]
        if mapped.empty:
            self.omitted.append(Omitted("map_gap_per_capita", title, self.t("map_no_iso")))
            return
        unit, factor = common_unit(mapped)
        mapped = mapped.assign(value=mapped["value"] * factor, unit=unit)
        values = mapped.set_index(mapped["region"].astype(str).replace({"ROM": "ROU"}))["value"]
        fig = Figure(figsize=(10, 5.6), layout="constrained")
        ax = fig.add_subplot()
        plot_choropleth(
            ax,
            boundaries,
            values,
            unit=unit,
            labels={
                "positive": self.t("net_exporter"),
                "negative": self.t("net_importer"),
                "no_data": self.t("no_data"),
                "colorbar": "PBA - CBA",
            },
            extended_label=self.extended_label(year),
        )
        extended = self.extended_label(year)
        if extended is not None:
            words = year_basis_words(year, str(self.basis[year]), self.folder.metadata, self.lang)
            title += "\n" + self.t("extended_year_box", basis=words)
        ax.set_title(title, fontsize=11)
        caption = self.caption([year], extra=self.t("caption_map"))
        fig.text(0.0, 0.0, caption, fontsize=6.5, va="top", wrap=True)
        self.keep("map_gap_per_capita", title, fig, mapped, caption)

    def draw_all(self, *, flows: int) -> tuple[list[DrawnFigure], list[Omitted]]:
        """Draw every figure the series supports; return those drawn and those left out (with why)."""
        steps: list[Callable[[], None]] = [
            lambda: self.pba_cba(
                self.folder.accounts, list(self.choices.regions), "pba_cba_countries", "fig_pba_cba"
            ),
            self.gap_ranked,
            self.group_gaps,
            self.export_intensity,
            lambda: self.flows(flows),
            self.world_map,
        ]
        for step in steps:
            step()
        return self.drawn, self.omitted


__all__ = ["MASS_ACCOUNTS", "DrawnFigure", "FigureSet", "Omitted", "save_figure"]
