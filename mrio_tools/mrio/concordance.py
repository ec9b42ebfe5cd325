"""Sector concordances, and emissions from another classification allocated onto a table (totals preserved).

Implements docs/methods.md, section "Emissions from another classification (concordance)":

    F_table[r, j] = sum_i F_src[r, i] * x[r, j] / sum_{j' linked to i} x[r, j']

where i runs over the emission source's sectors, j over the table's sectors linked to i, and x is the
table's gross output in region r. Every region's total is preserved exactly; emissions are never
dropped and never put on a sector with zero output.

Concordance file layout (CSV, UTF-8, one header line, one link per line)::

    source_sector,target_sector,role,note
    G45,c19,primary,motor-vehicle trade is ISIC Rev.3 50
    G45,c20,fallback,used only where c19 has no output in a region

- ``source_sector``: a sector code of the emission source's classification;
- ``target_sector``: a sector code of the table;
- ``role``: ``primary`` (a normal link) or ``fallback`` (targets used only where every primary target
  of that source sector has zero gross output in a region);
- ``note``: free text, the reason for the link (may be empty; one-to-many links should explain the
  judgment).

Every source sector needs at least one primary link; a (source, target) pair appears once.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from mrio_tools.errors import ConcordanceError, DataFileError, ValidationError, listed
from mrio_tools.mrio.container import MRIO
from mrio_tools.units import conversion_factor

#: columns of a concordance file, in this order
COLUMNS: Final = ("source_sector", "target_sector", "role", "note")
#: allowed values of the ``role`` column
ROLES: Final = ("primary", "fallback")
#: accounting principles an emission source can follow (docs/methods.md, last paragraph of the section)
PRINCIPLES: Final = ("residence", "territorial")
#: relative tolerance for the per-region totals check
TOTAL_RTOL: Final = 1e-9


# ------------------------------------------------------------------------ concordance
@dataclass(frozen=True)
class Link:
    """One row of a concordance: a source sector linked to a table sector."""

    source_sector: str
    target_sector: str
    role: str
    note: str


@dataclass(frozen=True)
class Concordance:
    """A validated sector concordance (source classification -> table classification).

    `source` says where it came from (a file path or a description) and is written into the notes
    of every table the concordance is used on.
    """

    links: tuple[Link, ...]
    source: str

    @property
    def source_sectors(self) -> tuple[str, ...]:
        """Source sectors in the order of their first link."""
        return tuple(dict.fromkeys(link.source_sector for link in self.links))

    @property
    def target_sectors(self) -> tuple[str, ...]:
        """Every table sector named as a primary or fallback target, in order of first mention."""
        return tuple(dict.fromkeys(link.target_sector for link in self.links))

    def targets(self, source_sector: str, role: str) -> tuple[str, ...]:
        """Targets of `source_sector` with `role` (``primary`` or ``fallback``), in file order."""
        if role not in ROLES:
            raise ValueError(f"role {role!r} is not one of {ROLES}")
        return tuple(
            link.target_sector
            for link in self.links
            if link.source_sector == source_sector and link.role == role
        )


def concordance_from_frame(table: pd.DataFrame, *, source: str) -> Concordance:
    """Validate a table in the concordance layout (module docstring) and return a `Concordance`.

    `source` names where the table came from; error messages cite it with the line number the row
    has in a CSV file with one header line (row 0 is line 2).
    """
    if tuple(table.columns) != COLUMNS:
        raise ConcordanceError(
            f"{source}: columns are {list(table.columns)}, expected {list(COLUMNS)}. "
            "Fix: write the header line 'source_sector,target_sector,role,note'"
        )
    links: list[Link] = []
    first_line: dict[tuple[str, str], int] = {}
    for position, row in enumerate(table.itertuples(index=False, name=None)):
        line = position + 2
        fields = [
            "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()
            for value in row
        ]
        src, tgt, role, note = fields
        empty = [name for name, value in zip(COLUMNS[:3], fields[:3], strict=True) if not value]
        if empty:
            raise ConcordanceError(
                f"{source}, line {line}: empty {', '.join(empty)}. Fix: fill the field(s) or delete the line"
            )
        if role not in ROLES:
            raise ConcordanceError(
                f"{source}, line {line}: role {role!r} for {src} -> {tgt} is not one of {list(ROLES)}"
            )
        key = (src, tgt)
        if key in first_line:
            raise ConcordanceError(
                f"{source}, line {line}: duplicate link {src} -> {tgt} (first on line {first_line[key]}). "
                "Fix: keep one line per (source_sector, target_sector) pair"
            )
        first_line[key] = line
        links.append(Link(src, tgt, role, note))
    if not links:
        raise ConcordanceError(f"{source}: the concordance has no links")
    concordance = Concordance(links=tuple(links), source=source)
    no_primary = [s for s in concordance.source_sectors if not concordance.targets(s, "primary")]
    if no_primary:
        raise ConcordanceError(
            f"{source}: source sectors {listed(no_primary)} have fallback links but no primary link. "
            "Fix: mark their normal targets as role 'primary'"
        )
    return concordance


def read_concordance(path: Path) -> Concordance:
    """Read and validate a concordance CSV file (layout in the module docstring)."""
    if not path.is_file():
        raise DataFileError(f"{path}: concordance file not found. Fix: pass the path of an existing CSV file")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise DataFileError(f"{path}: not a readable CSV concordance ({err})") from err
    return concordance_from_frame(table, source=str(path))


#: concordances shipped in mrio_tools/data/concordances/, by name (file stem)
SHIPPED_CONCORDANCES: Final = ("wiod2016_to_wiod2013",)


def shipped_concordance(name: str) -> Concordance:
    """Read a concordance shipped with the package (see `SHIPPED_CONCORDANCES`).

    Its `source` is the package-relative file name, so metadata do not carry local paths.
    """
    if name not in SHIPPED_CONCORDANCES:
        raise ConcordanceError(f"no shipped concordance {name!r}; available: {list(SHIPPED_CONCORDANCES)}")
    relative = f"data/concordances/{name}.csv"
    resource = importlib.resources.files("mrio_tools").joinpath(relative)
    with importlib.resources.as_file(resource) as path:
        concordance = read_concordance(path)
    return dataclasses.replace(concordance, source=f"mrio_tools/{relative}")


# ------------------------------------------------------------------------- allocation
@dataclass(frozen=True, eq=False)
class Allocation:
    """Emissions allocated onto a table's sectors, with the record of how.

    `values` is indexed (region, sector) in the table's order. `report` holds plain (JSON-ready)
    data: ``rest_of_world``, ``folded_regions`` (country -> region it was added to),
    ``fallback_cases`` (one dict per region and source sector that used its fallback targets),
    ``totals_before`` (per region of the emission data, folded countries included),
    ``totals_after`` (per table region) and ``negative_output_treated_as_zero`` ((region, sector)
    labels whose negative output counted as none).
    """

    values: pd.Series
    report: dict[str, Any]


def _check_levels(series: pd.Series, names: tuple[str, ...], what: str) -> None:
    if not isinstance(series, pd.Series):
        raise ValidationError(f"{what} is a {type(series).__name__}, not a pandas Series")
    if tuple(series.index.names) != names:
        raise ValidationError(
            f"{what} is indexed by {list(series.index.names)}, expected {list(names)}. "
            f"Fix: name the index levels {list(names)}"
        )
    if series.index.has_duplicates:
        dup = series.index[series.index.duplicated()].unique().tolist()
        raise ValidationError(f"{what} has duplicate labels {listed(dup)}. Fix: sum them first")
    values = series.to_numpy(dtype=float)
    bad = series.index[~np.isfinite(values)].tolist()
    if bad:
        raise ValidationError(f"{what} has NaN or infinite values at {listed(bad)}")


def _matrix(series: pd.Series, rows: list[str], columns: list[str], column_level: str) -> np.ndarray:
    """Dense (region x `column_level`) matrix of `series`; absent pairs are 0, duplicates are summed."""
    r = pd.Index(rows).get_indexer(series.index.get_level_values("region"))
    c = pd.Index(columns).get_indexer(series.index.get_level_values(column_level))
    if (r < 0).any() or (c < 0).any():  # callers check labels first; this guards against a silent wrap
        raise ValidationError(f"internal: labels of {series.name!r} outside {rows} x {columns}")
    matrix = np.zeros((len(rows), len(columns)))
    np.add.at(matrix, (r, c), series.to_numpy(dtype=float))
    return matrix


def _fold_map(
    emission_regions: list[str],
    table_regions: list[str],
    *,
    rest_of_world: str | None,
    fold_missing: bool,
    what: str,
) -> dict[str, str]:
    """Map each emission region the table lacks to `rest_of_world`, or raise with the fix."""
    missing = [r for r in emission_regions if r not in table_regions]
    if not missing:
        return {}
    if not fold_missing:
        raise ConcordanceError(
            f"{what} has regions the table does not have: {listed(missing)}. Fix: pass fold_missing=True "
            "and name the table's rest-of-world region (rest_of_world=...) to add them to it, or map "
            "them to table regions first"
        )
    if rest_of_world is None or rest_of_world not in table_regions:
        raise ConcordanceError(
            f"{what}: cannot fold {listed(missing)} into rest_of_world={rest_of_world!r}, which is not a "
            f"region of the table ({listed(table_regions)}). Fix: name the table's rest-of-world region"
        )
    return dict.fromkeys(missing, rest_of_world)


def _totals_check(
    before: np.ndarray, after: np.ndarray, scale: np.ndarray, regions: list[str], what: str
) -> None:
    """Raise if a region's total changed by more than TOTAL_RTOL of its absolute emissions."""
    bad = np.flatnonzero(np.abs(after - before) > TOTAL_RTOL * scale)
    if bad.size:
        cases = [f"{regions[i]} ({before[i]!r} -> {after[i]!r})" for i in bad]
        raise ConcordanceError(f"{what}: regional totals not preserved: {listed(cases)}")


def allocate(
    emissions: pd.Series,
    concordance: Concordance,
    gross_output: pd.Series,
    *,
    rest_of_world: str | None,
    fold_missing: bool,
) -> Allocation:
    """Allocate emissions in a source classification onto a table's sectors by gross-output shares.

    docs/methods.md, "Emissions from another classification (concordance)"::

        F_table[r, j] = sum_i F_src[r, i] * x[r, j] / sum_{j' in T(i)} x[r, j']

    with T(i) the primary targets of source sector i; where every primary target has zero output in
    region r, T(i) is the fallback targets instead (the case is listed in ``report``), and if those
    have zero output too, `ConcordanceError` names the region and sector (a negative output, e.g.
    from rounding in a published table, counts as zero and is listed). Zero emissions need no
    target. Emission regions the table lacks are added to `rest_of_world` before allocation when
    `fold_missing` is true (listed in ``report``), and raise otherwise. (region, source_sector)
    pairs absent from `emissions` count as zero; a table region with no emission data at all raises.

    Parameters
    ----------
    emissions
        Indexed (``region``, ``source_sector``), in any unit (the result has the same unit).
    concordance
        Source sectors -> table sectors; every source sector in `emissions` must be in it, and every
        target must be a sector of the table.
    gross_output
        The table's x, indexed (``region``, ``sector``), every region with the same sectors.
    rest_of_world
        The table's region that receives regions it lacks (None if there is none).
    fold_missing
        Whether emission regions absent from the table are folded into `rest_of_world`.
    """
    _check_levels(emissions, ("region", "source_sector"), "emissions")
    _check_levels(gross_output, ("region", "sector"), "gross_output")
    table_regions = list(gross_output.index.get_level_values("region").unique())
    table_sectors = list(gross_output.index.get_level_values("sector").unique())
    if len(gross_output) != len(table_regions) * len(table_sectors):
        raise ValidationError("gross_output: regions do not all have the same sectors. Fix: fill with zeros")
    X = _matrix(gross_output, table_regions, table_sectors, "sector")
    # a negative output (rounding in published tables) is no output: it never receives emissions
    negative = [
        (str(table_regions[r]), str(table_sectors[t])) for r, t in zip(*np.nonzero(X < 0), strict=True)
    ]
    X = np.maximum(X, 0.0)

    source_sectors = list(concordance.source_sectors)
    unmapped = [
        s for s in emissions.index.get_level_values("source_sector").unique() if s not in source_sectors
    ]
    if unmapped:
        raise ConcordanceError(
            f"{concordance.source}: source sectors {listed(unmapped)} of the emissions are not in the "
            "concordance. Fix: add a line 'source_sector,target_sector,primary,note' for each"
        )
    unknown = [t for t in concordance.target_sectors if t not in table_sectors]
    if unknown:
        raise ConcordanceError(
            f"{concordance.source}: target sectors {listed(unknown)} are not sectors of the table "
            f"({listed(table_sectors)}). Fix: correct the target_sector codes or use the concordance "
            "written for this table"
        )

    emission_regions = list(emissions.index.get_level_values("region").unique())
    folds = _fold_map(
        emission_regions,
        table_regions,
        rest_of_world=rest_of_world,
        fold_missing=fold_missing,
        what="emissions",
    )
    totals_before = emissions.groupby(level="region", sort=False).sum()
    moved = emissions.rename(index=folds, level="region") if folds else emissions
    absent = [r for r in table_regions if r not in set(moved.index.get_level_values("region"))]
    if absent:
        raise ConcordanceError(
            f"emissions have no data for table regions {listed(absent)}. Fix: supply their emissions "
            "(zeros where a region truly has none) or fold them into another region"
        )
    E = _matrix(moved, table_regions, source_sectors, "source_sector")
    # the totals check compares with the emission series itself, not with the matrix built from it
    before = moved.groupby(level="region").sum().reindex(table_regions).to_numpy(dtype=float)
    scale = moved.abs().groupby(level="region").sum().reindex(table_regions).to_numpy(dtype=float)

    position = {s: k for k, s in enumerate(table_sectors)}
    P = np.zeros((len(source_sectors), len(table_sectors)))
    B = np.zeros_like(P)
    for link in concordance.links:
        matrix = P if link.role == "primary" else B
        matrix[source_sectors.index(link.source_sector), position[link.target_sector]] = 1.0

    # output of the linked targets per (region, source sector)
    denom_p = X @ P.T
    denom_b = X @ B.T
    use_fallback = (denom_p <= 0) & (E != 0)
    stuck = use_fallback & (denom_b <= 0)
    if stuck.any():
        cases = [
            f"{table_regions[r]} {source_sectors[s]} ({E[r, s]:.6g}; primary "
            f"{list(concordance.targets(source_sectors[s], 'primary'))}, fallback "
            f"{list(concordance.targets(source_sectors[s], 'fallback'))})"
            for r, s in zip(*np.nonzero(stuck), strict=True)
        ]
        raise ConcordanceError(
            f"{concordance.source}: emissions with no producing target, every primary and fallback target "
            f"has zero gross output: {listed(cases)}. Fix: add fallback targets with output in these regions"
        )
    shares_p = P[None, :, :] * X[:, None, :] / np.where(denom_p > 0, denom_p, 1.0)[:, :, None]
    shares_b = B[None, :, :] * X[:, None, :] / np.where(denom_b > 0, denom_b, 1.0)[:, :, None]
    shares = np.where(use_fallback[:, :, None], shares_b, shares_p)
    F = np.einsum("rs,rst->rt", E, shares)

    _totals_check(before, F.sum(axis=1), scale, table_regions, concordance.source)
    values = pd.Series(
        F.ravel(),
        index=pd.MultiIndex.from_product([table_regions, table_sectors], names=["region", "sector"]),
    )
    values = values.reindex(gross_output.index)
    values.name = emissions.name

    fallback_cases = []
    for r, s in zip(*np.nonzero(use_fallback), strict=True):
        sector = source_sectors[s]
        received = {table_sectors[t]: float(E[r, s] * shares[r, s, t]) for t in np.flatnonzero(shares[r, s])}
        fallback_cases.append(
            {
                "region": str(table_regions[r]),
                "source_sector": sector,
                "emissions": float(E[r, s]),
                "primary_targets": list(concordance.targets(sector, "primary")),
                "fallback_targets": list(concordance.targets(sector, "fallback")),
                "allocated": received,
            }
        )
    report: dict[str, Any] = {
        "rest_of_world": rest_of_world,
        "folded_regions": {str(k): str(v) for k, v in folds.items()},
        "fallback_cases": fallback_cases,
        "negative_output_treated_as_zero": [list(label) for label in negative],
        "totals_before": {str(k): float(v) for k, v in totals_before.items()},
        "totals_after": {
            str(region): float(total) for region, total in zip(table_regions, F.sum(axis=1), strict=True)
        },
    }
    return Allocation(values=values, report=report)


# -------------------------------------------------------------------- onto an MRIO
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
    `industry` (indexed ``region``, ``source_sector``) allocated onto the table's sectors by gross
    output x = Z1 + Y1. The new row of F_Y holds `households` (indexed ``region``: direct emissions of
    households, e.g. fuel burnt in homes and cars) in the `household_category` column of each region
    and zero elsewhere; households of regions folded into `rest_of_world` go to its column. Pass
    ``households=None, household_category=None`` where the source has no household emissions.

    `unit` must be a mass (``kg``, ``t``, ``kt``, ``Mt``, ``Gt``, optionally with a substance, see
    `mrio_tools.units`). `principle` is ``residence`` (national accounts: includes bunker fuels of
    resident operators) or ``territorial`` (UNFCCC, Global Carbon Project). The notes gain
    ``emissions[stressor]`` with the unit, principle, `source_note`, the concordance's source, the
    allocation report and the household totals.
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
    table_regions = list(mrio.regions)
    fy_row = np.zeros(len(mrio.Y.columns))
    household_record: dict[str, Any] = {"category": household_category}
    if households is not None and household_category is not None:
        if not isinstance(households, pd.Series) or tuple(households.index.names) != ("region",):
            raise ValidationError("households must be a pandas Series indexed by 'region'")
        if household_category not in mrio.categories:
            raise ValidationError(
                f"household_category {household_category!r} is not a final-demand category of the table "
                f"({list(mrio.categories)})"
            )
        values = households.to_numpy(dtype=float)
        if households.index.has_duplicates or not np.isfinite(values).all():
            raise ValidationError("households has duplicate regions or NaN/infinite values")
        folds = _fold_map(
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
            [table_regions, [household_category] * len(table_regions)], names=["region", "category"]
        )
        # every region has the category (MRIO checks that Y is rectangular), so no -1 positions
        fy_row[mrio.Y.columns.get_indexer(columns)] = moved.to_numpy(dtype=float)
        placed = pd.Series(fy_row, index=mrio.Y.columns).groupby(level="region", sort=False).sum()
        scale = households.abs().rename(index=folds).groupby(level="region").sum().reindex(table_regions)
        _totals_check(
            moved.to_numpy(dtype=float),
            placed.reindex(table_regions).to_numpy(dtype=float),
            scale.to_numpy(dtype=float),
            table_regions,
            "household emissions",
        )
        household_record.update(
            folded_regions={str(k): str(v) for k, v in folds.items()},
            totals_before={str(k): float(v) for k, v in households.items()},
            totals_after={str(k): float(v) for k, v in moved.items()},
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
