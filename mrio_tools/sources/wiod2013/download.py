"""Downloading the publisher's WIOD 2013 workbooks through the shared core (mrio_tools.sources.download)."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from mrio_tools.errors import DownloadError, YearNotAvailableError
from mrio_tools.sources.wiod2013.layout import BASE_URL, WIOD2013_YEARS


def wiod2013_url(year: int, *, base_url: str = BASE_URL) -> str:
    """URL of the publisher's workbook for `year`: ``wiotYY_row_apr12.xlsx``, 2008-2011 ``..._sep12``.

    The 2008-2011 tables were revised in September 2012 (file names WIOT08_ROW_Sep12.xlsx ...
    WIOT11_ROW_Sep12.xlsx in the release's WIOTS_in_EXCEL archive; pymrio's test data uses
    wiot09_row_sep12.xlsx).
    """
    if year not in WIOD2013_YEARS:
        raise YearNotAvailableError(
            f"the WIOD 2013 release has no table for {year}: "
            f"it covers {WIOD2013_YEARS[0]}-{WIOD2013_YEARS[-1]}"
        )
    stamp = "sep12" if year >= 2008 else "apr12"
    return f"{base_url.rstrip('/')}/wiot{year % 100:02d}_row_{stamp}.xlsx"


#: what a downloaded workbook must hold: an xlsx is a zip archive with this member
_URL_SCHEMES: Final = ("http", "https", "ftp", "file")


def _check_base_url(base_url: str) -> None:
    """`DownloadError` naming `base_url` and the fix unless it is an http(s), ftp or file URL."""
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme in _URL_SCHEMES and (parts.netloc or (parts.scheme == "file" and parts.path)):
        return
    local = Path(base_url).expanduser()
    hint = f" (a local folder: {local.resolve().as_uri()})" if local.is_dir() else ""
    raise DownloadError(
        f"--base-url {base_url!r} is not a URL of a folder. Fix: pass a folder URL such as "
        f"https://host/path/ or file:///absolute/folder/{hint}"
    )


def download_wiod2013(dest: Path, years: Sequence[int], *, base_url: str = BASE_URL) -> list[Path]:
    """Download the publisher's workbooks of `years` into `dest`; return their paths, in `years` order.

    A file already in `dest` is kept when it is a complete workbook (a zip holding xl/workbook.xml
    whose members pass their CRC check); one that is not (a cut transfer, an HTML page) is fetched
    again, and replaced only when the new copy passes the same checks. Each file is streamed to
    ``<name>.part``, checked against the server's Content-Length and the xlsx layout, and renamed when
    complete. Raises `DownloadError` for a `base_url` that is not a URL, a cut transfer or a file that
    is not a workbook; connection errors are urllib's (an `OSError`) with a note naming the URL and the
    fix. Needs an internet connection; the WIOD 2013 files moved from wiod.org to rug.nl/ggdc, so pass
    `base_url` (a folder URL) where the default host no longer answers.
    """
    from mrio_tools.sources.download import RemoteFile, fetch

    _check_base_url(base_url)
    dest = Path(dest)
    urls = [wiod2013_url(year, base_url=base_url) for year in years]
    # the workbooks are small (< 30 MB): a cut transfer keeps nothing, the next run fetches it whole
    files = [RemoteFile(url, url.rsplit("/", 1)[-1], "xlsx") for url in urls]
    dest.mkdir(parents=True, exist_ok=True)
    return [fetch(remote, dest, keep_partial=False) for remote in files]
