"""Fetching publishers' files: one resumable, checked, atomic download core and each source's file list.

`fetch` streams one `RemoteFile` into ``<dest>/<name>.part``, then checks it and renames it to
``<dest>/<name>`` only when every check passes, so a file under its final name is always complete:

- resumable: a ``.part`` left by an earlier cut transfer is continued with an HTTP ``Range: bytes=N-``
  request (a server that answers 200 instead of 206 sends the whole file again, which replaces it);
- size: the bytes received must equal what the server declared (``Content-Length``, or the total of
  ``Content-Range``), and the publisher's stated size where a file list gives one;
- checksum: ``md5:`` or ``sha256:`` digests where the publisher states them (Zenodo's file list
  does for EXIOBASE 3) are computed while the file streams and compared at the end;
- what the file is: a zip must be a zip archive whose members pass their CRC check, an xlsx a zip
  holding ``[Content_Types].xml`` and ``xl/workbook.xml`` (an xlsb ``xl/workbook.bin``); an HTML
  login or error page served in its place is refused (`mrio_tools.io.archive.zip_problem`);
- a failed check deletes the ``.part`` (a wrong file must not be resumed); a transfer cut short keeps
  it when ``keep_partial`` is set, so that the next run resumes, and nothing is kept under the final
  name in either case.

`mrio_tools.sources.download_files` lists each source's files (`DOWNLOADS`) and runs them through
`fetch` (`mrio-tools download --source NAME`). Credentials (Eora26) come from the
environment (``EORA_EMAIL``, ``EORA_PASSWORD``) or a getpass prompt, are sent in a POST body only,
and never appear in a URL, a message or a log. Where pymrio 0.7's downloaders serve and where they
fall short is said in docs/sources.md, section "Downloads".
"""

from __future__ import annotations

import hashlib
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal, get_args

from mrio_tools.errors import DownloadError
from mrio_tools.io.archive import zip_problem

#: what a downloaded file must be
FileKind = Literal["zip", "xlsx", "xlsb"]
#: the zip members each kind must hold (an xlsx is a zip holding its content types and workbook part)
REQUIRED_MEMBERS: Final[Mapping[str, tuple[str, ...]]] = {
    "zip": (),
    "xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
    "xlsb": ("[Content_Types].xml", "xl/workbook.bin"),
}
_WHAT: Final[Mapping[str, str]] = {"zip": "zip archive", "xlsx": "xlsx workbook", "xlsb": "xlsb workbook"}
_CHECKSUM = re.compile(r"^(md5|sha256):([0-9a-fA-F]+)$")
_CHUNK: Final = 1 << 20
TIMEOUT_SECONDS: Final = 60


@dataclass(frozen=True)
class RemoteFile:
    """One file of a publisher: where it is, its name on disk, what it must be, and what is stated of it.

    `checksum` is ``"md5:<hex>"`` or ``"sha256:<hex>"`` where the publisher states one (else None);
    `size` the size in bytes the publisher states (else None: the server's Content-Length is checked).
    """

    url: str
    name: str
    kind: FileKind
    checksum: str | None = None
    size: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in get_args(FileKind):
            raise ValueError(f"kind={self.kind!r}; use one of {', '.join(get_args(FileKind))}")
        if self.checksum is not None and not _CHECKSUM.match(self.checksum):
            raise ValueError(f"checksum={self.checksum!r}; write it as md5:<hex> or sha256:<hex>")
        if "/" in self.name or self.name in ("", ".", ".."):
            raise ValueError(f"name={self.name!r} is not a plain file name")


def _digest(checksum: str | None) -> tuple[str, str] | None:
    if checksum is None:
        return None
    m = _CHECKSUM.match(checksum)
    assert m is not None  # checked in RemoteFile
    return m[1], m[2].lower()


def _hash_file(path: Path, algorithm: str) -> hashlib._Hash:
    hasher = hashlib.new(algorithm)
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            hasher.update(chunk)
    return hasher


def file_problem(path: Path, remote: RemoteFile, *, hexdigest: str | None = None) -> str | None:
    """What is wrong with `path` as a copy of `remote` (kind, stated size, checksum), None when nothing.

    `hexdigest` is the file's digest where it was computed while it streamed (else it is computed).
    """
    problem = zip_problem(path, required=REQUIRED_MEMBERS[remote.kind])
    if problem is not None:
        return f"not the {_WHAT[remote.kind]}: the file is {problem}"
    size = path.stat().st_size
    if remote.size is not None and size != remote.size:
        return f"{size} bytes where the publisher states {remote.size}"
    digest = _digest(remote.checksum)
    if digest is not None:
        found = hexdigest or _hash_file(path, digest[0]).hexdigest()
        if found != digest[1]:
            return f"{digest[0]} checksum {found} where the publisher states {digest[1]}"
    return None


def _declared_total(headers: Mapping[str, str] | None, offset: int, status: int) -> int | None:
    """The file's full size from Content-Range (206) or offset + Content-Length, None if not stated."""
    if not headers:
        return None
    if status == 206:
        m = re.match(r"bytes\s+(\d+)-(\d+)/(\d+|\*)", str(headers.get("Content-Range", "")))
        if m and m[3] != "*":
            return int(m[3])
    length = headers.get("Content-Length")
    if length and str(length).strip().isdigit():
        return offset + int(length) if status == 206 else int(length)
    return None


def _open(url: str, offset: int, data: bytes | None, headers: Mapping[str, str]) -> object:
    request = urllib.request.Request(url, data=data, headers={**headers})
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    return urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)


def _shown(url: str) -> str:
    """The URL without query string or user info (a query can carry a token; never show it)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.hostname or "", parts.path, "", ""))


def fetch(
    remote: RemoteFile,
    dest: Path,
    *,
    keep_partial: bool = True,
    headers: Mapping[str, str] | None = None,
    opener: Callable[[str, int, bytes | None, Mapping[str, str]], object] = _open,
    progress: bool = True,
) -> Path:
    """Download `remote` into `dest` (resumed, checked, renamed when complete); return its path.

    A good copy already in `dest` (it passes `file_problem`) is kept and not fetched again. Raises
    `DownloadError` naming the URL, the file and the fix for a transfer cut short (the ``.part`` is
    kept for a resume when `keep_partial`), a file that is not what it must be, or a wrong size or
    checksum (the ``.part`` is deleted). Connection errors keep urllib's exception (an `OSError`)
    with a note naming the URL and the fix.
    """
    from tqdm import tqdm

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / remote.name
    if target.exists() and file_problem(target, remote) is None:
        return target
    part = target.with_name(target.name + ".part")
    shown = _shown(remote.url)
    offset = part.stat().st_size if keep_partial and part.exists() else 0
    digest = _digest(remote.checksum)
    hasher = hashlib.new(digest[0]) if digest else None
    keep = False
    try:
        try:
            response = opener(remote.url, offset, None, headers or {})
        except urllib.error.HTTPError as exc:
            if exc.code != 416 or not offset:
                raise
            # the range starts at or past the end: the .part is not a prefix we can trust
            part.unlink()
            offset = 0
            response = opener(remote.url, 0, None, headers or {})
        with response as r:  # type: ignore[attr-defined]
            status = int(getattr(r, "status", 200) or 200)
            if status != 206:
                offset = 0  # the server sent the whole file
            elif digest is not None:
                hasher = _hash_file(part, digest[0])  # the prefix received before, then what follows
            declared = _declared_total(r.headers, offset, status)
            received = offset
            with (
                part.open("ab" if offset else "wb") as out,
                tqdm(
                    total=declared,
                    initial=offset,
                    unit="B",
                    unit_scale=True,
                    desc=remote.name,
                    disable=not progress,
                ) as bar,
            ):
                keep = keep_partial
                while chunk := r.read(_CHUNK):
                    out.write(chunk)
                    if hasher is not None:
                        hasher.update(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
        if declared is not None and received != declared:
            kept = f" (the bytes received are kept in {part.name})" if keep_partial else ""
            raise DownloadError(
                f"{shown}: the transfer was cut: {received} of the {declared} bytes the server declared "
                f"arrived; nothing was kept as {target}{kept}. Fix: run the download again"
                + (" (it resumes where it stopped)" if keep_partial else "")
            )
        keep = False
        problem = file_problem(part, remote, hexdigest=hasher.hexdigest() if hasher else None)
        if problem is not None:
            raise DownloadError(
                f"{shown}: {problem}; nothing was kept as {target}. Fix: check that the URL (--base-url) "
                f"serves the publisher's {remote.name} (a login or error page is HTML), then download again"
            )
        os.replace(part, target)
    except urllib.error.URLError as exc:
        exc.add_note(
            f"while downloading {shown} to {target}. Fix: check the connection, or pass "
            "--base-url (base_url=) a folder that serves the same file names"
        )
        raise
    finally:
        if not keep:
            part.unlink(missing_ok=True)
    return target


def fetch_all(files: Sequence[RemoteFile], dest: Path, **kwargs: object) -> list[Path]:
    """`fetch` each file in order; return their paths."""
    return [fetch(remote, dest, **kwargs) for remote in files]  # type: ignore[arg-type]


__all__ = ["FileKind", "RemoteFile", "fetch", "fetch_all", "file_problem"]
