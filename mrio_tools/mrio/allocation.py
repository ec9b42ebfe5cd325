"""Emissions in another sector classification allocated onto a table's sectors by gross-output shares.

Implements docs/methods.md, "Emissions from another classification (concordance)":

    F_table[r, j] = sum_i F_src[r, i] * x[r, j] / sum_{j' linked to i} x[r, j']

where i runs over the emission source's sectors, j over the table's sectors linked to i by a
`Concordance`, and x is the table's gross output in region r. Every region's total is preserved
exactly; emissions are never dropped and never put on a sector with zero output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from mrio_tools.errors import ConcordanceError, ValidationError, listed
from mrio_tools.mrio.concordance import Concordance

#: relative tolerance for the per-region totals check
TOTAL_RTOL: Final = 1e-9


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
    """Raise unless `series` is a Series indexed by `names`, without duplicates, NaN or infinities."""
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


def fold_map(
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


def totals_check(
    before: np.ndarray, after: np.ndarray, scale: np.ndarray, regions: list[str], what: str
) -> None:
    """Raise if a region's total changed by more than TOTAL_RTOL of its absolute emissions."""
    bad = np.flatnonzero(np.abs(after - before) > TOTAL_RTOL * scale)
    if bad.size:
        cases = [f"{regions[i]} ({before[i]!r} -> {after[i]!r})" for i in bad]
        raise ConcordanceError(f"{what}: regional totals not preserved: {listed(cases)}")


def _output_matrix(gross_output: pd.Series) -> tuple[np.ndarray, list[str], list[str], list[tuple[str, str]]]:
    """x as a region x sector matrix with negative entries set to 0, its labels, and those entries."""
    regions = list(gross_output.index.get_level_values("region").unique())
    sectors = list(gross_output.index.get_level_values("sector").unique())
    if len(gross_output) != len(regions) * len(sectors):
        raise ValidationError("gross_output: regions do not all have the same sectors. Fix: fill with zeros")
    X = _matrix(gross_output, regions, sectors, "sector")
    # a negative output (rounding in published tables) is no output: it never receives emissions
    negative = [(str(regions[r]), str(sectors[t])) for r, t in zip(*np.nonzero(X < 0), strict=True)]
    return np.maximum(X, 0.0), regions, sectors, negative


def _check_sectors(emissions: pd.Series, concordance: Concordance, table_sectors: list[str]) -> None:
    """Raise unless every emission sector is in the concordance and every target is a table sector."""
    source_sectors = concordance.source_sectors
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


def _link_matrices(concordance: Concordance, table_sectors: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Indicator matrices (source sector x table sector) of the primary (P) and fallback (B) links."""
    source_sectors = list(concordance.source_sectors)
    position = {s: k for k, s in enumerate(table_sectors)}
    P = np.zeros((len(source_sectors), len(table_sectors)))
    B = np.zeros_like(P)
    for link in concordance.links:
        matrix = P if link.role == "primary" else B
        matrix[source_sectors.index(link.source_sector), position[link.target_sector]] = 1.0
    return P, B


def _shares(
    E: np.ndarray, X: np.ndarray, concordance: Concordance, regions: list[str], table_sectors: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Shares[r, i, j] of source sector i's emissions in region r that go to table sector j.

    Also returns where the fallback targets are used (region x source sector). Raises
    `ConcordanceError` where emissions have neither a primary nor a fallback target with output.
    """
    P, B = _link_matrices(concordance, table_sectors)
    denom_p = X @ P.T  # output of the linked targets per (region, source sector)
    denom_b = X @ B.T
    use_fallback = (denom_p <= 0) & (E != 0)
    stuck = use_fallback & (denom_b <= 0)
    if stuck.any():
        source_sectors = concordance.source_sectors
        cases = [
            f"{regions[r]} {source_sectors[s]} ({E[r, s]:.6g}; primary "
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
    return np.where(use_fallback[:, :, None], shares_b, shares_p), use_fallback


def _fallback_cases(
    E: np.ndarray,
    shares: np.ndarray,
    use_fallback: np.ndarray,
    concordance: Concordance,
    regions: list[str],
    table_sectors: list[str],
) -> list[dict[str, Any]]:
    """One record per (region, source sector) that used its fallback targets, with what each received."""
    source_sectors = concordance.source_sectors
    cases = []
    for r, s in zip(*np.nonzero(use_fallback), strict=True):
        sector = source_sectors[s]
        received = {table_sectors[t]: float(E[r, s] * shares[r, s, t]) for t in np.flatnonzero(shares[r, s])}
        cases.append(
            {
                "region": str(regions[r]),
                "source_sector": sector,
                "emissions": float(E[r, s]),
                "primary_targets": list(concordance.targets(sector, "primary")),
                "fallback_targets": list(concordance.targets(sector, "fallback")),
                "allocated": received,
            }
        )
    return cases


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

    Returns
    -------
    Allocation
        The allocated emissions (same unit as `emissions`) and the report of folds and fallbacks.
    """
    _check_levels(emissions, ("region", "source_sector"), "emissions")
    _check_levels(gross_output, ("region", "sector"), "gross_output")
    X, table_regions, table_sectors, negative = _output_matrix(gross_output)
    _check_sectors(emissions, concordance, table_sectors)
    folds = fold_map(
        list(emissions.index.get_level_values("region").unique()),
        table_regions,
        rest_of_world=rest_of_world,
        fold_missing=fold_missing,
        what="emissions",
    )
    moved = emissions.rename(index=folds, level="region") if folds else emissions
    absent = [r for r in table_regions if r not in set(moved.index.get_level_values("region"))]
    if absent:
        raise ConcordanceError(
            f"emissions have no data for table regions {listed(absent)}. Fix: supply their emissions "
            "(zeros where a region truly has none) or fold them into another region"
        )
    E = _matrix(moved, table_regions, list(concordance.source_sectors), "source_sector")
    shares, use_fallback = _shares(E, X, concordance, table_regions, table_sectors)
    F = np.einsum("rs,rst->rt", E, shares)
    # the totals check compares with the emission series itself, not with the matrix built from it
    before = moved.groupby(level="region").sum().reindex(table_regions).to_numpy(dtype=float)
    scale = moved.abs().groupby(level="region").sum().reindex(table_regions).to_numpy(dtype=float)
    totals_check(before, F.sum(axis=1), scale, table_regions, concordance.source)
    values = pd.Series(
        F.ravel(),
        index=pd.MultiIndex.from_product([table_regions, table_sectors], names=["region", "sector"]),
    ).reindex(gross_output.index)
    values.name = emissions.name
    totals_before = emissions.groupby(level="region", sort=False).sum()
    report: dict[str, Any] = {
        "rest_of_world": rest_of_world,
        "folded_regions": {str(k): str(v) for k, v in folds.items()},
        "fallback_cases": _fallback_cases(E, shares, use_fallback, concordance, table_regions, table_sectors),
        "negative_output_treated_as_zero": [list(label) for label in negative],
        "totals_before": {str(k): float(v) for k, v in totals_before.items()},
        "totals_after": {
            str(region): float(total) for region, total in zip(table_regions, F.sum(axis=1), strict=True)
        },
    }
    return Allocation(values=values, report=report)
