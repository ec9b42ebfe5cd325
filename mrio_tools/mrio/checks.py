"""The checks every `mrio_tools.mrio.container.MRIO` passes on construction (its module docstring
lists them): labels and layout, finite values, signs, gross output against inputs, the optional blocks.

Each failure raises `ValidationError` naming the block, the labels or cells and the fix. The checks
work on the arrays once: column sums serve the finiteness and the input-share checks, column minima
the sign check, and only columns or regions that may fail are scanned (no n x n temporary).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mrio_tools.errors import SHOWN_LABELS, ValidationError, listed
from mrio_tools.units import is_monetary

if TYPE_CHECKING:
    from mrio_tools.mrio.container import MRIO

ROW_LEVELS = ("region", "sector")
FINAL_DEMAND_LEVELS = ("region", "category")
STRESSOR_LEVEL = "stressor"
#: notes key: why negative entries of Z are allowed (text naming where the source documents them)
ALLOW_NEGATIVE_INTERMEDIATE = "allow_negative_intermediate"
#: notes key: stressors that may be negative (mapping stressor -> reason), beyond monetary ones
SIGNED_STRESSORS = "signed_stressors"
#: the notes the checks read: a table whose notes change in one of these must be checked again
CHECKED_NOTES = (ALLOW_NEGATIVE_INTERMEDIATE, SIGNED_STRESSORS)


def gross_output_of(Z: pd.DataFrame, Y: pd.DataFrame) -> pd.Series:
    """Gross output x = Z 1 + Y 1 (docs/methods.md notation), labelled by Z's rows."""
    x = Z.to_numpy().sum(axis=1) + Y.to_numpy().sum(axis=1)
    return pd.Series(x, index=Z.index, name="gross_output")


def _fail(block: str, problem: str, fix: str) -> ValidationError:
    return ValidationError(f"MRIO block {block}: {problem}. Fix: {fix}")


def _check_frame(obj: Any, block: str) -> None:
    if not isinstance(obj, pd.DataFrame):
        raise _fail(block, f"is a {type(obj).__name__}, not a pandas DataFrame", "pass a labelled DataFrame")


def _check_names(index: pd.Index, names: tuple[str, ...], block: str, axis: str) -> None:
    if tuple(index.names) != names:
        raise _fail(
            block,
            f"{axis} levels are named {list(index.names)}, expected {list(names)}",
            f"name the {axis} levels {list(names)} (e.g. df.{axis}.names = {list(names)})",
        )


def _check_unique(index: pd.Index, block: str, axis: str) -> None:
    if index.has_duplicates:
        dup = index[index.duplicated()].unique().tolist()
        raise _fail(block, f"duplicate {axis} labels {listed(dup)}", "aggregate or rename the duplicates")


def _check_same(index: pd.Index, reference: pd.Index, block: str, axis: str, ref_name: str) -> None:
    if index.equals(reference):
        return
    if len(index) != len(reference):
        missing = reference.difference(index).tolist()
        extra = index.difference(reference).tolist()
        raise _fail(
            block,
            f"{axis} have {len(index)} labels but {ref_name} has {len(reference)}"
            + (f"; missing {listed(missing)}" if missing else "")
            + (f"; not in {ref_name}: {listed(extra)}" if extra else ""),
            f"give {block} the same {axis} labels as {ref_name}, in the same order",
        )
    pos = int(np.flatnonzero(index.to_numpy() != reference.to_numpy())[0])
    raise _fail(
        block,
        f"{axis} labels differ from {ref_name} first at position {pos}: {index[pos]!r} vs {reference[pos]!r}",
        f"give {block} the same {axis} labels as {ref_name}, in the same order (reindex it)",
    )


def _check_rectangular(index: pd.Index, inner: str, block: str, axis: str) -> None:
    """Every region holds the same inner labels (sectors or categories) in the same order, contiguously."""
    regions = index.get_level_values("region")
    inner_values = index.get_level_values(inner)
    unique_regions = regions.unique()
    first = inner_values[regions == unique_regions[0]]
    n_inner = len(first)
    if n_inner == 0 or len(index) != n_inner * len(unique_regions):
        raise _fail(
            block,
            f"{axis}: regions do not all have the same number of {inner}s",
            f"give every region the same {inner} list (fill absent {inner}s with zeros)",
        )
    expected_regions = np.repeat(unique_regions.to_numpy(), n_inner)
    expected_inner = np.tile(first.to_numpy(), len(unique_regions))
    bad = (regions.to_numpy() != expected_regions) | (inner_values.to_numpy() != expected_inner)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise _fail(
            block,
            f"{axis} are not region-major with one {inner} list for all regions: position {pos} is "
            f"{index[pos]!r}, expected ({expected_regions[pos]!r}, {expected_inner[pos]!r})",
            f"order the {axis} region by region, each with the same {inner}s in the same order",
        )


def _check_finite(frame: pd.DataFrame, block: str) -> np.ndarray:
    """The column sums of `frame`, after checking that every entry is finite."""
    values = frame.to_numpy()
    # a column sum is finite only when every entry is: no n x n boolean temporary on big tables
    sums: np.ndarray = values.sum(axis=0)
    if np.isfinite(sums).all():
        return sums
    rows, cols = np.nonzero(~np.isfinite(values))
    cells = [
        f"({frame.index[r]!r}, {frame.columns[c]!r})"
        for r, c in zip(rows[:SHOWN_LABELS], cols[:SHOWN_LABELS], strict=True)
    ]
    if not cells:  # finite entries whose sum overflowed
        raise _fail(block, "column sums overflow to infinity", "check the unit scaling of the block")
    raise _fail(
        block,
        f"{len(rows)} NaN or infinite values, at (row, column) {listed(cells)}",
        "replace missing values by 0 where the publisher means 'none', or correct the source file",
    )


def validate(m: MRIO) -> None:
    for name in ("Z", "Y", "F", "F_Y"):
        _check_frame(getattr(m, name), name)
    _check_names(m.Z.index, ROW_LEVELS, "Z", "index")
    _check_unique(m.Z.index, "Z", "row")
    _check_same(m.Z.columns, m.Z.index, "Z", "columns", "Z's rows")
    _check_rectangular(m.Z.index, "sector", "Z", "rows")
    _check_same(m.Y.index, m.Z.index, "Y", "rows", "Z's rows")
    _check_names(m.Y.columns, FINAL_DEMAND_LEVELS, "Y", "columns")
    _check_unique(m.Y.columns, "Y", "column")
    _check_rectangular(m.Y.columns, "category", "Y", "columns")
    z_regions = m.Z.index.get_level_values("region").unique()
    y_regions = m.Y.columns.get_level_values("region").unique()
    _check_same(y_regions, z_regions, "Y", "consuming regions", "Z's regions")
    if m.F.index.nlevels != 1 or m.F.index.name != STRESSOR_LEVEL:
        raise _fail(
            "F",
            f"rows are labelled {list(m.F.index.names)}, expected one level named 'stressor'",
            "name the row level 'stressor' (join multi-level labels, e.g. 'CO2 - combustion - air')",
        )
    _check_unique(m.F.index, "F", "stressor")
    _check_same(m.F.columns, m.Z.index, "F", "columns", "Z's rows")
    _check_same(m.F_Y.index, m.F.index, "F_Y", "rows", "F's stressors")
    _check_same(m.F_Y.columns, m.Y.columns, "F_Y", "columns", "Y's columns")
    missing_units = [s for s in m.F.index if s not in m.stressor_units]
    if missing_units:
        raise _fail("F", f"no unit for stressors {listed(missing_units)}", "add them to stressor_units")
    z_column_sums = _check_finite(m.Z, "Z")
    for name in ("Y", "F", "F_Y"):
        _check_finite(getattr(m, name), name)
    _check_negative_intermediate(m)
    _check_stressor_signs(m)
    _check_output(m, column_inputs=z_column_sums)
    _check_optional(m)
    if not isinstance(m.year, int | np.integer):
        raise _fail("metadata", f"year is {m.year!r}, not an integer", "pass year=YYYY")


def _negative_cells(frame: pd.DataFrame, columns: np.ndarray) -> tuple[int, list[tuple[int, int]]]:
    """How many entries of `frame` are < 0 in `columns`, and the (row, column) positions of the first few."""
    values = frame.to_numpy()
    count, cells = 0, list[tuple[int, int]]()
    for c in columns:
        rows = np.flatnonzero(values[:, c] < 0)
        count += rows.size
        cells.extend((int(r), int(c)) for r in rows[: max(SHOWN_LABELS - len(cells), 0)])
    return count, cells


def _check_negative_intermediate(m: MRIO) -> None:
    reason = m.notes.get(ALLOW_NEGATIVE_INTERMEDIATE)
    if reason is not None and not (isinstance(reason, str) and reason.strip()):
        raise _fail(
            "notes",
            f"{ALLOW_NEGATIVE_INTERMEDIATE} is {reason!r}, not a text",
            "give the reason as text naming where the source documents negative intermediate entries",
        )
    # column minima first: no n x n boolean temporary on big tables
    columns = np.flatnonzero(m.Z.to_numpy().min(axis=0, initial=0.0) < 0)
    if not columns.size or reason:
        return
    count, cells = _negative_cells(m.Z, columns)
    Z = m.Z.to_numpy()
    shown = [
        f"{tuple(m.Z.index[r])} -> {tuple(m.Z.columns[c])} = {Z[r, c]:.6g} {m.monetary_unit}"
        for r, c in cells
    ]
    raise _fail(
        "Z",
        f"{count} negative intermediate flows (seller -> buyer): {listed(shown, limit=len(shown))}"
        + (f" and {count - len(shown)} more" if count > len(shown) else ""),
        "correct the sign in the source file; if the publisher documents negative intermediate entries, "
        f"allow them by stating where (notes[{ALLOW_NEGATIVE_INTERMEDIATE!r}] = 'reason', recorded in "
        "the output metadata)",
    )


def _check_stressor_signs(m: MRIO) -> None:
    signed = m.notes.get(SIGNED_STRESSORS, {})
    if not isinstance(signed, Mapping):
        raise _fail(
            "notes",
            f"{SIGNED_STRESSORS} is a {type(signed).__name__}, not a mapping stressor -> reason",
            "pass {'stressor label': 'why it may be negative'}",
        )
    unknown = [s for s in signed if s not in m.F.index]
    if unknown:
        raise _fail(
            "notes", f"{SIGNED_STRESSORS} names stressors not in F: {listed(unknown)}", "use F's labels"
        )
    for name, block in (("F", m.F), ("F_Y", m.F_Y)):
        values = block.to_numpy()
        if values.size == 0:
            continue
        rows = np.flatnonzero(values.min(axis=1) < 0)
        for r in rows:
            stressor = block.index[int(r)]
            unit = m.stressor_units[stressor]
            if stressor in signed or is_monetary(unit):
                continue
            cols = np.flatnonzero(values[r] < 0)
            shown = [f"{block.columns[c]!r} = {values[r, c]:.6g} {unit}" for c in cols[:SHOWN_LABELS]]
            raise _fail(
                name,
                f"stressor {stressor!r} ({unit}) is negative in {cols.size} cells: {listed(shown)}"
                + (f" and {cols.size - len(shown)} more" if cols.size > len(shown) else ""),
                "emissions such as CO2 from combustion cannot be negative: correct the sign or units in the "
                "source file; a stressor that is negative by definition (net removals) must be declared "
                f"in notes[{SIGNED_STRESSORS!r}] = {{stressor: reason}}",
            )


def _check_output(m: MRIO, column_inputs: np.ndarray) -> None:
    """Gross output x and the columns of Z against it; `column_inputs` are Z's column sums."""
    x = m.gross_output.to_numpy()
    labels = m.Z.index
    negative = np.flatnonzero(x < 0)
    if negative.size:
        raise _fail(
            "Y",
            f"gross output x = Z1 + Y1 is negative for {listed([labels[int(i)] for i in negative])} "
            f"(smallest {x[negative].min():.6g} {m.monetary_unit})",
            "check final demand (e.g. inventory changes) and intermediate rows of these sectors",
        )
    Z = m.Z.to_numpy()
    zero = x == 0
    zero_columns = np.flatnonzero(zero)  # only these columns are scanned: no n x n temporary
    buying = zero_columns[np.abs(Z[:, zero_columns]).sum(axis=0) > 0]
    if buying.size:
        raise _fail(
            "Z",
            "sectors with zero gross output buy intermediate inputs: "
            + listed([labels[int(i)] for i in buying]),
            "a sector without output cannot use inputs; correct the table or move the inputs",
        )
    ratio = np.divide(column_inputs, x, out=np.zeros_like(x), where=~zero)
    too_high = np.flatnonzero(ratio >= 1)
    if too_high.size:
        worst = [f"{labels[i]!r} ({ratio[i]:.4f})" for i in too_high[np.argsort(-ratio[too_high])]]
        raise _fail(
            "Z",
            f"columns of A = Z x^-1 sum to >= 1 (inputs at least equal to output, so (I - A) is singular or "
            f"has no economic solution): {listed(worst)}",
            "check these sectors' intermediate inputs and gross output (units, sign, missing final demand)",
        )
    emitting = np.flatnonzero(zero & (np.abs(m.F.to_numpy()).sum(axis=0) > 0))
    if emitting.size:
        raise _fail(
            "F",
            f"emissions on sectors with zero gross output: {listed([labels[int(i)] for i in emitting])}",
            "move these emissions to producing sectors (concordance fallback targets, docs/methods.md)",
        )
    Y = m.Y.to_numpy()
    regions = m.regions
    n_sec, n_cat = len(m.sectors), len(m.categories)
    # a region with a nonzero x has a nonzero entry in its rows of Z or Y: only regions whose sectors
    # all have zero output are scanned
    idle = np.flatnonzero((x.reshape(len(regions), n_sec) == 0).all(axis=1))
    for r in idle:
        region = regions[int(r)]
        rows = slice(r * n_sec, (r + 1) * n_sec)
        cols = slice(r * n_cat, (r + 1) * n_cat)
        if not (Z[rows].any() or Z[:, rows].any() or Y[rows].any() or Y[:, cols].any()):
            raise _fail(
                "Z/Y",
                f"region {region!r} is all zero (no output, no inputs, no final demand)",
                "drop the region from the table, or fold it into the rest of the world",
            )


def _check_optional(m: MRIO) -> None:
    if m.population is not None:
        pop = m.population
        if not isinstance(pop, pd.Series) or pop.index.name != "region":
            raise _fail(
                "population", "must be a pandas Series indexed by 'region'", "pass pd.Series(index=regions)"
            )
        _check_same(pop.index, m.regions, "population", "regions", "Z's regions")
        bad = pop.index[~(np.isfinite(pop.to_numpy()) & (pop.to_numpy() > 0))].tolist()
        if bad:
            raise _fail("population", f"not a positive number for {listed(bad)}", "give persons per region")
    if m.value_added is not None:
        _check_frame(m.value_added, "value_added")
        _check_same(m.value_added.columns, m.Z.index, "value_added", "columns", "Z's rows")
        _check_finite(m.value_added, "value_added")
