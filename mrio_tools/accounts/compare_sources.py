"""The same accounts of one year from two sources side by side, per country (how much the MRIO moves them).

Regions are matched through ISO 3166 alpha-3: each source's region code goes through
country_converter (ISO2, ISO3, WIOD's ``ROM``, names); codes that are no single country (a rest of
the world, EXIOBASE's WA ... WM, ICIO's CN1/CN2, Eora's former states) are not matched and are
listed as ``only_a`` / ``only_b`` rows, never dropped and never summed into a country.

Output: one row per (year, country, account) of the emission accounts `COMPARED_ACCOUNTS`, columns
`COLUMNS`:

- ``unit``: source a's unit of the stressor; b's values are converted into it (`mrio_tools.units`);
- ``value_a``, ``value_b``: the two values (NaN on the side that lacks the region);
- ``rel_diff`` = (value_b - value_a) / |value_a| (NaN where value_a is 0 or a side is missing);
- ``rank_a``, ``rank_b``: rank of the country among the matched countries in each source,
  1 = largest value of that account (ties share the lower rank);
- ``status``: ``matched``, ``only_a`` or ``only_b``; ``region_a``, ``region_b``: the codes as each
  source writes them.
Moran and Wood (2014, Econ. Syst. Res. 26:245, doi:10.1080/09535314.2014.935298) found CBA of major
economies to differ by about 10 % between MRIOs; this table lets a user see it for their sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd

from mrio_tools.errors import ValidationError, listed
from mrio_tools.sources.harmonise import quiet_country_converter
from mrio_tools.units import conversion_factor

COMPARED_ACCOUNTS: Final = ("PBA", "CBA", "EEE", "EEI", "NET_TRANSFER", "HOUSEHOLD_DIRECT")
#: codes publishers use that are not ISO3 but name one country (WIOD 2013: ROM for Romania)
KNOWN_CODES: Final = {"ROM": "ROU"}
_NOT_FOUND: Final = "<not found>"
COLUMNS: Final = (
    "year",
    "region",
    "account",
    "stressor",
    "unit",
    "value_a",
    "value_b",
    "rel_diff",
    "rank_a",
    "rank_b",
    "status",
    "region_a",
    "region_b",
)


def country_codes(regions: Sequence[str]) -> dict[str, str | None]:
    """Region code -> ISO3 where it is one country, else None (rest of world, split or former regions)."""
    import country_converter as coco

    codes = [str(r) for r in regions]
    asked = [KNOWN_CODES.get(c, c) for c in codes]
    with quiet_country_converter():
        found = coco.convert(names=asked, to="ISO3", not_found=_NOT_FOUND) if codes else []
    found = [found] if isinstance(found, str) else list(found)
    out: dict[str, str | None] = {}
    for code, iso3 in zip(codes, found, strict=True):
        out[code] = iso3 if isinstance(iso3, str) and iso3 != _NOT_FOUND and len(iso3) == 3 else None
    return out


def _side(table: pd.DataFrame, stressor: str, name: str) -> pd.DataFrame:
    rows = table[(table["stressor"] == stressor) & table["account"].isin(COMPARED_ACCOUNTS)]
    if rows.empty:
        held = sorted(table["stressor"].astype(str).unique())
        raise ValidationError(f"source {name}: no stressor {stressor!r} in its accounts (it has {held})")
    years = sorted(rows["year"].unique())
    if len(years) != 1:
        raise ValidationError(f"source {name}: accounts of several years {years}; compare one year")
    iso = country_codes(list(rows["region"].unique()))
    rows = rows.assign(iso3=rows["region"].map(iso))
    dup = rows.dropna(subset=["iso3"]).duplicated(["iso3", "account"])
    if dup.any():
        twice = rows.dropna(subset=["iso3"])[dup]["iso3"].unique().tolist()
        raise ValidationError(f"source {name}: several regions map to the same country {listed(twice)}")
    return rows


def compare_sources(
    a: pd.DataFrame, b: pd.DataFrame, *, stressor: str, names: tuple[str, str]
) -> pd.DataFrame:
    """Side-by-side comparison of two long accounts tables (one year each); see the module docstring."""
    left, right = _side(a, stressor, names[0]), _side(b, stressor, names[1])
    units = {str(u) for u in left["unit"]}
    if len(units) != 1:
        raise ValidationError(f"source {names[0]}: stressor {stressor!r} in several units {sorted(units)}")
    unit = units.pop()
    right = right.assign(value=right["value"] * [conversion_factor(str(u), unit) for u in right["unit"]])
    key_l = left.assign(key=left["iso3"].fillna("a:" + left["region"].astype(str)))
    key_r = right.assign(key=right["iso3"].fillna("b:" + right["region"].astype(str)))
    merged = key_l[["key", "account", "region", "value", "year"]].merge(
        key_r[["key", "account", "region", "value", "year"]],
        on=["key", "account"],
        how="outer",
        suffixes=("_a", "_b"),
        indicator=True,
    )
    status = (
        merged["_merge"].map({"both": "matched", "left_only": "only_a", "right_only": "only_b"}).astype(str)
    )
    va, vb = merged["value_a"].to_numpy(dtype=float), merged["value_b"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where((status == "matched").to_numpy() & (va != 0), (vb - va) / np.abs(va), np.nan)
    out = pd.DataFrame(
        {
            "year": merged["year_a"].fillna(merged["year_b"]).astype(int),
            "region": merged["key"].str.replace(r"^[ab]:", "", regex=True),
            "account": merged["account"],
            "stressor": stressor,
            "unit": unit,
            "value_a": va,
            "value_b": vb,
            "rel_diff": rel,
            "status": status,
            "region_a": merged["region_a"],
            "region_b": merged["region_b"],
        }
    )
    matched = out["status"] == "matched"
    for side in ("a", "b"):
        ranks = out[matched].groupby("account")[f"value_{side}"].rank(ascending=False, method="min")
        out[f"rank_{side}"] = ranks.reindex(out.index)
    order = {"matched": 0, "only_a": 1, "only_b": 2}
    out = out.assign(_o=out["status"].map(order))
    out = out.sort_values(["_o", "account", "region"], kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)[list(COLUMNS)]


def unmatched(table: pd.DataFrame) -> dict[str, list[str]]:
    """The regions of each side that found no country in the other (``only_a``, ``only_b``)."""
    return {
        status: sorted(table.loc[table["status"] == status, f"region_{status[-1]}"].astype(str).unique())
        for status in ("only_a", "only_b")
    }
