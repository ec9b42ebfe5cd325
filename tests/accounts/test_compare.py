"""Tests of the comparison with reference tables: hand-computed differences, unmatched rows, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mrio_tools.accounts.compare import COMPARISON_COLUMNS, check_reference, compare_accounts, read_reference
from mrio_tools.errors import DataFileError, UnitError, ValidationError


def _accounts(rows: list[tuple[int, str, str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["year", "region", "account", "stressor", "unit", "value"])


ACCOUNTS = _accounts(
    [
        (2011, "CHN", "PBA", "CO2", "Mt", 10.0),
        (2011, "CHN", "CBA", "CO2", "Mt", 8.0),
        (2011, "DEU", "PBA", "CO2", "Mt", -2.0),
        (2011, "DEU", "CBA", "CO2", "Mt", 3.0),
        (2011, "DEU", "PBA_PER_CAPITA", "CO2", "kg/capita", 9000.0),
    ]
)
REFERENCE = pd.DataFrame(
    {
        "region": ["CHN", "CHN", "DEU", "DEU", "USA"],
        "year": [2011, 2011, 2011, 2011, 2011],
        "account": ["PBA", "CBA", "PBA", "PBA_PER_CAPITA", "PBA"],
        "value": [9000.0, 0.0, -4.0, 10.0, 5.0],
        "unit": ["kt", "Gt", "Mt", "t/capita", "Gt CO2"],
    }
)


def _row(table: pd.DataFrame, region: str, account: str) -> pd.Series:
    hit = table[(table["region"] == region) & (table["account"] == account)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_columns_and_statuses() -> None:
    out = compare_accounts(ACCOUNTS, REFERENCE, stressor=None)
    assert tuple(out.columns) == COMPARISON_COLUMNS
    statuses = {(r.region, r.account): r.status for r in out.itertuples()}
    assert statuses == {
        ("CHN", "PBA"): "matched",
        ("CHN", "CBA"): "matched",
        ("DEU", "PBA"): "matched",
        ("DEU", "CBA"): "only_ours",
        ("DEU", "PBA_PER_CAPITA"): "matched",
        ("USA", "PBA"): "only_reference",
    }
    assert (out["stressor"] == "CO2").all()
    assert list(out[["region", "account"]].itertuples(index=False, name=None)) == sorted(statuses)


def test_matched_values_by_hand() -> None:
    out = compare_accounts(ACCOUNTS, REFERENCE, stressor="CO2")
    chn = _row(out, "CHN", "PBA")  # 9000 kt = 9 Mt: diff 1 Mt, 1/9
    assert (chn["unit"], chn["ours"], chn["reference"]) == ("Mt", 10.0, 9.0)
    assert chn["abs_diff"] == pytest.approx(1.0)
    assert chn["rel_diff"] == pytest.approx(1.0 / 9.0)
    deu = _row(out, "DEU", "PBA")  # a negative reference: divided by its absolute value
    assert deu["abs_diff"] == pytest.approx(2.0)
    assert deu["rel_diff"] == pytest.approx(0.5)
    per_capita = _row(out, "DEU", "PBA_PER_CAPITA")  # 10 t/capita = 10000 kg/capita
    assert per_capita["unit"] == "kg/capita"
    assert per_capita["reference"] == pytest.approx(10000.0)
    assert per_capita["rel_diff"] == pytest.approx(-0.1)


def test_zero_reference_gives_nan_relative_only() -> None:
    out = compare_accounts(ACCOUNTS, REFERENCE, stressor="CO2")
    cba = _row(out, "CHN", "CBA")
    assert cba["abs_diff"] == pytest.approx(8.0)
    assert np.isnan(cba["rel_diff"])
    matched = out[out["status"] == "matched"]
    assert matched["rel_diff"].isna().sum() == 1


def test_unmatched_rows_are_kept() -> None:
    out = compare_accounts(ACCOUNTS, REFERENCE, stressor="CO2")
    ours_only = _row(out, "DEU", "CBA")
    assert ours_only["ours"] == 3.0
    assert ours_only["unit"] == "Mt"
    assert np.isnan(ours_only["reference"]) and np.isnan(ours_only["abs_diff"])
    ref_only = _row(out, "USA", "PBA")
    assert ref_only["reference"] == 5.0
    assert ref_only["unit"] == "Gt CO2"  # no row of ours to convert to: the reference's own unit
    assert np.isnan(ref_only["ours"]) and np.isnan(ref_only["rel_diff"])
    assert len(out) == len(ACCOUNTS) + 1


def test_several_stressors_need_a_choice() -> None:
    both = pd.concat([ACCOUNTS, ACCOUNTS.assign(stressor="CH4", value=ACCOUNTS["value"] * 0.01)])
    with pytest.raises(ValidationError, match=r"stressors \['CH4', 'CO2'\]; pass stressor="):
        compare_accounts(both, REFERENCE, stressor=None)
    out = compare_accounts(both, REFERENCE, stressor="CH4")
    assert _row(out, "CHN", "PBA")["ours"] == pytest.approx(0.1)
    with pytest.raises(ValidationError, match="'N2O' is not in the accounts table"):
        compare_accounts(both, REFERENCE, stressor="N2O")


def test_unit_that_does_not_convert_names_the_row() -> None:
    bad = REFERENCE.assign(unit=["kt", "Gt", "M EUR", "t/capita", "Gt"])
    with pytest.raises(UnitError, match=r"reference row \(DEU, 2011, PBA\): unit 'M EUR'.*'Mt'"):
        compare_accounts(ACCOUNTS, bad, stressor="CO2")


def test_repeated_keys_are_errors() -> None:
    with pytest.raises(ValidationError, match=r"repeat a \(region, year, account\)"):
        check_reference(pd.concat([REFERENCE, REFERENCE.iloc[:1]]))
    with pytest.raises(ValidationError, match="accounts table repeats"):
        compare_accounts(pd.concat([ACCOUNTS, ACCOUNTS.iloc[:1]]), REFERENCE, stressor="CO2")


def test_read_reference_csv(tmp_path: Path) -> None:
    path = tmp_path / "ref.csv"
    path.write_text(
        "region,year,account,value,unit,source\nCHN,2011,PBA,9000,kt,inventory\nUSA,2011,PBA,5,Gt CO2,x\n"
    )
    table = read_reference(path)
    assert list(table.columns) == ["region", "year", "account", "value", "unit"]
    assert table["year"].dtype.kind == "i"
    assert table["value"].tolist() == [9000.0, 5.0]


def test_read_reference_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "ref.xlsx"
    REFERENCE.to_excel(path, index=False)
    pd.testing.assert_frame_equal(read_reference(path), check_reference(REFERENCE))


def test_read_reference_missing_column_shows_layout(tmp_path: Path) -> None:
    path = tmp_path / "ref.csv"
    path.write_text("country,year,account,value\nCHN,2011,PBA,9\n")
    with pytest.raises(
        DataFileError, match=r"ref.csv: .*lacks the columns \['region', 'unit'\].*region, year, account"
    ):
        read_reference(path)


def test_read_reference_bad_values(tmp_path: Path) -> None:
    path = tmp_path / "ref.csv"
    path.write_text("region,year,account,value,unit\nCHN,2011,PBA,nine,Mt\nDEU,2011.5,PBA,1,Mt\n")
    with pytest.raises(DataFileError, match=r"rows #0 \(CHN, 2011(\.0)?, PBA\) have no finite number"):
        read_reference(path)
    path.write_text("region,year,account,value,unit\nDEU,2011.5,PBA,1,Mt\n")
    with pytest.raises(DataFileError, match="no whole year"):
        read_reference(path)
    path.write_text("region,year,account,value,unit\nDEU,2011,PBA,1,\n")
    with pytest.raises(DataFileError, match="have no unit"):
        read_reference(path)
    with pytest.raises(DataFileError, match="no such reference file"):
        read_reference(tmp_path / "absent.csv")


def test_accounts_table_needs_long_columns() -> None:
    with pytest.raises(ValidationError, match=r"lacks the columns \['unit'\]"):
        compare_accounts(ACCOUNTS.drop(columns="unit"), REFERENCE, stressor="CO2")
