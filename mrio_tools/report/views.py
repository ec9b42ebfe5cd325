"""What the report shows, cut from a saved series (pure functions: long tables in, tables out).

Every view keeps the `basis` of each value (docs/methods.md, "Years outside the tables") and converts
values to a readable unit (`scale.readable_unit`), named in the `unit` column or in the headers.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from mrio_tools.choices import TABLE_BASIS, Lang
from mrio_tools.context import prices
from mrio_tools.errors import ValidationError, shown
from mrio_tools.report.i18n import TEXT, account_name, region_name, text
from mrio_tools.report.scale import readable_unit
from mrio_tools.report.series_folder import SeriesFolder
from mrio_tools.report.words import basis_words, horizon, plan_of, price_words
from mrio_tools.schema import PER_CAPITA_ACCOUNTS
from mrio_tools.units import conversion_factor

#: regions the report's question is about, shown first when the series has them
FOCUS_REGIONS: Final = ("CHN", "USA", "DEU", "JPN", "IND", "GBR")
#: group codes in the order the report shows them (OECD vs non-OECD first)
FOCUS_GROUPS: Final = ("OECD", "OECD_current", "OECD_year", "non-OECD", "EU27", "G20")
EXTENDED_MARK: Final = "†"


@dataclass(frozen=True)
class Choices:
    """The reader's display choices (not scientific ones): stressor, regions, year of snapshots."""

    stressor: str
    regions: tuple[str, ...]
    year: int
    lang: Lang


def _case_hint(given: Sequence[str], held: Collection[str]) -> str:
    """' (did you mean CHN for chn?)' when a given label matches a held one but for its case."""
    by_case = {h.casefold(): h for h in held}
    hints = [f"{by_case[g.casefold()]} for {g}" for g in given if g.casefold() in by_case]
    return f" (did you mean {', '.join(hints)}? codes are case-sensitive)" if hints else ""


def pick_stressor(accounts: pd.DataFrame, stressor: str | None) -> str:
    """`stressor` if the series has it, else the first PBA stressor (one containing 'CO2' preferred)."""
    held = list(dict.fromkeys(accounts.loc[accounts["account"] == "PBA", "stressor"].astype(str)))
    if not held:
        raise ValueError("the series has no PBA rows; write it again with `mrio-tools series`")
    if stressor is not None:
        if stressor not in held:
            raise ValidationError(
                f"stressor {shown(stressor)} is not in the series; it has {held}"
                f"{_case_hint([stressor], held)}. Fix: pass one of these to --stressor"
            )
        return stressor
    return next((s for s in held if "CO2" in s.upper()), held[0])


def pick_regions(
    accounts: pd.DataFrame, stressor: str, regions: Sequence[str] | None, n: int = 6
) -> tuple[str, ...]:
    """`regions` as given (each checked), else the focus regions present, then the largest last-year PBA."""
    held = set(accounts["region"].astype(str))
    if regions is not None:
        unknown = [r for r in regions if r not in held]
        if unknown:
            raise ValidationError(
                f"regions {', '.join(shown(r) for r in unknown)} are not in the series; it has {sorted(held)}"
                f"{_case_hint(unknown, held)}. Fix: pass codes of these to --regions"
            )
        return tuple(regions)
    chosen = [r for r in FOCUS_REGIONS if r in held]
    pba = accounts[(accounts["account"] == "PBA") & (accounts["stressor"] == stressor)]
    last = pba[pba["year"] == pba["year"].max()].sort_values("value", ascending=False)
    for region in last["region"].astype(str):
        if len(chosen) >= n:
            break
        if region not in chosen and region != "RoW":
            chosen.append(region)
    return tuple(chosen)


def basis_by_year(table: pd.DataFrame) -> pd.Series:
    """Year -> basis; a year whose rows differ in basis gets their kinds joined with ' / '."""
    return (
        table.groupby("year")["basis"]
        .agg(lambda b: " / ".join(sorted(set(b))) if len(set(b)) > 1 else str(b.iloc[0]))
        .sort_index()
    )


def extended_years(table: pd.DataFrame) -> list[int]:
    """Years with at least one value whose basis is not `table`."""
    return sorted(int(y) for y in table.loc[table["basis"] != TABLE_BASIS, "year"].unique())


def common_unit(rows: pd.DataFrame) -> tuple[str, float]:
    """A readable unit for all `rows` (they must share one unit) and the factor into it."""
    units = sorted(set(rows["unit"].astype(str)))
    if len(units) != 1:
        raise ValueError(f"rows mix units {units}; the series must state one unit per account")
    target = readable_unit(units[0], rows["value"].to_numpy())
    return target, conversion_factor(units[0], target) if target != units[0] else 1.0


def mass_accounts(table: pd.DataFrame, stressor: str, accounts: Sequence[str]) -> tuple[pd.DataFrame, str]:
    """Rows of `accounts` for `stressor` in one readable unit (chosen from the largest), and that unit."""
    rows = table[(table["stressor"] == stressor) & table["account"].isin(accounts)]
    if rows.empty:
        return rows, ""
    unit, factor = common_unit(rows)
    return rows.assign(value=rows["value"] * factor, unit=unit), unit


def per_capita_rows(folder: SeriesFolder, stressor: str) -> pd.DataFrame:
    """Per-capita accounts from `per_capita.csv` when present, else the accounts' *_PER_CAPITA rows."""
    source = folder.optional.get("per_capita")
    if source is None or source.empty:
        source = folder.accounts
    rows = source[source["account"].isin(PER_CAPITA_ACCOUNTS)]
    if "stressor" in rows.columns:
        rows = rows[rows["stressor"] == stressor]
    if "grouping" in rows.columns:  # per_capita.csv holds groups too; single regions are 'regions'
        rows = rows[rows["grouping"] == REGIONS_GROUPING].drop(columns="grouping")
    return rows


#: the `grouping` of single regions in per_capita.csv
REGIONS_GROUPING: Final = "regions"
#: groupings the group figures show, first found first (OECD in each year's membership, then current)
SHOWN_GROUPINGS: Final = ("oecd_in_year", "oecd_current", "major_economies")


def group_lines(groups: pd.DataFrame) -> pd.DataFrame:
    """Rows of the groupings the figures show (`SHOWN_GROUPINGS`: one OECD grouping and the major
    economies; else the first grouping), each group's name made unique across groupings."""
    if "grouping" not in groups.columns:
        return groups
    held = list(dict.fromkeys(groups["grouping"].astype(str)))
    oecd = [g for g in SHOWN_GROUPINGS[:2] if g in held][:1]
    chosen = oecd + [g for g in SHOWN_GROUPINGS[2:] if g in held] or held[:1]
    rows = groups[groups["grouping"].isin(chosen)]
    names = rows[["grouping", "region"]].drop_duplicates()
    repeated = set(names.loc[names["region"].duplicated(keep=False), "region"])
    region = [
        f"{r} [{g}]" if r in repeated else str(r)
        for g, r in zip(rows["grouping"], rows["region"], strict=True)
    ]
    return rows.assign(region=region)


def wide_by_region(
    rows: pd.DataFrame,
    accounts: Sequence[str],
    unit: str,
    lang: Lang,
    metadata: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """One row per (year, [grouping,] region), one column per account with the unit in its header,
    and the basis (in words, `localize`)."""
    keys = ["year", "grouping", "region"] if "grouping" in rows.columns else ["year", "region"]
    wide = rows.pivot_table(index=keys, columns="account", values="value", aggfunc="sum")
    wide = wide[[a for a in accounts if a in wide.columns]]
    basis = rows.groupby(keys)["basis"].first()
    out = wide.rename(columns=lambda a: f"{account_name(a, lang)} [{unit}]").reset_index()
    out.insert(len(keys), "basis", basis.reindex(pd.MultiIndex.from_frame(out[keys])).to_numpy())
    return localize(out, lang, metadata)


def localize(frame: pd.DataFrame, lang: Lang, metadata: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Region names, bases (in words, with the benchmark years of the extension plan in `metadata`)
    and column headers in `lang`; extended years marked with a dagger."""
    out = frame.copy()
    for column in ("region", "origin", "destination"):
        if column in out.columns:
            out[column] = out[column].astype(str).map(lambda code: region_name(code, lang))
    if "year" in out.columns and "basis" in out.columns:
        plan = plan_of(metadata or {})
        words = [
            basis_words(str(b), lang, plan.get(str(y).rstrip(EXTENDED_MARK)))
            for y, b in zip(out["year"], out["basis"], strict=True)
        ]
        out["year"] = [
            f"{y}{EXTENDED_MARK}" if b != TABLE_BASIS else str(y)
            for y, b in zip(out["year"], out["basis"], strict=True)
        ]
        out["basis"] = words
    elif "basis" in out.columns:
        out["basis"] = [basis_words(str(b), lang) for b in out["basis"]]
    if "grouping" in out.columns:
        out["grouping"] = [
            text(lang, f"grouping_{g}") if f"grouping_{g}" in TEXT else str(g) for g in out["grouping"]
        ]
    if lang == "zh":
        out = _cells_zh(out)
    headers = {k: f"col_{k}" for k in _HEADERS if k in out.columns}
    headers.update({"series": "col_variant"} if "series" in out.columns else {})
    return out.rename(columns={k: text(lang, v) for k, v in headers.items()})


#: columns whose header `localize` says in the page's language (text key `col_<name>`)
_HEADERS: Final = (
    "year",
    "region",
    "basis",
    "origin",
    "destination",
    "value",
    "grouping",
    "table_benchmark_year",
    "emission_benchmark_year",
    "benchmark_year",
    "horizon",
    "account",
    "stressor",
    "unit",
    "statistic",
    "cases",
    "option",
    "scale_rows",
    "residual_category",
    "relative_change",
    "flagged",
    "measure",
    "prices",
    "deflator_year",
)


def _cells_zh(out: pd.DataFrame) -> pd.DataFrame:
    """Code-like cells in Chinese: accounts, options, flags, prices."""
    if "account" in out.columns:
        out["account"] = out["account"].astype(str).map(lambda a: account_name(a, "zh"))
    if "option" in out.columns:
        out["option"] = (
            out["option"].astype(str).map(lambda o: text("zh", f"option_{o}") if o == "output_gap" else o)
        )
    if "flagged" in out.columns:
        out["flagged"] = [text("zh", "yes" if str(f) == "True" else "no") for f in out["flagged"]]
    if "prices" in out.columns:
        out["prices"] = out["prices"].astype(str).map(lambda p: price_words(p, "zh"))
    return out


def top_flows(flows: pd.DataFrame, stressor: str, n: int) -> tuple[pd.DataFrame, str]:
    """The `n` largest flows between different regions in every year (readable unit) and the unit."""
    rows = flows[(flows["stressor"] == stressor) & (flows["origin"] != flows["destination"])]
    if rows.empty:
        return rows, ""
    unit, factor = common_unit(rows)
    rows = rows.assign(value=rows["value"] * factor, unit=unit)
    top = rows.sort_values(["year", "value"], ascending=[True, False]).groupby("year").head(n)
    return top.reset_index(drop=True), unit


def intensity_series(folder: SeriesFolder, stressor: str, lang: Lang) -> tuple[pd.DataFrame, bool]:
    """Export intensity rows with `panel` (current or constant prices, in `lang`) and `series` (a
    column label: account, panel and unit); True if constant prices are among them.

    From `export_intensity.csv` when present (its `measure` 'intensity' rows; `prices` starting
    with 'constant' are constant prices, the others current or benchmark-year prices), otherwise the
    accounts' export intensities in current prices. Values in a readable unit (`kg/USD` for WIOD).
    """
    table = folder.optional.get("export_intensity")
    current, constant = text(lang, "current_prices"), text(lang, "constant_prices")
    if table is None or table.empty:
        table = folder.accounts[folder.accounts["account"].isin(INTENSITY_ACCOUNTS)]
        table = table.assign(prices="current")
    if "stressor" in table.columns:
        table = table[table["stressor"] == stressor]
    if "measure" in table.columns:
        table = table[table["measure"] == "intensity"]
    if table.empty:
        return table.assign(panel=pd.Series(dtype=str), series=pd.Series(dtype=str)), False
    is_constant = table["prices"].astype(str).str.startswith("constant")
    parts = []
    for _, rows in table.groupby(["account", "unit"], sort=False):
        unit, factor = common_unit(rows)
        parts.append(rows.assign(value=rows["value"] * factor, unit=unit))
    table = pd.concat(parts).loc[table.index]
    panel = pd.Series(np.where(is_constant, constant, current), index=table.index, dtype=str)
    comma = "，" if lang == "zh" else ", "
    series = [
        f"{account_name(str(a), lang)}{comma}{p} [{u}]"
        for a, p, u in zip(table["account"], panel, table["unit"], strict=True)
    ]
    return table.assign(panel=panel, series=series), bool(is_constant.any())


INTENSITY_ACCOUNTS: Final = ("EXPORT_INTENSITY_TOTAL", "EXPORT_INTENSITY_DOMESTIC")


def as_index(values: pd.Series) -> pd.Series:
    """`values` (index: year) as an index with its first finite, non-zero year = 100."""
    return prices.as_index(values)


def extended_year_errors(
    accounts: pd.DataFrame, metadata: Mapping[str, Any], summary: pd.DataFrame, lang: Lang
) -> pd.DataFrame:
    """The skill test's error next to every extended year (docs/methods.md, "Years outside the tables").

    For each year whose basis is not ``table``: its benchmark years (the plan in the series metadata),
    its horizon (years to the farthest benchmark it uses: the table's a for scaled tables, the
    emissions' b for scaled emissions) and, from the skill test of the same basis at that horizon,
    the median and 90th percentile over all regions of |relative error| of CBA and EEE. A horizon the
    skill test did not cover is left empty (beyond the tested horizons).
    """
    plan: Mapping[str, Mapping[str, Any]] = (metadata.get("extension") or {}).get("plan") or {}
    everyone = summary[summary["region"] == "all"]
    stats = {
        (str(basis), str(account), int(reach), str(statistic)): float(value)
        for basis, account, reach, statistic, value in everyone[
            ["basis", "account", "horizon", "statistic", "value"]
        ].itertuples(index=False)
    }
    rows = []
    bases = basis_by_year(accounts)
    for year, basis in zip(bases.index.astype(int), bases.astype(str), strict=True):
        if basis == TABLE_BASIS:
            continue
        step = plan.get(str(year)) or {}
        a, b = step.get("table_benchmark_year"), step.get("emission_benchmark_year")
        reach = horizon(int(year), basis, step)
        row: dict[str, Any] = {
            "year": year,
            "basis": basis,
            "table_benchmark_year": a,
            "emission_benchmark_year": b,
            "horizon": reach,
        }
        for account in ("CBA", "EEE"):
            for statistic, label in (("median_abs_rel_error", "median"), ("p90_abs_rel_error", "p90")):
                found = stats.get((basis, account, reach or 0, statistic))
                header = text(lang, "col_error_stat", account=account, stat=text(lang, f"stat_{label}"))
                row[header] = None if found is None else 100 * found
        rows.append(row)
    return localize(pd.DataFrame(rows), lang, metadata)
