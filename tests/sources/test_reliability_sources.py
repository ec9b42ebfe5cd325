"""Bad source files and downloads of issue 13, each with a named error and nothing kept half-written.

Moved from tests/test_reliability.py (assertions unchanged); docs/reliability.md names each test.
"""

from __future__ import annotations

import io
import json
import shutil
import urllib.error
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from mrio_tools.errors import DataFileError, DownloadError, ValidationError
from mrio_tools.sources._xlsx import open_workbook
from mrio_tools.sources.pymrio_saved import read_pymrio
from mrio_tools.sources.wiod2013 import _file_for_year, download_wiod2013


# ---------------------------------------------------------------- 2. files of sources
@pytest.fixture(scope="module")
def pymrio_save(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import pymrio

    folder = tmp_path_factory.mktemp("pymrio") / "save"
    system = pymrio.load_test()
    system.calc_all()
    system.save_all(folder, table_format="txt")
    return folder


@pytest.fixture
def save_copy(pymrio_save: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(pymrio_save, tmp_path / "save"))


def test_pymrio_text_cell_names_file_row_and_column(save_copy: Path) -> None:
    lines = (save_copy / "Z.txt").read_text().splitlines()
    cells = lines[4].split("\t")  # line 5: (reg1, mining) after three header lines and (reg1, food)
    cells[3] = "12,5"  # the column (reg1, mining): a decimal comma
    lines[4] = "\t".join(cells)
    (save_copy / "Z.txt").write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFileError) as err:
        read_pymrio(save_copy, extension=None, year=2010)
    text = str(err.value)
    assert str(save_copy / "Z.txt") in text
    assert "('reg1', 'mining') (line 5 of the file)" in text and "('reg1', 'mining') is '12,5'" in text


def test_pymrio_entry_outside_the_folder_is_refused(save_copy: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(save_copy / "Z.txt", other / "Z.txt")
    parameters = json.loads((save_copy / "file_parameters.json").read_text())
    parameters["files"]["Z"]["name"] = "../other/Z.txt"
    (save_copy / "file_parameters.json").write_text(json.dumps(parameters))
    with pytest.raises(DataFileError, match=r"entry 'Z' names the file '../other/Z.txt'.*Fix: copy"):
        read_pymrio(save_copy, extension=None, year=2010)


def test_pymrio_negative_z_needs_documentation_and_permission(save_copy: Path) -> None:
    z = pd.read_csv(save_copy / "Z.txt", sep="\t", header=[0, 1], index_col=[0, 1])
    z.iloc[0, 1] = -3000.0
    z.to_csv(save_copy / "Z.txt", sep="\t")
    with pytest.raises(
        DataFileError, match=r"1 negative intermediate flows.*\('reg1', 'food'\) -> \('reg1', 'mining'\)"
    ):
        read_pymrio(save_copy, extension=None, year=2010)
    with pytest.raises(DataFileError, match=r"does not document them"):
        read_pymrio(save_copy, extension=None, year=2010, allow_negative_intermediate=True)
    meta = json.loads((save_copy / "metadata.json").read_text())
    meta["negative_intermediate"] = "test system: one negative flow put in by hand"
    (save_copy / "metadata.json").write_text(json.dumps(meta))
    mrio = read_pymrio(save_copy, extension=None, year=2010, allow_negative_intermediate=True)
    assert mrio.metadata["allow_negative_intermediate"].startswith("test system: one negative flow")


def _xlsx_bytes(rows: list[list[Any]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _replace_member(data: bytes, member: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == member else source.read(item.filename))
    return out.getvalue()


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_malformed_xml_in_xlsx_names_the_file(tmp_path: Path, member: str) -> None:
    good = _xlsx_bytes([[1, 2.0, "x"]] * 30)
    path = tmp_path / "book.xlsx"
    path.write_bytes(_replace_member(good, member, b"<worksheet><sheetData><row"))
    with pytest.raises(DataFileError, match=r"book.xlsx: not a readable xlsx workbook.*Fix: get a new copy"):
        book = open_workbook(path, fix="get a new copy")
        try:
            list(book.worksheets[0].iter_rows(values_only=True))
        finally:
            book.close()


# --------------------------------------------------------------------- 4. downloads
def _served(tmp_path: Path, files: dict[str, bytes]) -> str:
    served = tmp_path / "mirror"
    served.mkdir(exist_ok=True)
    for name, content in files.items():
        (served / name).write_bytes(content)
    return served.as_uri()


WORKBOOK = _xlsx_bytes([["WIOT 2000"], [1, 2]])


def test_download_checks_the_workbook_and_keeps_it(tmp_path: Path) -> None:
    url = _served(tmp_path, {"wiot00_row_apr12.xlsx": WORKBOOK})
    (path,) = download_wiod2013(tmp_path / "dest", [2000], base_url=url)
    assert path.read_bytes() == WORKBOOK


def test_html_page_served_as_xlsx_is_refused(tmp_path: Path) -> None:
    url = _served(tmp_path, {"wiot00_row_apr12.xlsx": b"<!DOCTYPE html><html><body>Log in</body></html>"})
    with pytest.raises(
        DownloadError,
        match=r"wiot00_row_apr12.xlsx: not the xlsx workbook: the file is an HTML page, not a zip.*nothing",
    ):
        download_wiod2013(tmp_path / "dest", [2000], base_url=url)
    assert list((tmp_path / "dest").iterdir()) == []


class _Response:
    """A urlopen response that declares `declared` bytes and sends `body`."""

    def __init__(self, body: bytes, declared: int) -> None:
        self._body = io.BytesIO(body)
        self.headers: dict[str, str] = {"Content-Length": str(declared)}

    def __enter__(self) -> _Response:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def read(self, size: int) -> bytes:
        return self._body.read(size)


def test_cut_transfer_is_an_error_and_no_file_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = WORKBOOK[: len(WORKBOOK) // 2]
    monkeypatch.setattr("urllib.request.urlopen", lambda url, timeout: _Response(body, len(WORKBOOK)))
    with pytest.raises(
        DownloadError, match=rf"the transfer was cut: {len(body)} of the {len(WORKBOOK)} bytes"
    ):
        download_wiod2013(tmp_path, [2000])
    assert list(tmp_path.iterdir()) == []


def test_broken_file_already_there_is_fetched_again(tmp_path: Path) -> None:
    url = _served(tmp_path, {"wiot00_row_apr12.xlsx": WORKBOOK, "wiot01_row_apr12.xlsx": WORKBOOK})
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "wiot00_row_apr12.xlsx").write_bytes(WORKBOOK[:300])  # a cut transfer from an older version
    (dest / "wiot01_row_apr12.xlsx").write_bytes(b"<html>error</html>")
    paths = download_wiod2013(dest, [2000, 2001], base_url=url)
    assert [p.read_bytes() for p in paths] == [WORKBOOK, WORKBOOK]


def test_broken_file_there_and_unreachable_mirror_keeps_reporting(tmp_path: Path) -> None:
    url = _served(tmp_path, {})
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "wiot00_row_apr12.xlsx").write_bytes(b"<html>error</html>")
    with pytest.raises(urllib.error.URLError) as err:
        download_wiod2013(dest, [2000], base_url=url)
    assert "Fix: check the connection" in " ".join(err.value.__notes__)


@pytest.mark.parametrize("base_url", ["notaurl", "www.example.org/wiod", "http://", "ftp:"])
def test_base_url_that_is_not_a_url(tmp_path: Path, base_url: str) -> None:
    with pytest.raises(DownloadError, match=rf"--base-url '{base_url}' is not a URL of a folder.*Fix"):
        download_wiod2013(tmp_path, [2000], base_url=base_url)
    assert list(tmp_path.iterdir()) == []


def test_base_url_that_is_a_local_folder_gets_its_uri(tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match=r"a local folder: file://"):
        download_wiod2013(tmp_path / "dest", [2000], base_url=str(tmp_path))


def test_readable_rdata_is_preferred_over_a_broken_workbook(tmp_path: Path) -> None:
    rdata = tmp_path / "wiot_2008.RData"
    rdata.write_bytes(b"\x1f\x8b\x08\x00 gzip data")
    (tmp_path / "wiot08_row_sep12.xlsx").write_bytes(b"<html>not a workbook</html>")
    assert _file_for_year(tmp_path, 2008) == (rdata, "rdata")
    (tmp_path / "wiot08_row_sep12.xlsx").write_bytes(WORKBOOK)
    assert _file_for_year(tmp_path, 2008) == (tmp_path / "wiot08_row_sep12.xlsx", "xlsx")
    (tmp_path / "wiot08_row_sep12.xlsx").write_bytes(b"<html>not a workbook</html>")
    rdata.write_bytes(b"<html>")
    with pytest.raises(DataFileError, match=r"both files of 2008 are damaged"):
        _file_for_year(tmp_path, 2008)


# ---------------------------------------------------- more source files (WIOD, pymrio)
def test_wiod_negative_inter_cell_names_the_cell(tmp_path: Path) -> None:
    from fixtures_wiod2013 import mock_table, write_rdata

    from mrio_tools.sources.wiod2013 import read_wiod2013

    table = mock_table()
    table.inter[0, 36] = -500000  # AUS c1 sells -500000 to ROM c2 (0-based column 36 = 35 + 1)
    write_rdata(tmp_path / "wiot_2008.RData", table)
    with pytest.raises(ValidationError, match=r"1 negative intermediate flows") as err:
        read_wiod2013(tmp_path, 2008, output_gap="recompute")
    assert "('AUS', 'c1') -> ('ROU', 'c2') = -500000 M USD" in str(err.value)


def test_wiod_workbook_with_malformed_xml_names_the_file(tmp_path: Path) -> None:
    from fixtures_wiod2013 import mock_table, write_workbook

    from mrio_tools.sources.wiod2013 import read_wiod2013

    path = write_workbook(tmp_path / "wiot08_row_sep12.xlsx", mock_table())
    path.write_bytes(_replace_member(path.read_bytes(), "xl/worksheets/sheet1.xml", b"<worksheet><row"))
    with pytest.raises(
        DataFileError, match=r"wiot08_row_sep12.xlsx: not a readable xlsx workbook.*Fix: download it again"
    ):
        read_wiod2013(tmp_path, 2008, output_gap="recompute")


def test_pymrio_missing_value_text_is_a_nan_named_by_cell(save_copy: Path) -> None:
    lines = (save_copy / "Z.txt").read_text().splitlines()
    cells = lines[4].split("\t")
    cells[3] = "n/a"  # pandas reads n/a as a missing value
    lines[4] = "\t".join(cells)
    (save_copy / "Z.txt").write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFileError, match=r"save: MRIO block Z: 1 NaN or infinite values.*'mining'"):
        read_pymrio(save_copy, extension=None, year=2010)


@pytest.mark.parametrize("content", ["{", "[1, 2]", ""])
def test_pymrio_broken_parameter_file(save_copy: Path, content: str) -> None:
    (save_copy / "file_parameters.json").write_text(content)
    with pytest.raises(DataFileError, match=r"file_parameters.json: (not valid JSON|expected a JSON object)"):
        read_pymrio(save_copy, extension=None, year=2010)
