"""The WIOD 2013 release's layout: codes, names, units, the labelled blocks, the data folder's files."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

import pandas as pd

from mrio_tools.errors import DataFileError, YearNotAvailableError, listed
from mrio_tools.io.archive import zip_problem

#: years of the 2013 release
WIOD2013_YEARS: Final = tuple(range(1995, 2012))

#: WIOD 2013 sector codes, in table order
SECTOR_CODES: Final = tuple(f"c{i}" for i in range(1, 36))

#: final-demand categories per consuming region, in table order, with the publisher's labels
CATEGORY_NAMES: Final[Mapping[str, str]] = {
    "c37": "Final consumption expenditure by households",
    "c38": "Final consumption expenditure by non-profit organisations serving households (NPISH)",
    "c39": "Final consumption expenditure by government",
    "c41": "Gross fixed capital formation",
    "c42": "Changes in inventories and valuables",
}

#: the tables' region codes that are not ISO 3166 alpha-3 (Romania); RoW is kept as the source names it
REGION_RENAMES: Final[Mapping[str, str]] = {"ROM": "ROU"}

MONETARY_UNIT: Final = "M USD"
PRICE_BASIS: Final = "current prices (basic prices)"
SOURCE: Final = "wiod2013"
VERSION: Final = "WIOD 2013 release (Timmer et al. 2015)"

#: where wiod.org served the yearly workbooks of the 2013 release ("protected3/data13", as in pymrio
#: 0.7's WIOD_CONFIG; "wiot_analytic" folder as in scripts that downloaded wiot00_row_apr12.xlsx).
#: The site has since moved to rug.nl/ggdc; pass `base_url` to download from a mirror.
BASE_URL: Final = "http://www.wiod.org/protected3/data13/wiot_analytic/"

_RDATA_NAME = re.compile(r"^wiot_(\d{4})\.RData$")
_XLSX_NAME = re.compile(r"^wiot(\d{2})_row_[a-z]{3}\d{2}\.xlsx$", re.IGNORECASE)
_EXTRA_ROW_CODE = re.compile(r"^r\d+$")
#: rows below Z that are totals, not inputs: total intermediate consumption and output
_TOTAL_ROWS: Final = frozenset({"r60", "r69"})

# workbook layout (0-based row / column positions; the publisher's rows 5, 6, 7 and column E)
_HEADER_REGION_ROW = 4
_HEADER_CODE_ROW = 5
_FIRST_DATA_ROW = 6
_FIRST_DATA_COL = 4
_COL_NAME, _COL_REGION, _COL_CODE = 1, 2, 3


@dataclass(frozen=True)
class Wiod2013Blocks:
    """The labelled blocks of one WIOD 2013 year as published, before they become an `MRIO`.

    ``Z`` and ``Y`` are labelled like `MRIO` (regions renamed to ISO3); ``published_output`` is the
    publisher's gross output per (region, sector); ``value_added`` holds the rows below Z other than
    the totals (workbook form only, else None); ``sector_names`` maps code to name.
    """

    Z: pd.DataFrame
    Y: pd.DataFrame
    published_output: pd.Series
    value_added: pd.DataFrame | None
    sector_names: Mapping[str, str]
    year: int
    path: Path
    form: str
    extra_notes: Mapping[str, Any]


# ------------------------------------------------------------------ labels
def wiod2013_sectors() -> pd.DataFrame:
    """The 35 WIOD 2013 sectors: columns ``code``, ``name``, ``isic_rev3`` (ISIC Rev.3 / NACE Rev.1.1)."""
    text = resources.files("mrio_tools").joinpath("data", "wiod2013_sectors.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    return pd.DataFrame(rows, columns=["code", "name", "isic_rev3"])


def _region(code: str) -> str:
    return REGION_RENAMES.get(code, code)


# ------------------------------------------------------------------- files
def _two_digit_year(yy: str) -> int:
    # the release covers 1995-2011: 95-99 are the 1990s
    value = int(yy)
    return 1900 + value if value >= 95 else 2000 + value


def _files_by_year(data_dir: Path) -> dict[int, dict[str, list[Path]]]:
    if not data_dir.is_dir():
        raise DataFileError(
            f"{data_dir}: not a folder. Fix: pass the folder that holds wiot_YYYY.RData or "
            "wiotYY_row_*.xlsx files (download_wiod2013 fetches the workbooks)"
        )
    found: dict[int, dict[str, list[Path]]] = {}
    for path in sorted(data_dir.iterdir()):
        if m := _RDATA_NAME.match(path.name):
            found.setdefault(int(m[1]), {}).setdefault("rdata", []).append(path)
        elif m := _XLSX_NAME.match(path.name):
            found.setdefault(_two_digit_year(m[1]), {}).setdefault("xlsx", []).append(path)
    return found


def available_years(data_dir: Path) -> list[int]:
    """Years for which `data_dir` holds a WIOD 2013 table in either file form, ascending."""
    return sorted(_files_by_year(Path(data_dir)))


def _file_for_year(data_dir: Path, year: int) -> tuple[Path, str]:
    found = _files_by_year(data_dir)
    if year not in found:
        years = sorted(found)
        held = ", ".join(str(y) for y in years) if years else "none"
        raise YearNotAvailableError(
            f"{data_dir}: no WIOD 2013 table for {year} (looked for wiot_{year}.RData and "
            f"wiot{year % 100:02d}_row_*.xlsx). Years in this folder: {held}. Fix: pick one of these "
            f"years, or download it with download_wiod2013 (the release covers {WIOD2013_YEARS[0]}-"
            f"{WIOD2013_YEARS[-1]})"
        )
    forms = found[year]
    # the publisher's workbook is preferred: it is not rounded and it holds the value added rows; but a
    # workbook that is not a complete xlsx (a cut download, an HTML page) yields to a readable RData
    if "xlsx" in forms:
        if len(forms["xlsx"]) > 1:
            raise DataFileError(
                f"{data_dir}: {len(forms['xlsx'])} WIOD workbooks for {year}: "
                f"{listed([p.name for p in forms['xlsx']])}. Fix: keep one of them in the folder"
            )
        workbook = forms["xlsx"][0]
        problem = zip_problem(workbook, required=(_WORKBOOK_MEMBER,))
        if problem is None or "rdata" not in forms:
            return workbook, "xlsx"
        if not _rdata_head_ok(forms["rdata"][0]):
            raise DataFileError(
                f"{data_dir}: both files of {year} are damaged: {workbook.name} is {problem}, and "
                f"{forms['rdata'][0].name} is not an R data file. Fix: download the workbook again "
                "(download_wiod2013, mrio-tools download) and remove the damaged files"
            )
    return forms["rdata"][0], "rdata"


#: first bytes of an R save file: gzip, bzip2 or xz compressed, or uncompressed (RDX/RDA/RDB + version)
_RDATA_MAGIC: Final = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"RDX", b"RDA", b"RDB")
#: what a workbook must hold: an xlsx is a zip archive with this member
_WORKBOOK_MEMBER: Final = "xl/workbook.xml"


def _rdata_head_ok(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(6).startswith(_RDATA_MAGIC)
    except OSError:
        return False
