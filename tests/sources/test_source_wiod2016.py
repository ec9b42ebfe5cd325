"""WIOD 2016 reader: a workbook in the 2016 release's layout (2 countries + ROW x 56 sectors) and JRC CO2."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from fixtures_wiod2016 import hand_co2, write_jrc, write_workbook

from mrio_tools.accounts.national import national_accounts
from mrio_tools.errors import DataFileError, ValidationError, YearNotAvailableError
from mrio_tools.sources.registry import SourceRequest, open_source
from mrio_tools.sources.wiod2016 import available_years, read_wiod2016
from mrio_tools.testing import assert_identities

YEARS = [2013, 2014]


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("wiod2016")
    data, emissions = base / "data", base / "env"
    data.mkdir()
    emissions.mkdir()
    for year in YEARS:
        write_workbook(data, year)
    write_jrc(emissions / "CO2 emissions.xlsx", hand_co2(YEARS), YEARS)
    return data, emissions


def test_table_by_hand(folders: tuple[Path, Path]) -> None:
    data, _ = folders
    assert available_years(data) == YEARS
    mrio = read_wiod2016(data, 2014)
    assert list(mrio.regions) == ["AUS", "CHN", "ROW"] and len(mrio.sectors) == 56
    assert list(mrio.categories) == ["CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN"]
    # x = Z1 + Y1 = 168 cells x 0.5 + 15 cells x 1 = 84 + 15 = 99; published GO is 100 -> gap 1
    assert mrio.gross_output.to_numpy() == pytest.approx(99.0)
    assert mrio.notes["output_residual"]["max_abs"] == pytest.approx(1.0)
    assert mrio.value_added is not None
    assert mrio.value_added.loc["VA"].to_numpy() == pytest.approx(100.0 - 84.0)


def test_co2_attached_without_concordance_by_hand(folders: tuple[Path, Path]) -> None:
    data, emissions = folders
    mrio = open_source(SourceRequest(source="wiod2016", data=data, emissions=emissions)).load(2014)
    assert mrio.stressor_units == {"CO2": "kt"}
    assert mrio.F.loc["CO2", ("CHN", "D35")] == 1000.0
    assert mrio.F_Y.loc["CO2", ("CHN", "CONS_h")] == 50.0
    accounts = national_accounts(mrio).table
    assert_identities(accounts)
    wide = accounts.pivot_table(index="region", columns="account", values="value")
    # PBA: CHN 55 x 1 + 1000 + 50 = 1105; AUS and ROW 56 + 2 = 58
    assert wide["PBA"].to_dict() == pytest.approx({"AUS": 58.0, "CHN": 1105.0, "ROW": 58.0})
    # every product's final use is split equally over the 3 regions, so each region's footprint of
    # industry CO2 is a third of (55 + 1000 + 56 + 56) = 1167 / 3 = 389, plus its households' own
    assert wide["CBA"].to_dict() == pytest.approx({"AUS": 391.0, "CHN": 439.0, "ROW": 391.0})


def test_workbook_in_the_publishers_archive(folders: tuple[Path, Path], tmp_path: Path) -> None:
    data, _ = folders
    with zipfile.ZipFile(tmp_path / "WIOTS_in_EXCEL.zip", "w") as z:
        z.write(data / "WIOT2014_Nov16_ROW.xlsx", "WIOT2014_Nov16_ROW.xlsx")
    assert available_years(tmp_path) == [2014]
    assert read_wiod2016(tmp_path, 2014).gross_output.sum() == pytest.approx(168 * 99.0)


def test_errors_name_the_cell_and_the_regions(folders: tuple[Path, Path], tmp_path: Path) -> None:
    data, _ = folders
    with pytest.raises(YearNotAvailableError, match=r"WIOT2009_Nov16_ROW.*2013, 2014"):
        read_wiod2016(data, 2009)
    import openpyxl

    book = openpyxl.load_workbook(data / "WIOT2014_Nov16_ROW.xlsx")
    book.active["A9"] = "XX"  # the third industry row's code
    book.save(tmp_path / "WIOT2014_Nov16_ROW.xlsx")
    with pytest.raises(DataFileError, match=r"cell A9: code 'XX'"):
        read_wiod2016(tmp_path, 2014)
    env = tmp_path / "env"
    env.mkdir()
    co2 = hand_co2(YEARS)
    del co2["RoW"]
    write_jrc(env / "CO2 emissions.xlsx", co2, YEARS)
    request = SourceRequest(source="wiod2016", data=data, emissions=env)
    with pytest.raises(ValidationError, match=r"table regions without a sheet: ROW"):
        open_source(request).load(2014)


def test_jrc_workbook_read_once_per_file_version(folders: tuple[Path, Path], tmp_path: Path) -> None:
    import os
    import shutil

    from mrio_tools.sources.wiod_env import jrc_co2_once

    workbook = Path(shutil.copy(folders[1] / "CO2 emissions.xlsx", tmp_path / "CO2 emissions.xlsx"))
    path, first = jrc_co2_once(tmp_path)
    assert path == workbook and jrc_co2_once(workbook)[1] is first  # one read serves every caller
    stat = workbook.stat()
    os.utime(workbook, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert jrc_co2_once(workbook)[1] is not first  # a changed file is read again


def test_series_runs_from_the_command_line(folders: tuple[Path, Path], tmp_path: Path) -> None:
    data, emissions = folders
    out = tmp_path / "series"
    argv = ["series", "--source", "wiod2016", "--data", str(data), "--emissions", str(emissions)]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mrio_tools",
            *argv,
            "--years",
            "2013-2014",
            "--out-dir",
            str(out),
            "--no-cache",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    accounts = pd.read_csv(out / "accounts.csv")
    assert set(accounts["year"]) == set(YEARS)
    assert_identities(accounts)
