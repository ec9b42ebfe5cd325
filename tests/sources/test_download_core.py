"""The shared download core against a local HTTP server on 127.0.0.1 (Range support, failure modes)."""

from __future__ import annotations

import hashlib
import http.server
import io
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from mrio_tools.cli import main
from mrio_tools.errors import DownloadError
from mrio_tools.sources.download import RemoteFile, fetch, file_problem
from mrio_tools.sources.download_files import download_source


def _zip_bytes(name: str = "data.csv", size: int = 200_000) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:  # stored: the size stays large
        z.writestr(name, bytes(range(256)) * (size // 256))
    return buffer.getvalue()


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves `files`; `cut` names files sent only half (the connection then closes); records Ranges."""

    files: ClassVar[dict[str, bytes]] = {}
    cut: ClassVar[set[str]] = set()
    ranges: ClassVar[list[str | None]] = []

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return None

    def do_GET(self) -> None:
        name = self.path.lstrip("/").split("?")[0]
        body = self.files.get(name)
        if body is None:
            self.send_error(404)
            return
        header = self.headers.get("Range")
        self.ranges.append(header)
        start = int(header.removeprefix("bytes=").rstrip("-")) if header else 0
        part = body[start:]
        self.send_response(206 if header else 200)
        if header:
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        self.send_header("Content-Length", str(len(part)))
        self.send_header("Content-Type", "application/zip")
        self.end_headers()
        if name in self.cut:
            self.wfile.write(part[: len(part) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(part)


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.files, _Handler.cut, _Handler.ranges = {}, set(), []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_cut_transfer_is_refused_then_resumed(server: str, tmp_path: Path) -> None:
    body = _zip_bytes()
    _Handler.files["a.zip"] = body
    _Handler.cut.add("a.zip")
    remote = RemoteFile(
        server + "a.zip", "a.zip", "zip", checksum="sha256:" + hashlib.sha256(body).hexdigest()
    )
    with pytest.raises(
        DownloadError, match=r"a.zip: the transfer was cut: \d+ of the \d+ bytes.*nothing was kept"
    ):
        fetch(remote, tmp_path, progress=False)
    assert not (tmp_path / "a.zip").exists()
    received = (tmp_path / "a.zip.part").stat().st_size
    assert 0 < received < len(body)
    _Handler.cut.clear()  # the connection works again: the next run resumes where it stopped
    path = fetch(remote, tmp_path, progress=False)
    assert path.read_bytes() == body  # the checksum covers the bytes kept and the bytes resumed
    assert _Handler.ranges == [None, f"bytes={received}-"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zip"]


def test_html_page_in_place_of_a_zip_is_refused(server: str, tmp_path: Path) -> None:
    _Handler.files["b.zip"] = b"<!DOCTYPE html><html><body>Please log in</body></html>"
    with pytest.raises(DownloadError, match=r"b.zip: not the zip archive: the file is an HTML page.*nothing"):
        fetch(RemoteFile(server + "b.zip", "b.zip", "zip"), tmp_path, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_wrong_checksum_is_refused(server: str, tmp_path: Path) -> None:
    _Handler.files["c.zip"] = _zip_bytes()
    remote = RemoteFile(server + "c.zip", "c.zip", "zip", checksum="md5:" + "0" * 32)
    with pytest.raises(
        DownloadError, match=r"c.zip: md5 checksum [0-9a-f]{32} where the publisher states 0{32}"
    ):
        fetch(remote, tmp_path, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_stated_size_and_xlsx_kind(server: str, tmp_path: Path) -> None:
    body = _zip_bytes()
    _Handler.files["d.zip"] = body
    with pytest.raises(DownloadError, match=rf"{len(body)} bytes where the publisher states 5"):
        fetch(RemoteFile(server + "d.zip", "d.zip", "zip", size=5), tmp_path, progress=False)
    # a zip is not an xlsx: an xlsx must hold [Content_Types].xml and xl/workbook.xml
    with pytest.raises(DownloadError, match=r"not the xlsx workbook.*without the member"):
        fetch(RemoteFile(server + "d.zip", "d.xlsx", "xlsx"), tmp_path, progress=False)
    assert list(tmp_path.iterdir()) == []
    assert file_problem(tmp_path, RemoteFile("x", "x", "zip")) is not None  # a folder is no zip


def test_good_copy_is_kept_and_not_fetched_again(server: str, tmp_path: Path) -> None:
    body = _zip_bytes()
    _Handler.files["e.zip"] = body
    remote = RemoteFile(server + "e.zip", "e.zip", "zip", size=len(body))
    fetch(remote, tmp_path, progress=False)
    fetch(remote, tmp_path, progress=False)
    assert _Handler.ranges == [None]


def test_download_command_fetches_gloria_from_a_mirror(server: str, tmp_path: Path) -> None:
    import openpyxl

    readme = io.BytesIO()
    openpyxl.Workbook().save(readme)
    _Handler.files["GLORIA_ReadMe_059.xlsx"] = readme.getvalue()
    for name in ("GLORIA_MRIOs_59_2019.zip", "GLORIA_SatelliteAccounts_059_2019.zip"):
        _Handler.files[name] = _zip_bytes(name + ".csv", 1000)
    dest = tmp_path / "gloria"
    argv = ["download", "--source", "gloria", "--years", "2019", "--dest", str(dest), "--base-url", server]
    assert main(argv) == 0
    assert sorted(p.name for p in dest.iterdir()) == sorted(_Handler.files)


def test_sources_without_a_stable_url_need_a_mirror(tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match=r"wiod2016: .*no stable URL.*--base-url"):
        download_source("wiod2016", [2014], tmp_path)
    with pytest.raises(DownloadError, match=r"no download for source 'demo'"):
        download_source("demo", [2014], tmp_path)
