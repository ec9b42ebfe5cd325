# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # WIOD 1990-2019: production- and consumption-based CO2 from the saved series
#
# This notebook reads the **saved** real-data series (WIOD 2013 tables with the JRC CO2 accounts,
# extended to 1990-2019 as `docs/methods.md`, "Years outside the tables", describes). It never
# recomputes accounts: write the series first (`make report-wiod`, or `mrio-tools series ... --out-dir
# reports/wiod2013/series`). Set `MRIO_TOOLS_WIOD_SERIES` to read a series folder elsewhere.
#
# Every value carries its `basis`: `table` for years with a real table and sector emissions, anything
# else for extended (estimated) years.

# %%
# ruff: noqa: B018 (a notebook shows the value of its last expression)
import os
from pathlib import Path

from matplotlib.figure import Figure

from mrio_tools.report.figures import plot_lines_over_time, plot_pba_cba_time
from mrio_tools.report.series_folder import read_series_folder
from mrio_tools.report.views import basis_by_year, mass_accounts

candidates = [
    Path(os.environ.get("MRIO_TOOLS_WIOD_SERIES", "../reports/wiod2013/series")),
    Path("../reports/wiod2013"),
]
series_dir = next(p for p in candidates if (p / "accounts.csv").is_file())
folder = read_series_folder(series_dir)
folder.metadata.get("source"), folder.metadata.get("version"), folder.metadata.get("years")

# %% [markdown]
# Which years come from real tables, which are extended:

# %%
basis_by_year(folder.accounts).to_frame("basis").T

# %% [markdown]
# PBA, CBA and the gap of China, the United States, Germany and Japan, in a readable unit:

# %%
stressor = next(s for s in folder.accounts["stressor"].unique() if "CO2" in str(s).upper())
rows, unit = mass_accounts(folder.accounts, stressor, ("PBA", "CBA", "NET_TRANSFER"))
regions = [r for r in ("CHN", "USA", "DEU", "JPN") if r in set(rows["region"])]
gap = rows[(rows["account"] == "NET_TRANSFER") & rows["region"].isin(regions)]
gap.pivot_table(index="year", columns="region", values="value").round(3).assign(unit=unit)

# %%
fig = Figure(figsize=(10, 6), layout="constrained")
for ax, region in zip(fig.subplots(2, 2).flat, regions, strict=False):
    one = rows[rows["region"] == region]
    plot_pba_cba_time(
        ax,
        one[one["account"] == "PBA"].set_index("year")["value"],
        one[one["account"] == "CBA"].set_index("year")["value"],
        one.groupby("year")["basis"].first(),
        title=region,
        unit=unit,
        names={"PBA": "PBA", "CBA": "CBA"},
    )
fig

# %% [markdown]
# Groups (OECD vs non-OECD) and the findings table, where the series has them:

# %%
groups = folder.optional.get("groups")
if groups is not None:
    group_rows, group_unit = mass_accounts(groups, stressor, ("NET_TRANSFER",))
    wide = group_rows.pivot_table(index="year", columns="region", values="value")
    basis = group_rows.pivot_table(index="year", columns="region", values="basis", aggfunc="first")
    fig = Figure(figsize=(8, 4), layout="constrained")
    plot_lines_over_time(
        fig.add_subplot(),
        wide,
        basis,
        title="PBA - CBA of groups",
        ylabel=group_unit,
        xlabel="year",
        zero_line=True,
    )
    display(fig)  # noqa: F821 (Jupyter's display)
folder.optional.get("findings")
