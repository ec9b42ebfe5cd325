"""The source registry: every source listed with its needs and options, unknown options rejected by name."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pymrio
import pytest

from mrio_tools.cli import main
from mrio_tools.errors import DataFileError, YearNotAvailableError
from mrio_tools.sources.registry import REGISTRY, SourceRequest, open_source, resolved_options, source_spec

EXPECTED = {
    "demo",
    "wiod2013",
    "pymrio",
    "exiobase_agg",
    "cml3x8",
    "exiobase3",
    "eora26",
    "oecd_icio",
    "gloria",
    "wiod2016",
}


def test_registry_lists_every_source_with_what_it_needs() -> None:
    assert set(REGISTRY) == EXPECTED
    assert REGISTRY["wiod2013"].needs == ("data", "emissions")
    assert REGISTRY["demo"].needs == ()
    assert REGISTRY["oecd_icio"].needs == ("data", "emissions")
    assert REGISTRY["exiobase3"].needs == REGISTRY["eora26"].needs == ("data",)
    assert [o.name for o in REGISTRY["wiod2013"].options] == ["output_gap"]
    assert REGISTRY["wiod2013"].option("output_gap").choices == (
        "recompute",
        "scale_rows",
        "residual_category",
    )


def test_sources_command_prints_every_entry_and_option() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mrio_tools", "sources"], capture_output=True, text=True, check=True
    )
    for name in EXPECTED:
        assert name in done.stdout
    assert "--output-gap recompute|scale_rows|residual_category" in done.stdout
    assert "--stressor-set fossil_co2|all" in done.stdout


def test_unknown_option_is_rejected_by_name() -> None:
    request = SourceRequest(source="demo", options={"output_gap": "scale_rows"})
    with pytest.raises(DataFileError, match=r"source 'demo' has no option 'output_gap'"):
        resolved_options(request)
    bad_value = SourceRequest(source="exiobase_agg", options={"stressor_set": "everything"})
    with pytest.raises(DataFileError, match=r"--stressor-set 'everything' is not one of fossil_co2, all"):
        resolved_options(bad_value)


def test_cli_rejects_an_option_of_another_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["accounts", "--source", "demo", "--year", "2000", "--out", str(tmp_path / "a.csv")]
    assert main([*args, "--output-gap", "scale_rows"]) == 2
    assert "source 'demo' has no option 'output_gap'" in capsys.readouterr().err
    assert not (tmp_path / "a.csv").exists()


def test_unknown_source_lists_the_known_ones() -> None:
    with pytest.raises(DataFileError, match="known sources: demo, wiod2013"):
        source_spec("no_such_source")  # gloria became a source (issue 18)


def test_defaults_are_resolved_and_recorded() -> None:
    assert resolved_options(SourceRequest(source="exiobase_agg")) == {"stressor_set": "fossil_co2"}
    # None: the reader decides by the files it finds and records why (see test_series output-gap tests)
    assert resolved_options(SourceRequest(source="wiod2013")) == {"output_gap": None}
    mrio = open_source(SourceRequest(source="demo")).load(2000)
    assert mrio.notes["source_options"] == {}


@pytest.fixture()
def save_without_year(tmp_path: Path) -> Path:
    pymrio.load_test().save_all(tmp_path / "save")
    return tmp_path / "save"


def test_multi_year_run_on_a_source_without_years_is_refused(save_without_year: Path) -> None:
    source = open_source(SourceRequest(source="pymrio", data=save_without_year))
    assert not source.states_years
    with pytest.raises(YearNotAvailableError, match="states no year, so 3 years would be copies"):
        source.check_years([2000, 2001, 2002])
    # one year is fine: it labels the table, and the metadata says the file had none
    mrio = source.load(2010)
    assert mrio.year == 2010
    assert mrio.notes["year_stated_by_source"] is False
    assert mrio.notes["year_note"] == "the files state no year; 2010 is the year the user gave"


def test_series_cli_refuses_years_before_any_work(
    save_without_year: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "series"
    code = main(
        [
            *("series", "--source", "pymrio", "--data", str(save_without_year), "--years", "2000-2002"),
            *("--out-dir", str(out), "--no-cache", "--no-progress"),
        ]
    )
    assert code == 2
    assert "states no year" in capsys.readouterr().err
    assert not out.exists()
    code = main(["series", "--source", "demo", "--years", "1985-1991", "--out-dir", str(out), "--no-cache"])
    assert code == 2
    err = capsys.readouterr().err
    assert "holds the years 1990-2019; 1985, 1986, 1987, 1988, 1989 are not among them" in err
    assert not out.exists()


def test_request_is_hashable_and_frozen() -> None:
    request = SourceRequest(source="wiod2013", stressor=["CO2"], options={"output_gap": "scale_rows"})
    assert hash(request) == hash(dataclasses.replace(request))
    assert request.stressor == ("CO2",)
