"""WIOD 2016 workbooks and a JRC CO2 workbook in the publishers' layouts, small enough for tests.

`write_workbook` writes ``WIOTYYYY_Nov16_ROW.xlsx`` with the 2016 release's sheet layout (row 3
codes, row 5 countries, labels in A-D, numbers from E7, final demand CONS_h ... INVEN, the GO
column, the rows II_fob ... GO below the industries) for 2 countries + ROW x the 56 sectors; the
``.xlsb`` the publisher ships has the same cells (Python cannot write xlsb). `write_jrc` writes
``CO2 emissions.xlsx`` in the JRC layout for the same regions. The values are simple so that the
tests can work them out by hand (see test_source_wiod2016.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import openpyxl

SECTORS = (
    "A01", "A02", "A03", "B", "C10-C12", "C13-C15", "C16", "C17", "C18", "C19", "C20", "C21", "C22",
    "C23", "C24", "C25", "C26", "C27", "C28", "C29", "C30", "C31_C32", "C33", "D35", "E36", "E37-E39",
    "F", "G45", "G46", "G47", "H49", "H50", "H51", "H52", "H53", "I", "J58", "J59_J60", "J61",
    "J62_J63", "K64", "K65", "K66", "L68", "M69_M70", "M71", "M72", "M73", "M74_M75", "N", "O84",
    "P85", "Q", "R_S", "T", "U",
)  # fmt: skip
CATEGORIES = ("CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN")
BELOW = ("II_fob", "TXSP", "EXP_adj", "PURR", "PURNR", "VA", "IntTTM", "GO")
REGIONS = ("AUS", "CHN", "ROW")
#: every intermediate cell, every final-demand cell (M USD); published GO is Z1 + Y1 + 1 (a gap of 1)
Z_CELL, Y_CELL = 0.5, 1.0


def write_workbook(folder: Path, year: int, regions: Sequence[str] = REGIONS) -> Path:
    n = len(regions) * len(SECTORS)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = str(year)
    sheet["A1"] = f"World Input-Output Table {year}"
    sheet["A2"] = "(millions of US$)"
    col = 5
    for region in regions:
        for code in SECTORS:
            sheet.cell(row=3, column=col, value=code)
            sheet.cell(row=4, column=col, value=f"description of {code}")
            sheet.cell(row=5, column=col, value=region)
            sheet.cell(row=6, column=col, value=f"c{SECTORS.index(code) + 1}")
            col += 1
    for region in regions:
        for k, code in enumerate(CATEGORIES):
            sheet.cell(row=3, column=col, value=code)
            sheet.cell(row=5, column=col, value=region)
            sheet.cell(row=6, column=col, value=f"c{57 + k}")
            col += 1
    sheet.cell(row=3, column=col, value="GO")
    sheet.cell(row=5, column=col, value="TOT")
    sheet.cell(row=6, column=col, value="c62")
    y_width = len(regions) * len(CATEGORIES)
    go = n * Z_CELL + y_width * Y_CELL + 1.0
    r = 7
    for region in regions:
        for i, code in enumerate(SECTORS):
            sheet.cell(row=r, column=1, value=code)
            sheet.cell(row=r, column=2, value=f"description of {code}")
            sheet.cell(row=r, column=3, value=region)
            sheet.cell(row=r, column=4, value=f"r{i + 1}")
            for j in range(n):
                sheet.cell(row=r, column=5 + j, value=Z_CELL)
            for j in range(y_width):
                sheet.cell(row=r, column=5 + n + j, value=Y_CELL)
            sheet.cell(row=r, column=5 + n + y_width, value=go)
            r += 1
    for k, code in enumerate(BELOW):
        sheet.cell(row=r, column=1, value=code)
        sheet.cell(row=r, column=3, value="TOT")
        sheet.cell(row=r, column=4, value=f"r{64 + k}")
        value = {"II_fob": n * Z_CELL, "VA": go - n * Z_CELL, "GO": go}.get(code, 0.0)
        for j in range(n):
            sheet.cell(row=r, column=5 + j, value=value)
        r += 1
    path = folder / f"WIOT{year}_Nov16_ROW.xlsx"
    book.save(path)
    return path


def write_jrc(path: Path, values: dict[str, np.ndarray], years: Sequence[int]) -> Path:
    """``CO2 emissions.xlsx``: Notes, Sector, SectorAgr, then one sheet per region (57 rows x years)."""
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes["A5"], notes["A6"] = "Variable", "CO2 Emission in kt"
    book.create_sheet("Sector")
    book.create_sheet("SectorAgr")
    for country, array in values.items():
        sheet = book.create_sheet(country)
        for j, year in enumerate(years, start=2):
            sheet.cell(row=1, column=j, value=str(year))
        for i, code in enumerate((*SECTORS, "FC_HH"), start=2):
            sheet.cell(row=i, column=1, value=code)
            for j in range(len(years)):
                sheet.cell(row=i, column=j + 2, value=float(array[i - 2, j]))
    book.save(path)
    return path


def hand_co2(years: Sequence[int]) -> dict[str, np.ndarray]:
    """1 kt in every sector and year, except CHN D35 1000 kt; FC_HH: CHN 50, others 2."""
    values = {}
    for sheet in ("AUS", "CHN", "RoW"):
        array = np.ones((len(SECTORS) + 1, len(years)))
        array[-1] = 50.0 if sheet == "CHN" else 2.0
        if sheet == "CHN":
            array[SECTORS.index("D35")] = 1000.0
        values[sheet] = array
    return values
