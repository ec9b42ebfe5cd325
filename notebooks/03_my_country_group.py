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
# # My own country group
#
# Group accounts are sums of the member regions' accounts (`docs/methods.md`, "Country groups and
# regions"): PBA, CBA, EEE, EEI and PBA - CBA of a group are the sums over its members, per year.
# This notebook uses the **demonstration data** (six made-up regions `Demo A` ... `Demo F`; not real
# countries) so that it runs anywhere; with a real series, list ISO3 codes instead (e.g. `["CHN", "IND",
# "BRA", "RUS"]`) and read the series folder as in `02_wiod_1990_2019`.

# %%
# ruff: noqa: B018 (a notebook shows the value of its last expression)
import json
import tempfile
from pathlib import Path

from matplotlib.figure import Figure

from mrio_tools.report.build import build_report
from mrio_tools.report.figures import plot_pba_cba_time
from mrio_tools.report.views import mass_accounts
from mrio_tools.series.run import MANIFEST, accounts_series, run_series, write_manifest
from mrio_tools.sources.registry import SourceRequest

result = accounts_series(SourceRequest(source="demo"), list(range(1990, 2020)), progress=False)
stressor = result.table["stressor"].iloc[0]
my_group = {"name": "fast growers", "members": ["Demo B", "Demo D"]}

# %% [markdown]
# The group's accounts: the members' rows summed per year and account (one unit per account, checked).

# %%
members = result.table[result.table["region"].isin(my_group["members"])]
accounts = ["PBA", "CBA", "EEE", "EEI", "NET_TRANSFER"]
members = members[members["account"].isin(accounts) & (members["stressor"] == stressor)]
assert members.groupby("account")["unit"].nunique().eq(1).all()
group = (
    members.groupby(["year", "account", "stressor", "unit"], as_index=False)["value"]
    .sum()
    .assign(region=my_group["name"], basis="table")
)
group.pivot_table(index="year", columns="account", values="value").head()

# %%
rows, unit = mass_accounts(group, stressor, ("PBA", "CBA"))
fig = Figure(figsize=(6, 3.5), layout="constrained")
plot_pba_cba_time(
    fig.add_subplot(),
    rows[rows["account"] == "PBA"].set_index("year")["value"],
    rows[rows["account"] == "CBA"].set_index("year")["value"],
    rows.groupby("year")["basis"].first(),
    title=f"[DEMONSTRATION DATA] {my_group['name']}",
    unit=unit,
    names={"PBA": "PBA", "CBA": "CBA"},
)
fig

# %% [markdown]
# The same group in the full report: save the series with a `groups.csv` beside it and build the
# report from the folder (the report never recomputes accounts).

# %%
work = Path(tempfile.mkdtemp())
series = work / "series"
run_series(SourceRequest(source="demo"), range(1990, 2020), series, solver="auto", unit=None, cache=None)
meta = {**result.metadata, "command": "notebooks/03_my_country_group.py"}
group.assign(grouping="my groups")[
    ["year", "grouping", "region", "account", "stressor", "unit", "value", "basis"]
].to_csv(series / "groups.csv", index=False)
(series / "groups.meta.json").write_text(json.dumps(meta, default=str))
# record the added table in the series manifest, so the report takes the folder as one run's
write_manifest(series, sorted(p for p in series.glob("*.*") if p.name != MANIFEST), years=range(1990, 2020))
written = build_report(series, work / "report", lang="en")
json.loads((work / "report" / "report.json").read_text())["figures"]
