"""Builders of small WIOD 2013 files in the two published layouts (publisher xlsx, R data package).

The numbers are random integers; a test compares what the reader returns with the arrays written here.
Workbook layout of the 2013 release (facts from pymrio 0.7's ``parse_wiod`` and published scripts that
read these files): one sheet ``WIOT_YYYY``; A1 the title ending with the year, A3 the table type, A4
the unit; rows 3-6 the column headers (ISIC Rev.3 code, name, country, WIOD code); columns A-D the row
labels (same four); numbers from E7: industries x industries, then five final-demand columns per
country (c37 c38 c39 c41 c42), then gross output; below the industry rows, rows r60 ... r69 with
their labels in column B and ``TOT`` in column C. The cells of the header that the reader does not
use (row 3 over final demand, the output column's headers) are filled as well as is known.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import rdata

SECTORS = tuple(f"c{i}" for i in range(1, 36))
ISIC = (
    *("AtB", "C", "15t16", "17t18", "19", "20", "21t22", "23", "24", "25", "26", "27t28", "29", "30t33"),
    *("34t35", "36t37", "E", "F", "50", "51", "52", "H", "60", "61", "62", "63", "64", "J", "70", "71t74"),
    *("L", "M", "N", "O", "P"),
)
CATEGORIES = ("c37", "c38", "c39", "c41", "c42")
CATEGORY_LABELS = (
    "Final consumption expenditure by households",
    "Final consumption expenditure by non-profit organisations serving households (NPISH)",
    "Final consumption expenditure by government",
    "Gross fixed capital formation",
    "Changes in inventories and valuables",
)
#: rows below the industries: code, label (r60 and r69 are totals)
EXTRA_ROWS = (
    ("r60", "Total intermediate consumption"),
    ("r61", "taxes less subsidies on products"),
    ("r62", "Cif/ fob adjustments on exports"),
    ("r63", "Direct purchases abroad by residents"),
    ("r64", "Purchases on the domestic territory by non-residents"),
    ("r65", "Value added at basic prices"),
    ("r66", "International Transport Margins"),
    ("r69", "Output at basic prices"),
)
#: Romania as the 2013 release writes it, and the rest of the world
COUNTRIES = ("AUS", "ROM", "RoW")
#: a sector with no output, no inputs and no final demand (the release has such sectors)
ZERO_SECTOR = ("ROM", "c19")


@dataclass
class MockTable:
    """One mock year: the arrays as they are written to the files."""

    year: int
    countries: tuple[str, ...]
    inter: np.ndarray
    final: np.ndarray
    output: np.ndarray
    extra: np.ndarray  # len(EXTRA_ROWS) x (n + 5R), industry and final-demand columns
    names: tuple[str, ...] = field(default_factory=lambda: tuple(f"Sector {s} name" for s in SECTORS))


def mock_table(year: int = 2008, countries: tuple[str, ...] = COUNTRIES, seed: int = 0) -> MockTable:
    """Random integer table with positive value added, negative inventories and one zero-output sector."""
    rng = np.random.default_rng(seed)
    n, k = len(countries) * len(SECTORS), len(countries) * len(CATEGORIES)
    inter = rng.integers(0, 20, size=(n, n)).astype(np.int32)
    final = rng.integers(0, 400, size=(n, k)).astype(np.int32)
    final[:, 4::5] = rng.integers(-30, 30, size=(n, len(countries)))  # changes in inventories
    if ZERO_SECTOR[0] in countries:
        z = countries.index(ZERO_SECTOR[0]) * len(SECTORS) + SECTORS.index(ZERO_SECTOR[1])
        inter[z, :] = 0
        inter[:, z] = 0
        final[z, :] = 0
    # the published output differs from the row sums by a few units, as in the release
    output = inter.sum(axis=1) + final.sum(axis=1) + rng.integers(-3, 4, size=n)
    if ZERO_SECTOR[0] in countries:
        output[z] = 0
    extra = rng.integers(0, 50, size=(len(EXTRA_ROWS), n + k)).astype(np.float64)
    extra[0] = np.concatenate([inter.sum(axis=0), final.sum(axis=0)])
    extra[-1, :n] = output
    return MockTable(year, countries, inter, final, output.astype(np.int32), extra)


def write_rdata(
    path: Path,
    table: MockTable,
    *,
    object_name: str | None = None,
    replace: Mapping[str, Any] | None = None,
    drop: tuple[str, ...] = (),
) -> Path:
    """Write `table` as the R package wiod 0.4.0 does: one named list ``wiot_YYYY`` of unlabelled arrays.

    `replace` swaps fields (e.g. a wrongly shaped ``inter``); `drop` leaves fields out.
    """
    fields: dict[str, Any] = {
        "year": np.array([table.year], dtype=np.int32),
        "countries": np.array(table.countries),
        "industries": np.array(SECTORS),
        "final": table.final,
        "output": table.output,
        "inter": table.inter,
    }
    fields.update(replace or {})
    for name in drop:
        del fields[name]
    rdata.write_rda(path, {object_name or f"wiot_{table.year}": fields})
    return path


def workbook_rows(table: MockTable) -> list[list[Any]]:
    """The sheet's rows (lists of cell values) in the publisher's layout."""
    n_reg = len(table.countries)
    z_regions = [c for c in table.countries for _ in SECTORS]
    y_regions = [c for c in table.countries for _ in CATEGORIES]
    label_cols = [None] * 4
    rows: list[list[Any]] = [
        [f"World Input-Output Table {table.year}"],
        [],
        ["(industry-by-industry)", None, None, None, *(list(ISIC) * n_reg), *([None] * len(y_regions)), None],
        [
            "(millions of US$)",
            None,
            None,
            None,
            *(table.names * n_reg),
            *(CATEGORY_LABELS * n_reg),
            "Total output",
        ],
        [*label_cols, *z_regions, *y_regions, "TOT"],
        [*label_cols, *(SECTORS * n_reg), *(CATEGORIES * n_reg), "c62"],
    ]
    for i, region in enumerate(z_regions):
        s = i % len(SECTORS)
        numbers = [*table.inter[i].tolist(), *table.final[i].tolist(), int(table.output[i])]
        rows.append([ISIC[s], table.names[s], region, SECTORS[s], *numbers])
    for (code, label), values in zip(EXTRA_ROWS, table.extra, strict=True):
        total = float(values.sum()) if code != "r69" else float(values[: len(z_regions)].sum())
        rows.append([None, label, "TOT", code, *values.tolist(), total])
    return rows


def write_workbook(path: Path, table: MockTable, rows: list[list[Any]] | None = None) -> Path:
    """Write `table` (or the given `rows`) as the publisher's workbook ``wiotYY_row_*.xlsx``."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(f"WIOT_{table.year}")
    for row in rows if rows is not None else workbook_rows(table):
        sheet.append(row)
    book.save(path)
    return path
