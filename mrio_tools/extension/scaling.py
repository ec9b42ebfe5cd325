"""Scaled tables and scaled emissions: the maths of a year estimated from a benchmark and national indices.

Implements docs/methods.md, "Years outside the tables (extension)". With f = F x^-1:

- `scale_table` (bases ``scaled_table+*``): A_a kept, Y_t,s = Y_a,s G_s,t / G_s,a,
  x_t = (I - A_a)^-1 Y_t 1, Z_t = A_a x̂_t;
- `scale_emissions` (bases ``*+scaled_emissions``): F_t = f_b x_t, then each region's industries and
  households scaled by one factor so that PBA_t,r = PBA_b,r T_r,t / T_r,b;
- `national_index`: I_r = V_r,t / V_r,base from a table of national values.

Indices, not levels, are used, so the benchmark's emissions principle (e.g. residence) is kept. Money
in scaled tables is at benchmark-year prices (a), never current prices of t: `MRIO.price_basis` and the
notes say so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Final

import numpy as np
import pandas as pd

from mrio_tools.errors import ValidationError, YearNotAvailableError, listed
from mrio_tools.leontief.factorize import factorize, inverse_output
from mrio_tools.mrio.container import MRIO

#: what the territorial and GDP frames of `extension.reader.extended_reader` hold (named in errors and notes)
TERRITORIAL_VARIABLE: Final = "territorial CO2"
GDP_VARIABLE: Final = "real GDP"


def _index_values(index: pd.Series, regions: pd.Index, what: str) -> np.ndarray:
    """Index values in the order of `regions`; ValidationError naming missing or invalid regions."""
    missing = [r for r in regions if r not in index.index]
    if missing:
        raise ValidationError(
            f"{what}: no value for regions {listed(missing)}. Fix: give one value per table region "
            "(the rest of the world as World minus the table's countries)"
        )
    values = index.reindex(regions).to_numpy(dtype=np.float64)
    bad = [r for r, v in zip(regions, values, strict=True) if not (np.isfinite(v) and v > 0)]
    if bad:
        raise ValidationError(
            f"{what}: not a positive finite number for regions {listed(bad)}. Fix: check the national "
            "series of these regions in both years"
        )
    return values


def _without_stressors(mrio: MRIO, **changes: Any) -> MRIO:
    """`mrio` with F and F_Y emptied (no stressors) and the emissions notes removed, plus `changes`."""
    notes = {k: v for k, v in dict(changes.pop("notes", mrio.notes)).items() if k != "emissions"}
    Z = changes.get("Z", mrio.Z)
    Y = changes.get("Y", mrio.Y)
    empty = pd.Index([], name="stressor", dtype=object)
    return dataclasses.replace(
        mrio,
        F=pd.DataFrame(np.zeros((0, len(Z.index))), index=empty, columns=Z.index.copy()),
        F_Y=pd.DataFrame(np.zeros((0, len(Y.columns))), index=empty.copy(), columns=Y.columns.copy()),
        stressor_units={},
        notes=notes,
        **changes,
    )


def scale_table(table_a: MRIO, gdp_index: pd.Series, *, year: int) -> MRIO:
    """The table of `year` (t) estimated from `table_a` (year a) and real GDP indices (basis scaled_table).

    docs/methods.md, "Years outside the tables (extension)": with g_s = G_s,t / G_s,a
    (`gdp_index`, one value per consuming region s),

        Y_t = Y_a ĝ   (every column of consuming region s, all origins and categories, times g_s)
        x_t = (I - A_a)^-1 Y_t 1   (solved with one LU of (I - A_a), never inverted)
        Z_t = A_a x̂_t = Z_a x̂_a^-1 x̂_t

    so A_a is kept. One refinement keeps gross output non-negative: a negative entry of Y_a (a drawdown
    of inventories, or rounding dust) is scaled not by its consumer's g_s but by its row's
    purchase-weighted index h_i = sum_s Y+_a[i, s] g_s / sum_s Y+_a[i, s] over the row's positive
    entries Y+ (its own g_s where the row has none), so every row's net final demand keeps its benchmark
    sign (y_t,i = h_i y_a,i). Without it, rows that are only offsetting inventory entries get negative
    output when the two consumers' indices differ (docs/methods.md gives a WIOD case).
    ``notes["negative_final_demand_entries"]`` counts the entries so scaled.

    Money is at benchmark-year prices (a), not current prices of t: ``price_basis``
    and ``notes["money"]`` say so; ``notes`` also carry ``table_benchmark_year`` (a) and ``gdp_index``.
    The result has no stressors (F_a x̂_a^-1 x̂_t would be the intensities of a, not the emissions of t):
    attach the year's sector emissions (concordance weights then use x_t), or scale a benchmark's
    with `scale_emissions`. Population and value added of a are dropped (they belong to year a).
    """
    regions = table_a.regions
    g = _index_values(gdp_index, regions, f"GDP index {table_a.year}->{year}")
    n_sec, n_cat = len(table_a.sectors), len(table_a.categories)
    Z_a = table_a.Z.to_numpy(dtype=np.float64)
    x_a = table_a.gross_output.to_numpy()
    Y_a = table_a.Y.to_numpy(dtype=np.float64)
    g_columns = np.repeat(g, n_cat)[None, :]
    positive = np.where(Y_a > 0, Y_a, 0.0)
    bought = positive.sum(axis=1)
    has_buyers = bought > 0
    h = np.divide((positive * g_columns).sum(axis=1), bought, out=np.ones_like(bought), where=has_buyers)
    drawdown = (Y_a < 0) & has_buyers[:, None]
    Y_t = np.where(drawdown, Y_a * h[:, None], Y_a * g_columns)
    system = factorize(Z_a, x_a, block_size=n_sec, labels=list(table_a.Z.index))
    x_t = system.solve(Y_t.sum(axis=1))
    Z_t = Z_a * (inverse_output(x_a) * x_t)[None, :]
    a = table_a.year
    money = f"money at benchmark-year prices ({a})"
    notes = {
        **dict(table_a.notes),
        "table_benchmark_year": a,
        "money": money,
        "gdp_index": {
            "variable": GDP_VARIABLE,
            "from": a,
            "to": year,
            "values": {str(r): float(v) for r, v in zip(regions, g, strict=True)},
        },
        "negative_final_demand_entries": {
            "count": int(drawdown.sum()),
            "scaling": "by the purchase-weighted GDP index of their row's positive entries",
        },
        "scaled_table": "A of the benchmark kept; final demand of each consuming region scaled by its real "
        "GDP index; x = (I - A)^-1 Y 1 (docs/methods.md, 'Years outside the tables')",
    }
    return _without_stressors(
        table_a,
        Z=pd.DataFrame(Z_t, index=table_a.Z.index, columns=table_a.Z.columns),
        Y=pd.DataFrame(Y_t, index=table_a.Y.index, columns=table_a.Y.columns),
        year=int(year),
        price_basis=f"{money}: the {a} table's {table_a.price_basis}, final demand scaled by real GDP "
        f"indices {a}->{year}",
        notes=notes,
        population=None,
        value_added=None,
    )


def _household_emissions(table_t: MRIO, benchmark: MRIO) -> np.ndarray:
    """F_Y of the benchmark on the columns of table_t, matched by (region, category) label.

    Categories that table_t has and the benchmark lacks get 0; emissions of the benchmark in a category
    that table_t lacks raise (they would be lost).
    """
    columns = table_t.Y.columns
    lost = benchmark.F_Y.columns.difference(columns)
    carrying = [c for c in lost if np.abs(benchmark.F_Y[c].to_numpy()).sum() > 0]
    if carrying:
        raise ValidationError(
            f"scale_emissions: the {benchmark.year} benchmark has household emissions in final-demand "
            f"columns that the {table_t.year} table lacks: {listed(carrying)}. Fix: give both tables the "
            "same final-demand categories"
        )
    return benchmark.F_Y.reindex(columns=columns, fill_value=0.0).to_numpy(dtype=np.float64)


def scale_emissions(table_t: MRIO, benchmark: MRIO, territorial_index: pd.Series) -> MRIO:
    """Emissions of `table_t` (year t) from the intensities of `benchmark` (year b): basis *+scaled_emissions.

    docs/methods.md, "Years outside the tables (extension)": with f_b = F_b x_b^-1 and τ_r = T_r,t / T_r,b
    (`territorial_index`, one value per region r),

        F⁰_t = f_b x̂_t                       per sector, every stressor of the benchmark
        F⁰_Y,t = F_Y,b                         households: the benchmark's, matched by (region, category)
        s_r = PBA_b,r τ_r / (sum_{i in r} F⁰_t,i + sum_{c in r} F⁰_Y,t,c)
        F_t,i = s_r F⁰_t,i,  F_Y,t,c = s_r F⁰_Y,t,c   (one factor for a region's industries and households)

    so PBA_t,r = PBA_b,r T_r,t / T_r,b exactly (to rounding), for every stressor (the territorial CO2
    index is applied to each stressor of the benchmark). Household columns are matched by label:
    categories of table_t that the benchmark lacks get none; benchmark household emissions in a
    category that table_t lacks raise `ValidationError`. F and F_Y of `table_t`, if any, are replaced.
    Regions and sectors of both tables must be the same.
    """
    if not table_t.Z.index.equals(benchmark.Z.index):
        raise ValidationError(
            f"scale_emissions: the {table_t.year} table and the {benchmark.year} benchmark have different "
            "(region, sector) labels. Fix: use two years of the same source and classification"
        )
    if len(benchmark.stressors) == 0:
        raise ValidationError(
            f"scale_emissions: the {benchmark.year} benchmark has no stressors. Fix: attach its sector "
            "emissions first"
        )
    regions = table_t.regions
    tau = _index_values(territorial_index, regions, f"territorial CO2 index {benchmark.year}->{table_t.year}")
    n_sec, n_cat = len(table_t.sectors), len(table_t.categories)
    x_b = benchmark.gross_output.to_numpy()
    x_t = table_t.gross_output.to_numpy()
    F_b = benchmark.F.to_numpy(dtype=np.float64)
    f_b = F_b * inverse_output(x_b)[None, :]
    F0 = f_b * x_t[None, :]
    FY0 = _household_emissions(table_t, benchmark)
    k, R = F_b.shape[0], len(regions)
    pba_b = F_b.reshape(k, R, -1).sum(axis=2) + benchmark.F_Y.to_numpy(dtype=np.float64).reshape(
        k, R, -1
    ).sum(axis=2)
    pba0 = F0.reshape(k, R, n_sec).sum(axis=2) + FY0.reshape(k, R, n_cat).sum(axis=2)
    target = pba_b * tau[None, :]
    impossible = (pba0 == 0) & (target != 0)
    if impossible.any():
        s, r = (int(v) for v in np.argwhere(impossible)[0])
        raise ValidationError(
            f"scale_emissions: region {regions[r]!r}, stressor {benchmark.stressors[s]!r}: the "
            f"{benchmark.year} intensities give no emissions on the {table_t.year} output, so PBA cannot be "
            f"scaled to {target[s, r]:.6g}. Fix: use a benchmark year whose emitting sectors have output "
            f"in {table_t.year}"
        )
    factor = np.divide(target, pba0, out=np.zeros_like(target), where=pba0 != 0)
    if (factor < 0).any():
        s, r = (int(v) for v in np.argwhere(factor < 0)[0])
        raise ValidationError(
            f"scale_emissions: region {regions[r]!r}, stressor {benchmark.stressors[s]!r}: scaling factor "
            f"{factor[s, r]:.6g} < 0 (net negative emissions). Fix: scale such stressors separately"
        )
    F_t = F0 * np.repeat(factor, n_sec, axis=1)
    F_Y_t = FY0 * np.repeat(factor, n_cat, axis=1)
    b = benchmark.year
    notes = {
        **{key: value for key, value in dict(table_t.notes).items() if key != "emissions"},
        "emission_benchmark_year": b,
        # the benchmark's emission records (source, principle, allocation), marked as the benchmark's
        "emissions": {
            str(k): {**v, "emission_benchmark_year": b} if isinstance(v, Mapping) else v
            for k, v in dict(benchmark.notes.get("emissions", {})).items()
        },
        "scaled_emissions": f"intensities f = F x^-1 of {b} times the output of {table_t.year}, households "
        f"of {b} by (region, category), each region scaled to PBA_{b} times its {TERRITORIAL_VARIABLE} index "
        f"(docs/methods.md, 'Years outside the tables'); the {b} emissions principle is kept",
        "territorial_index": {
            "variable": TERRITORIAL_VARIABLE,
            "from": b,
            "to": table_t.year,
            "values": {str(r): float(v) for r, v in zip(regions, tau, strict=True)},
        },
    }
    return dataclasses.replace(
        table_t,
        F=pd.DataFrame(F_t, index=benchmark.F.index.copy(), columns=table_t.Z.index.copy()),
        F_Y=pd.DataFrame(F_Y_t, index=benchmark.F.index.copy(), columns=table_t.Y.columns.copy()),
        stressor_units=dict(benchmark.stressor_units),
        notes=notes,
    )


def national_index(
    frame: pd.DataFrame, regions: pd.Index, *, year: int, base: int, variable: str
) -> pd.Series:
    """I_r = V_r,year / V_r,base from a regions x years `frame` of national values (e.g. T or G).

    Raises `YearNotAvailableError` naming the variable and year when a year column is absent, and
    `ValidationError` naming the region, year and variable when a value is missing or not positive.
    """
    columns = {int(c): c for c in frame.columns}
    for y in (year, base):
        if y not in columns:
            raise YearNotAvailableError(
                f"national {variable}: no values for {y}; years held: {listed(sorted(columns)) or 'none'}. "
                f"Fix: supply {variable} for {y} in the national table, or leave the years that need it "
                "out of the series"
            )
    values = frame.to_numpy(dtype=np.float64)
    position = {y: frame.columns.get_loc(c) for y, c in columns.items()}
    out = {}
    for region in regions:
        if region not in frame.index:
            raise ValidationError(
                f"national {variable}: no row for region {region!r}. Fix: add {region!r} to the national "
                "table (the rest of the world as World minus the table's countries)"
            )
        for y in (year, base):
            value = float(values[frame.index.get_loc(region), position[y]])
            if not (np.isfinite(value) and value > 0):
                raise ValidationError(
                    f"national {variable}: region {region!r}, year {y}: value {value!r} is missing or not "
                    f"positive. Fix: supply {variable} for {region!r} in {y} in the national table, or "
                    f"leave the years that need {y} out of the series"
                )
        row = frame.index.get_loc(region)
        out[region] = float(values[row, position[year]] / values[row, position[base]])
    return pd.Series(out, name=f"{variable} index {base}->{year}").rename_axis("region")
