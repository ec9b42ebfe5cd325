"""Units at a readable scale for figures and tables (national CO2 in Mt or Gt, never kt with an offset).

The conversion itself is `mrio_tools.units.conversion_factor`; this module only picks the target unit.
"""

from __future__ import annotations

import re
from typing import Final

import numpy as np
import pandas as pd

from mrio_tools.units import conversion_factor

_MASSES: Final = ("kg", "t", "kt", "Mt", "Gt")
_MASS_RE: Final = re.compile(r"^(?P<mass>g|kg|t|kt|Mt|Gt)(?P<rest>(?:\s+[^/]+)?)(?P<ratio>/.+)?$")


def readable_unit(unit: str, values: pd.Series | np.ndarray) -> str:
    """A unit for `values` (given in `unit`) whose largest magnitude lies in [1, 1000) where possible.

    Masses step through kg, t, kt, Mt, Gt (keeping a substance, `kt CO2` -> `Mt CO2`); a mass per
    money becomes kg per currency unit where that reads well (`kt/M USD` -> `kg/USD`); per capita
    keeps `/capita` and scales the mass (`kt/capita` -> `t/capita`). Other units stay as they are.
    """
    match = _MASS_RE.match(unit.strip())
    finite = np.abs(np.asarray(values, dtype=float))
    finite = finite[np.isfinite(finite)]
    if match is None or finite.size == 0:
        return unit
    rest, ratio = match["rest"] or "", match["ratio"]
    largest = float(finite.max())
    if ratio is not None and ratio.strip() != "/capita":
        money = ratio[1:].strip().split()[-1]
        target = f"kg{rest}/{money}"
        if re.fullmatch(r"[A-Z]{3}", money) and 0.01 <= largest * conversion_factor(unit, target) < 1000:
            return target
        return unit
    if largest == 0.0:
        return unit
    suffix = ratio or ""
    for mass in reversed(_MASSES):
        target = f"{mass}{rest}{suffix}"
        if largest * conversion_factor(unit, target) >= 1.0:
            return target
    return f"kg{rest}{suffix}"


def to_readable(table: pd.DataFrame, *, by: str = "account") -> pd.DataFrame:
    """A copy of long table `table` with each group of rows (`by` and `unit`) in its readable unit."""
    parts = []
    for _, rows in table.groupby([by, "unit"], sort=False, dropna=False):
        unit = str(rows["unit"].iloc[0])
        target = readable_unit(unit, rows["value"].to_numpy())
        factor = conversion_factor(unit, target) if target != unit else 1.0
        parts.append(rows.assign(value=rows["value"] * factor, unit=target))
    if not parts:
        return table.copy()
    return pd.concat(parts).loc[table.index]
