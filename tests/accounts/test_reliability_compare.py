"""Bad compare inputs of issue 13 (--accounts, --reference), each with a named error.

Moved from tests/test_reliability.py (assertions unchanged); docs/reliability.md names each test.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mrio_tools.accounts.compare import read_accounts, read_reference
from mrio_tools.errors import DataFileError
from mrio_tools.io.output import (
    write_table,
)


def test_compare_accounts_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"absent.csv: no such accounts file.*Fix: pass the table"):
        read_accounts(tmp_path / "absent.csv")


def _accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2010, 2010],
            "region": ["AUS", "AUT"],
            "account": ["PBA", "PBA"],
            "stressor": ["CO2", "CO2"],
            "unit": ["kt", "kt"],
            "value": [1.5, 2.5],
        }
    )


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_compare_reads_the_accounts_the_tool_writes(tmp_path: Path, suffix: str) -> None:
    path = write_table(_accounts(), tmp_path / f"accounts{suffix}", metadata={})
    table = read_accounts(path)
    assert table["value"].tolist() == [1.5, 2.5] and table["year"].tolist() == [2010, 2010]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", r"the accounts file is empty"),
        (b"\x00\x01\x02binary\xff", r"a binary file, not a CSV"),
        (b"a,b\n1,2\n", r"lacks the columns \['year', 'region', 'account', 'stressor', 'unit', 'value'\]"),
        (b"year,region,account,stressor,unit,value\n", r"has no rows"),
        (b"year,region,account,stressor,unit,value\n2010,AUS,PBA,CO2,kt,lots\n", r"rows 2 .*no number"),
        (b"PAR1 not really parquet", r"not a readable parquet accounts table"),
    ],
)
def test_compare_bad_accounts_files(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=expected):
        read_accounts(path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", r"the reference file is empty"),
        (b"   \n\n", r"the reference file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", r"a binary file, not a CSV"),
        (b"region,year,account,value,unit\n", r"header but no rows"),
        (b"region,year,account,value,unit\nR\xe9union,2010,PBA,1,kt\n", r"not UTF-8 text at byte 32"),
    ],
)
def test_compare_empty_or_binary_reference(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "reference.csv"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=expected):
        read_reference(path)


def test_compare_reference_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"is a folder, not a reference file"):
        read_reference(tmp_path)
