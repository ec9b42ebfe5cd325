"""Output paths of issue 13: refused before computing, or written without harm.

Moved from tests/test_reliability.py (assertions unchanged); docs/reliability.md names each test.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from mrio_tools.errors import OutputError
from mrio_tools.io.output import (
    atomic_write,
    check_output_paths,
    write_table,
    write_tables_together,
)


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
