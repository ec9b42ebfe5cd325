"""Group accounts: the accounts of every group of a grouping, summed over its members, per year.

docs/methods.md, "Country groups and regions". The additive accounts (`ADDITIVE_ACCOUNTS`) are sums
of members; group EEE and EEI are sums of the members' and so include trade between members
(NET_TRANSFER = PBA - CBA is not affected). Export intensities of a group are recomputed from sums,
never summed: q_G = sum_r q_r e_r / sum_r e_r, with e_r the members' GROSS_EXPORTS (exports to other
members included). Every grouping is a partition, so the groups' net transfers sum to the regions'
(identity 4 of docs/methods.md, "National accounts (the MRIO, final-demand view)"):
`check_partition_identity`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import pandas as pd

from mrio_tools.choices import RestOfWorldGroup
from mrio_tools.context.groups import Grouping, absent_members, assignment_table
from mrio_tools.errors import UnitError, ValidationError, listed
from mrio_tools.schema import MASS_ACCOUNTS

#: accounts whose group value is the sum of its members' values
ADDITIVE_ACCOUNTS: Final = (*MASS_ACCOUNTS, "GROSS_EXPORTS")
#: intensities recomputed from sums: account -> the account that weights it
INTENSITY_ACCOUNTS: Final[dict[str, str]] = {
    "EXPORT_INTENSITY_TOTAL": "GROSS_EXPORTS",
    "EXPORT_INTENSITY_DOMESTIC": "GROSS_EXPORTS",
}
GROUP_COLUMNS: Final = ("year", "grouping", "region", "account", "stressor", "unit", "value", "basis")


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
