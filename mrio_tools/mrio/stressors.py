"""Stressor definitions: pick or sum rows of F and F_Y into one named stressor (e.g. CO2).

What "CO2" means differs per source (combustion only, or with process emissions; with or without
household direct emissions). The definition is an explicit argument and is written into the
table's notes (`stressor_definition`), so every output says which rows it sums.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping, Sequence

import pandas as pd

from mrio_tools.errors import UnitError, ValidationError
from mrio_tools.mrio.container import MRIO
from mrio_tools.units import conversion_factor


def define_stressors(mrio: MRIO, definitions: Mapping[str, Sequence[str]], *, unit: str | None) -> MRIO:
    """Return a new MRIO whose stressors are sums of rows of `mrio`'s F and F_Y.

    `definitions` maps each new stressor name to the rows it sums (one row picks it). Rows with
    different units are converted to `unit` (required then); with `unit=None` all summed rows must
    share one unit, which the new stressor keeps. Unknown row names raise `ValidationError` listing
    the closest existing names.
    """
    available = list(mrio.F.index)
    F_rows, FY_rows, units, record = [], [], {}, {}
    for name, rows in definitions.items():
        rows = list(rows)
        if not rows:
            raise ValidationError(f"stressor definition {name!r} lists no rows of F")
        unknown = [r for r in rows if r not in mrio.F.index]
        if unknown:
            hints = {u: difflib.get_close_matches(u, available, n=3, cutoff=0.4) for u in unknown}
            raise ValidationError(
                f"stressor definition {name!r}: rows {unknown} are not in F of {mrio.source} {mrio.year}. "
                f"Closest names: {hints}. Fix: use the exact row labels (see mrio.stressors)."
            )
        row_units = {r: mrio.stressor_units[r] for r in rows}
        target = unit if unit is not None else row_units[rows[0]]
        if unit is None and len(set(row_units.values())) > 1:
            raise UnitError(
                f"stressor {name!r} sums rows with different units {row_units}; pass unit= (e.g. 'kt')"
            )
        factors = pd.Series({r: _factor(name, r, u, target, row_units) for r, u in row_units.items()})
        F_rows.append(mrio.F.loc[rows].mul(factors, axis=0).sum(axis=0).rename(name))
        FY_rows.append(mrio.F_Y.loc[rows].mul(factors, axis=0).sum(axis=0).rename(name))
        units[name] = target
        record[name] = {"rows": rows, "unit": target}
    F = pd.DataFrame(F_rows)
    F.index.name = "stressor"
    F_Y = pd.DataFrame(FY_rows)
    F_Y.index.name = "stressor"
    notes = {**dict(mrio.notes), "stressor_definition": record}
    return dataclasses.replace(mrio, F=F, F_Y=F_Y, stressor_units=units, notes=notes)


def _factor(name: str, row: str, unit: str, target: str, row_units: Mapping[str, str]) -> float:
    """Factor from a row's unit to the stressor's; `UnitError` naming the stressor, the row and all units."""
    if unit == target:
        return 1.0
    try:
        return conversion_factor(unit, target)
    except UnitError as err:
        units = ", ".join(f"{r!r} in {u!r}" for r, u in row_units.items())
        raise UnitError(
            f"stressor {name!r}: row {row!r} is in {unit!r}, which does not convert to {target!r} ({err}); "
            f"the rows summed are {units}. Fix: sum only rows of one kind (all masses, e.g. kg and kt)"
        ) from err
