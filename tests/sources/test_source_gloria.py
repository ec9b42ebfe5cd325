"""GLORIA 059 reader: files in the publisher's layout with the real read-me's labels (cut to 3 x 2)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fixtures_gloria import member_name, write_hand_folder

from mrio_tools.accounts.national import national_accounts
from mrio_tools.errors import DataFileError, YearNotAvailableError
from mrio_tools.sources.gloria import available_years, read_gloria, table_files
from mrio_tools.sources.registry import SourceRequest, open_source
from mrio_tools.testing import assert_identities


@pytest.fixture(scope="module")
def built(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand system's folder, written once (cutting the real read-me takes seconds)."""
    readme = shared_data / "gloria059_labels" / "GLORIA_ReadMe_059.xlsx"
    return write_hand_folder(readme, tmp_path_factory.mktemp("gloria") / "data", years=(2018, 2019))


@pytest.fixture
def folder(built: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "gloria"))


def test_years_and_files(folder: Path) -> None:
    assert available_years(folder) == [2018, 2019]
    assert [p.name for p in table_files(folder, 2019)] == [
        "GLORIA_ReadMe_059.xlsx",
        "GLORIA_MRIOs_59_2019.zip",
        "GLORIA_SatelliteAccounts_059_2019.zip",
    ]
    with pytest.raises(YearNotAvailableError, match=r"GLORIA_MRIOs_59_2011.zip.*2018, 2019"):
        read_gloria(folder, 2011, construct="industry_by_industry", co2_inventory="edgar")


def test_industry_by_industry_by_hand(folder: Path) -> None:
    mrio = read_gloria(folder, 2019, construct="industry_by_industry", co2_inventory="edgar")
    assert list(mrio.regions) == ["CHN", "DEU", "SSD"]  # SDS -> ISO3 SSD
    assert mrio.monetary_unit == "k USD" and mrio.stressor_units == {"CO2": "kt"}
    s1, s2 = mrio.sectors  # the read-me's first two sector names
    # model D: D = V diag(q)^-1; CHN supply V = [[9, 2], [0, 8]], q = (9, 10) -> D = [[1, 0.2], [0, 0.8]]
    # Z[(CHN,s1),(DEU,s2)] = 1 * U[CHN p1, DEU i2] + 0.2 * U[CHN p2, DEU i2] = 1 * 3 + 0.2 * 5 = 4
    assert mrio.Z.loc[("CHN", s1), ("DEU", s2)] == pytest.approx(4.0)
    # x = D q = V 1: CHN industry 1 supplies 9 + 2 = 11
    assert mrio.gross_output.loc[("CHN", s1)] == pytest.approx(11.0)
    # CO2 = total - land (3B): CHN s1 50 - 5 = 45; DEU s1 30 - (-4) = 34; short-cycle 1000 not counted
    assert mrio.F.loc["CO2", ("CHN", s1)] == pytest.approx(45.0)
    assert mrio.F.loc["CO2", ("DEU", s1)] == pytest.approx(34.0)
    accounts = national_accounts(mrio).table
    pba = accounts[accounts["account"] == "PBA"].set_index("region")["value"]
    # PBA = industries + households: CHN 45 + 20 + 7 = 72; DEU 34 + 10 = 44; SSD 2 + 1 = 3
    assert pba.to_dict() == pytest.approx({"CHN": 72.0, "DEU": 44.0, "SSD": 3.0})
    assert_identities(accounts)
    assert mrio.notes["co2_satellite_rows"]["total"] == 2147
    assert mrio.notes["regions_renamed"] == {"SDS": "SSD"}


def test_product_by_product_by_hand(folder: Path) -> None:
    mrio = read_gloria(folder, 2019, construct="product_by_product", co2_inventory="edgar")
    s1, s2 = mrio.sectors
    # model B: C = diag(g)^-1 V; CHN g = (11, 8) -> C = [[9/11, 2/11], [0, 1]]
    # Z[CHN p1, CHN p2] = U[CHN p1, CHN i1] * 2/11 + U[CHN p1, CHN i2] * 1 = 2/11 + 2
    assert mrio.Z.loc[("CHN", s1), ("CHN", s2)] == pytest.approx(2 / 11 + 2)
    # F_p[CHN p2] = 45 * 2/11 + 20 * 1
    assert mrio.F.loc["CO2", ("CHN", s2)] == pytest.approx(45 * 2 / 11 + 20)
    # x_p = U 1 + Y_p 1 = q: CHN product 1 is 9
    assert mrio.gross_output.loc[("CHN", s1)] == pytest.approx(9.0)
    accounts = national_accounts(mrio).table
    assert_identities(accounts)
    pba = accounts[accounts["account"] == "PBA"].set_index("region")["value"]
    assert pba["CHN"] == pytest.approx(72.0)  # C's rows sum to 1: a region's CO2 is kept


def _edit_t(folder: Path, edit: Callable[[list[str]], None]) -> None:
    """Rewrite the 2019 T-Results member with `edit` applied to its lines."""
    archive = folder / "GLORIA_MRIOs_59_2019.zip"
    with zipfile.ZipFile(archive) as z:
        members = {n: z.read(n) for n in z.namelist()}
    name = member_name("T", 2019)
    lines = members[name].decode().splitlines()
    edit(lines)
    members[name] = ("\n".join(lines) + "\n").encode()
    with zipfile.ZipFile(archive, "w") as z:
        for n, data in members.items():
            z.writestr(n, data)


def test_broken_line_names_the_member_and_line(folder: Path) -> None:
    def cut_field(lines: list[str]) -> None:
        lines[2] = lines[2].rsplit(",", 1)[0]  # line 3 loses its last field

    _edit_t(folder, cut_field)
    with pytest.raises(DataFileError, match=r"T-Results_2019_059_Markup001\(full\)\.csv, line 3, field 12"):
        read_gloria(folder, 2019, construct="industry_by_industry", co2_inventory="edgar")


def test_supply_outside_the_published_structure_is_refused(folder: Path) -> None:
    def foreign_supply(lines: list[str]) -> None:
        fields = lines[0].split(",")  # CHN industry 1
        fields[6] = "1"  # field 7: DEU's first product (DEU: fields 5-8, its products 7-8)
        lines[0] = ",".join(fields)

    _edit_t(folder, foreign_supply)
    with pytest.raises(DataFileError, match=r"line 1, field 7: a non-zero value where supply by an industry"):
        read_gloria(folder, 2019, construct="industry_by_industry", co2_inventory="edgar")


def test_registry_entry_and_options(folder: Path) -> None:
    source = open_source(
        SourceRequest(source="gloria", data=folder, options={"construct": "product_by_product"})
    )
    assert source.years == (2018, 2019)
    mrio = source.load(2018)
    assert mrio.notes["construct"] == "product_by_product"
    assert mrio.notes["source_options"] == {"construct": "product_by_product", "co2_inventory": "edgar"}


def test_series_runs_from_the_command_line(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "series"
    argv = ["series", "--source", "gloria", "--data", str(folder), "--years", "2018-2019"]
    done = subprocess.run(
        [sys.executable, "-m", "mrio_tools", *argv, "--out-dir", str(out), "--no-cache", "--no-progress"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    accounts = pd.read_csv(out / "accounts.csv")
    assert set(accounts["year"]) == {2018, 2019}
    assert_identities(accounts)
    pba = accounts[(accounts["account"] == "PBA") & (accounts["year"] == 2019)].set_index("region")["value"]
    assert np.isclose(pba["CHN"], 72.0)
