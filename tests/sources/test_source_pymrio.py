"""Tests of the pymrio save reader: pymrio's own test system, saved by pymrio in text and parquet form."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pymrio
import pytest

from mrio_tools.errors import DataFileError, ValidationError, YearNotAvailableError
from mrio_tools.sources.pymrio_saved import available_years, from_iosystem, normalise_unit, read_pymrio

# pymrio writes text tables with float_format '%.12g': 12 significant digits survive
TEXT_RTOL = 1e-11


@pytest.fixture(scope="module")
def test_system() -> Any:
    return pymrio.load_test()


def _save(io: Any, path: Path, table_format: str) -> Path:
    io.save_all(path, table_format=table_format)
    return path


@pytest.fixture(params=["txt", "parquet"])
def saved(request: pytest.FixtureRequest, tmp_path: Path, test_system: Any) -> Path:
    return _save(test_system, tmp_path / "save", request.param)


def _set_metadata(folder: Path, **entries: Any) -> None:
    path = folder / "metadata.json"
    content = json.loads(path.read_text())
    content.update(entries)
    path.write_text(json.dumps(content))


def test_reads_core_and_all_extensions(saved: Path, test_system: Any) -> None:
    mrio = read_pymrio(saved, extension=None, year=2005)
    np.testing.assert_allclose(mrio.Z.to_numpy(), test_system.Z.to_numpy(), rtol=TEXT_RTOL)
    np.testing.assert_allclose(mrio.Y.to_numpy(), test_system.Y.to_numpy(), rtol=TEXT_RTOL)
    assert list(mrio.Z.index.names) == ["region", "sector"]
    assert list(mrio.Y.columns.names) == ["region", "category"]
    assert list(mrio.F.index) == ["Value Added", "emission_type1 - air", "emission_type2 - water"]
    np.testing.assert_allclose(
        mrio.F.loc["emission_type1 - air"].to_numpy(),
        test_system.emissions.F.loc[("emission_type1", "air")].to_numpy(),
        rtol=TEXT_RTOL,
    )
    np.testing.assert_allclose(
        mrio.F.loc["Value Added"].to_numpy(), test_system.factor_inputs.F.iloc[0].to_numpy(), rtol=TEXT_RTOL
    )
    np.testing.assert_allclose(
        mrio.F_Y.loc["emission_type2 - water"].to_numpy(),
        test_system.emissions.F_Y.loc[("emission_type2", "water")].to_numpy(),
        rtol=TEXT_RTOL,
    )
    # factor_inputs has no F_Y: zeros, and the notes say so
    assert (mrio.F_Y.loc["Value Added"] == 0).all()
    assert mrio.notes["F_Y_absent"] == ["factor_inputs"]
    assert mrio.stressor_units == {
        "Value Added": "M USD",
        "emission_type1 - air": "kg",
        "emission_type2 - water": "kg",
    }
    assert mrio.monetary_unit == "M USD"  # the save writes 'Mill USD'
    assert mrio.year == 2005
    assert mrio.notes["year_stated_by_source"] is False
    assert mrio.source == "testmrio"
    assert mrio.version == "v1"


def test_population_and_value_added(saved: Path, test_system: Any) -> None:
    mrio = read_pymrio(saved, extension="emissions", year=2005)
    assert mrio.population is not None
    assert mrio.population.index.name == "region"
    assert mrio.population.to_dict() == {r: float(v) for r, v in test_system.population.iloc[0].items()}
    assert mrio.value_added is not None
    np.testing.assert_allclose(
        mrio.value_added.to_numpy()[0], test_system.factor_inputs.F.to_numpy()[0], rtol=TEXT_RTOL
    )


@pytest.mark.parametrize("name", ["emissions", "Emissions"])
def test_one_extension_by_instance_or_set_name(saved: Path, name: str) -> None:
    mrio = read_pymrio(saved, extension=name, year=2005)
    assert list(mrio.F.index) == ["emission_type1 - air", "emission_type2 - water"]
    assert mrio.notes["pymrio_extensions"] == ["emissions"]
    assert "F_Y_absent" not in mrio.notes


def test_unknown_extension_lists_the_available_ones(saved: Path) -> None:
    with pytest.raises(DataFileError, match=r"no extension 'water'.*factor_inputs.*emissions"):
        read_pymrio(saved, extension="water", year=2005)


def test_year_must_be_passed_when_metadata_has_none(saved: Path) -> None:
    assert available_years(saved) == []
    with pytest.raises(DataFileError, match=r"does not state its year.*--year"):
        read_pymrio(saved, extension=None, year=None)


def test_year_from_metadata(saved: Path) -> None:
    _set_metadata(saved, year=2011)
    assert available_years(saved) == [2011]
    mrio = read_pymrio(saved, extension=None, year=None)
    assert mrio.year == 2011
    assert mrio.notes["year_stated_by_source"] is True
    assert read_pymrio(saved, extension=None, year=2011).year == 2011
    with pytest.raises(YearNotAvailableError, match=r"2011.*2012"):
        read_pymrio(saved, extension=None, year=2012)


def test_folder_of_yearly_saves(tmp_path: Path, test_system: Any) -> None:
    for year in (2010, 2011):
        _save(test_system, tmp_path / str(year), "txt")
    (tmp_path / "notes").mkdir()  # unrelated folders are ignored
    assert available_years(tmp_path) == [2010, 2011]
    assert read_pymrio(tmp_path, extension=None, year=2011).year == 2011
    with pytest.raises(YearNotAvailableError, match=r"\[2010, 2011\]; 2012"):
        read_pymrio(tmp_path, extension=None, year=2012)
    with pytest.raises(DataFileError, match="--year"):
        read_pymrio(tmp_path, extension=None, year=None)


def test_coefficient_save_gives_flows(tmp_path: Path, test_system: Any) -> None:
    io = test_system.copy().calc_all()
    io.Z = None  # keep A and x only
    io.emissions.F = None  # keep S only
    io.emissions.F_Y = None  # keep S_Y only
    io.factor_inputs.F = None
    folder = _save(io, tmp_path / "coef", "txt")
    assert not (folder / "Z.txt").exists()
    mrio = read_pymrio(folder, extension=None, year=2005)
    # identities Z = A x^, F = S x^, F_Y = S_Y diag(1'Y): back to the original flows
    np.testing.assert_allclose(mrio.Z.to_numpy(), test_system.Z.to_numpy(), rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(
        mrio.F.loc["emission_type1 - air"].to_numpy(),
        test_system.emissions.F.iloc[0].to_numpy(),
        rtol=1e-9,
    )
    np.testing.assert_allclose(
        mrio.F_Y.loc["emission_type1 - air"].to_numpy(),
        test_system.emissions.F_Y.iloc[0].to_numpy(),
        rtol=1e-9,
    )
    assert "Z = A x^" in mrio.notes["Z_from"]


def test_pickle_saves_are_refused(tmp_path: Path, test_system: Any) -> None:
    folder = _save(test_system, tmp_path / "pkl", "pkl")
    with pytest.raises(DataFileError, match=r"pickle.*table_format='txt'"):
        read_pymrio(folder, extension=None, year=2005)


def test_several_monetary_units_are_an_error(tmp_path: Path, test_system: Any) -> None:
    folder = _save(test_system, tmp_path / "save", "txt")
    unit_file = folder / "unit.txt"
    lines = unit_file.read_text().splitlines()
    lines[1] = lines[1].replace("Mill USD", "Mill EUR")
    unit_file.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFileError, match=r"several units \['M EUR', 'M USD'\]"):
        read_pymrio(folder, extension=None, year=2005)


def test_missing_table_file_is_named(tmp_path: Path, test_system: Any) -> None:
    folder = _save(test_system, tmp_path / "save", "txt")
    (folder / "emissions" / "F.txt").unlink()
    with pytest.raises(DataFileError, match=r"emissions/F.txt: named in .* but missing"):
        read_pymrio(folder, extension=None, year=2005)


def test_not_a_save(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"file_parameters\.json"):
        read_pymrio(tmp_path, extension=None, year=2005)
    with pytest.raises(DataFileError, match="not a folder"):
        read_pymrio(tmp_path / "absent", extension=None, year=2005)


def test_extension_folder_is_not_a_system(tmp_path: Path, test_system: Any) -> None:
    folder = _save(test_system, tmp_path / "save", "txt")
    with pytest.raises(DataFileError, match="not 'IOSystem'"):
        read_pymrio(folder / "emissions", extension=None, year=2005)


def test_from_iosystem_records_given_metadata(test_system: Any) -> None:
    mrio = from_iosystem(
        test_system,
        extension="emissions",
        source="pymrio test system",
        version="v1",
        year=2000,
        price_basis="basic prices",
        monetary_unit="M USD",
    )
    assert (mrio.source, mrio.version, mrio.year, mrio.price_basis) == (
        "pymrio test system",
        "v1",
        2000,
        "basic prices",
    )
    assert list(mrio.F.index) == ["emission_type1 - air", "emission_type2 - water"]
    assert mrio.F.index.name == "stressor"
    # the pymrio object is not modified
    assert list(test_system.emissions.F.index.names) == ["stressor", "compartment"]


def test_from_iosystem_refuses_clashing_labels(test_system: Any) -> None:
    io = test_system.copy()
    io.more = io.emissions.copy(new_name="More")
    with pytest.raises(ValidationError, match=r"appear in extensions 'emissions' and 'more'.*extension="):
        from_iosystem(
            io, extension=None, source="t", version="v", year=2000, price_basis="p", monetary_unit="M USD"
        )


def test_from_iosystem_checks_extension_labels(test_system: Any) -> None:
    io = test_system.copy()
    io.emissions.F = io.emissions.F.iloc[:, :-1]
    with pytest.raises(
        ValidationError, match=r"F columns do not match the rows of Z; missing \[\('reg6', 'other'\)\]"
    ):
        from_iosystem(
            io,
            extension="emissions",
            source="t",
            version="v",
            year=2000,
            price_basis="p",
            monetary_unit="M USD",
        )


@pytest.mark.parametrize(
    ("published", "written"),
    [("Mill USD", "M USD"), ("M.EUR", "M EUR"), ("Mio. EUR", "M EUR"), ("kg", "kg"), ("1000 p.", "1000 p.")],
)
def test_normalise_unit(published: str, written: str) -> None:
    assert normalise_unit(published) == written


def test_copy_of_save_reads_the_same(tmp_path: Path, test_system: Any) -> None:
    """A save moved to another folder still reads (no absolute paths inside the save are used)."""
    folder = _save(test_system, tmp_path / "a", "parquet")
    moved = Path(shutil.copytree(folder, tmp_path / "b"))
    shutil.rmtree(folder)
    mrio = read_pymrio(moved, extension="emissions", year=2005)
    pd.testing.assert_frame_equal(mrio.Y, test_system.Y, check_names=True)
