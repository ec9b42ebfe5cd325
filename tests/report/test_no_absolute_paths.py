"""No output names the absolute path of the folder it was built in (series and report)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

DATA_RAW = Path(__file__).resolve().parents[2] / "data_raw"
PROJECT = DATA_RAW.parent


def _run(cwd: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "mrio_tools", *args], cwd=cwd, capture_output=True, text=True, check=True
    )


def _texts(folder: Path) -> list[tuple[Path, str]]:
    """Every output file's text: text files as they are, xlsx (and other zips) member by member."""
    out = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix in (".parquet", ".png", ".npz"):
            continue  # binary; their metadata is in the sidecars checked here
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                out += [(path / n, archive.read(n).decode("utf-8", "replace")) for n in archive.namelist()]
        else:
            out.append((path, path.read_bytes().decode("utf-8", "replace")))
    return out


def test_series_and_report_name_no_absolute_path(tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    # absolute paths on the command line, as a user or make might give them
    _run(
        build,
        "series",
        "--source",
        "wiod2013",
        "--data",
        str(DATA_RAW / "wiod2013"),
        "--emissions",
        str(DATA_RAW / "jrc_co2"),
        "--extend",
        "--national",
        str(DATA_RAW / "owid_co2"),
        "--deflator",
        str(DATA_RAW / "us_gdp_deflator" / "GDPDEF.csv"),
        "--years",
        "2014",
        "--unit",
        "Mt",
        "--out-dir",
        str(build / "series"),
        "--cache",
        str(tmp_path / "store"),
        "--no-progress",
    )
    _run(build, "report", "--series", str(build / "series"), "--out-dir", str(build / "report"))
    texts = _texts(build)
    names = {p.name for p, _ in texts}
    assert {"accounts.meta.json", "inventory_check.meta.json", "report.html", "report.json"} <= names
    assert any(p.parent.name == "policy_tables.xlsx" for p, _ in texts)  # the workbook's XML was read
    for absolute in (str(build.resolve()), str(tmp_path.resolve()), str(PROJECT.resolve())):
        found = [str(p.relative_to(build)) for p, text in texts if absolute in text]
        assert not found, f"{absolute} appears in {found}"
