"""Figures of the accounts. Each function draws on the `ax` it is given and returns it; no global state.

Colours come from the Okabe-Ito palette (readable for colour-blind readers); series also differ by
marker, and PBA/CBA by line style or hatching, so that the figures read in grey. Extended years
(basis other than `table`, docs/methods.md "Years outside the tables") are drawn dashed over a hatched
band, with their basis in the legend; bars of an extended year are hatched.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from mrio_tools.choices import TABLE_BASIS

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_BAND: dict[str, Any] = {"facecolor": "none", "edgecolor": "0.7", "hatch": "///", "linewidth": 0.0}


def extended_runs(years: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive runs of `years` as (first, last): [1990, 1991, 1995] -> [(1990, 1991), (1995, 1995)]."""
    runs: list[tuple[int, int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return runs


def mark_extended(ax: Axes, basis_by_year: pd.Series, *, label: str) -> list[Artist]:
    """Hatch the extended years of `basis_by_year` (year -> basis) on `ax`; return legend handles."""
    extended = basis_by_year[basis_by_year != TABLE_BASIS]
    if extended.empty:
        return []
    for first, last in extended_runs([int(y) for y in extended.index]):
        ax.axvspan(first - 0.5, last + 0.5, zorder=0, **_BAND)
    kinds = ", ".join(sorted(set(extended)))
    return [Patch(label=label.format(basis=kinds), **{**_BAND, "edgecolor": "0.5"})]


def line_by_basis(
    ax: Axes,
    values: pd.Series,
    basis: pd.Series,
    *,
    label: str,
    color: str,
    marker: str,
) -> Axes:
    """One series over years: solid where the basis is `table`, dashed (and hollow markers) elsewhere."""
    values = values.sort_index()
    basis = basis.reindex(values.index).fillna(TABLE_BASIS)
    table_years = basis == TABLE_BASIS
    years = values.index.to_numpy()
    ax.plot(years, values.to_numpy(), color=color, linestyle="--", linewidth=1.0)
    if (~table_years).any():
        ax.plot(
            years[~table_years.to_numpy()],
            values[~table_years].to_numpy(),
            linestyle="none",
            marker=marker,
            markersize=3.5,
            markerfacecolor="white",
            color=color,
        )
    solid = values.where(table_years)
    ax.plot(
        years,
        solid.to_numpy(),
        color=color,
        linestyle="-",
        linewidth=1.6,
        marker=marker,
        markersize=3.5,
        label=label,
    )
    return ax


def basis_handles(basis_by_year: pd.Series, *, table_label: str, extended_label: str) -> list[Artist]:
    """Legend entries for the line styles: solid = table, dashed = extended (only if there is any)."""
    handles: list[Artist] = [Line2D([], [], color="0.2", linestyle="-", label=table_label)]
    extended = sorted(set(basis_by_year[basis_by_year != TABLE_BASIS]))
    if extended:
        handles.append(
            Line2D(
                [],
                [],
                color="0.2",
                linestyle="--",
                marker="o",
                markerfacecolor="white",
                label=extended_label.format(basis=", ".join(extended)),
            )
        )
    return handles


def plot_pba_cba_time(
    ax: Axes,
    pba: pd.Series,
    cba: pd.Series,
    basis: pd.Series,
    *,
    title: str,
    unit: str,
    names: Mapping[str, str],
) -> Axes:
    """PBA and CBA of one region (or group) over years; `names` labels `PBA`, `CBA`, `year`."""
    line_by_basis(ax, pba, basis, label=names["PBA"], color=OKABE_ITO[0], marker="o")
    line_by_basis(ax, cba, basis, label=names["CBA"], color=OKABE_ITO[3], marker="s")
    mark_extended(ax, basis, label="")
    ax.set_title(title, fontsize=9)
    ax.set_ylabel(unit, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.set_ylim(bottom=0.0)
    return ax


def plot_lines_over_time(
    ax: Axes,
    wide: pd.DataFrame,
    basis: pd.DataFrame,
    *,
    title: str,
    ylabel: str,
    xlabel: str,
    zero_line: bool = False,
) -> Axes:
    """Each column of `wide` (index: year) as a line; `basis` (same shape) gives each value's basis."""
    for i, column in enumerate(wide.columns):
        line_by_basis(
            ax,
            wide[column].dropna(),
            basis[column] if column in basis else pd.Series(TABLE_BASIS, index=wide.index),
            label=str(column),
            color=OKABE_ITO[i % len(OKABE_ITO)],
            marker=MARKERS[i % len(MARKERS)],
        )
    if zero_line:
        ax.axhline(0.0, color="grey", linewidth=0.8)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def plot_ranked_bars(
    ax: Axes,
    values: pd.Series,
    *,
    title: str,
    xlabel: str,
    extended_label: str | None,
    positive_label: str,
    negative_label: str,
) -> Axes:
    """Horizontal bars of `values` (index: names) ranked; negatives dotted.

    `extended_label` is None for a year from a real table; otherwise every bar is hatched and the
    legend says so with this label (which names the basis).
    """
    ranked = values.sort_values()
    positions = np.arange(len(ranked))
    negative = ranked.to_numpy() < 0
    colors = np.where(negative, OKABE_ITO[5], OKABE_ITO[3])
    extra = "///" if extended_label is not None else ""
    bars = ax.barh(positions, ranked.to_numpy(), color=colors, edgecolor="0.2", linewidth=0.3)
    for bar, is_negative in zip(bars, negative, strict=True):
        bar.set_hatch(("...." if is_negative else "") + extra)
    ax.set_yticks(positions, [str(n) for n in ranked.index], fontsize=7 if len(ranked) > 20 else 8)
    ax.axvline(0.0, color="0.2", linewidth=0.8)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    handles: list[Artist] = [
        Patch(facecolor=OKABE_ITO[3], edgecolor="0.2", label=positive_label),
        Patch(facecolor=OKABE_ITO[5], edgecolor="0.2", hatch="....", label=negative_label),
    ]
    if extended_label is not None:
        handles.append(Patch(facecolor="white", edgecolor="0.2", hatch="///", label=extended_label))
    ax.legend(handles=handles, fontsize=7, frameon=False, loc="lower right")
    return ax


def plot_top_flows(
    ax: Axes, flows: pd.Series, *, title: str, xlabel: str, extended_label: str | None
) -> Axes:
    """Horizontal bars of the largest flows (`flows` indexed by 'origin -> destination' labels).

    `extended_label`: as in `plot_ranked_bars` (hatched bars and a legend entry for an extended year).
    """
    ranked = flows.sort_values()
    positions = np.arange(len(ranked))
    ax.barh(
        positions,
        ranked.to_numpy(),
        color=OKABE_ITO[0],
        edgecolor="0.2",
        linewidth=0.3,
        hatch="///" if extended_label is not None else None,
    )
    ax.set_yticks(positions, [str(n) for n in ranked.index], fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    if extended_label is not None:
        ax.legend(
            handles=[Patch(facecolor=OKABE_ITO[0], edgecolor="0.2", hatch="///", label=extended_label)],
            fontsize=7,
            frameon=False,
            loc="lower right",
        )
    return ax


def add_caption(ax: Axes, caption: str, *, width: int = 150, y: float = -0.12) -> Axes:
    """Write `caption` (source, basis) under `ax`, wrapped to `width` characters (half as many for
    Chinese, whose characters are about twice as wide)."""
    if any("\u4e00" <= c <= "\u9fff" for c in caption):
        width //= 2
    ax.annotate(textwrap.fill(caption, width), xy=(0, y), xycoords="axes fraction", fontsize=6.5, va="top")
    return ax


# the two figures of the first report (`build_report` on an `Accounts` object), kept until the CLI
# switches to the series folder


def _one(table: pd.DataFrame, account: str, stressor: str) -> pd.DataFrame:
    rows = table[(table["account"] == account) & (table["stressor"] == stressor)]
    if rows.empty:
        raise ValueError(f"no {account} rows for stressor {stressor!r} in the table")
    if len(set(rows["unit"])) != 1:
        raise ValueError(f"{account} rows for {stressor!r} mix units {sorted(rows['unit'].unique())}")
    return rows


def plot_pba_vs_cba(ax: Axes, table: pd.DataFrame, *, year: int, stressor: str, caption: str) -> Axes:
    """Grouped bars of PBA and CBA per region in `year`, regions ranked by PBA."""
    pba = _one(table, "PBA", stressor)
    cba = _one(table, "CBA", stressor)
    pba_year = pba[pba["year"] == year].set_index("region")["value"].sort_values(ascending=False)
    cba_year = cba[cba["year"] == year].set_index("region")["value"].reindex(pba_year.index)
    positions = range(len(pba_year))
    width = 0.4
    ax.bar(
        [p - width / 2 for p in positions],
        pba_year.to_numpy(),
        width,
        label="PBA (production)",
        color=OKABE_ITO[0],
    )
    ax.bar(
        [p + width / 2 for p in positions],
        cba_year.to_numpy(),
        width,
        label="CBA (consumption)",
        color=OKABE_ITO[1],
        hatch="//",
        edgecolor="black",
        linewidth=0.3,
    )
    ax.set_xticks(list(positions), [str(r) for r in pba_year.index], rotation=90 if len(pba_year) > 12 else 0)
    ax.set_ylabel(f"{stressor} [{pba['unit'].iloc[0]}]")
    ax.set_title(f"Production- vs consumption-based {stressor}, {year}")
    ax.legend(frameon=False)
    ax.annotate(
        textwrap.fill(caption, 170),
        xy=(0, -0.18 if len(pba_year) <= 12 else -0.3),
        xycoords="axes fraction",
        fontsize=6,
        va="top",
    )
    return ax


def plot_gap_over_time(
    ax: Axes, table: pd.DataFrame, *, stressor: str, regions: list[str], caption: str
) -> Axes:
    """PBA - CBA (NET_TRANSFER) over the years for `regions`; above 0: net exporter of embodied emissions."""
    gap = _one(table, "NET_TRANSFER", stressor)
    wide = gap.pivot_table(index="year", columns="region", values="value", aggfunc="sum")
    styles = ("-", "--", "-.", ":")
    for i, region in enumerate(regions):
        ax.plot(
            wide.index,
            wide[region],
            label=str(region),
            color=OKABE_ITO[i % len(OKABE_ITO)],
            linestyle=styles[(i // len(OKABE_ITO)) % len(styles)] if len(regions) > 8 else styles[i % 4],
            marker="o",
            markersize=2.5,
        )
    ax.axhline(0.0, color="grey", linewidth=0.8)
    ax.set_xlabel("year")
    ax.set_ylabel(f"PBA - CBA of {stressor} [{gap['unit'].iloc[0]}]")
    ax.set_title(f"Production minus consumption ({stressor}): > 0 net exporter of embodied emissions")
    ax.legend(frameon=False, fontsize=7, ncol=2)
    ax.annotate(textwrap.fill(caption, 170), xy=(0, -0.14), xycoords="axes fraction", fontsize=6, va="top")
    return ax
