"""Bad command lines: each gets one paragraph and exit 2 before any work, and no output is harmed.

Rows of docs/reliability.md marked for the command line; the library checks they call are tested in
tests/*/test_reliability_*.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from mrio_tools.cli import main


@pytest.fixture()
def no_computation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any computation fails the test: the checks must come first."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("computed before the arguments were checked")

    # series first: importing it binds its own name to the function accounts holds at that time
    monkeypatch.setattr("mrio_tools.series.tasks.national_accounts", forbidden)
    monkeypatch.setattr("mrio_tools.accounts.national.national_accounts", forbidden)


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = main(args)
    except SystemExit as usage:  # argparse: a usage error naming the argument, exit 2
        code = int(usage.code or 0)
    return code, capsys.readouterr().err


def _accounts(tmp_path: Path, *extra: str) -> list[str]:
    return ["accounts", "--source", "demo", "--year", "2000", *extra]


def test_same_out_and_flows_refused_before_computing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_computation: None
) -> None:
    same = tmp_path / "same.csv"
    code, err = _run(_accounts(tmp_path, "--out", str(same), "--flows", str(same)), capsys)
    assert code == 2 and "the same file as the output" in err
    link = tmp_path / "link.csv"
    os.symlink(same, link)
    code, err = _run(_accounts(tmp_path, "--out", str(same), "--flows", str(link)), capsys)
    assert code == 2 and "the same file" in err
    code, err = _run(
        _accounts(tmp_path, "--out", str(tmp_path / "a.csv"), "--flows", str(tmp_path / "a.parquet")), capsys
    )
    assert code == 2 and "meta.json" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv"]


def test_output_that_is_an_input_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_computation: None
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "wiot_2008.RData").write_bytes(b"input")
    emissions = tmp_path / "CO2 emissions.xlsx"
    emissions.write_bytes(b"input")
    common = ["--source", "wiod2013", "--data", str(data), "--emissions", str(emissions)]
    code, err = _run(
        ["accounts", *common, "--year", "2008", "--out", str(emissions.with_suffix(".csv"))], capsys
    )
    assert code == 0 or code == 2  # a different file: allowed past the check, fails on the fake data
    code, err = _run(["series", *common, "--years", "2008", "--out-dir", str(tmp_path)], capsys)
    assert code == 2 and "would overwrite the input" in err
    assert (data / "wiot_2008.RData").read_bytes() == b"input"


def test_compare_output_equal_to_accounts_and_bad_accounts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accounts = tmp_path / "accounts.csv"
    assert main(["accounts", "--source", "demo", "--year", "2000", "--out", str(accounts)]) == 0
    reference = tmp_path / "ref.csv"
    reference.write_text("region,year,account,value,unit\nDemo A,2000,PBA,1,kg\n")
    before = accounts.read_bytes()
    code, err = _run(
        [
            *("compare", "--accounts", str(accounts), "--reference", str(reference)),
            *("--out", str(accounts), "--stressor", "demo emission 1 (air)"),
        ],
        capsys,
    )
    assert code == 2 and "would overwrite the input" in err
    assert accounts.read_bytes() == before
    # the tool's own parquet is read; a missing or binary file is named
    parquet = tmp_path / "accounts.parquet"
    pd.read_csv(accounts).to_parquet(parquet)
    out = tmp_path / "diff.csv"
    args = ["--reference", str(reference), "--out", str(out), "--stressor", "demo emission 1 (air)"]
    assert main(["compare", "--accounts", str(parquet), *args]) == 0
    code, err = _run(["compare", "--accounts", str(tmp_path / "absent.csv"), *args], capsys)
    assert code == 2 and "absent.csv" in err and "Traceback" not in err
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)))
    code, err = _run(["compare", "--accounts", str(binary), *args], capsys)
    assert code == 2 and "binary.csv" in err


def test_unwritable_outputs_found_before_computing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_computation: None
) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    code, err = _run(_accounts(tmp_path, "--out", str(a_file / "a.csv")), capsys)
    assert code == 2 and "is a file, so no folder can be made under it" in err
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    code, err = _run(_accounts(tmp_path, "--out", str(folder)), capsys)
    assert code == 2 and "is a folder, not a file" in err
    code, err = _run(_accounts(tmp_path, "--out", "/proc/a.csv"), capsys)
    assert code == 2 and "/proc" in err
    long_name = tmp_path / ("n" * 246 + ".csv")  # legal, but its sidecar name is not
    code, err = _run(_accounts(tmp_path, "--out", str(long_name)), capsys)
    assert code == 2 and "shorten the name" in err
    code, err = _run(["series", "--source", "demo", "--years", "2000", "--out-dir", str(a_file)], capsys)
    assert code == 2 and "is a file, not a folder" in err


def test_a_legal_long_name_is_written(tmp_path: Path) -> None:
    out = tmp_path / ("n" * 236 + ".csv")  # 240 bytes; its sidecar .meta.json stays under 255
    assert main(_accounts(tmp_path, "--out", str(out))) == 0
    assert out.is_file() and list(tmp_path.glob(".*")) == []


def test_years_and_unit_checked_before_computing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_computation: None
) -> None:
    out = str(tmp_path / "s")
    code, err = _run(["series", "--source", "demo", "--years", "1990-999999999", "--out-dir", out], capsys)
    assert code == 2 and "'999999999'" in err and "is not a year" in err
    code, err = _run(["series", "--source", "demo", "--years", "2019-2021", "--out-dir", out], capsys)
    assert code == 2 and "2020, 2021 are not among them" in err
    code, err = _run(
        ["series", "--source", "demo", "--years", "2000", "--unit", "furlong", "--out-dir", out], capsys
    )
    assert code == 2 and "furlong" in err
    code, err = _run(_accounts(tmp_path, "--out", str(tmp_path / "a.csv"), "--unit", "M USD"), capsys)
    assert code == 2 and "M USD" in err
    assert not (tmp_path / "s").exists() and not (tmp_path / "a.csv").exists()


def test_repeated_years_are_written_once(tmp_path: Path) -> None:
    out = tmp_path / "s"
    assert (
        main(["series", "--source", "demo", "--years", "2010,2010", "--out-dir", str(out), "--no-cache"]) == 0
    )
    table = pd.read_csv(out / "accounts.csv")
    assert not table.duplicated(["year", "region", "account", "stressor"]).any()


def test_a_source_without_its_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(
        ["accounts", "--source", "cml3x8", "--year", "2015", "--out", str(tmp_path / "a.csv")], capsys
    )
    assert code == 2 and "source 'cml3x8' needs --data DIR" in err
    code, err = _run(["years", "--source", "wiod2013", "--data", str(tmp_path / "absent")], capsys)
    assert code == 2 and "absent" in err


def test_unexpected_errors_are_one_paragraph_and_debug_shows_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError("unsupported operand type(s) for +: 'float' and 'str'")

    monkeypatch.setattr("mrio_tools.accounts.national.national_accounts", broken)
    args = _accounts(tmp_path, "--out", str(tmp_path / "a.csv"))
    code, err = _run(args, capsys)
    assert code == 2
    assert "unexpected TypeError" in err and "--debug" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    with pytest.raises(TypeError):
        main(["--debug", *args])


def test_download_dest_under_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    code, err = _run(
        [
            *("download", "--source", "wiod2013", "--years", "2000", "--dest", str(a_file / "d")),
            *("--base-url", (tmp_path / "mirror").as_uri()),
        ],
        capsys,
    )
    assert code == 2 and "is a file" in err


def test_unknown_source_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(
        ["accounts", "--source", "no_such_source", "--year", "2015", "--out", str(tmp_path / "a.csv")], capsys
    )
    assert code == 2 and "invalid choice: 'no_such_source'" in err and "wiod2013" in err


def test_negative_intermediate_flows_need_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    import pymrio

    io = pymrio.load_test()
    io.Z.iloc[0, 1] = -3000.0
    save = tmp_path / "save"
    io.save_all(save)
    meta = json.loads((save / "metadata.json").read_text())
    meta["negative_intermediate"] = "made-up test table with a negative cell"
    (save / "metadata.json").write_text(json.dumps(meta))
    args = ["accounts", "--source", "pymrio", "--data", str(save), "--year", "2005"]
    code, err = _run([*args, "--out", str(tmp_path / "a.csv")], capsys)
    assert code == 2 and "-3000" in err
    assert main([*args, "--allow-negative-intermediate", "yes", "--out", str(tmp_path / "b.csv")]) == 0
    assert "made-up test table" in (tmp_path / "b.meta.json").read_text()
