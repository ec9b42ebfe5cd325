"""Each method on systems small enough to solve on paper; the solutions are worked out in the comments.

The two-region system (systems.two_region_by_hand): one sector per region,
  Z = [[10, 20], [30, 40]], Y = [[50, 20], [10, 120]], x = [100, 200], F = [10, 40] t, F_Y = [1, 2] t.
So f = [0.1, 0.2] t/M EUR, A = Z x^-1 = [[0.1, 0.1], [0.3, 0.2]], I - A = [[0.9, -0.1], [-0.3, 0.8]],
det(I - A) = 0.72 - 0.03 = 0.69 and L = (I - A)^-1 = [[0.8, 0.1], [0.3, 0.9]] / 0.69.
X = L y: X[:, A] = L [50, 10] = [41, 24] / 0.69, X[:, B] = L [20, 120] = [28, 114] / 0.69.
PBA = F + F_Y = [11, 42].
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from systems import two_region_by_hand

from mrio_tools import MRIO
from mrio_tools.accounts import eebt, footprints, income, inputs, paths, sda, sectors, tcba
from mrio_tools.context.prices import Deflator
from mrio_tools.errors import DataFileError, ValidationError
from mrio_tools.leontief.solved import SolvedYear, solve_year

REL = 1e-12


def solved() -> SolvedYear:
    return solve_year(two_region_by_hand(), solver="dense")


def value(table: pd.DataFrame, account: str, region: str, **where: str) -> float:
    rows = table[(table["account"] == account) & (table["region"] == region)]
    for column, wanted in where.items():
        rows = rows[rows[column] == wanted]
    assert len(rows) == 1, (account, region, rows)
    return float(rows["value"].iloc[0])


def flow(table: pd.DataFrame, account: str, origin: str, destination: str) -> float:
    rows = table[
        (table["account"] == account) & (table["origin"] == origin) & (table["destination"] == destination)
    ]
    assert len(rows) == 1
    return float(rows["value"].iloc[0])


def test_eebt_by_hand() -> None:
    # domestic multipliers d_A = f_A / (1 - A_AA) = 0.1 / 0.9 = 1/9, d_B = 0.2 / 0.8 = 1/4
    # EEBT[A -> B] = d_A (Z_AB + Y_AB) = (20 + 20) / 9 = 40/9 (intermediate 20/9, final 20/9)
    # EEBT[B -> A] = d_B (Z_BA + Y_BA) = (30 + 10) / 4 = 10 (intermediate 7.5, final 2.5)
    # CBA_EEBT_A = 11 - 40/9 + 10 = 149/9, CBA_EEBT_B = 42 - 10 + 40/9 = 328/9 (sum 53 = PBA sum)
    # MRIO CBA_A = f X[:, A] + 1 = (0.1*41 + 0.2*24)/0.69 + 1 = 8.9/0.69 + 1
    # re-exported: A imports Z_BA = 30 at d_B = 1/4 (7.5 t); A's output for abroad X[A, B] = 28/0.69
    # of x_A = 100, so 7.5 * 0.28/0.69 is booked on A by the trade view and abroad by the MRIO view;
    # B: imports Z_AB = 20 at 1/9, share X[B, A]/x_B = (24/0.69)/200 -> 20/9 * 0.12/0.69
    result = eebt.eebt_accounts(solved())
    t, f = result.table, result.flows
    assert f is not None
    assert flow(f, "EEBT", "A", "B") == pytest.approx(40 / 9, rel=REL)
    assert flow(f, "EEBT_INTERMEDIATE", "A", "B") == pytest.approx(20 / 9, rel=REL)
    assert flow(f, "EEBT_FINAL", "B", "A") == pytest.approx(2.5, rel=REL)
    assert flow(f, "EEBT", "A", "A") == 0.0
    assert value(t, "CBA_EEBT", "A") == pytest.approx(149 / 9, rel=REL)
    assert value(t, "CBA_EEBT", "B") == pytest.approx(328 / 9, rel=REL)
    difference_a = 149 / 9 - (8.9 / 0.69 + 1)
    assert value(t, "CBA_EEBT_MINUS_MRIO", "A") == pytest.approx(difference_a, rel=REL)
    assert value(t, "EEBT_DIFF_REEXPORTED", "A") == pytest.approx(7.5 * 0.28 / 0.69, rel=REL)
    assert value(t, "EEBT_DIFF_REEXPORTED", "B") == pytest.approx(20 / 9 * 0.12 / 0.69, rel=REL)
    assert value(t, "EEBT_DIFF_OTHER", "A") == pytest.approx(difference_a - 7.5 * 0.28 / 0.69, rel=REL)


def test_tcba_by_hand() -> None:
    # x^exp_A = X[A, B] = 28/0.69, x^exp_B = X[B, A] = 24/0.69 (one sector: the same sector everywhere)
    # w = (0.1 * 28 + 0.2 * 24) / (28 + 24) = 7.6 / 52 t/M EUR
    # EEI_A = f_B X[B, A] = 0.2 * 24/0.69, EEI_B = f_A X[A, B] = 0.1 * 28/0.69
    # TCBA_A = 11 - w 28/0.69 + 4.8/0.69, TCBA_B = 42 - w 24/0.69 + 2.8/0.69 (sum: 53)
    w = 7.6 / 52
    table = tcba.tcba_accounts(solved()).table
    assert value(table, "WORLD_MARKET_INTENSITY", "world market") == pytest.approx(w, rel=REL)
    assert value(table, "TCBA", "A") == pytest.approx(11 - w * 28 / 0.69 + 4.8 / 0.69, rel=REL)
    assert value(table, "TCBA", "B") == pytest.approx(42 - w * 24 / 0.69 + 2.8 / 0.69, rel=REL)
    assert value(table, "EEE_WORLD_AVERAGE", "A") == pytest.approx(w * 28 / 0.69, rel=REL)


def test_income_based_by_hand() -> None:
    # v = x - Z'1 = [100 - 40, 200 - 60] = [60, 140]
    # (I - A) z = F = [10, 40]: z = L F = [0.8*10 + 0.1*40, 0.3*10 + 0.9*40] / 0.69 = [12, 39] / 0.69
    # IBA_i = v_i / x_i z_i: A: 0.6 * 12/0.69, B: 0.7 * 39/0.69; plus households' direct [1, 2]
    # sum: (7.2 + 27.3)/0.69 = 34.5/0.69 = 50 = sum F, + 3 = 53 = sum PBA
    table = income.income_based(solved()).table
    assert value(table, "IBA", "A") == pytest.approx(0.6 * 12 / 0.69 + 1, rel=REL)
    assert value(table, "IBA", "B") == pytest.approx(0.7 * 39 / 0.69 + 2, rel=REL)
    assert value(table, "VALUE_ADDED", "B", sector="s") == pytest.approx(140.0, rel=REL)
    assert value(table, "IBA_SECTOR", "A", sector="s") == pytest.approx(7.2 / 0.69, rel=REL)


def test_footprint_intensities_by_hand() -> None:
    # M = f L = [0.1*0.8 + 0.2*0.3, 0.1*0.1 + 0.2*0.9] / 0.69 = [0.14, 0.19] / 0.69 t/M EUR
    # domestic: M^dom_A = f_A L_AA = 0.08/0.69, M^dom_B = f_B L_BB = 0.18/0.69; imported the rest
    table = footprints.footprint_intensities(solved()).table
    assert value(table, "FOOTPRINT_INTENSITY", "A", sector="s") == pytest.approx(0.14 / 0.69, rel=REL)
    assert value(table, "FOOTPRINT_INTENSITY", "B", sector="s") == pytest.approx(0.19 / 0.69, rel=REL)
    assert value(table, "FOOTPRINT_INTENSITY_DOMESTIC", "A", sector="s") == pytest.approx(
        0.08 / 0.69, rel=REL
    )
    assert value(table, "FOOTPRINT_INTENSITY_IMPORTED", "A", sector="s") == pytest.approx(
        0.06 / 0.69, rel=REL
    )
    assert value(table, "FOOTPRINT_INTENSITY_IMPORTED", "B", sector="s") == pytest.approx(
        0.01 / 0.69, rel=REL
    )
    rows = table[table["account"] == "FOOTPRINT_INTENSITY"]
    assert set(rows["unit"]) == {"t/M EUR"}
    # M y_A = (0.14 * 50 + 0.19 * 10) / 0.69 = 8.9/0.69 = CBA_A - F_Y,A
    assert value(table, "FOOTPRINT_OF_FINAL_DEMAND", "A") == pytest.approx(8.9 / 0.69, rel=REL)


def test_basket_and_hybrid_by_hand(tmp_path: pytest.TempPathFactory) -> None:
    one = solved()
    basket_csv = tmp_path / "basket.csv"  # type: ignore[operator]
    basket_csv.write_text("region,sector,amount,unit\nA,s,10,M EUR\nB,s,5000,k EUR\n")
    basket = inputs.read_basket(basket_csv, one)
    # 5000 k EUR = 5 M EUR. M b = (0.14 * 10 + 0.19 * 5) / 0.69 = 2.35/0.69 t
    # domestic parts: (0.08 * 10 + 0.18 * 5) / 0.69 = 1.7/0.69 t
    table = footprints.basket_footprint(one, basket, name="basket").table
    assert value(table, "BASKET_FOOTPRINT", "basket") == pytest.approx(2.35 / 0.69, rel=REL)
    assert value(table, "BASKET_FOOTPRINT_DOMESTIC", "basket") == pytest.approx(1.7 / 0.69, rel=REL)
    assert value(table, "BASKET_FOOTPRINT", "B", sector="s") == pytest.approx(0.95 / 0.69, rel=REL)
    # override: A's direct intensity 0.0003 kg/EUR = 0.3 t/M EUR -> f' = [0.3, 0.2]
    # M' = [0.3*0.8 + 0.2*0.3, 0.3*0.1 + 0.2*0.9] / 0.69 = [0.30, 0.21] / 0.69; change [0.16, 0.02]/0.69
    # change of A's footprint: (0.16 * 50 + 0.02 * 10) / 0.69 = 8.2/0.69
    override_csv = tmp_path / "override.csv"  # type: ignore[operator]
    override_csv.write_text("# process-based intensity\nregion,sector,intensity,unit\nA,s,0.0003,kg/EUR\n")
    override = inputs.read_overrides(override_csv, one, stressor="CO2")
    hybrid = footprints.hybrid_intensities(one, override)
    t = hybrid.table
    assert value(t, "FOOTPRINT_INTENSITY_HYBRID", "A", sector="s") == pytest.approx(0.30 / 0.69, rel=REL)
    assert value(t, "FOOTPRINT_INTENSITY_HYBRID_CHANGE", "B", sector="s") == pytest.approx(
        0.02 / 0.69, rel=REL
    )
    assert value(t, "CBA_HYBRID_CHANGE", "A") == pytest.approx(8.2 / 0.69, rel=REL)
    assert value(t, "DIRECT_INTENSITY_OVERRIDE", "A", sector="s") == pytest.approx(0.3, rel=REL)
    assert hybrid.metadata["overridden"] == {"CO2": ["A/s"]}


def test_bad_basket_names_the_line(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "basket.csv"  # type: ignore[operator]
    path.write_text("region,sector,amount,unit\nA,s,10,M EUR\nC,s,1,M EUR\n")
    with pytest.raises(DataFileError, match=r"basket.csv: lines 3 .*C/s"):
        inputs.read_basket(path, solved())
    path.write_text("region,sector,amount,unit\nA,s,10,kg\n")
    with pytest.raises(DataFileError, match="line 2: unit 'kg'"):
        inputs.read_basket(path, solved())


def test_sector_transfers_by_hand() -> None:
    # emitting view: T[A -> B] = f_A X[A, B] = 2.8/0.69, T[B -> A] = f_B X[B, A] = 4.8/0.69
    # net of A (one sector): 2.8/0.69 - 4.8/0.69 = -2/0.69 = PBA_A - CBA_A
    # product view (EEBT): 40/9 - 10
    sets = sectors.mapping_of({"everything": ["s"]})
    result = sectors.sector_transfers(solved(), sector_sets=sets, views=["emitting_sector", "product"])
    t, f = result.table, result.flows
    assert f is not None
    assert value(t, "NET_TRANSFER_SECTOR_EMITTING", "A", sector="s") == pytest.approx(-2 / 0.69, rel=REL)
    assert value(t, "NET_TRANSFER_SECTOR_PRODUCT", "B", sector="s") == pytest.approx(10 - 40 / 9, rel=REL)
    assert value(t, "NET_TRANSFER", "A") == pytest.approx(-2 / 0.69, rel=REL)
    assert flow(f, "SECTOR_EXPORTS_EMITTING", "B", "A") == pytest.approx(4.8 / 0.69, rel=REL)
    assert flow(f, "NET_TRANSFER_SET_EMITTING", "A", "B") == pytest.approx(-2 / 0.69, rel=REL)
    assert flow(f, "NET_TRANSFER_SET_PRODUCT", "B", "A") == pytest.approx(10 - 40 / 9, rel=REL)


def test_paths_by_hand() -> None:
    # footprint of A's final demand y_A = [50, 10]: E = M y_A = 8.9/0.69 t
    # order 0: f_A 50 = 5, f_B 10 = 2; order 1: f_i A_ij y_j: B<-A 0.2*0.3*50 = 3, A<-A 0.1*0.1*50 = 0.5,
    # B<-B 0.2*0.2*10 = 0.4, A<-B 0.1*0.1*10 = 0.1. Threshold 1 % of 12.9 = 0.129: 0.1 is left out.
    result = paths.structural_paths(solved(), stressor="CO2", region="A", threshold_share=0.01, depth=1)
    found = result.flows
    assert found is not None
    assert list(found["path"]) == ["A/s", "B/s <- A/s", "B/s", "A/s <- A/s", "B/s <- B/s"]
    assert list(found["value"]) == pytest.approx([5, 3, 2, 0.5, 0.4], rel=REL)
    assert list(found["order"]) == [0, 1, 0, 1, 1]
    total = 8.9 / 0.69
    assert value(result.table, "SPA_FOOTPRINT", "A") == pytest.approx(total, rel=REL)
    assert value(result.table, "SPA_COVERED_SHARE", "A") == pytest.approx(10.9 / total, rel=REL)


def year_one() -> MRIO:
    # A1 = [[0.2, 0.1], [0.1, 0.2]], x1 = [100, 200]: Z1 = A1 x1^ = [[20, 20], [10, 40]];
    # Y1 makes Z1 1 + Y1 1 = x1: rows need 60 and 150 -> [[40, 20], [10, 140]];
    # F1 = [5, 40] -> f1 = [0.05, 0.2]
    base = two_region_by_hand()
    import dataclasses

    return dataclasses.replace(
        base,
        Z=pd.DataFrame([[20.0, 20.0], [10.0, 40.0]], index=base.Z.index, columns=base.Z.columns),
        Y=pd.DataFrame([[40.0, 20.0], [10.0, 140.0]], index=base.Y.index, columns=base.Y.columns),
        F=pd.DataFrame([[5.0, 40.0]], index=base.F.index, columns=base.F.columns),
        year=2021,
    )


def test_sda_by_hand() -> None:
    # one sector per region, so u_A = [1, 0], u_B = [0, 1] in both years: export-mix effect 0.
    # L0 = [[0.8, 0.1], [0.3, 0.9]] / 0.69; L1 = (I - A1)^-1 = [[0.8, 0.1], [0.1, 0.8]] / 0.63
    # exporter A, T(a, b) = f_a L_b[:, A]: T00 = 0.14/0.69, T10 = (0.04 + 0.06)/0.69 = 0.10/0.69,
    #   T01 = (0.08 + 0.02)/0.63 = 0.10/0.63, T11 = (0.04 + 0.02)/0.63 = 0.06/0.63
    #   intensity = ((T10 - T00) + (T11 - T01)) / 2 = (-0.04/0.69 - 0.04/0.63) / 2
    #   technology = ((T11 - T10) + (T01 - T00)) / 2 = (0.06/0.63 - 0.10/0.69 + 0.10/0.63 - 0.14/0.69) / 2
    # exporter B: T00 = 0.19/0.69, T10 = 0.185/0.69, T01 = 0.17/0.63, T11 = 0.165/0.63
    first, second = solved(), solve_year(year_one(), solver="dense")
    result = sda.decompose(first, second, bases=("table", "table"), prices="current", deflator=None)
    t = result.table
    assert value(t, "SDA_INTENSITY_EFFECT", "A") == pytest.approx((-0.04 / 0.69 - 0.04 / 0.63) / 2, rel=1e-11)
    technology = (0.06 / 0.63 - 0.10 / 0.69 + 0.10 / 0.63 - 0.14 / 0.69) / 2
    assert value(t, "SDA_TECHNOLOGY_EFFECT", "A") == pytest.approx(technology, rel=1e-11)
    assert value(t, "SDA_EXPORT_MIX_EFFECT", "A") == pytest.approx(0.0, abs=1e-15)
    assert value(t, "SDA_TOTAL_CHANGE", "B") == pytest.approx(0.165 / 0.63 - 0.19 / 0.69, rel=1e-11)
    assert value(t, "SDA_INTENSITY_EFFECT", "B") == pytest.approx(
        (-0.005 / 0.69 - 0.005 / 0.63) / 2, rel=1e-11
    )
    assert set(t["base_year"]) == {2020} and set(t["year"]) == {2021}
    # constant prices: deflator 50 in 2020 and 100 in 2021 (base 2021): f0 is halved, f1 kept
    # -> start level 0.07/0.69 for A, intensity effect ((0.10 - 0.07)/0.69 + (0.06 - 0.05)/0.63) / 2
    deflator = Deflator(pd.Series({2020: 50.0, 2021: 100.0}), 2021, "EUR", "test", "by hand")
    constant = sda.decompose(
        first, second, bases=("table", "table"), prices="constant", deflator=deflator
    ).table
    assert value(constant, "EXPORT_INTENSITY_START", "A") == pytest.approx(0.07 / 0.69, rel=1e-11)
    assert value(constant, "SDA_INTENSITY_EFFECT", "A") == pytest.approx(
        (0.03 / 0.69 + 0.01 / 0.63) / 2, rel=1e-11
    )
    assert set(constant["unit"]) == {"t/M EUR (2021 prices)"}


def test_sda_refuses_extended_years_naming_them() -> None:
    first, second = solved(), solve_year(year_one(), solver="dense")
    with pytest.raises(ValidationError, match=r"2021 \(scaled_table\+emissions\)"):
        sda.decompose(
            first, second, bases=("table", "scaled_table+emissions"), prices="current", deflator=None
        )
    with pytest.raises(ValidationError, match="deflator"):
        sda.decompose(first, second, bases=("table", "table"), prices="constant", deflator=None)


def test_sda_export_mix_effect_alone() -> None:
    # same A and f in both years, only final demand (so the export mix) changes: intensity and
    # technology effects are 0 and the mix effect is the whole change
    from systems import make_mrio, random_arrays

    arrays = random_arrays(3, 3, 3, 2, 1)
    first = solve_year(make_mrio(arrays, 3, 3, 2), solver="dense")
    Y = arrays["Y"] * np.random.default_rng(0).uniform(0.5, 2.0, arrays["Y"].shape)
    x = np.linalg.solve(np.eye(9) - arrays["A"], Y.sum(axis=1))
    changed = {
        "A": arrays["A"],
        "Y": Y,
        "x": x,
        "Z": arrays["A"] * x,
        "F": arrays["F"] / arrays["x"] * x,
        "F_Y": arrays["F_Y"],
    }
    second = solve_year(make_mrio(changed, 3, 3, 2, year=2001), solver="dense")
    t = sda.decompose(first, second, bases=("table", "table"), prices="current", deflator=None).table
    for account in ("SDA_INTENSITY_EFFECT", "SDA_TECHNOLOGY_EFFECT"):
        assert np.abs(t.loc[t["account"] == account, "value"]).max() < 1e-12
    mix = t.loc[t["account"] == "SDA_EXPORT_MIX_EFFECT", "value"].to_numpy()
    total = t.loc[t["account"] == "SDA_TOTAL_CHANGE", "value"].to_numpy()
    assert np.abs(mix).min() > 0
    np.testing.assert_allclose(mix, total, rtol=1e-10)
