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
from mrio_tools.sources.pymrio_convert import from_iosystem, normalise_unit
from mrio_tools.sources.pymrio_saved import available_years, read_pymrio

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
    # every block is read as float64 (the test system holds one int64 column of Y): same values, same labels
    pd.testing.assert_frame_equal(mrio.Y, test_system.Y.astype(np.float64), check_names=True)


# ------------------------------------------------------- the reader against pymrio's own load_all
@pytest.mark.parametrize("table_format", ["txt", "parquet"])
def test_reader_gives_what_pymrio_load_all_gives(tmp_path: Path, table_format: str) -> None:
    """Our reader (one array per table, only the tables needed) against `pymrio.load_all` on a save
    that holds every table `calc_all` makes (A, L, x, D_cba, M, ...): the same labels and numbers."""
    system = pymrio.load_test()
    system.calc_all()
    folder = _save(system, tmp_path / "save", table_format)
    ours = read_pymrio(folder, extension=None, year=2005)
    reference = from_iosystem(
        pymrio.load_all(folder),
        extension=None,
        source=ours.source,
        version=ours.version,
        year=2005,
        price_basis=ours.price_basis,
        monetary_unit=ours.monetary_unit,
        extra_notes=dict(ours.notes),
    )
    for block in ("Z", "Y", "F", "F_Y"):
        expected = getattr(reference, block).astype(np.float64)
        pd.testing.assert_frame_equal(getattr(ours, block), expected, check_exact=True)
    assert ours.stressor_units == reference.stressor_units
    assert ours.population is not None and reference.population is not None
    pd.testing.assert_series_equal(ours.population, reference.population, check_exact=True)
    assert ours.value_added is not None and reference.value_added is not None
    pd.testing.assert_frame_equal(
        ours.value_added, reference.value_added.astype(np.float64), check_exact=True
    )


def test_a_text_cell_in_a_parquet_table_is_named(tmp_path: Path, test_system: Any) -> None:
    folder = _save(test_system, tmp_path / "save", "parquet")
    z = pd.read_parquet(folder / "Z.parquet")
    column = z.columns[2]
    z[column] = z[column].astype(str)  # a column of text, as a spreadsheet export might write it
    z.iloc[4, 2] = "12,5"
    z.to_parquet(folder / "Z.parquet")
    with pytest.raises(
        DataFileError, match=r"Z.parquet: the cell in row \('reg1', 'construction'\) \(row 5\)"
    ):
        read_pymrio(folder, extension=None, year=2005)


def test_parquet_nulls_and_row_groups_are_read_in_place(tmp_path: Path, test_system: Any) -> None:
    """A Z.parquet written in several row groups (so every column comes in several chunks and in
    several column batches) with null cells, in a float and an integer column: the nulls read as NaN
    in their cells, every other cell as written, and the MRIO check names the first null cell."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from mrio_tools.sources.pymrio_tables import read_table

    folder = _save(test_system, tmp_path / "save", "parquet")
    z = test_system.Z.astype(np.float64)
    table = pa.Table.from_pandas(z)
    values = z.to_numpy()
    float_column, int_column = 3, 40
    mask = np.zeros(len(z), dtype=bool)
    mask[[9, 30]] = True  # in the second and fifth row groups of 7 rows
    table = table.set_column(
        float_column, table.field(float_column), pa.array(values[:, float_column], mask=mask)
    )
    integers = np.round(values[:, int_column]).astype(np.int64)
    table = table.set_column(
        int_column, pa.field(table.field(int_column).name, pa.int64()), pa.array(integers, mask=mask)
    )
    pq.write_table(table, folder / "Z.parquet", row_group_size=7)
    assert pq.ParquetFile(folder / "Z.parquet").num_row_groups == 7

    expected = z.copy()
    expected.iloc[:, int_column] = integers.astype(np.float64)
    expected.iloc[mask, float_column] = np.nan
    expected.iloc[mask, int_column] = np.nan
    read = read_table(folder / "Z.parquet", index_columns=2, header_rows=2)
    pd.testing.assert_frame_equal(read, expected, check_exact=True)
    assert read.to_numpy().flags.f_contiguous
    first = f"({z.index[9]!r}, {z.columns[float_column]!r})"
    with pytest.raises(DataFileError, match=r"save: MRIO block Z: 4 NaN or infinite values") as info:
        read_pymrio(folder, extension=None, year=2005)
    assert first in str(info.value)


# the probe runs in its own process, so that no earlier test's allocations or imports are counted
_COPY_PROBE = """
import json, sys, tracemalloc
from pathlib import Path
import pyarrow as pa
from mrio_tools.sources.pymrio_saved import read_pymrio

small, folder = Path(sys.argv[1]), Path(sys.argv[2])
read_pymrio(small, extension=None, year=2005)  # imports and first-use caches, not counted
arrow_before = pa.default_memory_pool().max_memory()
tracemalloc.start()
mrio = read_pymrio(folder, extension=None, year=2005)
current, peak = tracemalloc.get_traced_memory()
print(json.dumps({"peak": peak, "arrow_peak": pa.default_memory_pool().max_memory(), "n": len(mrio.Z)}))
"""


def test_loading_a_parquet_save_holds_the_n_by_n_values_once(tmp_path: Path, test_system: Any) -> None:
    """Loading allocates Z's n x n float64 values once: traced peak < 1.5 n^2 8 bytes, and the Arrow
    buffers of the column batches stay a small share of it (Arrow's pool is not traced by tracemalloc)."""
    import subprocess
    import sys

    regions, sectors = 6, 100
    n = regions * sectors
    rng = np.random.default_rng(5)
    rows = pd.MultiIndex.from_product(
        [[f"r{i}" for i in range(regions)], [f"s{j}" for j in range(sectors)]], names=["region", "sector"]
    )
    final = pd.MultiIndex.from_product(
        [[f"r{i}" for i in range(regions)], ["hh"]], names=["region", "category"]
    )
    stressors = pd.MultiIndex.from_tuples([("co2", "air")], names=["stressor", "compartment"])
    system = pymrio.IOSystem(
        Z=pd.DataFrame(rng.uniform(0, 1, (n, n)), index=rows, columns=rows),
        Y=pd.DataFrame(rng.uniform(0, 1, (n, regions)) * n, index=rows, columns=final),
        unit=pd.DataFrame({"unit": "M EUR"}, index=rows),
        name="copies",
    )
    system.emissions = pymrio.Extension(
        name="Emissions",
        F=pd.DataFrame(rng.uniform(0, 1, (1, n)), index=stressors, columns=rows),
        F_Y=pd.DataFrame(rng.uniform(0, 1, (1, regions)), index=stressors, columns=final),
        unit=pd.DataFrame({"unit": ["kg"]}, index=stressors),
    )
    system.save_all(tmp_path / "big", table_format="parquet")
    small = _save(test_system, tmp_path / "small", "parquet")
    probe = subprocess.run(
        [sys.executable, "-c", _COPY_PROBE, str(small), str(tmp_path / "big")],
        capture_output=True,
        text=True,
        check=True,
    )
    measured = json.loads(probe.stdout.splitlines()[-1])
    values = n * n * 8
    assert measured["n"] == n
    assert measured["peak"] < 1.5 * values, f"traced peak {measured['peak'] / values:.2f} x the n x n bytes"
    assert measured["arrow_peak"] < 0.3 * values, f"Arrow peak {measured['arrow_peak'] / values:.2f} x"
