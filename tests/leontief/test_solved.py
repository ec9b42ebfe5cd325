"""The solved year and the per-account functions: golden files, dense-inverse checks, one factorisation."""

from __future__ import annotations

import dataclasses
import json
import pickle
from typing import Any

import numpy as np
import pandas as pd
import pytest
from golden.cases import CASES, GOLDEN
from systems import make_mrio, random_arrays, two_region_by_hand

import mrio_tools.leontief.factorize
import mrio_tools.leontief.kernels
import mrio_tools.leontief.solved
from mrio_tools import MRIO, ValidationError
from mrio_tools.accounts.national import (
    accounts_of,
    bilateral_flows,
    consumption_based,
    export_intensity_domestic,
    export_intensity_total,
    exports_embodied,
    gross_exports,
    household_direct,
    imports_embodied,
    national_accounts,
    net_transfer,
    per_capita,
    production_based,
)
from mrio_tools.leontief.factorize import LeontiefSystem
from mrio_tools.leontief.solved import SolvedYear, check_same_layout, solve_year
from mrio_tools.schema import ACCOUNT_COLUMNS, FLOW_COLUMNS
from mrio_tools.sources.demo import read_demo
from mrio_tools.testing import assert_identities, wide

RTOL = 1e-12


# ---------------------------------------------------------------------- (a) golden files
def _read_golden(name: str, part: str) -> pd.DataFrame:
    # round_trip: pandas' default float parser is not exact, %.17g needs the exact one
    return pd.read_csv(GOLDEN / f"{name}.{part}.csv", keep_default_na=False, float_precision="round_trip")


def _assert_same_values(got: np.ndarray, expected: np.ndarray, exact: np.ndarray | None) -> None:
    """got == expected to RTOL; with `exact` (the dense LU's values, for a golden file written by an
    iterative solver), a value may differ from the golden one only where the golden value itself misses
    the exact one by more than RTOL (its own iteration error, seen on differences of large numbers such
    as NET_TRANSFER), and then it must be at least as close to the exact value as the golden one."""
    off = ~np.isclose(got, expected, rtol=RTOL, atol=0)
    if exact is None or not off.any():
        np.testing.assert_allclose(got, expected, rtol=RTOL, atol=0)
        return
    golden_error = np.abs(expected - exact)
    assert (golden_error[off] > RTOL * np.abs(exact[off])).all(), "differs where the golden file is exact"
    assert (np.abs(got - exact)[off] <= golden_error[off]).all(), "further from the exact value"


def _assert_same_table(got: pd.DataFrame, expected: pd.DataFrame, exact: pd.DataFrame | None = None) -> None:
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected)
    for column in got.columns:
        if column == "value":
            reference = None if exact is None else exact[column].to_numpy()
            _assert_same_values(got[column].to_numpy(), expected[column].to_numpy(), reference)
        elif column == "year":
            assert (got[column].to_numpy() == expected[column].to_numpy()).all()
        else:
            assert got[column].astype(str).tolist() == expected[column].astype(str).tolist(), column


def _assert_same_json(got: Any, expected: Any, where: str = "metadata") -> None:
    if isinstance(expected, float) and isinstance(got, float):
        assert got == pytest.approx(expected, rel=RTOL), where
    elif isinstance(expected, dict):
        assert isinstance(got, dict) and list(got) == list(expected), where
        for key in expected:
            _assert_same_json(got[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), where
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            _assert_same_json(g, e, f"{where}[{i}]")
    else:
        assert got == expected, where


@pytest.mark.parametrize("name", list(CASES))
def test_refactored_accounts_reproduce_the_golden_files(name: str) -> None:
    """Golden files written by national_accounts before the refactor (tests/golden/make_golden.py)."""
    build, solver = CASES[name]
    result = national_accounts(build(), solver=solver)  # type: ignore[arg-type]
    # golden files of an iterative solver carry its error (up to ~1e-11 on differences): the dense LU
    # of the same table decides where the solver has since become more exact
    exact = national_accounts(build(), solver="dense") if solver == "block" else None
    _assert_same_table(result.table, _read_golden(name, "accounts"), None if exact is None else exact.table)
    _assert_same_table(result.flows, _read_golden(name, "flows"), None if exact is None else exact.flows)
    metadata = json.loads(json.dumps(dict(result.metadata), default=str))
    _assert_same_json(metadata, json.loads((GOLDEN / f"{name}.meta.json").read_text()))


def test_accounts_of_a_solved_year_is_national_accounts() -> None:
    build, solver = CASES["random_population"]
    mrio = build()
    composed = accounts_of(solve_year(mrio, solver=solver))  # type: ignore[arg-type]
    _assert_same_table(composed.table, _read_golden("random_population", "accounts"))
    _assert_same_table(composed.flows, _read_golden("random_population", "flows"))


# ---------------------------------------------------------------------- (b) against a dense inverse
R, S, K, k = 4, 3, 2, 2
POPULATION = np.array([2.0, 5.0, 0.5, 11.0])


@pytest.fixture(scope="module")
def small() -> tuple[dict[str, np.ndarray], MRIO]:
    arrays = random_arrays(21, R, S, K, k, import_density=0.6)
    population = pd.Series(POPULATION, index=pd.Index([f"r{i}" for i in range(R)], name="region"))
    return arrays, make_mrio(arrays, R, S, K, population=population)


@pytest.fixture(scope="module")
def dense(small: tuple[dict[str, np.ndarray], MRIO]) -> dict[str, np.ndarray]:
    """Every quantity with numpy's explicit inverse L = (I - A)^-1 and plain loops (no mrio_tools maths)."""
    a = small[0]
    n = R * S
    A, Z, Y, F, F_Y = a["A"], a["Z"], a["Y"], a["F"], a["F_Y"]
    x = Z.sum(axis=1) + Y.sum(axis=1)
    L = np.linalg.inv(np.eye(n) - A)
    f = F / x
    y = np.stack([Y[:, s * K : (s + 1) * K].sum(axis=1) for s in range(R)], axis=1)
    X = L @ y
    m = f @ L
    E = np.zeros((k, R, R))
    for r in range(R):
        for s in range(R):
            E[:, r, s] = f[:, r * S : (r + 1) * S] @ X[r * S : (r + 1) * S, s]
    household = np.stack([F_Y[:, r * K : (r + 1) * K].sum(axis=1) for r in range(R)], axis=1)
    pba = np.stack([F[:, r * S : (r + 1) * S].sum(axis=1) for r in range(R)], axis=1) + household
    cba = E.sum(axis=1) + household
    eee = np.stack([sum(E[:, r, s] for s in range(R) if s != r) for r in range(R)], axis=1)
    eei = np.stack([sum(E[:, r, s] for r in range(R) if r != s) for s in range(R)], axis=1)
    e = np.zeros(n)
    q, d = np.zeros((k, R)), np.zeros((k, R))
    for r in range(R):
        rows = slice(r * S, (r + 1) * S)
        e_r = np.zeros(n)
        for s in range(R):
            if s != r:
                cols = slice(s * S, (s + 1) * S)
                e_r[rows] += Z[rows, cols].sum(axis=1) + Y[rows, s * K : (s + 1) * K].sum(axis=1)
        e += e_r
        q[:, r] = m @ e_r / e_r.sum()
        d[:, r] = f[:, rows] @ np.linalg.inv(np.eye(S) - A[rows, rows]) @ e_r[rows] / e_r.sum()
    x_exp = np.zeros(n)
    for r in range(R):
        rows = slice(r * S, (r + 1) * S)
        x_exp[rows] = sum(X[rows, s] for s in range(R) if s != r)
    return {
        "f": f, "y": y, "X": X, "m": m, "E": E, "e": e, "x_exp": x_exp, "household": household,
        "PBA": pba, "CBA": cba, "EEE": eee, "EEI": eei, "q": q, "d": d,
        "exports": e.reshape(R, S).sum(axis=1),
    }  # fmt: skip


@pytest.fixture(scope="module")
def solved(small: tuple[dict[str, np.ndarray], MRIO]) -> SolvedYear:
    return solve_year(small[1], solver="dense")


def _values(table: pd.DataFrame, account: str) -> np.ndarray:
    """k x R array of one account, rows in stressor order e0, e1, ..., columns r0, r1, ..."""
    rows = table[table["account"] == account]
    grid = rows.pivot_table(index="stressor", columns="region", values="value", aggfunc="sum")
    return grid.reindex(index=[f"e{i}" for i in range(k)], columns=[f"r{i}" for i in range(R)]).to_numpy()


def _close(got: np.ndarray, expected: np.ndarray) -> None:
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12 * np.abs(expected).max())


def test_solved_year_arrays_against_a_dense_inverse(solved: SolvedYear, dense: dict[str, np.ndarray]) -> None:
    for name in ("f", "y", "X", "m", "E", "e", "x_exp"):
        _close(getattr(solved, name), dense[name])
    _close(solved.e_region, dense["exports"])
    _close(solved.F_Y_region, dense["household"])
    _close(solved.E_domestic, np.stack([dense["E"][:, r, r] for r in range(R)], axis=1))
    assert (solved.R, solved.S, solved.K, solved.k, solved.n) == (R, S, K, k, R * S)


def test_domestic_embodied_against_a_dense_inverse(
    small: tuple[dict[str, np.ndarray], MRIO], solved: SolvedYear, dense: dict[str, np.ndarray]
) -> None:
    A = small[0]["A"]
    B = np.arange(1.0, 1.0 + 2 * S).reshape(S, 2)
    for r in range(R):
        rows = slice(r * S, (r + 1) * S)
        expected = dense["f"][:, rows] @ np.linalg.inv(np.eye(S) - A[rows, rows]) @ B
        _close(solved.domestic_embodied(r, B), expected)


@pytest.mark.parametrize(
    ("function", "account", "key"),
    [
        (production_based, "PBA", "PBA"),
        (consumption_based, "CBA", "CBA"),
        (exports_embodied, "EEE", "EEE"),
        (imports_embodied, "EEI", "EEI"),
        (household_direct, "HOUSEHOLD_DIRECT", "household"),
        (export_intensity_total, "EXPORT_INTENSITY_TOTAL", "q"),
        (export_intensity_domestic, "EXPORT_INTENSITY_DOMESTIC", "d"),
    ],
)
def test_each_account_against_a_dense_inverse(
    function: Any, account: str, key: str, solved: SolvedYear, dense: dict[str, np.ndarray]
) -> None:
    table = function(solved)
    assert tuple(table.columns) == ACCOUNT_COLUMNS
    assert set(table["account"]) == {account} and (table["year"] == 2000).all()
    _close(_values(table, account), dense[key])
    expected_unit = "kg/M EUR" if account.startswith("EXPORT_INTENSITY") else "kg"
    assert set(table["unit"]) == {expected_unit}


def test_net_transfer_gross_exports_and_per_capita(solved: SolvedYear, dense: dict[str, np.ndarray]) -> None:
    _close(_values(net_transfer(solved), "NET_TRANSFER"), dense["PBA"] - dense["CBA"])
    exports = gross_exports(solved)
    assert list(exports["stressor"].unique()) == ["monetary"] and list(exports["unit"].unique()) == ["M EUR"]
    _close(exports["value"].to_numpy(), dense["exports"])
    table = per_capita(solved)
    _close(_values(table, "PBA_PER_CAPITA"), dense["PBA"] / POPULATION)
    _close(_values(table, "CBA_PER_CAPITA"), dense["CBA"] / POPULATION)
    _close(_values(table, "NET_TRANSFER_PER_CAPITA"), (dense["PBA"] - dense["CBA"]) / POPULATION)
    assert set(table["unit"]) == {"kg/capita"}


def test_bilateral_flows_against_a_dense_inverse(solved: SolvedYear, dense: dict[str, np.ndarray]) -> None:
    flows = bilateral_flows(solved)
    assert tuple(flows.columns) == FLOW_COLUMNS
    for i in range(k):
        grid = flows[flows["stressor"] == f"e{i}"].pivot_table(
            index="origin", columns="destination", values="value", aggfunc="sum"
        )
        _close(grid.to_numpy(), dense["E"][i])


def test_per_capita_without_population_names_the_fix(small: tuple[dict[str, np.ndarray], MRIO]) -> None:
    solved = solve_year(dataclasses.replace(small[1], population=None), solver="auto")
    with pytest.raises(ValidationError, match=r"no population.*pass population="):
        per_capita(solved)
    assert not accounts_of(solved).table["account"].str.endswith("PER_CAPITA").any()


def test_two_region_example_by_hand() -> None:
    """Z = [[10, 20], [30, 40]], Y = [[50, 20], [10, 120]] -> x = [100, 200], A = [[.1, .1], [.3, .2]],
    L = [[0.8, 0.1], [0.3, 0.9]] / 0.69; f = [0.1, 0.2]; X = L y = [[41, 28], [24, 114]] / 0.69;
    m = f L = [0.14, 0.19] / 0.69; e = [20 + 20, 30 + 10] = [40, 40]."""
    mrio = two_region_by_hand()
    solved = solve_year(mrio, solver="dense")
    np.testing.assert_allclose(solved.X, np.array([[41.0, 28.0], [24.0, 114.0]]) / 0.69, rtol=1e-13)
    np.testing.assert_allclose(solved.m, np.array([[0.14, 0.19]]) / 0.69, rtol=1e-13)
    np.testing.assert_allclose(solved.e, [40.0, 40.0], rtol=1e-15)
    np.testing.assert_allclose(solved.x_exp, np.array([28.0, 24.0]) / 0.69, rtol=1e-13)
    np.testing.assert_allclose(solved.sales, [[50.0 + 10.0, 20.0 + 20.0], [30.0 + 10.0, 40.0 + 120.0]])


# ---------------------------------------------------------------------- (c) one factorisation
def _count(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    calls = [0]
    original = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


@pytest.mark.parametrize("solver", ["dense", "block"])
def test_all_accounts_factorise_once(monkeypatch: pytest.MonkeyPatch, solver: str) -> None:
    mrio = read_demo(2010)  # before counting: the demo builds its years with a solver of its own
    factorize = _count(monkeypatch, mrio_tools.leontief.solved, "factorize")
    factorize_anywhere = _count(monkeypatch, mrio_tools.leontief.factorize, "factorize")
    lu = _count(monkeypatch, mrio_tools.leontief.kernels, "_getrf")  # every LU is one LAPACK getrf
    solves = _count(monkeypatch, LeontiefSystem, "solve")
    transposed = _count(monkeypatch, LeontiefSystem, "solve_transposed")

    solved = solve_year(mrio, solver=solver)  # type: ignore[arg-type]
    assert factorize == [1]
    # one LU per domestic block, plus the whole (I - A) on the dense path
    regions = len(mrio.regions)
    assert lu == [regions + (solver == "dense")]
    assert solves == [1]

    accounts_of(solved)
    for function in (production_based, consumption_based, exports_embodied, imports_embodied, net_transfer):
        function(solved)
    export_intensity_total(solved)
    export_intensity_domestic(solved)
    bilateral_flows(solved)
    assert solved.m is solved.m
    assert factorize == [1] and factorize_anywhere == [0] and lu == [regions + (solver == "dense")]
    assert solves == [1] and transposed == [1]  # X solved once, m solved once on first use


def test_national_accounts_factorises_once(monkeypatch: pytest.MonkeyPatch) -> None:
    mrio = read_demo(2000)
    factorize = _count(monkeypatch, mrio_tools.leontief.solved, "factorize")
    national_accounts(mrio)
    assert factorize == [1]


def test_a_solved_year_is_frozen_and_travels(solved: SolvedYear) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        solved.X = solved.X  # type: ignore[misc]
    for name in ("f", "y", "X", "m", "E", "e", "sales"):
        with pytest.raises(ValueError, match="read-only"):
            getattr(solved, name)[0] = 0.0
    copy = pickle.loads(pickle.dumps(solved))  # a Dask worker receives it this way
    _assert_same_table(accounts_of(copy).table, accounts_of(solved).table)


def test_check_same_layout(small: tuple[dict[str, np.ndarray], MRIO], solved: SolvedYear) -> None:
    check_same_layout(solved, solve_year(small[1], solver="block"))
    other = make_mrio(random_arrays(1, R + 1, S, K, k), R + 1, S, K)
    with pytest.raises(ValidationError, match=r"differ in their regions.*only in the second: r4"):
        check_same_layout(solved, solve_year(other, solver="auto"))


# ---------------------------------------------------------------------- (d) docs/methods.md identities
@pytest.mark.parametrize("year", [1990, 2005, 2019])
def test_identities_on_the_composed_demo_accounts(year: int) -> None:
    result = accounts_of(solve_year(read_demo(year), solver="auto"))
    assert_identities(result.table)
    flows = result.flows
    for stressor in flows["stressor"].unique():
        grid = flows[flows["stressor"] == stressor].pivot_table(
            index="origin", columns="destination", values="value", aggfunc="sum"
        )
        w = wide(result.table, stressor)
        np.testing.assert_allclose(
            grid.sum(axis=1), (w["PBA"] - w["HOUSEHOLD_DIRECT"])[grid.index], rtol=1e-9
        )
        np.testing.assert_allclose(
            grid.sum(axis=0), (w["CBA"] - w["HOUSEHOLD_DIRECT"])[grid.columns], rtol=1e-9
        )


@pytest.mark.parametrize("seed", range(4))
def test_identities_on_composed_random_accounts(seed: int) -> None:
    mrio = make_mrio(random_arrays(seed, 5, 3, 2, 2, import_density=0.3), 5, 3, 2)
    assert_identities(accounts_of(solve_year(mrio, solver="auto")).table, partition_seed=seed)
