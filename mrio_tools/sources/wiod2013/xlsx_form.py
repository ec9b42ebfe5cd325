"""The publisher's WIOD 2013 workbooks (``wiotYY_row_*.xlsx``): the sheet read into labelled blocks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mrio_tools.errors import SHOWN_LABELS, DataFileError, listed
from mrio_tools.sources._xlsx import open_workbook
from mrio_tools.sources.wiod2013.layout import (
    _COL_CODE,
    _COL_NAME,
    _COL_REGION,
    _EXTRA_ROW_CODE,
    _FIRST_DATA_COL,
    _FIRST_DATA_ROW,
    _HEADER_CODE_ROW,
    _HEADER_REGION_ROW,
    _TOTAL_ROWS,
    CATEGORY_NAMES,
    SECTOR_CODES,
    Wiod2013Blocks,
    _region,
)


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
