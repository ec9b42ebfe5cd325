"""The findings table of a series: statements read off the accounts, each with its evidence.

One row per statement, columns `FINDING_COLUMNS`:
- `finding`: what is stated: 'CBA > PBA in every year' (per major developed economy, and a summary
  row), 'PBA > CBA in every year' (the same for major developing economies), 'production-minus-
  consumption gap' (per region or group: `statistic` 'first year', 'last year', 'peak'),
  'export intensity decline' (per exporter, intensity account and price series: `statistic`
  'decline of <account>, <prices>', from the first to the last year of that price series);
- `subject`: ISO3 region or group name; `statistic`: which number `value` is; `year_from`,
  `year_to`: the years it covers (one year: both equal); `value` and `unit` (years, economies, a mass
  such as 'Gt', or '%'); `text`: the statement in words;
- `basis`: the distinct series bases of the rows used (`table`, `scaled_table+scaled_emissions`, ...);
  `method`: how it was computed (docs/methods.md section); `source`: the data source of the series.

Gaps are PBA - CBA (= NET_TRANSFER, docs/methods.md, "National accounts (the MRIO, final-demand view)"),
positive for a net exporter of embodied emissions; the peak is the year of the largest absolute gap.
Declines are 1 - q_b / q_a (docs/methods.md "Export carbon intensity") between the first and last year
of each price series.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from mrio_tools.errors import ValidationError, listed
from mrio_tools.units import conversion_factor

FINDING_COLUMNS: Final = (
    "finding",
    "subject",
    "statistic",
    "year_from",
    "year_to",
    "value",
    "unit",
    "text",
    "basis",
    "method",
    "source",
)
_NATIONAL: Final = "docs/methods.md, National accounts"


def _basis(rows: pd.DataFrame) -> str:
    return "; ".join(sorted(set(rows["basis"].astype(str))))


def _years(rows: pd.DataFrame) -> tuple[int, int]:
    return int(rows["year"].min()), int(rows["year"].max())


def _pick(
    table: pd.DataFrame, *, region: str, account: str, stressor: str, grouping: str | None
) -> pd.DataFrame:
    """Rows of one region (or group) and account, by year."""
    mask = (table["region"] == region) & (table["account"] == account) & (table["stressor"] == stressor)
    if grouping is not None:
        mask &= table["grouping"] == grouping
    return table[mask].sort_values("year")


def sign_every_year(
    accounts: pd.DataFrame, *, regions: Sequence[str], stressor: str, consumer: bool, label: str, source: str
) -> list[dict[str, Any]]:
    """Rows saying, per region, in how many years CBA > PBA (`consumer`) or PBA > CBA, and a summary row.

    Regions of `regions` that the table lacks are named in the summary's text (e.g. held in RoW).

    Parameters
    ----------
    accounts
        The series table (`year, region, account, stressor, unit, value, basis`).
    regions
        The economies tested (ISO3 codes).
    stressor
        The stressor whose PBA and CBA are compared.
    consumer
        True: count the years with CBA > PBA; False: with PBA > CBA.
    label
        The name of the set of economies in the summary (e.g. 'major developed').
    source
        The data source of the series, written into every row.
    """
    finding = "CBA > PBA in every year" if consumer else "PBA > CBA in every year"
    rows: list[dict[str, Any]] = []
    every: list[str] = []
    present = [r for r in regions if r in set(accounts["region"])]
    absent = [r for r in regions if r not in set(accounts["region"])]
    first = last = 0
    bases: set[str] = set()
    for region in present:
        pba = _pick(accounts, region=region, account="PBA", stressor=stressor, grouping=None).set_index(
            "year"
        )
        cba = _pick(accounts, region=region, account="CBA", stressor=stressor, grouping=None).set_index(
            "year"
        )
        years = sorted(set(pba.index) & set(cba.index))
        if not years:
            raise ValidationError(f"no PBA and CBA rows of {region} for stressor {stressor!r}")
        diff = cba.loc[years, "value"] - pba.loc[years, "value"]
        holds = (diff > 0) if consumer else (diff < 0)
        count = int(holds.sum())
        first, last = years[0], years[-1]
        failing = [int(y) for y in np.asarray(years)[~holds.to_numpy()]]
        if count == len(years):
            every.append(region)
        both = pd.concat([pba.loc[years], cba.loc[years]])
        bases |= set(both["basis"].astype(str))
        rows.append(
            {
                "finding": finding,
                "subject": region,
                "statistic": "years where it holds",
                "year_from": first,
                "year_to": last,
                "value": float(count),
                "unit": "years",
                "text": f"{region}: {count} of {len(years)} years"
                + (f"; not in {listed(failing)}" if failing else ""),
                "basis": _basis(both),
                "method": f"CBA - PBA per year, {_NATIONAL}",
                "source": source,
            }
        )
    rows.append(
        {
            "finding": finding,
            "subject": label,
            "statistic": "economies where it holds in every year",
            "year_from": first,
            "year_to": last,
            "value": float(len(every)),
            "unit": f"economies of {len(present)}",
            "text": f"{label}: {', '.join(every) or 'none'}"
            + (f"; not regions of the table: {', '.join(absent)}" if absent else ""),
            "basis": "; ".join(sorted(bases)),
            "method": f"CBA - PBA per year, {_NATIONAL}",
            "source": source,
        }
    )
    return rows


def gap_rows(
    table: pd.DataFrame,
    *,
    subject: str,
    grouping: str | None,
    stressor: str,
    unit: str,
    method: str,
    source: str,
) -> list[dict[str, Any]]:
    """First-year, last-year and peak PBA - CBA (NET_TRANSFER) of a region or group, in `unit`.

    Parameters
    ----------
    table
        The series table (regions) or the group accounts (groups).
    subject
        The region or group.
    grouping
        The grouping of `subject` in `table` (None for a region of the series table).
    stressor
        The stressor of the gap.
    unit
        The mass unit of the result (e.g. 'Gt'); every row's unit must convert to it.
    method, source
        The docs/methods.md section and the data source, written into every row.
    """
    rows = _pick(table, region=subject, account="NET_TRANSFER", stressor=stressor, grouping=grouping)
    if rows.empty:
        where = f"grouping {grouping}" if grouping else "the accounts"
        raise ValidationError(f"no NET_TRANSFER rows of {subject!r} ({stressor}) in {where}")
    values = pd.Series(
        [v * conversion_factor(u, unit) for v, u in zip(rows["value"], rows["unit"], strict=True)],
        index=rows["year"].astype(int).to_numpy(),
    )
    peak_year = int(values.abs().idxmax())
    out = []
    for statistic, year in (
        ("first year", int(values.index[0])),
        ("last year", int(values.index[-1])),
        ("peak", peak_year),
    ):
        used = rows[rows["year"] == year]
        out.append(
            {
                "finding": "production-minus-consumption gap",
                "subject": subject,
                "statistic": statistic,
                "year_from": year,
                "year_to": year,
                "value": float(values[year]),
                "unit": unit,
                "text": f"{subject} PBA - CBA {values[year]:.3g} {unit} in {year}"
                + (" (largest absolute gap of the series)" if statistic == "peak" else ""),
                "basis": _basis(used),
                "method": method,
                "source": source,
            }
        )
    return out


def decline_rows(
    trends: pd.DataFrame, *, exporters: Sequence[str], stressor: str, source: str
) -> list[dict[str, Any]]:
    """Per exporter, intensity account and price series: 1 - q_last / q_first, in %."""
    out = []
    picked = trends[(trends["measure"] == "intensity") & (trends["stressor"] == stressor)]
    missing = [r for r in exporters if r not in set(picked["region"])]
    if missing:
        raise ValidationError(f"no export intensity rows for exporters {listed(missing)} ({stressor})")
    for region in exporters:
        for (account, prices), rows in picked[picked["region"] == region].groupby(["account", "prices"]):
            prices = str(prices)
            rows = rows.sort_values("year")
            if len(rows) < 2:
                continue
            first, last = rows.iloc[0], rows.iloc[-1]
            decline = 100.0 * (1.0 - float(last["value"]) / float(first["value"]))
            out.append(
                {
                    "finding": "export intensity decline",
                    "subject": region,
                    "statistic": f"decline of {account}, {prices}",
                    "year_from": int(first["year"]),
                    "year_to": int(last["year"]),
                    "value": decline,
                    "unit": "%",
                    "text": f"{region} {account}: {float(first['value']):.3g} -> {float(last['value']):.3g} "
                    f"{first['unit']} ({prices}), {decline:.1f} % lower",
                    "basis": _basis(rows.iloc[[0, -1]]),
                    "method": "1 - q_b / q_a, docs/methods.md, Export carbon intensity"
                    + (
                        ""
                        if prices.startswith("current")
                        else "; deflated with the year's (or benchmark year's) index"
                    ),
                    "source": source,
                }
            )
    return out


def findings_table(
    accounts: pd.DataFrame,
    groups: pd.DataFrame,
    trends: pd.DataFrame,
    *,
    stressor: str,
    major_developed: Sequence[str],
    major_developing: Sequence[str],
    gap_regions: Sequence[str],
    gap_groups: Sequence[tuple[str, str]],
    gap_unit: str,
    exporters: Sequence[str],
    source: str,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The findings of a series (this module's docstring), with metadata.

    Parameters
    ----------
    accounts
        The series table (`year, region, account, stressor, unit, value, basis`).
    groups
        The output of `mrio_tools.context.group_accounts.group_accounts` for the same series.
    trends
        The output of `mrio_tools.context.prices.export_intensity_trends`.
    stressor
        The stressor the findings are about (e.g. 'CO2').
    major_developed, major_developing
        ISO3 codes of the economies whose CBA > PBA (developed) or PBA > CBA (developing) in every
        year is tested.
    gap_regions
        Regions whose PBA - CBA gap (first year, last year, peak) is stated.
    gap_groups
        (grouping, group) pairs whose gap is stated, e.g. ('oecd_in_year', 'OECD').
    gap_unit
        The mass unit of the gaps (e.g. 'Gt').
    exporters
        Regions whose export intensity decline 1 - q_last / q_first is stated, in %.
    source
        The data source of the series, written into every row.

    Returns
    -------
    tuple
        The findings (columns `FINDING_COLUMNS`) and their metadata.
    """
    rows = sign_every_year(
        accounts,
        regions=major_developed,
        stressor=stressor,
        consumer=True,
        label="major developed",
        source=source,
    )
    rows += sign_every_year(
        accounts,
        regions=major_developing,
        stressor=stressor,
        consumer=False,
        label="major developing",
        source=source,
    )
    for region in gap_regions:
        rows += gap_rows(
            accounts,
            subject=region,
            grouping=None,
            stressor=stressor,
            unit=gap_unit,
            method=f"PBA - CBA, {_NATIONAL}",
            source=source,
        )
    for grouping, group in gap_groups:
        rows += gap_rows(
            groups,
            subject=group,
            grouping=grouping,
            stressor=stressor,
            unit=gap_unit,
            method=f"PBA - CBA summed over the members of {group} (grouping {grouping}), "
            "docs/methods.md, Country groups and regions",
            source=source,
        )
    rows += decline_rows(trends, exporters=exporters, stressor=stressor, source=source)
    table = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    metadata = {
        "columns": {
            "finding": "what is stated",
            "subject": "ISO3 region or group",
            "statistic": "which number value is",
            "year_from": "first year covered",
            "year_to": "last year covered",
            "value": "the number, in unit",
            "unit": "unit of value",
            "text": "the statement in words",
            "basis": "series bases of the rows used",
            "method": "how it was computed",
            "source": "data source of the series",
        },
        "stressor": stressor,
        "major_developed": list(major_developed),
        "major_developing": list(major_developing),
        "gap": "PBA - CBA (NET_TRANSFER); peak = year of the largest absolute gap",
        "gap_unit": gap_unit,
        "exporters": list(exporters),
    }
    return table, metadata


def largest_exporters(accounts: pd.DataFrame, *, n: int, year: int) -> list[str]:
    """The `n` regions with the largest GROSS_EXPORTS in `year` (a way to choose 'major exporters')."""
    rows = accounts[(accounts["account"] == "GROSS_EXPORTS") & (accounts["year"] == year)]
    if rows.empty:
        raise ValidationError(f"no GROSS_EXPORTS rows in {year}; choose a year of the series")
    return [str(r) for r in rows.sort_values("value", ascending=False)["region"].head(n)]
