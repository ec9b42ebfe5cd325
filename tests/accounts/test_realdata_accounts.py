"""Accounts on every real set in ../shared/data: docs/methods.md identities, totals and pymrio cross-checks.

Skipped, with the reason, where ../shared/data is absent (users' machines). Expected totals are read
from the raw files here in the test (openpyxl / numpy), never from mrio_tools' readers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest
from test_accounts import assert_equal_to_pymrio

from mrio_tools.accounts.national import national_accounts
from mrio_tools.series.run import accounts_series
from mrio_tools.sources.cml3x8 import read_cml3x8
from mrio_tools.sources.exiobase_agg import read_exiobase_agg_co2
from mrio_tools.sources.registry import SourceRequest, load_mrio
from mrio_tools.testing import assert_identities, wide

pytestmark = pytest.mark.realdata
WIOD_YEARS = list(range(2000, 2012))


def jrc_world_totals(workbook: Path) -> dict[int, float]:
    """kt CO2 per year summed over every country sheet and every row (industries and FC_HH)."""
    book = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
    totals: dict[int, float] = {}
    try:
        for name in book.sheetnames[3:]:  # Notes, Sector, SectorAgr come first
            rows = list(book[name].iter_rows(values_only=True))
            years = [int(y) for y in rows[0][1:] if y is not None]
            for row in rows[1:]:
                if row[0] is None:
                    continue
                for year, value in zip(years, row[1:], strict=False):
                    totals[year] = totals.get(year, 0.0) + float(value or 0.0)
    finally:
        book.close()
    return totals


def test_wiod2013_with_jrc_co2_all_years(shared_data: Path) -> None:
    request = SourceRequest(
        source="wiod2013", data=shared_data / "wiod2013", emissions=shared_data / "wiod2016_env"
    )
    result = accounts_series(request, WIOD_YEARS, progress=False)
    table = result.table
    assert_identities(table)
    expected = jrc_world_totals(shared_data / "wiod2016_env" / "CO2 emissions.xlsx")
    for year in WIOD_YEARS:
        w = wide(table, "CO2", year)
        assert len(w) == 41 and {"ROU", "RoW", "CHN", "USA"} <= set(w.index)
        # world production CO2 is the workbook's world total (CHE, HRV, NOR folded into RoW)
        assert w["PBA"].sum() == pytest.approx(expected[year], rel=1e-9)
    assert result.metadata["stressor_units"] == {"CO2": "kt"}
    # issue 11: the rounded R copy gets docs/methods.md's default for rounded tables, chosen by file form
    assert result.metadata["output_gap_treatment"] == "scale_rows"
    assert "R data package" in result.metadata["output_gap_chosen_by"]


def test_wiod2013_2008_by_the_block_solver_equals_dense(shared_data: Path) -> None:
    request = SourceRequest(
        source="wiod2013", data=shared_data / "wiod2013", emissions=shared_data / "wiod2016_env"
    )
    mrio = load_mrio(request, 2008)
    dense = national_accounts(mrio, solver="dense").table
    block = national_accounts(mrio, solver="block").table
    # relative to each account's largest value: NET_TRANSFER is a small difference of large numbers
    scale = dense.groupby("account")["value"].transform(lambda v: v.abs().max())
    assert ((block["value"] - dense["value"]).abs() <= 1e-9 * scale).all()


def test_exiobase_aggregate_accounts(shared_data: Path) -> None:
    mrio = read_exiobase_agg_co2(shared_data / "exiobase3_agg", year=2019)
    result = national_accounts(mrio)
    assert_identities(result.table)
    assert_equal_to_pymrio(mrio, result.table)
    # world PBA equals the four fossil CO2 rows of PS7_F.txt summed straight from the file
    raw = np.genfromtxt(shared_data / "exiobase3_agg" / "PS7_F.txt", delimiter="\t", dtype=str)
    rows = [
        "CO2 - combustion - air",
        "CO2 - non combustion - Cement production - air",
        "CO2 - non combustion - Lime production - air",
        "CO2 - waste - fossil - air",
    ]
    picked = raw[np.isin(raw[:, 0], rows)]
    assert len(picked) == 4
    assert wide(result.table, "CO2")["PBA"].sum() == pytest.approx(
        picked[:, 1:].astype(float).sum(), rel=1e-12
    )


def test_three_region_2015_table_per_capita(shared_data: Path) -> None:
    folder = shared_data / "cml_3x8_2015"
    mrio = read_cml3x8(folder)
    result = national_accounts(mrio)
    assert_identities(result.table)
    assert_equal_to_pymrio(mrio, result.table)
    w = wide(result.table, "CO2")
    population = np.loadtxt(folder / "pop.txt")
    F = np.loadtxt(folder / "F.txt")
    Fhh = np.loadtxt(folder / "Fhh.txt")
    for i, region in enumerate(["OECD", "BRICS", "ROW"]):
        assert w.loc[region, "CBA_PER_CAPITA"] == pytest.approx(
            w.loc[region, "CBA"] / population[i], rel=1e-12
        )
        assert w.loc[region, "PBA"] == pytest.approx(
            F[0, i * 8 : (i + 1) * 8].sum() + Fhh[0, i * 4 : (i + 1) * 4].sum()
        )
