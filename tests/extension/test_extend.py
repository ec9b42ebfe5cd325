"""Years outside the tables: plans, scaled tables, scaled emissions, the builder, the skill test.

Expected values are computed here by hand or with numpy's own solve on a small made system, never with
mrio_tools.extension. The real-data test builds three extended WIOD years with indices from a tiny private
reader of the OWID file written in this test.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from systems import make_mrio

from mrio_tools import MRIO, ValidationError, YearNotAvailableError
from mrio_tools.accounts.national import national_accounts
from mrio_tools.choices import EXTENDED_BASES
from mrio_tools.extension.plan import YearPlan, extension_plan
from mrio_tools.extension.reader import extended_reader
from mrio_tools.extension.scaling import national_index, scale_emissions, scale_table
from mrio_tools.extension.skill import skill_test
from mrio_tools.testing import assert_identities, wide

# ----------------------------------------------------------------- a made system
# 2 regions (r0, r1) x 2 sectors (s0, s1), 2 categories per region (c0, c1), one stressor e0 (kg)
A = np.array(
    [
        [0.10, 0.20, 0.05, 0.00],
        [0.15, 0.05, 0.10, 0.05],
        [0.05, 0.00, 0.20, 0.10],
        [0.00, 0.10, 0.05, 0.15],
    ]
)
Y = np.array(
    [
        [50.0, 10.0, 20.0, 0.0],
        [30.0, 5.0, 10.0, 5.0],
        [10.0, 0.0, 60.0, 20.0],
        [5.0, 5.0, 40.0, 10.0],
    ]
)
F = np.array([[40.0, 10.0, 80.0, 20.0]])  # industries, kg
F_Y = np.array([[6.0, 0.0, 12.0, 0.0]])  # households (c0 of each region), kg


def system(year: int, A_: np.ndarray = A, Y_: np.ndarray = Y, F_: np.ndarray | None = F) -> MRIO:
    x = np.linalg.solve(np.eye(4) - A_, Y_.sum(axis=1))
    arrays = {
        "Z": A_ * x,
        "Y": Y_,
        "F": F_ if F_ is not None else np.zeros((0, 4)),
        "F_Y": F_Y if F_ is not None else np.zeros((0, 4)),
    }
    mrio = make_mrio(arrays, 2, 2, 2, year=year)
    if F_ is None:
        mrio = dataclasses.replace(mrio, stressor_units={})
    return mrio


def regions() -> pd.Index:
    return pd.Index(["r0", "r1"], name="region")


# ------------------------------------------------------------------------- plan
def test_plan_for_wiod2013_with_jrc_co2() -> None:
    plan = extension_plan(
        range(1990, 2020),
        table_years=range(1995, 2012),
        emission_years=range(2000, 2017),
        emission_benchmarks="with_table",
    )
    assert sorted(plan) == list(range(1990, 2020))
    expected: dict[int, tuple[str, int, int]] = {}
    for t in range(1990, 1995):
        expected[t] = ("scaled_table+scaled_emissions", 1995, 2000)
    for t in range(1995, 2000):
        expected[t] = ("table+scaled_emissions", t, 2000)
    for t in range(2000, 2012):
        expected[t] = ("table", t, t)
    for t in range(2012, 2017):
        expected[t] = ("scaled_table+emissions", 2011, t)
    for t in range(2017, 2020):
        expected[t] = ("scaled_table+scaled_emissions", 2011, 2011)
    for t, (basis, a, b) in expected.items():
        # the table under b's emissions: b's own, or for scaled_table+emissions the scaled table of a
        b_table = a if basis == "scaled_table+emissions" else b
        assert plan[t] == YearPlan(t, basis, a, b, b_table)  # type: ignore[arg-type]
    assert plan[1990].notes == {
        "basis": "scaled_table+scaled_emissions",
        "table_benchmark_year": 1995,
        "emission_benchmark_year": 2000,
        "emission_benchmark_table_year": 2000,
    }
    # b may be the nearest emission year without a table: 2017-2019 start from JRC 2016 on the 2011 table
    nearest = extension_plan(
        range(1990, 2020),
        table_years=range(1995, 2012),
        emission_years=range(2000, 2017),
        emission_benchmarks="nearest",
    )
    for t in range(2017, 2020):
        assert nearest[t] == YearPlan(t, "scaled_table+scaled_emissions", 2011, 2016, 2011)
    assert all(nearest[t] == plan[t] for t in range(1990, 2017))


def test_plan_ties_go_to_the_earlier_year_and_b_needs_a_table() -> None:
    plan = extension_plan(
        [2002, 2003, 2010],
        table_years=[2000, 2004],
        emission_years=[2000, 2004, 2010],
        emission_benchmarks="with_table",
    )
    assert plan[2002] == YearPlan(2002, "scaled_table+scaled_emissions", 2000, 2000, 2000)  # tie 2000/2004
    assert plan[2003] == YearPlan(2003, "scaled_table+scaled_emissions", 2004, 2004, 2004)
    # 2010 has emissions but no table: the table comes from 2004, the emissions are its own
    assert plan[2010] == YearPlan(2010, "scaled_table+emissions", 2004, 2010, 2004)
    # a table year without emissions takes b from years with a table and emissions (2004, not 2010)
    plan = extension_plan(
        [2006], table_years=[2004, 2006], emission_years=[2004, 2007], emission_benchmarks="with_table"
    )
    assert plan[2006] == YearPlan(2006, "table+scaled_emissions", 2006, 2004, 2004)


def test_plan_errors() -> None:
    with pytest.raises(ValidationError, match="no year has a table"):
        extension_plan([2000], table_years=[], emission_years=[2000], emission_benchmarks="with_table")
    with pytest.raises(ValidationError, match="emission_benchmarks='any'"):
        extension_plan([2000], table_years=[2000], emission_years=[2000], emission_benchmarks="any")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="1999 needs emission intensities"):
        extension_plan(
            [1999], table_years=[1999, 2000], emission_years=[2005], emission_benchmarks="with_table"
        )


# ------------------------------------------------------------------ scale_table
def test_scale_table_by_hand() -> None:
    table_a = system(2000, F_=None)
    g = pd.Series({"r0": 1.10, "r1": 0.80})
    out = scale_table(table_a, g, year=2003)
    # final demand: consumer r0's columns (c0, c1) times 1.1, r1's times 0.8
    Y_t = Y * np.array([1.1, 1.1, 0.8, 0.8])
    assert np.allclose(out.Y.to_numpy(), Y_t, rtol=1e-15, atol=0)
    assert Y_t[0, 0] == pytest.approx(55.0) and Y_t[2, 2] == pytest.approx(48.0)
    x_t = np.linalg.solve(np.eye(4) - A, Y_t.sum(axis=1))
    assert np.allclose(out.gross_output.to_numpy(), x_t, rtol=1e-10)
    assert np.allclose(out.Z.to_numpy() / out.gross_output.to_numpy(), A, rtol=1e-10)  # A kept
    assert out.year == 2003
    assert "money at benchmark-year prices (2000)" in out.price_basis
    assert out.notes["table_benchmark_year"] == 2000
    assert out.notes["money"] == "money at benchmark-year prices (2000)"
    assert out.notes["gdp_index"]["values"] == {"r0": 1.1, "r1": 0.8}
    assert len(out.stressors) == 0 and out.population is None


def test_scale_table_drops_emissions_of_the_benchmark() -> None:
    out = scale_table(system(2000), pd.Series({"r0": 1.0, "r1": 1.0}), year=2001)
    assert len(out.stressors) == 0 and "emissions" not in out.notes
    assert np.allclose(out.Z.to_numpy(), system(2000).Z.to_numpy(), rtol=1e-12)


def test_negative_final_demand_follows_its_row() -> None:
    Y_neg = Y.copy()
    Y_neg[1] = [3.0, 0.0, 0.0, -1.0]  # r0 s1: bought by r0 (3), drawn down from r1's inventories (-1)
    table_a = system(2000, Y_=Y_neg, F_=None)
    out = scale_table(table_a, pd.Series({"r0": 1.2, "r1": 0.5}), year=2001)
    # the row's only positive entry is r0's (index 1.2), so the -1 is scaled by 1.2, not by r1's 0.5
    assert out.Y.to_numpy()[1].tolist() == pytest.approx([3.6, 0.0, 0.0, -1.2])
    assert out.notes["negative_final_demand_entries"]["count"] == 1


# -------------------------------------------------------------- scale_emissions
def _hand_scaled_emissions(
    x_b: np.ndarray, x_t: np.ndarray, tau: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """F_t and F_Y_t by the formula of docs/methods.md, written out region by region."""
    F_t, FY_t = np.zeros(4), np.zeros(4)
    for r in range(2):
        rows, cols = slice(2 * r, 2 * r + 2), slice(2 * r, 2 * r + 2)
        first_guess = F[0, rows] / x_b[rows] * x_t[rows]
        pba_b = F[0, rows].sum() + F_Y[0, cols].sum()
        s = pba_b * tau[r] / (first_guess.sum() + F_Y[0, cols].sum())
        F_t[rows] = s * first_guess
        FY_t[cols] = s * F_Y[0, cols]
    return F_t, FY_t


def test_scale_emissions_by_hand() -> None:
    benchmark = system(2000)
    Y_t = Y * 1.3
    Y_t[:, 2:] *= 0.7
    table_t = system(1998, Y_=Y_t, F_=None)
    tau = np.array([0.9, 1.25])
    out = scale_emissions(table_t, benchmark, pd.Series({"r1": 1.25, "r0": 0.9}))
    x_b = np.linalg.solve(np.eye(4) - A, Y.sum(axis=1))
    x_t = np.linalg.solve(np.eye(4) - A, Y_t.sum(axis=1))
    F_t, FY_t = _hand_scaled_emissions(x_b, x_t, tau)
    assert np.allclose(out.F.to_numpy()[0], F_t, rtol=1e-12)
    assert np.allclose(out.F_Y.to_numpy()[0], FY_t, rtol=1e-12)
    # PBA of the scaled year is the benchmark's PBA times the index: r0 (40+10+6) 0.9, r1 (80+20+12) 1.25
    pba = wide(national_accounts(out).table, "e0")["PBA"]
    assert pba["r0"] == pytest.approx(56.0 * 0.9, rel=1e-13)
    assert pba["r1"] == pytest.approx(112.0 * 1.25, rel=1e-13)
    # within a region, sectors keep the benchmark's intensity ratio: emissions at intensities f_b
    f = out.F.to_numpy()[0] / out.gross_output.to_numpy()
    f_b = F[0] / x_b
    assert f[0] / f[1] == pytest.approx(f_b[0] / f_b[1], rel=1e-12)
    assert out.year == 1998 and out.stressor_units == {"e0": "kg"}
    assert out.notes["emission_benchmark_year"] == 2000
    assert out.notes["territorial_index"]["values"] == {"r0": 0.9, "r1": 1.25}


def test_scale_emissions_with_index_one_and_the_same_table_returns_the_benchmark() -> None:
    benchmark = system(2000)
    out = scale_emissions(system(2000, F_=None), benchmark, pd.Series({"r0": 1.0, "r1": 1.0}))
    assert np.allclose(out.F.to_numpy(), F, rtol=1e-13)
    assert np.allclose(out.F_Y.to_numpy(), F_Y, rtol=1e-13)


def test_household_emissions_carried_by_category_label() -> None:
    benchmark = system(2000)
    # a table whose categories are c0 and c2: c0 receives the benchmark's households, c2 gets none
    table_t = system(2001, F_=None)
    columns = pd.MultiIndex.from_product([["r0", "r1"], ["c0", "c2"]], names=["region", "category"])
    table_t = dataclasses.replace(
        table_t,
        Y=pd.DataFrame(table_t.Y.to_numpy(), index=table_t.Y.index, columns=columns),
        F_Y=pd.DataFrame(np.zeros((0, 4)), index=table_t.F_Y.index, columns=columns),
    )
    out = scale_emissions(table_t, benchmark, pd.Series({"r0": 1.0, "r1": 1.0}))
    assert out.F_Y.to_numpy()[0, [1, 3]].tolist() == [0.0, 0.0]
    assert out.F_Y.to_numpy()[0, [0, 2]].sum() > 0
    # the benchmark's households (in c0) in a category the table lacks would be lost: refused
    lacking = pd.MultiIndex.from_product([["r0", "r1"], ["c1", "c2"]], names=["region", "category"])
    bad = dataclasses.replace(
        table_t,
        Y=pd.DataFrame(table_t.Y.to_numpy(), index=table_t.Y.index, columns=lacking),
        F_Y=pd.DataFrame(np.zeros((0, 4)), index=table_t.F_Y.index, columns=lacking),
    )
    with pytest.raises(ValidationError, match=r"household emissions in final-demand columns.*'r0', 'c0'"):
        scale_emissions(bad, benchmark, pd.Series({"r0": 1.0, "r1": 1.0}))


def test_scale_emissions_errors() -> None:
    benchmark = system(2000)
    with pytest.raises(ValidationError, match=r"territorial CO2 index 2000->2001: no value for regions r1"):
        scale_emissions(system(2001, F_=None), benchmark, pd.Series({"r0": 1.0}))
    with pytest.raises(ValidationError, match=r"not a positive finite number for regions r0"):
        scale_emissions(system(2001, F_=None), benchmark, pd.Series({"r0": np.nan, "r1": 1.0}))
    with pytest.raises(ValidationError, match="has no stressors"):
        scale_emissions(system(2001, F_=None), system(2000, F_=None), pd.Series({"r0": 1.0, "r1": 1.0}))


# -------------------------------------------------------------- national index
def frame(values: dict[str, dict[int, float]]) -> pd.DataFrame:
    return pd.DataFrame(values).T.rename_axis("region")


def test_national_index_and_its_errors() -> None:
    T = frame({"r0": {2000: 10.0, 2001: 12.0}, "r1": {2000: 4.0, 2001: np.nan}})
    index = national_index(T.loc[["r0"]], pd.Index(["r0"]), year=2001, base=2000, variable="territorial CO2")
    assert index.to_dict() == {"r0": pytest.approx(1.2)}
    with pytest.raises(
        ValidationError, match=r"region 'r1', year 2001: value nan .* territorial CO2 for 'r1'"
    ):
        national_index(T, regions(), year=2001, base=2000, variable="territorial CO2")
    with pytest.raises(
        YearNotAvailableError, match=r"national real GDP: no values for 1995.*Fix: supply real"
    ):
        national_index(T, regions(), year=1995, base=2000, variable="real GDP")
    with pytest.raises(ValidationError, match=r"no row for region 'r2'"):
        national_index(T, pd.Index(["r2"]), year=2001, base=2000, variable="territorial CO2")


# --------------------------------------------------------------- extended_reader
INTENSITY = {
    2001: 1.0,
    2002: 1.5,
}  # made sector emissions of a year: its intensity factor times F x_2000^-1 x


def made_emissions(mrio: MRIO) -> MRIO:
    """The made 'sector emissions' of mrio.year, placed with the table's own output (like a concordance)."""
    x_b = np.linalg.solve(np.eye(4) - A, Y.sum(axis=1))
    x = mrio.gross_output.to_numpy()
    stressor = pd.Index(["e0"], name="stressor")
    return dataclasses.replace(
        mrio,
        F=pd.DataFrame(INTENSITY[mrio.year] * F / x_b * x, index=stressor, columns=mrio.Z.index),
        F_Y=pd.DataFrame(INTENSITY[mrio.year] * F_Y, index=stressor, columns=mrio.Y.columns),
        stressor_units={"e0": "kg"},
        notes={**dict(mrio.notes), "emissions": {"e0": {"year": mrio.year}}},
    )


Y_2001 = Y * 1.1


def made_table(year: int) -> MRIO:
    if year == 2000:
        return system(2000, F_=None)
    if year == 2001:
        return system(2001, Y_=Y_2001, F_=None)
    raise YearNotAvailableError(f"no made table for {year}")


T_MADE = frame(
    {
        "r0": {1999: 50.0, 2000: 55.0, 2001: 60.0, 2002: 62.0, 2003: 65.0},
        "r1": {1999: 100.0, 2000: 110.0, 2001: 100.0, 2002: 95.0, 2003: 90.0},
    }
)
G_MADE = frame(
    {
        "r0": {1999: 90.0, 2000: 95.0, 2001: 100.0, 2002: 104.0, 2003: 110.0},
        "r1": {1999: 50.0, 2000: 49.0, 2001: 50.0, 2002: 53.0, 2003: 51.0},
    }
)


def test_extended_reader_every_basis() -> None:
    plan = extension_plan(
        [1999, 2000, 2001, 2002],
        table_years=[2000, 2001],
        emission_years=[2001, 2002],
        emission_benchmarks="with_table",
    )
    build = extended_reader(made_table, made_emissions, plan, territorial=T_MADE, gdp=G_MADE)
    x_2000 = np.linalg.solve(np.eye(4) - A, Y.sum(axis=1))
    x_2001 = np.linalg.solve(np.eye(4) - A, Y_2001.sum(axis=1))
    F_2001 = F[0] / x_2000 * x_2001  # the made emissions of 2001 (intensity factor 1)
    pba_2001 = np.array([F_2001[:2].sum() + F_Y[0, :2].sum(), F_2001[2:].sum() + F_Y[0, 2:].sum()])

    real, p = build(2001)
    assert p.basis == "table" and real.notes["basis"] == "table" and real.notes["indices"] == {}
    assert real.notes["table_benchmark_year"] == 2001 == real.notes["emission_benchmark_year"]

    # 2000: real table, emissions at 2001 intensities scaled to PBA_2001 T_2000 / T_2001
    m, p = build(2000)
    assert p == YearPlan(2000, "table+scaled_emissions", 2000, 2001, 2001)
    pba = wide(national_accounts(m).table, "e0")["PBA"].to_numpy()
    assert pba == pytest.approx(pba_2001 * np.array([55 / 60, 110 / 100]), rel=1e-13)
    assert np.allclose(m.gross_output.to_numpy(), x_2000, rtol=1e-12)
    assert m.notes["indices"]["territorial_co2"]["values"] == pytest.approx({"r0": 55 / 60, "r1": 1.1})
    assert m.notes["basis"] == "table+scaled_emissions" and m.notes["emission_benchmark_year"] == 2001
    assert m.notes["emissions"] == {"e0": {"year": 2001, "emission_benchmark_year": 2001}}

    # 2002: the 2001 table scaled by GDP 2001->2002, with the made emissions of 2002
    m, p = build(2002)
    assert p == YearPlan(2002, "scaled_table+emissions", 2001, 2002, 2001)
    Y_2002 = Y_2001 * np.array([1.04, 1.04, 1.06, 1.06])
    x_2002 = np.linalg.solve(np.eye(4) - A, Y_2002.sum(axis=1))
    assert np.allclose(m.gross_output.to_numpy(), x_2002, rtol=1e-10)
    assert np.allclose(m.F.to_numpy()[0], 1.5 * F[0] / x_2000 * x_2002, rtol=1e-10)
    assert m.notes["indices"]["gdp"]["values"] == pytest.approx({"r0": 1.04, "r1": 1.06})
    assert m.notes["emissions"] == {"e0": {"year": 2002}}
    assert "benchmark-year prices (2001)" in m.price_basis

    # 1999: the 2000 table scaled by GDP 2000->1999, emissions of 2001 scaled by T_1999 / T_2001
    m, p = build(1999)
    assert p == YearPlan(1999, "scaled_table+scaled_emissions", 2000, 2001, 2001)
    Y_1999 = Y * np.array([90 / 95, 90 / 95, 50 / 49, 50 / 49])
    x_1999 = np.linalg.solve(np.eye(4) - A, Y_1999.sum(axis=1))
    assert np.allclose(m.gross_output.to_numpy(), x_1999, rtol=1e-10)
    pba = wide(national_accounts(m).table, "e0")["PBA"].to_numpy()
    assert pba == pytest.approx(pba_2001 * np.array([50 / 60, 100 / 100]), rel=1e-13)
    assert set(m.notes["indices"]) == {"gdp", "territorial_co2"}
    assert (m.notes["table_benchmark_year"], m.notes["emission_benchmark_year"]) == (2000, 2001)
    for year in (1999, 2000, 2002):
        assert_identities(national_accounts(build(year)[0]).table)


def test_extended_reader_with_a_benchmark_that_has_no_table() -> None:
    # 2003: the 2001 table scaled by GDP; intensities of 2002, whose emissions sit on the 2001 table
    # scaled to 2002
    plan = extension_plan(
        [2003], table_years=[2000, 2001], emission_years=[2001, 2002], emission_benchmarks="nearest"
    )
    assert plan[2003] == YearPlan(2003, "scaled_table+scaled_emissions", 2001, 2002, 2001)
    m, _ = extended_reader(made_table, made_emissions, plan, territorial=T_MADE, gdp=G_MADE)(2003)
    x_2000 = np.linalg.solve(np.eye(4) - A, Y.sum(axis=1))
    x_2002 = np.linalg.solve(np.eye(4) - A, (Y_2001 * np.array([1.04, 1.04, 1.06, 1.06])).sum(axis=1))
    x_2003 = np.linalg.solve(np.eye(4) - A, (Y_2001 * np.array([1.1, 1.1, 1.02, 1.02])).sum(axis=1))
    F_2002 = 1.5 * F[0] / x_2000 * x_2002  # the made emissions of 2002 on the scaled 2002 output
    pba_2002 = np.array(
        [F_2002[:2].sum() + 1.5 * F_Y[0, :2].sum(), F_2002[2:].sum() + 1.5 * F_Y[0, 2:].sum()]
    )
    pba = wide(national_accounts(m).table, "e0")["PBA"].to_numpy()
    assert pba == pytest.approx(pba_2002 * np.array([65 / 62, 90 / 95]), rel=1e-12)
    assert np.allclose(m.gross_output.to_numpy(), x_2003, rtol=1e-10)
    f = m.F.to_numpy()[0] / x_2003
    assert f[0] / f[1] == pytest.approx((F[0, 0] / x_2000[0]) / (F[0, 1] / x_2000[1]), rel=1e-10)
    assert m.notes["emission_benchmark_table_year"] == 2001
    assert m.notes["indices"]["emission_benchmark_gdp"]["values"] == pytest.approx({"r0": 1.04, "r1": 1.06})


def test_extended_reader_names_missing_national_values() -> None:
    plan = extension_plan(
        [1998, 2002], table_years=[2000, 2001], emission_years=[2001, 2002], emission_benchmarks="with_table"
    )
    build = extended_reader(
        made_table, made_emissions, plan, territorial=T_MADE, gdp=G_MADE.drop(columns=2002)
    )
    with pytest.raises(YearNotAvailableError, match=r"national real GDP: no values for 2002"):
        build(2002)
    with pytest.raises(YearNotAvailableError, match=r"no values for 1998"):
        build(1998)
    with pytest.raises(YearNotAvailableError, match=r"the extension plan holds the years 1998, 2002; 2005"):
        build(2005)
    gaps = G_MADE.copy()
    gaps.loc["r1", 2002] = np.nan
    build = extended_reader(made_table, made_emissions, plan, territorial=T_MADE, gdp=gaps)
    with pytest.raises(ValidationError, match=r"national real GDP: region 'r1', year 2002"):
        build(2002)


# -------------------------------------------------------------------- skill test
def test_skill_test_is_exact_where_the_assumptions_hold() -> None:
    # the "real" 2001 is exactly what extension assumes: A kept, Y scaled by GDP, intensities of 2000
    # within each region, PBA moved with the territorial index
    g = np.array([100 / 95, 100 / 95, 50 / 49, 50 / 49])
    Y_real = Y * g
    x_real = np.linalg.solve(np.eye(4) - A, Y_real.sum(axis=1))
    x_b = np.linalg.solve(np.eye(4) - A, Y.sum(axis=1))
    scale = np.array([1.2, 1.2, 0.9, 0.9])
    F_real = (F / x_b * x_real) * scale
    F_Y_real = F_Y * scale

    def pba(f: np.ndarray, fy: np.ndarray) -> np.ndarray:
        return np.array([f[0, :2].sum() + fy[0, :2].sum(), f[0, 2:].sum() + fy[0, 2:].sum()])

    tau = pba(F_real, F_Y_real) / pba(F, F_Y)
    T = frame({"r0": {2000: 1.0, 2001: tau[0]}, "r1": {2000: 1.0, 2001: tau[1]}})

    def read(year: int) -> MRIO:
        return system(2000, F_=None) if year == 2000 else system(2001, Y_=Y_real, F_=None)

    def attach(mrio: MRIO) -> MRIO:
        stressor = pd.Index(["e0"], name="stressor")
        real_year = mrio.year == 2001
        F_year = F_real / x_real * mrio.gross_output.to_numpy() if real_year else F
        return dataclasses.replace(
            mrio,
            F=pd.DataFrame(F_year, index=stressor, columns=mrio.Z.index),
            F_Y=pd.DataFrame(F_Y_real if real_year else F_Y, index=stressor, columns=mrio.Y.columns),
            stressor_units={"e0": "kg"},
        )

    result = skill_test(
        read,
        attach,
        [2000, 2001],
        benchmarks=[2000, 2001],
        horizons=[1],
        bases=EXTENDED_BASES,
        territorial=T,
        gdp=G_MADE,
        stressor="e0",
        regions=["r0"],
    )
    table = result.table
    # two directions x three bases x two regions x three accounts
    assert len(table) == 2 * 3 * 2 * 3
    assert set(table["horizon"]) == {1} and set(table["unit"]) == {"kg"}
    assert (table["abs_error"] == table["extended"] - table["real"]).all()
    assert np.allclose(table["abs_error"], 0.0, atol=1e-9 * table["real"].abs().max())
    summary = result.summary
    assert set(summary["region"]) == {"all", "r0"}
    assert set(summary["statistic"]) >= {"median_abs_rel_error", "p90_abs_rel_error"}
    assert (summary["cases"] == 2).all()


def test_skill_test_errors_are_relative_to_real() -> None:
    def read(year: int) -> MRIO:
        return system(year, Y_=Y * (1.0 if year == 2000 else 1.3), F_=None)

    def attach(mrio: MRIO) -> MRIO:
        stressor = pd.Index(["e0"], name="stressor")
        return dataclasses.replace(
            mrio,
            F=pd.DataFrame(F * (1.0 if mrio.year == 2000 else 0.8), index=stressor, columns=mrio.Z.index),
            F_Y=pd.DataFrame(F_Y, index=stressor, columns=mrio.Y.columns),
            stressor_units={"e0": "kg"},
        )

    T = frame({"r0": {2000: 1.0, 2001: 1.0}, "r1": {2000: 1.0, 2001: 1.0}})
    result = skill_test(
        read,
        attach,
        [2000, 2001],
        benchmarks=[2000],
        horizons=[1],
        bases=["table+scaled_emissions"],
        territorial=T,
        gdp=G_MADE,
        stressor="e0",
    )
    table = result.table
    real_cba = wide(national_accounts(attach(read(2001))).table, "e0")["CBA"]
    rows = table[table["account"] == "CBA"].set_index("region")
    assert rows["real"].to_dict() == pytest.approx(real_cba.to_dict(), rel=1e-12)
    assert np.allclose(rows["rel_error"], (rows["extended"] - rows["real"]) / rows["real"].abs())
    assert (rows["rel_error"].abs() > 1e-3).all()  # the made change is not an extension's assumption
    with pytest.raises(ValidationError, match="no year of 2000, 2001 lies at horizons"):
        skill_test(
            read,
            attach,
            [2000, 2001],
            benchmarks=[2000],
            horizons=[3],
            bases=["table+scaled_emissions"],
            territorial=T,
            gdp=G_MADE,
            stressor="e0",
        )


# --------------------------------------------------------------------- real data
#: OWID names of the 40 WIOD 2013 countries (this test's own map; the package uses country_converter)
WIOD_OWID_NAMES = {
    "AUS": "Australia", "AUT": "Austria", "BEL": "Belgium", "BGR": "Bulgaria", "BRA": "Brazil",
    "CAN": "Canada", "CHN": "China", "CYP": "Cyprus", "CZE": "Czechia", "DEU": "Germany",
    "DNK": "Denmark", "ESP": "Spain", "EST": "Estonia", "FIN": "Finland", "FRA": "France",
    "GBR": "United Kingdom", "GRC": "Greece", "HUN": "Hungary", "IDN": "Indonesia", "IND": "India",
    "IRL": "Ireland", "ITA": "Italy", "JPN": "Japan", "KOR": "South Korea", "LTU": "Lithuania",
    "LUX": "Luxembourg", "LVA": "Latvia", "MEX": "Mexico", "MLT": "Malta", "NLD": "Netherlands",
    "POL": "Poland", "PRT": "Portugal", "ROU": "Romania", "RUS": "Russia", "SVK": "Slovakia",
    "SVN": "Slovenia", "SWE": "Sweden", "TUR": "Turkey", "TWN": "Taiwan", "USA": "United States",
}  # fmt: skip


def owid_frames(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Territorial CO2 and GDP, WIOD regions x 1990-2019; RoW CO2 = World - countries, RoW GDP = the sum
    of every other country with GDP in all years (the World GDP row has gaps)."""
    data = pd.read_csv(path, usecols=["country", "year", "gdp", "co2"])
    data = data[data["year"].between(1990, 2019)]
    co2 = data.pivot_table(index="country", columns="year", values="co2")
    gdp = data.pivot_table(index="country", columns="year", values="gdp")
    iso = {name: code for code, name in WIOD_OWID_NAMES.items()}
    T = co2.loc[list(iso)].rename(index=iso)
    T.loc["RoW"] = co2.loc["World"] - T.sum()
    G = gdp.loc[list(iso)].rename(index=iso)
    others = gdp.drop(index=[*iso, "World"])
    G.loc["RoW"] = others[others.notna().all(axis=1)].sum()
    return T.rename_axis("region"), G.rename_axis("region")


def test_wiod_extended_years(shared_data: Path) -> None:
    from mrio_tools.sources.wiod2013 import read_wiod2013
    from mrio_tools.sources.wiod_env import attach_jrc_co2_table, read_jrc_co2

    T, G = owid_frames(shared_data / "owid_co2_2025" / "owid-co2-data-extract.csv")
    co2 = read_jrc_co2(shared_data / "wiod2016_env" / "CO2 emissions.xlsx")

    def read(year: int) -> MRIO:
        return read_wiod2013(shared_data / "wiod2013", year, output_gap="residual_category")

    def attach(mrio: MRIO) -> MRIO:
        return attach_jrc_co2_table(mrio, co2, fold_missing=True, file_name="CO2 emissions.xlsx")

    plan = extension_plan(
        [1990, 1999, 2012],
        table_years=range(1995, 2012),
        emission_years=range(2000, 2017),
        emission_benchmarks="with_table",
    )
    build = extended_reader(read, attach, plan, territorial=T, gdp=G)
    pba_2000 = wide(national_accounts(attach(read(2000))).table, "CO2")["PBA"]
    jrc_2012 = float(co2.loc[co2["year"] == 2012, "value"].sum())

    cases = [(1999, "table+scaled_emissions"), (2012, "scaled_table+emissions")]
    for year, basis in [*cases, (1990, "scaled_table+scaled_emissions")]:
        mrio, p = build(year)
        assert p.basis == basis == mrio.notes["basis"]
        table = national_accounts(mrio).table
        assert_identities(table)
        pba = wide(table, "CO2")["PBA"]
        if year == 2012:
            # the year's own JRC CO2, placed on the 2011 table scaled by GDP; world total kept
            assert pba.sum() == pytest.approx(jrc_2012, rel=1e-9)
            assert mrio.price_basis.startswith("money at benchmark-year prices (2011)")
            assert mrio.notes["indices"]["gdp"]["values"]["CHN"] == pytest.approx(
                G[2012]["CHN"] / G[2011]["CHN"]
            )
        else:
            expected = pba_2000 * T[year].reindex(pba_2000.index) / T[2000].reindex(pba_2000.index)
            assert np.allclose(pba.reindex(expected.index), expected, rtol=1e-12)
            assert pba.sum() == pytest.approx(expected.sum(), rel=1e-12)
            assert mrio.notes["emission_benchmark_year"] == 2000
        assert mrio.year == year and len(pba) == 41
    assert mrio.notes["table_benchmark_year"] == 1995

    # 2019 from JRC 2016 on the 2011 table scaled to 2016: PBA = JRC 2016 per region times T_2019 / T_2016
    nearest = extension_plan(
        [2019], table_years=range(1995, 2012), emission_years=range(2000, 2017), emission_benchmarks="nearest"
    )
    mrio, p = extended_reader(read, attach, nearest, territorial=T, gdp=G)(2019)
    assert (p.basis, p.table_benchmark_year, p.emission_benchmark_year) == (
        "scaled_table+scaled_emissions",
        2011,
        2016,
    )
    table = national_accounts(mrio).table
    assert_identities(table)
    rows = co2[co2["year"] == 2016]
    jrc_2016 = rows.groupby(rows["country"].replace({"CHE": "RoW", "HRV": "RoW", "NOR": "RoW"}))[
        "value"
    ].sum()
    expected = jrc_2016 * T[2019].reindex(jrc_2016.index) / T[2016].reindex(jrc_2016.index)
    pba = wide(table, "CO2")["PBA"]
    assert np.allclose(pba.reindex(expected.index), expected, rtol=1e-12) and len(expected) == 41
