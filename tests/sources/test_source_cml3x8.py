"""Tests of the 3 x 8 course MRIO reader: tiny files in the course layout, and the real 2015 files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mrio_tools.errors import DataFileError
from mrio_tools.sources.cml3x8 import read_cml3x8

REGIONS = ["OECD", "ROW"]
SECTORS = ["Food", "Services"]
CATEGORIES = ["Final consumption expenditure by household", "Gross capital formation"]
EXTENSIONS = [
    "CO2 emissions (unit: tonnes/year)",
    "Blue water consumption (unit: million m3/year)",
    "Employment (unit: 1000 people/year)",
]
Z = np.array([[5.0, 1.0, 2.0, 0.5], [1.0, 8.0, 0.5, 3.0], [2.5, 0.25, 6.0, 1.0], [0.5, 4.0, 1.0, 9.0]])
Y = np.array([[10.0, 2.0, 3.0, 1.0], [20.0, 4.0, 5.0, 2.0], [6.0, 1.0, 30.0, 7.0], [4.0, 2.0, 25.0, 5.0]])
V = Z.sum(axis=1) + Y.sum(axis=1) - Z.sum(axis=0)
F = np.array([[1.0e6, 2.0e5, 3.0e6, 4.0e5], [10.0, 0.0, 30.0, 5.0], [100.0, 200.0, 300.0, 400.0]])
FHH = np.array([[5.0e5, 0.0, 7.0e5, 0.0], [2.0, 0.0, 3.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
POP = np.array([1.0e9, 6.0e9])


def _write_matrix(path: Path, values: np.ndarray) -> None:
    # the course files: numbers in '%.18e' separated by tabs, as numpy.savetxt writes them
    np.savetxt(path, values, delimiter="\t")


def write_cml(folder: Path, *, z: np.ndarray = Z, extensions: list[str] = EXTENSIONS) -> Path:
    """Write Z/Y/V/F/Fhh/pop.txt and labels/*.csv in the course layout (see the reader's docstring)."""
    (folder / "labels").mkdir(parents=True, exist_ok=True)
    _write_matrix(folder / "Z.txt", z)
    _write_matrix(folder / "Y.txt", Y)
    _write_matrix(folder / "V.txt", V[np.newaxis, :])
    _write_matrix(folder / "F.txt", F)
    _write_matrix(folder / "Fhh.txt", FHH)
    _write_matrix(folder / "pop.txt", POP[np.newaxis, :])
    (folder / "labels" / "multi_reg_sectors.csv").write_text(
        "region,sector\n" + "".join(f"{r},{s}\n" for r in REGIONS for s in SECTORS)
    )
    (folder / "labels" / "multi_reg_final_demand.csv").write_text(
        "region,final_demand_category\n" + "".join(f"{r},{c}\n" for r in REGIONS for c in CATEGORIES)
    )
    # labels.csv lists each label set in its own column, padded with empty cells
    columns = [REGIONS, SECTORS, CATEGORIES, ["value_added"], extensions]
    lines = ["region_name,sector_category,final_demand_category,value_added_category,extension_name"]
    for i in range(max(len(c) for c in columns)):
        lines.append(",".join(c[i] if i < len(c) else "" for c in columns))
    (folder / "labels" / "labels.csv").write_text("\n".join(lines) + "\n")
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_cml(tmp_path / "cml")


def test_tiny_layout_is_read(tiny: Path) -> None:
    mrio = read_cml3x8(tiny)
    assert mrio.Z.index.tolist() == [(r, s) for r in REGIONS for s in SECTORS]
    assert mrio.Y.columns.equals(pd.MultiIndex.from_product([REGIONS, CATEGORIES]))
    np.testing.assert_array_equal(mrio.Z.to_numpy(), Z)
    np.testing.assert_array_equal(mrio.Y.to_numpy(), Y)
    np.testing.assert_array_equal(mrio.F.to_numpy(), F)
    np.testing.assert_array_equal(mrio.F_Y.to_numpy(), FHH)
    assert list(mrio.F.index) == ["CO2", "blue water", "employment"]
    assert mrio.stressor_units == {"CO2": "t", "blue water": "Mm3", "employment": "1000 persons"}
    assert mrio.monetary_unit == "M EUR"
    assert mrio.year == 2015
    assert mrio.population is not None
    assert mrio.population.to_dict() == {"OECD": 1.0e9, "ROW": 6.0e9}
    assert mrio.value_added is not None
    np.testing.assert_allclose(mrio.value_added.to_numpy()[0], V)


def test_wrong_shape_names_file_and_shapes(tmp_path: Path) -> None:
    folder = write_cml(tmp_path / "cml", z=Z[:3])
    with pytest.raises(DataFileError, match=r"Z.txt: shape \(3, 4\), expected \(4, 4\)"):
        read_cml3x8(folder)


def test_wrong_population_length(tiny: Path) -> None:
    _write_matrix(tiny / "pop.txt", np.array([[1.0, 2.0, 3.0]]))
    with pytest.raises(DataFileError, match=r"pop.txt: shape \(1, 3\), expected \(1, 2\)"):
        read_cml3x8(tiny)


def test_ragged_file(tiny: Path) -> None:
    with (tiny / "F.txt").open("a") as handle:
        handle.write("1.0\t2.0\n")
    with pytest.raises(DataFileError, match=r"F\.txt: not a table of numbers"):
        read_cml3x8(tiny)


@pytest.mark.parametrize("missing", ["Fhh.txt", "pop.txt", "labels/multi_reg_sectors.csv"])
def test_missing_file_is_named(tiny: Path, missing: str) -> None:
    (tiny / missing).unlink()
    with pytest.raises(DataFileError, match=rf"{missing}: missing"):
        read_cml3x8(tiny)


def test_unknown_unit_spelling(tmp_path: Path) -> None:
    folder = write_cml(tmp_path / "cml", extensions=[*EXTENSIONS[:2], "Employment (unit: persons/year)"])
    with pytest.raises(DataFileError, match=r"labels.csv: extension .* has unit 'persons'"):
        read_cml3x8(folder)


def test_missing_label_column(tiny: Path) -> None:
    (tiny / "labels" / "multi_reg_final_demand.csv").write_text("region,category\nOECD,a\n")
    with pytest.raises(DataFileError, match=r"no column \['final_demand_category'\]"):
        read_cml3x8(tiny)


def test_region_order_must_match(tiny: Path) -> None:
    path = tiny / "labels" / "labels.csv"
    text = path.read_text().splitlines()
    # the region_name column lists ROW before OECD; the sector labels keep OECD first
    text[1] = "ROW" + text[1].removeprefix("OECD")
    text[2] = "OECD" + text[2].removeprefix("ROW")
    path.write_text("\n".join(text) + "\n")
    with pytest.raises(DataFileError, match=r"regions \['ROW', 'OECD'\] differ"):
        read_cml3x8(tiny)


# ------------------------------------------------------------------ real data
@pytest.fixture(scope="module")
def real_dir(shared_data: Path) -> Path:
    folder = shared_data / "cml_3x8_2015"
    if not folder.is_dir():
        pytest.skip(f"real data not found at {folder}")
    return folder


@pytest.mark.realdata
def test_real_shapes_labels_units(real_dir: Path) -> None:
    mrio = read_cml3x8(real_dir)
    assert mrio.Z.shape == (24, 24)
    assert mrio.Y.shape == (24, 12)
    assert mrio.F.shape == (3, 24)
    assert mrio.F_Y.shape == (3, 12)
    assert list(mrio.regions) == ["OECD", "BRICS", "ROW"]
    assert list(mrio.sectors) == [
        "Food",
        "Clothing",
        "Shelter",
        "Construction",
        "Manufactured products",
        "Mobility",
        "Trade",
        "Services",
    ]
    assert mrio.stressor_units == {"CO2": "t", "blue water": "Mm3", "employment": "1000 persons"}
    assert mrio.population is not None
    assert list(mrio.population.index) == ["OECD", "BRICS", "ROW"]


@pytest.mark.realdata
def test_real_totals_equal_raw_files(real_dir: Path) -> None:
    raw_F = np.loadtxt(real_dir / "F.txt")
    raw_Fhh = np.loadtxt(real_dir / "Fhh.txt")
    mrio = read_cml3x8(real_dir)
    np.testing.assert_allclose(mrio.F.loc["CO2"].sum(), raw_F[0].sum(), rtol=1e-12)
    np.testing.assert_allclose(mrio.F_Y.loc["CO2"].sum(), raw_Fhh[0].sum(), rtol=1e-12)
    assert mrio.population is not None
    np.testing.assert_allclose(mrio.population.sum(), np.loadtxt(real_dir / "pop.txt").sum(), rtol=1e-12)
    # industries' plus households' CO2: about 34.8 Gt, a scale check on the unit t
    assert 30e9 < raw_F[0].sum() + raw_Fhh[0].sum() < 40e9


@pytest.mark.realdata
def test_real_value_added_closes_the_columns(real_dir: Path) -> None:
    """x from rows (Z1 + Y1) equals x from columns (1'Z + V): the table balances, read with numpy."""
    Z = np.loadtxt(real_dir / "Z.txt")
    Y = np.loadtxt(real_dir / "Y.txt")
    V = np.loadtxt(real_dir / "V.txt")
    np.testing.assert_allclose(Z.sum(axis=1) + Y.sum(axis=1), Z.sum(axis=0) + V, rtol=1e-9)
    mrio = read_cml3x8(real_dir)
    assert mrio.value_added is not None
    np.testing.assert_allclose(mrio.value_added.to_numpy()[0], V, rtol=1e-12)
