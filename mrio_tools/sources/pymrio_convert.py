"""pymrio IOSystem -> MRIO: the converter behind the pymrio source (`mrio_tools.sources.pymrio_saved`).

What it takes from a loaded save or an `IOSystem` in memory (`from_iosystem`): Z (or Z = A x^ when only
coefficients and x were saved, as pymrio's `calc_Z` does); F and F_Y of one extension or of all of them
stacked, multi-level stressor labels joined with " - "; units from each extension's `unit` table; the
monetary unit from the core's `unit` table, which must hold one unit. See docs/methods.md, "National
accounts", for what the accounts need of these blocks.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mrio_tools.errors import DataFileError, ValidationError
from mrio_tools.mrio.container import MRIO
from mrio_tools.units import normalise_money

#: the extension of a pymrio system that holds value added (factor inputs)
VALUE_ADDED_EXTENSION = "factor_inputs"


def extension_names(io: Any) -> list[str]:
    return [str(name) for name in io.get_extensions(instance_names=True)]


def find_extension(io: Any, name: str) -> tuple[str, Any] | None:
    """(instance name, extension) for an instance name ('emissions') or set name ('Emissions')."""
    for instance in extension_names(io):
        ext = getattr(io, instance)
        if name in (instance, str(ext.name)):
            return instance, ext
    return None


def _join_labels(index: pd.Index) -> pd.Index:
    """One 'stressor' level: multi-level labels joined with ' - '."""
    if isinstance(index, pd.MultiIndex):
        labels = [" - ".join(str(part) for part in label) for label in index]
    else:
        labels = [str(label) for label in index]
    return pd.Index(labels, name="stressor")


def normalise_unit(unit: str) -> str:
    """Write money units the way `mrio_tools.units` reads them ('Mill USD', 'M.EUR' -> 'M USD', 'M EUR').

    Other units are returned unchanged (stripped): they are kept as published.
    """
    return normalise_money(unit)


def monetary_unit(io: Any, folder: Path) -> str:
    unit = getattr(io, "unit", None)
    if not isinstance(unit, pd.DataFrame) or "unit" not in unit.columns:
        raise DataFileError(
            f"{folder}: the save has no core 'unit' table, so its monetary unit is unknown. "
            "Fix: set io.unit (one row per region and sector, column 'unit') and save again"
        )
    units = sorted({normalise_unit(u) for u in unit["unit"]})
    if len(units) != 1:
        raise DataFileError(
            f"{folder}: the core 'unit' table holds several units {units}; an MRIO needs one monetary unit. "
            "Fix: convert the table to one currency and scale before saving"
        )
    return units[0]


def _flows(io: Any, source: str, notes: dict[str, Any]) -> tuple[pd.DataFrame, pd.Series | None]:
    """Z and the saved gross output x (None when not saved); Z = A x^ when only A and x were saved."""
    x_frame = getattr(io, "x", None)
    x = None if x_frame is None else pd.Series(np.asarray(x_frame).reshape(-1), index=x_frame.index)
    Z = getattr(io, "Z", None)
    if isinstance(Z, pd.DataFrame):
        return Z, x
    A = getattr(io, "A", None)
    if isinstance(A, pd.DataFrame) and x is not None:
        notes["Z_from"] = "Z = A x^ (the save holds coefficients A and gross output x, not Z)"
        return A.mul(x.reindex(A.columns).to_numpy(), axis=1), x
    raise ValidationError(
        f"pymrio system {source}: no Z, and not both A and x to derive it. "
        "Fix: save the flows (call io.calc_all() and do not reset to coefficients before save_all)"
    )


def _stressor_block(
    ext: Any,
    instance: str,
    Z: pd.DataFrame,
    Y: pd.DataFrame,
    x: pd.Series | None,
    source: str,
    notes: dict[str, Any],
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    F = getattr(ext, "F", None)
    if not isinstance(F, pd.DataFrame):
        S = getattr(ext, "S", None)
        if not (isinstance(S, pd.DataFrame) and x is not None):
            raise ValidationError(
                f"pymrio system {source}: extension {instance!r} has no F, "
                "and not both S and x to derive it. "
                "Fix: save the flows (io.calc_all() before save_all)"
            )
        F = S.mul(x.reindex(S.columns).to_numpy(), axis=1)
        notes.setdefault("F_from", {})[instance] = "F = S x^ (the save holds coefficients S and x)"
    F_Y = getattr(ext, "F_Y", None)
    if not isinstance(F_Y, pd.DataFrame):
        S_Y = getattr(ext, "S_Y", None)
        if isinstance(S_Y, pd.DataFrame):
            F_Y = S_Y.mul(Y.sum(axis=0).reindex(S_Y.columns).to_numpy(), axis=1)
            notes.setdefault("F_Y_from", {})[instance] = (
                "F_Y = S_Y times Y's column totals (the save holds S_Y)"
            )
        else:
            F_Y = pd.DataFrame(0.0, index=F.index, columns=Y.columns)
            notes.setdefault("F_Y_absent", []).append(instance)
    unit = getattr(ext, "unit", None)
    if not isinstance(unit, pd.DataFrame) or "unit" not in unit.columns:
        raise ValidationError(
            f"pymrio system {source}: extension {instance!r} has no 'unit' table. "
            "Fix: set ext.unit (one row per stressor, column 'unit') and save again"
        )
    missing = F.index.difference(unit.index)
    if len(missing):
        raise ValidationError(
            f"pymrio system {source}: extension {instance!r} gives no unit for {list(missing)[:8]}. "
            "Fix: add them to the extension's unit table"
        )
    _check_labels(F.columns, Z.index, f"extension {instance!r} F columns", "rows of Z", source)
    _check_labels(F_Y.columns, Y.columns, f"extension {instance!r} F_Y columns", "columns of Y", source)
    _check_labels(F_Y.index, F.index, f"extension {instance!r} F_Y rows", "rows of F", source)
    labels = _join_labels(F.index)
    units = {label: normalise_unit(u) for label, u in zip(labels, unit.loc[F.index, "unit"], strict=True)}
    # same label sets were checked above, so reindexing only reorders
    F_out = F.reindex(columns=Z.index).set_axis(labels, axis=0)
    F_Y_out = F_Y.reindex(index=F.index, columns=Y.columns).set_axis(labels, axis=0)
    return F_out, F_Y_out, units


def _check_labels(found: pd.Index, expected: pd.Index, what: str, reference: str, source: str) -> None:
    if found.equals(expected):
        return
    found_set, expected_set = set(found), set(expected)
    if found.has_duplicates or found_set != expected_set:
        missing = [label for label in expected if label not in found_set]
        extra = [label for label in found if label not in expected_set]
        raise ValidationError(
            f"pymrio system {source}: {what} do not match the {reference}"
            + (f"; missing {missing[:8]}" if missing else "")
            + (f"; extra {extra[:8]}" if extra else "")
            + ("; duplicate labels" if found.has_duplicates else "")
            + ". Fix: save the extension with the core's labels"
        )


def _population(io: Any) -> pd.Series | None:
    pop = getattr(io, "population", None)
    if pop is None:
        return None
    if isinstance(pop, pd.DataFrame):
        if len(pop.index) != 1:
            raise ValidationError(
                f"pymrio population has {len(pop.index)} rows; expected one row, one column per region"
            )
        pop = pop.iloc[0]
    series = pd.Series(pop.to_numpy(dtype=float), index=pd.Index([str(r) for r in pop.index], name="region"))
    return series.rename("population")


def from_iosystem(
    io: Any,
    *,
    extension: str | None,
    source: str,
    version: str,
    year: int,
    price_basis: str,
    monetary_unit: str,
    extra_notes: Mapping[str, Any] | None = None,
) -> MRIO:
    """Convert a `pymrio.IOSystem` into an `MRIO` (metadata given by the caller).

    Stressors are the rows of `extension`'s F (instance or set name), or of every extension stacked
    when it is None; labels are joined with ' - ' and units come from each extension's `unit` table
    (money units normalised, e.g. 'Mill USD' -> 'M USD'). F_Y is zero where an extension has none
    (listed in notes['F_Y_absent']: those stressors have no household direct emissions). A stressor
    label that two extensions share raises `ValidationError`: pick one extension.
    The extension 'factor_inputs' (pymrio's name for value added), when present and in
    `monetary_unit`, also becomes `value_added`. The core tables are not modified.
    """
    notes: dict[str, Any] = dict(extra_notes or {})
    Y = getattr(io, "Y", None)
    if not isinstance(Y, pd.DataFrame):
        raise ValidationError(
            f"pymrio system {source}: no final demand Y. Fix: load or compute Y before converting"
        )
    Z, x = _flows(io, source, notes)
    if extension is None:
        chosen = [(name, getattr(io, name)) for name in extension_names(io)]
        if not chosen:
            raise ValidationError(
                f"pymrio system {source}: no extensions, so no stressors. Fix: add an extension"
            )
    else:
        found = find_extension(io, extension)
        if found is None:
            raise ValidationError(
                f"pymrio system {source}: no extension {extension!r}; it holds {extension_names(io)}"
            )
        chosen = [found]
    F_parts: list[pd.DataFrame] = []
    F_Y_parts: list[pd.DataFrame] = []
    units: dict[str, str] = {}
    origin: dict[str, str] = {}
    for instance, ext in chosen:
        F_part, F_Y_part, part_units = _stressor_block(ext, instance, Z, Y, x, source, notes)
        clash = [label for label in F_part.index if label in origin]
        if clash:
            raise ValidationError(
                f"pymrio system {source}: stressors {clash[:8]} appear in extensions "
                f"{origin[clash[0]]!r} and "
                f"{instance!r}. Fix: pass extension= to read one of them"
            )
        origin.update(dict.fromkeys(F_part.index, instance))
        F_parts.append(F_part)
        F_Y_parts.append(F_Y_part)
        units.update(part_units)
    F = pd.concat(F_parts)
    F_Y = pd.concat(F_Y_parts)
    F.index.name = F_Y.index.name = "stressor"
    notes["pymrio_extensions"] = [instance for instance, _ in chosen]
    if notes.get("F_Y_absent"):
        notes["household_direct_emissions"] = (
            f"absent for the stressors of {notes['F_Y_absent']}: those extensions have no F_Y, set to zero"
        )
    value_added = None
    va_ext = find_extension(io, VALUE_ADDED_EXTENSION)
    has_flows = va_ext is not None and (
        isinstance(getattr(va_ext[1], "F", None), pd.DataFrame)
        or (isinstance(getattr(va_ext[1], "S", None), pd.DataFrame) and x is not None)
    )
    if va_ext is not None and not has_flows:
        notes["value_added"] = f"not set: extension {VALUE_ADDED_EXTENSION!r} holds neither F nor S with x"
    if va_ext is not None and has_flows:
        va_F, _, va_units = _stressor_block(va_ext[1], va_ext[0], Z, Y, x, source, {})
        if set(va_units.values()) == {monetary_unit}:
            value_added = va_F.rename_axis(index="component")
        else:
            notes["value_added"] = (
                f"not set: extension {VALUE_ADDED_EXTENSION!r} has units {sorted(set(va_units.values()))}, "
                f"not the monetary unit {monetary_unit!r}"
            )
    return MRIO(
        Z=Z,
        Y=Y,
        F=F,
        F_Y=F_Y,
        monetary_unit=monetary_unit,
        stressor_units=units,
        source=source,
        version=version,
        year=int(year),
        price_basis=price_basis,
        notes=notes,
        population=_population(io),
        value_added=value_added,
    )
