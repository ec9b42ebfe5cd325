"""A folder of results is replaced as a whole: a run killed at any point leaves the old or the new one.

The kill tests run `replace_folder_atomically` in a child process that kills itself (SIGKILL, nothing
can clean up) while building, and after each of the renames of the swap.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mrio_tools.errors import OutputError
from mrio_tools.io.output import recover_folder, replace_folder_atomically

OLD = {"accounts.csv": "run 1, kt", "figures/pba.svg": "run 1, kt"}
NEW = {"accounts.csv": "run 2, Mt", "figures/pba.svg": "run 2, Mt", "flows.csv": "run 2, Mt"}

CHILD = """
import os, signal, sys
from pathlib import Path
from mrio_tools.io import output

target, stage = Path(sys.argv[1]), sys.argv[2]
NEW = {new!r}

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def build(folder):
    for i, (name, text) in enumerate(sorted(NEW.items())):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        if stage == "build" and i == 0:
            die()

renames = []
real_replace = os.replace

def replace(source, destination):
    real_replace(source, destination)
    renames.append(destination)
    # 1: new -> ready, 2: old target -> old, 3: ready -> target
    if stage == f"rename{{len(renames)}}":
        die()

os.replace = replace
output.replace_folder_atomically(build, target)
"""


def _contents(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.mark.parametrize("stage", ["build", "rename1", "rename2", "rename3"])
def test_killed_report_leaves_old_or_new_folder_never_a_mix(tmp_path: Path, stage: str) -> None:
    target = tmp_path / "report"
    _write(target, OLD)
    child = subprocess.run(
        [sys.executable, "-c", CHILD.format(new=NEW), str(target), stage],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    # right after the kill: the old folder, the new one, or (between the two renames) none at all
    if target.exists():
        assert _contents(target) in (OLD, NEW)
    else:
        assert stage == "rename2"
    recover_folder(target)  # what the next run does first
    assert _contents(target) == (OLD if stage in ("build", "rename1") else NEW)
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # no leftovers
    # and a rerun completes normally
    replace_folder_atomically(lambda folder: _write(folder, NEW), target)
    assert _contents(target) == NEW and [p.name for p in tmp_path.iterdir()] == ["report"]


def test_error_while_building_keeps_the_old_folder(tmp_path: Path) -> None:
    target = tmp_path / "report"
    _write(target, OLD)

    def broken(folder: Path) -> None:
        (folder / "accounts.csv").write_text("half")
        raise RuntimeError("figure code failed")

    with pytest.raises(RuntimeError, match="figure code failed"):
        replace_folder_atomically(broken, target)
    assert _contents(target) == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_new_folder_and_long_names(tmp_path: Path) -> None:
    target = tmp_path / ("r" * 250)  # a legal name; the temporary siblings have short names
    replace_folder_atomically(lambda folder: _write(folder, NEW), target)
    assert _contents(target) == NEW
    replace_folder_atomically(lambda folder: _write(folder, OLD), target)
    assert _contents(target) == OLD  # files of the earlier run do not survive: no mix
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_target_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "report").write_text("x")
    with pytest.raises(OutputError, match=r"report: is a file, not a folder"):
        replace_folder_atomically(lambda folder: None, tmp_path / "report")


def test_stale_build_folders_of_other_targets_are_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "other"
    replace_folder_atomically(lambda folder: _write(folder, OLD), other)
    replace_folder_atomically(lambda folder: _write(folder, NEW), tmp_path / "report")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other", "report"]
    assert _contents(other) == OLD
