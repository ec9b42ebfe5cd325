"""Country groups (OECD, EU27, G20, major developed / developing, custom) and group accounts.

docs/methods.md, "Country groups and regions": memberships come from country_converter (its `OECD`
column holds each member's accession year, `EU27` the current 27 members, `G20` the G20 members),
the membership basis is stated, the table's rest-of-world regions are assigned explicitly, and group
results are sums of member regions.

A `Grouping` is a partition: every region of a table falls in exactly one of its groups in every
year, the regions that are in no listed group falling in its `other` group (e.g. 'non-OECD'). So
for every grouping and year the group gaps sum to the world's (identity 4 of docs/methods.md, "National
accounts (the MRIO, final-demand view)": sum of group PBA - CBA = 0), which `group_accounts` checks.

Rest-of-world regions (WIOD's `RoW`, EXIOBASE's WA ... WM) are no countries: `rest_of_world_group`
places them either in each grouping's `other` group ('other') or in a group of their own named as
the region ('own'). Either way the note matters: WIOD 2013's RoW holds OECD members (CHE, NOR, ISL,
NZL, ISR, CHL and later COL, CRI), an EU27 member (HRV) and G20 members (ARG, SAU, ZAF); the
metadata lists, per grouping, the members that the table does not hold as regions of their own.

Major economies (`major_economies_grouping`): the 19 G20 member countries split by the IMF World
Economic Outlook's country classification (April 2024 edition): 'major developed' = the G20's
advanced economies AUS, CAN, DEU, FRA, GBR, ITA, JPN, KOR, USA (the G7 with Australia and Korea);
'major developing' = the G20's emerging market and developing economies ARG, BRA, CHN, IDN, IND,
MEX, RUS, SAU, TUR, ZAF. Chosen because the G20 is the usual set of "major" economies and the IMF
split is a maintained, published classification; it is applied to every year (Korea was an
IMF "developing" economy until 1997: the basis says "current classification for all years").

Custom groups: a CSV with columns `group, region` (one row per member, ISO3 or the table's region
label), read by `read_groups_csv`; a region in two groups is an error.

Group accounts: the additive accounts (`ADDITIVE_ACCOUNTS`) are sums of members; group EEE and EEI
are sums of the members' and so include trade between members (NET_TRANSFER = PBA - CBA is not
affected). Export intensities of a group are recomputed from sums, never summed:
q_G = sum_r q_r e_r / sum_r e_r, with e_r the members' GROSS_EXPORTS (exports to other members
included).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from mrio_tools.choices import OecdMembership, RestOfWorldGroup
from mrio_tools.context.national import _converter
from mrio_tools.errors import DataFileError, UnitError, ValidationError, listed
from mrio_tools.schema import MASS_ACCOUNTS

#: accounts whose group value is the sum of its members' values
ADDITIVE_ACCOUNTS: Final = (*MASS_ACCOUNTS, "GROSS_EXPORTS")
#: intensities recomputed from sums: account -> the account that weights it
INTENSITY_ACCOUNTS: Final[dict[str, str]] = {
    "EXPORT_INTENSITY_TOTAL": "GROSS_EXPORTS",
    "EXPORT_INTENSITY_DOMESTIC": "GROSS_EXPORTS",
}
GROUP_COLUMNS: Final = ("year", "grouping", "region", "account", "stressor", "unit", "value", "basis")


MAJOR_DEVELOPED: Final = ("AUS", "CAN", "DEU", "FRA", "GBR", "ITA", "JPN", "KOR", "USA")
MAJOR_DEVELOPING: Final = ("ARG", "BRA", "CHN", "IDN", "IND", "MEX", "RUS", "SAU", "TUR", "ZAF")
MAJOR_SOURCE: Final = (
    "G20 member countries split by the IMF World Economic Outlook (April 2024) classification: advanced "
    "economies vs emerging market and developing economies; current classification for all years"
)


@dataclass(frozen=True)
class Grouping:
    """A partition of regions into named groups.

    `groups` maps each group name to its members, each with the first year of membership (None: all
    years). A region in no group belongs to `other`. `basis` says what membership means (e.g.
    'members in each year'), `source` where it comes from.
    """

    name: str
    groups: Mapping[str, Mapping[str, int | None]]
    other: str
    basis: str
    source: str

    def members(self, group: str, year: int) -> frozenset[str]:
        """The listed members of `group` in `year` (not the `other` group's)."""
        return frozenset(r for r, first in self.groups[group].items() if first is None or first <= year)

    def listed_regions(self) -> frozenset[str]:
        """Every region that some group lists, in any year."""
        return frozenset(r for members in self.groups.values() for r in members)


def _column_members(column: str) -> dict[str, int | None]:
    """ISO3 codes with a value in country_converter's `column`; numeric values are first years."""
    data = _converter().data
    rows = data[data[column].notna()]
    out: dict[str, int | None] = {}
    for iso3, value in zip(rows["ISO3"], rows[column], strict=True):
        out[str(iso3)] = int(value) if isinstance(value, int | float | np.integer | np.floating) else None
    return out


def _cc_version() -> str:
    import country_converter as coco

    return f"country_converter {coco.__version__}"


def oecd_grouping(*, membership: OecdMembership) -> Grouping:
    """OECD / non-OECD: members in each year (accession year <= year) or today's members for all years.

    Accession years from country_converter's `OECD` column (the year of the accession, e.g. MEX
    1994, CHL 2010, COL 2020, CRI 2021).
    """
    accession = _column_members("OECD")
    if membership == "in_year":
        groups: dict[str, dict[str, int | None]] = {"OECD": dict(accession)}
        basis = "members in each year (accession year <= year)"
        name = "oecd_in_year"
    elif membership == "current":
        groups = {"OECD": {r: None for r in accession}}
        basis = f"current members ({len(accession)}) for all years"
        name = "oecd_current"
    else:
        raise ValidationError(f"membership={membership!r}; use 'in_year' or 'current'")
    return Grouping(name, groups, "non-OECD", basis, f"{_cc_version()}, column OECD (accession years)")


def eu27_grouping() -> Grouping:
    """EU27 (the 27 members since 2020) / non-EU27, the same members for all years."""
    return Grouping(
        "eu27",
        {"EU27": {r: None for r in _column_members("EU27")}},
        "non-EU27",
        "current members (27, since 2020) for all years",
        f"{_cc_version()}, column EU27",
    )


def g20_grouping() -> Grouping:
    """G20 / non-G20: the 19 member countries and, as the EU is a member, the EU27's members."""
    return Grouping(
        "g20",
        {"G20": {r: None for r in _column_members("G20")}},
        "non-G20",
        "current members for all years; the EU's membership counts its member states",
        f"{_cc_version()}, column G20",
    )


def major_economies_grouping() -> Grouping:
    """Major developed / major developing economies (this module's docstring), the rest 'other'."""
    return Grouping(
        "major_economies",
        {
            "major developed": {r: None for r in MAJOR_DEVELOPED},
            "major developing": {r: None for r in MAJOR_DEVELOPING},
        },
        "other economies",
        "current classification for all years",
        MAJOR_SOURCE,
    )


def read_groups_csv(path: Path, *, name: str, other: str) -> Grouping:
    """Custom groups from a CSV with columns `group, region` (one member per row).

    Regions the file does not list fall into the group `other`. A region in two groups, an empty
    cell or a group named like `other` raises `DataFileError` naming the rows.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(
            f"{path}: no such groups file; expected columns group, region (one member per row)"
        )
    frame = pd.read_csv(path, dtype=str).rename(columns=lambda c: str(c).strip())
    missing = [c for c in ("group", "region") if c not in frame.columns]
    if missing:
        raise DataFileError(
            f"{path}: lacks the columns {missing} (found {list(frame.columns)}); expected group, region"
        )
    frame = frame[["group", "region"]]
    empty = frame.isna().any(axis=1) | (frame.apply(lambda c: c.str.strip()) == "").any(axis=1)
    if empty.any():
        raise DataFileError(f"{path}: rows {listed([i + 2 for i in frame.index[empty]])} have an empty cell")
    frame = frame.apply(lambda c: c.str.strip())
    twice = frame.duplicated(subset=["region"], keep=False)
    if twice.any():
        shown = [
            f"line {i + 2}: {r.region} in {r.group}"
            for i, r in zip(frame.index[twice], frame[twice].itertuples(), strict=True)
        ]
        raise DataFileError(
            f"{path}: regions listed more than once: {listed(shown)}; a region belongs to one group"
        )
    if (frame["group"] == other).any():
        raise DataFileError(
            f"{path}: group {other!r} is also the name of the unlisted regions' group; rename one"
        )
    groups: dict[str, dict[str, int | None]] = {}
    for group, region in frame.itertuples(index=False):
        groups.setdefault(group, {})[region] = None
    return Grouping(name, groups, other, "as listed, all years", str(path))


def assign_regions(
    grouping: Grouping,
    regions: Sequence[str],
    year: int,
    *,
    rest_of_world: Sequence[str],
    rest_of_world_group: RestOfWorldGroup,
) -> dict[str, str]:
    """Group of each region in `year`; rest-of-world regions go to `other` or to a group of their own."""
    rest = set(rest_of_world)
    listed_rest = sorted(rest & grouping.listed_regions())
    if listed_rest:
        raise ValidationError(
            f"grouping {grouping.name}: rest-of-world regions {listed_rest} are listed as members; a "
            "rest-of-world region is placed by rest_of_world_group, not listed"
        )
    if rest_of_world_group not in ("other", "own"):
        raise ValidationError(f"rest_of_world_group={rest_of_world_group!r}; use 'other' or 'own'")
    clash = sorted(rest & ({*grouping.groups, grouping.other}))
    if clash and rest_of_world_group == "own":
        raise ValidationError(f"grouping {grouping.name}: rest-of-world region {clash} has a group's name")
    member_of = {r: g for g in grouping.groups for r in grouping.members(g, year)}
    out: dict[str, str] = {}
    for region in regions:
        if region in rest:
            out[region] = region if rest_of_world_group == "own" else grouping.other
        else:
            out[region] = member_of.get(region, grouping.other)
    return out


def assignment_table(
    grouping: Grouping,
    regions: Sequence[str],
    years: Sequence[int],
    *,
    rest_of_world: Sequence[str],
    rest_of_world_group: RestOfWorldGroup,
) -> pd.DataFrame:
    """`assign_regions` for every year, as a table with columns year, region, group."""
    parts = []
    for year in years:
        mapping = assign_regions(
            grouping, regions, year, rest_of_world=rest_of_world, rest_of_world_group=rest_of_world_group
        )
        parts.append(pd.DataFrame({"year": year, "region": list(mapping), "group": list(mapping.values())}))
    return pd.concat(parts, ignore_index=True)


def absent_members(grouping: Grouping, regions: Sequence[str], years: Sequence[int]) -> dict[str, list[str]]:
    """Per group, the members (in some year of `years`) that are not regions of the table."""
    have = set(regions)
    out: dict[str, list[str]] = {}
    for group in grouping.groups:
        members: set[str] = set().union(*(grouping.members(group, y) for y in years)) if years else set()
        absent = sorted(members - have)
        if absent:
            out[group] = absent
    return out


def group_accounts(
    accounts: pd.DataFrame,
    *,
    groupings: Sequence[Grouping],
    rest_of_world: Sequence[str],
    rest_of_world_group: RestOfWorldGroup,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Accounts of every group of every grouping and year, as a long table with its metadata.

    `accounts` is a series table (`year, region, account, stressor, unit, value, basis`).
    Additive accounts are sums of members; export intensities are gross-export-weighted means
    (sum q_r e_r / sum e_r) of members; other accounts (per capita) are left out. Output columns:
    `GROUP_COLUMNS` (`region` holds the group name). The partition identity (docs/methods.md identity 4)
    is checked for every grouping, year and stressor.
    """
    _check_accounts(accounts)
    regions = list(dict.fromkeys(accounts["region"]))
    years = sorted(int(y) for y in accounts["year"].unique())
    parts = []
    metadata: dict[str, Any] = {
        "rest_of_world": list(rest_of_world),
        "rest_of_world_group": rest_of_world_group,
        "rule": "additive accounts: sums of members (group EEE/EEI include trade between members); "
        "export intensities: sum q_r e_r / sum e_r over members (e = GROSS_EXPORTS)",
        "groupings": {},
    }
    for grouping in groupings:
        assignment = assignment_table(
            grouping, regions, years, rest_of_world=rest_of_world, rest_of_world_group=rest_of_world_group
        )
        table = _sum_by_group(accounts, assignment)
        table.insert(1, "grouping", grouping.name)
        parts.append(table)
        check_partition_identity(accounts, table, grouping=grouping.name)
        metadata["groupings"][grouping.name] = {
            "groups": [*grouping.groups, grouping.other],
            "membership_basis": grouping.basis,
            "source": grouping.source,
            "rest_of_world_in": (
                {r: grouping.other for r in rest_of_world}
                if rest_of_world_group == "other"
                else {r: r for r in rest_of_world}
            ),
            "members_not_in_table": absent_members(grouping, regions, years),
        }
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(GROUP_COLUMNS))
    return out[list(GROUP_COLUMNS)], metadata


def _check_accounts(accounts: pd.DataFrame) -> None:
    """Raise `ValidationError` unless `accounts` has the series columns."""
    need = ("year", "region", "account", "stressor", "unit", "value", "basis")
    missing = [c for c in need if c not in accounts.columns]
    if missing:
        raise ValidationError(f"accounts table lacks the columns {missing}; expected {list(need)}")


def _joined_basis(values: pd.Series) -> str:
    """One basis label for several rows: the basis, or the sorted distinct ones joined by '; '."""
    return "; ".join(sorted(set(values)))


def _sum_by_group(accounts: pd.DataFrame, assignment: pd.DataFrame) -> pd.DataFrame:
    """Group sums of additive accounts and export-weighted means of intensities."""
    frame = accounts.merge(assignment, on=["year", "region"], how="left", validate="many_to_one")
    keys = ["year", "group", "account", "stressor"]
    additive = frame[frame["account"].isin(ADDITIVE_ACCOUNTS)]
    _check_one_unit(additive)
    sums = additive.groupby(keys, sort=True).agg(
        unit=("unit", "first"), value=("value", "sum"), basis=("basis", _joined_basis)
    )
    parts = [sums.reset_index()]
    for account, weight_account in INTENSITY_ACCOUNTS.items():
        rows = frame[frame["account"] == account]
        if rows.empty:
            continue
        _check_one_unit(rows)
        weights = frame[frame["account"] == weight_account][["year", "region", "unit", "value"]]
        _check_one_unit(weights.assign(account=weight_account, stressor="monetary"))
        merged = rows.merge(
            weights.rename(columns={"value": "weight", "unit": "weight_unit"}),
            on=["year", "region"],
            how="left",
        )
        lacking = merged[merged["weight"].isna()]
        if not lacking.empty:
            shown = [f"{r.region} {r.year}" for r in lacking.itertuples()]
            raise ValidationError(
                f"{account} rows of {listed(shown)} have no {weight_account} row to weight them; "
                "a group intensity is recomputed from sums and needs both"
            )
        merged["weighted"] = merged["value"] * merged["weight"]
        agg = merged.groupby(keys, sort=True).agg(
            unit=("unit", "first"),
            weighted=("weighted", "sum"),
            weight=("weight", "sum"),
            basis=("basis", _joined_basis),
        )
        agg["value"] = agg["weighted"] / agg["weight"]
        parts.append(agg.reset_index()[[*keys, "unit", "value", "basis"]])
    out = pd.concat(parts, ignore_index=True).rename(columns={"group": "region"})
    return out.sort_values(["year", "region", "account", "stressor"], kind="stable").reset_index(drop=True)


def _check_one_unit(rows: pd.DataFrame) -> None:
    """Raise `UnitError` if one (account, stressor) carries several units (they cannot be summed)."""
    units = rows.groupby(["account", "stressor"])["unit"].unique()
    several = [f"{key}: {list(u)}" for key, u in units.items() if len(u) > 1]
    if several:
        raise UnitError(f"accounts with several units cannot be summed: {listed(several)}; convert first")


def check_partition_identity(
    accounts: pd.DataFrame, groups: pd.DataFrame, *, grouping: str, rtol: float = 1e-9
) -> None:
    """Identity 4 of docs/methods.md: per year and stressor, the groups' PBA - CBA sum to the regions' sum.

    The regions' sum is 0 by identity 1; the check is relative to world PBA. Sums of group PBA and
    CBA must also equal the regions' sums. Raises `ValidationError` naming grouping, year, stressor.
    """
    rows = groups[groups["grouping"] == grouping] if "grouping" in groups.columns else groups
    failures = []
    for account in ("PBA", "CBA", "NET_TRANSFER"):
        by_group = rows[rows["account"] == account].groupby(["year", "stressor"])["value"].sum()
        by_region = accounts[accounts["account"] == account].groupby(["year", "stressor"])["value"].sum()
        scale = (
            accounts[accounts["account"] == "PBA"]
            .groupby(["year", "stressor"])["value"]
            .apply(lambda v: v.abs().sum())
        )
        if by_region.empty:
            continue
        diff = (by_group.reindex(by_region.index) - by_region).abs()
        bound = rtol * scale.reindex(by_region.index).fillna(0.0).clip(lower=1.0)
        bad = diff.isna() | (diff > bound)
        failures += [
            f"{account} {y}/{s}: groups differ by {diff[(y, s)]:.3g}" for (y, s) in by_region.index[bad]
        ]
    if failures:
        raise ValidationError(
            f"grouping {grouping} breaks the partition identity (docs/methods.md, identity 4): "
            f"{listed(failures)}"
        )
