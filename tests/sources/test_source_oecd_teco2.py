"""Tests of the OECD TECO2 sheet reader (mock exports in the published layout), the CSV layout, real file.

The mock copies the layout of ``ICIO_Co2_2018.xlsx`` as the OECD data explorer exports it: one sheet
``CO2``, header ``Country | Sector | Year YYYY``, ``CODE: name`` labels, the country written on its
first row only and merged down over the country's rows. Real-data tests compare with numbers read
from the workbook with openpyxl here, not with the reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest

from mrio_tools.errors import DataFileError, ValidationError, YearNotAvailableError
from mrio_tools.mrio.allocation import allocate
from mrio_tools.mrio.concordance import concordance_from_frame
from mrio_tools.sources.emissions_csv import read_emissions_csv
from mrio_tools.sources.oecd_teco2 import industry_emissions, read_teco2_sheet

COUNTRIES = [("AUS", "Australia"), ("CHN", "China (People's Republic of)"), ("ROW", "Rest of the World")]
#: four of the 45 ICIO 2021 industries, labelled as in the export
SECTORS = [
    ("D01T02", "Agriculture, hunting, forestry"),
    ("D35", "Electricity, gas, steam and air conditioning supply"),
    ("D49", "Land transport and transport via pipelines"),
    (
        "D97T98",
        "Activities of households as employers; undifferentiated goods- and services-producing "
        "activities of households for own use",
    ),
]
YEARS = [2018]


def mock_values(years: list[int], seed: int = 11) -> np.ndarray:
    """Mt CO2, shape (countries * sectors, years), rounded like the export (3 decimals); D97T98 is 0."""
    rng = np.random.default_rng(seed)
    values = np.round(rng.uniform(0, 500, (len(COUNTRIES) * len(SECTORS), len(years))), 3)
    values[len(SECTORS) - 1 :: len(SECTORS)] = 0.0
    return values


def write_export(path: Path, values: np.ndarray, years: list[int] = YEARS, *, merge: bool = True) -> Path:
    """Write a workbook in the layout the OECD data explorer exports (module docstring)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "CO2"
    for col, label in enumerate(["Country", "Sector", *(f"Year {y}" for y in years)], start=1):
        sheet.cell(row=1, column=col, value=label)
    row = 2
    for i, (code, name) in enumerate(COUNTRIES):
        sheet.cell(row=row, column=1, value=f"{code}: {name}")
        if merge:
            sheet.merge_cells(start_row=row, end_row=row + len(SECTORS) - 1, start_column=1, end_column=1)
        for j, (sector, sector_name) in enumerate(SECTORS):
            sheet.cell(row=row, column=2, value=f"{sector}: {sector_name}")
            for k in range(len(years)):
                value = values[i * len(SECTORS) + j, k]
                # the export writes whole numbers as integers (e.g. the 0 of D97T98)
                cell = sheet.cell(row=row, column=3 + k, value=int(value) if value == 0 else float(value))
                cell.number_format = "#,##0.0_ ;\\-#,##0.0\\ "
            row += 1
    book.save(path)
    return path


def edit_cells(path: Path, edits: dict[str, Any]) -> Path:
    book = openpyxl.load_workbook(path)
    for cell, value in edits.items():
        book["CO2"][cell] = value
    book.save(path)
    return path


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_export(tmp_path / "ICIO_Co2_2018.xlsx", mock_values(YEARS))


# ------------------------------------------------------------ the TECO2 reader
@pytest.mark.parametrize("merge", [True, False])
def test_mock_export_read_back(tmp_path: Path, merge: bool) -> None:
    values = mock_values(YEARS)
    path = write_export(tmp_path / "export.xlsx", values, merge=merge)
    table = read_teco2_sheet(path)
    assert list(table.columns) == ["region", "sector", "year", "value"]
    assert table["year"].dtype == np.int64 and table["value"].dtype == np.float64
    codes = [c for c, _ in COUNTRIES]
    sectors = [s for s, _ in SECTORS]
    assert table["region"].tolist() == [c for c in codes for _ in sectors]
    assert table["sector"].tolist() == sectors * len(codes)
    assert (table["year"] == 2018).all()
    np.testing.assert_array_equal(table["value"].to_numpy(), values[:, 0])
    assert table.attrs["unit"] == "Mt" and table.attrs["principle"] == "residence"
    assert "TECO2" in table.attrs["source"] and "PROD_CO2" in table.attrs["source"]
    assert table.attrs["file"] == "export.xlsx"
    assert table.attrs["region_names"] == dict(COUNTRIES)
    assert table.attrs["sector_names"] == dict(SECTORS)


def test_any_number_of_year_columns(tmp_path: Path) -> None:
    years = [2016, 2017, 2018]
    values = mock_values(years)
    table = read_teco2_sheet(write_export(tmp_path / "export.xlsx", values, years))
    assert len(table) == len(COUNTRIES) * len(SECTORS) * len(years)
    # file order: row, then year
    assert table["year"].tolist()[:4] == [2016, 2017, 2018, 2016]
    np.testing.assert_array_equal(table["value"].to_numpy(), values.ravel())
    row = table[(table["region"] == "CHN") & (table["sector"] == "D35") & (table["year"] == 2017)]
    assert row["value"].item() == values[len(SECTORS) + 1, 1]


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        ({"A1": "Pays"}, r"cell A1: header 'Pays', expected 'Country'"),
        ({"B1": None}, r"cell B1: header None, expected 'Sector'"),
        ({"C1": "Value 2018"}, r"cell C1: header 'Value 2018' is not 'Year YYYY'"),
        ({"C1": None}, r"no year columns from cell C1 on"),
        ({"C4": ".."}, r"cell C4 \(AUS D49 2018\): '\.\.' is not a number"),
        ({"C7": None}, r"cell C7 \(CHN D35 2018\): None is not a number.*an empty cell is not 0"),
        ({"C2": -0.5}, r"cell C2 \(AUS D01T02 2018\): -0\.5 is not a finite non-negative"),
        (
            {"B3": SECTORS[0][0] + ": " + SECTORS[0][1]},
            r"row 3: duplicate \(country, sector, year\) AUS D01T02",
        ),
        ({"A6": "China"}, r"cell A6: country 'China' is not 'CODE: name'"),
        ({"B9": "D35 Electricity"}, r"cell B9: sector 'D35 Electricity' is not 'CODE: name'"),
        ({"B9": None}, r"cell B9: no sector on a row of CHN"),
        ({"B13": "D99: Something else"}, r"country ROW lacks sectors \['D97T98'\] and has sectors \['D99'\]"),
        ({"D5": 1.5}, r"cell D5: a value right of the last year column"),
        (
            {"A8": "CHN: China"},
            r"cell A8: country CHN is named 'China' here and \"China \(People's Republic of\)\" above",
        ),
    ],
)
def test_layout_errors_name_file_sheet_and_cell(export: Path, edits: dict[str, Any], message: str) -> None:
    if any(cell.startswith("A") and cell != "A1" for cell in edits):
        book = openpyxl.load_workbook(export)
        for merged in list(book["CO2"].merged_cells.ranges):
            book["CO2"].unmerge_cells(str(merged))
        book.save(export)
    edit_cells(export, edits)
    with pytest.raises(DataFileError, match=message) as err:
        read_teco2_sheet(export)
    assert f"{export}, sheet 'CO2'" in str(err.value)


def test_sector_row_before_any_country(tmp_path: Path) -> None:
    path = write_export(tmp_path / "export.xlsx", mock_values(YEARS), merge=False)
    edit_cells(path, {"A2": None})
    with pytest.raises(
        DataFileError, match=r"sheet 'CO2', row 2: a sector row before any country .*column A"
    ):
        read_teco2_sheet(path)


def test_duplicate_year_columns(tmp_path: Path) -> None:
    path = write_export(tmp_path / "export.xlsx", mock_values([2017, 2018]), [2017, 2018])
    edit_cells(path, {"D1": "Year 2017"})
    with pytest.raises(DataFileError, match=r"cells C1 and D1 both hold year 2017.*one column per year"):
        read_teco2_sheet(path)


def test_sheet_and_file_errors(export: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(export)
    book["CO2"].title = "Data"
    book.save(export)
    with pytest.raises(DataFileError, match=r"no sheet 'CO2' \(sheets: \['Data'\]\)"):
        read_teco2_sheet(export)
    with pytest.raises(DataFileError, match=r"absent\.xlsx: no such file"):
        read_teco2_sheet(tmp_path / "absent.xlsx")
    text = tmp_path / "text.xlsx"
    text.write_text("not a workbook")
    with pytest.raises(DataFileError, match=r"text\.xlsx: not a readable xlsx workbook"):
        read_teco2_sheet(text)
    header_only = tmp_path / "header_only.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "CO2"
    book.active.append(["Country", "Sector", "Year 2018"])
    book.save(header_only)
    with pytest.raises(DataFileError, match=r"no data rows below the header"):
        read_teco2_sheet(header_only)


# ------------------------------------------------------------ the CSV layout
CSV_TEXT = """region,sector,year,value,unit,note
AUS,D35,2018,179.019,Mt CO2,electricity
AUS,D01T02,2018,10.922,Mt CO2,

ROW,D35,2018,1081.783,Mt CO2,"quoted, with a comma"
ROW,D35,2017,0,Mt CO2,
"""


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_csv_read_back(tmp_path: Path) -> None:
    # Excel's "CSV UTF-8" starts with a byte-order mark
    table = read_emissions_csv(write_csv(tmp_path / "iea.csv", CSV_TEXT, encoding="utf-8-sig"))
    assert list(table.columns) == ["region", "sector", "year", "value"]
    assert table["year"].dtype == np.int64 and table["value"].dtype == np.float64
    assert table.values.tolist() == [  # noqa: PD011 (rows as lists, for a readable comparison)
        ["AUS", "D35", 2018, 179.019],
        ["AUS", "D01T02", 2018, 10.922],
        ["ROW", "D35", 2018, 1081.783],
        ["ROW", "D35", 2017, 0.0],
    ]
    assert table.attrs == {
        "unit": "Mt CO2",
        "source": "user-supplied emissions table iea.csv",
        "file": "iea.csv",
    }


def test_csv_note_column_is_optional(tmp_path: Path) -> None:
    text = "unit,value,year,sector,region\nkt,1.5,2018,D35,AUS\n"
    table = read_emissions_csv(write_csv(tmp_path / "e.csv", text))
    assert table.values.tolist() == [["AUS", "D35", 2018, 1.5]]  # noqa: PD011
    assert table.attrs["unit"] == "kt"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "region,sector,value\nAUS,D35,1\n",
            r"line 1: missing columns \['year', 'unit'\].*Expected layout.*region,sector,year,value,unit",
        ),
        ("region,sector,year,value,unit,source\nAUS,D35,2018,1,Mt,IEA\n", r"unknown columns \['source'\]"),
        ("region,sector,year,value,unit,unit\nAUS,D35,2018,1,Mt,Mt\n", r"repeated \['unit'\]"),
        ("region,sector,year,value,unit\n", r"no data lines below the header"),
        ("region,sector,year,value,unit\nAUS,D35,2018,1,Mt\nAUS,,2018,2,Mt\n", r"line 3: empty sector"),
        ("region,sector,year,value,unit\nAUS,D35,2018,,Mt\n", r"line 2: empty value.*value 0 where"),
        ("region,sector,year,value,unit\nAUS,D35,18,1,Mt\n", r"line 2: year '18' is not four digits"),
        ("region,sector,year,value,unit\nAUS,D35,2018,1 234,Mt\n", r"line 2: value '1 234' is not a number"),
        (
            "region,sector,year,value,unit\nAUS,D35,2018,-3,Mt\n",
            r"line 2: value '-3' is not a finite non-neg",
        ),
        ("region,sector,year,value,unit\nAUS,D35,2018,nan,Mt\n", r"line 2: value 'nan' is not a finite"),
        (
            "region,sector,year,value,unit\nAUS,D35,2018,1,Mt\nAUS,D49,2018,2,kt\n",
            r"line 3: unit 'kt' differs from 'Mt' on line 2.*one unit for the whole file",
        ),
        ("region,sector,year,value,unit\nAUS,D35,2018,1,M EUR\n", r"line 2: unit 'M EUR' is not a mass"),
        ("region,sector,year,value,unit\nAUS,D35,2018,1,TJ\n", r"line 2: unit 'TJ' is not a mass"),
        (
            "region,sector,year,value,unit\nAUS,D35,2018,1,Mt\n\nAUS,D35,2018,2,Mt\n",
            r"line 4: duplicate \(region, sector, year\) \('AUS', 'D35', 2018\), first on line 2",
        ),
        ("region,sector,year,value,unit\nAUS,D35,2018,1,234,Mt\n", r"line 2: 6 fields, the header has 5"),
    ],
)
def test_csv_errors_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = write_csv(tmp_path / "user.csv", text)
    with pytest.raises(DataFileError, match=message) as err:
        read_emissions_csv(path)
    assert str(path) in str(err.value)


def test_csv_file_errors(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"absent\.csv: no such file.*region,sector,year,value,unit"):
        read_emissions_csv(tmp_path / "absent.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("region,sector,year,value,unit,note\nCIV,D35,2018,1,Mt,Côte\n".encode("latin-1"))
    with pytest.raises(DataFileError, match=r"latin\.csv: not UTF-8 text.*CSV UTF-8"):
        read_emissions_csv(latin)


# ------------------------------------------------------------ onto a table
def test_industry_emissions_feeds_allocate(export: Path) -> None:
    values = mock_values(YEARS)[:, 0]
    emissions = industry_emissions(read_teco2_sheet(export), 2018)
    assert emissions.index.names == ["region", "source_sector"]
    assert emissions.attrs == {"unit": "Mt"}
    codes, sectors = [c for c, _ in COUNTRIES], [s for s, _ in SECTORS]
    # an identity concordance onto a table with the same labels: every value lands where it was
    links = pd.DataFrame({"source_sector": sectors, "target_sector": sectors, "role": "primary", "note": ""})
    concordance = concordance_from_frame(links, source="identity")
    index = pd.MultiIndex.from_product([codes, sectors], names=["region", "sector"])
    allocation = allocate(
        emissions,
        concordance,
        pd.Series(1.0, index=index),
        rest_of_world="ROW",
        fold_missing=False,
    )
    np.testing.assert_array_equal(allocation.values.to_numpy(), values)  # noqa: PD011 (a dataclass field)
    with pytest.raises(
        YearNotAvailableError, match=r"ICIO_Co2_2018\.xlsx holds the years \[2018\], not 2019"
    ):
        industry_emissions(read_teco2_sheet(export), 2019)
    with pytest.raises(ValidationError, match=r"attrs\['unit'\]"):
        industry_emissions(pd.DataFrame({"region": [], "sector": [], "year": [], "value": []}), 2018)


# ------------------------------------------------------------ the real file
def raw_cells(path: Path) -> list[tuple[Any, ...]]:
    """Rows 2.. of sheet CO2, read with openpyxl directly (independent of the reader)."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [tuple(row) for row in book["CO2"].iter_rows(min_row=2, values_only=True)]
    finally:
        book.close()


@pytest.mark.realdata
def test_real_teco2_sheet(shared_data: Path) -> None:
    import country_converter as coco

    path = shared_data / "icio2021_teco2" / "ICIO_Co2_2018.xlsx"
    table = read_teco2_sheet(path)
    raw = raw_cells(path)

    assert table["region"].nunique() == 67 and table["sector"].nunique() == 45
    assert len(table) == 67 * 45 == len(raw)
    assert (table["year"] == 2018).all() and table.attrs["unit"] == "Mt"
    iso3 = set(coco.CountryConverter().data["ISO3"])
    countries = [r for r in table["region"].unique() if r != "ROW"]
    assert len(countries) == 66 and set(countries) <= iso3
    assert table.attrs["region_names"]["CHN"] == "China (People's Republic of)"
    assert table.attrs["sector_names"]["D35"] == "Electricity, gas, steam and air conditioning supply"

    # the world total and single cells, from the raw column C
    assert table["value"].sum() == pytest.approx(sum(row[2] for row in raw), rel=1e-12)
    starts = {row[0].split(":")[0]: k for k, row in enumerate(raw) if row[0] is not None}
    sectors = [row[1].split(":")[0] for row in raw[:45]]
    for country, sector in [("AUS", "D35"), ("CHN", "D24"), ("USA", "D49"), ("ROW", "D51"), ("ISL", "D03")]:
        expected = raw[starts[country] + sectors.index(sector)][2]
        got = table.loc[(table["region"] == country) & (table["sector"] == sector), "value"].item()
        assert got == expected
    # seen in the workbook: row 24, 'AUS: Australia' / 'D35: ...' / 179.019
    assert raw[22][1].startswith("D35:") and raw[22][2] == 179.019

    # OECD's TECO2 page names China, the US, India, Russia, Japan, then Germany as the largest producers
    # in 2018; its production-based CO2 counts households too, and on these industry rows alone Korea
    # comes sixth, so only the first five are checked
    by_country = table[table["region"] != "ROW"].groupby("region")["value"].sum()
    assert by_country.nlargest(5).index.tolist() == ["CHN", "USA", "IND", "RUS", "JPN"]
