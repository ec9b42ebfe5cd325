"""Figures of the accounts. Each function draws on the `ax` it is given and returns it; no global state.

Colours come from the Okabe-Ito palette (readable for colour-blind readers); PBA and CBA also differ
in hatching or line style so that the figures read in grey.
"""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.axes import Axes

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")


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
