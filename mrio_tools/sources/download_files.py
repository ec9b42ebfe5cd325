"""Each source's publisher files for `mrio-tools download --source NAME`, fetched by the shared core.

`DOWNLOADS` maps every source to a function listing its `RemoteFile`s for a set of years (URL, name,
kind, and the size and checksum where the publisher states them); `download_source` fetches them
with `mrio_tools.sources.download.fetch`. Where a publisher serves files only from its own web
page (GLORIA, WIOD 2016), `--base-url` names a mirror folder. Eora26 credentials come from
``EORA_EMAIL`` / ``EORA_PASSWORD`` or a prompt and travel only in a POST body. URLs, file lists and
where pymrio 0.7's downloaders fall short: docs/sources.md, section "Downloads".
"""

from __future__ import annotations

import os
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Final

from mrio_tools.errors import DownloadError, YearNotAvailableError
from mrio_tools.sources.download import TIMEOUT_SECONDS, FileKind, RemoteFile, _shown, fetch

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
            "download them there (docs/sources.md, 'Downloads'), or pass --base-url a mirror "
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


__all__ = ["DOWNLOADS", "FileList", "download_source", "eora26_credentials", "eora26_session_headers"]
