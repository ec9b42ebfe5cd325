"""The long-format result schema: column names, account names and what each account means.

Every result table of mrio_tools has the columns of `ACCOUNT_COLUMNS` (regional accounts) or
`FLOW_COLUMNS` (origin-destination flows). Units travel in the `unit` column; the meaning of each
account is declared once here and cited from docs/methods.md ("National accounts",
"Export carbon intensity").
"""

from __future__ import annotations

from typing import Final

import pandas as pd

ACCOUNT_COLUMNS: Final = ("year", "region", "account", "stressor", "unit", "value")
FLOW_COLUMNS: Final = ("year", "origin", "destination", "stressor", "unit", "value")

#: stressor label used on rows that carry money, not a stressor (gross exports)
MONETARY: Final = "monetary"

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


def empty_accounts() -> pd.DataFrame:
    """An empty table with the account columns and their dtypes."""
    return pd.DataFrame(
        {c: pd.Series(dtype="float64" if c == "value" else "object") for c in ACCOUNT_COLUMNS}
    )


#: columns an accounts or flows table may carry after the contract's columns (a series adds `basis`;
#: the inventory check adds `principle`)
OPTIONAL_COLUMNS: Final = ("basis", "principle")


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
