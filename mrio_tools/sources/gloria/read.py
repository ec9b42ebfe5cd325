"""GLORIA's five CSVs of one year streamed into preallocated arrays, checked, and made an `MRIO`."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mrio_tools.errors import DataFileError
from mrio_tools.mrio.container import MRIO
from mrio_tools.sources.gloria.construct import CONSTRUCT_MODELS, Construct, construct_in_place
from mrio_tools.sources.gloria.stream import Member, row_chunks, selected_rows

_FIX = "Fix: use the publisher's files unchanged (read-me sheet 'MR-SUT structure')"


def _refuse(member: Member, line: int, field: int, what: str) -> DataFileError:
    return DataFileError(
        f"{member.shown}, line {line}, field {field}: a non-zero value where {what} must be empty. {_FIX}"
    )


def _first_nonzero(block: np.ndarray, mask: np.ndarray) -> tuple[int, int]:
    i, j = np.argwhere((block != 0) & mask)[0]
    return int(i), int(j)


def _stream_t(member: Member, n_reg: int, n_sec: int) -> tuple[np.ndarray, np.ndarray]:
    """U (products x industries, RS x RS) and the supply blocks V_r (R x S x S) from T-Results."""
    ns, n2 = n_reg * n_sec, 2 * n_reg * n_sec
    U = np.empty((ns, ns), dtype=np.float64)
    V_blocks = np.zeros((n_reg, n_sec, n_sec), dtype=np.float64)
    is_industry_col = np.tile(np.repeat([True, False], n_sec), n_reg)
    for row0, block in row_chunks(member, n_rows=n2, n_cols=n2):
        for i, values in enumerate(block):
            g = row0 + i
            r, within = divmod(g, 2 * n_sec)
            if within < n_sec:  # industry row: supply of region r's products only
                own = slice(r * 2 * n_sec + n_sec, (r + 1) * 2 * n_sec)
                V_blocks[r, within] = values[own]
                if np.count_nonzero(values) != np.count_nonzero(values[own]):
                    mask = np.ones(n2, dtype=bool)
                    mask[own] = False
                    _, j = _first_nonzero(values[np.newaxis, :], mask[np.newaxis, :])
                    raise _refuse(
                        member, g + 1, j + 1, "supply by an industry outside its own region's products"
                    )
            else:  # product row: use by every region's industries
                U[r * n_sec + within - n_sec] = values[is_industry_col]
                if np.count_nonzero(values[~is_industry_col]):
                    _, j = _first_nonzero(values[np.newaxis, :], ~is_industry_col[np.newaxis, :])
                    raise _refuse(member, g + 1, j + 1, "products bought by products")
    return U, V_blocks


def _stream_rows(
    member: Member, n_rows: int, n_cols: int, keep: np.ndarray, what: str | None
) -> tuple[np.ndarray, list[int]]:
    """Rows of a CSV whose `keep` flag is set, in order; the others must be zero unless `what` is None."""
    kept = np.flatnonzero(keep)
    out = np.zeros((kept.size, n_cols), dtype=np.float64)
    position = {int(r): k for k, r in enumerate(kept)}
    for row0, block in row_chunks(member, n_rows=n_rows, n_cols=n_cols):
        rows = np.arange(row0, row0 + block.shape[0])
        mine = keep[rows]
        for k in np.flatnonzero(mine):
            out[position[int(rows[k])]] = block[k]
        if what is not None and np.count_nonzero(block[~mine]):
            i, j = _first_nonzero(block, ~mine[:, np.newaxis] & np.ones_like(block, dtype=bool))
            raise _refuse(member, row0 + i + 1, j + 1, what)
    return out, [int(r) for r in kept]


@functools.lru_cache(maxsize=2)
def _labels_cached(key: tuple[str, int, int]) -> Any:
    from mrio_tools.sources.gloria_labels import read_gloria_labels

    return read_gloria_labels(Path(key[0]), sizes=None)


def labels_once(readme: Path) -> Any:
    """The read-me's labels, read once per process and file version (path, modification time, size)."""
    stat = readme.stat()
    return _labels_cached((str(readme.resolve()), stat.st_mtime_ns, stat.st_size))


def read_blocks(
    readme: Path, members: Mapping[str, Member], year: int, *, construct: Construct, co2_inventory: str
) -> MRIO:
    """The MRIO of one GLORIA year from its files (see `mrio_tools.sources.gloria.read_gloria`)."""
    from mrio_tools.sources.gloria import (
        CITATION,
        GLORIA_OWN_REGIONS,
        MONETARY_UNIT,
        PRICE_BASIS,
        REGION_RENAMES,
        VERSION,
        co2_rows,
    )

    if not readme.is_file():
        raise DataFileError(f"{readme}: no such file. Fix: put the GLORIA read-me beside the yearly zips")
    labels = labels_once(readme)
    codes = [REGION_RENAMES.get(c, c) for c in labels.regions["code"]]
    sectors = list(labels.sectors["name"])
    categories = list(labels.final_demand["name"])
    components = list(labels.value_added["name"])
    n_reg, n_sec, n_cat, n_va = len(codes), len(sectors), len(categories), len(components)
    ns, n2, m = n_reg * n_sec, 2 * n_reg * n_sec, n_reg * n_cat
    rows = pd.MultiIndex.from_product([codes, sectors], names=["region", "sector"])
    row_labels = [f"{r} {s}" for r, s in rows]

    U, V_blocks = _stream_t(members["T"], n_reg, n_sec)
    industry_rows = np.tile(np.repeat([True, False], n_sec), n_reg)
    Y_full, _ = _stream_rows(
        members["Y"], n2, m, ~industry_rows, "final demand of an industry (not a product)"
    )
    Y_p = Y_full
    va_rows, _ = _stream_rows(members["V"], n_reg * n_va, n2, np.ones(n_reg * n_va, dtype=bool), None)
    if np.count_nonzero(va_rows[:, ~industry_rows]):
        i, j = _first_nonzero(va_rows, ~industry_rows[np.newaxis, :] & np.ones_like(va_rows, dtype=bool))
        raise _refuse(members["V"], i + 1, j + 1, "value added of a product (not an industry)")
    VA = va_rows[:, industry_rows].reshape(n_reg, n_va, ns).sum(axis=0)

    total, land, names = co2_rows(labels.satellites, co2_inventory)  # type: ignore[arg-type]
    n_sat = len(labels.satellites)
    kept = sorted(n - 1 for n in (total, *land))
    tq = selected_rows(members["TQ"], n_rows=n_sat, n_cols=n2, rows=kept)
    if np.count_nonzero(tq[:, ~industry_rows]):
        i, j = _first_nonzero(tq, ~industry_rows[np.newaxis, :] & np.ones_like(tq, dtype=bool))
        raise _refuse(members["TQ"], kept[i] + 1, j + 1, "emissions of a product (not an industry)")
    yq = selected_rows(members["YQ"], n_rows=n_sat, n_cols=m, rows=kept)
    sign = np.array([1.0 if n == total else -1.0 for n in (k + 1 for k in kept)])
    F = (sign @ tq[:, industry_rows])[np.newaxis, :]
    F_Y = (sign @ yq)[np.newaxis, :]

    q = V_blocks.sum(axis=1).ravel()
    imbalance = U.sum(axis=1) + Y_p.sum(axis=1) - q
    worst = int(np.argmax(np.abs(imbalance))) if ns else 0
    construct_in_place(U, Y_p, F, VA, V_blocks, construct=construct, labels=row_labels)

    columns = pd.MultiIndex.from_product([codes, categories], names=["region", "category"])
    stressor = pd.Index(["CO2"], name="stressor")
    notes: dict[str, Any] = {
        "citation": CITATION,
        "files": sorted({m.shown for m in members.values()} | {readme.name}),
        "construct": construct,
        "construct_model": CONSTRUCT_MODELS[construct],
        "co2_definition": f"{names[0]} minus {', '.join(names[1:])} (land use, IPCC 3B)",
        "co2_satellite_rows": {"total": total, "land_subtracted": land},
        "co2_excluded": "short-cycle organic carbon (co2_org_short_cycle_c rows); land use (IPCC 3B)",
        "regions_renamed": dict(REGION_RENAMES),
        "regions_not_iso3": {c: GLORIA_OWN_REGIONS[c] for c in codes if c in GLORIA_OWN_REGIONS},
        "product_balance": {
            "definition": "product use U1 + Y1 minus supply V'1, before construction",
            "max_abs": float(abs(imbalance[worst])) if ns else 0.0,
            "at": row_labels[worst] if ns else None,
            "unit": MONETARY_UNIT,
        },
        "classification": f"{n_reg} regions x {n_sec} sectors (read-me {labels.file})",
    }
    return MRIO(
        Z=pd.DataFrame(U, index=rows, columns=rows.copy(), copy=False),
        Y=pd.DataFrame(Y_p, index=rows.copy(), columns=columns, copy=False),
        F=pd.DataFrame(F, index=stressor, columns=rows.copy()),
        F_Y=pd.DataFrame(F_Y, index=stressor.copy(), columns=columns.copy()),
        monetary_unit=MONETARY_UNIT,
        stressor_units={"CO2": "kt"},
        source="gloria",
        version=f"GLORIA release {VERSION}",
        year=year,
        price_basis=PRICE_BASIS,
        notes=notes,
        value_added=pd.DataFrame(VA, index=pd.Index(components, name="component"), columns=rows.copy()),
    )


__all__ = ["read_blocks"]
