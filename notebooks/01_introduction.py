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
# # Introduction: one year of accounts
#
# This notebook uses the **demonstration data** that ships with mrio_tools (six made-up regions, `Demo A` ... `Demo F`): the numbers illustrate the tool, they are not country results. For real tables see the README, *Run on real data*.
#
# Methods: `docs/methods.md`, national accounts.

# %%
# ruff: noqa: E501 (markdown lines stay whole)
from mrio_tools.accounts.national import national_accounts
from mrio_tools.sources.registry import SourceRequest, open_source

source = open_source(SourceRequest(source="demo"))
mrio = source.load(2010)
mrio.metadata["label"], list(mrio.regions), list(mrio.stressors)

# %% [markdown]
# `national_accounts` returns long tables (`year, region, account, stressor, unit, value`) and their metadata.

# %%
result = national_accounts(mrio)
result.table.head()

# %% [markdown]
# One region, one stressor, wide for reading. PBA - CBA = EEE - EEI holds for every region.

# %%
stressor = mrio.stressors[0]
rows = result.table[result.table["stressor"] == stressor]
wide = rows.pivot_table(index="region", columns="account", values="value")
wide[["PBA", "CBA", "NET_TRANSFER", "EEE", "EEI"]]

# %%
gap = (wide["PBA"] - wide["CBA"]) - (wide["EEE"] - wide["EEI"])
assert (gap.abs() <= 1e-9 * wide["PBA"].abs().sum()).all()
wide.loc["Demo B"]

# %% [markdown]
# The largest origin-to-destination flows of embodied emissions:

# %%
flows = result.flows[
    (result.flows["stressor"] == stressor) & (result.flows["origin"] != result.flows["destination"])
]
flows.sort_values("value", ascending=False).head(5)
