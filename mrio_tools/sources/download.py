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

`DOWNLOADS` maps each source of the registry to the function listing its files for a set of years
(`FileList`); `mrio-tools download --source NAME` runs it. Credentials (Eora26) come from the
environment (``EORA_EMAIL``, ``EORA_PASSWORD``) or a getpass prompt, are sent in a POST body only,
and never appear in a URL, a message or a log. Where pymrio 0.7's downloaders serve and where they
fall short is said in docs/sources_part_b.md, section "Downloads".
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

from mrio_tools.errors import DownloadError, YearNotAvailableError
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


# ------------------------------------------------------------------ file lists per source
FileList = Callable[[Sequence[int], str | None], list[RemoteFile]]


def _years_within(source: str, years: Sequence[int], first: int, last: int) -> None:
    outside = sorted({y for y in years if not first <= y <= last})
    if outside:
        raise YearNotAvailableError(
            f"{source}: the publisher's files cover {first}-{last}; {', '.join(map(str, outside))} "
            "not. Fix: pick years within that range"
        )


def _base(base_url: str | None, default: str | None, source: str) -> str:
    if base_url:
        return base_url.rstrip("/") + "/"
    if default is None:
        raise DownloadError(
            f"{source}: the publisher serves its files only behind its own web page (no stable URL). Fix: "
            "download them there (docs/sources_part_b.md, 'Downloads'), or pass --base-url a mirror "
            "folder serving the same file names"
        )
    return default


#: GLORIA release 059 (IELab); pymrio 0.7's download_gloria is disabled (the Dropbox links moved)
GLORIA_VERSION: Final = "059"
GLORIA_YEARS: Final = (1990, 2028)


def gloria_files(years: Sequence[int], base_url: str | None) -> list[RemoteFile]:
    """GLORIA 059: per year ``GLORIA_MRIOs_59_YYYY.zip`` and ``GLORIA_SatelliteAccounts_059_YYYY.zip``."""
    _years_within("gloria", years, *GLORIA_YEARS)
    base = _base(base_url, None, "gloria")
    names = [f"GLORIA_ReadMe_{GLORIA_VERSION}.xlsx"]
    kinds: list[FileKind] = ["xlsx"]
    for year in years:
        names += [f"GLORIA_MRIOs_59_{year}.zip", f"GLORIA_SatelliteAccounts_{GLORIA_VERSION}_{year}.zip"]
        kinds += ["zip", "zip"]
    return [RemoteFile(base + n, n, k) for n, k in zip(names, kinds, strict=True)]


#: WIOD 2016 release at the University of Groningen (GGDC); the Excel tables come as one archive
WIOD2016_BASE_URL: Final = "https://dataverse.nl/api/access/datafile/"
WIOD2016_YEARS: Final = (2000, 2014)
WIOD2016_ARCHIVE: Final = "WIOTS_in_EXCEL.zip"


def wiod2016_files(years: Sequence[int], base_url: str | None) -> list[RemoteFile]:
    """WIOD 2016: ``WIOTS_in_EXCEL.zip`` (all years' ``WIOTYYYY_Nov16_ROW.xlsb``) from a folder URL."""
    _years_within("wiod2016", years, *WIOD2016_YEARS)
    base = _base(base_url, None, "wiod2016")
    return [RemoteFile(base + WIOD2016_ARCHIVE, WIOD2016_ARCHIVE, "zip")]


#: EXIOBASE 3 on Zenodo (Stadler et al. 2018): the record lists each file with its size and md5
EXIOBASE3_RECORD: Final = "https://zenodo.org/api/records/5589597"
EXIOBASE3_YEARS: Final = (1995, 2022)


def exiobase3_files(years: Sequence[int], base_url: str | None, *, system: str = "pxp") -> list[RemoteFile]:
    """EXIOBASE 3 ``IOT_YYYY_pxp.zip`` (or ixi) with the size and md5 the Zenodo record states."""
    import json

    _years_within("exiobase3", years, *EXIOBASE3_YEARS)
    wanted = {f"IOT_{year}_{system}.zip" for year in years}
    if base_url:
        return [RemoteFile(base_url.rstrip("/") + "/" + n, n, "zip") for n in sorted(wanted)]
    with urllib.request.urlopen(EXIOBASE3_RECORD, timeout=TIMEOUT_SECONDS) as response:
        record = json.load(response)
    found = {}
    for entry in record.get("files", []):
        key = entry.get("key", "")
        if key in wanted:
            found[key] = RemoteFile(
                url=entry["links"]["self"],
                name=key,
                kind="zip",
                checksum=entry.get("checksum"),
                size=entry.get("size"),
            )
    missing = sorted(wanted - set(found))
    if missing:
        raise DownloadError(
            f"{EXIOBASE3_RECORD}: the record lists no {', '.join(missing)}. Fix: pick other years or pass "
            "--base-url a folder serving them"
        )
    return [found[n] for n in sorted(wanted)]


#: OECD ICIO 2023 edition: one zip per block of years (pymrio 0.7's OECD_CONFIG "v2023")
OECD_ICIO_BLOCKS: Final[Mapping[tuple[int, int], str]] = {
    (1995, 2000): "d26ad811-5b58-4f0c-a4e3-06a1469e475c",
    (2001, 2005): "7cb93dae-e491-4cfd-ac67-889eb7016a4a",
    (2006, 2010): "ea165bfb-3a85-4e0a-afee-6ba8e6c16052",
    (2011, 2015): "1f791bc6-befb-45c5-8b34-668d08a1702a",
    (2016, 2020): "d1ab2315-298c-4e93-9a81-c6f2273139fe",
}
OECD_ICIO_URL: Final = "https://stats.oecd.org/wbos/fileview2.aspx?IDFile="


def oecd_icio_files(years: Sequence[int], base_url: str | None) -> list[RemoteFile]:
    """OECD ICIO 2023: ``ICIO2023_<first>_<last>.zip`` for each block of years asked for."""
    _years_within("oecd_icio", years, 1995, 2020)
    files = []
    for (first, last), file_id in OECD_ICIO_BLOCKS.items():
        if any(first <= y <= last for y in years):
            name = f"ICIO2023_{first}_{last}.zip"
            url = base_url.rstrip("/") + "/" + name if base_url else OECD_ICIO_URL + file_id
            files.append(RemoteFile(url, name, "zip"))
    return files


#: Eora26 (worldmrio.com): free for academic use after login; release v199.82
EORA26_LOGIN: Final = "https://worldmrio.com/Register2?submit=login"
EORA26_BASE_URL: Final = "https://worldmrio.com/ComputationsM/Phase199/Loop082/simplified/"
EORA26_YEARS: Final = (1990, 2016)


def eora26_files(years: Sequence[int], base_url: str | None) -> list[RemoteFile]:
    """Eora26 ``Eora26_YYYY_bp.zip`` per year and ``indices.zip`` (labels)."""
    _years_within("eora26", years, *EORA26_YEARS)
    base = _base(base_url, EORA26_BASE_URL, "eora26")
    names = [f"Eora26_{year}_bp.zip" for year in years] + ["indices.zip"]
    return [RemoteFile(base + n, n, "zip") for n in names]


def eora26_credentials(environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """Eora26 login from ``EORA_EMAIL``/``EORA_PASSWORD``, else a prompt (the password by getpass)."""
    import getpass

    env = os.environ if environ is None else environ
    email = env.get("EORA_EMAIL") or input("Eora account email: ")
    password = env.get("EORA_PASSWORD") or getpass.getpass("Eora account password: ")
    return email, password


def eora26_session_headers(email: str, password: str) -> dict[str, str]:
    """Log in (POST, the password in the body only); return the Cookie header of the session."""
    body = urllib.parse.urlencode({"email": email, "pass": password, "targetURL": "null", "submit": "login"})
    request = urllib.request.Request(EORA26_LOGIN, data=body.encode())
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        text = response.read().decode("utf-8", "replace")
        cookies = response.headers.get_all("Set-Cookie") or []
    if "no account found" in text or "wrong password" in text:
        raise DownloadError(
            f"{_shown(EORA26_LOGIN)}: the Eora login was refused for {email}. Fix: set EORA_EMAIL and "
            "EORA_PASSWORD to the account registered at https://worldmrio.com (the password is never shown)"
        )
    return {"Cookie": "; ".join(c.split(";", 1)[0] for c in cookies)}


def wiod2013_files(years: Sequence[int], base_url: str | None) -> list[RemoteFile]:
    """WIOD 2013 workbooks ``wiotYY_row_apr12.xlsx`` / ``..._sep12.xlsx`` (see sources.wiod2013)."""
    from mrio_tools.sources.wiod2013 import BASE_URL, wiod2013_url

    return [
        RemoteFile(url, url.rsplit("/", 1)[-1], "xlsx")
        for url in (wiod2013_url(year, base_url=base_url or BASE_URL) for year in years)
    ]


#: source -> its file list; `mrio-tools download --source` offers these
DOWNLOADS: Final[Mapping[str, FileList]] = {
    "wiod2013": wiod2013_files,
    "wiod2016": wiod2016_files,
    "gloria": gloria_files,
    "exiobase3": exiobase3_files,
    "eora26": eora26_files,
    "oecd_icio": oecd_icio_files,
}


def download_source(
    source: str, years: Sequence[int], dest: Path, *, base_url: str | None = None, progress: bool = True
) -> list[Path]:
    """Fetch the files of `source` for `years` into `dest` (see `fetch`); Eora26 logs in first."""
    if source not in DOWNLOADS:
        raise DownloadError(f"no download for source {source!r}; sources with one: {', '.join(DOWNLOADS)}")
    if source == "wiod2013":
        from mrio_tools.sources.wiod2013 import BASE_URL, download_wiod2013

        return download_wiod2013(dest, years, base_url=base_url or BASE_URL)
    files = DOWNLOADS[source](years, base_url)
    headers: dict[str, str] = {}
    if source == "eora26" and not base_url:
        headers = eora26_session_headers(*eora26_credentials())
    return [fetch(remote, dest, headers=headers, progress=progress) for remote in files]


__all__ = [
    "DOWNLOADS",
    "FileKind",
    "RemoteFile",
    "download_source",
    "eora26_credentials",
    "fetch",
    "fetch_all",
    "file_problem",
]
