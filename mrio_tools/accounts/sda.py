"""Structural decomposition (SDA) of the change in export carbon intensity between two real years.

Implements docs/methods.md, "Structural decomposition (SDA) of a change" applied to "Export carbon
intensity". The total export intensity of exporter r is q_r = f L u_r with u_r = e_r / 1'e_r, the
export mix (gross exports of r's products, intermediate + final, as shares; zero outside r's rows).
Writing T(a, b, c) = f_a L_b u_c for the years a, b, c in {0, 1} (L_b u_c by a solve with year b's
factorised (I - A), never inverted), the two polar decompositions (Dietzenbacher and Los 1998) are

    dq = [T(1,0,0) - T(0,0,0)] + [T(1,1,0) - T(1,0,0)] + [T(1,1,1) - T(1,1,0)]
    dq = [T(1,1,1) - T(0,1,1)] + [T(0,1,1) - T(0,0,1)] + [T(0,0,1) - T(0,0,0)]

(intensity f, technology L, export mix u); each effect is the average of its two polar forms, so the
three effects add up exactly to dq = T(1,1,1) - T(0,0,0) (to rounding).

Constant prices: money of year t is divided by the deflator P_t / P_base (table currency = deflator
currency), which multiplies f_t (mass per money) by P_t / P_base and leaves A and u (ratios) as they
are; only the intensity effect and the levels change. Current prices leave f as published.
Only years with real tables and real sector emissions (basis `table`, choices.TABLE_BASIS) can be
decomposed; estimated years are refused, naming them. A chain over years a < b < ... decomposes each
step; the steps add up to the change between the first and last year.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mrio_tools.accounts import _rows
from mrio_tools.accounts._rows import MethodResult
from mrio_tools.choices import TABLE_BASIS, Basis, Prices
from mrio_tools.context.prices import Deflator
from mrio_tools.errors import ValidationError, listed
from mrio_tools.leontief.solved import SolvedYear, check_same_layout

Array = NDArray[np.float64]

METHOD = 'docs/methods.md, "Structural decomposition (SDA) of a change" and "Export carbon intensity"'
EFFECTS = ("SDA_INTENSITY_EFFECT", "SDA_TECHNOLOGY_EFFECT", "SDA_EXPORT_MIX_EFFECT")
#: notes keys that only an estimated (extended) table carries (mrio_tools.extension)
_EXTENDED_NOTES = ("table_benchmark_year", "territorial_index", "gdp_index")


def export_mix(solved: SolvedYear) -> Array:
    """u (n x R): column r is e_r / 1'e_r on r's rows, 0 elsewhere (0 for a region without exports)."""
    U = np.zeros((solved.n, solved.R))
    for r in range(solved.R):
        rows = solved.rows(r)
        total = solved.e_region[r]
        if total > 0:
            U[rows, r] = solved.e[rows] / total
    return U


def price_factor(solved: SolvedYear, *, prices: Prices, deflator: Deflator | None) -> float:
    """P_t / P_base for constant prices (1 for current): f_t in base-year money is f_t times this."""
    if prices == "current":
        return 1.0
    if deflator is None:
        raise ValidationError("constant prices need a deflator (--deflator, e.g. FRED GDPDEF.csv)")
    currency = solved.mrio.monetary_unit.split()[-1]
    if currency != deflator.currency:
        raise ValidationError(
            f"{solved.mrio.source} {solved.mrio.year} is in {solved.mrio.monetary_unit}, the deflator "
            f"{deflator.path} in {deflator.currency}: convert the table's money first or use a deflator "
            "of the table's currency"
        )
    return deflator.at(solved.mrio.year) / 100.0


def check_real(years: Sequence[int], bases: Sequence[Basis], solved: Sequence[SolvedYear]) -> None:
    """`ValidationError` naming every year that is estimated (basis other than `table`)."""
    estimated = [
        f"{year} ({basis})"
        for year, basis, one in zip(years, bases, solved, strict=True)
        if basis != TABLE_BASIS or any(key in one.mrio.notes for key in _EXTENDED_NOTES)
    ]
    if estimated:
        raise ValidationError(
            f"structural decomposition needs real tables with real sector emissions; {listed(estimated)} "
            'are estimated (docs/methods.md, "Years outside the tables"). Fix: decompose between years '
            "whose basis is 'table' only"
        )


def _terms(first: SolvedYear, second: SolvedYear, f0: Array, f1: Array) -> dict[tuple[int, int, int], Array]:
    """T(a, b, c) = f_a L_b u_c (k x R) for every a, b, c in {0, 1}: four solves of R columns each."""
    f, U = (f0, f1), (export_mix(first), export_mix(second))
    out = {}
    for b, system in enumerate((first.system, second.system)):
        for c in (0, 1):
            LU = system.solve(U[c])
            for a in (0, 1):
                out[(a, b, c)] = f[a] @ LU
    return out


def decompose(
    first: SolvedYear,
    second: SolvedYear,
    *,
    bases: tuple[Basis, Basis],
    prices: Prices,
    deflator: Deflator | None,
) -> MethodResult:
    """The change in total export intensity q_r from `first` to `second`, split into three effects.

    Rows (year = the second year; unit = stressor unit per money unit, at base-year prices when
    constant): EXPORT_INTENSITY_START, EXPORT_INTENSITY_END, SDA_TOTAL_CHANGE and the three effects
    (EFFECTS), for regions with exports in both years; a `base_year` column holds the first year.
    """
    check_same_layout(first, second)
    check_real([first.mrio.year, second.mrio.year], bases, [first, second])
    k0, k1 = (price_factor(one, prices=prices, deflator=deflator) for one in (first, second))
    T = _terms(first, second, first.f * k0, second.f * k1)
    polar_a = (T[1, 0, 0] - T[0, 0, 0], T[1, 1, 0] - T[1, 0, 0], T[1, 1, 1] - T[1, 1, 0])
    polar_b = (T[1, 1, 1] - T[0, 1, 1], T[0, 1, 1] - T[0, 0, 1], T[0, 0, 1] - T[0, 0, 0])
    effects = [(a + b) / 2 for a, b in zip(polar_a, polar_b, strict=True)]
    unit = _rows.per_money(second)
    if prices == "constant":
        assert deflator is not None
        unit = [f"{u} ({deflator.base_year} prices)" for u in unit]
    parts = [
        _rows.region_rows(second, "EXPORT_INTENSITY_START", T[0, 0, 0], unit=unit),
        _rows.region_rows(second, "EXPORT_INTENSITY_END", T[1, 1, 1], unit=unit),
        _rows.region_rows(second, "SDA_TOTAL_CHANGE", T[1, 1, 1] - T[0, 0, 0], unit=unit),
        *(
            _rows.region_rows(second, name, value, unit=unit)
            for name, value in zip(EFFECTS, effects, strict=True)
        ),
    ]
    table = pd.concat(parts, ignore_index=True)
    exporting = set(first.regions[first.e_region > 0]) & set(second.regions[second.e_region > 0])
    table = table[table["region"].isin(exporting)].reset_index(drop=True)
    table["base_year"] = first.mrio.year
    metadata = {
        **second.mrio.metadata,
        "method": METHOD,
        "decomposition": "average of the two polar decompositions (Dietzenbacher and Los 1998)",
        "effects": {
            "SDA_INTENSITY_EFFECT": "change in direct intensities f",
            "SDA_TECHNOLOGY_EFFECT": "change in the Leontief inverse L (technology and supply chains)",
            "SDA_EXPORT_MIX_EFFECT": "change in the composition u of gross exports",
        },
        "years": [first.mrio.year, second.mrio.year],
        "prices": prices,
        "price_factors": {first.mrio.year: k0, second.mrio.year: k1},
        "deflator": None
        if deflator is None
        else {"source": deflator.source, "path": deflator.path, "base_year": deflator.base_year},
    }
    return MethodResult(table=table, flows=None, metadata=metadata)


def decompose_chain(
    solved: Sequence[SolvedYear],
    *,
    bases: Sequence[Basis],
    prices: Prices,
    deflator: Deflator | None,
) -> MethodResult:
    """`decompose` for each step of consecutive years (in the order given); every year must be real."""
    if len(solved) < 2:
        raise ValidationError("a decomposition needs at least two years")
    check_real([one.mrio.year for one in solved], bases, solved)
    steps = [
        decompose(a, b, bases=(ba, bb), prices=prices, deflator=deflator)
        for a, b, ba, bb in zip(solved[:-1], solved[1:], bases[:-1], bases[1:], strict=True)
    ]
    metadata = {**steps[-1].metadata, "years": [one.mrio.year for one in solved], "chained": True}
    metadata.pop("price_factors")
    metadata["price_factors"] = {k: v for step in steps for k, v in step.metadata["price_factors"].items()}
    return MethodResult(
        table=pd.concat([s.table for s in steps], ignore_index=True), flows=None, metadata=metadata
    )
