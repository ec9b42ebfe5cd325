"""The report's tables: one Excel workbook for policy briefs, and the long tables as CSV and parquet.

The workbook has one sheet per topic present in the series, each with a caption row (title, source,
demonstration label), a frozen header row with the unit in every value header, number formats, the
basis of every row (extended years italic, hatched and marked with a dagger), and a `notes` sheet
with source, version, method choices and the commands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from mrio_tools.io.output import atomic_write
from mrio_tools.report.views import EXTENDED_MARK


@dataclass(frozen=True)
class Topic:
    """One table of the report: sheet title, the table as shown (localized, wide) and its long form."""

    name: str
    sheet: str
    caption: str
    shown: pd.DataFrame
    long: pd.DataFrame


def _number_format(values: pd.Series) -> str:
    finite = np.abs(values.to_numpy(dtype=float))
    finite = finite[np.isfinite(finite) & (finite > 0)]
    if finite.size == 0:
        return "0.00"
    typical = float(np.median(finite))
    if typical >= 100:
        return "#,##0"
    if typical >= 1:
        return "#,##0.00"
    return "0.000"


def write_workbook(
    path: Path,
    topics: Sequence[Topic],
    notes: Sequence[tuple[str, str]],
    notes_sheet: str,
    headers: tuple[str, str],
) -> Path:
    """Write `topics` (one sheet each) and the notes sheet (`headers` name its two columns) to `path`."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold, italic = Font(bold=True), Font(italic=True)
    hatched = PatternFill(fill_type="lightUp", fgColor="FFBBBBBB", bgColor="FFFFFFFF")
    for topic in topics:
        sheet = book.create_sheet(topic.sheet[:31])
        sheet.cell(row=1, column=1, value=topic.caption).font = bold
        columns = list(topic.shown.columns)
        for j, header in enumerate(columns, start=1):
            cell = sheet.cell(row=2, column=j, value=str(header))
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        formats = {
            c: _number_format(topic.shown[c]) for c in columns if pd.api.types.is_float_dtype(topic.shown[c])
        }
        year_column = columns[0] if columns else None
        for i, row in enumerate(topic.shown.itertuples(index=False), start=3):
            extended = year_column is not None and str(row[0]).endswith(EXTENDED_MARK)
            for j, (column, value) in enumerate(zip(columns, row, strict=True), start=1):
                if isinstance(value, float) and not np.isfinite(value):
                    value = None
                elif isinstance(value, np.generic):
                    value = value.item()
                cell = sheet.cell(row=i, column=j, value=value)
                if column in formats:
                    cell.number_format = formats[column]
                if extended:
                    cell.font, cell.fill = italic, hatched
        for j, column in enumerate(columns, start=1):
            width = (
                max(len(str(column)), *(len(str(v)) for v in topic.shown[column].head(200)))
                if len(topic.shown)
                else len(str(column))
            )
            sheet.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 8), 48)
        sheet.freeze_panes = "A3"
    sheet = book.create_sheet(notes_sheet[:31])
    for j, header in enumerate(headers, start=1):
        sheet.cell(row=1, column=j, value=header).font = bold
    for i, (key, value) in enumerate(notes, start=2):
        sheet.cell(row=i, column=1, value=key).font = bold
        sheet.cell(row=i, column=2, value=value).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 110
    sheet.freeze_panes = "A2"
    return atomic_write(path, lambda tmp: book.save(tmp))


def write_long_tables(folder: Path, topics: Sequence[Topic]) -> list[Path]:
    """Each topic's long table as `NAME.csv` and `NAME.parquet` under `folder`."""
    written = []
    for topic in topics:
        table = topic.long.reset_index(drop=True)
        for column in table.columns:
            if table[column].dtype == object:
                table[column] = table[column].astype(str)

        def to_csv(tmp: Path, table: pd.DataFrame = table) -> None:
            table.to_csv(tmp, index=False, float_format="%.10g")

        def to_parquet(tmp: Path, table: pd.DataFrame = table) -> None:
            table.to_parquet(tmp, index=False)

        written.append(atomic_write(folder / f"{topic.name}.csv", to_csv))
        written.append(atomic_write(folder / f"{topic.name}.parquet", to_parquet))
    return written
