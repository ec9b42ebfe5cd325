"""Tests of the GLORIA read-me label reader on mock read-mes in the publisher's layout, and on release 059.

The mock copies the sheets and header rows of ``GLORIA_ReadMe_059.xlsx`` (Regions, Sectors, Value
added and final demand, Satellites, and one sheet the reader skips), with the first real labels and
synthetic ones up to the 164 regions and 120 sectors that the reader requires. Real-data tests compare
with cells read here with openpyxl, and with the region list of the separate aggregation workbook.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from mrio_tools.errors import DataFileError
from mrio_tools.sources.gloria_labels import GloriaLabels, read_gloria_labels

REAL_REGIONS = [
    ("XAM", "Rest of Americas"),
    ("XEU", "Rest of Europe"),
    ("XAF", "Rest of Africa"),
    ("XAS", "Rest of Asia-Pacific"),
    ("AFG", "Afghanistan"),
]
REAL_SECTORS = ["Growing wheat", "Growing maize", "Growing cereals n.e.c"]
VALUE_ADDED = [
    "Compensation of employees",
    "Taxes on production",
    "Subsidies on production",
    "Net operating surplus",
    "Net mixed income",
    "Consumption of fixed capital",
]
FINAL_DEMAND = [
    "Household final consumption",
    "Non-profit institutions serving households",
    "Government final consumption",
    "Gross fixed capital formation",
    "Changes in inventories",
    "Acquisitions less disposals of valuables",
]
SATELLITES = [
    ("Material", "Rice", "tonnes"),
    ("Employment", "Female", "ppl"),
    ("Land use", "Urban", "1000 ha"),
    ("Biodiversity_loss", "Urban", "Potentially Disappeared Fraction"),
    ("Emissions (EDGAR)", "'co2_excl_short_cycle_org_c_total_EDGAR_consistent'", "kilotonnes"),
    ("Emissions (EDGAR)", "'ch4_total_EDGAR_consistent'", "kilotonnes"),
    ("Emissions (OECD)", "'co2_org_short_cycle_c_1A1a_OECD_consistent'", "kilotonnes"),
    ("Emissions (OECD)", "'GHG_total_OECD_consistent'", "kilotonnes CO2-equivalent"),
    ("Emissions disease burden (EDGAR)", "'co2_org_short_cycle_c'", "DALY"),
]


def mock_regions() -> list[tuple[str, str]]:
    """The five first real regions, then synthetic ones (codes QAA, QAB, ...) up to 164."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    codes = ("Q" + a + b for a, b in itertools.product(letters, repeat=2))
    synthetic = [(code, f"Region {code}") for code in itertools.islice(codes, 164 - len(REAL_REGIONS))]
    return REAL_REGIONS + synthetic


def mock_sectors() -> list[str]:
    return REAL_SECTORS + [f"Sector {k}" for k in range(len(REAL_SECTORS) + 1, 121)]


def write_readme(path: Path) -> Path:
    """Write a workbook with the read-me's sheets, header rows and columns (module docstring)."""
    book = openpyxl.Workbook()
    regions = book.active
    regions.title = "Regions"
    regions.append(["Lfd_Nr", "Region_acronyms", "Region_names"])
    for k, (code, name) in enumerate(mock_regions(), start=1):
        regions.append([k, code, name])
    sectors = book.create_sheet("Sectors")
    sectors.append(["Lfd_Nr", "Sector_names"])
    for k, name in enumerate(mock_sectors(), start=1):
        sectors.append([k, name])
    va_fd = book.create_sheet("Value added and final demand")
    va_fd.append(["Lfd_Nr", "Value_added_names", "Final_demand_names"])
    for k, (va, fd) in enumerate(zip(VALUE_ADDED, FINAL_DEMAND, strict=True), start=1):
        va_fd.append([k, va, fd])
    sequential = book.create_sheet("Sequential region-sector labels")
    sequential.append(["Lfd_Nr", "Sequential_regionSector_labels"])
    sequential.append([1, "Rest of Americas (XAM) Growing wheat industry"])
    satellites = book.create_sheet("Satellites")
    satellites.append(["Lfd_Nr", "Sat_head_indicator", "Sat_indicator", "Sat_unit"])
    for k, row in enumerate(SATELLITES, start=1):
        satellites.append([k, *row])
    book.save(path)
    return path


def edit(path: Path, sheet: str, edits: dict[str, Any]) -> Path:
    book = openpyxl.load_workbook(path)
    for cell, value in edits.items():
        book[sheet][cell] = value
    book.save(path)
    return path


@pytest.fixture
def readme(tmp_path: Path) -> Path:
    return write_readme(tmp_path / "GLORIA_ReadMe_059.xlsx")


# ------------------------------------------------------------ the mock read-me
def test_mock_readme_read_back(readme: Path) -> None:
    labels = read_gloria_labels(readme)
    assert isinstance(labels, GloriaLabels) and labels.file == "GLORIA_ReadMe_059.xlsx"
    assert list(labels.regions.columns) == ["number", "code", "name"]
    assert labels.regions["number"].tolist() == list(range(1, 165))
    assert list(labels.regions[["code", "name"]].itertuples(index=False, name=None)) == mock_regions()
    assert list(labels.sectors.columns) == ["number", "name"]
    assert labels.sectors["name"].tolist() == mock_sectors()
    assert labels.sectors["number"].tolist() == list(range(1, 121))
    assert labels.final_demand["name"].tolist() == FINAL_DEMAND
    assert labels.value_added["name"].tolist() == VALUE_ADDED
    assert list(labels.satellites.columns) == ["number", "group", "name", "unit"]
    # the quotes around emission indicator names are dropped; repeated names are kept
    assert labels.satellites["name"].tolist() == [name.strip("'") for _, name, _ in SATELLITES]
    assert labels.satellites["unit"].tolist() == [unit for _, _, unit in SATELLITES]
    assert labels.satellites["number"].tolist() == list(range(1, len(SATELLITES) + 1))


def test_find_satellites_ignores_case(readme: Path) -> None:
    found = read_gloria_labels(readme).find_satellites("CO2")
    assert found["number"].tolist() == [5, 7, 9]
    assert found["unit"].tolist() == ["kilotonnes", "kilotonnes", "DALY"]


@pytest.mark.parametrize(
    ("sheet", "edits", "message"),
    [
        (
            "Regions",
            {"A1": "Nr"},
            r"sheet 'Regions', row 1: header \['Nr', 'Region_acronyms', 'Region_names'\]",
        ),
        ("Satellites", {"D1": "Unit"}, r"sheet 'Satellites', row 1: header .*expected .*'Sat_unit'"),
        ("Regions", {"A10": 99}, r"sheet 'Regions', cell A10: 99, expected 9 \(Lfd_Nr numbers the rows"),
        (
            "Sectors",
            {"B5": None},
            r"sheet 'Sectors', cell B5: None where a label \(Sector_names\) is expected",
        ),
        ("Regions", {"B7": "Xa1"}, r"sheet 'Regions', cell B7: acronym 'Xa1' is not 3 capital letters"),
        ("Regions", {"B7": "XAM"}, r"sheet 'Regions', rows 2 and 7: acronym 'XAM' appears twice"),
        ("Sectors", {"B4": "Growing wheat"}, r"sheet 'Sectors', rows 2 and 4: sector name 'Growing wheat'"),
        ("Satellites", {"D4": None}, r"sheet 'Satellites', cell D4: None where a label \(Sat_unit\)"),
        ("Value added and final demand", {"C2": None}, r"cell C2: None where a label \(Final_demand_names\)"),
    ],
)
def test_layout_errors_name_file_sheet_and_cell(
    readme: Path, sheet: str, edits: dict[str, Any], message: str
) -> None:
    edit(readme, sheet, edits)
    with pytest.raises(DataFileError, match=message) as err:
        read_gloria_labels(readme)
    assert str(readme) in str(err.value)


def test_counts_sheets_and_files(readme: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(readme)
    book["Regions"].delete_rows(165)
    book.save(readme)
    with pytest.raises(DataFileError, match=r"sheet 'Regions': 163 regions, expected 164"):
        read_gloria_labels(readme)
    book["Regions"].append([164, "ZZZ", "Region ZZZ"])
    book["Sectors"].append([121, "Sector 121"])
    book.save(readme)
    with pytest.raises(DataFileError, match=r"sheet 'Sectors': 121 sectors, expected 120"):
        read_gloria_labels(readme)
    del book["Satellites"]
    book.save(readme)
    with pytest.raises(DataFileError, match=r"no sheet 'Satellites' \(sheets: \['Regions'"):
        read_gloria_labels(readme)
    with pytest.raises(DataFileError, match=r"absent\.xlsx: no such file.*GLORIA_ReadMe_NNN\.xlsx"):
        read_gloria_labels(tmp_path / "absent.xlsx")
    text = tmp_path / "text.xlsx"
    text.write_text("not a workbook")
    with pytest.raises(DataFileError, match=r"text\.xlsx: not a readable xlsx workbook"):
        read_gloria_labels(text)


# ------------------------------------------------------------ release 059
def raw_rows(path: Path, *sheets: str) -> dict[str, list[tuple[Any, ...]]]:
    """Rows 2.. of each sheet, read with openpyxl directly (independent of the reader), one open."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {s: [tuple(row) for row in book[s].iter_rows(min_row=2, values_only=True)] for s in sheets}
    finally:
        book.close()


@pytest.mark.realdata
def test_real_gloria_059_labels(shared_data: Path) -> None:
    folder = shared_data / "gloria059_labels"
    path = folder / "GLORIA_ReadMe_059.xlsx"
    labels = read_gloria_labels(path)

    assert len(labels.regions) == 164 and len(labels.sectors) == 120
    raw = raw_rows(path, "Regions", "Sectors", "Satellites")
    raw_regions = raw["Regions"]
    for number in (1, 11, 37, 134, 164):
        _, code, name = raw_regions[number - 1]
        row = labels.regions[labels.regions["number"] == number]
        assert (row["code"].item(), row["name"].item()) == (code, name)
    assert labels.regions.iloc[10].tolist() == [11, "AUS", "Australia"]  # seen in the file
    # the separate aggregation workbook lists the same acronyms in the same order
    unique_list = raw_rows(folder / "GLORIA_164RegAgg.xlsx", "Unique_list")["Unique_list"]
    assert labels.regions["code"].tolist() == [row[2] for row in unique_list]

    raw_sectors = raw["Sectors"]
    assert labels.sectors["name"].tolist() == [row[1] for row in raw_sectors]
    assert (labels.sectors["name"].iloc[0], labels.sectors["name"].iloc[-1]) == (
        "Growing wheat",
        "Other services",
    )
    assert labels.final_demand["name"].tolist()[0] == "Household final consumption"
    assert len(labels.final_demand) == len(labels.value_added) == 6

    raw_satellites = raw["Satellites"]
    assert len(labels.satellites) == len(raw_satellites) == 5982
    co2_raw = [row for row in raw_satellites if "co2" in str(row[2]).lower()]
    co2 = labels.find_satellites("CO2")
    assert co2["number"].tolist() == [row[0] for row in co2_raw]
    assert co2["name"].tolist() == [row[2].strip("'") for row in co2_raw]
    assert co2["unit"].tolist() == [row[3] for row in co2_raw]
    totals = co2[co2["name"].str.contains("_total_")]
    assert totals[["number", "name", "unit"]].to_numpy().tolist() == [
        [2147, "co2_excl_short_cycle_org_c_total_EDGAR_consistent", "kilotonnes"],
        [2220, "co2_org_short_cycle_c_total_EDGAR_consistent", "kilotonnes"],
        [4922, "co2_excl_short_cycle_org_c_total_OECD_consistent", "kilotonnes"],
        [4995, "co2_org_short_cycle_c_total_OECD_consistent", "kilotonnes"],
    ]
