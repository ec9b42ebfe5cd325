"""EXIOBASE 3, Eora26 and OECD ICIO read from small files in their publishers' layouts (publisher_layouts)"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from publisher_layouts import eora26_zip, exiobase3_zip, icio_csv, icio_emissions_csv

from mrio_tools.accounts.national import national_accounts
from mrio_tools.errors import DataFileError
from mrio_tools.sources.emissions_csv import read_emissions_csv
from mrio_tools.sources.eora26 import read_eora26
from mrio_tools.sources.exiobase3 import read_exiobase3
from mrio_tools.sources.harmonise import gwp100, read_exchange_rates
from mrio_tools.sources.oecd_icio import attach_co2, read_icio
from mrio_tools.sources.oecd_teco2 import read_teco2_sheet
from mrio_tools.testing import assert_identities, wide


def _pba(mrio: object, stressor: str) -> pd.Series:
    table = national_accounts(mrio).table  # type: ignore[arg-type]
    assert_identities(table)
    return wide(table, stressor)["PBA"]


# ------------------------------------------------------------------ EXIOBASE 3
def test_exiobase3_fixture_by_hand(tmp_path: Path) -> None:
    mrio = read_exiobase3(exiobase3_zip(tmp_path), year=2019, gwp_set="AR6", rates=None)
    assert list(mrio.regions) == ["AUT", "DEU", "WA"]  # ISO2 AT, DE -> ISO3; WA (RoW Asia) kept
    assert mrio.monetary_unit == "M EUR" and mrio.stressor_units == {"CO2": "kg", "GHG": "kg CO2-eq"}
    pba = _pba(mrio, "CO2")
    # AT: combustion 100 + 200, cement 10, lime 5, fossil waste 1 + 2, households' combustion 50
    # (peat decay 1000 and biogenic 500 + 500 left out) = 368 kg; DE twice, WA three times
    assert pba["AUT"] == pytest.approx(368.0)
    assert pba["DEU"] == pytest.approx(736.0)
    ghg = _pba(mrio, "GHG")
    # 368 + 29.8 x fossil CH4 (combustion 2 + 4 + households 1) + 27.0 x non-fossil CH4 (agriculture
    # 10) + 273 x N2O (1 + 1) + 24300 x SF6 0.01 + HFC 3 + PFC 1
    # = 368 + 208.6 + 270 + 546 + 243 + 4 = 1639.6 kg CO2-eq
    assert ghg["AUT"] == pytest.approx(1639.6)
    ar5 = _pba(read_exiobase3(exiobase3_zip(tmp_path / "b"), year=2019, gwp_set="AR5", rates=None), "GHG")
    # AR5, one CH4 value: 368 + 28 x 17 + 265 x 2 + 23500 x 0.01 + 4 = 368 + 476 + 530 + 235 + 4 = 1613
    assert ar5["AUT"] == pytest.approx(1613.0)


def test_exiobase3_to_usd_with_a_rate_file(tmp_path: Path) -> None:
    rates_file = tmp_path / "exchange_rates.csv"
    rates_file.write_text("year,currency,usd_per_unit,source\n2019,EUR,1.25,test rate\n", encoding="utf-8")
    eur = read_exiobase3(exiobase3_zip(tmp_path / "a"), year=2019, gwp_set="AR6", rates=None)
    usd = read_exiobase3(
        exiobase3_zip(tmp_path / "b"), year=2019, gwp_set="AR6", rates=read_exchange_rates(rates_file)
    )
    assert usd.monetary_unit == "M USD"
    # Z of AT paddy -> AT paddy is 0.01 x 1 x 1 = 0.01 M EUR, so 0.0125 M USD at 1.25 USD/EUR
    assert usd.Z.iloc[0, 0] == pytest.approx(0.0125)
    assert np.allclose(usd.F.to_numpy(), eur.F.to_numpy())  # emissions do not change
    assert usd.notes["currency_conversion"]["usd_per_unit"] == 1.25


def test_exchange_rate_file_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "rates.csv"
    path.write_text(
        "year,currency,usd_per_unit,source\n2019,EUR,1.1,ECB\n2020,EUR,-1,ECB\n", encoding="utf-8"
    )
    with pytest.raises(DataFileError, match=r"rates.csv, line 3: usd_per_unit '-1'"):
        read_exchange_rates(path)
    path.write_text("year,currency,rate\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="line 1: columns"):
        read_exchange_rates(path)


def test_gwp100_shipped_factors() -> None:
    # docs/methods.md, "Greenhouse gases in CO2 equivalents": AR6 fossil CH4 29.8, non-fossil 27.0,
    # N2O 273; AR5 CH4 28, N2O 265
    ar6, ar5 = gwp100("AR6"), gwp100("AR5")
    assert (ar6["CH4_fossil"], ar6["CH4_nonfossil"], ar6["N2O"], ar6["CO2"]) == (29.8, 27.0, 273, 1)
    assert (ar5["CH4_fossil"], ar5["CH4_nonfossil"], ar5["N2O"]) == (28, 28, 265)


# ------------------------------------------------------------------ Eora26
def test_eora26_fixture_by_hand(tmp_path: Path) -> None:
    mrio = read_eora26(eora26_zip(tmp_path), year=2010, gwp_set="AR6")
    assert list(mrio.regions) == ["AUT", "CHN", "USA"]  # ROW (one sector) dropped by pymrio
    assert mrio.monetary_unit == "k USD" and mrio.stressor_units["CO2"] == "kt"
    # ROW: x = T row 0.01 x 1 x (1+1+2+2+3+3+1 = 13) = 0.13 plus FD 24 columns x 10 = 240; total 240.13
    assert mrio.notes["row_dropped"]["row_gross_output_k_usd"] == pytest.approx(240.13)
    pba = _pba(mrio, "CO2")
    # AUT: electricity 40 + cement 3 + households 7 (forest fires 70 left out) = 50 kt; CHN x2, USA x3
    assert pba["AUT"] == pytest.approx(50.0)
    assert pba["USA"] == pytest.approx(150.0)
    # GHG: 50 + 27.0 x non-fossil CH4 (enteric fermentation, IPCC 4A) 2 + 273 x N2O 0.1
    # = 50 + 54 + 27.3 = 131.3 kt CO2-eq
    assert _pba(mrio, "GHG")["AUT"] == pytest.approx(131.3)


# ------------------------------------------------------------------ OECD ICIO
CSV_ROWS = [("AUS", "D35", 2018, 100.0), ("AUS", "D01T02", 2018, 10.0), ("CHN", "D35", 2018, 1000.0),
            ("ROW", "D35", 2018, 500.0), ("DEU", "D35", 2018, 40.0)]  # fmt: skip


def test_icio_user_csv_by_hand(tmp_path: Path) -> None:
    table = read_emissions_csv(icio_emissions_csv(tmp_path / "em", CSV_ROWS))
    path = icio_csv(tmp_path / "icio")
    agg = _pba(
        attach_co2(read_icio(path, year=2018, split_regions="aggregate"), table, principle="territorial"),
        "CO2",
    )
    # AUS 100 + 10 = 110 Mt; CHN 1000 (CN1 + CN2 summed into CHN); ROW 500 + DEU 40 folded in = 540
    assert agg.to_dict() == pytest.approx({"AUS": 110.0, "CHN": 1000.0, "ROW": 540.0})
    keep = _pba(
        attach_co2(read_icio(path, year=2018, split_regions="keep"), table, principle="territorial"), "CO2"
    )
    # kept: CHN's 1000 split by gross output of industry 35: x = w (0.01 x 45 x 7 + 10 x 18), w CN1 3,
    # CN2 1, CHN 0, so CN1 gets 3/4 = 750, CN2 250, CHN 0
    assert keep.to_dict() == pytest.approx(
        {"AUS": 110.0, "CHN": 0.0, "ROW": 540.0, "CN1": 750.0, "CN2": 250.0}
    )


def test_icio_aggregate_matches_pymrio_parse_oecd(tmp_path: Path) -> None:
    import pymrio

    path = icio_csv(tmp_path)
    ours = read_icio(path, year=2018, split_regions="aggregate")
    theirs = pymrio.parse_oecd(path)
    assert np.allclose(ours.Z.to_numpy(), theirs.Z.to_numpy())
    assert np.allclose(ours.Y.to_numpy().sum(), theirs.Y.to_numpy().sum())


def test_icio_with_the_real_teco2_sheet(tmp_path: Path, shared_data: Path) -> None:
    teco2 = read_teco2_sheet(shared_data / "icio2021_teco2" / "ICIO_Co2_2018.xlsx")
    for split in ("aggregate", "keep"):
        mrio = attach_co2(
            read_icio(icio_csv(tmp_path / split), year=2018, split_regions=split),
            teco2,
            principle="residence",
        )
        pba = _pba(mrio, "CO2")
        # every TECO2 tonne is placed: the world total of the sheet is kept
        assert pba.sum() == pytest.approx(float(teco2["value"].sum()))
        assert pba["AUS"] == pytest.approx(float(teco2.loc[teco2["region"] == "AUS", "value"].sum()))


def test_icio_empty_cell_is_an_error(tmp_path: Path) -> None:
    path = icio_csv(tmp_path)
    lines = path.read_text().splitlines()
    cells = lines[3].split(",")
    cells[5] = ""
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFileError, match="line 4: empty cell"):
        read_icio(path, year=2018, split_regions="aggregate")


# ------------------------------------------------------------------ command line
def _series(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mrio_tools", "series", *args, "--out-dir", str(tmp_path / "out")]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("source", ["exiobase3", "eora26", "oecd_icio"])
def test_series_runs_on_each_fixture(tmp_path: Path, source: str) -> None:
    if source == "exiobase3":
        args = ["--data", str(exiobase3_zip(tmp_path / "exio").parent), "--years", "2019"]
    elif source == "eora26":
        args = ["--data", str(eora26_zip(tmp_path / "eora").parent), "--years", "2010"]
    else:
        em = icio_emissions_csv(tmp_path / "em", CSV_ROWS)
        args = ["--data", str(icio_csv(tmp_path / "icio").parent), "--emissions", str(em),
                "--icio-emissions", "csv", "--principle", "territorial", "--years", "2018"]  # fmt: skip
    done = _series(tmp_path, "--source", source, *args)
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "out" / "accounts.csv")
    assert set(table["stressor"]) >= {"CO2"}
    assert (table["basis"] == "table").all()


def test_sources_lists_the_publishers() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mrio_tools", "sources"], capture_output=True, text=True, check=True
    )
    for name in ("exiobase3", "eora26", "oecd_icio"):
        assert name in done.stdout
    assert "--split-regions aggregate|keep" in done.stdout and "--gwp AR6|AR5" in done.stdout


def test_series_extends_eora26_past_its_tables(tmp_path: Path, shared_data: Path) -> None:
    national = shared_data / "owid_co2_2025" / "owid-co2-data-extract.csv"
    eora = eora26_zip(tmp_path / "eora").parent
    args = [
        "--source",
        "eora26",
        "--data",
        str(eora),
        "--years",
        "2010-2011",
        "--extend",
        "--national",
        str(national),
    ]
    done = _series(tmp_path, *args)
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "out" / "accounts.csv")
    pba = table[(table["account"] == "PBA") & (table["stressor"] == "CO2") & (table["region"] == "AUT")]
    owid = pd.read_csv(national)
    austria = owid[owid["country"] == "Austria"].set_index("year")["co2"]
    # 2011 has no Eora file here: AUT's 50 kt of 2010 scaled by its territorial CO2 2011 / 2010
    # (OWID: 69.892 / 72.0 Mt), so 48.536 kt
    got = pba.set_index("year")
    assert got.loc[2011, "basis"] == "scaled_table+scaled_emissions"
    assert got.loc[2011, "value"] == pytest.approx(50.0 * austria[2011] / austria[2010])


def test_publisher_errors_name_the_file_and_the_fix(tmp_path: Path) -> None:
    from mrio_tools.errors import YearNotAvailableError
    from mrio_tools.sources.registry import SourceRequest, load_mrio

    exio = exiobase3_zip(tmp_path / "exio")
    stripped = tmp_path / "bare" / exio.name
    stripped.parent.mkdir()
    with zipfile.ZipFile(exio) as src, zipfile.ZipFile(stripped, "w") as dst:
        for item in src.namelist():
            if "/satellite/" not in item:
                dst.writestr(item, src.read(item))
    with pytest.raises(DataFileError, match="no extension holds the row 'CO2 - combustion - air'"):
        read_exiobase3(stripped, year=2019, gwp_set="AR6", rates=None)
    usd = SourceRequest(source="exiobase3", data=exio.parent, options={"currency": "USD"})
    with pytest.raises(DataFileError, match=r"exchange_rates.csv: missing"):
        load_mrio(usd, 2019)
    eora = SourceRequest(source="eora26", data=eora26_zip(tmp_path / "eora").parent)
    with pytest.raises(YearNotAvailableError, match="2010"):
        load_mrio(eora, 2011)
    icio = SourceRequest(
        source="oecd_icio",
        data=icio_csv(tmp_path / "icio").parent,
        emissions=icio_emissions_csv(tmp_path / "em", CSV_ROWS),
        options={"icio_emissions": "csv"},
    )
    with pytest.raises(DataFileError, match="--principle residence or --principle territorial"):
        load_mrio(icio, 2018)
