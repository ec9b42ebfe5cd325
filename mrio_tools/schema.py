"""The long-format result schema: column names, account names and what each account means.

Every result table of mrio_tools has the columns of `ACCOUNT_COLUMNS` (regional accounts) or
`FLOW_COLUMNS` (origin-destination flows). Units travel in the `unit` column; the meaning of each
account is declared once here and cited from docs/methods.md ("National accounts (the MRIO,
final-demand view)", "Export carbon intensity").
"""

from __future__ import annotations

from typing import Final

import pandas as pd

ACCOUNT_COLUMNS: Final = ("year", "region", "account", "stressor", "unit", "value")
FLOW_COLUMNS: Final = ("year", "origin", "destination", "stressor", "unit", "value")

#: stressor label used on rows that carry money, not a stressor (gross exports)
MONETARY: Final = "monetary"

#: accounts whose values are masses of a stressor: converted by --unit, shown in the report's mass tables
MASS_ACCOUNTS: Final = ("PBA", "CBA", "EEE", "EEI", "NET_TRANSFER", "HOUSEHOLD_DIRECT")
#: accounts that have a per-capita account, each divided by population
#: (docs/methods.md, "National accounts (the MRIO, final-demand view)")
PER_CAPITA_OF: Final = ("PBA", "CBA", "NET_TRANSFER")


def per_capita_account(account: str) -> str:
    """The name of the per-capita account of `account` ('PBA' -> 'PBA_PER_CAPITA')."""
    return f"{account}_PER_CAPITA"


#: the per-capita accounts, one for each of PER_CAPITA_OF
PER_CAPITA_ACCOUNTS: Final = tuple(per_capita_account(a) for a in PER_CAPITA_OF)

ACCOUNTS: Final[dict[str, str]] = {
    "PBA": "production-based account: direct emissions of the region's industries plus its households",
    "CBA": "consumption-based account: emissions anywhere caused by the region's final demand, plus "
    "its households' direct emissions",
    "EEE": "emissions embodied in exports: the region's production emissions caused by final demand abroad",
    "EEI": "emissions embodied in imports: emissions abroad caused by the region's final demand",
    "NET_TRANSFER": "PBA - CBA = EEE - EEI (positive: net exporter of embodied emissions)",
    "HOUSEHOLD_DIRECT": "direct emissions of final demand (households burning fuel), part of PBA and CBA",
    "GROSS_EXPORTS": "gross exports, intermediate plus final, to all other regions of the table",
    "EXPORT_INTENSITY_TOTAL": "upstream emissions anywhere per unit of gross exports (m e_r / 1'e_r)",
    "EXPORT_INTENSITY_DOMESTIC": "emissions on the exporter's territory per unit of gross exports "
    "(f_r (I - A_rr)^-1 e_r / 1'e_r)",
    "PBA_PER_CAPITA": "PBA divided by population",
    "CBA_PER_CAPITA": "CBA divided by population",
    "NET_TRANSFER_PER_CAPITA": "NET_TRANSFER divided by population",
}

#: accounts of the methods beyond the national accounts (mrio_tools.accounts: eebt, tcba, sda, income,
#: sectors, footprints, paths), each defined in docs/methods.md under the section its module cites
METHOD_ACCOUNTS: Final[dict[str, str]] = {
    # trade view, docs/methods.md "Emissions embodied in bilateral trade (EEBT, the trade view)"
    "EEBT": "flow r -> s: f_r (I - A_rr)^-1 (Z_rs 1 + Y_rs 1), exporter's domestic technology",
    "EEBT_INTERMEDIATE": "the part of EEBT in intermediate exports, f_r (I - A_rr)^-1 Z_rs 1",
    "EEBT_FINAL": "the part of EEBT in final exports, f_r (I - A_rr)^-1 Y_rs 1",
    "EEBT_EXPORTS": "sum_t EEBT[r -> t]",
    "EEBT_IMPORTS": "sum_t EEBT[t -> r]",
    "CBA_EEBT": "CBA by the trade view: PBA - EEBT_EXPORTS + EEBT_IMPORTS",
    "CBA_EEBT_MINUS_MRIO": "CBA_EEBT - CBA (trade view minus final-demand view)",
    "EEBT_DIFF_REEXPORTED": "part of CBA_EEBT_MINUS_MRIO: emissions in intermediate imports that the region "
    "uses for output bought by final demand abroad (re-exported)",
    "EEBT_DIFF_OTHER": "the rest of CBA_EEBT_MINUS_MRIO (imports for own final demand, supply chains the "
    "domestic-technology view misses)",
    # docs/methods.md "Technology-adjusted CBA (Kander et al. 2015, Nature Climate Change 5:431)"
    "TCBA": "technology-adjusted CBA: PBA - sum_i w_i x^exp_ri + EEI",
    "EEE_WORLD_AVERAGE": "sum_i w_i x^exp_ri: exports valued at world-market average sector intensities",
    "WORLD_MARKET_INTENSITY": "w_i = sum_r f_ri x^exp_ri / sum_r x^exp_ri, by sector",
    # docs/methods.md "Structural decomposition (SDA) of a change"
    "EXPORT_INTENSITY_START": "total export intensity f L u at the first year of a decomposition",
    "EXPORT_INTENSITY_END": "total export intensity f L u at the second year of a decomposition",
    "SDA_TOTAL_CHANGE": "change of the total export intensity between the two years",
    "SDA_INTENSITY_EFFECT": "part of the change due to direct intensities f (polar average)",
    "SDA_TECHNOLOGY_EFFECT": "part of the change due to the Leontief inverse L (polar average)",
    "SDA_EXPORT_MIX_EFFECT": "part of the change due to the composition of gross exports (polar average)",
    # docs/methods.md "Income-based accounts (Ghosh)"
    "IBA": "income-based account: emissions enabled by the region's primary inputs, plus its households' "
    "direct emissions",
    "IBA_SECTOR": "emissions enabled by a sector's primary inputs, v_i (G f^T)_i",
    "VALUE_ADDED": "primary inputs v = x - Z'1 (the table's balancing item below Z)",
    # docs/methods.md "Sector transfers"
    "SECTOR_EXPORTS_EMITTING": "flow: origin sector's emissions caused by the destination's final demand",
    "SECTOR_EXPORTS_PRODUCT": "flow: EEBT of the origin's product exported to the destination",
    "NET_TRANSFER_SECTOR_EMITTING": "exports minus imports of a sector's emissions, emitting-sector view",
    "NET_TRANSFER_SECTOR_PRODUCT": "exports minus imports of a product's embodied emissions, product view",
    "NET_TRANSFER_SET_EMITTING": "flow: net transfer of a sector set, origin to destination, emitting view",
    "NET_TRANSFER_SET_PRODUCT": "flow: net transfer of a sector set from origin to destination, product view",
    # docs/methods.md "Footprint intensities and baskets"
    "FOOTPRINT_INTENSITY": "M_j = sum_i f_i L_ij: emissions anywhere per unit of money of product j",
    "FOOTPRINT_INTENSITY_DOMESTIC": "the part of M_j emitted in j's own region",
    "FOOTPRINT_INTENSITY_IMPORTED": "the part of M_j emitted in other regions",
    "FOOTPRINT_OF_FINAL_DEMAND": "M y_s: CBA less households' direct emissions",
    "BASKET_FOOTPRINT": "M b of a purchase basket b",
    "BASKET_FOOTPRINT_DOMESTIC": "the part of a basket's footprint emitted in each product's own region",
    "BASKET_FOOTPRINT_IMPORTED": "the part of a basket's footprint emitted outside each product's region",
    "DIRECT_INTENSITY_OVERRIDE": "a user's process-based direct intensity replacing f (tiered hybrid)",
    "FOOTPRINT_INTENSITY_HYBRID": "M' = f' L with the overrides",
    "FOOTPRINT_INTENSITY_HYBRID_CHANGE": "M' - M",
    "CBA_HYBRID_CHANGE": "(M' - M) y_s: change of a region's footprint by the overrides",
    # docs/methods.md "Structural path analysis"
    "SPA_FOOTPRINT": "the footprint decomposed into paths, m y",
    "SPA_COVERED": "sum of the reported paths",
    "SPA_COVERED_SHARE": "SPA_COVERED / SPA_FOOTPRINT",
}


def empty_accounts() -> pd.DataFrame:
    """An empty table with the account columns and their dtypes."""
    return pd.DataFrame(
        {c: pd.Series(dtype="float64" if c == "value" else "object") for c in ACCOUNT_COLUMNS}
    )


#: columns an accounts or flows table may carry after the contract's columns (a series adds `basis`;
#: the methods of the accounts stage add `sector` to tables by sector, `account` to flows of several
#: accounts, `base_year` to changes between two years; the inventory check adds `principle`)
OPTIONAL_COLUMNS: Final = ("basis", "account", "sector", "base_year", "principle")


def long_table_kind(df: pd.DataFrame) -> str | None:
    """'accounts' or 'flows' when `df`'s columns begin with that contract's columns, else None."""
    columns = tuple(df.columns)
    for kind, expected in (("accounts", ACCOUNT_COLUMNS), ("flows", FLOW_COLUMNS)):
        if columns[: len(expected)] == expected:
            return kind
    return None


def check_long_table(df: pd.DataFrame, *, flows: bool) -> None:
    """Raise `ValueError` unless `df` has the long-format columns in order (then at most
    `OPTIONAL_COLUMNS`), a value and a unit on every row."""
    expected = FLOW_COLUMNS if flows else ACCOUNT_COLUMNS
    columns = tuple(df.columns)
    extra = columns[len(expected) :]
    if columns[: len(expected)] != expected or any(c not in OPTIONAL_COLUMNS for c in extra):
        raise ValueError(
            f"long table has columns {list(columns)}; expected {list(expected)}"
            f" optionally followed by {list(OPTIONAL_COLUMNS)}"
        )
    for column, what in (("value", "a value"), ("unit", "a unit")):
        bad = df[df[column].isna() | (df[column].astype(str).str.strip() == "")]
        if not bad.empty:
            raise ValueError(f"long table has {len(bad)} rows without {what}, first:\n{bad.head()}")
