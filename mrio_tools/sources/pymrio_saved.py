"""Reader for MRIO tables saved by pymrio's `save_all` (text or parquet); converted by `pymrio_convert`.

Layout of a save (facts from pymrio 0.7's `IOSystem.save_all` / `core/fileio.py`): one folder holding
`file_parameters.json` (system type `IOSystem` and, per table, its file name and the number of index
columns and header rows), `metadata.json` (name, version, description, history), the core tables
(`Z`, `Y`, `x`, `A`, ... whichever were present), `unit` (one unit per (region, sector) row) and
`population` where the system has one. Each extension (satellite account) sits in its own subfolder with
its own `file_parameters.json` (system type `Extension`, plus the extension's name) and `F`, `F_Y`,
`S`, `S_Y`, `unit`, ... Text saves are tab-separated `.txt` files; parquet saves use `.parquet`.

Loading is done by `mrio_tools.sources.pymrio_tables.load_save`, which reads the tables that are
needed the way `pymrio.load_all` names them, each numeric table straight into one float64 array; this
module converts the result (or a `pymrio.IOSystem` in memory, `from_iosystem`) to an `MRIO`:

- Z from the core (or Z = A x^ when only coefficients and x were saved, as pymrio's `calc_Z` does);
- F and F_Y of one extension, or of all extensions stacked; multi-level stressor labels are joined
  with " - " (('emission_type1', 'air') -> 'emission_type1 - air'); units come from the extension's
  `unit` table; F_Y is zero where the extension has none (then household direct emissions are absent,
  and the notes say so);
- the monetary unit from the core's `unit` table, which must hold one unit;
- the year from a `year` entry in `metadata.json` (pymrio itself does not write one) or from the
  caller; a save that states none needs it passed (command line: --year).

Pickle saves are refused: unpickling a file runs code that the file names, so a downloaded pickle is
unsafe to open. Re-save such a system with `table_format="txt"` or `"parquet"`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mrio_tools.errors import DataFileError, ValidationError, YearNotAvailableError
from mrio_tools.mrio.container import ALLOW_NEGATIVE_INTERMEDIATE, MRIO
from mrio_tools.sources.pymrio_convert import extension_names, find_extension, from_iosystem, monetary_unit

FILE_PARAMETERS = "file_parameters.json"
#: metadata.json entry in which a save documents negative intermediate entries (see read_pymrio)
NEGATIVE_INTERMEDIATE = "negative_intermediate"
METADATA = "metadata.json"
#: file endings of pymrio's storage formats (pymrio.core.constants.STORAGE_FORMAT)
_TEXT_ENDINGS = {".txt", ".tsv", ".csv"}
_PARQUET_ENDINGS = {".parquet", ".par", ".parq"}
_PICKLE_ENDINGS = {".pkl", ".pickle"}
#: pymrio's conventional instance name of the value-added extension (test system, EXIOBASE parsers)
_NOT_STATED = "not stated by source"


# ------------------------------------------------------------------------- years
def available_years(data_dir: Path) -> list[int]:
    """Years held by `data_dir`: one pymrio save, or a folder of saves in subfolders named by year.

    For a single save, the year is the `year` entry of its `metadata.json`; an empty list means the
    save states no year (pass it to `read_pymrio`). For a folder of saves, the subfolders named `YYYY`
    that hold a `file_parameters.json` give the years.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataFileError(f"{data_dir}: not a folder. Fix: pass the folder that pymrio's save_all wrote")
    if (data_dir / FILE_PARAMETERS).is_file():
        year = _metadata_year(data_dir)
        return [] if year is None else [year]
    return sorted(int(p.name) for p in _year_folders(data_dir))


def _year_folders(data_dir: Path) -> Iterator[Path]:
    for path in data_dir.iterdir():
        if path.is_dir() and re.fullmatch(r"\d{4}", path.name) and (path / FILE_PARAMETERS).is_file():
            yield path


def _read_json(path: Path) -> dict[str, Any]:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise DataFileError(f"{path}: not valid JSON ({err}). Fix: restore the file pymrio wrote") from err
    if not isinstance(content, dict):
        raise DataFileError(f"{path}: expected a JSON object, found {type(content).__name__}")
    return content


def _metadata(folder: Path) -> dict[str, Any]:
    path = folder / METADATA
    return _read_json(path) if path.is_file() else {}


def _metadata_year(folder: Path) -> int | None:
    value = _metadata(folder).get("year")
    if value is None:
        return None
    try:
        year = int(str(value))
    except ValueError:
        raise DataFileError(
            f"{folder / METADATA}: 'year' is {value!r}, not a year. Fix: write the year as YYYY"
        ) from None
    return year


# ------------------------------------------------------------------------ reader
def read_pymrio(
    data_dir: Path, *, extension: str | None, year: int | None, allow_negative_intermediate: bool = False
) -> MRIO:
    """Read an MRIO saved by pymrio's `save_all` (text or parquet) into an `MRIO`.

    `data_dir` is the save itself (it holds `file_parameters.json`) or a folder of saves in
    subfolders named by year (then `year` picks one). `extension` names the extension whose F and
    F_Y become the stressors (its folder/instance name, e.g. 'emissions', or its set name, e.g.
    'Emissions'); None stacks all extensions. `year` is required when `metadata.json` states none,
    and must agree with it when it does.

    Negative entries of Z are refused (`MRIO`, module docstring) unless both the save documents them,
    with a text entry `"negative_intermediate"` in `metadata.json` saying where the publisher explains
    them, and the caller allows them with `allow_negative_intermediate=True`; that text is then
    written into the notes (and so into every output's metadata).
    """
    data_dir = Path(data_dir)
    folder = _save_folder(data_dir, year)
    parameters = _read_json(folder / FILE_PARAMETERS)
    if parameters.get("systemtype") != "IOSystem":
        raise DataFileError(
            f"{folder / FILE_PARAMETERS}: system type is {parameters.get('systemtype')!r}, not 'IOSystem'. "
            "Fix: pass the folder of the whole system (the parent of the extension folders)"
        )
    table_format = _table_format(folder)
    metadata = _metadata(folder)
    stated_year = _metadata_year(folder)
    if stated_year is not None:
        if year is not None and year != stated_year:
            raise YearNotAvailableError(
                f"{folder}: the save holds the year {stated_year} ({METADATA}); {year} was asked for"
            )
        chosen_year = stated_year
    elif year is not None:
        chosen_year = year
    else:
        raise DataFileError(
            f"{folder / METADATA}: the save does not state its year. Fix: pass --year YYYY (year=YYYY)"
        )

    io = _load(folder)
    names = extension_names(io)
    if extension is not None and find_extension(io, extension) is None:
        raise DataFileError(
            f"{folder}: no extension {extension!r}; the save holds {names}. "
            "Fix: pass one of these names, or none for all extensions"
        )
    money = monetary_unit(io, folder)
    notes = {
        "pymrio_folder": str(folder),
        "pymrio_table_format": table_format,
        "pymrio_name": metadata.get("name"),
        "pymrio_description": metadata.get("description"),
        "year_stated_by_source": stated_year is not None,
        "price_basis_stated_by_source": False,
    }
    if allow_negative_intermediate:
        documented = metadata.get(NEGATIVE_INTERMEDIATE)
        if not (isinstance(documented, str) and documented.strip()):
            raise DataFileError(
                f"{folder / METADATA}: negative intermediate entries were allowed, but the save does not "
                f"document them. Fix: add an entry {NEGATIVE_INTERMEDIATE!r} to {METADATA} saying where the "
                "publisher documents negative entries of Z (it is written into the output metadata)"
            )
        notes[ALLOW_NEGATIVE_INTERMEDIATE] = f"{documented.strip()} (allowed by the user)"
    try:
        return from_iosystem(
            io,
            extension=extension,
            source=str(metadata.get("name") or f"pymrio save {folder.name}"),
            version=str(metadata.get("version") or _NOT_STATED),
            year=int(chosen_year),
            price_basis=_NOT_STATED,
            monetary_unit=money,
            extra_notes=notes,
        )
    except ValidationError as err:
        raise DataFileError(f"{folder}: {err}") from err


def _save_folder(data_dir: Path, year: int | None) -> Path:
    if not data_dir.is_dir():
        raise DataFileError(f"{data_dir}: not a folder. Fix: pass the folder that pymrio's save_all wrote")
    if (data_dir / FILE_PARAMETERS).is_file():
        return data_dir
    years = sorted(int(p.name) for p in _year_folders(data_dir))
    if not years:
        raise DataFileError(
            f"{data_dir}: no {FILE_PARAMETERS} here and no subfolders named by year that hold one. "
            "Fix: pass the folder that pymrio's save_all wrote"
        )
    if year is None:
        raise DataFileError(f"{data_dir} holds pymrio saves for the years {years}. Fix: pass --year YYYY")
    if year not in years:
        raise YearNotAvailableError(
            f"{data_dir} holds pymrio saves for the years {years}; {year} is not among them"
        )
    return data_dir / str(year)


def _parameter_entries(folder: Path) -> list[tuple[Path, dict[str, Any], str, Path, int]]:
    """(parameter file, its content, table key, table file, header rows) for every table of the save.

    A file name that leads outside the parameter file's folder (`../../other/Z.txt`, an absolute path)
    raises `DataFileError`: a save is read only from its own folder.
    """
    entries = []
    for parameter_file in [folder / FILE_PARAMETERS, *sorted(folder.glob(f"*/{FILE_PARAMETERS}"))]:
        content = _read_json(parameter_file)
        tables = content.get("files")
        if not isinstance(tables, dict):
            raise DataFileError(f"{parameter_file}: no 'files' entry. Fix: restore the file pymrio wrote")
        home = parameter_file.parent.resolve()
        for key, entry in tables.items():
            if not isinstance(entry, dict) or "name" not in entry:
                raise DataFileError(f"{parameter_file}: entry {key!r} names no file")
            name = str(entry["name"])
            path = parameter_file.parent / name
            if Path(name).is_absolute() or path.resolve().parent != home:
                raise DataFileError(
                    f"{parameter_file}: entry {key!r} names the file {name!r}, which is not in the folder "
                    f"{parameter_file.parent}; a save is read only from its own folder. Fix: copy the table "
                    f"into that folder and write its bare file name (e.g. '{key}.txt') in the entry"
                )
            try:
                header = int(str(entry.get("nr_header", 1)))
            except ValueError:
                header = 1
            entries.append((parameter_file, content, str(key), path, header))
    return entries


def _parameter_files(folder: Path) -> list[Path]:
    """Every table file that the save's parameter files (core and extensions) name."""
    return [path for _, _, _, path, _ in _parameter_entries(folder)]


def _table_format(folder: Path) -> str:
    files = _parameter_files(folder)
    endings = {f.suffix.lower() for f in files}
    pickles = [f for f in files if f.suffix.lower() in _PICKLE_ENDINGS]
    if pickles:
        raise DataFileError(
            f"{folder}: the save is in pickle format ({pickles[0]}); pickle files run code when opened, so "
            "they are not read. Fix: load it in a trusted session and re-save it with "
            "save_all(path, table_format='txt') or table_format='parquet'"
        )
    missing = [f for f in files if not f.is_file()]
    if missing:
        raise DataFileError(
            f"{missing[0]}: named in {missing[0].parent / FILE_PARAMETERS} but missing. "
            "Fix: copy the whole save"
        )
    if endings <= _TEXT_ENDINGS:
        return "txt"
    if endings <= _PARQUET_ENDINGS:
        return "parquet"
    unknown = sorted(endings - _TEXT_ENDINGS - _PARQUET_ENDINGS)
    if unknown:
        raise DataFileError(f"{folder}: table files end in {unknown}; pymrio saves text or parquet tables")
    return "mixed text and parquet"


def _load(folder: Path) -> Any:
    """The tables of the save (`pymrio_tables.load_save`: each numeric table read into one array)."""
    from mrio_tools.sources.pymrio_tables import load_save

    try:
        return load_save(folder)
    except DataFileError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise DataFileError(
            f"{folder}: the save could not be read ({type(err).__name__}: {err}). "
            "Fix: check that the folder is a complete, unmodified pymrio save_all output"
        ) from err
