"""Stressor definitions: picking and summing rows of F and F_Y, with units, recorded in the notes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pymrio
import pytest
from systems import make_mrio, random_arrays

from mrio_tools import MRIO
from mrio_tools.cli import main
from mrio_tools.errors import UnitError, ValidationError
from mrio_tools.mrio.stressors import define_stressors


def three_stressors() -> MRIO:
    return make_mrio(random_arrays(4, 3, 2, 2, 3), 3, 2, 2)


def test_sum_of_rows_with_unit_conversion() -> None:
    mrio = dataclasses.replace(three_stressors(), stressor_units={"e0": "kg", "e1": "t", "e2": "kg"})
    out = define_stressors(mrio, {"total": ["e0", "e1"]}, unit="kg")
    expected = mrio.F.loc["e0"].to_numpy() + 1000 * mrio.F.loc["e1"].to_numpy()
    np.testing.assert_allclose(out.F.loc["total"].to_numpy(), expected, rtol=1e-15)
    np.testing.assert_allclose(
        out.F_Y.loc["total"].to_numpy(), mrio.F_Y.loc["e0"].to_numpy() + 1000 * mrio.F_Y.loc["e1"].to_numpy()
    )
    assert out.stressor_units == {"total": "kg"}
    assert out.notes["stressor_definition"] == {"total": {"rows": ["e0", "e1"], "unit": "kg"}}


def test_mixed_units_need_an_explicit_unit() -> None:
    mrio = dataclasses.replace(three_stressors(), stressor_units={"e0": "kg", "e1": "t", "e2": "kg"})
    with pytest.raises(UnitError, match="different units"):
        define_stressors(mrio, {"total": ["e0", "e1"]}, unit=None)


def test_unknown_row_lists_close_names() -> None:
    with pytest.raises(ValidationError, match=r"rows \['e9'\].*Closest names"):
        define_stressors(three_stressors(), {"x": ["e9"]}, unit=None)


def test_cli_sums_rows_of_a_pymrio_save(tmp_path: Path) -> None:
    test = pymrio.load_test()
    test.save_all(tmp_path / "saved")
    out = tmp_path / "a.csv"
    args = ["accounts", "--source", "pymrio", "--data", str(tmp_path / "saved"), "--year", "2010"]
    args += ["--stressor", "emission_type1 - air", "--stressor", "emission_type2 - water"]
    assert main([*args, "--stressor-name", "both", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    pba = table[table["account"] == "PBA"]
    assert set(pba["stressor"]) == {"both"}
    # world PBA = all of both stressors in F and F_Y, summed here from pymrio's own frames
    expected = test.emissions.F.to_numpy().sum() + test.emissions.F_Y.to_numpy().sum()
    assert pba["value"].sum() == pytest.approx(expected, rel=1e-12)
