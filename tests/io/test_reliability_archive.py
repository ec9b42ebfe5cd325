"""Archives of coming sources: truncated zip, zip slip and symbolic-link members are refused by name."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from mrio_tools.errors import DataFileError
from mrio_tools.io.archive import extract_members, read_member, zip_problem

CONTENT = {"IOT_2019/Z.txt": b"1\t2\n" * 5000, "IOT_2019/Y.txt": b"3\n" * 100}


def _archive(path: Path, members: dict[str, bytes], *, link: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if link is not None:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


def test_good_archive_is_extracted(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "a.zip", CONTENT)
    assert zip_problem(archive, required=["IOT_2019/Z.txt"]) is None
    written = extract_members(archive, tmp_path / "out")
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in written) == sorted(CONTENT)
    assert (tmp_path / "out" / "IOT_2019" / "Z.txt").read_bytes() == CONTENT["IOT_2019/Z.txt"]
    assert read_member(archive, "IOT_2019/Y.txt") == CONTENT["IOT_2019/Y.txt"]


def test_truncated_zip(tmp_path: Path) -> None:
    data = _archive(tmp_path / "full.zip", CONTENT).read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])  # the central directory at the end is lost
    assert "truncated or damaged" in (zip_problem(cut) or "")
    with pytest.raises(DataFileError, match=r"cut.zip: not a readable zip archive, or a truncated one.*Fix"):
        extract_members(cut, tmp_path / "out")
    with pytest.raises(DataFileError, match=r"cut.zip: not a readable zip archive"):
        read_member(cut, "IOT_2019/Z.txt")
    assert not (tmp_path / "out").exists()


def test_damaged_member_leaves_no_file(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "a.zip", {"Z.txt": b"0123456789" * 1000})
    data = bytearray(archive.read_bytes())
    start = data.index(b"Z.txt") + len("Z.txt") + 10  # inside the compressed data of the member
    data[start : start + 20] = b"\x00" * 20
    archive.write_bytes(bytes(data))
    assert zip_problem(archive) is not None
    with pytest.raises(DataFileError, match=r"member 'Z.txt' is truncated or damaged"):
        extract_members(archive, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("name", ["../../evil.txt", "/etc/evil.txt", "data/../../evil.txt", "C:/evil.txt"])
def test_zip_slip_is_refused(tmp_path: Path, name: str) -> None:
    archive = _archive(tmp_path / "slip.zip", {"ok.txt": b"ok", name: b"evil"})
    with pytest.raises(DataFileError, match=rf"member '{name}' would be written outside .*zip slip"):
        extract_members(archive, tmp_path / "out" / "inner")
    with pytest.raises(DataFileError, match=r"zip slip"):
        read_member(archive, name)
    assert not list(tmp_path.rglob("evil.txt")) and not (tmp_path / "out").exists()


def test_symlink_member_is_refused(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "link.zip", {"ok.txt": b"ok"}, link="data/passwd")
    with pytest.raises(DataFileError, match=r"member 'data/passwd' is a symbolic link"):
        extract_members(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_html_page_instead_of_an_archive(tmp_path: Path) -> None:
    page = tmp_path / "page.zip"
    page.write_bytes(b"<!DOCTYPE html><html>Not found</html>")
    assert (zip_problem(page) or "").startswith("an HTML page")
    with pytest.raises(DataFileError, match=r"not a readable zip archive"):
        extract_members(page, tmp_path / "out")
