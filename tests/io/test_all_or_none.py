"""Outputs that belong together are written all-or-none, even when the second rename fails.

Issue 21: stage both, swap both, and restore the old ones if the second swap fails. The failure is
simulated by an `os.replace` that refuses one target (as a full disk or a read-only file would).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from mrio_tools.cli import main
from mrio_tools.io import output


def _refuse_rename_to(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    """Make the rename of a staged file onto `name` fail once; returns the renames that happened."""
    real = os.replace
    done: list[str] = []

    def replace(source: str | Path, target: str | Path) -> None:
        if Path(target).name == name and Path(source).name.startswith(".mrio-") and name not in done:
            done.append(name)
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        real(source, target)
        done.append(Path(target).name)

    monkeypatch.setattr(output.os, "replace", replace)
    return done


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".mrio-"))


def test_accounts_and_flows_both_or_neither_when_the_second_rename_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts, flows = tmp_path / "a.csv", tmp_path / "f.csv"
    assert (
        main(
            ["accounts", "--source", "demo", "--year", "2000", "--out", str(accounts), "--flows", str(flows)]
        )
        == 0
    )
    old = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert set(old) == {"a.csv", "a.meta.json", "f.csv", "f.meta.json"}
    renames = _refuse_rename_to(monkeypatch, "f.csv")
    code = main(
        ["accounts", "--source", "demo", "--year", "2019", "--out", str(accounts), "--flows", str(flows)]
    )
    err = capsys.readouterr().err
    assert code == 2 and "f.csv: cannot write (No space left on device)" in err and "free disk space" in err
    assert renames[:2] == ["a.csv", "a.meta.json"]  # the first table had been swapped in: it was restored
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == old
    assert _leftovers(tmp_path) == []


def test_a_table_and_its_sidecar_both_or_neither(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pandas as pd

    from mrio_tools.errors import OutputError

    table = tmp_path / "t.csv"
    output.write_table(pd.DataFrame({"x": [1]}), table, metadata={"run": 1})
    old = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    _refuse_rename_to(monkeypatch, "t.meta.json")
    with pytest.raises(OutputError, match=r"t\.meta\.json: cannot write"):
        output.write_table(pd.DataFrame({"x": [2]}), table, metadata={"run": 2})
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == old


def test_a_new_pair_leaves_nothing_when_the_second_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mrio_tools.errors import OutputError

    _refuse_rename_to(monkeypatch, "second.txt")
    targets = [(tmp_path / name, lambda tmp: tmp.write_text("new")) for name in ("first.txt", "second.txt")]
    with pytest.raises(OutputError, match=r"second\.txt"):
        output.swap_files(targets)
    assert list(tmp_path.iterdir()) == []  # the first (new) file was removed again


def test_series_tables_and_manifest_swap_all_or_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mrio_tools.series.folder import check_manifest

    out = tmp_path / "series"
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
    old = {name: (out / name).read_bytes() for name in ("accounts.csv", "flows.csv", "manifest.json")}
    _refuse_rename_to(monkeypatch, "manifest.json")  # every table is swapped in; the manifest is not
    code = main([*args, "--unit", "Mt"])
    err = capsys.readouterr().err
    assert code == 2 and "manifest.json: cannot write" in err and "free disk space" in err
    assert {name: (out / name).read_bytes() for name in old} == old  # the tables went back
    check_manifest(out)
    assert _leftovers(out) == []
