"""The methods' identities on random systems and the demo, and cross-checks by independent formulas
(numpy inverses written out in the test, pymrio's multipliers), never the code under test."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pymrio
import pytest
from systems import make_mrio, random_arrays

from mrio_tools.accounts import eebt, footprints, income, paths, sda, sectors, tcba
from mrio_tools.accounts.national import national_accounts
from mrio_tools.leontief.solved import SolvedYear, solve_year
from mrio_tools.sources.demo import read_demo
from mrio_tools.testing import wide

REL = 1e-9


def random_solved(seed: int, solver: str = "dense") -> SolvedYear:
    return solve_year(make_mrio(random_arrays(seed, 4, 3, 2, 2), 4, 3, 2), solver=solver)  # type: ignore[arg-type]


def per_region(table: pd.DataFrame, account: str, stressor: str) -> pd.Series:
    rows = table[(table["account"] == account) & (table["stressor"] == stressor)]
    if "sector" in rows.columns and (rows["sector"] != "").any():
        return rows.groupby("region")["value"].sum()
    return rows.set_index("region")["value"]


def check_all_identities(one: SolvedYear) -> None:
    national = national_accounts(one.mrio, solver="dense").table
    e = eebt.eebt_accounts(one).table
    t = tcba.tcba_accounts(one).table
    i = income.income_based(one).table
    fp = footprints.footprint_intensities(one).table
    sets = sectors.mapping_of({"first": [str(one.mrio.sectors[0])]})
    sec = sectors.sector_transfers(one, sector_sets=sets, views=["emitting_sector", "product"]).table
    for stressor in one.stressors:
        w = wide(national, stressor)
        world_pba = w["PBA"].sum()
        assert per_region(e, "CBA_EEBT", stressor).sum() == pytest.approx(world_pba, rel=REL)
        assert per_region(t, "TCBA", stressor).sum() == pytest.approx(world_pba, rel=REL)
        assert per_region(i, "IBA", stressor).sum() == pytest.approx(world_pba, rel=REL)
        # footprint intensity times final demand, summed = world CBA less households' direct emissions
        M = fp[(fp["account"] == "FOOTPRINT_INTENSITY") & (fp["stressor"] == stressor)]["value"].to_numpy()
        assert M @ one.mrio.Y.to_numpy().sum(axis=1) == pytest.approx(
            w["CBA"].sum() - w["HOUSEHOLD_DIRECT"].sum(), rel=REL
        )
        by_region = per_region(fp, "FOOTPRINT_OF_FINAL_DEMAND", stressor)
        np.testing.assert_allclose(
            by_region, (w["CBA"] - w["HOUSEHOLD_DIRECT"]).reindex(by_region.index), rtol=REL
        )
        # sector transfers sum to the national net transfer (emitting view) and the EEBT net (product view)
        emitting = per_region(sec, "NET_TRANSFER_SECTOR_EMITTING", stressor)
        np.testing.assert_allclose(
            emitting, w["NET_TRANSFER"].reindex(emitting.index), rtol=REL, atol=1e-9 * world_pba
        )
        product = per_region(sec, "NET_TRANSFER_SECTOR_PRODUCT", stressor)
        eebt_net = per_region(e, "EEBT_EXPORTS", stressor) - per_region(e, "EEBT_IMPORTS", stressor)
        np.testing.assert_allclose(product, eebt_net.reindex(product.index), rtol=REL, atol=1e-9 * world_pba)
        # the two parts of the EEBT - MRIO difference add up to it
        parts = per_region(e, "EEBT_DIFF_REEXPORTED", stressor) + per_region(e, "EEBT_DIFF_OTHER", stressor)
        np.testing.assert_allclose(
            parts, per_region(e, "CBA_EEBT_MINUS_MRIO", stressor), rtol=REL, atol=1e-9 * world_pba
        )


@pytest.mark.parametrize("solver", ["dense", "block"])
def test_identities_on_random_systems(solver: str) -> None:
    for seed in range(3):
        check_all_identities(random_solved(seed, solver))


def test_identities_on_the_demo() -> None:
    check_all_identities(solve_year(read_demo(2010), solver="dense"))


def test_eebt_and_income_against_inverses_written_out() -> None:
    arrays = random_arrays(7, 3, 3, 2, 1)
    one = solve_year(make_mrio(arrays, 3, 3, 2), solver="dense")
    A, x, F = arrays["A"], one.x, arrays["F"][0]
    f = F / x
    Zs = one.mrio.Z.to_numpy()
    Y = one.mrio.Y.to_numpy().reshape(9, 3, 2).sum(axis=2)
    # EEBT[r -> s] = f_r inv(I - A_rr) (Z_rs 1 + Y_rs 1) with numpy's inverse of each domestic block
    flows = eebt.eebt_accounts(one).flows
    assert flows is not None
    for r, s in itertools.permutations(range(3), 2):
        rr, ss = slice(3 * r, 3 * r + 3), slice(3 * s, 3 * s + 3)
        expected = f[rr] @ np.linalg.inv(np.eye(3) - A[rr, rr]) @ (Zs[rr, ss].sum(axis=1) + Y[rr, s])
        got = flows[
            (flows["account"] == "EEBT") & (flows["origin"] == f"r{r}") & (flows["destination"] == f"r{s}")
        ]
        assert float(got["value"].iloc[0]) == pytest.approx(expected, rel=1e-10)
    # Ghosh: B = x^-1 Z, G = inv(I - B), IBA = v^ G f^T with v = x - Z'1
    B = Zs / x[:, None]
    G = np.linalg.inv(np.eye(9) - B)
    v = x - Zs.sum(axis=0)
    iba = v * (G @ f)
    table = income.income_based(one).table
    got_sectors = table[table["account"] == "IBA_SECTOR"]["value"].to_numpy()
    np.testing.assert_allclose(got_sectors, iba, rtol=1e-10)


def test_footprints_against_pymrio_and_an_inverse() -> None:
    arrays = random_arrays(11, 3, 4, 2, 2)
    mrio = make_mrio(arrays, 3, 4, 2)
    io = pymrio.IOSystem(
        Z=mrio.Z.copy(),
        Y=mrio.Y.copy(),
        stressors={"name": "stressors", "F": mrio.F.copy(), "F_Y": mrio.F_Y.copy()},
    )
    io.calc_all()
    table = footprints.footprint_intensities(solve_year(mrio, solver="dense")).table
    for stressor in mrio.stressors:
        rows = table[(table["account"] == "FOOTPRINT_INTENSITY") & (table["stressor"] == stressor)]
        np.testing.assert_allclose(
            rows["value"].to_numpy(), io.stressors.M.loc[stressor].to_numpy(dtype=float), rtol=1e-10
        )
    # domestic part: sum over the product's own region of f_i L_ij with numpy's L
    L = np.linalg.inv(np.eye(12) - arrays["A"])
    f = arrays["F"][0] / arrays["x"]
    expected = np.concatenate(
        [f[4 * r : 4 * r + 4] @ L[4 * r : 4 * r + 4, 4 * r : 4 * r + 4] for r in range(3)]
    )
    rows = table[(table["account"] == "FOOTPRINT_INTENSITY_DOMESTIC") & (table["stressor"] == "e0")]
    np.testing.assert_allclose(rows["value"].to_numpy(), expected, rtol=1e-10)


def test_sda_effects_add_up_and_chain_on_the_demo() -> None:
    years = [solve_year(read_demo(y), solver="dense") for y in (2000, 2005, 2010)]
    bases = ("table", "table", "table")
    direct = sda.decompose(
        years[0], years[2], bases=("table", "table"), prices="current", deflator=None
    ).table
    chained = sda.decompose_chain(years, bases=bases, prices="current", deflator=None).table
    for table in (direct, chained):
        effects = (
            table[table["account"].isin(sda.EFFECTS)].groupby(["year", "region", "stressor"])["value"].sum()
        )
        total = table[table["account"] == "SDA_TOTAL_CHANGE"].set_index(["year", "region", "stressor"])[
            "value"
        ]
        np.testing.assert_allclose(effects.reindex(total.index), total, rtol=1e-9, atol=0)
    # the steps of the chain add up to the change between the first and the last year
    steps = chained[chained["account"] == "SDA_TOTAL_CHANGE"].groupby(["region", "stressor"])["value"].sum()
    end_to_end = direct[direct["account"] == "SDA_TOTAL_CHANGE"].set_index(["region", "stressor"])["value"]
    np.testing.assert_allclose(steps.reindex(end_to_end.index), end_to_end, rtol=1e-9)
    # levels agree with the national accounts' export intensity (q = m e_r / 1'e_r)
    national = national_accounts(read_demo(2010), solver="dense").table
    q = national[national["account"] == "EXPORT_INTENSITY_TOTAL"].set_index(["region", "stressor"])["value"]
    end = direct[direct["account"] == "EXPORT_INTENSITY_END"].set_index(["region", "stressor"])["value"]
    np.testing.assert_allclose(end, q.reindex(end.index), rtol=1e-10)


def brute_force_paths(one: SolvedYear, s: int, y: np.ndarray, depth: int, threshold: float) -> list[float]:
    """Every path f_i A_ij ... y_l up to `depth` with value >= threshold, by full enumeration."""
    A = one.mrio.Z.to_numpy() / one.x
    f = one.f[s]
    found = []
    amounts = {(j,): y[j] for j in range(one.n)}
    for _ in range(depth + 1):
        found += [f[p[-1]] * v for p, v in amounts.items() if f[p[-1]] * v >= threshold]
        amounts = {(*p, i): A[i, p[-1]] * v for p, v in amounts.items() for i in range(one.n)}
    return sorted(found, reverse=True)


def test_paths_equal_full_enumeration_and_cover_more_as_the_threshold_falls() -> None:
    one = random_solved(5)
    y = one.y[:, 1]
    total = float(one.m[0] @ y)
    for share in (0.05, 0.01):
        result = paths.structural_paths(one, stressor="e0", region="r1", threshold_share=share, depth=3)
        assert result.flows is not None
        expected = brute_force_paths(one, 0, y, 3, share * total)
        np.testing.assert_allclose(result.flows["value"].to_numpy(), expected, rtol=1e-12)
    # a system whose inputs are a quarter as large (column sums of A 0.025-0.2): paths fall off fast
    arrays = random_arrays(5, 4, 3, 2, 1)
    A = arrays["A"] / 4
    x = np.linalg.solve(np.eye(12) - A, arrays["Y"].sum(axis=1))
    light = {**arrays, "A": A, "x": x, "Z": A * x, "F": arrays["F"] / arrays["x"] * x}
    one = solve_year(make_mrio(light, 4, 3, 2), solver="dense")
    shares = []
    for share in (0.1, 0.01, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7):
        summary = paths.structural_paths(
            one, stressor="e0", region="r1", threshold_share=share, depth=60
        ).table
        shares.append(float(summary.loc[summary["account"] == "SPA_COVERED_SHARE", "value"].iloc[0]))
    assert shares == sorted(shares)
    assert shares[0] < 0.9 < 0.999 < shares[-1]
    assert shares[-1] <= 1 + 1e-12
