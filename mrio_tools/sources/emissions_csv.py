"""Users' own emissions tables for OECD ICIO (IEA, national or any other data), as CSV.

`read_emissions_csv` returns the long table of `mrio_tools.sources.oecd_teco2` (columns ``region``,
``sector``, ``year``, ``value``; ``attrs`` ``unit``, ``source``, ``file``), which
`mrio_tools.sources.oecd_teco2.industry_emissions` hands to `attach_emissions`.

CSV layout for users' emissions tables
--------------------------------------
This is how IEA, national or any other emissions data reach an OECD ICIO table. UTF-8 (Excel's
"CSV UTF-8" is fine), comma-separated, one header line, one line per (region, sector, year)::

    region,sector,year,value,unit,note
    AUS,D35,2018,179.019,Mt,electricity
    AUS,D01T02,2018,10.922,Mt,
    ROW,D35,2018,1081.783,Mt,

- ``region``: the table's region code (ISO 3166 alpha-3 for ICIO countries, ``ROW`` for the rest
  of the world); regions the table lacks can be folded into its rest of the world on attaching;
- ``sector``: a sector code of the emission data's classification (the ICIO industry codes, e.g.
  ``D35``, or another classification that a concordance maps onto the table);
- ``year``: four digits;
- ``value``: a finite non-negative number with a decimal point and no thousands separators; write 0
  where there are no emissions (an empty field is an error, never read as zero);
- ``unit``: one mass unit for the whole file: ``kg``, ``t``, ``kt``, ``Mt`` or ``Gt``, optionally
  followed by the substance (``Mt CO2``); convert before writing rather than mixing units;
- ``note`` (optional): free text, ignored. No other columns are accepted; blank lines are skipped.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path
from typing import Final

import pandas as pd

from mrio_tools.errors import DataFileError, UnitError
from mrio_tools.sources.oecd_teco2 import COLUMNS
from mrio_tools.units import conversion_factor

#: required and optional columns of the CSV layout (module docstring)
CSV_COLUMNS: Final = ("region", "sector", "year", "value", "unit")
CSV_OPTIONAL: Final = ("note",)
CSV_EXAMPLE: Final = "region,sector,year,value,unit[,note] (e.g. 'AUS,D35,2018,179.019,Mt,')"

_YEAR = re.compile(r"^\d{4}$")


def read_emissions_csv(path: Path) -> pd.DataFrame:
    """Read a users' emissions table in the CSV layout of the module docstring into the long table.

    Returns ``region, sector, year, value`` in the file's unit, with ``attrs`` ``unit``, ``source``
    and ``file``. Raises `DataFileError` naming the file and line, with the fix, for missing or
    unknown columns, empty fields, a year that is not four digits, a value that is not a finite
    non-negative number, more than one unit, a unit that is not a mass, and a duplicate
    (region, sector, year).
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(
            f"{path}: no such file. Fix: pass the path of a CSV file in the layout {CSV_EXAMPLE}"
        )
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = [name.strip() for name in next(reader, [])]
            columns = _csv_columns(path, header)
            lines = [(reader.line_num, fields) for fields in reader if any(f.strip() for f in fields)]
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path}: not UTF-8 text ({exc}). Fix: save the table as 'CSV UTF-8'") from exc
    except csv.Error as exc:
        raise DataFileError(f"{path}, line {reader.line_num}: not readable as CSV ({exc})") from exc
    if not lines:
        raise DataFileError(f"{path}: no data lines below the header. Expected layout: {CSV_EXAMPLE}")
    records: list[tuple[str, str, int, float]] = []
    first_line: dict[tuple[str, str, int], int] = {}
    unit: str | None = None
    unit_line = 0
    for line, fields in lines:
        if len(fields) != len(header):
            raise DataFileError(
                f"{path}, line {line}: {len(fields)} fields, the header has {len(header)}. Fix: one field "
                "per column (quote text that holds commas)"
            )
        row = {name: fields[k].strip() for name, k in columns.items()}
        empty = [name for name in CSV_COLUMNS if not row[name]]
        if empty:
            raise DataFileError(
                f"{path}, line {line}: empty {', '.join(empty)}. Fix: fill every field (value 0 where there "
                "are no emissions)"
            )
        if not _YEAR.match(row["year"]):
            raise DataFileError(f"{path}, line {line}: year {row['year']!r} is not four digits (e.g. 2018)")
        try:
            value = float(row["value"])
        except ValueError:
            raise DataFileError(
                f"{path}, line {line}: value {row['value']!r} is not a number. Fix: a decimal point and no "
                "thousands separators (e.g. 1234.5)"
            ) from None
        if not math.isfinite(value) or value < 0:
            raise DataFileError(
                f"{path}, line {line}: value {row['value']!r} is not a finite non-negative amount"
            )
        if unit is None:
            unit, unit_line = row["unit"], line
        elif row["unit"] != unit:
            raise DataFileError(
                f"{path}, line {line}: unit {row['unit']!r} differs from {unit!r} on line {unit_line}. "
                "Fix: one unit for the whole file (convert the values before writing them)"
            )
        key = (row["region"], row["sector"], int(row["year"]))
        if key in first_line:
            raise DataFileError(
                f"{path}, line {line}: duplicate (region, sector, year) {key}, first on line "
                f"{first_line[key]}. Fix: one line per region, sector and year (sum them first)"
            )
        first_line[key] = line
        records.append((key[0], key[1], key[2], value))
    assert unit is not None  # there is at least one line, and every line has a unit
    try:
        conversion_factor(unit, "kg")
    except UnitError as exc:
        raise DataFileError(
            f"{path}, line {unit_line}: unit {unit!r} is not a mass ({exc}). Fix: kg, t, kt, Mt or Gt, "
            "optionally followed by the substance ('Mt CO2')"
        ) from exc
    table = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    table["year"] = table["year"].astype("int64")
    table.attrs = {"unit": unit, "source": f"user-supplied emissions table {path.name}", "file": path.name}
    return table


def _csv_columns(path: Path, header: list[str]) -> dict[str, int]:
    """Position of each required (and present optional) column, or an error listing what is wrong."""
    missing = [name for name in CSV_COLUMNS if name not in header]
    unknown = [name for name in header if name not in (*CSV_COLUMNS, *CSV_OPTIONAL)]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if missing or unknown or repeated:
        problems = [
            f"{label} {names}"
            for label, names in (
                ("missing columns", missing),
                ("unknown columns", unknown),
                ("repeated", repeated),
            )
            if names
        ]
        raise DataFileError(
            f"{path}, line 1: {'; '.join(problems)} (header {header}). Expected layout, one header line: "
            f"{CSV_EXAMPLE}"
        )
    return {name: header.index(name) for name in header}


__all__ = ["CSV_COLUMNS", "CSV_EXAMPLE", "read_emissions_csv"]
