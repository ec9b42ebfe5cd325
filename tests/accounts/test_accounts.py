"""National accounts: pymrio cross-checks, independent formulas, the identities on random systems."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pymrio
import pytest
from hypothesis import given
from hypothesis import strategies as st
from systems import make_mrio, random_arrays, two_region_by_hand

from mrio_tools import MRIO
from mrio_tools.accounts.national import national_accounts
from mrio_tools.schema import ACCOUNT_COLUMNS, FLOW_COLUMNS
from mrio_tools.testing import assert_identities, wide

PYMRIO_ACCOUNTS = {"PBA": "D_pba_reg", "CBA": "D_cba_reg", "EEE": "D_exp_reg", "EEI": "D_imp_reg"}


def pymrio_system(mrio: MRIO) -> pymrio.IOSystem:
    """The same table as a pymrio IOSystem with all accounts calculated by pymrio."""
    extension = {"name": "stressors", "F": mrio.F.copy(), "F_Y": mrio.F_Y.copy()}
    io = pymrio.IOSystem(Z=mrio.Z.copy(), Y=mrio.Y.copy(), stressors=extension)
    io.calc_all()
    return io


def assert_equal_to_pymrio(mrio: MRIO, table: pd.DataFrame) -> None:
    io = pymrio_system(mrio)
    for account, attribute in PYMRIO_ACCOUNTS.items():
        theirs = getattr(io.stressors, attribute)
        for stressor in mrio.stressors:
            ours = wide(table, stressor)[account].reindex(theirs.columns)
            expected = theirs.loc[stressor].astype(float)
            scale = np.maximum(np.abs(expected.to_numpy()), 1e-300)
            assert np.max(np.abs(ours.to_numpy() - expected.to_numpy()) / scale) <= 1e-9, (account, stressor)


def from_pymrio_test() -> MRIO:
    test = pymrio.load_test()
    names = pd.Index([f"{a} - {b}" for a, b in test.emissions.F.index], name="stressor")
    population = test.population.iloc[0].rename_axis("region").astype(float)
    return MRIO(
        Z=test.Z,
        Y=test.Y,
        F=test.emissions.F.set_axis(names, axis=0),
        F_Y=test.emissions.F_Y.set_axis(names, axis=0),
        monetary_unit="M USD",
        stressor_units=dict.fromkeys(names, "kg"),
        source="pymrio test system",
        version=pymrio.__version__,
        year=2010,
        price_basis="unknown",
        population=population,
    )


def test_equal_to_pymrio_on_its_test_system() -> None:
    mrio = from_pymrio_test()
    result = national_accounts(mrio)
    assert tuple(result.table.columns) == ACCOUNT_COLUMNS
    assert tuple(result.flows.columns) == FLOW_COLUMNS
    assert_equal_to_pymrio(mrio, result.table)
    assert_identities(result.table)


@pytest.mark.parametrize("solver", ["dense", "block"])
def test_equal_to_pymrio_on_random_systems(solver: str) -> None:
    for seed in range(3):
        mrio = make_mrio(random_arrays(seed, 5, 4, 3, 2), 5, 4, 3)
        result = national_accounts(mrio, solver=solver)  # type: ignore[arg-type]
        assert result.metadata["solver"]["method"] == solver
        assert_equal_to_pymrio(mrio, result.table)


@given(
    seed=st.integers(0, 10_000),
    regions=st.integers(2, 6),
    sectors=st.integers(1, 5),
    categories=st.integers(1, 3),
    stressors=st.integers(1, 3),
    density=st.sampled_from([0.0, 0.2, 1.0]),
)
def test_identities_and_pymrio_on_hypothesis_systems(
    seed: int, regions: int, sectors: int, categories: int, stressors: int, density: float
) -> None:
    mrio = make_mrio(
        random_arrays(seed, regions, sectors, categories, stressors, import_density=density),
        regions,
        sectors,
        categories,
    )
    result = national_accounts(mrio)
    assert_identities(result.table, partition_seed=seed)
    assert_equal_to_pymrio(mrio, result.table)
    # flows: rows sum to PBA without households, columns to CBA without households
    flows = result.flows[result.flows["stressor"] == "e0"].pivot_table(
        index="origin", columns="destination", values="value", aggfunc="sum"
    )
    w = wide(result.table, "e0")
    assert np.allclose(flows.sum(axis=1), (w["PBA"] - w["HOUSEHOLD_DIRECT"]).reindex(flows.index), rtol=1e-9)
    assert np.allclose(
        flows.sum(axis=0), (w["CBA"] - w["HOUSEHOLD_DIRECT"]).reindex(flows.columns), rtol=1e-9
    )


def test_export_intensity_against_explicit_formulas() -> None:
    """q_r = m e_r / 1'e_r and d_r = f_r (I - A_rr)^-1 e_r / 1'e_r, written out with an explicit inverse."""
    R, S, K = 3, 2, 2
    a = random_arrays(11, R, S, K, 1)
    mrio = make_mrio(a, R, S, K)
    table = national_accounts(mrio).table
    n = R * S
    L = np.linalg.inv(np.eye(n) - a["A"])
    f = a["F"][0] / a["x"]
    m = f @ L
    for r in range(R):
        rows = slice(r * S, (r + 1) * S)
        e = np.zeros(n)
        for s in range(R):
            if s != r:
                e[rows] += a["Z"][rows, s * S : (s + 1) * S].sum(axis=1) + a["Y"][
                    rows, s * K : (s + 1) * K
                ].sum(axis=1)
        total = m @ e / e.sum()
        domestic = f[rows] @ np.linalg.inv(np.eye(S) - a["A"][rows, rows]) @ e[rows] / e.sum()
        got = table[(table["region"] == f"r{r}")].set_index("account")["value"]
        assert got["GROSS_EXPORTS"] == pytest.approx(e.sum(), rel=1e-12)
        assert got["EXPORT_INTENSITY_TOTAL"] == pytest.approx(total, rel=1e-9)
        assert got["EXPORT_INTENSITY_DOMESTIC"] == pytest.approx(domestic, rel=1e-9)
    units = table.set_index("account")["unit"]
    assert units["EXPORT_INTENSITY_TOTAL"].iloc[0] == "kg/M EUR"
    assert units["GROSS_EXPORTS"].iloc[0] == "M EUR"


def test_two_region_example_by_hand() -> None:
    """One sector per region, numbers small enough to check on paper.

    Z = [[10, 20], [30, 40]], Y (one category each) = [[50, 20], [10, 120]] -> x = [100, 200].
    A = [[0.1, 0.1], [0.3, 0.2]]; det(I - A) = 0.9 * 0.8 - 0.1 * 0.3 = 0.69;
    L = [[0.8, 0.1], [0.3, 0.9]] / 0.69.  F = [10, 40] -> f = [0.1, 0.2].
    X[:, s] = L y_s with y_1 = [50, 10], y_2 = [20, 120]:
      X[:, 1] = [41, 24] / 0.69, X[:, 2] = [28, 114] / 0.69.
    E[r, s] = f_r X[r, s]: E = [[4.1, 2.8], [4.8, 22.8]] / 0.69.
    """
    mrio = two_region_by_hand(population=pd.Series([2.0, 4.0], index=pd.Index(["A", "B"], name="region")))
    result = national_accounts(mrio)
    w = wide(result.table, "CO2")
    E = np.array([[4.1, 2.8], [4.8, 22.8]]) / 0.69
    assert w.loc["A", "PBA"] == pytest.approx(11.0) and w.loc["B", "PBA"] == pytest.approx(42.0)
    assert w.loc["A", "CBA"] == pytest.approx(E[0, 0] + E[1, 0] + 1.0)
    assert w.loc["B", "CBA"] == pytest.approx(E[0, 1] + E[1, 1] + 2.0)
    assert w.loc["A", "EEE"] == pytest.approx(E[0, 1]) and w.loc["A", "EEI"] == pytest.approx(E[1, 0])
    assert w.loc["B", "CBA_PER_CAPITA"] == pytest.approx((E[0, 1] + E[1, 1] + 2.0) / 4.0)
    # gross exports of A: Z_AB + Y_AB = 20 + 20; total intensity m_A with m = f L
    m = np.array([0.1, 0.2]) @ (np.array([[0.8, 0.1], [0.3, 0.9]]) / 0.69)
    exports = result.table[result.table["account"] == "GROSS_EXPORTS"].set_index("region")
    assert exports.loc["A", "value"] == pytest.approx(40.0) and exports.loc["A", "stressor"] == "monetary"
    assert w.loc["A", "EXPORT_INTENSITY_TOTAL"] == pytest.approx(m[0])
    # domestic: f_A (1 - a_AA)^-1 = 0.1 / 0.9
    assert w.loc["A", "EXPORT_INTENSITY_DOMESTIC"] == pytest.approx(0.1 / 0.9)
    units = result.table.drop_duplicates("account").set_index("account")["unit"]
    assert units["PBA"] == "t" and units["CBA_PER_CAPITA"] == "t/capita"
    assert result.metadata["source"] == "hand" and result.metadata["year"] == 2020


def test_a_region_without_exports_has_no_intensity_rows() -> None:
    mrio = make_mrio(random_arrays(2, 3, 2, 1, 1, import_density=0.0), 3, 2, 1)
    # remove all of region r2's sales abroad (intermediate and final)
    Z, Y = mrio.Z.copy(), mrio.Y.copy()
    Z.loc["r2", ["r0", "r1"]] = 0.0
    Y.loc["r2", ["r0", "r1"]] = 0.0
    result = national_accounts(dataclasses.replace(mrio, Z=Z, Y=Y))
    intensity = result.table[result.table["account"] == "EXPORT_INTENSITY_TOTAL"]
    assert "r2" not in set(intensity["region"])
    assert result.metadata["regions_without_exports"] == ["r2"]
    assert_identities(result.table)
