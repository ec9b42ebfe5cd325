"""Every notebook in notebooks/ runs from top to bottom without error, and its two paired files agree.

Notebooks are stored as jupytext pairs: `NAME.py` (py:percent, for review and diffs) and `NAME.ipynb`
(without outputs, for Jupyter). The test executes the `.py` text; the real-data notebook is skipped
when no saved WIOD series is found (`MRIO_TOOLS_WIOD_SERIES` or `reports/wiod2013/`).
"""

from __future__ import annotations

import os
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "notebooks"
SCRIPTS = sorted(FOLDER.glob("*.py"))
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))


def _wiod_series() -> Path | None:
    candidates = [Path(os.environ.get("MRIO_TOOLS_WIOD_SERIES", ROOT / "reports" / "wiod2013" / "series"))]
    candidates.append(ROOT / "reports" / "wiod2013")
    return next((p for p in candidates if (p / "accounts.csv").is_file()), None)


def _sources(notebook: nbformat.NotebookNode) -> list[tuple[str, str]]:
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


def test_every_notebook_is_paired() -> None:
    assert [p.stem for p in SCRIPTS] == [p.stem for p in NOTEBOOKS]
    assert len(SCRIPTS) >= 3


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_pair_is_in_sync(path: Path) -> None:
    text = jupytext.read(path)
    stored = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
    assert _sources(text) == _sources(stored), f"run `jupytext --sync {path}` to update its pair"
    assert all(not cell.get("outputs") for cell in stored.cells), (
        f"{path.with_suffix('.ipynb')}: clear outputs"
    )


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_notebook_executes(path: Path) -> None:
    env = {}
    if path.stem.startswith("02_wiod"):
        series = _wiod_series()
        if series is None:
            pytest.skip(
                "no saved WIOD series (reports/wiod2013/series or MRIO_TOOLS_WIOD_SERIES): "
                "run `make report-wiod` first"
            )
        env["MRIO_TOOLS_WIOD_SERIES"] = str(series)
    notebook = jupytext.read(path)
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        NotebookClient(
            notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(FOLDER)}}
        ).execute()
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
