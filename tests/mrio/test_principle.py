"""The territorial principle: each region's emissions scaled to its inventory total (mrio.principle)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from systems import make_mrio, random_arrays, two_region_by_hand

from mrio_tools.accounts.national import national_accounts
from mrio_tools.errors import ValidationError
from mrio_tools.mrio.principle import production_totals, to_territorial
from mrio_tools.testing import assert_identities, wide


def test_two_regions_by_hand() -> None:
    # PBA_A = 10 + 1 = 11 t, PBA_B = 40 + 2 = 42 t; inventories 22 t and 21 t (given in kg)
    # -> k_A = 22 / 11 = 2, k_B = 21 / 42 = 0.5: F = [20, 20], F_Y = [2, 1]
    mrio = two_region_by_hand()
    scaled, k = to_territorial(
        mrio, totals=pd.Series({"A": 22_000.0, "B": 21_000.0}), totals_unit="kg", stressor="CO2"
    )
    assert k.to_dict() == pytest.approx({"A": 2.0, "B": 0.5}, rel=1e-15)
    assert scaled.F.to_numpy()[0].tolist() == pytest.approx([20.0, 20.0])
    assert scaled.F_Y.to_numpy()[0].tolist() == pytest.approx([2.0, 1.0])
    assert scaled.notes["emissions_principle"] == "territorial"
    assert scaled.notes["territorial_scale_factors"] == pytest.approx({"A": 2.0, "B": 0.5})
    # the input is not changed
    assert mrio.F.to_numpy().tolist() == [[10.0, 40.0]]
    assert "emissions_principle" not in mrio.notes


def test_every_region_meets_its_inventory_and_identities_hold() -> None:
    regions, sectors, categories = 5, 4, 2
    mrio = make_mrio(random_arrays(3, regions, sectors, categories, 2), regions, sectors, categories)
    # inventories chosen independently of the table: 1.0, 1.5, ... tonnes (stressor unit kg)
    totals = pd.Series([1.0, 1.5, 2.0, 2.5, 3.0], index=[f"r{i}" for i in range(regions)])
    scaled, _k = to_territorial(mrio, totals=totals, totals_unit="t", stressor="e0")
    table = national_accounts(scaled).table
    pba = wide(table, "e0")["PBA"]
    np.testing.assert_allclose(pba.reindex(totals.index).to_numpy(), totals.to_numpy() * 1000.0, rtol=1e-9)
    assert_identities(table)
    # the other stressor is untouched
    pd.testing.assert_series_equal(scaled.F.loc["e1"], mrio.F.loc["e1"])
    pd.testing.assert_series_equal(
        production_totals(scaled, "e1"), production_totals(mrio, "e1"), check_exact=True
    )


def test_missing_or_unreachable_totals_are_refused() -> None:
    mrio = two_region_by_hand()
    with pytest.raises(ValidationError, match="lack regions B"):
        to_territorial(mrio, totals=pd.Series({"A": 1.0}), totals_unit="t", stressor="CO2")
    with pytest.raises(ValidationError, match="negative totals A"):
        to_territorial(mrio, totals=pd.Series({"A": -1.0, "B": 1.0}), totals_unit="t", stressor="CO2")
    with pytest.raises(ValidationError, match="no stressor 'N2O'"):
        to_territorial(mrio, totals=pd.Series({"A": 1.0, "B": 1.0}), totals_unit="t", stressor="N2O")
