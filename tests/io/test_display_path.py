"""Paths as outputs name them: relative to the working folder or the project, else name and SHA-256."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from mrio_tools.io.output import display_command, display_path, display_text, output_metadata

PROJECT = Path(__file__).resolve().parents[2]


def test_inside_the_working_folder_is_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert display_path(tmp_path / "series" / "accounts.csv") == "series/accounts.csv"
    assert display_path(Path("already/relative.csv")) == "already/relative.csv"


def test_inside_the_project_is_relative_to_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert display_path(PROJECT / "data_raw" / "owid_co2") == "data_raw/owid_co2"


def test_elsewhere_a_file_is_named_with_its_sha256(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    file = elsewhere / "GDPDEF.csv"
    file.write_text("DATE,GDPDEF\n", encoding="utf-8")
    digest = hashlib.sha256(b"DATE,GDPDEF\n").hexdigest()
    assert display_path(file) == f"GDPDEF.csv (sha256 {digest[:16]})"
    assert display_path(elsewhere) == "elsewhere"


def test_text_and_commands_lose_their_absolute_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = f"read {tmp_path}/a.csv and --out-dir={tmp_path}/out; units kt/M USD, ratio 1/2"
    assert display_text(text) == "read a.csv and --out-dir=out; units kt/M USD, ratio 1/2"
    command = display_command(
        [str(tmp_path / ".venv/bin/mrio-tools"), "series", "--out-dir", str(tmp_path / "s")]
    )
    assert command == "mrio-tools series --out-dir s"
    meta = output_metadata(
        {"national": tmp_path / "owid", "nested": [{"path": str(tmp_path / "x.csv")}], "n": 3}
    )
    assert meta == {"national": "owid", "nested": [{"path": "x.csv"}], "n": 3}
