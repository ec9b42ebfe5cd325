"""The tables of a pymrio save read straight into one float64 array each, labels kept apart.

`load_save` stands in for `pymrio.load_all` on the tables that `pymrio_convert.from_iosystem` reads
(core Z or A, x, Y, unit, population; of every extension F or S, F_Y or S_Y, unit), with the same
labels, level names and extension instance names (facts from pymrio 0.7's `core/fileio.py`: text
tables are tab-separated with `nr_header` header rows and `nr_index_col` index columns; parquet tables
are pandas' parquet with the labels in the file's pandas metadata; extension instance names are the
subfolder names with non-word characters replaced by '_'). Tables that the converter never reads
(L, D_cba, M, ...) are not read at all.

Each numeric table is read into one preallocated array, so an n x n block is held once:

- parquet: a few columns at a time (pyarrow), each copied into its column of the array while
  the next few are read;
- text: a few hundred lines at a time (pandas' C parser), each chunk copied into its rows.

Labels are parsed once per table. A cell that is not a number raises `DataFileError` naming the
file, the line as an editor counts it (text) or the row (parquet), the labels and the fix; empty
cells and pandas' missing-value texts become NaN, which the `MRIO` checks then name by cell.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mrio_tools.errors import DataFileError

FILE_PARAMETERS = "file_parameters.json"
#: tables that the converter reads; others in a save are skipped
CORE_TABLES = ("Z", "A", "x", "Y", "unit", "population")
EXTENSION_TABLES = ("F", "S", "F_Y", "S_Y", "unit")
#: text tables (labels and units): read as pymrio reads them
TEXT_VALUED = ("unit",)
TEXT_ENDINGS = {".txt", ".tsv", ".csv"}
#: bytes of values converted per step (a parquet column batch, a chunk of text lines)
STEP_BYTES = 32 << 20
_FIX = "Fix: correct the cell (a number, or empty for none) or restore the file pymrio wrote"


@dataclass
class SavedSystem:
    """The tables of one pymrio save (or of one extension), as `pymrio.load_all` names them.

    Attribute access gives a table (a DataFrame) or None; `get_extensions` lists the extensions'
    instance names, as `pymrio.IOSystem.get_extensions(instance_names=True)` does.
    """

    name: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    extensions: dict[str, SavedSystem] = field(default_factory=dict)

    def __getattr__(self, key: str) -> Any:
        if key.startswith("__"):
            raise AttributeError(key)
        tables, extensions = self.__dict__.get("tables", {}), self.__dict__.get("extensions", {})
        if key in tables:
            return tables[key]
        if key in extensions:
            return extensions[key]
        return None

    def get_extensions(self, instance_names: bool = True) -> list[str]:
        """Instance names of the extensions (set names when `instance_names` is False)."""
        if instance_names:
            return list(self.extensions)
        return [ext.name for ext in self.extensions.values()]


def _instance_name(folder_name: str) -> str:
    return re.sub(r"\W|^(?=\d)", "_", folder_name)


def _parameters(folder: Path) -> dict[str, Any]:
    content = json.loads((folder / FILE_PARAMETERS).read_text(encoding="utf-8"))
    if not isinstance(content, dict):
        raise DataFileError(f"{folder / FILE_PARAMETERS}: expected a JSON object")
    return content


def _read_part(folder: Path, wanted: Sequence[str]) -> dict[str, pd.DataFrame]:
    content = _parameters(folder)
    tables: dict[str, pd.DataFrame] = {}
    for key, entry in content.get("files", {}).items():
        key = "F_Y" if key == "FY" else str(key)  # pymrio < 0.4 called it FY
        if key not in wanted:
            continue
        path = folder / str(entry["name"])
        index_columns, header_rows = int(str(entry["nr_index_col"])), int(str(entry["nr_header"]))
        if key in TEXT_VALUED:
            tables[key] = _read_with_pandas(path, index_columns, header_rows)
        else:
            tables[key] = read_table(path, index_columns=index_columns, header_rows=header_rows)
    return tables


def load_save(folder: Path) -> SavedSystem:
    """The core and extension tables of the pymrio save in `folder` (see module docstring)."""
    metadata_path = folder / "metadata.json"
    metadata = json.loads(metadata_path.read_text(encoding="utf-8")) if metadata_path.is_file() else {}
    system = SavedSystem(name=str(metadata.get("name", "")), tables=_read_part(folder, CORE_TABLES))
    for sub in folder.iterdir():  # pymrio's order: the folder listing
        if not (sub.is_dir() and (sub / FILE_PARAMETERS).is_file()):
            continue
        content = _parameters(sub)
        if content.get("systemtype") != "Extension":
            continue
        system.extensions[_instance_name(sub.name)] = SavedSystem(
            name=str(content.get("name", sub.name)), tables=_read_part(sub, EXTENSION_TABLES)
        )
    return system


def _read_with_pandas(path: Path, index_columns: int, header_rows: int) -> pd.DataFrame:
    """A table read as pymrio reads it (for the small text-valued tables)."""
    if path.suffix.lower() in TEXT_ENDINGS:
        index_col: Any = list(range(index_columns))
        header: Any = list(range(header_rows))
        return pd.read_csv(
            path,
            sep="\t",
            index_col=0 if index_col == [0] else index_col,
            header=0 if header == [0] else header,
        )
    return pd.read_parquet(path)


def read_table(path: Path, *, index_columns: int, header_rows: int) -> pd.DataFrame:
    """A numeric table of a pymrio save as a DataFrame over one float64 array (no second copy).

    The array is in column-major (Fortran) order, which is how pandas holds a frame's one block, so
    `frame.to_numpy()` returns it without a copy. Raises `DataFileError` for a cell that is not a
    number (see module docstring).
    """
    if path.suffix.lower() in TEXT_ENDINGS:
        return _read_text(path, index_columns, header_rows)
    return _read_parquet(path, index_columns, header_rows)


# ----------------------------------------------------------------------------- parquet
_PLAIN_TUPLE = re.compile(r"\('([^'\\]*)'(?:, '([^'\\]*)')*\)")


def _label_tuple(name: str) -> Any:
    """A column label as pyarrow writes a tuple ("('reg1', 'food')"): split when the parts are plain
    text, else read as a Python literal."""
    if _PLAIN_TUPLE.fullmatch(name):
        return tuple(name[2:-2].split("', '"))
    return ast.literal_eval(name)


def _parquet_labels(meta: dict[str, Any], names: Sequence[str], levels: int) -> pd.Index | None:
    """The column labels from the pandas metadata, or None when they are not plain text labels."""
    column_indexes = meta.get("column_indexes", [])
    if len(column_indexes) != levels or any(c.get("pandas_type") != "unicode" for c in column_indexes):
        return None
    level_names = [c.get("name") for c in column_indexes]
    if levels == 1:
        return pd.Index(list(names), name=level_names[0], dtype=object)
    try:
        tuples = [_label_tuple(name) for name in names]
    except (ValueError, SyntaxError):
        return None
    if not all(isinstance(t, tuple) and len(t) == levels for t in tuples):
        return None
    return pd.MultiIndex.from_tuples(tuples, names=level_names)


def _read_parquet(path: Path, index_columns: int, header_rows: int) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
        schema = handle.schema_arrow
        meta = json.loads((schema.metadata or {}).get(b"pandas", b"{}"))
    except (OSError, ValueError, pa.ArrowException) as err:
        raise DataFileError(f"{path}: not a readable parquet file ({err}). Fix: restore the file") from err
    index_fields = meta.get("index_columns", [])
    fields = {c["field_name"]: c for c in meta.get("columns", [])}
    value_fields = [name for name in schema.names if name not in index_fields]
    labels = [str(fields.get(name, {}).get("name", name)) for name in value_fields]
    columns = _parquet_labels(meta, labels, header_rows)
    numeric = all(
        pa.types.is_floating(t) or pa.types.is_integer(t)
        for t in (schema.field(f).type for f in value_fields)
    )
    if (
        columns is None
        or not numeric
        or not all(isinstance(f, str) for f in index_fields)
        or not index_fields
    ):
        return _from_pandas_frame(path, pd.read_parquet(path))
    index_table = handle.read(columns=index_fields, use_pandas_metadata=False)
    arrays = [index_table.column(f).to_numpy(zero_copy_only=False).astype(object) for f in index_fields]
    names = [fields.get(f, {}).get("name") for f in index_fields]
    index = (
        pd.MultiIndex.from_arrays(arrays, names=names)
        if len(arrays) > 1
        else pd.Index(arrays[0], name=names[0])
    )
    rows = index_table.num_rows
    values = np.empty((rows, len(value_fields)), dtype=np.float64, order="F")
    step = _step(STEP_BYTES // max(8 * rows, 1), len(value_fields))
    for start, batch in _column_batches(handle, value_fields, step):
        for j, column in enumerate(batch.columns):
            offset = 0
            for chunk in column.chunks:  # one per row group: copied in place, never concatenated first
                values[offset : offset + len(chunk), start + j] = chunk.to_numpy(zero_copy_only=False)
                offset += len(chunk)
        del batch
    # the batches are freed, but pyarrow's allocator keeps their pages for reuse: hand them back
    # (about 80 MB of resident memory after Z at 49 x 200) before the solve needs memory
    pa.default_memory_pool().release_unused()
    return pd.DataFrame(values, index=index, columns=columns, copy=False)


def _column_batches(handle: Any, fields: Sequence[str], step: int) -> Iterator[tuple[int, Any]]:
    """(first column, pyarrow table) for each `step` columns of `fields`, in order.

    The next batch is read in a thread while the caller copies this one, so decoding (pyarrow's own
    threads, the GIL released) overlaps the copy and the first writes into the new array (page
    faults); at most two batches are held at once.
    """

    def read(start: int) -> Any:
        return handle.read(columns=list(fields[start : start + step]), use_pandas_metadata=False)

    starts = range(0, len(fields), step)
    if not starts:
        return
    with ThreadPoolExecutor(max_workers=1) as reader:
        pending = reader.submit(read, starts[0])
        for k, start in enumerate(starts):
            batch = pending.result()
            if k + 1 < len(starts):
                pending = reader.submit(read, starts[k + 1])
            yield start, batch
            del batch


def _from_pandas_frame(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    """A frame read by pandas (unusual labels) as one float64 block, its non-number cells named."""
    for j, column in enumerate(frame.columns):
        values = frame.iloc[:, j]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            continue
        bad = np.flatnonzero((pd.to_numeric(values, errors="coerce").isna() & values.notna()).to_numpy())
        if bad.size:
            raise _not_a_number(
                path,
                frame.index[int(bad[0])],
                f"row {int(bad[0]) + 1}",
                column,
                values.iloc[int(bad[0])],
                bad.size,
            )
    return pd.DataFrame(
        frame.to_numpy(dtype=np.float64), index=frame.index, columns=frame.columns, copy=False
    )


def _not_a_number(path: Path, row: Any, where: str, column: Any, value: Any, count: int) -> DataFileError:
    return DataFileError(
        f"{path}: the cell in row {row!r} ({where}), column {column!r} is {value!r}, not a number"
        + (f" ({count} such cells in this column)" if count > 1 else "")
        + f". {_FIX}"
    )


# -------------------------------------------------------------------------------- text
def _read_text(path: Path, index_columns: int, header_rows: int) -> pd.DataFrame:
    index_col: Any = list(range(index_columns))
    header: Any = list(range(header_rows))
    try:
        head = pd.read_csv(
            path,
            sep="\t",
            index_col=0 if index_col == [0] else index_col,
            header=0 if header == [0] else header,
            nrows=1,
        )
    except (ValueError, OSError, pd.errors.ParserError) as err:
        raise DataFileError(
            f"{path}: not a readable pymrio text table ({err}). Fix: restore the file"
        ) from err
    columns, index_names = head.columns, list(head.index.names)
    # a table with several header rows may have one more line, the index names (pandas writes it when
    # the rows have names): its value cells are empty
    with path.open("rb") as handle:
        first = [handle.readline() for _ in range(header_rows + 1)]
        lines = len(first) + sum(1 for _ in handle) - first.count(b"")
    cells = first[header_rows].rstrip(b"\r\n").split(b"\t") if len(first) > header_rows else []
    names_line = header_rows > 1 and len(cells) > index_columns and not any(cells[index_columns:])
    skip = header_rows + int(names_line)
    rows = lines - skip
    values = np.empty((rows, len(columns)), dtype=np.float64, order="F")
    labels: list[Any] = []
    # the parser holds a chunk about three times (text, parsed columns, the float block): a smaller share
    step = _step(STEP_BYTES // max(8 * len(columns), 1), rows, share=32)
    done = 0
    with pd.read_csv(
        path, sep="\t", header=None, skiprows=skip, chunksize=step, skip_blank_lines=False
    ) as chunks:
        for chunk in chunks:
            if chunk.shape[1] != index_columns + len(columns):
                raise DataFileError(
                    f"{path}: line {skip + done + 1} onwards has {chunk.shape[1]} cells per line; the header "
                    f"has {index_columns} label and {len(columns)} value columns. Fix: restore the file"
                )
            block = chunk.iloc[:, index_columns:]
            for j in np.flatnonzero([not _numeric(block.dtypes.iloc[c]) for c in range(block.shape[1])]):
                cells = block.iloc[:, j]
                bad = np.flatnonzero(
                    (pd.to_numeric(cells, errors="coerce").isna() & cells.notna()).to_numpy()
                )
                if bad.size:
                    i = int(bad[0])
                    row = tuple(chunk.iloc[i, :index_columns]) if index_columns > 1 else chunk.iloc[i, 0]
                    line = f"line {skip + done + i + 1} of the file"
                    raise _not_a_number(path, row, line, columns[int(j)], cells.iloc[i], bad.size)
            values[done : done + len(chunk)] = block.to_numpy(dtype=np.float64)
            labels.extend(chunk.iloc[:, :index_columns].itertuples(index=False, name=None))
            done += len(chunk)
    if done != rows:  # blank lines at the end
        values = values[:done]
    if index_columns > 1:
        index: pd.Index = pd.MultiIndex.from_tuples(labels, names=index_names)
    else:
        index = pd.Index([label[0] for label in labels], name=index_names[0])
    return pd.DataFrame(values, index=index, columns=columns, copy=False)


def _step(fits: int, total: int, share: int = 16) -> int:
    """Columns (or lines) per step: what fits in `STEP_BYTES`, and at most 1 / `share` of the table."""
    return max(1, min(fits, -(-total // share)))


def _numeric(dtype: Any) -> bool:
    return bool(pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype))
