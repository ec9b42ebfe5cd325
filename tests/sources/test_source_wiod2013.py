"""Tests of the WIOD 2013 reader on mock files in both published layouts and on the real R data files."""

from __future__ import annotations

import csv
import urllib.error
import warnings
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import openpyxl
import pytest
import rdata
from fixtures_wiod2013 import (
    CATEGORIES,
    EXTRA_ROWS,
    SECTORS,
    ZERO_SECTOR,
    MockTable,
    mock_table,
    workbook_rows,
    write_rdata,
    write_workbook,
)

from mrio_tools.errors import DataFileError, ValidationError, YearNotAvailableError
from mrio_tools.sources.wiod2013 import (
    available_years,
    download_wiod2013,
    read_wiod2013,
    read_wiod2013_blocks,
    wiod2013_sectors,
    wiod2013_url,
)

CSV = Path(__file__).resolve().parents[2] / "mrio_tools" / "data" / "wiod2013_sectors.csv"
REGIONS = ["AUS", "ROU", "RoW"]


@pytest.fixture
def table() -> MockTable:
    return mock_table(year=2008)


def _residual(table: MockTable) -> tuple[np.ndarray, int]:
    """Published output minus row sums, by hand from the arrays written to the file."""
    r = table.output.astype(float) - table.inter.sum(axis=1) - table.final.sum(axis=1)
    return r, int(np.argmax(np.abs(r)))


def _check_mock_mrio(mrio: Any, table: MockTable) -> None:
    n = len(table.countries) * len(SECTORS)
    assert mrio.Z.shape == (n, n) and mrio.Y.shape == (n, 5 * len(table.countries))
    np.testing.assert_array_equal(mrio.Z.to_numpy(), table.inter)
    np.testing.assert_array_equal(mrio.Y.to_numpy(), table.final)
    assert list(mrio.regions) == REGIONS
    assert list(mrio.sectors) == list(SECTORS)
    assert list(mrio.categories) == list(CATEGORIES)
    assert mrio.Z.loc[("ROU", "c3"), ("AUS", "c1")] == table.inter[35 + 2, 0]
    assert mrio.Y.loc[("RoW", "c35"), ("ROU", "c42")] == table.final[-1, 9]
    assert mrio.F.shape == (0, n) and mrio.F.index.name == "stressor"
    assert mrio.F_Y.shape == (0, 5 * len(table.countries)) and mrio.F_Y.index.name == "stressor"
    assert mrio.F_Y.columns.equals(mrio.Y.columns)
    assert dict(mrio.stressor_units) == {}
    assert (mrio.monetary_unit, mrio.source, mrio.year) == ("M USD", "wiod2013", 2008)
    assert mrio.price_basis == "current prices (basic prices)"
    assert mrio.version.startswith("WIOD 2013 release (Timmer et al. 2015)")
    # zero-output sectors are allowed and reported
    assert mrio.zero_output_sectors == [("ROU", ZERO_SECTOR[1])]
    r, worst = _residual(table)
    res = mrio.notes["output_residual"]
    assert res["max_abs"] == abs(r[worst])
    assert res["at"] == [REGIONS[worst // 35], SECTORS[worst % 35]]
    assert res["sum_abs"] == np.abs(r).sum()
    assert res["published_total"] == table.output.sum()
    assert mrio.notes["category_names"]["c41"] == "Gross fixed capital formation"
    assert mrio.notes["regions_renamed"] == {"ROM": "ROU"}


# ---------------------------------------------------------------- the sector list
def test_sector_csv_lists_the_35_codes_with_isic_rev3() -> None:
    with CSV.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["code"] for r in rows] == list(SECTORS)
    assert list(rows[0]) == ["code", "name", "isic_rev3"]
    by_code = {r["code"]: r for r in rows}
    assert (by_code["c1"]["isic_rev3"], by_code["c17"]["isic_rev3"], by_code["c35"]["isic_rev3"]) == (
        "AtB",
        "E",
        "P",
    )
    assert by_code["c17"]["name"] == "Electricity, Gas and Water Supply"
    assert len({r["isic_rev3"] for r in rows}) == 35
    frame = wiod2013_sectors()
    assert frame["code"].tolist() == list(SECTORS) and frame["name"].tolist() == [r["name"] for r in rows]


# -------------------------------------------------------------------- RData form
def test_rdata_mock_is_read_into_a_valid_mrio(tmp_path: Path, table: MockTable) -> None:
    write_rdata(tmp_path / "wiot_2008.RData", table)
    mrio = read_wiod2013(tmp_path, 2008, output_gap="recompute")
    _check_mock_mrio(mrio, table)
    assert mrio.value_added is None
    assert mrio.notes["file"] == "wiot_2008.RData"
    assert "RData" in mrio.version
    with CSV.open(encoding="utf-8", newline="") as f:
        names = {r["code"]: r["name"] for r in csv.DictReader(f)}
    assert mrio.notes["sector_names"] == names


def test_rdata_wrong_object_name_names_file_and_object(tmp_path: Path, table: MockTable) -> None:
    write_rdata(tmp_path / "wiot_2008.RData", table, object_name="wiot_2007")
    with pytest.raises(DataFileError, match=r"wiot_2008\.RData: no object 'wiot_2008'.*wiot_2007"):
        read_wiod2013(tmp_path, 2008, output_gap="recompute")


def test_rdata_missing_field(tmp_path: Path, table: MockTable) -> None:
    write_rdata(tmp_path / "wiot_2008.RData", table, drop=("inter",))
    with pytest.raises(DataFileError, match=r"wiot_2008\.RData: object 'wiot_2008' has no field 'inter'"):
        read_wiod2013(tmp_path, 2008, output_gap="recompute")


@pytest.mark.parametrize(
    ("field", "bad_shape", "expected"),
    [("inter", (105, 104), (105, 105)), ("final", (105, 14), (105, 15)), ("output", (104,), (105,))],
)
def test_rdata_wrong_shape_names_field_and_shapes(
    tmp_path: Path, table: MockTable, field: str, bad_shape: tuple[int, ...], expected: tuple[int, ...]
) -> None:
    write_rdata(tmp_path / "wiot_2008.RData", table, replace={field: np.zeros(bad_shape, dtype=np.int32)})
    with pytest.raises(DataFileError) as info:
        read_wiod2013(tmp_path, 2008, output_gap="recompute")
    message = str(info.value)
    assert "wiot_2008.RData" in message and f"wiot_2008${field}" in message
    assert f"shape {bad_shape}" in message and f"expected {expected}" in message


def test_rdata_wrong_industries_and_year(tmp_path: Path, table: MockTable) -> None:
    write_rdata(tmp_path / "wiot_2008.RData", table, replace={"industries": np.array(SECTORS[::-1])})
    with pytest.raises(DataFileError, match=r"industries is c35, c34"):
        read_wiod2013(tmp_path, 2008, output_gap="recompute")
    write_rdata(tmp_path / "wiot_2008.RData", table, replace={"year": np.array([2009], dtype=np.int32)})
    with pytest.raises(DataFileError, match=r"year is 2009, the file name says 2008"):
        read_wiod2013(tmp_path, 2008, output_gap="recompute")


def test_rdata_not_an_r_file_or_cut_short(tmp_path: Path, table: MockTable) -> None:
    path = tmp_path / "wiot_2008.RData"
    path.write_bytes(b"not an R file at all")
    with pytest.raises(
        DataFileError, match=r"wiot_2008\.RData: not an R data file \(it starts with b'not an'\)"
    ):
        read_wiod2013(tmp_path, 2008, output_gap="recompute")
    write_rdata(path, table)
    path.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(DataFileError, match=r"wiot_2008\.RData: not a readable R data file"):
        read_wiod2013(tmp_path, 2008, output_gap="recompute")


def test_checks_of_the_container_are_not_weakened(tmp_path: Path, table: MockTable) -> None:
    """A zero-output sector that buys inputs is a data error: the MRIO rejects it, the reader passes it on."""
    z = 35 + SECTORS.index(ZERO_SECTOR[1])
    table.inter[0, z] = 5
    write_rdata(tmp_path / "wiot_2008.RData", table)
    with pytest.raises(ValidationError, match=r"zero gross output buy intermediate inputs: \('ROU', 'c19'\)"):
        read_wiod2013(tmp_path, 2008, output_gap="recompute")


# --------------------------------------------------------------------- xlsx form
def test_workbook_mock_is_read_into_a_valid_mrio(tmp_path: Path, table: MockTable) -> None:
    write_workbook(tmp_path / "wiot08_row_sep12.xlsx", table)
    mrio = read_wiod2013(tmp_path, 2008, output_gap="recompute")
    _check_mock_mrio(mrio, table)
    assert mrio.notes["file"] == "wiot08_row_sep12.xlsx" and "workbook" in mrio.version
    assert mrio.notes["sector_names"]["c7"] == "Sector c7 name"
    assert mrio.notes["empty_cells_read_as_zero"] == 0
    va = mrio.value_added
    assert va is not None
    assert va.index.tolist() == [label for code, label in EXTRA_ROWS if code not in ("r60", "r69")]
    assert va.columns.equals(mrio.Z.index)
    np.testing.assert_array_equal(va.to_numpy(), table.extra[1:-1, :105])
    assert va.loc["Value added at basic prices", ("ROU", "c2")] == table.extra[5, 36]


@pytest.mark.filterwarnings("ignore::pymrio.tools.ioparser.ParserWarning")
def test_workbook_mock_agrees_with_pymrio_parse_wiod(tmp_path: Path, table: MockTable) -> None:
    """pymrio's WIOD parser, written against the real workbooks, reads the mock the same way."""
    import pymrio

    path = write_workbook(tmp_path / "wiot08_row_sep12.xlsx", table)
    theirs = pymrio.parse_wiod(path=path)
    ours = read_wiod2013(tmp_path, 2008, output_gap="recompute")
    np.testing.assert_array_equal(ours.Z.to_numpy(), theirs.Z.to_numpy())
    np.testing.assert_array_equal(ours.Y.to_numpy(), theirs.Y.to_numpy())
    assert ours.Y.columns.tolist() == theirs.Y.columns.tolist()
    assert ours.regions.tolist() == theirs.get_regions().tolist()
    assert ours.value_added is not None
    assert ours.value_added.index.tolist() == theirs.factor_inputs.F.index.tolist()
    np.testing.assert_array_equal(ours.value_added.to_numpy(), theirs.factor_inputs.F.to_numpy())


def test_workbook_upper_case_name_and_empty_cells(tmp_path: Path, table: MockTable) -> None:
    rows = workbook_rows(table)
    rows[6 + 3][4 + 7] = None  # the first number is in E7: this is L10
    table.inter[3, 7] = 0
    write_workbook(tmp_path / "WIOT08_ROW_Sep12.xlsx", table, rows)
    mrio = read_wiod2013(tmp_path, 2008, output_gap="recompute")
    assert mrio.notes["empty_cells_read_as_zero"] == 1
    assert mrio.Z.iloc[3, 7] == 0


def test_workbook_text_in_a_number_cell_names_the_cell(tmp_path: Path, table: MockTable) -> None:
    rows = workbook_rows(table)
    rows[7][5] = "n/a"  # row 8, column F
    write_workbook(tmp_path / "wiot08_row_sep12.xlsx", table, rows)
    with pytest.raises(
        DataFileError, match=r"wiot08_row_sep12\.xlsx: 1 cells of the table are not numbers: F8='n/a'"
    ):
        read_wiod2013(tmp_path, 2008, output_gap="recompute")


def test_workbook_header_errors_name_the_cell(tmp_path: Path, table: MockTable) -> None:
    path = tmp_path / "wiot08_row_sep12.xlsx"
    rows = workbook_rows(table)
    rows[5][4] = "C01"
    write_workbook(path, table, rows)
    with pytest.raises(DataFileError, match=r"cell E6 is 'C01', expected 'c1'"):
        read_wiod2013(tmp_path, 2008, output_gap="recompute")
    rows = workbook_rows(table)
    rows[5][4 + 105 + 3], rows[5][4 + 105 + 4] = "c42", "c41"
    write_workbook(path, table, rows)
    with pytest.raises(
        DataFileError, match=r"final-demand columns.*DI6 is labelled \('AUS', 'c42'\), expected"
    ):
        read_wiod2013(tmp_path, 2008, output_gap="recompute")
    rows = workbook_rows(table)
    rows[6 + 40][2] = "AUT"
    write_workbook(path, table, rows)
    with pytest.raises(
        DataFileError, match=r"industry rows: D47 is labelled \('AUT', 'c6'\), expected \('ROU', 'c6'\)"
    ):
        read_wiod2013(tmp_path, 2008, output_gap="recompute")


def test_workbook_rows_after_the_table_are_notes_but_gaps_inside_are_errors(
    tmp_path: Path, table: MockTable
) -> None:
    path = tmp_path / "wiot08_row_sep12.xlsx"
    rows = workbook_rows(table)
    write_workbook(path, table, [*rows, [], [None, "Source: a note under the table"]])
    np.testing.assert_array_equal(
        read_wiod2013(tmp_path, 2008, output_gap="recompute").Z.to_numpy(), table.inter
    )
    rows[10][3] = None
    write_workbook(path, table, rows)
    with pytest.raises(DataFileError, match=r"row 11 has code '' in column D"):
        read_wiod2013(tmp_path, 2008, output_gap="recompute")


def test_workbook_year_in_title_must_match(tmp_path: Path, table: MockTable) -> None:
    rows = workbook_rows(table)
    rows[0][0] = "World Input-Output Table 2009"
    write_workbook(tmp_path / "wiot08_row_sep12.xlsx", table, rows)
    with pytest.raises(DataFileError, match=r"A1 names the year 2009, the file name says 2008"):
        read_wiod2013(tmp_path, 2008, output_gap="recompute")


def test_workbook_not_xlsx_and_two_workbooks(tmp_path: Path, table: MockTable) -> None:
    (tmp_path / "wiot08_row_sep12.xlsx").write_bytes(b"plain text")
    with pytest.raises(DataFileError, match=r"wiot08_row_sep12\.xlsx: not a readable xlsx workbook"):
        read_wiod2013(tmp_path, 2008, output_gap="recompute")
    write_workbook(tmp_path / "wiot08_row_apr12.xlsx", table)
    with pytest.raises(DataFileError, match=r"2 WIOD workbooks for 2008"):
        read_wiod2013(tmp_path, 2008, output_gap="recompute")


def test_workbook_is_preferred_over_rdata(tmp_path: Path, table: MockTable) -> None:
    write_rdata(tmp_path / "wiot_2008.RData", mock_table(year=2008, seed=1))
    write_workbook(tmp_path / "wiot08_row_sep12.xlsx", table)
    mrio = read_wiod2013(tmp_path, 2008, output_gap="recompute")
    assert mrio.notes["file"] == "wiot08_row_sep12.xlsx"
    np.testing.assert_array_equal(mrio.Z.to_numpy(), table.inter)


# ------------------------------------------------------------------ year listing
def test_available_years_both_forms(tmp_path: Path) -> None:
    for name in [
        "wiot_2001.RData",
        "wiot08_row_sep12.xlsx",
        "WIOT95_ROW_Apr12.xlsx",
        "wiot_regional_1995.RData",
        "wiot_2003.RData.part",
        "notes.txt",
    ]:
        (tmp_path / name).write_bytes(b"")
    assert available_years(tmp_path) == [1995, 2001, 2008]


def test_absent_year_lists_the_years_held(tmp_path: Path, table: MockTable) -> None:
    write_rdata(tmp_path / "wiot_2008.RData", table)
    (tmp_path / "wiot_1999.RData").write_bytes(b"")
    with pytest.raises(
        YearNotAvailableError, match=r"no WIOD 2013 table for 2004.*Years in this folder: 1999, 2008"
    ):
        read_wiod2013(tmp_path, 2004, output_gap="recompute")


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"not a folder"):
        available_years(tmp_path / "absent")


# ---------------------------------------------------------------------- download
def test_urls_of_the_release() -> None:
    base = "http://www.wiod.org/protected3/data13/wiot_analytic/"
    assert wiod2013_url(1995) == base + "wiot95_row_apr12.xlsx"
    assert wiod2013_url(2007) == base + "wiot07_row_apr12.xlsx"
    assert wiod2013_url(2008) == base + "wiot08_row_sep12.xlsx"
    assert (
        wiod2013_url(2011, base_url="https://mirror.example/wiod/")
        == "https://mirror.example/wiod/wiot11_row_sep12.xlsx"
    )
    with pytest.raises(YearNotAvailableError, match=r"1995-2011"):
        wiod2013_url(2014)


def test_download_streams_renames_and_skips_present_files(tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    # the mirror serves real (small) workbooks: a download is checked to be an xlsx (issue 13)
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "workbook 1995"
    workbook.save(served / "wiot95_row_apr12.xlsx")
    workbook.active["A1"] = "workbook 2008"
    workbook.save(served / "wiot08_row_sep12.xlsx")
    dest = tmp_path / "dest"
    dest.mkdir()
    workbook.active["A1"] = "already here"
    workbook.save(dest / "wiot08_row_sep12.xlsx")
    here = (dest / "wiot08_row_sep12.xlsx").read_bytes()
    paths = download_wiod2013(dest, [1995, 2008], base_url=served.as_uri())
    assert paths == [dest / "wiot95_row_apr12.xlsx", dest / "wiot08_row_sep12.xlsx"]
    assert paths[0].read_bytes() == (served / "wiot95_row_apr12.xlsx").read_bytes()
    assert paths[1].read_bytes() == here  # a good file already present is not fetched again
    assert sorted(p.name for p in dest.iterdir()) == ["wiot08_row_sep12.xlsx", "wiot95_row_apr12.xlsx"]


def test_failed_download_leaves_no_file(tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    with pytest.raises(urllib.error.URLError):
        download_wiod2013(tmp_path / "dest", [2000], base_url=served.as_uri())
    assert list((tmp_path / "dest").iterdir()) == []


def test_interrupted_download_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        headers: ClassVar[dict[str, str]] = {"Content-Length": "100"}

        def __enter__(self) -> Broken:
            return self

        def __exit__(self, *args: object) -> None:
            return None

        def read(self, size: int) -> bytes:
            raise ConnectionResetError("connection dropped")

    monkeypatch.setattr("urllib.request.urlopen", lambda url, timeout: Broken())
    with pytest.raises(ConnectionResetError):
        download_wiod2013(tmp_path, [2000])
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------- real data
@pytest.fixture
def real_dir(shared_data: Path) -> Path:
    """../shared/data/wiod2013 (the conftest fixture skips when ../shared/data is absent)."""
    folder = shared_data / "wiod2013"
    if not (folder / "wiot_2008.RData").exists():
        pytest.skip(f"real WIOD 2013 tables not found in {folder}")
    return folder


def _raw(path: Path, name: str) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Missing constructor for R class")
        obj = rdata.conversion.convert(rdata.parser.parse_file(path))[name]
    assert isinstance(obj, dict)
    return obj


@pytest.mark.realdata
def test_real_2008_blocks_match_the_raw_file(real_dir: Path) -> None:
    raw = _raw(real_dir / "wiot_2008.RData", "wiot_2008")
    blocks = read_wiod2013_blocks(real_dir, 2008)
    assert blocks.Z.shape == (1435, 1435) and blocks.Y.shape == (1435, 205)
    np.testing.assert_array_equal(blocks.Z.to_numpy(), np.asarray(raw["inter"], dtype=float))
    np.testing.assert_array_equal(blocks.Y.to_numpy(), np.asarray(raw["final"], dtype=float))
    regions = blocks.Z.index.get_level_values("region").unique().tolist()
    assert len(regions) == 41 and "ROU" in regions and "RoW" in regions and "ROM" not in regions
    # ROU holds what the raw file lists as ROM
    rom = list(raw["countries"]).index("ROM")
    np.testing.assert_array_equal(
        blocks.Z.loc["ROU"].to_numpy(), np.asarray(raw["inter"], dtype=float)[rom * 35 : (rom + 1) * 35]
    )
    # published output vs Z1 + Y1, by hand from the raw arrays; README: up to ~110 M USD (rounding)
    residual = (
        np.asarray(raw["output"], float)
        - np.asarray(raw["inter"], float).sum(axis=1)
        - np.asarray(raw["final"], float).sum(axis=1)
    )
    assert np.abs(residual).max() <= 110
    np.testing.assert_array_equal(blocks.published_output.to_numpy(), np.asarray(raw["output"], float))


@pytest.mark.realdata
def test_real_2007_is_a_valid_mrio(real_dir: Path) -> None:
    raw = _raw(real_dir / "wiot_2007.RData", "wiot_2007")
    mrio = read_wiod2013(real_dir, 2007, output_gap="recompute")
    assert mrio.Z.shape == (1435, 1435) and mrio.Y.shape == (1435, 205)
    assert {"ROU", "RoW"} <= set(mrio.regions)
    x = np.asarray(raw["inter"], float).sum(axis=1) + np.asarray(raw["final"], float).sum(axis=1)
    np.testing.assert_array_equal(mrio.gross_output.to_numpy(), x)
    assert len(mrio.zero_output_sectors) == int((x == 0).sum()) > 0
    residual = np.asarray(raw["output"], float) - x
    assert mrio.notes["output_residual"]["max_abs"] == np.abs(residual).max() <= 110


@pytest.mark.realdata
@pytest.mark.parametrize("year", [1995, 2000, 2002, 2008, 2011])
def test_real_years_are_valid_with_the_residual_category(real_dir: Path, year: int) -> None:
    raw = _raw(real_dir / f"wiot_{year}.RData", f"wiot_{year}")
    mrio = read_wiod2013(real_dir, year, output_gap="residual_category")
    published = np.asarray(raw["output"], dtype=float)
    # gross output now equals the publisher's output column, read here straight from the file
    np.testing.assert_allclose(mrio.gross_output.to_numpy(), published, rtol=0, atol=1e-6)
    assert list(mrio.categories) == ["c37", "c38", "c39", "c41", "c42", "residual"]
    assert mrio.notes["output_gap_treatment"] == "residual_category"
    # the residual sits only in the producing region's own column
    residual = mrio.Y.xs("residual", axis=1, level="category")
    foreign = residual.to_numpy().copy()
    for r in range(41):
        foreign[r * 35 : (r + 1) * 35, r] = 0.0
    assert not foreign.any()


@pytest.mark.realdata
def test_real_2008_as_recomputed_is_rejected_naming_the_sectors(real_dir: Path) -> None:
    # the whole-number copy breaks the A column-sum check; the message names the sectors
    with pytest.raises(ValidationError, match=r"sum to >= 1.*CYP"):
        read_wiod2013(real_dir, 2008, output_gap="recompute")


@pytest.mark.realdata
def test_real_sector_names_match_the_packages_industry_names(real_dir: Path) -> None:
    raw = _raw(real_dir / "wiot_regional_2011.RData", "wiot_reg_2011")
    assert wiod2013_sectors()["name"].tolist() == [str(s) for s in raw["industries"]]
    assert available_years(real_dir) == list(range(1995, 2012))
