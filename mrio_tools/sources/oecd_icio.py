"""Reader for OECD ICIO tables (ICIO2021_YYYY.csv, ICIO2023_YYYY.csv, ...) with CO2 from TECO2 or a user CSV.

OECD Inter-Country Input-Output tables (OECD 2021 and 2023 editions; free, OECD terms and
conditions): 2021 edition 66 economies + ROW (with China and Mexico split into CN1/CN2 and MX1/MX2)
x 45 industries, 1995-2018, M USD, basic prices. The tables carry no emissions.

Layout (one wide CSV per year, comma-separated, one header line, labels in the first column):
rows ``AUS_01T02`` (region code ``_`` industry code) ..., then ``TLS`` (taxes less subsidies on
intermediate and final products), ``VA`` (value added) and ``OUT`` (gross output); columns the same
industries, then final demand ``AUS_HFCE, AUS_NPISH, AUS_GGFC, AUS_GFCF, AUS_INVNT, AUS_DPABR`` per
region, then ``OUT``. Older editions: ``VALU``/``OUTPUT``/``XXX_TAXSUB`` rows, reversed final-demand
codes (``HFCE_AUS``) and a ``DISC`` column (2016). The CSV may be zipped (one file per zip).

Split regions: ``CN1`` (China, activities other than processing exports) and ``CN2`` (processing
exports), ``MX1``/``MX2`` for Mexico (global manufacturing); they have production rows and columns
but no final-demand columns. Option ``split_regions``: ``aggregate`` (default, as pymrio's
parse_oecd does) sums them into CHN and MEX; ``keep`` keeps them as regions of production with zero
final-demand columns (their consumption is CHN's and MEX's), and splits CHN's and MEX's industry
emissions over the parent and its parts by gross output of the same industry.

Why not `pymrio.parse_oecd`: it always aggregates the split regions and fills empty cells with 0;
here an empty cell is an error naming it, ``keep`` is possible, and the TLS/VA rows become
value added. The tests check the aggregated table against parse_oecd on the same file.

Emissions (option ``emissions``): ``teco2`` reads the OECD TECO2 PROD_CO2 sheet (`oecd_teco2`,
Mt, residence principle, industries only: no household direct emissions, F_Y is zero) given as
--emissions; ``csv`` reads a user table in the `emissions_csv` layout (``--principle`` then says
whether it is residence- or territory-based). TECO2 industry codes ``D01T02`` map onto the table's
``01T02`` (the same 45 industries); countries the table lacks are folded into ROW; allocation and
checks by `mrio_tools.mrio.concordance.attach_emissions` (docs/methods.md, "Emissions from another
classification (concordance)").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, get_args

import numpy as np
import pandas as pd

from mrio_tools.choices import IcioEmissions, IcioSplitRegions
from mrio_tools.errors import DataFileError, YearNotAvailableError
from mrio_tools.mrio.attach import PRINCIPLES, attach_emissions
from mrio_tools.mrio.concordance import COLUMNS, concordance_from_frame
from mrio_tools.mrio.container import MRIO
from mrio_tools.sources.harmonise import iso3_codes, rename_regions
from mrio_tools.sources.spec import SourceOption, SourceRequest, SourceSpec, need

SOURCE: Final = "OECD ICIO"
CITATION: Final = "OECD (2021, 2023), Inter-Country Input-Output (ICIO) Tables, http://oe.cd/icio"
FILE_RE: Final = re.compile(r"^ICIO(?P<edition>\d{4})_(?P<year>\d{4})\.(csv|CSV|zip)$")
REST_OF_WORLD: Final = "ROW"
#: split region -> (parent, what it is)
SPLIT_REGIONS: Final[Mapping[str, tuple[str, str]]] = {
    "CN1": ("CHN", "China, activities excluding processing exports"),
    "CN2": ("CHN", "China, processing exports"),
    "MX1": ("MEX", "Mexico, activities excluding global manufacturing"),
    "MX2": ("MEX", "Mexico, global manufacturing"),
}
NAMED_REGIONS: Final[Mapping[str, str]] = {
    REST_OF_WORLD: "rest of the world",
    **{code: what for code, (_, what) in SPLIT_REGIONS.items()},
}
TOTAL_LABELS: Final = ("OUT", "OUTPUT", "TOTAL")
DISCREPANCY: Final = "DISC"
STRESSOR: Final = "CO2"


def table_files(data: Path) -> dict[int, Path]:
    """Year -> the newest edition's file in `data` (a folder, or one file)."""
    data = Path(data)
    found: dict[int, tuple[int, Path]] = {}
    for path in [data] if data.is_file() else sorted(data.iterdir()):
        m = FILE_RE.match(path.name)
        if m and (int(m["year"]) not in found or int(m["edition"]) > found[int(m["year"])][0]):
            found[int(m["year"])] = (int(m["edition"]), path)
    return {year: path for year, (_, path) in found.items()}


def table_file(data: Path, year: int) -> Path:
    files = table_files(data)
    if year not in files:
        raise YearNotAvailableError(
            f"{data}: no ICIO*_{year}.csv (years found: {sorted(files) or 'none'}). Fix: download it from "
            "oe.cd/icio or pick one of those years"
        )
    return files[year]


def _split(label: str, path: Path) -> tuple[str, str]:
    region, sep, rest = str(label).partition("_")
    if not sep:
        raise DataFileError(f"{path}: label {label!r} is not REGION_CODE (e.g. AUS_01T02)")
    return region, rest


def _read_raw(path: Path) -> pd.DataFrame:
    try:
        raw = pd.read_csv(path, index_col=0, keep_default_na=False, na_values=[""])
    except (OSError, ValueError) as err:
        raise DataFileError(f"{path}: cannot read it as an ICIO CSV ({err})") from err
    raw.index = raw.index.astype(str)
    bad = [c for c in raw.columns if not pd.api.types.is_numeric_dtype(raw[c])]
    if bad:
        values = pd.to_numeric(raw[bad[0]], errors="coerce")
        row = int(np.flatnonzero((values.isna() & raw[bad[0]].notna()).to_numpy())[0])
        raise DataFileError(
            f"{path}, line {row + 2}: column {bad[0]!r} holds {raw[bad[0]].iloc[row]!r}, not a number. "
            "Fix: restore the published file"
        )
    if raw.isna().to_numpy().any():
        r, c = (int(v[0]) for v in np.nonzero(raw.isna().to_numpy()))
        raise DataFileError(
            f"{path}, line {r + 2}: empty cell in column {raw.columns[c]!r} (row {raw.index[r]!r}). "
            "Fix: restore the published file (an empty cell is never read as zero)"
        )
    return raw


def read_icio(path: Path, *, year: int, split_regions: IcioSplitRegions) -> MRIO:
    """Read one ICIO CSV into an `MRIO` without stressors (F has no rows), M USD, ISO3 regions."""
    path = Path(path)
    raw = _read_raw(path)
    columns = [str(c) for c in raw.columns]
    industries = [label for label in raw.index if label in set(columns) and label not in TOTAL_LABELS]
    if not industries:
        raise DataFileError(f"{path}: no row label is also a column label, so there is no Z block")
    industry_set = set(industries)
    fd_columns = [c for c in columns if c not in industry_set and c not in TOTAL_LABELS]
    va_rows = [r for r in raw.index if r not in industry_set and r not in TOTAL_LABELS]
    regions = list(dict.fromkeys(_split(label, path)[0] for label in industries))
    fd_labels, dropped = [], {}
    for c in fd_columns:
        if c == DISCREPANCY:
            dropped[c] = float(raw[c].sum())
            continue
        a, b = _split(c, path)
        fd_labels.append((a, b) if a in regions else (b, a))
    fd_keep = [c for c in fd_columns if c != DISCREPANCY]
    rows = pd.MultiIndex.from_tuples(
        [_split(label, path) for label in industries], names=["region", "sector"]
    )
    Z = pd.DataFrame(raw.loc[industries, industries].to_numpy(dtype=float), index=rows, columns=rows)
    y_cols = pd.MultiIndex.from_tuples(fd_labels, names=["region", "category"])
    Y = pd.DataFrame(raw.loc[industries, fd_keep].to_numpy(dtype=float), index=rows, columns=y_cols)
    va = pd.DataFrame(
        raw.loc[va_rows, industries].to_numpy(dtype=float),
        index=pd.Index(va_rows, name="component"),
        columns=rows,
    )
    splits = {r: SPLIT_REGIONS[r][0] for r in regions if r in SPLIT_REGIONS}
    if split_regions == "aggregate" and splits:
        Z, Y, va = _aggregate(Z, Y, va, splits)
    elif splits:
        Y = _zero_final_demand(Y, list(Z.index.get_level_values("region").unique()))
    Y = Y.sort_index(axis=1, level="region", sort_remaining=False)
    Y = Y[[c for r in Z.index.get_level_values("region").unique() for c in Y.columns if c[0] == r]]
    table_regions = [str(r) for r in Z.index.get_level_values("region").unique()]
    iso3 = iso3_codes(table_regions, named=NAMED_REGIONS, source=str(path))
    notes = {
        "file": str(path),
        "citation": CITATION,
        "split_regions": split_regions,
        "split_regions_found": {k: f"{v} ({SPLIT_REGIONS[k][1]})" for k, v in splits.items()},
        "rest_of_world": REST_OF_WORLD,
        "dropped_columns": dropped,
        "value_added_rows": va_rows,
    }
    empty = pd.DataFrame(np.zeros((0, len(Z.index))), index=pd.Index([], name="stressor"), columns=Z.index)
    return MRIO(
        Z=rename_regions(Z, iso3, axes=(0, 1)),
        Y=rename_regions(Y, iso3, axes=(0, 1)),
        F=rename_regions(empty, iso3, axes=(1,)),
        F_Y=pd.DataFrame(
            np.zeros((0, len(Y.columns))),
            index=pd.Index([], name="stressor"),
            columns=rename_regions(Y, iso3, axes=(1,)).columns,
        ),
        monetary_unit="M USD",
        stressor_units={},
        source=SOURCE,
        version=_edition(path),
        year=year,
        price_basis="basic prices, current prices",
        notes=notes,
        value_added=rename_regions(va, iso3, axes=(1,)),
    )


def _edition(path: Path) -> str:
    m = FILE_RE.match(path.name)
    return f"ICIO {m['edition']} edition" if m else "ICIO, edition not stated by the file name"


def _aggregate(
    Z: pd.DataFrame, Y: pd.DataFrame, va: pd.DataFrame, splits: Mapping[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    def regroup(index: pd.Index) -> pd.MultiIndex:
        return pd.MultiIndex.from_arrays(
            [[splits.get(r, r) for r in index.get_level_values("region")], index.get_level_values(1)],
            names=index.names,
        )

    def rows(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.set_axis(regroup(frame.index), axis=0).groupby(level=[0, 1], sort=False).sum()

    def cols(frame: pd.DataFrame) -> pd.DataFrame:
        return rows(frame.T).T

    return cols(rows(Z)), cols(rows(Y)), cols(va)


def _zero_final_demand(Y: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    categories = list(dict.fromkeys(Y.columns.get_level_values("category")))
    have = set(Y.columns.get_level_values("region"))
    extra = [(r, c) for r in regions if r not in have for c in categories]
    add = pd.DataFrame(0.0, index=Y.index, columns=pd.MultiIndex.from_tuples(extra, names=Y.columns.names))
    return pd.concat([Y, add], axis=1)


# ------------------------------------------------------------------ emissions
def icio_concordance(emission_sectors: list[str], table_sectors: list[str], source: str) -> Any:
    """TECO2 (or user) industry codes -> the table's: ``D01T02`` -> ``01T02``, equal codes as they are."""
    links = []
    for code in emission_sectors:
        target = code if code in table_sectors else code.removeprefix("D")
        if target not in table_sectors:
            raise DataFileError(
                f"{source}: industry {code!r} matches no ICIO industry ({table_sectors[:5]} ...). "
                "Fix: use ICIO industry codes (D01T02 or 01T02)"
            )
        links.append((code, target, "primary", "same ICIO industry"))
    return concordance_from_frame(pd.DataFrame(links, columns=list(COLUMNS)), source=f"ICIO codes ({source})")


def _split_parents(industry: pd.Series, mrio: MRIO) -> pd.Series:
    """CHN's and MEX's industry emissions over the parent and its kept split regions, by gross output."""
    x = mrio.gross_output
    regions = set(mrio.regions)
    out = industry.copy()
    for parent in {p for code, (p, _) in SPLIT_REGIONS.items() if code in regions}:
        parts = [parent, *[c for c, (p, _) in SPLIT_REGIONS.items() if p == parent and c in regions]]
        if parent not in industry.index.get_level_values("region"):
            continue
        values = industry.xs(parent, level="region")
        pieces = []
        for sector, value in values.items():
            target = sector if sector in mrio.sectors else str(sector).removeprefix("D")
            weights = np.array([x.get((r, target), 0.0) for r in parts])
            share = weights / weights.sum() if weights.sum() > 0 else np.eye(len(parts))[0]
            pieces += [((r, sector), value * s) for r, s in zip(parts, share, strict=True)]
        out = out.drop(parent, level="region")
        add = pd.Series(dict(pieces))
        add.index = add.index.set_names(["region", "source_sector"])
        out = pd.concat([out, add])
    out.attrs = industry.attrs
    return out


def attach_co2(mrio: MRIO, table: pd.DataFrame, *, principle: str) -> MRIO:
    """`mrio` with stressor CO2 from one year of a TECO2/CSV long table (`oecd_teco2` readers)."""
    from mrio_tools.sources.oecd_teco2 import industry_emissions

    industry = industry_emissions(table, mrio.year)
    if mrio.notes.get("split_regions") == "keep":
        industry = _split_parents(industry, mrio)
    sectors = list(dict.fromkeys(str(s) for s in industry.index.get_level_values("source_sector")))
    concordance = icio_concordance(sectors, [str(s) for s in mrio.sectors], str(table.attrs.get("file")))
    return attach_emissions(
        mrio,
        stressor=STRESSOR,
        unit=str(table.attrs["unit"]),
        industry=industry,
        households=None,
        household_category=None,
        concordance=concordance,
        rest_of_world=REST_OF_WORLD,
        fold_missing=True,
        principle=principle,
        source_note=str(table.attrs.get("source")),
    )


# ------------------------------------------------------------------ registry entry
SPLIT = SourceOption(
    name="split_regions",
    choices=get_args(IcioSplitRegions),
    default="aggregate",
    help="ICIO's CN1/CN2 and MX1/MX2: aggregate into CHN and MEX, or keep as regions of production",
)
EMISSIONS = SourceOption(
    name="icio_emissions",
    choices=get_args(IcioEmissions),
    default="teco2",
    help="what --emissions holds for oecd_icio: teco2 the OECD TECO2 PROD_CO2 sheet (xlsx), csv a user "
    "table region,sector,year,value,unit",
)
PRINCIPLE = SourceOption(
    name="principle",
    choices=PRINCIPLES,
    default=None,
    help="accounting principle of the emissions: residence or territorial",
    default_help="residence for TECO2; a user CSV must state it",
)


def _data(request: SourceRequest) -> Path:
    return need(request, "data")


def _open(request: SourceRequest, options: Mapping[str, str | None]) -> Any:
    from mrio_tools.sources.emissions_csv import read_emissions_csv
    from mrio_tools.sources.oecd_teco2 import read_teco2_sheet

    data = _data(request)
    path = need(request, "emissions")
    kind = options["icio_emissions"] or "teco2"
    principle = options["principle"] or ("residence" if kind == "teco2" else None)
    if principle is None:
        raise DataFileError(
            f"source 'oecd_icio' with --icio-emissions csv ({path}): say which principle the table follows. "
            "Fix: add --principle residence or --principle territorial"
        )
    table = read_teco2_sheet(path) if kind == "teco2" else read_emissions_csv(path)
    split: IcioSplitRegions = options["split_regions"] or "aggregate"  # type: ignore[assignment]

    def read_year(year: int) -> MRIO:
        mrio = read_icio(table_file(data, year), year=year, split_regions=split)
        return attach_co2(mrio, table, principle=principle)

    return read_year


SPEC: SourceSpec = SourceSpec(
    name="oecd_icio",
    description="OECD ICIO as published (ICIO2021_YYYY.csv, 1995-2018; 2023 edition to 2020; M USD) in "
    "--data, with CO2 from the OECD TECO2 sheet or a user CSV in --emissions",
    needs=("data", "emissions"),
    years=lambda request: sorted(table_files(_data(request))),
    files=lambda request, year: [table_file(_data(request), year), Path(str(request.emissions))],
    open=_open,
    options=(SPLIT, EMISSIONS, PRINCIPLE),
)

__all__ = ["CITATION", "SPEC", "SPLIT_REGIONS", "attach_co2", "read_icio", "table_file", "table_files"]
