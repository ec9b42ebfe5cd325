"""Every user input is checked before any computation, and the error names the culprit and the fix.

Issue 21's cases, through the command line: exit status 2, one paragraph naming the file, line (as
an editor counts it: header = line 1), label or argument and the fix; never the catch-all
"unexpected ... (a bug)"; and nothing written or overwritten.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from mrio_tools.cli import main


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = main(args)
    except SystemExit as usage:  # argparse: a usage error naming the argument, exit 2
        code = int(usage.code or 0)
    return code, capsys.readouterr().err


def _named(code: int, err: str, *parts: str) -> None:
    assert code == 2, err
    assert "unexpected" not in err and "Traceback" not in err, err
    for part in parts:
        assert part in err, (part, err)


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo series 2000-2001 (kg) written by the command line."""
    out = tmp_path_factory.mktemp("named") / "series"
    args = [
        "series",
        "--source",
        "demo",
        "--years",
        "2000-2001",
        "--out-dir",
        str(out),
        "--no-cache",
        "--no-progress",
    ]
    assert main(args) == 0
    return out


def _report(series: Path, out: Path, *extra: str) -> list[str]:
    return ["report", "--series", str(series), "--out-dir", str(out), *extra]


# ------------------------------------------------------------------ report arguments and files
def test_report_choices_that_are_not_in_the_series(
    series: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    _named(
        *_run(_report(series, out, "--stressor", "CH4"), capsys),
        "stressor 'CH4' is not in the series",
        "demo emission 1 (air)",
    )
    code, err = _run(_report(series, out, "--regions", "demo a,Atlantis"), capsys)
    _named(code, err, "'demo a'", "'Atlantis'", "not in the series", "did you mean Demo A for demo a")
    _named(
        *_run(_report(series, out, "--year", "1800"), capsys), "--year 1800 is not in the series", "2000-2001"
    )
    assert not out.exists()


def test_a_missing_skill_dir_is_named(
    series: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    code, err = _run(_report(series, out, "--skill-dir", str(tmp_path / "no_skill")), capsys)
    _named(code, err, "--skill-dir", "no_skill", "no such folder", "skill-test")
    (tmp_path / "empty").mkdir()
    code, err = _run(_report(series, out, "--skill-dir", str(tmp_path / "empty")), capsys)
    _named(code, err, "holds no skill.csv")
    assert not out.exists()


def test_a_malformed_manifest_is_named(
    series: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "series"
    shutil.copytree(series, copy)
    for text, what in (
        ('{"files": ', "not valid JSON"),
        ('{"files": ["accounts.csv"]}', "not a series manifest"),
    ):
        (copy / "manifest.json").write_text(text)
        code, err = _run(_report(copy, tmp_path / "report"), capsys)
        _named(code, err, str(copy / "manifest.json"), what, "run the series command again")
        # the series command itself names it too, before any work
        args = ["series", "--source", "demo", "--years", "2000", "--out-dir", str(copy), "--no-cache"]
        _named(*_run([*args, "--no-progress"], capsys), "manifest.json", what)
    assert not (tmp_path / "report").exists()


# ------------------------------------------------------------------ series and accounts arguments
def test_a_scheduler_address_that_is_not_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["series", "--source", "demo", "--years", "2000", "--out-dir", str(tmp_path / "s")]
    for address in ("localhost", "http://host", "tcp://host:port"):
        _named(
            *_run([*args, "--scheduler", address], capsys), "--scheduler", "not a scheduler address", "tcp://"
        )
    assert not (tmp_path / "s").exists()


def test_a_repeated_stressor_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "a.csv"
    args = ["accounts", "--source", "demo", "--year", "2000", "--out", str(out), "--stressor", "CO2"]
    _named(
        *_run([*args, "--stressor", "CO2"], capsys), "--stressor 'CO2' given more than once", "count twice"
    )
    assert not out.exists()


def test_unit_with_stray_spaces_is_written_as_the_unit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "a.csv"
    assert main(["accounts", "--source", "demo", "--year", "2000", "--out", str(out), "--unit", " Mt "]) == 0
    units = set(pd.read_csv(out).query("account == 'PBA'")["unit"])
    assert units == {"Mt"}


def test_a_full_disk_names_the_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: pd.DataFrame, path: object, *args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")  # as the OS raises it: no file name

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full)
    out = tmp_path / "series"
    args = [
        "series",
        "--source",
        "demo",
        "--years",
        "2000",
        "--out-dir",
        str(out),
        "--no-cache",
        "--no-progress",
    ]
    code, err = _run(args, capsys)
    _named(code, err, str(out / "years" / "2000"), "No space left on device", "free disk space")
    assert not (out / "years" / "2000").exists()


def test_a_megabyte_label_is_cut_to_a_readable_length(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    label = "CO2" * 350_000  # a whole file pasted as a stressor name
    args = [
        "accounts",
        "--source",
        "demo",
        "--year",
        "2000",
        "--out",
        str(tmp_path / "a.csv"),
        "--stressor",
        label,
    ]
    code, err = _run(args, capsys)
    assert code == 2 and len(err) < 3000 and "characters" in err and "unexpected" not in err


def test_values_that_overflow_on_conversion_are_refused() -> None:
    from mrio_tools.errors import UnitError
    from mrio_tools.series.tasks import convert_units

    table = pd.DataFrame(
        {
            "year": 2000,
            "region": ["A", "B"],
            "account": "PBA",
            "stressor": "CO2",
            "unit": "Gt",
            "value": [1e300, 1.0],
        }
    )
    # 1e300 Gt = 1e315 g: beyond the largest double (1.8e308), so the conversion would write inf
    with pytest.raises(UnitError, match=r"too large.*overflow to infinity.*A PBA 2000"):
        convert_units(table, "g", flows=False)
    assert convert_units(table, "Mt", flows=False)["value"].tolist() == [1e303, 1e3]


# ------------------------------------------------------------------ compare
def test_a_reference_of_another_substance_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accounts = tmp_path / "a.csv"
    stressor = "demo emission 1 (air)"
    args = ["accounts", "--source", "demo", "--year", "2000", "--out", str(accounts), "--stressor", stressor]
    assert main([*args, "--unit", "Mt"]) == 0
    compare = ["compare", "--accounts", str(accounts), "--reference", str(tmp_path / "inventory.csv")]
    compare += ["--stressor", stressor]
    reference = tmp_path / "inventory.csv"
    reference.write_text("region,year,account,value,unit\nDemo A,2000,PBA,12,Mt CH4\n")
    code, err = _run([*compare, "--out", str(tmp_path / "diff.csv")], capsys)
    _named(code, err, "(Demo A, 2000, PBA)", "'Mt CH4' is a mass of CH4", stressor, "same substance")
    assert not (tmp_path / "diff.csv").exists()
    reference.write_text("region,year,account,value,unit\nDemo A,2000,PBA,12,kt\n")  # a bare mass: compared
    assert main([*compare, "--out", str(tmp_path / "diff.csv")]) == 0


def test_reference_codes_in_another_case_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accounts = tmp_path / "a.csv"
    stressor = "demo emission 1 (air)"
    assert (
        main(
            ["accounts", "--source", "demo", "--year", "2000", "--out", str(accounts), "--stressor", stressor]
        )
        == 0
    )
    reference = tmp_path / "inventory.csv"
    reference.write_text("region,year,account,value,unit\ndemo a,2000,pba,12,kg\n")
    compare = ["compare", "--accounts", str(accounts), "--reference", str(reference), "--stressor", stressor]
    code, err = _run([*compare, "--out", str(tmp_path / "diff.csv")], capsys)
    _named(code, err, "(demo a, 2000, pba) for ours (Demo A, 2000, PBA)", "case-sensitive")
    assert not (tmp_path / "diff.csv").exists()


# ------------------------------------------------------------------ outputs inside input folders
def test_an_output_inside_an_input_folder_is_refused(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "cml"
    shutil.copytree(shared_data / "cml_3x8_2015", data)
    before = {p.relative_to(data): p.read_bytes() for p in data.rglob("*") if p.is_file()}
    for out in (data / "accounts.csv", data / "labels" / "out.csv"):
        args = ["accounts", "--source", "cml3x8", "--data", str(data), "--year", "2015", "--out", str(out)]
        _named(
            *_run(args, capsys), str(out), "inside the input folder", str(data), "outside every input folder"
        )
    args = [
        "series",
        "--source",
        "cml3x8",
        "--data",
        str(data),
        "--years",
        "2015",
        "--out-dir",
        str(data / "s"),
    ]
    _named(*_run(args, capsys), "inside the input folder")
    assert {p.relative_to(data): p.read_bytes() for p in data.rglob("*") if p.is_file()} == before


# ------------------------------------------------------------------ groups and the national table
def _wiod(shared_data: Path, out: Path, years: str) -> list[str]:
    return [
        "series", "--source", "wiod2013", "--data", str(shared_data / "wiod2013"),
        "--emissions", str(shared_data / "wiod2016_env"), "--years", years, "--out-dir", str(out),
        "--no-cache", "--no-progress",
    ]  # fmt: skip


@pytest.mark.realdata
def test_group_files_that_are_empty_or_name_no_region(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    derived = [
        "--national",
        str(shared_data / "owid_co2_2025"),
        "--deflator",
        str(shared_data / "us_gdp_deflator"),
    ]
    groups = tmp_path / "groups.csv"
    out = tmp_path / "series"
    for text in ("", "group,region\n"):
        groups.write_text(text)
        code, err = _run([*_wiod(shared_data, out, "2007-2008"), *derived, "--groups", str(groups)], capsys)
        _named(code, err, "--groups", str(groups), "group,region")
        assert not out.exists()  # found before any year was computed
    groups.write_text("group,region\nasia,chn\nasia,Japan\nasia,KOR\n")
    code, err = _run([*_wiod(shared_data, out, "2007-2008"), *derived, "--groups", str(groups)], capsys)
    _named(code, err, "'Japan'", "'chn' (did you mean CHN?)", "not regions of the table", "ISO3")
    assert len(list((out / "years").iterdir())) == 1  # found after the first year, not after all of them
    assert not (out / "groups.csv").exists() and not (out / "manifest.json").exists()


@pytest.mark.realdata
def test_regions_the_national_table_lacks_end_the_run_after_one_year(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "series"
    args = [
        "series",
        "--source",
        "demo",
        "--years",
        "2000-2003",
        "--out-dir",
        str(out),
        "--no-cache",
        "--no-progress",
    ]
    derived = [
        "--national",
        str(shared_data / "owid_co2_2025"),
        "--deflator",
        str(shared_data / "us_gdp_deflator"),
    ]
    code, err = _run([*args, *derived], capsys)
    _named(code, err, "Demo A", "are not countries of the national table")
    assert len(list((out / "years").iterdir())) == 1 and not (out / "manifest.json").exists()


@pytest.mark.realdata
def test_a_bad_national_row_is_named_as_the_editor_counts_it(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    national = tmp_path / "national.csv"
    national.write_text(
        "country,year,population,gdp,co2\nChina,2007,1317885519,1.0e13,7000\nChina,2008,1333821011,1.08e13,abc\n"
    )
    code, err = _run(
        [*_wiod(shared_data, tmp_path / "s", "2012"), "--extend", "--national", str(national)], capsys
    )
    _named(code, err, str(national), "column co2", "line 3 ('China', 2008: 'abc')", "write a number")


@pytest.mark.realdata
def test_years_of_wiod2013_as_the_readme_writes_it(
    shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = " ".join(str(y) for y in range(1995, 2012))
    assert main(["years", "--source", "wiod2013", "--data", str(shared_data / "wiod2013")]) == 0
    assert capsys.readouterr().out.strip() == expected
    emissions = ["--emissions", str(shared_data / "wiod2016_env")]
    assert main(["years", "--source", "wiod2013", "--data", str(shared_data / "wiod2013"), *emissions]) == 0
    assert capsys.readouterr().out.strip() == expected
