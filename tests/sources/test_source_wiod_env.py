"""Tests of the JRC WIOD CO2 reader on mock workbooks in the published layout, and of CO2 on WIOD 2013.

The mock workbook copies the layout of ``CO2 emissions.xlsx`` (Corsatea et al. 2019, JRC116234):
sheets Notes, Sector, SectorAgr, then one per country; on those, years as text from B1, the 56 WIOD
2016 sector codes and FC_HH from A2, kt CO2. Real-data tests read ../shared/data and compare with
numbers read straight from the workbook with openpyxl.
"""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest

from mrio_tools import MRIO
from mrio_tools.errors import ConcordanceError, DataFileError, ValidationError, YearNotAvailableError
from mrio_tools.sources.wiod2013 import read_wiod2013
from mrio_tools.sources.wiod_env import attach_jrc_co2, attach_jrc_co2_table, read_jrc_co2

#: the 56 WIOD 2016 sector codes (the workbook's Sector sheet) and the household row
SECTORS_2016 = [
    "A01", "A02", "A03", "B", "C10-C12", "C13-C15", "C16", "C17", "C18", "C19", "C20", "C21", "C22",
    "C23", "C24", "C25", "C26", "C27", "C28", "C29", "C30", "C31_C32", "C33", "D35", "E36", "E37-E39",
    "F", "G45", "G46", "G47", "H49", "H50", "H51", "H52", "H53", "I", "J58", "J59_J60", "J61",
    "J62_J63", "K64", "K65", "K66", "L68", "M69_M70", "M71", "M72", "M73", "M74_M75", "N", "O84",
    "P85", "Q", "R_S", "T", "U",
]  # fmt: skip
ROWS = [*SECTORS_2016, "FC_HH"]
YEARS = [2009, 2010, 2011]
COUNTRIES = ["AUT", "ROU", "CHE", "RoW"]
WIOD2013_SECTORS = [f"c{i}" for i in range(1, 36)]
CATEGORIES = ["c37", "c38", "c39", "c41", "c42"]
CONCORDANCE_CSV = (
    Path(__file__).resolve().parents[2] / "mrio_tools/data/concordances/wiod2016_to_wiod2013.csv"
)


# ------------------------------------------------------------ mock files
def mock_values(seed: int = 7) -> dict[str, np.ndarray]:
    """kt CO2 per country: (57 rows, len(YEARS)), a few zeros, FC_HH largest."""
    rng = np.random.default_rng(seed)
    values = {}
    for country in COUNTRIES:
        array = rng.uniform(0, 100, (len(ROWS), len(YEARS))) * (rng.random((len(ROWS), len(YEARS))) > 0.1)
        array[-1] *= 50
        array[ROWS.index("G45")] += 1.0  # never zero: AUT's G45 must use its fallback in the mock table
        # 6 decimals: a float that the xlsx text form (15 significant digits) holds exactly
        array = np.round(array, 6)
        values[country] = array
    return values


def write_jrc_workbook(path: Path, values: dict[str, np.ndarray], years: list[int] = YEARS) -> Path:
    """Write a workbook in the layout of the JRC ``CO2 emissions.xlsx`` (module docstring)."""
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes["A2"], notes["B2"] = "Time series ", "CO2 Emission Accounts"
    notes["A3"] = "Source: European Commission, Joint Research Centre, July 2019 release"
    notes["A5"], notes["A6"] = "Variable", "CO2 Emission in kt"
    notes["A8"], notes["A9"] = "Notes", "Series 2000-2016 are consistent with NACE Rev.2 classification"
    sector = book.create_sheet("Sector")
    sector["B2"], sector["C2"] = "Code", "Description"
    for i, code in enumerate(ROWS, start=3):
        sector.cell(row=i, column=2, value=code)
        sector.cell(row=i, column=3, value=f"description of {code}")
    agr = book.create_sheet("SectorAgr")
    agr["A1"], agr["B1"] = "IndustryAgr", "IndustryDescriptionAgr"
    for country, array in values.items():
        sheet = book.create_sheet(country)
        for j, year in enumerate(years, start=2):
            sheet.cell(row=1, column=j, value=str(year))
        for i, code in enumerate(ROWS, start=2):
            sheet.cell(row=i, column=1, value=code)
            for j in range(len(years)):
                sheet.cell(row=i, column=j + 2, value=float(array[i - 2, j]))
    # like the published MEX sheet: formatted empty cells below and right of the data
    book[COUNTRIES[0]].cell(row=len(ROWS) + 3, column=len(years) + 4).number_format = "0.00"
    book.save(path)
    return path


def edit_cell(path: Path, sheet: str, cell: str, value: Any) -> Path:
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    book.save(path)
    return path


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return write_jrc_workbook(tmp_path / "CO2 emissions.xlsx", mock_values())


# ------------------------------------------------------------ the reader
def test_mock_workbook_read_back(workbook: Path) -> None:
    values = mock_values()
    table = read_jrc_co2(workbook)
    assert list(table.columns) == ["country", "sector", "year", "value"]
    assert len(table) == len(COUNTRIES) * len(ROWS) * len(YEARS)
    assert table.attrs["unit"] == "kt" and "JRC116234" in table.attrs["source"]
    assert table.attrs["file"] == "CO2 emissions.xlsx"
    assert table["year"].dtype == np.int64 and table["value"].dtype == np.float64
    assert list(table["country"].unique()) == COUNTRIES
    assert list(table["sector"].unique()) == ROWS
    for country in COUNTRIES:
        # in the workbook's order: sheet, then row, then year
        got = table.loc[table["country"] == country, "value"].to_numpy().reshape(len(ROWS), len(YEARS))
        np.testing.assert_array_equal(got, values[country])
    assert table.iloc[1][["country", "sector", "year"]].tolist() == ["AUT", "A01", 2010]
    assert table.iloc[len(YEARS)][["country", "sector", "year"]].tolist() == ["AUT", "A02", 2009]


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "message"),
    [
        ("AUT", "A5", "BX", r"sheet 'AUT', row 5 \(cell A5\): label 'BX', expected 'B'"),
        ("ROU", "C11", "n/a", r"sheet 'ROU', row 11 \(C19\), cell C11 \(2010\): 'n/a' is not a number"),
        ("ROU", "D58", None, r"sheet 'ROU', row 58 \(FC_HH\), cell D58 \(2011\): None is not a number"),
        (
            "CHE",
            "B2",
            -1.5,
            r"sheet 'CHE', row 2 \(A01\), cell B2 \(2009\): -1.5 is not a finite non-negative",
        ),
        ("AUT", "C1", "20x0", r"sheet 'AUT', cell C1: '20x0' is not a year"),
        ("RoW", "D1", "2012", r"sheet 'RoW': years 2009\.\.2012 differ from sheet 'AUT' \(2009\.\.2011\)"),
        ("AUT", "F3", 5.0, r"sheet 'AUT', cell F3: a value right of the last year column"),
        ("Notes", "A6", "CO2 Emission in t", r"sheet 'Notes': no cell says 'CO2 Emission in kt'"),
    ],
)
def test_layout_errors_name_file_sheet_and_cell(
    workbook: Path, sheet: str, cell: str, value: Any, message: str
) -> None:
    edit_cell(workbook, sheet, cell, value)
    with pytest.raises(DataFileError, match=message) as err:
        read_jrc_co2(workbook)
    assert str(workbook) in str(err.value)


def test_missing_row_sheet_name_and_file_errors(workbook: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    book["ROU"].delete_rows(30)
    book["CHE"].title = "Swiss"
    book.save(workbook)
    with pytest.raises(DataFileError, match=r"sheets \['Swiss'\] are not ISO3 country codes or 'RoW'"):
        read_jrc_co2(workbook)
    book["Swiss"].title = "CHE"
    book.save(workbook)
    with pytest.raises(DataFileError, match=r"sheet 'ROU': 56 data rows, expected 57"):
        read_jrc_co2(workbook)
    with pytest.raises(DataFileError, match=r"absent\.xlsx: no such file"):
        read_jrc_co2(tmp_path / "absent.xlsx")
    text = tmp_path / "text.xlsx"
    text.write_text("not a workbook")
    with pytest.raises(DataFileError, match=r"text\.xlsx: not a readable xlsx workbook"):
        read_jrc_co2(text)


# ------------------------------------------------- CO2 on a WIOD 2013 table
def mock_wiod2013(year: int) -> MRIO:
    """AUT, ROU, RoW x c1..c35, categories c37..c42; AUT's c19 (motor-vehicle trade) has no output."""
    rng = np.random.default_rng(3)
    regions = ["AUT", "ROU", "RoW"]
    rows = pd.MultiIndex.from_product([regions, WIOD2013_SECTORS], names=["region", "sector"])
    cols = pd.MultiIndex.from_product([regions, CATEGORIES], names=["region", "category"])
    n = len(rows)
    Z = rng.uniform(0, 1, (n, n))
    Y = rng.uniform(20, 60, (n, len(cols)))
    Z[18, :] = Z[:, 18] = Y[18, :] = 0.0  # ("AUT", "c19")
    empty = pd.Index([], name="stressor", dtype=object)
    return MRIO(
        Z=pd.DataFrame(Z, index=rows, columns=rows),
        Y=pd.DataFrame(Y, index=rows, columns=cols),
        F=pd.DataFrame(np.zeros((0, n)), index=empty, columns=rows),
        F_Y=pd.DataFrame(np.zeros((0, len(cols))), index=empty, columns=cols),
        monetary_unit="M USD",
        stressor_units={},
        source="mock wiod2013",
        version="mock",
        year=year,
        price_basis="current",
    )


def test_attach_jrc_co2_preserves_country_totals_and_folds_che(workbook: Path) -> None:
    values = mock_values()
    k = YEARS.index(2010)
    out = attach_jrc_co2(mock_wiod2013(2010), workbook, fold_missing=True)
    industry = out.F.loc["CO2"].groupby(level="region").sum()
    households = out.F_Y.loc["CO2"].groupby(level="region").sum()
    # totals straight from the numbers written to the workbook; CHE goes into RoW
    expected = {c: values[c][:, k].sum() for c in ("AUT", "ROU")}
    expected["RoW"] = values["RoW"][:, k].sum() + values["CHE"][:, k].sum()
    assert (industry + households).to_dict() == pytest.approx(expected, rel=1e-12)
    assert out.F_Y.loc["CO2", ("AUT", "c37")] == values["AUT"][-1, k]
    assert out.F_Y.loc["CO2", ("RoW", "c37")] == pytest.approx(values["RoW"][-1, k] + values["CHE"][-1, k])
    assert out.F_Y.loc["CO2"].drop(index=[(r, "c37") for r in out.regions]).eq(0).all()
    assert out.F.loc["CO2", ("AUT", "c19")] == 0.0
    assert dict(out.stressor_units) == {"CO2": "kt"}
    note = out.notes["emissions"]["CO2"]
    assert note["principle"] == "residence" and "bunker" in note["source"]
    assert note["concordance"] == "mrio_tools/data/concordances/wiod2016_to_wiod2013.csv"
    report = note["allocation_report"]
    assert report["folded_regions"] == {"CHE": "RoW"}
    cases = {(c["region"], c["source_sector"]): c for c in report["fallback_cases"]}
    assert set(cases) == {("AUT", "G45")}
    assert set(cases[("AUT", "G45")]["allocated"]) == {"c20", "c21"}
    assert cases[("AUT", "G45")]["emissions"] == values["AUT"][ROWS.index("G45"), k]


def test_attach_jrc_co2_maps_ROU_to_a_table_that_kept_ROM(workbook: Path) -> None:
    mrio = mock_wiod2013(2011)
    renamed = {"ROU": "ROM"}
    mrio = dataclasses.replace(
        mrio,
        Z=mrio.Z.rename(index=renamed, columns=renamed, level="region"),
        Y=mrio.Y.rename(index=renamed, columns=renamed, level="region"),
        F=mrio.F.rename(columns=renamed, level="region"),
        F_Y=mrio.F_Y.rename(columns=renamed, level="region"),
    )
    assert "ROM" in mrio.regions
    out = attach_jrc_co2(mrio, workbook, fold_missing=True)
    industry = out.F.loc["CO2"].groupby(level="region").sum()
    households = out.F_Y.loc["CO2"].groupby(level="region").sum()
    total = industry["ROM"] + households["ROM"]
    assert total == pytest.approx(mock_values()["ROU"][:, 2].sum(), rel=1e-12)


def test_attach_jrc_co2_errors(workbook: Path) -> None:
    with pytest.raises(YearNotAvailableError, match=r"years 2009-2011 \(\[2009, 2010, 2011\]\), not 2008"):
        attach_jrc_co2(mock_wiod2013(2008), workbook, fold_missing=True)
    with pytest.raises(
        ConcordanceError, match=r"regions the table does not have: CHE\. Fix: pass fold_missing=True"
    ):
        attach_jrc_co2(mock_wiod2013(2010), workbook, fold_missing=False)
    table = read_jrc_co2(workbook)
    mrio = mock_wiod2013(2010)
    not_wiod = dataclasses.replace(
        mrio,
        Z=mrio.Z.rename(index={"c1": "x1"}, columns={"c1": "x1"}, level="sector"),
        Y=mrio.Y.rename(index={"c1": "x1"}, level="sector"),
        F=mrio.F.rename(columns={"c1": "x1"}, level="sector"),
    )
    with pytest.raises(
        ValidationError, match=r"sectors are not the 35 WIOD 2013 codes c1\.\.c35 \(missing \['c1'\]\)"
    ):
        attach_jrc_co2_table(not_wiod, table, fold_missing=True, file_name="x.xlsx")


# ------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def jrc_path(shared_data: Path) -> Path:
    path = shared_data / "wiod2016_env" / "CO2 emissions.xlsx"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture(scope="module")
def raw_sheets(jrc_path: Path) -> dict[str, dict[str, dict[int, float]]]:
    """country -> row label -> year -> kt, read cell by cell with openpyxl, independently of the reader."""
    book = openpyxl.load_workbook(jrc_path, read_only=True, data_only=True)
    try:
        sheets: dict[str, dict[str, dict[int, float]]] = {}
        for name in book.sheetnames[3:]:
            rows = list(book[name].iter_rows(values_only=True))
            years = {j: int(v) for j, v in enumerate(rows[0]) if j > 0 and v is not None}
            sheets[name] = {
                str(row[0]): {years[j]: float(row[j]) for j in years}
                for row in rows[1:]
                if row[0] is not None
            }
    finally:
        book.close()
    return sheets


@pytest.fixture(scope="module")
def real_table(jrc_path: Path) -> pd.DataFrame:
    return read_jrc_co2(jrc_path)


@pytest.mark.realdata
def test_real_workbook_read(real_table: pd.DataFrame, jrc_path: Path, raw_sheets: dict[str, Any]) -> None:
    assert len(raw_sheets) == 44 and {"ROU", "CHE", "HRV", "NOR", "RoW"} <= set(raw_sheets)
    assert list(real_table["country"].unique()) == list(raw_sheets)
    assert len(real_table) == 44 * 57 * 17
    assert sorted(real_table["year"].unique()) == list(range(2000, 2017))
    indexed = real_table.set_index(["country", "sector", "year"])["value"]
    book = openpyxl.load_workbook(jrc_path, read_only=True)
    try:
        for sheet, cell in [("AUT", "B2"), ("MEX", "R58"), ("RoW", "M33"), ("ROU", "G57"), ("IDN", "J29")]:
            ws = book[sheet]
            column, row = cell[0], int(cell[1:])
            label, year, value = ws[f"A{row}"].value, int(ws[f"{column}1"].value), ws[cell].value
            assert indexed[(sheet, label, year)] == value
    finally:
        book.close()
    sums = real_table.groupby(["country", "year"], sort=False)["value"].sum()
    for country, year, total in zip(
        sums.index.get_level_values("country"), sums.index.get_level_values("year"), sums, strict=True
    ):
        assert total == pytest.approx(sum(row[year] for row in raw_sheets[country].values()), rel=1e-12)


def _fallback_cases_by_hand(mrio: MRIO, raw: dict[str, Any], year: int) -> set[tuple[str, str]]:
    """(region, source sector) with CO2 > 0 whose primary targets all have zero output, from the CSV."""
    with CONCORDANCE_CSV.open(encoding="utf-8") as handle:
        links = list(csv.DictReader(handle))
    primary: dict[str, list[str]] = {}
    for link in links:
        if link["role"] == "primary":
            primary.setdefault(link["source_sector"], []).append(link["target_sector"])
    x = mrio.Z.to_numpy().sum(axis=1) + mrio.Y.to_numpy().sum(axis=1)
    output = dict(zip(mrio.Z.index, x, strict=True))
    cases = set()
    for region in mrio.regions:
        if region == "RoW":
            continue  # RoW's CO2 includes the folded countries; no zero-output sector there
        for sector, targets in primary.items():
            if raw[region][sector][year] > 0 and all(output[(region, t)] <= 0 for t in targets):
                cases.add((region, sector))
    return cases


@pytest.mark.realdata
@pytest.mark.parametrize("year", [2000, 2011])
def test_real_wiod2013_with_jrc_co2_keeps_workbook_totals(
    year: int, shared_data: Path, jrc_path: Path, raw_sheets: dict[str, Any], real_table: pd.DataFrame
) -> None:
    mrio = read_wiod2013(shared_data / "wiod2013", year, output_gap="residual_category")
    if year == 2000:
        out = attach_jrc_co2(mrio, jrc_path, fold_missing=True)
    else:  # the same through the pure entry point, on the workbook already read (saves a second read)
        out = attach_jrc_co2_table(mrio, real_table, fold_missing=True, file_name=jrc_path.name)
    totals = {c: sum(row[year] for row in rows.values()) for c, rows in raw_sheets.items()}
    households = {c: rows["FC_HH"][year] for c, rows in raw_sheets.items()}
    for folded in ("CHE", "HRV", "NOR"):
        totals["RoW"] += totals.pop(folded)
        households["RoW"] += households.pop(folded)
    assert set(totals) == set(out.regions)
    industry = out.F.loc["CO2"].groupby(level="region").sum()
    direct = out.F_Y.loc["CO2"].groupby(level="region").sum()
    for region in out.regions:
        assert industry[region] + direct[region] == pytest.approx(totals[region], rel=1e-9, abs=0)
        assert out.F_Y.loc["CO2", (region, "c37")] == pytest.approx(households[region], rel=1e-12)
    x = out.gross_output.to_numpy()
    assert (out.F.loc["CO2"].to_numpy()[x <= 0] == 0).all()
    report = out.notes["emissions"]["CO2"]["allocation_report"]
    assert report["folded_regions"] == {"CHE": "RoW", "HRV": "RoW", "NOR": "RoW"}
    found = {(c["region"], c["source_sector"]) for c in report["fallback_cases"]}
    assert found == _fallback_cases_by_hand(mrio, raw_sheets, year)
    assert ("IDN", "G45") in found  # Indonesia's c19 has no output in WIOD 2013 (data README)
