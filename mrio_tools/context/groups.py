"""Country groupings (OECD, EU27, G20, major developed / developing, custom) and their members.

docs/methods.md, "Country groups and regions": memberships come from country_converter (its `OECD`
column holds each member's accession year, `EU27` the current 27 members, `G20` the G20 members),
the membership basis is stated, the table's rest-of-world regions are assigned explicitly, and group
results are sums of member regions.

A `Grouping` is a partition: every region of a table falls in exactly one of its groups in every year,
the regions that are in no listed group falling in its `other` group (e.g. 'non-OECD'). So for every
grouping and year the group gaps sum to the world's (identity 4 of docs/methods.md, "National accounts
(the MRIO, final-demand view)": sum of group PBA - CBA = 0), which `mrio_tools.context.group_accounts`
checks.

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

Group accounts (sums over these groups) are made by `mrio_tools.context.group_accounts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from mrio_tools.choices import OecdMembership, RestOfWorldGroup
from mrio_tools.context.names import country_converter
from mrio_tools.errors import DataFileError, ValidationError, listed

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
    data = country_converter().data
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
