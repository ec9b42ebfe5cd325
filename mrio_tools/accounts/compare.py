"""Comparison of our accounts with a reference table (national inventories, another study).

A reference table is long, one value per row, with the columns of `REFERENCE_COLUMNS`:

    region,year,account,value,unit
    CHN,2011,PBA,9.1,Gt CO2
    CHN,2011,CBA,7.6,Gt CO2
    DEU,2011,CBA,0.95,Gt

- `region`: the region code as our tables write it (ISO 3166 alpha-3, or the source's own region
  names such as 'RoW'); regions are matched as written, so map codes before comparing;
- `year`: whole years; `account`: an account name of `mrio_tools.schema.ACCOUNTS` (PBA, CBA, EEE,
  EEI, NET_TRANSFER, PBA_PER_CAPITA, ...);
- `value`: a number; `unit`: any unit that converts to the unit of our matching row
  (`mrio_tools.units`: 'Mt', 'Gt CO2', 'kt', 't/capita', ...).
Further columns (a source, a note) are allowed and ignored.

The reference is assumed to measure the same stressor as the one compared (e.g. fossil CO2): the
table cannot check that, so say which definition the reference follows when you report.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from mrio_tools.errors import DataFileError, UnitError, ValidationError, listed
from mrio_tools.schema import ACCOUNT_COLUMNS
from mrio_tools.units import conversion_factor, mass_substance

REFERENCE_COLUMNS: Final = ("region", "year", "account", "value", "unit")
COMPARISON_COLUMNS: Final = (
    "year",
    "region",
    "account",
    "stressor",
    "unit",
    "ours",
    "reference",
    "abs_diff",
    "rel_diff",
    "status",
)
STATUSES: Final = ("matched", "only_ours", "only_reference")
_KEY: Final = ["year", "region", "account"]
_LAYOUT: Final = (
    "expected a long table with the columns region, year, account, value, unit "
    "(one row per region, year and account; e.g. 'CHN,2011,PBA,9.1,Gt CO2'); further columns are ignored"
)


#: first bytes of a parquet file (and of an xlsx workbook, which is a zip archive)
_PARQUET_MAGIC: Final = b"PAR1"
_ZIP_MAGIC: Final = b"PK\x03\x04"


def _sniff(path: Path, what: str, fix: str) -> str:
    """'parquet', 'xlsx' or 'csv' from the first bytes of `path`; `DataFileError` if empty or binary."""
    if not path.exists():
        raise DataFileError(f"{path}: no such {what} file. Fix: {fix}")
    if not path.is_file():
        raise DataFileError(f"{path}: is a folder, not a {what} file. Fix: {fix}")
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError as err:
        raise DataFileError(f"{path}: cannot read the {what} file ({err.strerror}). Fix: {fix}") from err
    if not head.strip():
        raise DataFileError(f"{path}: the {what} file is empty. Fix: {fix}")
    if head.startswith(_PARQUET_MAGIC):
        return "parquet"
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if b"\x00" in head:
        raise DataFileError(f"{path}: a binary file, not a CSV (it starts with {head[:8]!r}). Fix: {fix}")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < len(head) - 4:  # not just a character cut at the 4096-byte boundary
            raise DataFileError(
                f"{path}: not UTF-8 text at byte {err.start} (a binary file, or another encoding). "
                f"Fix: save it as UTF-8 CSV; {fix}"
            ) from err
    return "csv"


def _read_table(path: Path, kind: str, what: str, fix: str) -> pd.DataFrame:
    try:
        if kind == "parquet":
            return pd.read_parquet(path)
        if kind == "xlsx":
            return pd.read_excel(path, sheet_name=0, dtype={"region": str, "account": str, "unit": str})
        return pd.read_csv(path, dtype={"region": str, "account": str, "unit": str})
    except pd.errors.EmptyDataError as err:
        raise DataFileError(f"{path}: the {what} file has no header row or no rows. Fix: {fix}") from err
    except (
        pd.errors.ParserError,
        UnicodeDecodeError,
        ValueError,
        KeyError,
        OSError,
        zipfile.BadZipFile,
    ) as err:
        raise DataFileError(
            f"{path}: not a readable {kind} {what} table ({type(err).__name__}: {err}). Fix: {fix}"
        ) from err


def read_reference(path: Path) -> pd.DataFrame:
    """Read a reference table (CSV, parquet, or the first sheet of an .xlsx file) and check its layout.

    Returns the columns of `REFERENCE_COLUMNS` with `year` as integers and `value` as floats. A missing,
    empty, binary or unparsable file, missing columns, empty or non-numeric values, and repeated
    (region, year, account) rows raise `DataFileError` naming the file and the rows.
    """
    path = Path(path)
    kind = _sniff(path, "reference", _LAYOUT)
    frame = _read_table(path, kind, "reference", _LAYOUT)
    if frame.empty:
        raise DataFileError(f"{path}: the reference table has a header but no rows; {_LAYOUT}")
    try:
        return check_reference(frame)
    except ValidationError as err:
        raise DataFileError(f"{path}: {err}") from err


_ACCOUNTS_FIX: Final = (
    "pass the table that 'mrio-tools accounts --out' wrote (.csv or .parquet), with the columns "
    + ", ".join(ACCOUNT_COLUMNS)
)


def read_accounts(path: Path) -> pd.DataFrame:
    """Read one of our accounts tables (CSV or parquet, recognised by content) for `compare_accounts`.

    Raises `DataFileError` naming the file and the fix when it is missing, empty, binary but not parquet,
    unparsable, lacks a column of `mrio_tools.schema.ACCOUNT_COLUMNS`, or holds no rows.
    """
    path = Path(path)
    kind = _sniff(path, "accounts", _ACCOUNTS_FIX)
    if kind == "xlsx":
        raise DataFileError(f"{path}: an Excel workbook, not an accounts table. Fix: {_ACCOUNTS_FIX}")
    frame = _read_table(path, kind, "accounts", _ACCOUNTS_FIX)
    missing = [c for c in ACCOUNT_COLUMNS if c not in frame.columns]
    if missing:
        raise DataFileError(
            f"{path}: the accounts table lacks the columns {missing} (found {list(frame.columns)[:12]}). "
            f"Fix: {_ACCOUNTS_FIX}"
        )
    if frame.empty:
        raise DataFileError(f"{path}: the accounts table has no rows. Fix: {_ACCOUNTS_FIX}")
    years = pd.to_numeric(frame["year"], errors="coerce")
    values = pd.to_numeric(frame["value"], errors="coerce")
    bad = years.isna() | (years != years.round()) | values.isna()
    if bad.any():
        rows = listed([str(int(i) + 2) for i in np.flatnonzero(bad.to_numpy())])
        raise DataFileError(
            f"{path}: rows {rows} (counting the header as row 1) have no whole year or no number in 'value'. "
            f"Fix: {_ACCOUNTS_FIX}"
        )
    out = frame.copy()
    out["year"] = years.astype(int)
    out["value"] = values.astype(float)
    return out


def check_reference(reference: pd.DataFrame) -> pd.DataFrame:
    """Check a reference table's layout; return its five columns, `year` int, `value` float.

    Raises `ValidationError` listing missing columns (with the expected layout), rows without a
    number, year or unit, and repeated (region, year, account) keys.
    """
    frame = reference.rename(columns=lambda c: str(c).strip())
    missing = [c for c in REFERENCE_COLUMNS if c not in frame.columns]
    if missing:
        raise ValidationError(
            f"reference table lacks the columns {missing} (found {list(frame.columns)}); {_LAYOUT}"
        )
    out = frame[list(REFERENCE_COLUMNS)].copy()
    for column in ("region", "account", "unit"):
        empty = out[column].isna() | (out[column].astype(str).str.strip() == "")
        if empty.any():
            raise ValidationError(f"reference rows {_rows(out, empty)} have no {column}")
        out[column] = out[column].astype(str).str.strip()
    values = pd.to_numeric(out["value"], errors="coerce")
    bad = values.isna() | ~np.isfinite(values.to_numpy(dtype=float))
    if bad.any():
        raise ValidationError(f"reference rows {_rows(out, bad)} have no finite number in 'value'")
    years = pd.to_numeric(out["year"], errors="coerce")
    bad_year = years.isna() | (years != years.round())
    if bad_year.any():
        raise ValidationError(f"reference rows {_rows(out, bad_year)} have no whole year in 'year'")
    out["value"] = values.astype(float)
    out["year"] = years.astype(int)
    repeated = out.duplicated(subset=["region", "year", "account"], keep=False)
    if repeated.any():
        raise ValidationError(
            f"reference rows {_rows(out, repeated)} repeat a (region, year, account); keep one value per key"
        )
    return out.reset_index(drop=True)


def _rows(frame: pd.DataFrame, mask: pd.Series) -> str:
    """The first offending rows as 'region/year/account' strings, with their 0-based row numbers."""
    picked = frame[mask.to_numpy()]
    return listed([f"#{r.Index} ({r.region}, {r.year}, {r.account})" for r in picked.itertuples()])


def _check_case(merged: pd.DataFrame, status: pd.Series) -> None:
    """`ValidationError` when reference rows match none of ours but for the case of a code ('chn')."""

    def folded(rows: pd.DataFrame) -> pd.Series:
        return (
            rows["year"].astype(str)
            + "|"
            + rows["region"].astype(str).str.casefold()
            + "|"
            + (rows["account"].astype(str).str.casefold())
        )

    ours = dict(
        zip(folded(merged[status == "only_ours"]), merged[status == "only_ours"].itertuples(), strict=True)
    )
    theirs = merged[status == "only_reference"]
    pairs = [
        f"({r.region}, {r.year}, {r.account}) for ours ({o.region}, {o.year}, {o.account})"
        for key, r in zip(folded(theirs), theirs.itertuples(), strict=True)
        if (o := ours.get(key)) is not None
    ]
    if pairs:
        raise ValidationError(
            f"reference rows {listed(pairs, 5)} differ from our rows only in the case of a code, so they "
            "would match nothing; codes are case-sensitive. Fix: write region and account codes as the "
            "accounts table does (e.g. CHN, PBA)"
        )


def compare_accounts(
    accounts: pd.DataFrame, reference: pd.DataFrame, *, stressor: str | None
) -> pd.DataFrame:
    """Compare our long accounts table with a reference table, row by (year, region, account).

    `accounts` has the columns of `mrio_tools.schema.ACCOUNT_COLUMNS`; `reference` the layout in the
    module docstring (see `read_reference`). `stressor` picks the stressor of `accounts` to compare;
    None is allowed only when `accounts` holds one stressor.

    Reference values are converted to the unit of our matching row with
    `mrio_tools.units.conversion_factor`; a unit that does not convert raises `UnitError` naming the row.
    Output columns `COMPARISON_COLUMNS`, sorted by year, region, account:

    - `ours`, `reference`: values in `unit` (our unit; the reference's own unit on `only_reference` rows);
    - `abs_diff` = ours - reference, in `unit` (signed; 'absolute' as opposed to relative);
    - `rel_diff` = (ours - reference) / |reference|; on matched rows NaN only where the reference is 0;
    - `status`: `matched`, `only_ours` (no reference value: reference and differences NaN) or
      `only_reference` (we have no such row: ours and differences NaN). No row of either side is dropped.
    """
    missing = [c for c in ACCOUNT_COLUMNS if c not in accounts.columns]
    if missing:
        raise ValidationError(f"accounts table lacks the columns {missing}; expected {list(ACCOUNT_COLUMNS)}")
    ref = check_reference(reference)
    stressors = sorted(accounts["stressor"].astype(str).unique())
    if stressor is None:
        if len(stressors) != 1:
            raise ValidationError(
                f"accounts table holds the stressors {stressors}; pass stressor= to pick one"
            )
        stressor = stressors[0]
    elif stressor not in stressors:
        raise ValidationError(f"stressor {stressor!r} is not in the accounts table; it holds {stressors}")
    ours = accounts.loc[accounts["stressor"] == stressor, list(ACCOUNT_COLUMNS)].copy()
    ours["year"] = ours["year"].astype(int)
    repeated = ours.duplicated(subset=_KEY, keep=False)
    if repeated.any():
        raise ValidationError(
            f"accounts table repeats (year, region, account) for stressor {stressor!r}: "
            f"{_rows(ours, repeated)}"
        )
    merged = ours.rename(columns={"value": "ours"}).merge(
        ref.rename(columns={"value": "reference", "unit": "reference_unit"}),
        on=_KEY,
        how="outer",
        indicator=True,
    )
    status = merged["_merge"].map(
        {"both": "matched", "left_only": "only_ours", "right_only": "only_reference"}
    )
    _check_case(merged, status)
    factors = np.ones(len(merged))
    matched = (status == "matched").to_numpy()
    for i in np.flatnonzero(matched):
        row = merged.iloc[i]
        substance = mass_substance(row["reference_unit"])
        if (
            substance
            and mass_substance(row["unit"]) is None
            and substance.casefold() not in stressor.casefold()
        ):
            raise UnitError(
                f"reference row ({row['region']}, {row['year']}, {row['account']}): unit "
                f"{row['reference_unit']!r} is a mass of {substance}, but the accounts are of the stressor "
                f"{stressor!r} ({row['unit']!r}). Fix: compare with a reference of the same substance "
                "(or pick the matching --stressor)"
            )
        if row["reference_unit"] != row["unit"]:
            try:
                factors[i] = conversion_factor(row["reference_unit"], row["unit"])
            except UnitError as err:
                raise UnitError(
                    f"reference row ({row['region']}, {row['year']}, {row['account']}): unit "
                    f"{row['reference_unit']!r} does not convert to our unit {row['unit']!r} ({err})"
                ) from err
    reference_values = merged["reference"].to_numpy(dtype=float) * factors
    only_reference = (status == "only_reference").to_numpy()
    unit = np.where(only_reference, merged["reference_unit"], merged["unit"])
    ours_values = merged["ours"].to_numpy(dtype=float)
    diff = ours_values - reference_values
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(matched & (reference_values != 0), diff / np.abs(reference_values), np.nan)
    out = pd.DataFrame(
        {
            "year": merged["year"].astype(int),
            "region": merged["region"].astype(str),
            "account": merged["account"].astype(str),
            "stressor": stressor,
            "unit": unit,
            "ours": ours_values,
            "reference": reference_values,
            "abs_diff": np.where(matched, diff, np.nan),
            "rel_diff": rel,
            "status": status.astype(str),
        }
    )
    return out.sort_values(_KEY, kind="stable").reset_index(drop=True)[list(COMPARISON_COLUMNS)]
