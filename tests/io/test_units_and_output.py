"""Unit conversion and atomic output writing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mrio_tools.errors import OutputError, UnitError
from mrio_tools.io.output import atomic_write, write_table
from mrio_tools.units import conversion_factor, to_unit


@pytest.mark.parametrize(
    ("source", "target", "factor"),
    [
        ("kt", "Mt", 1e-3),
        ("kg", "Mt", 1e-9),
        ("Mt CO2", "kt CO2", 1e3),
        ("kt/M USD", "kg/USD", 1.0),
        ("kg/M EUR", "kg/k EUR", 1e-3),
        ("t/capita", "kg/capita", 1e3),
    ],
)
def test_conversion_factors(source: str, target: str, factor: float) -> None:
    assert conversion_factor(source, target) == pytest.approx(factor)


@pytest.mark.parametrize(
    ("source", "target"), [("kg", "M EUR"), ("M EUR", "M USD"), ("kg/M EUR", "kg"), ("m3", "kg")]
)
def test_impossible_conversions(source: str, target: str) -> None:
    with pytest.raises(UnitError):
        conversion_factor(source, target)


def test_to_unit_converts_selected_rows_only() -> None:
    df = pd.DataFrame({"account": ["PBA", "GROSS_EXPORTS"], "unit": ["kt", "M USD"], "value": [2000.0, 5.0]})
    out = to_unit(df, "Mt", where=df["account"] == "PBA")
    assert out["value"].tolist() == [2.0, 5.0] and out["unit"].tolist() == ["Mt", "M USD"]
    assert df["value"].tolist() == [2000.0, 5.0]  # the input is not modified


def test_failed_write_keeps_the_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "accounts.csv"
    target.write_text("previous results\n")

    def broken(tmp: Path) -> None:
        tmp.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, broken)
    assert target.read_text() == "previous results\n"
    assert list(tmp_path.iterdir()) == [target]


def test_write_table_with_sidecar_metadata(tmp_path: Path) -> None:
    df = pd.DataFrame({"year": [2000], "value": [1.5]})
    write_table(df, tmp_path / "t.parquet", metadata={"source": "x", "years": (2000,)})
    assert pd.read_parquet(tmp_path / "t.parquet").equals(df)
    assert '"source": "x"' in (tmp_path / "t.meta.json").read_text()
    with pytest.raises(
        OutputError, match=r"t\.xlsx: unknown table format '\.xlsx'; name the file \.csv or \.parquet"
    ):
        write_table(df, tmp_path / "t.xlsx", metadata={})


def test_write_table_checks_the_long_schema(tmp_path: Path) -> None:
    from mrio_tools.errors import OutputError
    from mrio_tools.io.output import write_table, write_tables_together

    good = pd.DataFrame(
        {
            "year": [2000],
            "region": ["A"],
            "account": ["PBA"],
            "stressor": ["CO2"],
            "unit": ["kt"],
            "value": [1.0],
        }
    )
    write_table(good, tmp_path / "ok.csv", metadata={})
    write_table(good.assign(basis="table"), tmp_path / "series.csv", metadata={})
    for bad, message in (
        (good.assign(value=float("nan")), "without a value"),
        (good.assign(unit=None), "without a unit"),
        (good.assign(extra=1), "optionally followed by"),
    ):
        with pytest.raises(OutputError, match=message):
            write_table(bad, tmp_path / "bad.csv", metadata={})
        with pytest.raises(OutputError, match=message):
            write_tables_together([(good, tmp_path / "a.csv"), (bad, tmp_path / "b.csv")], metadata={})
    assert not (tmp_path / "bad.csv").exists() and not (tmp_path / "a.csv").exists()
    # tables of other layouts (findings, skill test, comparisons) are written as they are
    write_table(pd.DataFrame({"finding": ["x"], "value": [1.0]}), tmp_path / "other.csv", metadata={})
