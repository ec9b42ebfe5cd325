"""Bad inputs of issue 13, each reproduced first: every one gets a named error and nothing is lost.

The table of every case is docs/reliability.md; each row names the test here that proves it.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import urllib.error
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from systems import make_mrio, random_arrays

from mrio_tools import MRIO
from mrio_tools.accounts.compare import read_accounts, read_reference
from mrio_tools.errors import DataFileError, DownloadError, OutputError, UnitError, ValidationError
from mrio_tools.io.output import (
    atomic_write,
    check_output_paths,
    write_table,
    write_tables_together,
)
from mrio_tools.mrio.stressors import define_stressors
from mrio_tools.sources._xlsx import open_workbook
from mrio_tools.sources.pymrio_saved import read_pymrio
from mrio_tools.sources.wiod2013 import _file_for_year, download_wiod2013
from mrio_tools.units import to_unit


@pytest.fixture
def good() -> MRIO:
    return make_mrio(random_arrays(3, 2, 3, 2, 2), 2, 3, 2)


# ------------------------------------------------------------------ 1. signs of Z and F
def test_negative_intermediate_flow_names_the_cell(good: MRIO) -> None:
    Z = good.Z.copy()
    Z.iloc[1, 4] = -3000.0  # (r0, s1) sells -3000 to (r1, s1)
    with pytest.raises(ValidationError, match=r"Z: 1 negative intermediate flows") as err:
        dataclasses.replace(good, Z=Z)
    assert "('r0', 's1') -> ('r1', 's1') = -3000 M EUR" in str(err.value)
    assert "allow_negative_intermediate" in str(err.value)


def test_negative_intermediate_flow_allowed_when_documented(good: MRIO) -> None:
    Z = good.Z.copy()
    Z.iloc[1, 4] = -0.5  # small enough to keep every A column sum below 1
    reason = "publisher's manual, section 4: negative entries are statistical adjustments"
    mrio = dataclasses.replace(good, Z=Z, notes={"allow_negative_intermediate": reason})
    assert mrio.metadata["allow_negative_intermediate"] == reason
    with pytest.raises(ValidationError, match=r"not a text"):
        dataclasses.replace(good, Z=Z, notes={"allow_negative_intermediate": True})


def test_negative_final_demand_is_allowed(good: MRIO) -> None:
    # changes in inventories (WIOD c42) and GFCF (c41) are negative in the real tables
    Y = good.Y.copy()
    Y.iloc[0, 1] = -1.0
    assert dataclasses.replace(good, Y=Y).Y.iloc[0, 1] == -1.0


def test_negative_emission_is_an_error_naming_the_stressor(good: MRIO) -> None:
    F = good.F.copy()
    F.iloc[0, 2] = -1e12
    with pytest.raises(ValidationError, match=r"F: stressor 'e0' \(kg\) is negative in 1 cells") as err:
        dataclasses.replace(good, F=F)
    assert "('r0', 's2') = -1e+12 kg" in str(err.value)
    F_Y = good.F_Y.copy()
    F_Y.iloc[1, 0] = -5.0
    with pytest.raises(ValidationError, match=r"F_Y: stressor 'e1'"):
        dataclasses.replace(good, F_Y=F_Y)


def test_declared_signed_and_monetary_stressors_may_be_negative(good: MRIO) -> None:
    F = good.F.copy()
    F.iloc[0, 2] = -10.0
    declared = dataclasses.replace(good, F=F, notes={"signed_stressors": {"e0": "net land-use CO2"}})
    assert declared.F.iloc[0, 2] == -10.0
    money = dataclasses.replace(good, F=F, stressor_units={"e0": "M EUR", "e1": "kg"})
    assert money.F.iloc[0, 2] == -10.0  # taxes less subsidies (EXIOBASE value added) are signed
    with pytest.raises(ValidationError, match=r"names stressors not in F: CO2"):
        dataclasses.replace(good, notes={"signed_stressors": {"CO2": "x"}})


def test_real_tables_have_no_negative_intermediate_flows(shared_data: Path) -> None:
    """WIOD 2013 1995-2011 inter blocks and the EXIOBASE aggregate Z: all entries >= 0 (read here with
    rdata and pandas directly, not with mrio_tools), while WIOD final demand has negative entries."""
    import rdata

    negatives_y = 0
    for year in (1995, 2011):
        raw = rdata.conversion.convert(
            rdata.parser.parse_file(shared_data / "wiod2013" / f"wiot_{year}.RData"),
            {**rdata.conversion.DEFAULT_CLASS_MAP, "iot": lambda value, attrs: value},
        )[f"wiot_{year}"]
        assert np.asarray(raw["inter"]).min() >= 0
        negatives_y += int((np.asarray(raw["final"]) < 0).sum())
    assert negatives_y > 0
    z = pd.read_csv(shared_data / "exiobase3_agg" / "PS7_Z.txt", sep="\t", header=[0, 1], index_col=[0, 1])
    assert z.to_numpy().min() >= 0


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


def test_compare_accounts_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"absent.csv: no such accounts file.*Fix: pass the table"):
        read_accounts(tmp_path / "absent.csv")


def _accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2010, 2010],
            "region": ["AUS", "AUT"],
            "account": ["PBA", "PBA"],
            "stressor": ["CO2", "CO2"],
            "unit": ["kt", "kt"],
            "value": [1.5, 2.5],
        }
    )


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_compare_reads_the_accounts_the_tool_writes(tmp_path: Path, suffix: str) -> None:
    path = write_table(_accounts(), tmp_path / f"accounts{suffix}", metadata={})
    table = read_accounts(path)
    assert table["value"].tolist() == [1.5, 2.5] and table["year"].tolist() == [2010, 2010]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", r"the accounts file is empty"),
        (b"\x00\x01\x02binary\xff", r"a binary file, not a CSV"),
        (b"a,b\n1,2\n", r"lacks the columns \['year', 'region', 'account', 'stressor', 'unit', 'value'\]"),
        (b"year,region,account,stressor,unit,value\n", r"has no rows"),
        (b"year,region,account,stressor,unit,value\n2010,AUS,PBA,CO2,kt,lots\n", r"rows 2 .*no number"),
        (b"PAR1 not really parquet", r"not a readable parquet accounts table"),
    ],
)
def test_compare_bad_accounts_files(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=expected):
        read_accounts(path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", r"the reference file is empty"),
        (b"   \n\n", r"the reference file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", r"a binary file, not a CSV"),
        (b"region,year,account,value,unit\n", r"header but no rows"),
        (b"region,year,account,value,unit\nR\xe9union,2010,PBA,1,kt\n", r"not UTF-8 text at byte 32"),
    ],
)
def test_compare_empty_or_binary_reference(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "reference.csv"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=expected):
        read_reference(path)


def test_compare_reference_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"is a folder, not a reference file"):
        read_reference(tmp_path)


# ----------------------------------------------------------------------- 3. outputs
def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    yield folder
    folder.chmod(0o700)


@pytest.mark.skipif(_is_root(), reason="root may write into read-only folders")
def test_write_into_read_only_folder(read_only: Path) -> None:
    with pytest.raises(OutputError, match=r"locked/a.csv: cannot write.*Fix: choose a folder you may write"):
        write_table(_accounts(), read_only / "a.csv", metadata={})
    assert list(read_only.iterdir()) == []


def test_write_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(OutputError, match=r"file.txt/a.csv: cannot write.*a part of the path is a file"):
        write_table(_accounts(), tmp_path / "file.txt" / "a.csv", metadata={})


def test_write_into_proc() -> None:
    if not Path("/proc/self").is_dir():
        pytest.skip("no /proc on this system")
    with pytest.raises(OutputError, match=r"/proc/a.csv: cannot write"):
        write_table(_accounts(), Path("/proc/a.csv"), metadata={})


def test_legal_long_names_are_written(tmp_path: Path) -> None:
    name = "a" * 245 + ".parquet"  # 253 bytes; its sidecar a...a.meta.json is 255
    assert len(name) == 253
    write_table(_accounts(), tmp_path / name, metadata={"x": 1})
    assert (tmp_path / ("a" * 245 + ".meta.json")).is_file()
    long_file = tmp_path / ("b" * 250)
    atomic_write(long_file, lambda tmp: tmp.write_text("ok"))
    assert long_file.read_text() == "ok"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "a" * 245 + ".meta.json", "b" * 250])


def test_name_whose_sidecar_is_too_long_is_refused_before_computing(tmp_path: Path) -> None:
    name = "c" * 246 + ".csv"  # 250 bytes: legal, but c...c.meta.json would be 256
    with pytest.raises(OutputError, match=r"256 bytes, longer than the 255.*sidecar"):
        check_output_paths([tmp_path / name], [])


def test_same_out_and_flows_refused_before_computing(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"same.csv: the same file as the output"):
        check_output_paths([tmp_path / "same.csv", tmp_path / "same.csv"], [])
    (tmp_path / "real.csv").write_text("x")
    (tmp_path / "link.csv").symlink_to(tmp_path / "real.csv")
    with pytest.raises(OutputError, match=r"the same file as the output"):
        check_output_paths([tmp_path / "real.csv", tmp_path / "link.csv"], [])
    with pytest.raises(OutputError, match=r"a.parquet: the same file as the output .*a.csv"):
        check_output_paths([tmp_path / "a.csv", tmp_path / "a.parquet"], [])  # one sidecar a.meta.json


def test_output_equal_to_an_input_refused(tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("year\n")
    with pytest.raises(OutputError, match=r"would overwrite the input"):
        check_output_paths([accounts], [accounts])
    (tmp_path / "alias.csv").symlink_to(accounts)
    with pytest.raises(OutputError, match=r"would overwrite the input"):
        check_output_paths([tmp_path / "alias.csv"], [accounts])
    assert accounts.read_text() == "year\n"


def test_output_folder_holding_an_input_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with pytest.raises(OutputError, match=r"replaced as a whole"):
        check_output_paths([tmp_path], [data / "wiot_2008.RData"])


def test_unwritable_output_found_before_computing(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(OutputError, match=r"file.txt is a file, so no folder can be made"):
        check_output_paths([tmp_path / "file.txt" / "sub" / "a.csv"], [])
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(OutputError, match=r"dir.csv: is a folder, not a file"):
        check_output_paths([tmp_path / "dir.csv"], [])


@pytest.mark.skipif(_is_root(), reason="root may write into read-only folders")
def test_read_only_output_folder_found_before_computing(read_only: Path) -> None:
    with pytest.raises(OutputError, match=r"cannot write into .*locked.*Fix: choose a folder"):
        check_output_paths([read_only / "new" / "a.csv"], [])
    assert list(read_only.iterdir()) == []


def test_check_output_paths_touches_nothing(tmp_path: Path) -> None:
    existing = tmp_path / "old.csv"
    existing.write_text("previous")
    before = existing.stat().st_mtime_ns
    result = check_output_paths([existing, tmp_path / "new" / "flows.parquet", tmp_path / "report"], [])
    assert result[0] == existing.resolve()
    assert existing.read_text() == "previous" and existing.stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.csv"]


def test_failed_second_table_leaves_both_old_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    accounts, flows = tmp_path / "accounts.csv", tmp_path / "flows.csv"
    accounts.write_text("old accounts")
    flows.write_text("old flows")

    class Broken(pd.DataFrame):
        def to_csv(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
            raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match=r"flows.csv: cannot write \(No space left on device\).*free disk"):
        write_tables_together([(_accounts(), accounts), (Broken(_accounts()), flows)], metadata={})
    assert accounts.read_text() == "old accounts" and flows.read_text() == "old flows"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.csv", "flows.csv"]
    write_tables_together([(_accounts(), accounts), (_accounts(), flows)], metadata={"run": 2})
    assert pd.read_csv(flows)["value"].tolist() == [1.5, 2.5]
    assert json.loads((tmp_path / "flows.meta.json").read_text()) == {"run": 2}


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


# ------------------------------------------------------------------------- 5. units
def test_unit_conversion_names_the_stressors_and_units() -> None:
    table = pd.DataFrame(
        {
            "account": ["PBA", "PBA", "PBA"],
            "stressor": ["CO2", "water", "land"],
            "unit": ["kt", "Mm3", "km2"],
            "value": [1.0, 2.0, 3.0],
        }
    )
    with pytest.raises(UnitError) as err:
        to_unit(table, "Mt")
    text = str(err.value)
    assert "water in 'Mm3'" in text and "land in 'km2'" in text and "CO2 in 'kt'" in text


def test_stressor_definition_names_rows_and_units(good: MRIO) -> None:
    mrio = dataclasses.replace(good, stressor_units={"e0": "kg", "e1": "Mm3"})
    with pytest.raises(
        UnitError, match=r"stressor 'total': row 'e1' is in 'Mm3'.*'e0' in 'kg', 'e1' in 'Mm3'"
    ):
        define_stressors(mrio, {"total": ["e0", "e1"]}, unit="kt")


def test_permission_denied_is_named_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the read-only tests above skip as root (root writes anywhere); the error path is the same
    def refuse(folder: Path) -> Path:
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr("mrio_tools.io.output._temp_file", refuse)
    with pytest.raises(OutputError, match=r"a.csv: cannot write \(Permission denied\). Fix: choose a folder"):
        write_table(_accounts(), tmp_path / "a.csv", metadata={})
    with pytest.raises(
        OutputError, match=r"a.csv: cannot write into .*Permission denied.*Fix: choose a folder"
    ):
        check_output_paths([tmp_path / "a.csv"], [])
    assert list(tmp_path.iterdir()) == []


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
