"""One small figure per region of the series: PBA and CBA over time above, the gap PBA - CBA below.

Every region of the table gets its figure (the report's appendix, findable from an index of names),
so that a reader from any country finds a chart of it. Extended years are dashed over a hatched band,
as in every figure (`figures.line_by_basis`); the gap's bars of extended years are hatched.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from mrio_tools.choices import TABLE_BASIS
from mrio_tools.report.figure_set import DrawnFigure, FigureSet, save_figure
from mrio_tools.report.figures import OKABE_ITO, mark_extended, plot_pba_cba_time
from mrio_tools.report.i18n import account_name
from mrio_tools.report.views import mass_accounts

#: resolution of the small figures (the page holds one per region)
REGION_DPI = 100


def region_stem(region: str) -> str:
    """The file stem (and page id) of a region's figure."""
    return f"region_{region}"


def region_figures(figures: FigureSet, out: Path) -> list[DrawnFigure]:
    """Draw PBA, CBA and PBA - CBA over time for every region of the accounts into `out`."""
    stressor, lang = figures.choices.stressor, figures.lang
    rows, unit = mass_accounts(figures.folder.accounts, stressor, ("PBA", "CBA", "NET_TRANSFER"))
    names = {"PBA": account_name("PBA", lang), "CBA": account_name("CBA", lang)}
    drawn = []
    for region in dict.fromkeys(rows["region"].astype(str)):
        one = rows[rows["region"] == region]
        series = {
            a: one[one["account"] == a].set_index("year")["value"].sort_index()
            for a in ("PBA", "CBA", "NET_TRANSFER")
        }
        basis = one.groupby("year")["basis"].first().sort_index()
        title = (figures.t("demo_tag") if figures.demo else "") + figures.name(region)
        fig = Figure(figsize=(4.2, 3.4), layout="constrained")
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[2.0, 1.0])
        plot_pba_cba_time(top, series["PBA"], series["CBA"], basis, title=title, unit=unit, names=names)
        top.legend(fontsize=6.5, frameon=False, loc="lower left")
        gap = series["NET_TRANSFER"]
        extended = basis.reindex(gap.index).fillna(TABLE_BASIS) != TABLE_BASIS
        colors = np.where(gap.to_numpy() >= 0, OKABE_ITO[0], OKABE_ITO[3])
        bars = bottom.bar(gap.index.to_numpy(), gap.to_numpy(), color=colors, width=0.8)
        for bar, hatched in zip(bars, extended.to_numpy(), strict=True):
            if hatched:
                bar.set_hatch("///")
                bar.set_alpha(0.6)
        mark_extended(bottom, basis, label="")
        bottom.axhline(0.0, color="grey", linewidth=0.6)
        bottom.set_ylabel(f"PBA - CBA [{unit}]", fontsize=7)
        bottom.tick_params(labelsize=7)
        caption = figures.caption(sorted(int(y) for y in one["year"].unique()))
        png, svg = save_figure(fig, out / region_stem(region), dpi=REGION_DPI)
        drawn.append(DrawnFigure(region_stem(region), title, caption, png, svg, one))
    return drawn


def regions_of(accounts: pd.DataFrame) -> list[str]:
    """The regions of the accounts, in their order (every one has a figure)."""
    return list(dict.fromkeys(accounts["region"].astype(str)))
