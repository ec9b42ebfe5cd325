"""The inventory checks of a series, for readers: PBA beside the national inventory, ratios and breaks.

Reads the series' `inventory_check.csv` (long: `year, region, account, stressor, unit, value, basis,
principle`; accounts `PBA`, `INVENTORY`, `PBA_TO_INVENTORY` (unit "1"), `SOURCE_GROWTH`,
`INVENTORY_GROWTH` (unit "%", year t: change from t - 1 to t) and `BREAK_FLAG` (unit "flag", 1 or 0);
docs/methods.md, "Emissions principle: residence or territorial"). Nothing is recomputed: the views
pick and arrange rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from mrio_tools.choices import Lang
from mrio_tools.context.inventory import INVENTORY_ACCOUNTS
from mrio_tools.report.i18n import account_name, region_name, text
from mrio_tools.report.views import localize
from mrio_tools.report.words import number

#: the accounts of inventory_check.csv, in the order the wide table shows them
CHECK_ACCOUNTS: Final = INVENTORY_ACCOUNTS
#: metadata keys under which the break threshold may be recorded (percentage points)
THRESHOLD_KEYS: Final = ("break_threshold", "threshold")


@dataclass(frozen=True)
class Break:
    """A flagged year-on-year break: the source's emissions jump, the inventory does not."""

    region: str
    year: int
    source_growth: float
    inventory_growth: float
    change: float
    note: str
    short: str


def _value(table: pd.DataFrame, account: str, region: str, year: int) -> float:
    found = table.loc[
        (table["account"] == account) & (table["region"] == region) & (table["year"] == year), "value"
    ]
    return float(found.iloc[0]) if not found.empty else float("nan")


def breaks(table: pd.DataFrame, *, lang: Lang) -> list[Break]:
    """Every (region, year) whose BREAK_FLAG is 1, with its growth rates and a note in words."""
    flagged = table[(table["account"] == "BREAK_FLAG") & (table["value"] == 1)]
    out = []
    for region, year in sorted(
        {(str(r), int(y)) for r, y in zip(flagged["region"], flagged["year"], strict=True)}
    ):
        grown = _value(table, "SOURCE_GROWTH", region, year)
        inventory = _value(table, "INVENTORY_GROWTH", region, year)
        before, after = _value(table, "PBA", region, year - 1), _value(table, "PBA", region, year)
        unit = table.loc[(table["account"] == "PBA") & (table["region"] == region), "unit"]
        values = {
            "region": region_name(region, lang),
            "a": year - 1,
            "b": year,
            "before": number(before),
            "after": number(after),
            "unit": str(unit.iloc[0]) if not unit.empty else "",
            "source_growth": f"{grown:+.1f}",
            "inventory_growth": f"{inventory:+.1f}",
        }
        out.append(
            Break(
                region=region,
                year=year,
                source_growth=grown,
                inventory_growth=inventory,
                change=after - before,
                note=text(lang, "break_note", **values),
                short=text(lang, "break_short", **values),
            )
        )
    return out


def ratio_summary(table: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Per region: the smallest, median and largest PBA / inventory ratio over the years, and the
    flagged years (every region of the table has its row)."""
    ratios = table[table["account"] == "PBA_TO_INVENTORY"]
    flags = table[(table["account"] == "BREAK_FLAG") & (table["value"] == 1)]
    rows = []
    for region, one in ratios.groupby("region", sort=False):
        values = one["value"].to_numpy(dtype=float)
        finite = values[np.isfinite(values)]
        years = sorted(int(y) for y in flags.loc[flags["region"] == region, "year"])
        rows.append(
            {
                "region": str(region),
                text(lang, "col_ratio_min"): float(finite.min()) if finite.size else float("nan"),
                text(lang, "col_ratio_median"): float(np.median(finite)) if finite.size else float("nan"),
                text(lang, "col_ratio_max"): float(finite.max()) if finite.size else float("nan"),
                text(lang, "col_breaks"): text(lang, "list_sep").join(f"{y - 1}→{y}" for y in years),
            }
        )
    return localize(pd.DataFrame(rows), lang)


def wide_checks(table: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """One row per (year, region), one column per check account with its unit in the header."""
    keys = ["year", "region"]
    wide = table.pivot_table(index=keys, columns="account", values="value", aggfunc="first")
    units = table.groupby("account")["unit"].first()
    wide = wide[[a for a in CHECK_ACCOUNTS if a in wide.columns]]
    basis = table.groupby(keys)["basis"].first()
    out = wide.rename(columns=lambda a: f"{check_name(a, lang)} [{units[a]}]").reset_index()
    out.insert(2, "basis", basis.reindex(pd.MultiIndex.from_frame(out[keys])).to_numpy())
    return localize(out, lang)


def check_name(account: str, lang: Lang) -> str:
    """The reader's name of a check account."""
    key = f"check_{account}"
    return text(lang, key) if account != "PBA" else account_name("PBA", lang)


def threshold(metadata: Mapping[str, Any], lang: Lang) -> str | None:
    """The break threshold recorded in the table's metadata: its number in percentage points, or the
    text as written when it holds no number."""
    for key in THRESHOLD_KEYS:
        if metadata.get(key) is not None:
            found = re.search(r"\d+(\.\d+)?", str(metadata[key]))
            return text(lang, "threshold_points", n=found.group(0)) if found else str(metadata[key])
    return None


def inventory_principles(table: pd.DataFrame) -> list[str]:
    """The principle(s) of the national inventory: the `principle` of the table's INVENTORY rows.

    (The other rows carry the source's principle, or "residence vs territorial" for the ratios.)
    """
    if "principle" not in table.columns:
        return []
    rows = table[table["account"].astype(str) == "INVENTORY"] if "account" in table.columns else table
    return sorted(set(rows["principle"].dropna().astype(str)))
