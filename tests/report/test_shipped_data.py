"""The real data shipped in data_raw/ is what its checksums and READMEs say, and nothing else."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

DATA_RAW = Path(__file__).resolve().parents[2] / "data_raw"
SUMS = DATA_RAW / "SHA256SUMS"
#: the folders the default report reads (data_raw/README.md)
SHIPPED_FOLDERS = ("wiod2013", "jrc_co2", "owid_co2", "us_gdp_deflator")


def _listed() -> dict[str, str]:
    """Relative path -> SHA-256, read from SHA256SUMS (sha256sum's text format: 'hash  path')."""
    listed = {}
    for number, line in enumerate(SUMS.read_text(encoding="utf-8").splitlines(), start=1):
        digest, sep, name = line.partition("  ")
        assert sep and len(digest) == 64, f"{SUMS}: line {number} is not 'sha256  path': {line!r}"
        listed[name] = digest
    return listed


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_shipped_file_matches_its_checksum() -> None:
    listed = _listed()
    # the default report's inputs: 17 WIOD years + DESCRIPTION, the JRC workbook, OWID, GDPDEF
    assert len(listed) == 21
    for name, digest in listed.items():
        path = DATA_RAW / name
        assert path.is_file(), f"{path} is listed in {SUMS} but missing"
        assert _sha256(path) == digest, f"{path} differs from its SHA-256 in {SUMS}"


def test_nothing_else_is_in_data_raw() -> None:
    listed = set(_listed())
    for path in sorted(DATA_RAW.rglob("*")):
        if path.is_dir():
            continue
        name = path.relative_to(DATA_RAW).as_posix()
        assert name in listed or path.name in ("README.md", "SHA256SUMS"), (
            f"{path} is in data_raw/ but not in {SUMS}: data_raw/ holds only the shipped data"
        )


@pytest.mark.parametrize("folder", SHIPPED_FOLDERS)
def test_each_source_folder_has_a_readme_with_its_checksums(folder: str) -> None:
    readme = (DATA_RAW / folder / "README.md").read_text(encoding="utf-8")
    for heading in ("Licence", "Citation", "Fetch on a connected machine", "SHA-256"):
        assert heading in readme, f"data_raw/{folder}/README.md has no {heading!r}"
    for name, digest in _listed().items():
        if name.startswith(f"{folder}/"):
            assert digest in readme, f"data_raw/{folder}/README.md does not give the SHA-256 of {name}"


def test_the_expected_years_are_shipped() -> None:
    listed = set(_listed())
    assert {f"wiod2013/wiot_{y}.RData" for y in range(1995, 2012)} <= listed
    assert {"wiod2013/DESCRIPTION", "jrc_co2/CO2 emissions.xlsx"} <= listed
    assert "GPL-3" in (DATA_RAW / "wiod2013" / "DESCRIPTION").read_text(encoding="utf-8")
