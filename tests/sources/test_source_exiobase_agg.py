"""Tests of the EXIOBASE 3 aggregate reader: tiny files in the PS7_*.txt layout, and the real files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mrio_tools.errors import DataFileError
from mrio_tools.sources.exiobase_agg import (
    EXIOBASE_CO2_EXCLUDED,
    EXIOBASE_CO2_ROWS,
    GHG_ROW,
    VALUE_ADDED_ROWS,
    read_exiobase_agg,
    read_exiobase_agg_co2,
    stressor_unit,
)

REGIONS = ["Russia", "China"]
SECTORS = ["Wheat", "Coal"]
CATEGORIES = ["Households consumption", "Government consumption", "Gross fixed capital formation", "Other"]
ROWS = [(r, s) for r in REGIONS for s in SECTORS]
Z = np.array(
    [
        [10.0, 2.0, 1.0, 0.5],
        [3.0, 20.0, 0.25, 4.0],
        [1.5, 0.0, 30.0, 6.0],
        [0.0, 5.0, 2.0, 40.0],
    ]
)
Y = np.arange(1.0, 33.0).reshape(4, 8) * 10.0
STRESSORS = [
    VALUE_ADDED_ROWS[0],
    "Employment: Low-skilled male",
    "CO2 - combustion - air",
    "CO2 - non combustion - Cement production - air",
    "CO2 - non combustion - Lime production - air",
    "CO2 - agriculture - peat decay - air",
    "CO2 - waste - biogenic - air",
    "CO2 - waste - fossil - air",
    "HFC - air",
    "Cropland - Wheat",
]
# distinct powers of two per row, so a wrong row picked or left out changes every sum
F = np.array([[2.0**i * (j + 1) for j in range(4)] for i in range(len(STRESSORS))])
GHG = np.array([100.0, 200.0, 300.0, 400.0])


def _line(cells: list[str]) -> str:
    return "\t".join(cells) + "\n"


def write_exiobase_agg(folder: Path, *, ghg: np.ndarray = GHG, f_columns: int = 4) -> Path:
    """Write PS7_Z/Y/F/F_GHG.txt in the aggregate's layout (pymrio text layout; see the module docstring)."""
    folder.mkdir(parents=True, exist_ok=True)
    n = len(ROWS)
    z = _line(["region", ""] + [r for r, _ in ROWS])
    z += _line(["sector", ""] + [s for _, s in ROWS])
    z += _line(["region", "sector"] + [""] * n)
    z += "".join(_line([r, s] + [str(float(v)) for v in row]) for (r, s), row in zip(ROWS, Z, strict=True))
    (folder / "PS7_Z.txt").write_text(z)
    y = _line(["", ""] + [r for r in REGIONS for _ in CATEGORIES])
    y += _line(["new", ""] + CATEGORIES * len(REGIONS))
    y += _line(["region", "sector"] + [""] * (len(REGIONS) * len(CATEGORIES)))
    y += "".join(_line([r, s] + [str(float(v)) for v in row]) for (r, s), row in zip(ROWS, Y, strict=True))
    (folder / "PS7_Y.txt").write_text(y)
    f = _line(["region"] + [r for r, _ in ROWS[:f_columns]])
    f += _line(["sector"] + [s for _, s in ROWS[:f_columns]])
    f += _line(["stressor"] + [""] * f_columns)
    f += "".join(
        _line([name] + [str(float(v)) for v in row[:f_columns]])
        for name, row in zip(STRESSORS, F, strict=True)
    )
    (folder / "PS7_F.txt").write_text(f)
    (folder / "PS7_F_GHG.txt").write_text("0\n" + "".join(f"{v:.0f}\n" for v in ghg))
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_exiobase_agg(tmp_path / "agg")


def test_tiny_layout_is_read(tiny: Path) -> None:
    mrio = read_exiobase_agg(tiny, year=2019)
    assert mrio.Z.index.tolist() == ROWS
    assert mrio.Y.columns.equals(pd.MultiIndex.from_product([REGIONS, CATEGORIES]))
    assert list(mrio.Y.columns.names) == ["region", "category"]
    np.testing.assert_array_equal(mrio.Z.to_numpy(), Z)
    np.testing.assert_array_equal(mrio.Y.to_numpy(), Y)
    assert list(mrio.F.index) == [*STRESSORS, GHG_ROW]
    np.testing.assert_array_equal(mrio.F.to_numpy()[:-1], F)
    np.testing.assert_array_equal(mrio.F.loc[GHG_ROW].to_numpy(), GHG)
    assert (mrio.F_Y.to_numpy() == 0).all()
    assert mrio.monetary_unit == "M EUR"
    assert mrio.year == 2019
    assert mrio.notes["year_stated_by_source"] is False
    assert "absent" in mrio.notes["household_direct_emissions"]
    assert mrio.stressor_units[VALUE_ADDED_ROWS[0]] == "M EUR"
    assert mrio.stressor_units["CO2 - combustion - air"] == "kg"
    assert mrio.stressor_units["HFC - air"] == "kg CO2-eq"
    assert mrio.stressor_units["Employment: Low-skilled male"] == "1000 persons"
    assert mrio.stressor_units["Cropland - Wheat"] == "km2"
    assert mrio.stressor_units[GHG_ROW] == "kg CO2-eq"
    assert mrio.value_added is not None
    assert list(mrio.value_added.index) == [VALUE_ADDED_ROWS[0]]


def test_co2_definition_sums_fossil_rows_only(tiny: Path) -> None:
    mrio = read_exiobase_agg_co2(tiny, year=2019)
    picked = [STRESSORS.index(row) for row in EXIOBASE_CO2_ROWS]
    assert list(mrio.F.index) == ["CO2"]
    assert mrio.stressor_units == {"CO2": "kg"}
    np.testing.assert_array_equal(mrio.F.loc["CO2"].to_numpy(), F[picked].sum(axis=0))
    assert (mrio.F_Y.to_numpy() == 0).all()
    assert mrio.notes["stressor_definition"]["CO2"]["rows"] == list(EXIOBASE_CO2_ROWS)
    assert "peat decay" in mrio.notes["co2_excluded_rows"]


def test_co2_rows_exclude_land_use_and_biogenic() -> None:
    assert "CO2 - combustion - air" in EXIOBASE_CO2_ROWS
    assert not set(EXIOBASE_CO2_ROWS) & set(EXIOBASE_CO2_EXCLUDED)
    assert all("biogenic" not in row and "peat" not in row for row in EXIOBASE_CO2_ROWS)


@pytest.mark.parametrize("missing", ["PS7_Z.txt", "PS7_Y.txt", "PS7_F.txt", "PS7_F_GHG.txt"])
def test_missing_file_is_named(tiny: Path, missing: str) -> None:
    (tiny / missing).unlink()
    with pytest.raises(DataFileError, match=rf"{missing}: missing"):
        read_exiobase_agg(tiny, year=2019)


def test_ghg_file_of_wrong_length(tmp_path: Path) -> None:
    folder = write_exiobase_agg(tmp_path / "agg", ghg=GHG[:3])
    with pytest.raises(DataFileError, match=r"PS7_F_GHG.txt: shape \(3, 1\).*expected \(4, 1\)"):
        read_exiobase_agg(folder, year=2019)


def test_f_with_too_few_columns(tmp_path: Path) -> None:
    folder = write_exiobase_agg(tmp_path / "agg", f_columns=3)
    with pytest.raises(DataFileError, match=r"PS7_F.txt: the column header has 3 labels, expected 4"):
        read_exiobase_agg(folder, year=2019)


def test_text_in_a_number_cell(tiny: Path) -> None:
    path = tiny / "PS7_Y.txt"
    path.write_text(path.read_text().replace("10.0", "n/a", 1))
    with pytest.raises(DataFileError, match=r"PS7_Y.txt: column .* holds text where numbers belong"):
        read_exiobase_agg(tiny, year=2019)


def test_empty_number_cell(tiny: Path) -> None:
    path = tiny / "PS7_F.txt"
    path.write_text(path.read_text().replace("\t2.0\t", "\t\t", 1))
    with pytest.raises(
        DataFileError, match=r"PS7_F.txt: empty cell at row 'Taxes.*column \('Russia', 'Coal'\)"
    ):
        read_exiobase_agg(tiny, year=2019)


def test_rows_out_of_order(tiny: Path) -> None:
    path = tiny / "PS7_Y.txt"
    lines = path.read_text().splitlines(keepends=True)
    lines[3], lines[4] = lines[4], lines[3]
    path.write_text("".join(lines))
    with pytest.raises(DataFileError, match=r"PS7_Y.txt: the row index label 0 is \('Russia', 'Coal'\)"):
        read_exiobase_agg(tiny, year=2019)


def test_unknown_stressor_family(tiny: Path) -> None:
    path = tiny / "PS7_F.txt"
    path.write_text(path.read_text().replace("Cropland - Wheat", "Noise - road"))
    with pytest.raises(DataFileError, match=r"'Noise - road' belongs to no EXIOBASE row family"):
        read_exiobase_agg(tiny, year=2019)


@pytest.mark.parametrize(
    ("row", "unit"),
    [
        ("Operating surplus: Consumption of fixed capital", "M EUR"),
        ("Employment hours: High-skilled female", "M hours"),
        ("PFC - air", "kg CO2-eq"),
        ("SF6 - air", "kg"),
        ("N - agriculture - water", "kg"),
        ("P - agriculture - soil", "kg"),
        ("Energy Carrier Net TROA", "TJ"),
        ("Water Withdrawal Blue - Electricity - wind", "Mm3"),
        ("Unused Domestic Extraction - Fossil Fuel - Lignite", "kt"),
        ("Permanent pastures - Grazing-Cattle", "km2"),
    ],
)
def test_stressor_unit(row: str, unit: str) -> None:
    assert stressor_unit(row) == unit


# ------------------------------------------------------------------ real data
@pytest.fixture(scope="module")
def real_dir(shared_data: Path) -> Path:
    folder = shared_data / "exiobase3_agg"
    if not folder.is_dir():
        pytest.skip(f"real data not found at {folder}")
    return folder


def _raw_rows(path: Path) -> dict[str, np.ndarray]:
    """PS7_F.txt rows by label, parsed with plain string splitting and numpy (independent of the reader)."""
    rows = {}
    for line in path.read_text().splitlines()[3:]:
        cells = line.split("\t")
        rows[cells[0]] = np.array(cells[1:], dtype=float)
    return rows


@pytest.mark.realdata
def test_real_shapes_and_labels(real_dir: Path) -> None:
    mrio = read_exiobase_agg(real_dir, year=2019)
    assert mrio.Z.shape == (162, 162)
    assert mrio.Y.shape == (162, 24)
    assert mrio.F.shape == (1113 + 1, 162)
    assert list(mrio.regions) == [
        "Russia",
        "China",
        "Europe",
        "Rest of Asia",
        "Americas and Australia",
        "Africa",
    ]
    assert len(mrio.sectors) == 27
    assert list(mrio.categories) == CATEGORIES
    assert set(EXIOBASE_CO2_ROWS) | set(EXIOBASE_CO2_EXCLUDED) == {
        r for r in mrio.F.index if r.startswith("CO2 ")
    }


@pytest.mark.realdata
def test_real_co2_equals_raw_rows(real_dir: Path) -> None:
    raw = _raw_rows(real_dir / "PS7_F.txt")
    mrio = read_exiobase_agg_co2(real_dir, year=2019)
    expected = np.sum([raw[row] for row in EXIOBASE_CO2_ROWS], axis=0)
    np.testing.assert_allclose(mrio.F.loc["CO2"].to_numpy(), expected, rtol=1e-12)
    full = read_exiobase_agg(real_dir, year=2019)
    np.testing.assert_allclose(
        full.F.loc["CO2 - combustion - air"].sum(), raw["CO2 - combustion - air"].sum(), rtol=1e-12
    )
    # about 29.9 Gt of industries' fossil CO2 (households absent): a scale check on the kg unit
    assert 25e12 < expected.sum() < 35e12


@pytest.mark.realdata
def test_real_value_added_rows_close_the_columns(real_dir: Path) -> None:
    """The nine value-added rows are M EUR: they equal x - Z'1 (identity), read with numpy."""
    Z = np.loadtxt(real_dir / "PS7_Z.txt", delimiter="\t", skiprows=3, usecols=range(2, 164))
    Y = np.loadtxt(real_dir / "PS7_Y.txt", delimiter="\t", skiprows=3, usecols=range(2, 26))
    raw = _raw_rows(real_dir / "PS7_F.txt")
    value_added = np.sum([raw[row] for row in VALUE_ADDED_ROWS], axis=0)
    x = Z.sum(axis=1) + Y.sum(axis=1)
    np.testing.assert_allclose(value_added, x - Z.sum(axis=0), rtol=1e-9, atol=1e-2)
    mrio = read_exiobase_agg(real_dir, year=2019)
    assert mrio.value_added is not None
    np.testing.assert_allclose(mrio.value_added.sum(axis=0).to_numpy(), value_added, rtol=1e-12)


@pytest.mark.realdata
def test_real_ghg_file_composition(real_dir: Path) -> None:
    """PS7_F_GHG.txt = all CO2 rows + 28 CH4 + 265 N2O + HFC + PFC (AR5 GWP100, no SF6), whole kg."""
    raw = _raw_rows(real_dir / "PS7_F.txt")
    ghg = np.loadtxt(real_dir / "PS7_F_GHG.txt", skiprows=1)
    gas = {
        g: np.sum([v for k, v in raw.items() if k.startswith(f"{g} - ")], axis=0)
        for g in ("CO2", "CH4", "N2O")
    }
    expected = gas["CO2"] + 28 * gas["CH4"] + 265 * gas["N2O"] + raw["HFC - air"] + raw["PFC - air"]
    np.testing.assert_allclose(ghg, expected, rtol=1e-8, atol=1.0)
    mrio = read_exiobase_agg(real_dir, year=2019)
    np.testing.assert_array_equal(mrio.F.loc[GHG_ROW].to_numpy(), ghg)
