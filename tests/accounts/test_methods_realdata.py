"""The methods' identities on real data: WIOD 2013 tables for 2008 with JRC (WIOD 2016) CO2."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_methods_identities import check_all_identities

from mrio_tools.accounts import paths, sda, sectors
from mrio_tools.accounts.inputs import shipped_sector_sets
from mrio_tools.leontief.solved import SolvedYear, solve_year
from mrio_tools.sources.registry import SourceRequest, load_mrio


def wiod_request(shared: Path) -> SourceRequest:
    return SourceRequest(source="wiod2013", data=shared / "wiod2013", emissions=shared / "wiod2016_env")


@pytest.fixture(scope="module")
def wiod2008(shared_data: Path) -> SolvedYear:
    return solve_year(load_mrio(wiod_request(shared_data), 2008), solver="dense")


def test_identities_on_wiod_2008(wiod2008: SolvedYear) -> None:
    check_all_identities(wiod2008)


def test_shipped_sector_sets_transfers_on_wiod_2008(wiod2008: SolvedYear) -> None:
    sets = sectors.sets_for_source(shipped_sector_sets("wiod2013"), "wiod2013")
    result = sectors.sector_transfers(wiod2008, sector_sets=sets, views=["emitting_sector"])
    assert result.flows is not None
    net = result.flows[result.flows["account"] == "NET_TRANSFER_SET_EMITTING"]
    assert set(net["sector"]) == {"basic_metals", "electrical_equipment"}
    # net transfers are antisymmetric: r -> s is minus s -> r
    metals = net[net["sector"] == "basic_metals"].set_index(["origin", "destination"])["value"]
    swapped = metals.copy()
    swapped.index = swapped.index.swaplevel()
    np.testing.assert_allclose(metals, -swapped.reindex(metals.index), atol=1e-9 * metals.abs().max())


def test_paths_at_wiod_size_cover_more_as_the_threshold_falls(wiod2008: SolvedYear) -> None:
    shares = []
    for share in (1e-2, 1e-3, 1e-4):
        result = paths.structural_paths(
            wiod2008, stressor="CO2", region="CHN", threshold_share=share, depth=8
        )
        shares.append(result.metadata["covered_share"])
        assert result.flows is not None and (result.flows["share"] >= share).all()
    assert shares == sorted(shares) and shares[-1] > 0.5


def test_sda_on_wiod_adds_up(wiod2008: SolvedYear, shared_data: Path) -> None:
    other = solve_year(load_mrio(wiod_request(shared_data), 2007), solver="dense")
    table = sda.decompose(other, wiod2008, bases=("table", "table"), prices="current", deflator=None).table
    effects = table[table["account"].isin(sda.EFFECTS)].groupby("region")["value"].sum()
    total = table[table["account"] == "SDA_TOTAL_CHANGE"].set_index("region")["value"]
    np.testing.assert_allclose(effects.reindex(total.index), total, rtol=1e-9, atol=1e-12 * total.abs().max())
