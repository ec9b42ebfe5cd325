"""Tests of the national series readers: name mapping (real OWID file and a made one), rest of world."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from mrio_tools.context.names import aggregate_kind
from mrio_tools.context.national import (
    national_variable,
    read_national_csv,
    read_owid_co2,
)
from mrio_tools.errors import DataFileError, ValidationError

#: the 40 countries of the WIOD 2013 release (its `countries` vector, ROM written ROU)
WIOD_COUNTRIES = [
    "AUS",
    "AUT",
    "BEL",
    "BGR",
    "BRA",
    "CAN",
    "CHN",
    "CYP",
    "CZE",
    "DEU",
    "DNK",
    "ESP",
    "EST",
    "FIN",
    "FRA",
    "GBR",
    "GRC",
    "HUN",
    "IDN",
    "IND",
    "IRL",
    "ITA",
    "JPN",
    "KOR",
    "LTU",
    "LUX",
    "LVA",
    "MEX",
    "MLT",
    "NLD",
    "POL",
    "PRT",
    "ROU",
    "RUS",
    "SVK",
    "SVN",
    "SWE",
    "TUR",
    "TWN",
    "USA",
]

#: a small file in the OWID extract's layout: countries under English names, aggregates, bunkers
OWID_HEADER = (
    "country,year,population,gdp,co2,co2_per_capita,coal_co2,gas_co2,methane,nitrous_oxide,oil_co2,"
    "primary_energy_consumption\n"
)
OWID_ROWS: list[tuple[str, int, float | None, float | None, float | None]] = [
    # name, year, population, gdp, co2
    ("Germany", 2000, 80.0e6, 3.0e12, 900.0),
    ("Germany", 2001, 81.0e6, 3.1e12, 910.0),
    ("South Korea", 2000, 47.0e6, 1.0e12, 450.0),
    ("South Korea", 2001, 47.5e6, 1.1e12, 460.0),
    ("Czechia", 2000, 10.0e6, 0.2e12, 120.0),
    ("Czechia", 2001, 10.0e6, None, 121.0),
    ("Taiwan", 2000, 22.0e6, 0.6e12, 220.0),
    ("Taiwan", 2001, 22.1e6, 0.62e12, 225.0),
    ("Kuwait", 2000, 2.0e6, 0.1e12, 50.0),
    ("Kuwait", 2001, 2.1e6, 0.1e12, 52.0),
    ("World", 2000, 6.0e9, 50.0e12, 25000.0),
    ("World", 2001, 6.1e9, None, 25500.0),
    ("Kuwaiti Oil Fires", 2000, None, None, 0.0),
    ("OECD (GCP)", 2000, None, None, 12000.0),
    ("International shipping", 2000, None, None, 400.0),
    ("Upper-middle-income countries", 2000, 2.0e9, None, 8000.0),
    ("Asia (excl. China and India)", 2000, 1.0e9, None, 5000.0),
]


def _write_owid(
    path: Path, rows: Sequence[tuple[str, int, float | None, float | None, float | None]]
) -> Path:
    def cell(v: float | None) -> str:
        return "" if v is None else repr(v)

    lines = [f"{n},{y},{cell(p)},{cell(g)},{cell(c)},,,,,,," for n, y, p, g, c in rows]
    path.write_text(OWID_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_real_owid_file_maps_every_name(shared_data: Path) -> None:
    table = read_owid_co2(shared_data / "owid_co2_2025")
    names = set(table.names) | set(table.aggregate_kinds)
    assert len(names) == 254
    assert not set(table.names) & set(table.aggregate_kinds)
    for aggregate in (
        "World",
        "OECD (GCP)",
        "Non-OECD (GCP)",
        "European Union (27)",
        "Asia",
        "High-income countries",
        "International shipping",
        "International aviation",
        "Kuwaiti Oil Fires",
        "Ryukyu Islands",
    ):
        assert aggregate in table.aggregate_kinds, aggregate
    codes = set(table.countries.index.get_level_values("region"))
    assert set(WIOD_COUNTRIES) <= codes
    assert len(codes) == len(table.names)  # one name per code, none counted twice
    assert all(len(code) == 3 and code.isupper() for code in codes)
    assert table.names["United States"] == "USA"
    assert table.names["Czechia"] == "CZE"
    assert table.names["Taiwan"] == "TWN"
    assert table.names["Kuwait"] == "KWT"
    # CO2 for every WIOD country in every year 1990-2024 (data README)
    frame, _ = national_variable(
        table,
        variable="co2",
        regions=WIOD_COUNTRIES,
        rest_of_world=[],
        years=range(1990, 2025),
        world_total="world_row",
    )
    assert frame.notna().all().all()


def test_made_owid_file_splits_countries_and_aggregates(tmp_path: Path) -> None:
    table = read_owid_co2(_write_owid(tmp_path / "owid-co2-data-extract.csv", OWID_ROWS))
    assert table.names == {
        "Czechia": "CZE",
        "Germany": "DEU",
        "Kuwait": "KWT",
        "South Korea": "KOR",
        "Taiwan": "TWN",
    }
    assert set(table.aggregate_kinds) == {
        "World",
        "Kuwaiti Oil Fires",
        "OECD (GCP)",
        "International shipping",
        "Upper-middle-income countries",
        "Asia (excl. China and India)",
    }
    assert table.units == {"co2": "Mt", "gdp": "international $ (2011 prices)", "population": "persons"}
    assert table.countries.loc[("KWT", 2000), "co2"] == 50.0  # the oil fires are not Kuwait's
    assert table.aggregates.loc[("World", 2000), "co2"] == 25000.0


def test_folder_path_finds_the_extract(tmp_path: Path) -> None:
    _write_owid(tmp_path / "owid-co2-data-extract.csv", OWID_ROWS)
    assert read_owid_co2(tmp_path).names["Germany"] == "DEU"


def test_unknown_name_is_an_error_listing_it(tmp_path: Path) -> None:
    path = _write_owid(tmp_path / "x.csv", [*OWID_ROWS, ("Atlantis", 2000, 1.0, 1.0, 1.0)])
    with pytest.raises(DataFileError, match="Atlantis") as err:
        read_owid_co2(path)
    assert str(path) in str(err.value)


def test_two_names_for_one_country_is_an_error(tmp_path: Path) -> None:
    path = _write_owid(tmp_path / "x.csv", [*OWID_ROWS, ("Republic of Korea", 2000, 1.0, 1.0, 1.0)])
    with pytest.raises(DataFileError, match="KOR"):
        read_owid_co2(path)


def test_aggregate_kinds() -> None:
    assert aggregate_kind("World") == "world"
    assert aggregate_kind("Europe (GCP)") is not None
    assert aggregate_kind("Lower-middle-income countries") == "income group"
    assert aggregate_kind("France") is None


def test_rest_of_world_is_world_minus_countries(tmp_path: Path) -> None:
    table = read_owid_co2(_write_owid(tmp_path / "o.csv", OWID_ROWS))
    frame, meta = national_variable(
        table,
        variable="co2",
        regions=["DEU", "KOR", "RoW"],
        rest_of_world=["RoW"],
        years=[2000, 2001],
        world_total="world_row",
    )
    assert frame.loc["DEU", 2001] == 910.0
    assert frame.loc["RoW", 2000] == pytest.approx(25000.0 - 900.0 - 450.0)
    assert frame.loc["RoW", 2001] == pytest.approx(25500.0 - 910.0 - 460.0)
    assert list(frame.index) == ["DEU", "KOR", "RoW"]
    assert meta["rest_of_world"]["rule"] == "World minus the table's 2 countries"
    assert meta["unit"] == "Mt"


def test_world_gap_is_refused_or_filled_by_sum_of_countries(tmp_path: Path) -> None:
    table = read_owid_co2(_write_owid(tmp_path / "o.csv", OWID_ROWS))
    kwargs = {"variable": "gdp", "regions": ["DEU", "RoW"], "rest_of_world": ["RoW"], "years": [2000, 2001]}
    with pytest.raises(ValidationError, match="World gdp is empty in 2001"):
        national_variable(table, world_total="world_row", **kwargs)  # type: ignore[arg-type]
    frame, meta = national_variable(table, world_total="sum_of_countries", **kwargs)  # type: ignore[arg-type]
    # countries with GDP in both years: DEU, KOR, TWN, KWT (CZE has a gap); RoW = their sum minus DEU
    assert frame.loc["RoW", 2000] == pytest.approx(1.0e12 + 0.6e12 + 0.1e12)
    assert frame.loc["RoW", 2001] == pytest.approx(1.1e12 + 0.62e12 + 0.1e12)
    assert "CZE" in meta["rest_of_world"]["world_total"]


def test_missing_country_value_names_region_and_year(tmp_path: Path) -> None:
    table = read_owid_co2(_write_owid(tmp_path / "o.csv", OWID_ROWS))
    with pytest.raises(ValidationError, match="CZE 2001"):
        national_variable(
            table,
            variable="gdp",
            regions=["CZE"],
            rest_of_world=[],
            years=[2000, 2001],
            world_total="world_row",
        )
    with pytest.raises(ValidationError, match="FRA"):
        national_variable(
            table, variable="co2", regions=["FRA"], rest_of_world=[], years=[2000], world_total="world_row"
        )


def test_generic_layout(tmp_path: Path) -> None:
    path = tmp_path / "national.csv"
    path.write_text(
        "region,year,co2,gdp,population\nDEU,2000,900,3e12,80e6\nFrance,2000,400,2e12,60e6\nWorld,2000,25000,,6e9\n",
        encoding="utf-8",
    )
    table = read_national_csv(path, gdp_unit="M EUR (2015 prices)", co2_principle="territorial", source="own")
    assert table.names == {"DEU": "DEU", "France": "FRA"}
    assert table.units["gdp"] == "M EUR (2015 prices)"
    frame, _ = national_variable(
        table,
        variable="population",
        regions=["FRA", "ROW"],
        rest_of_world=["ROW"],
        years=[2000],
        world_total="world_row",
    )
    assert frame.loc["ROW", 2000] == pytest.approx(6e9 - 60e6)
    assert frame.at["FRA", 2000] == pytest.approx(60e6)


def test_generic_layout_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "national.csv"
    path.write_text("region,year,co2\nDEU,2000,900\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="gdp"):
        read_national_csv(path, gdp_unit="x", co2_principle="territorial", source="own")


def test_country_converter_import_failure_is_explained(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "country_converter", None)
    with pytest.raises(ImportError, match="pandas < 3"):
        read_owid_co2(_write_owid(tmp_path / "o.csv", OWID_ROWS))
