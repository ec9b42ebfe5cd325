"""The JRC WIOD environmental accounts (CO2, 2000-2016): reader, and CO2 attached to WIOD 2013 tables.

Source: Corsatea T.D., Lindner S., Arto I., Román M.V., Rueda-Cantuche J.M., Velázquez Afonso A.,
Amores A.F., Neuwahl F. (2019), "World Input-Output Database Environmental Accounts. Update
2000-2016", Publications Office of the European Union, JRC116234, doi:10.2760/024036 (European
Commission, Joint Research Centre, July 2019 release).

Layout of the workbook ``CO2 emissions.xlsx`` (checked on the published file):

- sheets ``Notes`` (title, the variable "CO2 Emission in kt", citation), ``Sector`` and
  ``SectorAgr`` (labels), then one sheet per country named by its ISO3 code (``ROU`` for Romania)
  and one named ``RoW``;
- on each country sheet: cell A1 empty, row 1 from column B the years as text (``'2000'`` ..
  ``'2016'``), column A from row 2 the 56 WIOD 2016 sector codes (NACE Rev.2 based, ``A01`` ..
  ``U``) then ``FC_HH`` (direct emissions of households), one number per year in kt CO2; some
  sheets carry trailing empty rows and columns (``MEX``), which are ignored.

These are residence-based accounts: they follow the national-accounts residence principle and so
include CO2 from international bunker fuels burnt by resident operators (shipping, aviation), which
territorial inventories (UNFCCC, Global Carbon Project) leave out; small open economies with large
fleets differ most (docs/methods.md, "Emissions from another classification (concordance)").
"""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path
from typing import Any, Final

import pandas as pd

from mrio_tools.errors import DataFileError, ValidationError, YearNotAvailableError
from mrio_tools.mrio.attach import attach_emissions
from mrio_tools.mrio.concordance import shipped_concordance
from mrio_tools.mrio.container import MRIO
from mrio_tools.sources._xlsx import open_workbook
from mrio_tools.sources.wiod2013 import CATEGORY_NAMES, SECTOR_CODES

#: the 56 WIOD 2016 sectors in the workbook's row order (codes as on its ``Sector`` sheet)
WIOD2016_SECTORS: Final = (
    "A01", "A02", "A03", "B", "C10-C12", "C13-C15", "C16", "C17", "C18", "C19", "C20", "C21", "C22",
    "C23", "C24", "C25", "C26", "C27", "C28", "C29", "C30", "C31_C32", "C33", "D35", "E36", "E37-E39",
    "F", "G45", "G46", "G47", "H49", "H50", "H51", "H52", "H53", "I", "J58", "J59_J60", "J61",
    "J62_J63", "K64", "K65", "K66", "L68", "M69_M70", "M71", "M72", "M73", "M74_M75", "N", "O84",
    "P85", "Q", "R_S", "T", "U",
)  # fmt: skip
#: the row of household direct emissions, below the sectors
HOUSEHOLD_ROW: Final = "FC_HH"
#: unit of every value in the workbook (its Notes sheet: "CO2 Emission in kt")
UNIT: Final = "kt"
#: sheets that hold labels, not data
LABEL_SHEETS: Final = ("Notes", "Sector", "SectorAgr")
#: the workbook's rest-of-world sheet
REST_OF_WORLD: Final = "RoW"
#: countries of the workbook that the WIOD 2013 tables do not have (folded into their RoW)
NOT_IN_WIOD2013: Final = ("CHE", "HRV", "NOR")
#: the WIOD 2013 final-demand category of households (receives FC_HH)
WIOD2013_HOUSEHOLDS: Final = "c37"
#: the shipped concordance used for WIOD 2013 tables
CONCORDANCE: Final = "wiod2016_to_wiod2013"

CITATION: Final = (
    "Corsatea et al. (2019), World Input-Output Database Environmental Accounts, update 2000-2016, "
    "JRC116234, doi:10.2760/024036 (European Commission, JRC, July 2019 release)"
)
PRINCIPLE_NOTE: Final = (
    "residence principle (national accounts): includes CO2 from international bunker fuels burnt by "
    "resident operators (shipping, aviation); territorial inventories (UNFCCC, Global Carbon Project) "
    "exclude them, so small open economies with large fleets differ most"
)

_COUNTRY_SHEET = re.compile(r"^(?:[A-Z]{3}|RoW)$")
_UNIT_TEXT = re.compile(r"CO2 Emissions? in kt", re.IGNORECASE)
_YEAR = re.compile(r"^\d{4}$")


def _cell(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row + 1}"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _trim(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Drop trailing rows that are entirely empty (as on the MEX sheet)."""
    end = len(rows)
    while end and all(_blank(v) for v in rows[end - 1]):
        end -= 1
    return rows[:end]


def _years(path: Path, sheet: str, header: tuple[Any, ...]) -> list[int]:
    cells = list(header[1:])
    while cells and _blank(cells[-1]):
        cells.pop()
    if not cells:
        raise DataFileError(
            f"{path}, sheet {sheet!r}: row 1 holds no years from column B on. Fix: use the JRC workbook "
            "unchanged (row 1: years 2000..2016 from B1)"
        )
    years = []
    for k, value in enumerate(cells, start=1):
        text = str(value).strip() if value is not None else ""
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if not _YEAR.match(text):
            raise DataFileError(
                f"{path}, sheet {sheet!r}, cell {_cell(0, k)}: {value!r} is not a year. Fix: use the JRC "
                "workbook unchanged (row 1: years from B1, no gaps)"
            )
        years.append(int(text))
    if len(set(years)) != len(years):
        raise DataFileError(f"{path}, sheet {sheet!r}: row 1 repeats years {years}")
    return years


def _country_rows(path: Path, sheet: str, rows: list[tuple[Any, ...]], years: list[int]) -> list[list[float]]:
    """The numbers of one country sheet, row by row, after checking labels and values."""
    expected = (*WIOD2016_SECTORS, HOUSEHOLD_ROW)
    body = rows[1:]
    if len(body) != len(expected):
        raise DataFileError(
            f"{path}, sheet {sheet!r}: {len(body)} data rows, expected {len(expected)} (the 56 WIOD 2016 "
            f"sectors A01..U, then {HOUSEHOLD_ROW}). Fix: use the JRC workbook unchanged"
        )
    numbers: list[list[float]] = []
    for k, (row, label) in enumerate(zip(body, expected, strict=True), start=1):
        found = "" if row[0] is None else str(row[0]).strip()
        if found != label:
            raise DataFileError(
                f"{path}, sheet {sheet!r}, row {k + 1} (cell {_cell(k, 0)}): label {row[0]!r}, expected "
                f"{label!r} (rows are the 56 WIOD 2016 sectors in order, then {HOUSEHOLD_ROW})"
            )
        values: list[float] = []
        for j in range(1, len(years) + 1):
            value = row[j] if j < len(row) else None
            where = f"{path}, sheet {sheet!r}, row {k + 1} ({label}), cell {_cell(k, j)} ({years[j - 1]})"
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise DataFileError(
                    f"{where}: {value!r} is not a number. Fix: use the JRC workbook unchanged"
                )
            if not math.isfinite(value) or value < 0:
                raise DataFileError(f"{where}: {value!r} is not a finite non-negative CO2 amount")
            values.append(float(value))
        extra = [j for j in range(len(years) + 1, len(row)) if not _blank(row[j])]
        if extra:
            raise DataFileError(
                f"{path}, sheet {sheet!r}, cell {_cell(k, extra[0])}: a value right of the last year column"
            )
        numbers.append(values)
    return numbers


#: the file name under which the JRC publishes the CO2 accounts
WORKBOOK_NAME = "CO2 emissions.xlsx"


def read_jrc_co2(path: Path) -> pd.DataFrame:
    """Read the JRC ``CO2 emissions.xlsx`` as published into a long table (layout in the module docstring).

    Returns columns ``country`` (sheet name: ISO3 or ``RoW``), ``sector`` (the 56 WIOD 2016 codes and
    ``FC_HH``, household direct emissions), ``year`` (int), ``value`` (float) in kt CO2, in the
    workbook's order (sheet, row, year). ``attrs`` holds ``unit`` (``"kt"``), ``source`` (citation)
    and ``file`` (the file name). Raises `DataFileError` naming the file, sheet and row or cell where
    the workbook departs from the published layout, or holds a value that is not a non-negative number.
    """
    path = Path(path)
    book = open_workbook(path, fix=f"pass the path of the JRC workbook 'CO2 emissions.xlsx' ({CITATION})")
    try:
        names = list(book.sheetnames)
        missing = [s for s in LABEL_SHEETS if s not in names]
        if missing:
            raise DataFileError(
                f"{path}: no sheet {missing} (sheets: {names[:8]}...). Fix: use the JRC workbook unchanged"
            )
        notes = [v for row in book["Notes"].iter_rows(values_only=True) for v in row if isinstance(v, str)]
        if not any(_UNIT_TEXT.search(text) for text in notes):
            raise DataFileError(
                f"{path}, sheet 'Notes': no cell says 'CO2 Emission in kt', so the unit is unknown. This "
                "reader knows only the JRC CO2 workbook; pass that file"
            )
        countries = [s for s in names if s not in LABEL_SHEETS]
        if not countries:
            raise DataFileError(f"{path}: no country sheets after {list(LABEL_SHEETS)}")
        bad = [s for s in countries if not _COUNTRY_SHEET.match(s)]
        if bad:
            raise DataFileError(
                f"{path}: sheets {bad} are not ISO3 country codes or 'RoW'. "
                "Fix: use the JRC workbook unchanged"
            )
        frames = []
        first_years: list[int] | None = None
        for sheet in countries:
            rows = _trim([tuple(r) for r in book[sheet].iter_rows(values_only=True)])
            if not rows:
                raise DataFileError(f"{path}, sheet {sheet!r}: empty sheet")
            years = _years(path, sheet, rows[0])
            if first_years is None:
                first_years = years
            elif years != first_years:
                raise DataFileError(
                    f"{path}, sheet {sheet!r}: years {years[0]}..{years[-1]} differ from sheet "
                    f"{countries[0]!r} ({first_years[0]}..{first_years[-1]})"
                )
            numbers = _country_rows(path, sheet, rows, years)
            sectors = (*WIOD2016_SECTORS, HOUSEHOLD_ROW)
            frames.append(
                pd.DataFrame(
                    {
                        "country": sheet,
                        "sector": [s for s in sectors for _ in years],
                        "year": [y for _ in sectors for y in years],
                        "value": [v for row in numbers for v in row],
                    }
                )
            )
    finally:
        book.close()
    table = pd.concat(frames, ignore_index=True)
    table["year"] = table["year"].astype("int64")
    table.attrs = {"unit": UNIT, "source": CITATION, "file": path.name}
    return table


def attach_jrc_co2_table(mrio: MRIO, co2: pd.DataFrame, *, fold_missing: bool, file_name: str) -> MRIO:
    """Attach the JRC CO2 accounts (a `read_jrc_co2` table) to a WIOD 2013 `mrio` as stressor ``CO2`` in kt.

    The pure part of `attach_jrc_co2`; see there. `file_name` is recorded in the notes.
    """
    missing_sectors = [s for s in SECTOR_CODES if s not in mrio.sectors]
    if len(mrio.sectors) != len(SECTOR_CODES) or missing_sectors:
        raise ValidationError(
            f"{mrio.source} {mrio.year}: sectors are not the 35 WIOD 2013 codes c1..c35 "
            f"(missing {missing_sectors[:5]}). Fix: pass a WIOD 2013 table (read_wiod2013)"
        )
    if WIOD2013_HOUSEHOLDS not in mrio.categories or REST_OF_WORLD not in mrio.regions:
        raise ValidationError(
            f"{mrio.source} {mrio.year}: a WIOD 2013 table needs category {WIOD2013_HOUSEHOLDS!r} "
            f"({CATEGORY_NAMES[WIOD2013_HOUSEHOLDS]}) and region {REST_OF_WORLD!r}. Fix: pass a table "
            "from read_wiod2013"
        )
    if co2.attrs.get("unit") != UNIT:
        raise ValidationError(
            f"the CO2 table's unit is {co2.attrs.get('unit')!r}, expected {UNIT!r} (read_jrc_co2)"
        )
    years = sorted(int(y) for y in co2["year"].unique())
    if mrio.year not in years:
        raise YearNotAvailableError(
            f"{file_name}: the JRC CO2 accounts have the years {years[0]}-{years[-1]} ({years}), not "
            f"{mrio.year} of the {mrio.source} table. Fix: use a table of one of these years"
        )
    rows = co2[co2["year"] == mrio.year]
    # the WIOD 2013 reader renames ROM to ROU; a table that kept ROM gets the Romanian rows as ROM
    romania = "ROM" if "ROM" in mrio.regions and "ROU" not in mrio.regions else "ROU"
    region = rows["country"].replace({"ROU": romania})
    is_household = rows["sector"] == HOUSEHOLD_ROW
    industry = pd.Series(
        rows.loc[~is_household, "value"].to_numpy(),
        index=pd.MultiIndex.from_arrays(
            [region[~is_household], rows.loc[~is_household, "sector"]], names=["region", "source_sector"]
        ),
        name="CO2",
    )
    households = pd.Series(
        rows.loc[is_household, "value"].to_numpy(),
        index=pd.Index(region[is_household], name="region"),
        name="CO2",
    )
    note = (
        f"JRC WIOD environmental accounts, {CITATION}; file {file_name!r}; CO2 in {UNIT}; {PRINCIPLE_NOTE}; "
        f"the 56 WIOD 2016 sectors are split onto the 35 WIOD 2013 sectors by gross output "
        f"(concordance {CONCORDANCE}); {HOUSEHOLD_ROW} (household direct emissions) goes to category "
        f"{WIOD2013_HOUSEHOLDS}; {', '.join(NOT_IN_WIOD2013)} are not in the 2013 release"
        + (f" and are added to {REST_OF_WORLD}" if fold_missing else "")
    )
    return attach_emissions(
        mrio,
        stressor="CO2",
        unit=UNIT,
        industry=industry,
        households=households,
        household_category=WIOD2013_HOUSEHOLDS,
        concordance=shipped_concordance(CONCORDANCE),
        rest_of_world=REST_OF_WORLD,
        fold_missing=fold_missing,
        principle="residence",
        source_note=note,
    )


def attach_jrc_co2(mrio: MRIO, emissions_path: Path, *, fold_missing: bool) -> MRIO:
    """Return a WIOD 2013 `mrio` with the JRC CO2 accounts of its year as stressor ``CO2`` (kt).

    docs/methods.md, "Emissions from another classification (concordance)". Reads `emissions_path` (the
    JRC ``CO2 emissions.xlsx``, `read_jrc_co2`) and takes the year ``mrio.year``
    (`YearNotAvailableError` listing the workbook's years when absent). The 56 WIOD 2016 sectors go
    onto c1..c35 by gross-output shares with the shipped concordance
    ``mrio_tools/data/concordances/wiod2016_to_wiod2013.csv`` (judgments in
    docs/concordance_wiod2016_to_wiod2013.md); ``FC_HH`` goes to F_Y in each region's households
    column ``c37``. CHE, HRV and NOR, which the 2013 release lacks, are added to ``RoW`` when
    `fold_missing` is true; otherwise `ConcordanceError` lists them.

    The accounts follow the residence principle: they include CO2 from international bunker fuels
    burnt by resident operators (shipping, aviation), unlike territorial inventories (UNFCCC, Global
    Carbon Project). The notes (``emissions["CO2"]``) say so and hold the allocation report (folded
    countries, fallback cases, totals per region).
    """
    emissions_path = jrc_workbook(Path(emissions_path))
    return attach_jrc_co2_table(
        mrio, read_jrc_co2(emissions_path), fold_missing=fold_missing, file_name=emissions_path.name
    )


def jrc_workbook(path: Path) -> Path:
    """The workbook itself, given its path or the folder that holds it under its published name."""
    if not path.is_dir():
        return path
    workbook = path / WORKBOOK_NAME
    if not workbook.is_file():
        found = sorted(p.name for p in path.glob("*.xlsx"))
        raise DataFileError(
            f"{path}: no {WORKBOOK_NAME!r} in this folder (xlsx files here: {found or 'none'}). Fix: pass "
            f"the JRC workbook's path or the folder that holds it under its published name ({CITATION})"
        )
    return workbook


def _stat_key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path.resolve()), stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=4)
def _read_jrc_co2_cached(key: tuple[str, int, int]) -> pd.DataFrame:
    return read_jrc_co2(Path(key[0]))


def jrc_co2_once(emissions: Path) -> tuple[Path, pd.DataFrame]:
    """The JRC workbook under `emissions` (file or folder) and its `read_jrc_co2` table, read once.

    The table is kept per process for each version of the file (path, modification time, size), so
    the opener of a source and the extension of years (and WIOD 2013 and WIOD 2016 in one process)
    share one read, and a changed workbook is read again. Callers must not modify the table.
    """
    workbook = jrc_workbook(Path(emissions))
    return workbook, _read_jrc_co2_cached(_stat_key(workbook))


__all__ = [
    "HOUSEHOLD_ROW",
    "NOT_IN_WIOD2013",
    "UNIT",
    "WIOD2016_SECTORS",
    "attach_jrc_co2",
    "attach_jrc_co2_table",
    "jrc_co2_once",
    "jrc_workbook",
    "read_jrc_co2",
]
