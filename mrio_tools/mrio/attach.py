"""Emissions onto an MRIO: one more stressor, industries by concordance allocation, households direct.

Implements docs/methods.md, "Emissions from another classification (concordance)", and records the
emissions principle (docs/methods.md, "Emissions principle: residence or territorial").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Final, get_args

import numpy as np
import pandas as pd

from mrio_tools.choices import EmissionsPrinciple
from mrio_tools.errors import ConcordanceError, ValidationError, listed
from mrio_tools.mrio.allocation import allocate, fold_map, totals_check
from mrio_tools.mrio.concordance import Concordance
from mrio_tools.mrio.container import MRIO
from mrio_tools.units import conversion_factor

#: accounting principles an emission source can follow (docs/methods.md, "Emissions principle:
#: residence or territorial")
PRINCIPLES: Final = get_args(EmissionsPrinciple)


def _household_row(
    mrio: MRIO, households: pd.Series, category: str, *, rest_of_world: str | None, fold_missing: bool
) -> tuple[np.ndarray, dict[str, Any]]:
    """The new F_Y row: `households` in the `category` column of each region, and its record."""
    table_regions = list(mrio.regions)
    if not isinstance(households, pd.Series) or tuple(households.index.names) != ("region",):
        raise ValidationError("households must be a pandas Series indexed by 'region'")
    if category not in mrio.categories:
        raise ValidationError(
            f"household_category {category!r} is not a final-demand category of the table "
            f"({list(mrio.categories)})"
        )
    values = households.to_numpy(dtype=float)
    if households.index.has_duplicates or not np.isfinite(values).all():
        raise ValidationError("households has duplicate regions or NaN/infinite values")
    folds = fold_map(
        list(households.index),
        table_regions,
        rest_of_world=rest_of_world,
        fold_missing=fold_missing,
        what="household emissions",
    )
    moved = households.rename(index=folds).groupby(level="region", sort=False).sum()
    absent = [r for r in table_regions if r not in moved.index]
    if absent:
        raise ConcordanceError(
            f"household emissions have no data for table regions {listed(absent)}. Fix: supply them "
            "(zeros where a region truly has none)"
        )
    moved = moved.reindex(table_regions)
    columns = pd.MultiIndex.from_arrays(
        [table_regions, [category] * len(table_regions)], names=["region", "category"]
    )
    fy_row = np.zeros(len(mrio.Y.columns))
    # every region has the category (MRIO checks that Y is rectangular), so no -1 positions
    fy_row[mrio.Y.columns.get_indexer(columns)] = moved.to_numpy(dtype=float)
    placed = pd.Series(fy_row, index=mrio.Y.columns).groupby(level="region", sort=False).sum()
    scale = households.abs().rename(index=folds).groupby(level="region").sum().reindex(table_regions)
    totals_check(
        moved.to_numpy(dtype=float),
        placed.reindex(table_regions).to_numpy(dtype=float),
        scale.to_numpy(dtype=float),
        table_regions,
        "household emissions",
    )
    record = {
        "category": category,
        "folded_regions": {str(k): str(v) for k, v in folds.items()},
        "totals_before": {str(k): float(v) for k, v in households.items()},
        "totals_after": {str(k): float(v) for k, v in moved.items()},
    }
    return fy_row, record


def attach_emissions(
    mrio: MRIO,
    *,
    stressor: str,
    unit: str,
    industry: pd.Series,
    households: pd.Series | None,
    household_category: str | None,
    concordance: Concordance,
    rest_of_world: str | None,
    fold_missing: bool,
    principle: str,
    source_note: str,
) -> MRIO:
    """Return a new MRIO with one more stressor: industry emissions by `allocate`, households direct.

    docs/methods.md, "Emissions from another classification (concordance)". The new row of F holds
    `industry` allocated onto the table's sectors by gross output x = Z1 + Y1. The new row of F_Y
    holds `households` in the `household_category` column of each region and zero elsewhere;
    households of regions folded into `rest_of_world` go to its column. The notes gain
    ``emissions[stressor]`` with the unit, principle, `source_note`, the concordance's source, the
    allocation report and the household totals.

    Parameters
    ----------
    mrio
        The table (not changed; a new MRIO is returned).
    stressor
        Name of the new row of F and F_Y; must not exist yet.
    unit
        A mass (``kg``, ``t``, ``kt``, ``Mt``, ``Gt``, optionally with a substance, see
        `mrio_tools.units`); the unit of `industry` and `households`.
    industry
        Industry emissions indexed (``region``, ``source_sector``) in the concordance's source
        classification.
    households
        Direct emissions of households (e.g. fuel burnt in homes and cars), indexed ``region``; None
        where the source has none (then `household_category` is None too).
    household_category
        The final-demand category whose column receives `households`.
    concordance
        Source sectors -> table sectors (see `allocate`).
    rest_of_world
        The table's region that receives regions it lacks (None if there is none).
    fold_missing
        Whether emission regions absent from the table are folded into `rest_of_world`.
    principle
        ``residence`` (national accounts: includes bunker fuels of resident operators) or
        ``territorial`` (UNFCCC, Global Carbon Project); one of `PRINCIPLES`.
    source_note
        Where the emissions come from, written into the notes.
    """
    if principle not in PRINCIPLES:
        raise ValidationError(f"principle {principle!r} is not one of {list(PRINCIPLES)}")
    conversion_factor(unit, "kg")  # raises UnitError for a unit that is not a mass (e.g. 'kt', 'Mt CO2')
    if stressor in mrio.F.index:
        raise ValidationError(
            f"stressor {stressor!r} is already in F of {mrio.source} {mrio.year}. Fix: choose another name"
        )
    if (households is None) != (household_category is None):
        raise ValidationError(
            "households and household_category go together: pass both, or both as None "
            f"(got households={'None' if households is None else 'a Series'}, "
            f"household_category={household_category!r})"
        )
    allocation = allocate(
        industry, concordance, mrio.gross_output, rest_of_world=rest_of_world, fold_missing=fold_missing
    )
    fy_row = np.zeros(len(mrio.Y.columns))
    household_record: dict[str, Any] = {"category": household_category}
    if households is not None and household_category is not None:
        fy_row, household_record = _household_row(
            mrio, households, household_category, rest_of_world=rest_of_world, fold_missing=fold_missing
        )
    industry_row = allocation.values.to_numpy(dtype=float)  # noqa: PD011 (a dataclass field, not .values)
    F = pd.DataFrame(
        np.vstack([mrio.F.to_numpy(dtype=float), industry_row[None, :]]),
        index=pd.Index([*mrio.F.index, stressor], name="stressor"),
        columns=mrio.F.columns,
    )
    F_Y = pd.DataFrame(
        np.vstack([mrio.F_Y.to_numpy(dtype=float), fy_row[None, :]]),
        index=pd.Index([*mrio.F_Y.index, stressor], name="stressor"),
        columns=mrio.F_Y.columns,
    )
    previous: Mapping[str, Any] = mrio.notes.get("emissions", {})
    record = {
        "unit": unit,
        "principle": principle,
        "source": source_note,
        "concordance": concordance.source,
        "allocation": "gross-output shares within each region (docs/methods.md, concordance section)",
        "fold_missing": fold_missing,
        "allocation_report": allocation.report,
        "households": household_record,
    }
    notes = {**dict(mrio.notes), "emissions": {**dict(previous), stressor: record}}
    return dataclasses.replace(
        mrio, F=F, F_Y=F_Y, stressor_units={**dict(mrio.stressor_units), stressor: unit}, notes=notes
    )
