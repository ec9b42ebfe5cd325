"""Small files in the publishers' own layouts (EXIOBASE 3, Eora26, OECD ICIO), for the parser tests.

Each builder writes tiny tables with the publisher's file names, header rows, separators, label
columns and codes, and returns the path. The flows follow one pattern so that values can be worked
out by hand: region weights w_r, Z[(r,s),(r',s')] = 0.01 w_r w_r', each final-demand column
receives 10 w_r from every row of r, so x_(r,s) = w_r (0.01 n sum_r' w_r' + 10 k), n sectors per
region and k final-demand columns. Emissions are given per row, as listed in each builder.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

EXIO_CATEGORIES = (
    "Final consumption expenditure by households",
    "Final consumption expenditure by non-profit organisations serving households (NPISH)",
    "Final consumption expenditure by government",
    "Gross fixed capital formation",
    "Changes in inventories",
    "Changes in valuables",
    "Exports: Total (fob)",
)
EXIO_PRODUCTS = ("Paddy rice", "Electricity by coal")
EXIO_REGIONS = {"AT": 1.0, "DE": 2.0, "WA": 3.0}
#: EXIOBASE satellite rows of AT (per product) and their unit; DE has twice, WA three times these
EXIO_AT_ROWS: Mapping[str, tuple[str, tuple[float, float]]] = {
    "Taxes less subsidies on products purchased: Total": ("M EUR", (0.5, -0.1)),
    "Operating surplus: Remaining net operating surplus": ("M EUR", (1.0, 1.0)),
    "CO2 - combustion - air": ("kg", (100.0, 200.0)),
    "CO2 - non combustion - Cement production - air": ("kg", (10.0, 0.0)),
    "CO2 - non combustion - Lime production - air": ("kg", (0.0, 5.0)),
    "CO2 - waste - fossil - air": ("kg", (1.0, 2.0)),
    "CO2 - agriculture - peat decay - air": ("kg", (1000.0, 0.0)),
    "CO2 - waste - biogenic - air": ("kg", (500.0, 500.0)),
    "CH4 - combustion - air": ("kg", (2.0, 4.0)),
    "CH4 - agriculture - air": ("kg", (10.0, 0.0)),
    "N2O - combustion - air": ("kg", (1.0, 1.0)),
    "SF6 - air": ("kg", (0.0, 0.01)),
    "HFC - air": ("kg CO2-eq", (3.0, 0.0)),
    "PFC - air": ("kg CO2-eq", (0.0, 1.0)),
}
#: households' direct emissions of AT (F_Y, households column); DE x2, WA x3
EXIO_AT_HOUSEHOLDS = {"CO2 - combustion - air": 50.0, "CH4 - combustion - air": 1.0}


def _flows(weights: Sequence[float], n: int, k_columns: int) -> tuple[np.ndarray, np.ndarray]:
    w = np.repeat(np.asarray(weights, dtype=float), n)
    Z = 0.01 * np.outer(w, w)
    Y = np.repeat(10.0 * w[:, None], k_columns, axis=1)
    return Z, Y


def _tsv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, sep="\t")


def exiobase3_zip(folder: Path, *, year: int = 2019, system: str = "pxp") -> Path:
    """``IOT_<year>_<system>.zip`` with the inner folder, core files and ``satellite/`` as EXIOBASE 3.8."""
    name = f"IOT_{year}_{system}"
    root = folder / "build" / name
    (root / "satellite").mkdir(parents=True)
    regions = list(EXIO_REGIONS)
    rows = pd.MultiIndex.from_product([regions, EXIO_PRODUCTS], names=["region", "sector"])
    cols = pd.MultiIndex.from_product([regions, EXIO_CATEGORIES], names=["region", "category"])
    Z, Y = _flows(list(EXIO_REGIONS.values()), len(EXIO_PRODUCTS), len(cols))
    # only households buy: 10 w_r from each row in each region's households column, 0 elsewhere
    Y = np.zeros_like(Y)
    Y[:, 0 :: len(EXIO_CATEGORIES)] = (
        10.0 * np.repeat(list(EXIO_REGIONS.values()), len(EXIO_PRODUCTS))[:, None]
    )
    _tsv(pd.DataFrame(Z, index=rows, columns=rows), root / "Z.txt")
    _tsv(pd.DataFrame(Y, index=rows, columns=cols), root / "Y.txt")
    _tsv(pd.DataFrame({"indout": Z.sum(1) + Y.sum(1)}, index=rows), root / "x.txt")
    _tsv(pd.DataFrame({"unit": "M.EUR"}, index=rows), root / "unit.txt")
    scale = np.repeat(list(EXIO_REGIONS.values()), len(EXIO_PRODUCTS))
    stressors = pd.Index(list(EXIO_AT_ROWS), name="stressor")
    F = np.array([np.tile(values, len(regions)) * scale for _, values in EXIO_AT_ROWS.values()])
    _tsv(pd.DataFrame(F, index=stressors, columns=rows), root / "satellite" / "F.txt")
    FY = np.zeros((len(stressors), len(cols)))
    for row, value in EXIO_AT_HOUSEHOLDS.items():
        FY[stressors.get_loc(row), 0 :: len(EXIO_CATEGORIES)] = value * np.array(list(EXIO_REGIONS.values()))
    _tsv(pd.DataFrame(FY, index=stressors, columns=cols), root / "satellite" / "F_Y.txt")
    _tsv(
        pd.DataFrame({"unit": [u for u, _ in EXIO_AT_ROWS.values()]}, index=stressors),
        root / "satellite" / "unit.txt",
    )
    core = {
        "systemtype": "IOSystem",
        "files": {
            key: {"name": f"{key}.txt", "nr_index_col": "2", "nr_header": "2" if key in ("Z", "Y") else "1"}
            for key in ("Z", "Y", "x", "unit")
        },
    }
    ext = {
        "systemtype": "Extension",
        "name": "satellite",
        "files": {
            "F": {"name": "F.txt", "nr_index_col": "1", "nr_header": "2"},
            "F_Y": {"name": "F_Y.txt", "nr_index_col": "1", "nr_header": "2"},
            "unit": {"name": "unit.txt", "nr_index_col": "1", "nr_header": "1"},
        },
    }
    (root / "file_parameters.json").write_text(json.dumps(core, indent=4))
    (root / "satellite" / "file_parameters.json").write_text(json.dumps(ext, indent=4))
    meta = {
        "name": "EXIOBASE",
        "description": f"EXIOBASE 3 fixture {name}",
        "system": system,
        "version": "3.8.2 layout (fixture)",
        "history": [],
    }
    (root / "metadata.json").write_text(json.dumps(meta, indent=4))
    out = folder / f"{name}.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(root.parent).as_posix())
    return out


# --------------------------------------------------------------------------- Eora26
EORA_REGIONS = {"AUT": ("Austria", 1.0), "CHN": ("China", 2.0), "USA": ("USA", 3.0)}
EORA_SECTORS = ("Agriculture", "Electricity, Gas and Water")
EORA_CATEGORIES = (
    "Household final consumption P.3h",
    "Non-profit institutions serving households P.3n",
    "Government final consumption P.3g",
    "Gross fixed capital formation P.51",
    "Changes in inventories P.52",
    "Acquisitions less disposals of valuables P.53",
)
#: Eora satellite rows (indicator with unit, category) and their values for AUT per sector; CHN x2, USA x3
EORA_AUT_ROWS: Mapping[tuple[str, str], tuple[float, float]] = {
    ("I-GHG-CO2 emissions (Gg)", "1A1a Public Electricity and Heat Production"): (0.0, 40.0),
    ("I-GHG-CO2 emissions (Gg)", "2A1 Cement Production"): (3.0, 0.0),
    ("I-GHG-CO2 emissions (Gg)", "5A Forest fires"): (70.0, 0.0),
    ("I-GHG-CH4 emissions (Gg)", "4A Enteric Fermentation"): (2.0, 0.0),
    ("I-GHG-N2O emissions (Gg)", "4D Agricultural Soils"): (0.1, 0.0),
    ("Energy Usage (TJ)", "Natural Gas"): (5.0, 60.0),
}
#: households' direct emissions of AUT (QY, households column); CHN x2, USA x3
EORA_AUT_HOUSEHOLDS = {("I-GHG-CO2 emissions (Gg)", "1A4b Residential"): 7.0}
EORA_ROW_WEIGHT = 1.0


def eora26_zip(folder: Path, *, year: int = 2010, price: str = "bp") -> Path:
    """``Eora26_<year>_<price>.zip`` with the T, FD, VA, Q, QY blocks and label files, ROW included."""
    stem = f"Eora26_{year}_{price}"
    labels_T = [
        (name, code, "Industries", s) for code, (name, _) in EORA_REGIONS.items() for s in EORA_SECTORS
    ]
    labels_T.append(("Rest of the World", "ROW", "Industries", "TOTAL"))
    labels_FD = [
        (name, code, "Final Demand", c)
        for code, (name, _) in [*EORA_REGIONS.items(), ("ROW", ("Rest of the World", 0))]
        for c in EORA_CATEGORIES
    ]
    w = np.array([wt for _, wt in EORA_REGIONS.values() for _ in EORA_SECTORS] + [EORA_ROW_WEIGHT])
    T = 0.01 * np.outer(w, w)
    FD = np.repeat(10.0 * w[:, None], len(labels_FD), axis=1)
    rows = {**{k: v for k, v in EORA_AUT_ROWS.items()}, **{k: (0.0, 0.0) for k in EORA_AUT_HOUSEHOLDS}}
    scale = np.array([wt for _, wt in EORA_REGIONS.values() for _ in EORA_SECTORS])
    Q = np.array([np.append(np.tile(v, len(EORA_REGIONS)) * scale, 1.0) for v in rows.values()])
    QY = np.zeros((len(rows), len(labels_FD)))
    for key, value in EORA_AUT_HOUSEHOLDS.items():
        i = list(rows).index(key)
        for r, (_, wt) in enumerate(EORA_REGIONS.values()):
            QY[i, r * len(EORA_CATEGORIES)] = value * wt
    VA = np.vstack([0.5 * (T.sum(1) + FD.sum(1) - T.sum(0)), 0.5 * (T.sum(1) + FD.sum(1) - T.sum(0))])
    files = {
        f"{stem}_T.txt": pd.DataFrame(T),
        f"{stem}_FD.txt": pd.DataFrame(FD),
        f"{stem}_VA.txt": pd.DataFrame(VA),
        f"{stem}_Q.txt": pd.DataFrame(Q),
        f"{stem}_QY.txt": pd.DataFrame(QY),
        "labels_T.txt": pd.DataFrame(labels_T),
        "labels_FD.txt": pd.DataFrame(labels_FD),
        "labels_VA.txt": pd.DataFrame(
            [
                ("Primary Inputs", "Compensation of employees D.1"),
                ("Primary Inputs", "Net operating surplus B.2n"),
            ]
        ),
        "labels_Q.txt": pd.DataFrame(list(rows)),
    }
    out = folder / f"{stem}.zip"
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in files.items():
            archive.writestr(name, frame.to_csv(sep="\t", header=False, index=False))
    return out


# --------------------------------------------------------------------------- OECD ICIO
ICIO_SECTORS = (
    "01T02", "03", "05T06", "07T08", "09", "10T12", "13T15", "16", "17T18", "19", "20", "21", "22", "23",
    "24", "25", "26", "27", "28", "29", "30", "31T33", "35", "36T39", "41T43", "45T47", "49", "50", "51",
    "52", "53", "55T56", "58T60", "61", "62T63", "64T66", "68", "69T75", "77T82", "84", "85", "86T88",
    "90T93", "94T96", "97T98",
)  # fmt: skip
ICIO_CATEGORIES = ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR")
#: region weights; CHN's own rows and columns are zero, its production is in CN1 and CN2
ICIO_REGIONS = {"AUS": 1.0, "CHN": 0.0, "ROW": 2.0, "CN1": 3.0, "CN2": 1.0}
ICIO_CONSUMERS = ("AUS", "CHN", "ROW")


def icio_csv(folder: Path, *, year: int = 2018, edition: int = 2021) -> Path:
    """``ICIO<edition>_<year>.csv``, wide, with TLS/VA/OUT rows and the OUT column, CN1/CN2 split."""
    labels = [f"{r}_{s}" for r in ICIO_REGIONS for s in ICIO_SECTORS]
    w = np.repeat(list(ICIO_REGIONS.values()), len(ICIO_SECTORS))
    Z = 0.01 * np.outer(w, w)
    fd_labels = [f"{c}_{k}" for c in ICIO_CONSUMERS for k in ICIO_CATEGORIES]
    Y = np.repeat(10.0 * w[:, None], len(fd_labels), axis=1)
    x = Z.sum(1) + Y.sum(1)
    tls = 0.5 * w
    va = x - Z.sum(0) - tls
    body = np.hstack([Z, Y, x[:, None]])
    bottom = np.vstack(
        [
            np.concatenate([tls, np.zeros(len(fd_labels)), [tls.sum()]]),
            np.concatenate([va, np.zeros(len(fd_labels)), [va.sum()]]),
            np.concatenate([x, np.full(len(fd_labels), np.nan), [np.nan]]),
        ]
    )
    frame = pd.DataFrame(
        np.vstack([body, bottom]), index=[*labels, "TLS", "VA", "OUT"], columns=[*labels, *fd_labels, "OUT"]
    )
    frame.loc["OUT", [*fd_labels, "OUT"]] = 0.0
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"ICIO{edition}_{year}.csv"
    frame.to_csv(out)
    return out


def icio_emissions_csv(folder: Path, rows: Sequence[tuple[str, str, int, float]]) -> Path:
    """A user emissions table in the emissions_csv layout (region,sector,year,value,unit)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "co2.csv"
    lines = ["region,sector,year,value,unit"] + [f"{r},{s},{y},{v},Mt" for r, s, y, v in rows]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out
