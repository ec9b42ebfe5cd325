"""GLORIA release 059 files in the publisher's layout, built from the real read-me's labels.

`cut_readme` copies the real ``GLORIA_ReadMe_059.xlsx`` keeping chosen regions (their rows,
renumbered) and the first sectors, with the full satellite list; `write_year` writes the yearly
zips with the publisher's member names (headerless CSVs, T/Y/V in GLORIA_MRIOs_59_YYYY.zip, TQ/YQ in
GLORIA_SatelliteAccounts_059_YYYY.zip). `hand_system` is the small system whose values the tests
work out by hand. The benchmark (benchmarks/gloria_files.py) writes full-size files with the same
layout through `write_csv`.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import openpyxl

PREFIX = "20230314"
SHEETS = ("Regions", "Sectors", "Value added and final demand", "Satellites")


def member_name(matrix: str, year: int) -> str:
    """The publisher's CSV name at basic prices (``..._T-Results_2019_059_Markup001(full).csv``)."""
    return f"{PREFIX}_120secMother_AllCountries_002_{matrix}-Results_{year}_059_Markup001(full).csv"


def cut_readme(real: Path, dest: Path, regions: Sequence[str], n_sectors: int) -> Path:
    """The real read-me with only `regions` (by acronym, renumbered 1..) and the first `n_sectors`."""
    book = openpyxl.load_workbook(real, read_only=True)
    out = openpyxl.Workbook()
    out.remove(out.active)
    for name in SHEETS:
        rows = [list(r) for r in book[name].iter_rows(values_only=True)]
        header, body = rows[0], [r for r in rows[1:] if any(v is not None for v in r)]
        if name == "Regions":
            by_code = {r[1]: r for r in body}
            body = [[k, *by_code[code][1:3]] for k, code in enumerate(regions, start=1)]
        elif name == "Sectors":
            body = [r[:2] for r in body[:n_sectors]]
        sheet = out.create_sheet(name)
        sheet.append(header)
        for row in body:
            sheet.append(row)
    book.close()
    out.save(dest)
    return dest


def satellite_numbers(readme: Path) -> dict[str, int]:
    """Satellite name (quotes dropped) -> its Lfd_Nr, read with openpyxl (independent of the reader)."""
    book = openpyxl.load_workbook(readme, read_only=True)
    rows = list(book["Satellites"].iter_rows(values_only=True))[1:]
    book.close()
    return {str(r[2]).strip().strip("'"): int(r[0]) for r in rows if r[0] is not None}


@dataclass
class SutYear:
    """One year's blocks in the MR-SUT order: R regions, S sectors, 6 categories, k satellites."""

    V_blocks: np.ndarray  # R x S x S supply, industries x products of each region
    U: np.ndarray  # RS x RS use, products x industries
    Y_p: np.ndarray  # RS x 6R final use of products
    VA: np.ndarray  # 6R x RS value added (rows: region, component), industry columns
    TQ: np.ndarray  # k x RS satellites by industry
    YQ: np.ndarray  # k x 6R satellites of final demand


def write_csv(handle: IO[bytes], rows: Any, fmt: str = "%.12g") -> None:
    """Headerless comma-separated numbers, one matrix row per line."""
    np.savetxt(handle, rows, delimiter=",", fmt=fmt)


def _t_rows(sut: SutYear) -> np.ndarray:
    n_reg, n_sec, _ = sut.V_blocks.shape
    n2 = 2 * n_reg * n_sec
    T = np.zeros((n2, n2))
    ind_cols = np.tile(np.repeat([True, False], n_sec), n_reg)
    for r in range(n_reg):
        base = r * 2 * n_sec
        T[base : base + n_sec, base + n_sec : base + 2 * n_sec] = sut.V_blocks[r]
        T[base + n_sec : base + 2 * n_sec, ind_cols] = sut.U[r * n_sec : (r + 1) * n_sec]
    return T


def _industry_columns(block: np.ndarray, n_reg: int, n_sec: int) -> np.ndarray:
    """A k x RS block spread onto the 2RS columns (products' columns zero)."""
    out = np.zeros((block.shape[0], 2 * n_reg * n_sec))
    out[:, np.tile(np.repeat([True, False], n_sec), n_reg)] = block
    return out


def write_year(folder: Path, year: int, sut: SutYear) -> list[Path]:
    """GLORIA_MRIOs_59_YYYY.zip and GLORIA_SatelliteAccounts_059_YYYY.zip in `folder`."""
    n_reg, n_sec, _ = sut.V_blocks.shape
    Y = np.zeros((2 * n_reg * n_sec, sut.Y_p.shape[1]))
    Y[~np.tile(np.repeat([True, False], n_sec), n_reg)] = sut.Y_p
    parts = {
        f"GLORIA_MRIOs_59_{year}.zip": {
            "T": _t_rows(sut), "Y": Y, "V": _industry_columns(sut.VA, n_reg, n_sec),
        },
        f"GLORIA_SatelliteAccounts_059_{year}.zip": {
            "TQ": _industry_columns(sut.TQ, n_reg, n_sec), "YQ": sut.YQ,
        },
    }  # fmt: skip
    paths = []
    for archive, matrices in parts.items():
        with zipfile.ZipFile(folder / archive, "w", zipfile.ZIP_DEFLATED) as z:
            for matrix, rows in matrices.items():
                with z.open(member_name(matrix, year), "w") as handle:
                    write_csv(handle, rows)
        paths.append(folder / archive)
    return paths


#: regions of the hand system: real read-me rows (SDS tests the rename to ISO3 SSD)
HAND_REGIONS = ("CHN", "DEU", "SDS")


def hand_system(satellites: dict[str, int], n_sat: int) -> SutYear:
    """3 regions x 2 sectors; the numbers the tests work out by hand (see test_source_gloria.py)."""
    V_blocks = np.array([[[9, 2], [0, 8]], [[20, 0], [0, 15]], [[4, 0], [0, 6]]], dtype=float)
    # use rows: CHN p1, CHN p2, DEU p1, DEU p2, SDS p1, SDS p2; columns the six industries in that order
    U = np.array(
        [
            [1, 2, 0, 3, 0, 0],
            [1, 1, 0, 5, 0, 0],
            [2, 0, 4, 2, 1, 0],
            [0, 1, 1, 0, 0, 1],
            [0, 0, 1, 0, 1, 0],
            [1, 0, 0, 0, 0, 1],
        ],
        dtype=float,
    )
    q = V_blocks.sum(axis=1).ravel()  # 9, 10, 20, 15, 4, 6
    Y_p = np.zeros((6, 18))
    for row in range(6):
        rest = q[row] - U[row].sum()  # product balance: U1 + Y1 = q
        own = row // 2
        Y_p[row, own * 6 + 0] = rest - 1  # own households
        Y_p[row, ((own + 1) % 3) * 6 + 3] = 1  # the next region's GFCF
    g = V_blocks.sum(axis=2).ravel()  # 11, 8, 20, 15, 4, 6
    VA = np.zeros((18, 6))
    for j in range(6):
        VA[(j // 2) * 6 + 0, j] = g[j] - U[:, j].sum()  # compensation of employees closes the column
    TQ = np.zeros((n_sat, 6))
    YQ = np.zeros((n_sat, 18))
    total = satellites["co2_excl_short_cycle_org_c_total_EDGAR_consistent"] - 1
    land1 = satellites["co2_excl_short_cycle_org_c_3B1_EDGAR_consistent"] - 1
    land2 = satellites["co2_excl_short_cycle_org_c_3B2_EDGAR_consistent"] - 1
    short = satellites["co2_org_short_cycle_c_total_EDGAR_consistent"] - 1
    TQ[total] = [50, 20, 30, 10, 2, 1]
    TQ[land1, 0] = 5  # CHN s1: 5 of its 50 kt are land use
    TQ[land2, 2] = -4  # DEU s1: a net removal of 4 kt on land
    TQ[short] = 1000  # short-cycle organic carbon: never counted
    TQ[0] = 123  # another satellite row: ignored
    YQ[total, 0] = 7  # CHN households
    return SutYear(V_blocks=V_blocks, U=U, Y_p=Y_p, VA=VA, TQ=TQ, YQ=YQ)


def write_hand_folder(real_readme: Path, folder: Path, years: Sequence[int] = (2019,)) -> Path:
    """A --data folder: the cut read-me and the hand system for each of `years`."""
    folder.mkdir(parents=True, exist_ok=True)
    readme = cut_readme(real_readme, folder / "GLORIA_ReadMe_059.xlsx", HAND_REGIONS, 2)
    numbers = satellite_numbers(readme)
    sut = hand_system(numbers, max(numbers.values()))
    for year in years:
        write_year(folder, year, sut)
    return folder
