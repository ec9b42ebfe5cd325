"""The command line: help, accounts and report on the demonstration data, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from mrio_tools.cli import main
from mrio_tools.schema import ACCOUNT_COLUMNS
from mrio_tools.testing import assert_identities


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    for command in ("accounts", "report", "compare", "years", "sources", "download"):
        assert command in out


def test_python_dash_m_works() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mrio_tools", "sources"], capture_output=True, text=True, check=True
    )
    assert "demo" in done.stdout and "wiod2013" in done.stdout


def test_accounts_command_writes_long_table_and_metadata(tmp_path: Path) -> None:
    out = tmp_path / "accounts.csv"
    flows = tmp_path / "flows.csv"
    assert (
        main(["accounts", "--source", "demo", "--year", "2010", "--out", str(out), "--flows", str(flows)])
        == 0
    )
    table = pd.read_csv(out)
    assert tuple(table.columns) == ACCOUNT_COLUMNS
    assert set(table["year"]) == {2010}
    assert_identities(table)
    meta = json.loads((tmp_path / "accounts.meta.json").read_text())
    assert meta["source"] == "demo" and meta["demonstration_data"] is True and meta["year"] == 2010
    assert "solver" in meta and "command" in meta
    assert len(pd.read_csv(flows)) == 2 * 6 * 6


def test_stressor_selection_and_unit(tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    args = ["accounts", "--source", "demo", "--year", "2000", "--out", str(out), "--unit", "t"]
    assert main([*args, "--stressor", "demo emission 1 (air)"]) == 0
    table = pd.read_csv(out)
    assert set(table.loc[table["account"] == "PBA", "stressor"]) == {"demo emission 1 (air)"}
    assert set(table.loc[table["account"] == "PBA", "unit"]) == {"t"}
    assert set(table.loc[table["account"] == "EXPORT_INTENSITY_TOTAL", "unit"]) == {"kg/M USD"}
    meta = json.loads((tmp_path / "a.meta.json").read_text())
    assert "converted from the stressor_units to t" in meta["unit_conversion"]


def test_unknown_stressor_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "accounts",
            "--source",
            "demo",
            "--year",
            "2000",
            "--out",
            str(tmp_path / "a.csv"),
            "--stressor",
            "CO2",
        ]
    )
    assert code == 2
    assert "'CO2'" in capsys.readouterr().err


def test_year_not_held_lists_the_years(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["accounts", "--source", "demo", "--year", "1980", "--out", str(tmp_path / "a.csv")]) == 2
    assert "1990-2019" in capsys.readouterr().err
    assert not (tmp_path / "a.csv").exists()


def test_report_reads_the_saved_series(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    series, report = tmp_path / "series", tmp_path / "report"
    assert main(["series", "--source", "demo", "--years", "1990-1992", "--out-dir", str(series)]) == 0
    table = pd.read_csv(series / "accounts.csv")
    assert sorted(table["year"].unique()) == [1990, 1991, 1992]

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("the report recomputed accounts")

    monkeypatch.setattr("mrio_tools.accounts.national.national_accounts", forbidden)
    assert main(["report", "--series", str(series), "--out-dir", str(report)]) == 0
    assert (report / "report.html").is_file()
    png = next((report / "figures").glob("*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "DEMONSTRATION DATA" in next((report / "figures").glob("*.svg")).read_text()
    # a report folder must not be the series folder it reads
    assert main(["report", "--series", str(series), "--out-dir", str(series)]) == 2


def test_download_fetches_the_publisher_files_from_a_mirror(tmp_path: Path) -> None:
    served = tmp_path / "mirror"
    served.mkdir()
    for name in ("wiot00_row_apr12.xlsx", "wiot08_row_sep12.xlsx"):
        workbook = openpyxl.Workbook()
        workbook.active["A1"] = name  # a real (small) workbook: downloads are checked to be xlsx
        workbook.save(served / name)
    dest = tmp_path / "data_raw" / "wiod2013"
    argv = ["download", "--source", "wiod2013", "--years", "2000,2008", "--dest", str(dest)]
    assert main([*argv, "--base-url", served.as_uri()]) == 0
    assert sorted(p.name for p in dest.iterdir()) == ["wiot00_row_apr12.xlsx", "wiot08_row_sep12.xlsx"]
    fetched = dest / "wiot08_row_sep12.xlsx"
    assert fetched.read_bytes() == (served / "wiot08_row_sep12.xlsx").read_bytes()


def test_download_failure_names_the_url_and_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "mirror"
    empty.mkdir()
    argv = ["download", "--source", "wiod2013", "--years", "2001", "--dest", str(tmp_path / "dest")]
    assert main([*argv, "--base-url", empty.as_uri()]) == 2
    err = capsys.readouterr().err
    assert "wiot01_row_apr12.xlsx" in err and "--base-url" in err
    assert list((tmp_path / "dest").iterdir()) == []


@pytest.mark.parametrize(
    ("years", "expected"),
    [("19x5-2000", "'19x5' in '19x5-2000' is not a year"), ("2011-1995", "runs backwards")],
)
def test_bad_years_are_a_usage_error(
    years: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["series", "--source", "demo", "--years", years, "--out-dir", str(tmp_path)])
    assert stop.value.code == 2
    assert expected in capsys.readouterr().err


def test_download_of_a_year_outside_the_release(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["download", "--source", "wiod2013", "--years", "2014", "--dest", str(tmp_path)]) == 2
    assert "1995-2011" in capsys.readouterr().err


def test_unknown_table_format_is_refused_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["accounts", "--source", "demo", "--year", "2010", "--out", str(tmp_path / "a.xlsx")])
    assert stop.value.code == 2
    assert "a.xlsx: unknown table format '.xlsx'; name the file .csv or .parquet" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
