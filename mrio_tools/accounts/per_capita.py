"""Per-capita accounts: PBA, CBA and NET_TRANSFER divided by population, in a unit the caller names.

docs/methods.md, "National accounts (the MRIO, final-demand view)": ACCOUNT_PER_CAPITA_r = ACCOUNT_r /
P_r with P_r the population (persons) of region (or group) r. The one implementation of the rule: the
national accounts of a year (`mrio_tools.accounts.national.per_capita`, unit: the account's unit per
person) and the per-capita table of regions and groups (`mrio_tools.context.per_capita`, unit: tonnes
per person) both call `per_capita_table`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from mrio_tools.errors import UnitError, ValidationError, listed
from mrio_tools.schema import PER_CAPITA_OF, per_capita_account
from mrio_tools.units import conversion_factor


def per_capita_unit(unit: str, *, mass_unit: str | None) -> tuple[str, float]:
    """The per-capita unit of an account in `unit`, and the factor from `unit` per person to it.

    With ``mass_unit=None`` the account's unit is kept: 'kt' -> ('kt/capita', 1.0). With a mass
    unit, masses are converted to it: 'kt' -> ('t/capita', 1000.0) and 'Mt CO2' -> ('t CO2/capita',
    1e6) for ``mass_unit='t'``. A unit that is no mass is kept as it is: 'TJ' -> ('TJ/capita', 1.0).
    """
    if mass_unit is None:
        return f"{unit}/capita", 1.0
    parts = unit.strip().split(maxsplit=1)
    try:
        factor = conversion_factor(unit, mass_unit)
    except UnitError:
        return f"{unit}/capita", 1.0
    substance = f" {parts[1]}" if len(parts) > 1 else ""
    return f"{mass_unit}{substance}/capita", factor


def per_capita_table(
    rows: pd.DataFrame, population: pd.DataFrame, *, keys: Sequence[str], mass_unit: str | None
) -> pd.DataFrame:
    """Per-capita rows of the `PER_CAPITA_OF` accounts in `rows` (other accounts are left out).

    `rows` is a long table (columns `keys`, ``account``, ``unit``, ``value`` and any others, kept);
    `population` holds `keys` and ``population`` (persons), one row per key. Each row's value is
    value * factor / population with the unit and factor of `per_capita_unit` (`mass_unit`), and its
    account is renamed ACCOUNT_PER_CAPITA. Rows keep their order. Raises `ValidationError` naming the
    keys of rows without a population.
    """
    picked = rows[rows["account"].isin(PER_CAPITA_OF)]
    merged = picked.merge(
        population[[*keys, "population"]], on=list(keys), how="left", validate="many_to_one"
    )
    lacking = merged[merged["population"].isna()]
    if not lacking.empty:
        shown = ["/".join(str(v) for v in label) for label in lacking[list(keys)].itertuples(index=False)]
        raise ValidationError(f"no population for {listed(shown)} ({'/'.join(keys)})")
    converted = {u: per_capita_unit(u, mass_unit=mass_unit) for u in merged["unit"].unique()}
    factor = merged["unit"].map(lambda u: converted[u][1])
    out = merged.assign(
        account=merged["account"].map(per_capita_account),
        unit=merged["unit"].map(lambda u: converted[u][0]),
        value=merged["value"] * factor / merged["population"],
    )
    return out[list(picked.columns)]
