"""The WIOD 2013 release: world input-output tables 1995-2011, 40 countries + RoW x 35 sectors, M USD.

Source: World Input-Output Database, 2013 release (Timmer et al. 2015, Review of International
Economics 23:575). Two file forms are read, whichever the data folder holds:

- the publisher's yearly workbooks ``wiotYY_row_apr12.xlsx`` (1995-2007) and ``wiotYY_row_sep12.xlsx``
  (2008-2011; any ``wiotYY_row_<mon><yy>.xlsx`` is accepted): one sheet, six header rows (row 5 the
  country, row 6 the WIOD code ``c1``..``c35`` of each column), four label columns (A ISIC Rev.3 code,
  B name, C country, D WIOD code), the 1435 x 1435 intermediate block from cell E7, then 41 x 5 final
  demand columns (``c37``, ``c38``, ``c39``, ``c41``, ``c42`` per consuming country) and one column of
  gross output; below the intermediate rows follow the rows ``r60`` (total intermediate consumption)
  ... ``r69`` (output at basic prices), with taxes less subsidies, the cif/fob adjustment, direct
  purchases, value added and international transport margins in between (layout facts from pymrio
  0.7's ``parse_wiod`` and from published scripts that read these files);
- the R data package ``wiod`` 0.4.0 form ``wiot_YYYY.RData``: one list ``wiot_YYYY`` with unlabelled
  ``inter`` (n x n), ``final`` (n x 5R), ``output`` (n), ``countries`` (R) and ``industries`` (35), in
  the same region-major order as the workbooks, values in whole M USD (layout as described in
  ../shared/data/README.md, section wiod2013, and checked on the files).

Gross output is x = Z1 + Y1 (docs/methods.md, notation); the published output column is kept only to
report how far it is from that sum (``notes["output_residual"]``). The tables carry no emissions:
``F`` and ``F_Y`` are empty; emissions are attached by the concordance module (docs/methods.md,
"Emissions from another classification (concordance)").
"""

from __future__ import annotations

import csv
import dataclasses
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final, get_args

import numpy as np
import pandas as pd
from tqdm import tqdm

from mrio_tools.choices import OutputGap
from mrio_tools.errors import SHOWN_LABELS, DataFileError, DownloadError, YearNotAvailableError, listed
from mrio_tools.io.archive import zip_problem
from mrio_tools.mrio.container import MRIO
from mrio_tools.sources._xlsx import open_workbook

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


def _rdata_head_ok(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(6).startswith(_RDATA_MAGIC)
    except OSError:
        return False


# ------------------------------------------------------------------- RData
def _keep_list(value: Any, attrs: Any) -> Any:
    # the wiod package marks its lists with R class "iot"; the underlying named list is what we read
    return value


#: first bytes of an R save file: gzip, bzip2 or xz compressed, or uncompressed (RDX/RDA/RDB + version)
_RDATA_MAGIC: Final = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"RDX", b"RDA", b"RDB")


def _parse_rdata(path: Path) -> dict[str, Any]:
    import rdata

    fix = "Fix: download the file again (R package wiod 0.4.0, data/wiot_YYYY.RData)"
    with path.open("rb") as f:
        head = f.read(6)
    # checked here because rdata only warns, then guesses another format, on files that are not R's
    if not head.startswith(_RDATA_MAGIC):
        raise DataFileError(f"{path}: not an R data file (it starts with {head!r}). {fix}")
    constructors = {**rdata.conversion.DEFAULT_CLASS_MAP, "iot": _keep_list}
    try:
        converted = rdata.conversion.convert(rdata.parser.parse_file(path), constructors)
    except (NotImplementedError, ValueError, EOFError, OSError) as exc:
        raise DataFileError(
            f"{path}: not a readable R data file ({type(exc).__name__}: {exc}). {fix}"
        ) from exc
    if not isinstance(converted, dict):
        raise DataFileError(f"{path}: holds a {type(converted).__name__}, not named R objects. {fix}")
    return converted


def _field(path: Path, obj: Mapping[str, Any], object_name: str, field: str) -> np.ndarray:
    if field not in obj:
        raise DataFileError(
            f"{path}: object {object_name!r} has no field {field!r} (fields: {listed(list(obj))}). "
            "Fix: use the wiod package's wiot_YYYY.RData files unchanged"
        )
    return np.asarray(obj[field])


def _numeric(path: Path, object_name: str, field: str, array: np.ndarray) -> np.ndarray:
    if array.dtype.kind not in "biuf":
        raise DataFileError(f"{path}: {object_name}${field} holds {array.dtype} values, expected numbers")
    values = array.astype(np.float64)
    if not np.isfinite(values).all():
        bad = np.argwhere(~np.isfinite(values))[:SHOWN_LABELS].tolist()
        raise DataFileError(f"{path}: {object_name}${field} has missing or infinite values at {bad}")
    return values


def _read_rdata(path: Path, year: int) -> Wiod2013Blocks:
    objects = _parse_rdata(path)
    object_name = f"wiot_{year}"
    if object_name not in objects:
        raise DataFileError(
            f"{path}: no object {object_name!r} (the file holds {listed(list(objects)) or 'nothing'}). "
            "Fix: use the wiod package's wiot_YYYY.RData file of that year"
        )
    obj = objects[object_name]
    if not isinstance(obj, Mapping):
        raise DataFileError(f"{path}: {object_name!r} is a {type(obj).__name__}, expected a named R list")
    countries = [str(c) for c in _field(path, obj, object_name, "countries").tolist()]
    industries = [str(s) for s in _field(path, obj, object_name, "industries").tolist()]
    if tuple(industries) != SECTOR_CODES:
        raise DataFileError(
            f"{path}: {object_name}$industries is {listed(industries)}, expected the 35 WIOD 2013 codes "
            "c1..c35 in order"
        )
    regions = [_region(c) for c in countries]
    if len(set(regions)) != len(regions):
        dup = sorted({c for c in regions if regions.count(c) > 1})
        raise DataFileError(
            f"{path}: {object_name}$countries lists {listed(dup)} more than once (ROM is ROU)"
        )
    if "year" in obj:
        stored = np.asarray(obj["year"]).ravel().tolist()
        if stored and int(stored[0]) != year:
            raise DataFileError(f"{path}: {object_name}$year is {stored[0]}, the file name says {year}")
    n_reg, n_sec, n_cat = len(countries), len(SECTOR_CODES), len(CATEGORY_NAMES)
    n = n_reg * n_sec
    arrays: dict[str, np.ndarray] = {}
    layout = f"{n_reg} countries x {n_sec} sectors, {n_cat} final-demand categories per country"
    for field, shape in (("inter", (n, n)), ("final", (n, n_reg * n_cat)), ("output", (n,))):
        raw = _field(path, obj, object_name, field)
        if raw.shape != shape:
            raise DataFileError(
                f"{path}: {object_name}${field} has shape {raw.shape}, expected {shape} ({layout}). "
                "Fix: use the wiod package's wiot_YYYY.RData files unchanged"
            )
        arrays[field] = _numeric(path, object_name, field, raw)
    rows = pd.MultiIndex.from_product([regions, SECTOR_CODES], names=["region", "sector"])
    cols = pd.MultiIndex.from_product([regions, list(CATEGORY_NAMES)], names=["region", "category"])
    sectors = wiod2013_sectors()
    names = dict(zip(sectors["code"], sectors["name"], strict=True))
    return Wiod2013Blocks(
        Z=pd.DataFrame(arrays["inter"], index=rows, columns=rows.copy()),
        Y=pd.DataFrame(arrays["final"], index=rows.copy(), columns=cols),
        published_output=pd.Series(arrays["output"], index=rows.copy(), name="published_output"),
        value_added=None,
        sector_names=names,
        year=year,
        path=path,
        form="R data package wiod 0.4.0 (wiot_YYYY.RData, whole M USD)",
        extra_notes={
            "value_added": "not in the R data package form (x - Z column sums also holds taxes and margins)",
        },
    )


# -------------------------------------------------------------------- xlsx
def _cell(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row + 1}"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _load_sheet(path: Path) -> list[tuple[Any, ...]]:
    book = open_workbook(path, fix="download it again")
    try:
        # the table is the first sheet (WIOT_YYYY); the workbooks hold no other data sheet
        sheet = book.worksheets[0]
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


_NUMBER, _EMPTY, _OTHER = 0, 1, 2


def _kind(value: Any) -> int:
    if value is None:
        return _EMPTY
    # Excel booleans and text are not table values; openpyxl gives numbers as int or float
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _NUMBER
    return _OTHER


def _block_values(
    path: Path, rows: list[tuple[Any, ...]], row_ids: list[int], first_col: int, stop_col: int
) -> tuple[np.ndarray, int]:
    """Numbers of the cells in `row_ids` x [first_col, stop_col); empty cells are read as 0 and counted."""
    width = stop_col - first_col
    block = [rows[r][first_col:stop_col] for r in row_ids]
    cells = np.array([row + (None,) * (width - len(row)) for row in block], dtype=object)
    cells = cells.reshape(len(row_ids), width)
    kinds = np.frompyfunc(_kind, 1, 1)(cells).astype(np.int8)
    bad = np.argwhere(kinds == _OTHER)
    if bad.size:
        shown = [f"{_cell(row_ids[i], first_col + j)}={cells[i, j]!r}" for i, j in bad[:SHOWN_LABELS]]
        raise DataFileError(
            f"{path}: {len(bad)} cells of the table are not numbers: {listed(shown)}. "
            "Fix: use the publisher's workbook unchanged"
        )
    empty = kinds == _EMPTY
    cells[empty] = 0.0
    values = cells.astype(np.float64)
    if not np.isfinite(values).all():
        i, j = np.argwhere(~np.isfinite(values))[0]
        raise DataFileError(f"{path}: cell {_cell(row_ids[i], first_col + j)} is not a finite number")
    return values, int(empty.sum())


def _same_labels(
    path: Path,
    found: list[tuple[str, str]],
    expected: list[tuple[str, str]],
    cells: list[str],
    what: str,
    layout: str,
) -> None:
    """Raise naming the first cell whose (region, code) label differs from the expected one."""
    if found == expected:
        return
    pos = next((i for i, (a, b) in enumerate(zip(found, expected, strict=False)) if a != b), None)
    if pos is None:
        raise DataFileError(f"{path}: {len(found)} {what}, expected {len(expected)}. {layout}")
    raise DataFileError(
        f"{path}: {what}: {cells[pos]} is labelled {found[pos]}, expected {expected[pos]}. {layout}"
    )


def _year_in_title(rows: list[tuple[Any, ...]]) -> int | None:
    title = _text(rows[0][0]) if rows and rows[0] else ""
    m = re.search(r"(19|20)\d{2}\s*$", title)
    return int(m[0]) if m else None


def _read_xlsx(path: Path, year: int) -> Wiod2013Blocks:
    rows = _load_sheet(path)
    layout = (
        "Fix: use the publisher's workbook unchanged (row 5 countries, row 6 codes c1.., first "
        "number in E7, labels in columns B-D)"
    )
    if len(rows) <= _FIRST_DATA_ROW:
        raise DataFileError(f"{path}: the first sheet has only {len(rows)} rows. {layout}")
    titled = _year_in_title(rows)
    if titled is not None and titled != year:
        raise DataFileError(f"{path}: cell A1 names the year {titled}, the file name says {year}")
    region_row, code_row = rows[_HEADER_REGION_ROW], rows[_HEADER_CODE_ROW]
    first_code = _text(code_row[_FIRST_DATA_COL]) if len(code_row) > _FIRST_DATA_COL else ""
    if first_code != SECTOR_CODES[0]:
        raise DataFileError(
            f"{path}: cell {_cell(_HEADER_CODE_ROW, _FIRST_DATA_COL)} is {first_code!r}, expected 'c1'. "
            + layout
        )

    # rows: the intermediate rows, then the rows r60..r69 below them; what follows those (notes) is not read
    z_rows: list[int] = []
    extra_rows: list[int] = []
    for r in range(_FIRST_DATA_ROW, len(rows)):
        row = rows[r]
        code = _text(row[_COL_CODE]) if len(row) > _COL_CODE else ""
        if _EXTRA_ROW_CODE.match(code) and z_rows:
            extra_rows.append(r)
        elif code in SECTOR_CODES and not extra_rows:
            z_rows.append(r)
        elif extra_rows and code not in SECTOR_CODES:
            break
        else:
            raise DataFileError(
                f"{path}: row {r + 1} has code {code!r} in column D; expected c1..c35 for the industries "
                f"from row 7 on, then r60..r69. {layout}"
            )
    if not z_rows:
        raise DataFileError(f"{path}: no industry rows (code c1..c35 in column D) from row 7 on. {layout}")
    found_rows = [(_region(_text(rows[r][_COL_REGION])), _text(rows[r][_COL_CODE])) for r in z_rows]
    n = len(z_rows)
    regions = list(dict.fromkeys(region for region, _ in found_rows))
    expected_rows = [(region, s) for region in regions for s in SECTOR_CODES]
    _same_labels(
        path, found_rows, expected_rows, [_cell(r, _COL_CODE) for r in z_rows], "industry rows", layout
    )

    # columns: the same industries, then 5 categories per region, then gross output
    def header(col: int) -> tuple[str, str]:
        reg = _text(region_row[col]) if col < len(region_row) else ""
        code = _text(code_row[col]) if col < len(code_row) else ""
        return _region(reg), code

    z_cells = [_cell(_HEADER_CODE_ROW, _FIRST_DATA_COL + j) for j in range(n)]
    z_cols = [header(_FIRST_DATA_COL + j) for j in range(n)]
    _same_labels(path, z_cols, expected_rows, z_cells, "industry columns (same order as the rows)", layout)
    y_start = _FIRST_DATA_COL + n
    expected_y = [(region, c) for region in regions for c in CATEGORY_NAMES]
    y_cells = [_cell(_HEADER_CODE_ROW, y_start + j) for j in range(len(expected_y))]
    y_cols = [header(y_start + j) for j in range(len(expected_y))]
    _same_labels(
        path, y_cols, expected_y, y_cells, "final-demand columns (c37, c38, c39, c41, c42 per region)", layout
    )
    output_col = y_start + len(expected_y)

    values, empty = _block_values(path, rows, z_rows, _FIRST_DATA_COL, output_col + 1)
    idx = pd.MultiIndex.from_tuples(expected_rows, names=["region", "sector"])
    cols = pd.MultiIndex.from_tuples(expected_y, names=["region", "category"])
    Z = pd.DataFrame(values[:, :n], index=idx, columns=idx.copy())
    Y = pd.DataFrame(values[:, n : output_col - _FIRST_DATA_COL], index=idx.copy(), columns=cols)
    published = pd.Series(values[:, -1], index=idx.copy(), name="published_output")

    value_added = None
    inputs = [r for r in extra_rows if _text(rows[r][_COL_CODE]) not in _TOTAL_ROWS]
    if inputs:
        va_values, va_empty = _block_values(path, rows, inputs, _FIRST_DATA_COL, _FIRST_DATA_COL + n)
        empty += va_empty
        labels = [_text(rows[r][_COL_NAME]) or _text(rows[r][_COL_CODE]) for r in inputs]
        if len(set(labels)) != len(labels):
            raise DataFileError(f"{path}: rows below the industries repeat labels: {listed(labels)}")
        value_added = pd.DataFrame(va_values, index=pd.Index(labels, name="component"), columns=idx.copy())

    first = [r for r in z_rows if _region(_text(rows[r][_COL_REGION])) == regions[0]]
    names = {_text(rows[r][_COL_CODE]): _text(rows[r][_COL_NAME]) for r in first}
    return Wiod2013Blocks(
        Z=Z,
        Y=Y,
        published_output=published,
        value_added=value_added,
        sector_names=names,
        year=year,
        path=path,
        form="publisher workbook (wiotYY_row_*.xlsx)",
        extra_notes={
            "empty_cells_read_as_zero": empty,
            "value_added": (
                "rows below the industries other than the totals r60 and r69, industry columns only "
                "(their final-demand columns are not kept)"
                if inputs
                else "not in this workbook"
            ),
        },
    )


# ----------------------------------------------------------------- readers
def read_wiod2013_blocks(data_dir: Path, year: int) -> Wiod2013Blocks:
    """Read one year's labelled blocks from `data_dir` (workbook if present, else RData), unvalidated.

    Raises `YearNotAvailableError` (listing the folder's years) when the year is absent, and
    `DataFileError` naming the file, object or cell when the file does not have the published layout.
    """
    data_dir = Path(data_dir)
    path, form = _file_for_year(data_dir, year)
    return _read_xlsx(path, year) if form == "xlsx" else _read_rdata(path, year)


def output_residual(blocks: Wiod2013Blocks) -> dict[str, Any]:
    """Published gross output minus x = Z1 + Y1: largest absolute gap, where, total gap, published total."""
    x = blocks.Z.to_numpy().sum(axis=1) + blocks.Y.to_numpy().sum(axis=1)
    residual = blocks.published_output.to_numpy() - x
    worst = int(np.argmax(np.abs(residual)))
    region, sector = blocks.Z.index[worst]
    return {
        "max_abs": float(np.abs(residual[worst])),
        "at": [str(region), str(sector)],
        "sum_abs": float(np.abs(residual).sum()),
        "published_total": float(blocks.published_output.sum()),
        "unit": MONETARY_UNIT,
        "definition": "published gross output minus (Z1 + Y1); the MRIO uses Z1 + Y1",
    }


RESIDUAL_CATEGORY: Final = "residual"
RESIDUAL_DESCRIPTION: Final = (
    "published output minus Z1 + Y1 of the file (rounding of the R package copy), booked as final use "
    "of the producing region"
)
#: the treatment `output_gap="by_file_form"` picks (docs/methods.md: scale_rows is the default for rounded
#: copies; the publisher's workbooks carry decimals, so their gap is rounding dust)
DEFAULT_OUTPUT_GAP: Final[Mapping[str, str]] = {"rdata": "scale_rows", "xlsx": "recompute"}


def _form_key(blocks: Wiod2013Blocks) -> str:
    """'rdata' or 'xlsx': which of the two file forms the blocks were read from."""
    return "xlsx" if blocks.path.suffix.lower() == ".xlsx" else "rdata"


def table_file(data_dir: Path, year: int) -> Path:
    """The file the year's table is read from (the workbook where both forms are present)."""
    return _file_for_year(Path(data_dir), year)[0]


def _with_residual_category(blocks: Wiod2013Blocks, gap: np.ndarray) -> pd.DataFrame:
    """Y with one more category per region holding, in the region's own rows, `gap`."""
    Z, Y = blocks.Z, blocks.Y
    regions = Y.columns.get_level_values("region").unique()
    row_regions = Z.index.get_level_values("region")
    residual = pd.DataFrame(
        {(region, RESIDUAL_CATEGORY): np.where(row_regions == region, gap, 0.0) for region in regions},
        index=Y.index,
    )
    residual.columns = residual.columns.set_names(["region", "category"])
    combined = pd.concat([Y, residual], axis=1)
    order = pd.MultiIndex.from_product(
        [regions, [*Y.columns.get_level_values("category").unique(), RESIDUAL_CATEGORY]],
        names=["region", "category"],
    )
    return combined.reindex(columns=order)


def _output_gap(blocks: Wiod2013Blocks) -> np.ndarray:
    """Published output minus Z1 + Y1 of the file, per row."""
    published: np.ndarray = blocks.published_output.to_numpy(dtype=float)
    gap: np.ndarray = published - blocks.Z.to_numpy().sum(axis=1) - blocks.Y.to_numpy().sum(axis=1)
    return gap


def _scaled_rows(blocks: Wiod2013Blocks) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """docs/methods.md `scale_rows`: row i of Z and Y times x_i / (Z1 + Y1)_i, x the published output.

    Every buyer of i, domestic or foreign, keeps its share, and x stays the published output. Rows
    with (Z1 + Y1)_i = 0 but x_i != 0 cannot be scaled: their gap is booked in a residual final-demand
    category of the producing region (only then does Y get that category), and they are listed.
    """
    x = blocks.published_output.to_numpy(dtype=float)
    total = blocks.Z.to_numpy().sum(axis=1) + blocks.Y.to_numpy().sum(axis=1)
    scalable = total != 0
    factor = np.ones_like(x)
    np.divide(x, total, out=factor, where=scalable)
    Z = blocks.Z.mul(factor, axis=0)
    Y = blocks.Y.mul(factor, axis=0)
    unscalable = ~scalable & (x != 0)
    labels = [f"{r} {s}" for r, s in blocks.Z.index[unscalable]]
    # published output 0 where the file has sales: the row is scaled to 0 (the sector produces nothing)
    zeroed = [f"{r} {s}" for r, s in blocks.Z.index[scalable & (x == 0)]]
    report: dict[str, Any] = {
        "rows_with_published_output_zero_scaled_to_zero": zeroed,
        "rows_scaled": int(scalable.sum()),
        "factor_min": float(factor[scalable].min()) if scalable.any() else 1.0,
        "factor_max": float(factor[scalable].max()) if scalable.any() else 1.0,
        "rows_unscalable_booked_as_residual": labels,
    }
    if unscalable.any():
        Y = _with_residual_category(dataclasses.replace(blocks, Y=Y), np.where(unscalable, x, 0.0))
    return Z, Y, report


def read_wiod2013(data_dir: Path, year: int, *, output_gap: OutputGap) -> MRIO:
    """Read the WIOD 2013 table of `year` from `data_dir` as a validated `MRIO` (M USD, no stressors).

    Gross output is x = Z1 + Y1 (docs/methods.md, notation); ``notes["output_residual"]`` says how far the
    publisher's output column is from Z1 + Y1 of the file. `output_gap` (required: a scientific choice)
    says what to do with that gap:

    - ``"recompute"``: nothing; x = Z1 + Y1 of the file as it is. Right for the publisher's workbooks,
      whose values carry decimals (the gap is rounding dust). On the R copy it fails in most years
      where a few tiny sectors (e.g. CYP c8, SVN c8, LUX c24 in 2008) end up with inputs >= x = Z1 + Y1
      or with x < 0, which `MRIO` rejects as it must.
    - ``"scale_rows"``: row i of Z and of Y times x_i / (Z1 + Y1)_i with x the published output, so
      every buyer of i keeps its share (rows that sell nothing in the file but have published output
      get the residual category below, and are listed in ``notes["output_gap_scaling"]``).
    - ``"residual_category"``: the gap of each row becomes an extra final-demand category
      ``residual`` of the producing region (its own column), so x equals the published output but
      the whole gap counts as domestic final use.
    - ``"by_file_form"``: ``scale_rows`` for the rounded R copy (docs/methods.md's default for rounded
      copies), ``recompute`` for workbooks; ``notes["output_gap_chosen_by"]`` says which and why.

    Regions are ISO3 (ROM -> ROU) plus ``RoW``; sectors the codes c1..c35 (names in
    ``notes["sector_names"]``); categories c37, c38, c39, c41, c42 (+ ``residual``; names in
    ``notes["category_names"]``). ``F`` and ``F_Y`` have no rows: attach emissions with the concordance
    module. Raises `YearNotAvailableError`, `DataFileError`, or `ValidationError` where the table breaks
    a check of `MRIO`.
    """
    if output_gap not in get_args(OutputGap):
        raise ValueError(f"output_gap={output_gap!r}; use one of {', '.join(get_args(OutputGap))}")
    blocks = read_wiod2013_blocks(data_dir, year)
    sectors = wiod2013_sectors().set_index("code")
    category_names = dict(CATEGORY_NAMES)
    chosen_by = "the caller"
    if output_gap == "by_file_form":
        output_gap = DEFAULT_OUTPUT_GAP[_form_key(blocks)]  # type: ignore[assignment]
        chosen_by = f"default for the {blocks.form} (docs/methods.md, 'The output gap of rounded tables')"
    Z, Y = blocks.Z, blocks.Y
    gap_notes: dict[str, Any] = {}
    if output_gap == "residual_category":
        Y = _with_residual_category(blocks, _output_gap(blocks))
    elif output_gap == "scale_rows":
        Z, Y, gap_notes = _scaled_rows(blocks)
    if RESIDUAL_CATEGORY in Y.columns.get_level_values("category"):
        category_names[RESIDUAL_CATEGORY] = RESIDUAL_DESCRIPTION
    notes: dict[str, Any] = {
        "file": blocks.path.name,
        "file_form": blocks.form,
        "sector_names": dict(blocks.sector_names),
        "sector_isic_rev3": sectors["isic_rev3"].to_dict(),
        "category_names": category_names,
        "regions_renamed": dict(REGION_RENAMES),
        "output_residual": output_residual(blocks),
        "output_gap_treatment": output_gap,
        "output_gap_chosen_by": chosen_by,
        **({"output_gap_scaling": gap_notes} if gap_notes else {}),
        **blocks.extra_notes,
    }
    return MRIO(
        Z=Z,
        Y=Y,
        F=pd.DataFrame(
            np.zeros((0, len(blocks.Z.index))),
            index=pd.Index([], name="stressor", dtype=object),
            columns=blocks.Z.index.copy(),
        ),
        F_Y=pd.DataFrame(
            np.zeros((0, len(Y.columns))),
            index=pd.Index([], name="stressor", dtype=object),
            columns=Y.columns.copy(),
        ),
        monetary_unit=MONETARY_UNIT,
        stressor_units={},
        source=SOURCE,
        version=f"{VERSION}, {blocks.form}",
        year=year,
        price_basis=PRICE_BASIS,
        notes=notes,
        value_added=blocks.value_added,
    )


# ---------------------------------------------------------------- download
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
_WORKBOOK_MEMBER: Final = "xl/workbook.xml"
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


def _fetch(url: str, target: Path) -> None:
    """Stream `url` to ``target.part``, check it, then rename it to `target` (no broken file is kept).

    The transfer must deliver the Content-Length the server declared (a cut transfer is an error) and
    the file must be an xlsx (a zip holding xl/workbook.xml; an HTML page served instead is an error).
    Connection errors keep urllib's exception (an `OSError`) with a note naming the URL and the fix.
    """
    part = target.with_name(target.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=60) as response, part.open("wb") as out:
            total = response.headers.get("Content-Length") if response.headers else None
            declared = int(total) if total and str(total).strip().isdigit() else None
            received = 0
            with tqdm(total=declared, unit="B", unit_scale=True, desc=target.name) as bar:
                while chunk := response.read(1 << 20):
                    out.write(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
        if declared is not None and received != declared:
            raise DownloadError(
                f"{url}: the transfer was cut: {received} of the {declared} bytes the server declared "
                f"arrived; nothing was kept as {target}. Fix: run the download again"
            )
        problem = zip_problem(part, required=(_WORKBOOK_MEMBER,))
        if problem is not None:
            raise DownloadError(
                f"{url}: not the xlsx workbook: the file is {problem}; nothing was kept as {target}. "
                "Fix: check that --base-url (base_url=) is a folder serving the WIOD 2013 workbooks "
                "(a login or error page is HTML), then download again"
            )
        os.replace(part, target)
    except urllib.error.URLError as exc:
        exc.add_note(
            f"while downloading {url} to {target}. Fix: check the connection, or pass base_url= "
            "(mrio-tools download: --base-url) a folder that serves the WIOD 2013 workbooks"
        )
        raise
    finally:
        part.unlink(missing_ok=True)


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
    _check_base_url(base_url)
    dest = Path(dest)
    urls = [wiod2013_url(year, base_url=base_url) for year in years]
    dest.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for url in urls:
        target = dest / url.rsplit("/", 1)[-1]
        if not target.exists() or zip_problem(target, required=(_WORKBOOK_MEMBER,)) is not None:
            _fetch(url, target)
        paths.append(target)
    return paths


__all__ = [
    "BASE_URL",
    "CATEGORY_NAMES",
    "SECTOR_CODES",
    "WIOD2013_YEARS",
    "Wiod2013Blocks",
    "available_years",
    "download_wiod2013",
    "output_residual",
    "read_wiod2013",
    "read_wiod2013_blocks",
    "wiod2013_sectors",
    "wiod2013_url",
]
