"""Emissions tables for OECD ICIO: the OECD TECO2 production-CO2 sheet.

OECD ICIO tables carry no emissions; a user attaches them from another source with
`mrio_tools.mrio.attach.attach_emissions` (docs/methods.md, "Emissions from another classification
(concordance)"). The reader here and `mrio_tools.sources.emissions_csv` (users' own tables) return
the same long table, one row per (region, sector, year):

- columns ``region`` (str), ``sector`` (str), ``year`` (int64), ``value`` (float64), in file order;
- ``attrs``: ``unit`` (a mass unit of `mrio_tools.units`), ``source`` (where the numbers come from),
  ``file`` (the file name); the TECO2 reader adds ``region_names`` and ``sector_names`` (code ->
  name as the sheet spells them) and ``principle`` (``"residence"``).

`industry_emissions` takes one year of either table as the ``industry`` argument of
`attach_emissions` (indexed ``region``, ``source_sector``).

OECD TECO2 sheet
----------------
OECD (2021), "Carbon dioxide emissions embodied in international trade" (TECO2), 2021 edition,
OECD.Stat dataset IO_GHG_2021, variable PROD_CO2: CO2 from fuel combustion (IEA statistics) of each
country's resident industries, in Mt, for 66 countries + ``ROW`` x the 45 ICIO 2021 industries.
By the dataset's metadata the allocation follows the residence principle: fuel burnt by resident
industries abroad, international aviation and marine bunkers included, counts for their country.
The sheet has industry rows only: households' direct emissions, which the OECD counts in a
country's production-based CO2, are not in it (F_Y needs them from elsewhere).

Layout as exported from the OECD data explorer (checked on ``ICIO_Co2_2018.xlsx``): one sheet
``CO2``; row 1 ``Country | Sector | Year 2018 [| Year YYYY ...]``; from row 2 one row per country
and industry; column A holds ``CODE: name`` (``AUS: Australia``) on the first row of each country
only (the export merges the cells below it); column B holds ``CODE: name`` of the industry
(``D01T02: Agriculture, hunting, forestry``); one number per year column.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Final

import pandas as pd

from mrio_tools.errors import DataFileError, ValidationError, YearNotAvailableError
from mrio_tools.sources._xlsx import open_workbook

#: columns of the long table both readers return
COLUMNS: Final = ("region", "sector", "year", "value")
#: unit of every TECO2 value (Mt CO2)
UNIT: Final = "Mt"
#: the sheet of the OECD data explorer's export
SHEET: Final = "CO2"
#: accounting principle of TECO2 production-based CO2 (dataset metadata of IO_GHG_2021)
PRINCIPLE: Final = "residence"
CITATION: Final = (
    "OECD (2021), Carbon dioxide emissions embodied in international trade (TECO2), 2021 edition, "
    "OECD.Stat dataset IO_GHG_2021, variable PROD_CO2 (production-based CO2 of industries, Mt)"
)

_TEXT_FIX: Final = (
    "Fix: export PROD_CO2 from the OECD data explorer with Country and Sector as rows and years as "
    "columns, and save it unchanged"
)
_LABEL = re.compile(r"^\s*(?P<code>[^:\s]+)\s*:\s*(?P<name>\S.*?)\s*$")
_YEAR_HEADER = re.compile(r"^\s*(?:Year\s+)?(?P<year>\d{4})\s*$")


def _cell(row: int, col: int) -> str:
    """Excel name of the 0-based (row, col) cell."""
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row + 1}"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet_rows(path: Path) -> list[tuple[Any, ...]]:
    """Every row of the sheet ``CO2`` as values (merged cells read as empty below their first cell)."""
    book = open_workbook(path, fix=f"pass the path of the TECO2 export ({CITATION})")
    try:
        if SHEET not in book.sheetnames:
            raise DataFileError(
                f"{path}: no sheet {SHEET!r} (sheets: {book.sheetnames}). Fix: pass the workbook the OECD "
                f"data explorer exports, or rename the sheet that holds the data to {SHEET!r}"
            )
        return [tuple(row) for row in book[SHEET].iter_rows(values_only=True)]
    finally:
        book.close()


def _header_years(path: Path, header: tuple[Any, ...]) -> list[int]:
    where = f"{path}, sheet {SHEET!r}"
    for col, label in enumerate(("Country", "Sector")):
        found = header[col] if col < len(header) else None
        if not isinstance(found, str) or found.strip() != label:
            raise DataFileError(
                f"{where}, cell {_cell(0, col)}: header {found!r}, expected {label!r} (row 1: Country, "
                f"Sector, then 'Year YYYY' per year). {_TEXT_FIX}"
            )
    cells = list(header[2:])
    while cells and _blank(cells[-1]):
        cells.pop()
    if not cells:
        raise DataFileError(
            f"{where}: no year columns from cell C1 on (expected 'Year 2018'...). {_TEXT_FIX}"
        )
    years: list[int] = []
    for col, value in enumerate(cells, start=2):
        match = _YEAR_HEADER.match(str(value)) if isinstance(value, str | int) else None
        if match is None:
            raise DataFileError(
                f"{where}, cell {_cell(0, col)}: header {value!r} is not 'Year YYYY'. {_TEXT_FIX}"
            )
        year = int(match["year"])
        if year in years:
            raise DataFileError(
                f"{where}: cells {_cell(0, 2 + years.index(year))} and {_cell(0, col)} both hold year "
                f"{year}, so every (country, sector, year) would be duplicated. Fix: keep one column per year"
            )
        years.append(year)
    return years


def _split_label(path: Path, row: int, col: int, value: Any, what: str) -> tuple[str, str]:
    match = _LABEL.match(value) if isinstance(value, str) else None
    if match is None:
        raise DataFileError(
            f"{path}, sheet {SHEET!r}, cell {_cell(row, col)}: {what} {value!r} is not 'CODE: name' "
            f"(e.g. 'AUS: Australia', 'D35: Electricity, gas, steam and air conditioning supply'). "
            + _TEXT_FIX
        )
    return match["code"], match["name"]


def read_teco2_sheet(path: Path) -> pd.DataFrame:
    """Read the OECD TECO2 PROD_CO2 export (layout in the module docstring) into the long table.

    Returns ``region, sector, year, value`` in Mt CO2 with ``attrs`` ``unit``, ``source``, ``file``,
    ``principle``, ``region_names`` and ``sector_names``. Column A is filled down from each country's
    first row. Raises `DataFileError` naming the file, sheet and row or cell, with the fix, for: a
    missing or wrong header, a sector row before any country, a label that is not ``CODE: name``, a
    value that is not a finite non-negative number, a duplicate (country, sector, year), a value
    right of the last year column, and countries that do not list the same sectors.
    """
    path = Path(path)
    rows = _sheet_rows(path)
    where = f"{path}, sheet {SHEET!r}"
    if not rows:
        raise DataFileError(f"{where}: the sheet is empty. {_TEXT_FIX}")
    years = _header_years(path, rows[0])
    width = 2 + len(years)
    records: list[tuple[str, str, int, float]] = []
    first_row: dict[tuple[str, str], int] = {}
    region_names: dict[str, str] = {}
    sector_names: dict[str, str] = {}
    sectors_of: dict[str, list[str]] = {}
    country: str | None = None
    for r, raw in enumerate(rows[1:], start=1):
        cells = list(raw) + [None] * (width - len(raw))
        if all(_blank(v) for v in cells):
            continue
        if not _blank(cells[0]):
            country, name = _split_label(path, r, 0, cells[0], "country")
            if region_names.setdefault(country, name) != name:
                raise DataFileError(
                    f"{where}, cell {_cell(r, 0)}: country {country} is named {name!r} here and "
                    f"{region_names[country]!r} above. Fix: one name per country code"
                )
        if country is None:
            raise DataFileError(
                f"{where}, row {r + 1}: a sector row before any country (cell {_cell(r, 0)} is empty). Fix: "
                "write the country as 'CODE: name' in column A on the first row of each country"
            )
        if _blank(cells[1]):
            raise DataFileError(f"{where}, cell {_cell(r, 1)}: no sector on a row of {country}. {_TEXT_FIX}")
        sector, sector_name = _split_label(path, r, 1, cells[1], "sector")
        if sector_names.setdefault(sector, sector_name) != sector_name:
            raise DataFileError(
                f"{where}, cell {_cell(r, 1)}: sector {sector} is named {sector_name!r} here and "
                f"{sector_names[sector]!r} above. Fix: one name per sector code"
            )
        if (country, sector) in first_row:
            raise DataFileError(
                f"{where}, row {r + 1}: duplicate (country, sector, year) {country} {sector} {years}, first "
                f"on row {first_row[country, sector]}. Fix: keep one row per country and sector"
            )
        first_row[country, sector] = r + 1
        sectors_of.setdefault(country, []).append(sector)
        for j, year in enumerate(years, start=2):
            value = cells[j]
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise DataFileError(
                    f"{where}, cell {_cell(r, j)} ({country} {sector} {year}): {value!r} is not a number. "
                    "Fix: write the value in Mt (0 where there are no emissions); an empty cell is not 0"
                )
            if not math.isfinite(value) or value < 0:
                raise DataFileError(
                    f"{where}, cell {_cell(r, j)} ({country} {sector} {year}): {value!r} is not a finite "
                    "non-negative CO2 amount"
                )
            records.append((country, sector, year, float(value)))
        extra = [j for j in range(width, len(cells)) if not _blank(cells[j])]
        if extra:
            raise DataFileError(f"{where}, cell {_cell(r, extra[0])}: a value right of the last year column")
    if not records:
        raise DataFileError(f"{where}: no data rows below the header. {_TEXT_FIX}")
    _check_same_sectors(where, sectors_of)
    table = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    table["year"] = table["year"].astype("int64")
    table.attrs = {
        "unit": UNIT,
        "source": CITATION,
        "file": path.name,
        "principle": PRINCIPLE,
        "region_names": region_names,
        "sector_names": sector_names,
    }
    return table


def _check_same_sectors(where: str, sectors_of: dict[str, list[str]]) -> None:
    """Raise unless every country lists the sectors of the first country (a truncated export does not)."""
    first, reference = next(iter(sectors_of.items()))
    for country, sectors in sectors_of.items():
        if set(sectors) != set(reference):
            missing = [s for s in reference if s not in sectors]
            extra = [s for s in sectors if s not in reference]
            raise DataFileError(
                f"{where}: country {country} lacks sectors {missing} and has sectors {extra} that {first} "
                f"does not. Fix: export every industry for every country"
            )


def industry_emissions(table: pd.DataFrame, year: int) -> pd.Series:
    """One year of a table from `read_teco2_sheet` or `read_emissions_csv`, as `attach_emissions` takes it.

    Returns the values indexed (``region``, ``source_sector``), named ``value``, with ``attrs``
    ``unit``. Raises `ValidationError` for a table without the columns or a unit, and
    `YearNotAvailableError` listing the table's years when `year` is not among them.
    """
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing or not table.attrs.get("unit"):
        raise ValidationError(
            f"the emissions table lacks columns {missing} or attrs['unit'] ({table.attrs.get('unit')!r}). "
            "Fix: read it with read_teco2_sheet or read_emissions_csv"
        )
    years = sorted(int(y) for y in table["year"].unique())
    if year not in years:
        raise YearNotAvailableError(
            f"{table.attrs.get('file', 'the emissions table')} holds the years {years}, not {year}. "
            "Fix: use a table of one of these years or supply emissions for it"
        )
    rows = table[table["year"] == year]
    series = pd.Series(
        rows["value"].to_numpy(dtype=float),
        index=pd.MultiIndex.from_arrays([rows["region"], rows["sector"]], names=["region", "source_sector"]),
        name="value",
    )
    series.attrs = {"unit": table.attrs["unit"]}
    return series


__all__ = [
    "CITATION",
    "COLUMNS",
    "PRINCIPLE",
    "UNIT",
    "industry_emissions",
    "read_teco2_sheet",
]
