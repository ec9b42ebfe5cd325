"""The WIOD 2016 release: world input-output tables 2000-2014, 43 countries + ROW x 56 sectors, M USD.

Source: World Input-Output Database, 2016 release (Timmer M.P., Dietzenbacher E., Los B., Stehrer R.,
de Vries G.J. (2015), "An Illustrated User Guide to the World Input-Output Database: the Case of Global
Automotive Production", Review of International Economics 23:575; University of Groningen, GGDC).
pymrio 0.7 has no parser for this release. CO2: the JRC accounts in the same 56 sectors
(`mrio_tools.sources.wiod_env`, ``CO2 emissions.xlsx`` in ``--emissions``), attached without a
concordance: sheet ``AUS`` row ``D35`` is the CO2 of (AUS, D35); ``FC_HH`` goes to F_Y in the
region's households column ``CONS_h``; the sheet ``RoW`` is the table's region ``ROW``.

Files, in ``--data``: the publisher's yearly workbooks ``WIOTYYYY_Nov16_ROW.xlsb`` (from its archive
``WIOTS_in_EXCEL.zip``, which may stay zipped in the folder), or the same workbook saved as ``.xlsx``.
One sheet per workbook (named by the year). Layout (positions as read by published scripts of the
2016 tables, e.g. range ``E7:CYJ2478`` of sheet ``2014``; labels checked by name here):

- row 3: column codes: the 56 sector codes (``A01`` ... ``U``) for each country's intermediate
  columns, ``CONS_h``, ``CONS_np``, ``CONS_g``, ``GFCF``, ``INVEN`` for its final demand, ``GO`` for the
  last column (gross output); row 5: the country of each column (``TOT`` over ``GO``);
- columns A-D from row 7: A the row's code (sector code, or for the rows below the industries
  ``II_fob``, ``TXSP``, ``EXP_adj``, ``PURR``, ``PURNR``, ``VA``, ``IntTTM``, ``GO``), B its description, C
  its country (``TOT`` on the rows below), D the row number code; the numbers start in E7;
- 44 x 56 = 2,464 industry rows and columns (region-major, countries in alphabetical order, ``ROW``
  last), 44 x 5 final-demand columns, one ``GO`` column; then the eight rows above.

Gross output is x = Z1 + Y1 (docs/methods.md, notation): the workbooks carry unrounded values, so the
published ``GO`` column is kept only to report its gap (``notes["output_residual"]``). Value added is
the rows ``TXSP`` ... ``IntTTM`` (industry columns); ``II_fob`` (total intermediate consumption) and
``GO`` are totals, not inputs.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from mrio_tools.errors import DataFileError, ValidationError, YearNotAvailableError, listed
from mrio_tools.mrio.container import MRIO
from mrio_tools.sources.spec import SourceRequest, SourceSpec, need
from mrio_tools.sources.wiod_env import HOUSEHOLD_ROW, REST_OF_WORLD, WIOD2016_SECTORS

YEARS: Final = tuple(range(2000, 2015))
#: final-demand codes of each country, in the table's order, with the publisher's labels
CATEGORY_NAMES: Final[Mapping[str, str]] = {
    "CONS_h": "Final consumption expenditure by households",
    "CONS_np": "Final consumption expenditure by non-profit organisations serving households (NPISH)",
    "CONS_g": "Final consumption expenditure by government",
    "GFCF": "Gross fixed capital formation",
    "INVEN": "Changes in inventories and valuables",
}
HOUSEHOLDS: Final = "CONS_h"
#: rows below the industries: totals (not inputs) and the value-added rows
TOTAL_ROWS: Final = ("II_fob", "GO")
VALUE_ADDED_ROWS: Final = ("TXSP", "EXP_adj", "PURR", "PURNR", "VA", "IntTTM")
OUTPUT_CODE: Final = "GO"
TOTAL_COUNTRY: Final = "TOT"
#: the table's rest of the world (the JRC workbook's sheet `RoW`)
TABLE_REST_OF_WORLD: Final = "ROW"
ARCHIVE: Final = "WIOTS_in_EXCEL.zip"
MONETARY_UNIT: Final = "M USD"
CITATION: Final = (
    "Timmer et al. (2015), An Illustrated User Guide to the World Input-Output Database, Review of "
    "International Economics 23:575; WIOD 2016 release (University of Groningen, GGDC)"
)
_NAME = re.compile(r"^WIOT(\d{4})_Nov16_ROW\.(xlsb|xlsx)$", re.IGNORECASE)
_CODE_ROW, _COUNTRY_ROW, _FIRST_ROW, _FIRST_COL = 2, 4, 6, 4
_FIX: Final = (
    "Fix: use the publisher's workbook unchanged (row 3 codes, row 5 countries, labels in columns A-D, "
    "numbers from E7)"
)


def _workbooks(data_dir: Path) -> dict[int, tuple[Path, str | None]]:
    """year -> (file, member of the archive or None) for the workbooks in `data_dir`."""
    if not data_dir.is_dir():
        raise DataFileError(
            f"{data_dir}: not a folder. Fix: pass the folder holding WIOTYYYY_Nov16_ROW.xlsb files"
        )
    found: dict[int, tuple[Path, str | None]] = {}
    archive = data_dir / ARCHIVE
    if archive.is_file():
        with zipfile.ZipFile(archive) as z:
            for name in z.namelist():
                if m := _NAME.match(Path(name).name):
                    found[int(m[1])] = (archive, name)
    for path in sorted(data_dir.iterdir()):
        if m := _NAME.match(path.name):
            found[int(m[1])] = (path, None)  # a loose workbook is preferred to the archive's copy
    return found


def available_years(data_dir: Path) -> list[int]:
    """Years with a WIOD 2016 workbook in `data_dir` (loose or in WIOTS_in_EXCEL.zip)."""
    return sorted(_workbooks(Path(data_dir)))


def table_file(data_dir: Path, year: int) -> Path:
    """The file the year's table is read from (a workbook, or the archive holding it)."""
    found = _workbooks(Path(data_dir))
    if year not in found:
        raise YearNotAvailableError(
            f"{data_dir}: no WIOT{year}_Nov16_ROW.xlsb (nor .xlsx, nor in {ARCHIVE}); years here: "
            f"{listed(sorted(found)) or 'none'}. Fix: pick one of them (the release covers 2000-2014)"
        )
    return found[year][0]


def _sheet_rows(path: Path, member: str | None, year: int) -> list[tuple[Any, ...]]:
    """The year's sheet (named by the year, else the first) as rows of cell values."""
    shown = f"{path}!{member}" if member else str(path)
    source: Any = path
    try:
        if member:
            with zipfile.ZipFile(path) as archive:
                source = io.BytesIO(archive.read(member))
        if (member or path.name).lower().endswith(".xlsx"):
            import openpyxl

            book = openpyxl.load_workbook(source, read_only=True, data_only=True)
            try:
                sheet = book[str(year)] if str(year) in book.sheetnames else book.worksheets[0]
                return [tuple(row) for row in sheet.iter_rows(values_only=True)]
            finally:
                book.close()
        from pyxlsb import open_workbook as open_xlsb

        with open_xlsb(source) as xlsb:
            sheet_name = str(year) if str(year) in xlsb.sheets else xlsb.sheets[0]
            with xlsb.get_sheet(sheet_name) as sheet:
                return [tuple(cell.v for cell in row) for row in sheet.rows()]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:
        raise DataFileError(
            f"{shown}: not a readable workbook ({type(exc).__name__}: {exc}). Fix: download it again "
            "(mrio-tools download --source wiod2016)"
        ) from exc


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def read_wiod2016(data_dir: Path, year: int) -> MRIO:
    """Read the WIOD 2016 table of `year` from `data_dir` as a validated `MRIO` (M USD, no stressors).

    Regions are the table's ISO3 codes and ``ROW``; sectors the 56 codes; categories ``CONS_h`` ...
    ``INVEN``. Raises `YearNotAvailableError`, and `DataFileError` naming the file and cell where the
    workbook departs from the layout in the module docstring.
    """
    from mrio_tools.sources.wiod2013.xlsx_form import _block_values, _cell

    path = table_file(data_dir, year)
    member = _workbooks(Path(data_dir))[year][1]
    shown = f"{path}!{member}" if member else str(path)
    rows = _sheet_rows(path, member, year)
    if len(rows) <= _FIRST_ROW:
        raise DataFileError(f"{shown}: the sheet has only {len(rows)} rows. {_FIX}")
    codes, countries = rows[_CODE_ROW], rows[_COUNTRY_ROW]

    def header(col: int) -> tuple[str, str]:
        return (
            _text(countries[col]) if col < len(countries) else "",
            _text(codes[col]) if col < len(codes) else "",
        )

    z_rows: list[int] = []
    extra: dict[str, int] = {}
    for r in range(_FIRST_ROW, len(rows)):
        code = _text(rows[r][0]) if rows[r] else ""
        if code in WIOD2016_SECTORS and not extra:
            z_rows.append(r)
        elif code in (*TOTAL_ROWS, *VALUE_ADDED_ROWS) and z_rows:
            extra[code] = r
            if code == OUTPUT_CODE:
                break
        elif code or extra:
            raise DataFileError(
                f"{shown}, cell {_cell(r, 0)}: code {code!r}; expected the 56 sector codes from row 7, then "
                f"{', '.join((*TOTAL_ROWS[:1], *VALUE_ADDED_ROWS, OUTPUT_CODE))}. {_FIX}"
            )
    found_rows = [(_text(rows[r][2]), _text(rows[r][0])) for r in z_rows]
    regions = list(dict.fromkeys(c for c, _ in found_rows))
    expected = [(c, s) for c in regions for s in WIOD2016_SECTORS]
    n = len(expected)
    z_cols = [header(_FIRST_COL + j) for j in range(n)]
    y_expected = [(c, k) for c in regions for k in CATEGORY_NAMES]
    y_cols = [header(_FIRST_COL + n + j) for j in range(len(y_expected))]
    output_col = _FIRST_COL + n + len(y_expected)
    checks: list[tuple[str, list[tuple[str, str]], list[tuple[str, str]], list[str]]] = [
        ("industry rows (column C country, column A code)", found_rows, expected,
         [_cell(r, 0) for r in z_rows]),
        ("industry columns (row 5 country, row 3 code)", z_cols, expected,
         [_cell(_CODE_ROW, _FIRST_COL + i) for i in range(n)]),
        ("final-demand columns", y_cols, y_expected,
         [_cell(_CODE_ROW, _FIRST_COL + n + i) for i in range(len(y_expected))]),
    ]  # fmt: skip
    for what, found, want, cells in checks:
        if found != want:
            i = next(
                (k for k, (a, b) in enumerate(zip(found, want, strict=False)) if a != b),
                min(len(found), len(want)),
            )
            label = found[i] if i < len(found) else "nothing"
            wanted = want[i] if i < len(want) else "no more"
            at = cells[i] if i < len(cells) else "the end"
            raise DataFileError(f"{shown}: {what}: {at} is {label}, expected {wanted}. {_FIX}")
    if header(output_col)[1] != OUTPUT_CODE:
        raise DataFileError(
            f"{shown}, cell {_cell(_CODE_ROW, output_col)}: {header(output_col)[1]!r}, expected 'GO'. {_FIX}"
        )
    values, empty = _block_values(path, rows, z_rows, _FIRST_COL, output_col + 1)
    idx = pd.MultiIndex.from_tuples(expected, names=["region", "sector"])
    cols = pd.MultiIndex.from_tuples(y_expected, names=["region", "category"])
    Z = pd.DataFrame(values[:, :n], index=idx, columns=idx.copy())
    Y = pd.DataFrame(values[:, n:-1], index=idx.copy(), columns=cols)
    published = values[:, -1]
    value_added = None
    va_rows = [extra[c] for c in VALUE_ADDED_ROWS if c in extra]
    if va_rows:
        va, _ = _block_values(path, rows, va_rows, _FIRST_COL, _FIRST_COL + n)
        names = [c for c in VALUE_ADDED_ROWS if c in extra]
        value_added = pd.DataFrame(va, index=pd.Index(names, name="component"), columns=idx.copy())
    gap = published - values[:, : output_col - _FIRST_COL].sum(axis=1)
    worst = int(np.argmax(np.abs(gap)))
    empty_stressors = pd.Index([], name="stressor", dtype=object)
    return MRIO(
        Z=Z,
        Y=Y,
        F=pd.DataFrame(np.zeros((0, n)), index=empty_stressors, columns=idx.copy()),
        F_Y=pd.DataFrame(np.zeros((0, len(cols))), index=empty_stressors.copy(), columns=cols.copy()),
        monetary_unit=MONETARY_UNIT,
        stressor_units={},
        source="wiod2016",
        version=f"WIOD 2016 release, {Path(member or path.name).name}",
        year=year,
        price_basis="current prices (basic prices)",
        notes={
            "citation": CITATION,
            "file": Path(member or path.name).name,
            "category_names": dict(CATEGORY_NAMES),
            "empty_cells_read_as_zero": empty,
            "output_residual": {
                "definition": "published GO minus (Z1 + Y1); the MRIO uses Z1 + Y1",
                "max_abs": float(abs(gap[worst])),
                "at": list(expected[worst]),
                "unit": MONETARY_UNIT,
            },
        },
        value_added=value_added,
    )


def attach_jrc_co2_wiod2016(mrio: MRIO, co2: pd.DataFrame, *, file_name: str) -> MRIO:
    """`mrio` (a WIOD 2016 table) with the JRC CO2 of its year as stressor ``CO2`` (kt), sector by sector.

    Each country sheet's 56 rows are the table's 56 sectors (no concordance); ``FC_HH`` goes to F_Y
    in ``CONS_h``; the sheet ``RoW`` is region ``ROW``. A table region without a sheet, or a sheet
    without a table region, is an error naming it (no CO2 is dropped or invented).
    """
    import dataclasses

    years = sorted(int(y) for y in co2["year"].unique())
    if mrio.year not in years:
        raise YearNotAvailableError(f"{file_name}: CO2 for {years[0]}-{years[-1]}, not {mrio.year}")
    rows = co2[co2["year"] == mrio.year].copy()
    rows["country"] = rows["country"].replace({REST_OF_WORLD: TABLE_REST_OF_WORLD})
    sheets, regions = set(rows["country"]), set(mrio.regions)
    if sheets != regions:
        raise ValidationError(
            f"{file_name}: country sheets without a table region: "
            f"{listed(sorted(sheets - regions)) or 'none'}; table regions without a sheet: "
            f"{listed(sorted(regions - sheets)) or 'none'}. Fix: pass the WIOD 2016 tables with the JRC "
            "workbook of the same release"
        )
    industry = rows[rows["sector"] != HOUSEHOLD_ROW].set_index(["country", "sector"])["value"]
    households = rows[rows["sector"] == HOUSEHOLD_ROW].set_index("country")["value"]
    F = pd.DataFrame(
        [industry.reindex(list(mrio.Z.index)).to_numpy()],
        index=pd.Index(["CO2"], name="stressor"),
        columns=mrio.Z.index.copy(),
    )
    fy = np.zeros(len(mrio.Y.columns))
    regions_of_y = mrio.Y.columns.get_level_values("region")
    for k, category in enumerate(mrio.Y.columns.get_level_values("category")):
        if category == HOUSEHOLDS:
            fy[k] = households[regions_of_y[k]]
    F_Y = pd.DataFrame([fy], index=F.index.copy(), columns=mrio.Y.columns.copy())
    note = (
        f"JRC WIOD environmental accounts ({file_name}), CO2 in kt, the 56 sectors as in the table (no "
        "concordance); FC_HH in CONS_h"
    )
    return dataclasses.replace(
        mrio,
        F=F,
        F_Y=F_Y,
        stressor_units={"CO2": "kt"},
        notes={**dict(mrio.notes), "emissions": {"CO2": note}},
    )


# ------------------------------------------------------------------ the registry entry
def _open(request: SourceRequest, options: Mapping[str, str | None]) -> Callable[[int], MRIO]:
    from mrio_tools.sources.wiod_env import jrc_co2_once

    data = need(request, "data")
    workbook, co2 = jrc_co2_once(need(request, "emissions"))
    return lambda year: attach_jrc_co2_wiod2016(read_wiod2016(data, year), co2, file_name=workbook.name)


def _files(request: SourceRequest, year: int) -> list[Path]:
    from mrio_tools.sources.wiod_env import jrc_workbook

    return [table_file(need(request, "data"), year), jrc_workbook(need(request, "emissions"))]


SPEC = SourceSpec(
    name="wiod2016",
    description="WIOD 2016 release tables 2000-2014 (WIOTYYYY_Nov16_ROW.xlsb, or WIOTS_in_EXCEL.zip) in "
    "--data, with the JRC CO2 accounts (same 56 sectors) in --emissions",
    needs=("data", "emissions"),
    years=lambda request: available_years(need(request, "data")),
    files=_files,
    open=_open,
)

__all__ = [
    "CATEGORY_NAMES",
    "SPEC",
    "attach_jrc_co2_wiod2016",
    "available_years",
    "read_wiod2016",
    "table_file",
]
