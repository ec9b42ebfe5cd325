"""Test helpers for users and for the project's own tests: the accounting identities of docs/methods.md.

`assert_identities` checks a long accounts table (as `national_accounts` or a series writes it) against
the identities of docs/methods.md, "National accounts"; `wide` pivots it to one row per region.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

RTOL = 1e-9


def wide(table: pd.DataFrame, stressor: str, year: int | None = None) -> pd.DataFrame:
    """One row per region, one column per account, of one stressor (and year)."""
    rows = table[table["stressor"] == stressor]
    if year is not None:
        rows = rows[rows["year"] == year]
    return rows.pivot_table(index="region", columns="account", values="value", aggfunc="sum")


def assert_identities(table: pd.DataFrame, *, partition_seed: int = 0) -> None:
    """(1) sum PBA = sum CBA, (2) CBA - PBA = EEI - EEE, (3) sum EEE = sum EEI, (4) group gaps sum to 0.

    Checked per stressor and year, to 1e-9 relative to the summed absolute PBA.
    """
    rng = np.random.default_rng(partition_seed)
    stressors = table.loc[table["account"] == "PBA", "stressor"].unique()
    for year in table["year"].unique():
        for stressor in stressors:
            w = wide(table, stressor, year)
            scale = float(w["PBA"].abs().sum()) or 1.0
            assert abs(w["PBA"].sum() - w["CBA"].sum()) <= RTOL * scale, ("(1)", year, stressor)
            assert np.allclose(w["CBA"] - w["PBA"], w["EEI"] - w["EEE"], rtol=0, atol=RTOL * scale), (
                "(2)",
                year,
            )
            assert abs(w["EEE"].sum() - w["EEI"].sum()) <= RTOL * scale, ("(3)", year, stressor)
            assert np.allclose(w["NET_TRANSFER"], w["PBA"] - w["CBA"], rtol=0, atol=RTOL * scale)
            groups = rng.integers(0, 3, len(w))  # a random partition into three groups
            gaps = (w["PBA"] - w["CBA"]).groupby(groups).sum()
            assert abs(gaps.sum()) <= RTOL * scale, ("(4)", year, stressor)
