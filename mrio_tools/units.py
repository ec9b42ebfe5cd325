"""Units of emissions and money, and the one place where values are converted between them.

Emission units are masses (`kg`, `t`, `kt`, `Mt`, `Gt`, optionally followed by a substance,
e.g. `Mt CO2`). Monetary units are a scale and a currency (`M EUR`, `k USD`, `USD`). A ratio is
written `A/B` (e.g. `kg/M EUR`, `t/capita`).
"""

from __future__ import annotations

import re
from typing import Final

import pandas as pd

from mrio_tools.errors import UnitError, listed

MASS_IN_KG: Final[dict[str, float]] = {"g": 1e-3, "kg": 1.0, "t": 1e3, "kt": 1e6, "Mt": 1e9, "Gt": 1e12}
MONEY_SCALE: Final[dict[str, float]] = {"": 1.0, "k": 1e3, "M": 1e6, "bn": 1e9}
#: how publishers write the scale of a money unit -> the scale mrio_tools writes (a key of MONEY_SCALE)
MONEY_SCALE_SPELLINGS: Final[dict[str, str]] = {
    "k": "k", "1000": "k", "thousand": "k",
    "M": "M", "Mill": "M", "Mill.": "M", "Mio": "M", "Mio.": "M", "million": "M", "Million": "M",
    "bn": "bn", "billion": "bn",
}  # fmt: skip

_MASS_RE = re.compile(r"^(?P<scale>g|kg|t|kt|Mt|Gt)(?:\s+(?P<substance>.+))?$")
# the one money-unit pattern: an optional scale (any spelling above), a separator, a currency code
_MONEY_RE = re.compile(
    r"^(?:(?P<scale>M|Mill\.?|Mio\.?|million|Million|k|1000|thousand|bn|billion)(?P<sep>[\s.]*))?"
    r"(?P<currency>[A-Z]{3})$"
)


def parse_money(unit: str) -> tuple[str, str] | None:
    """(scale, currency) of a money unit as mrio_tools writes it, else None.

    'M EUR' -> ('M', 'EUR'), 'USD' -> ('', 'USD'); a scale is one of `MONEY_SCALE`, followed by
    white space. Publishers' spellings ('Mill USD', 'M.EUR') are not read here: `normalise_money`
    rewrites them first.
    """
    m = _MONEY_RE.match(str(unit).strip())
    if m is None:
        return None
    scale = m["scale"] or ""
    if scale and (scale not in MONEY_SCALE or not m["sep"] or m["sep"].strip()):
        return None
    return scale, m["currency"]


def normalise_money(unit: str) -> str:
    """A money unit as publishers write it, rewritten as mrio_tools writes it ('Mill USD' -> 'M USD').

    Other units are returned unchanged (stripped): they are kept as published.
    """
    text = str(unit).strip()
    m = _MONEY_RE.match(text)
    if m is None or m["scale"] is None:
        return text
    return f"{MONEY_SCALE_SPELLINGS[m['scale']]} {m['currency']}"


def _factor(part: str) -> tuple[float, str]:
    """Return (factor to the base unit, kind) of one side of a unit, kind naming what must match."""
    part = part.strip()
    if m := _MASS_RE.match(part):
        return MASS_IN_KG[m["scale"]], f"mass {m['substance'] or ''}".strip()
    if money := parse_money(part):
        return MONEY_SCALE[money[0]], f"money {money[1]}"
    if part in {"capita", "person"}:
        return 1.0, "capita"
    raise UnitError(f"unknown unit {part!r}: use a mass (kg, t, kt, Mt, Gt), money ('M EUR') or 'capita'")


def mass_substance(unit: str) -> str | None:
    """The substance a mass unit names ('CH4' of 'Mt CH4'); None for a bare mass or another unit."""
    m = _MASS_RE.match(str(unit).strip())
    return m["substance"].strip() if m and m["substance"] else None


def is_monetary(unit: str) -> bool:
    """True when `unit` is an amount of money ('M EUR', 'k USD', 'USD'), not a ratio or a mass."""
    return parse_money(unit) is not None


def check_mass_unit(unit: str | None) -> None:
    """`UnitError` naming `unit` unless it is None or a mass (what --unit converts emissions to)."""
    if unit is not None:
        conversion_factor("kg", unit)


def conversion_factor(source: str, target: str) -> float:
    """Factor that turns a value in unit `source` into unit `target` (both masses, money or ratios)."""
    s_parts, t_parts = source.split("/"), target.split("/")
    if len(s_parts) != len(t_parts):
        raise UnitError(f"cannot convert {source!r} to {target!r}: one is a ratio, the other not")
    factor = 1.0
    for i, (s, t) in enumerate(zip(s_parts, t_parts, strict=True)):
        fs, ks = _factor(s)
        ft, kt = _factor(t)
        if ks != kt and not (ks.startswith("mass") and kt == "mass"):
            raise UnitError(f"cannot convert {source!r} to {target!r}: {s!r} and {t!r} differ in kind")
        factor *= (fs / ft) if i == 0 else (ft / fs)
    return factor


def to_unit(df: pd.DataFrame, unit: str, *, where: pd.Series | None = None) -> pd.DataFrame:
    """Return a copy of long table `df` with `value` converted to `unit` on the rows `where` is True.

    `where` defaults to every row. Every selected row's unit must convert to `unit`; otherwise
    `UnitError` names the unit that does not and, when `df` has a `stressor` column, the stressors in
    each unit (e.g. CO2 in kt converts to Mt, water in Mm3 does not).
    """
    out = df.copy()
    mask = where if where is not None else pd.Series(True, index=out.index)
    units = out.loc[mask, "unit"].unique()
    failed = {}
    for source in units:
        try:
            conversion_factor(source, unit)
        except UnitError as err:
            failed[source] = err
    if failed:
        converting = [_holders(out, mask, u) for u in units if u not in failed]
        raise UnitError(
            f"cannot convert to {unit!r}: "
            + "; ".join(_holders(out, mask, u) for u in failed)
            + (f" (the other rows: {'; '.join(converting)})" if converting else "")
            + f". {next(iter(failed.values()))}. Fix: select stressors of one kind (e.g. --stressor for the "
            "mass rows only), or leave the unit unconverted"
        )
    for source in units:
        rows = mask & (out["unit"] == source)
        out.loc[rows, "value"] = out.loc[rows, "value"] * conversion_factor(source, unit)
        out.loc[rows, "unit"] = unit
    return out


def _holders(df: pd.DataFrame, mask: pd.Series, unit: str) -> str:
    """'a, b in 'unit'' for the stressors of the selected rows in `unit` (just the unit if no stressors)."""
    if "stressor" not in df.columns:
        return repr(unit)
    names = sorted(df.loc[mask & (df["unit"] == unit), "stressor"].astype(str).unique())
    return f"{listed(names)} in {unit!r}"
