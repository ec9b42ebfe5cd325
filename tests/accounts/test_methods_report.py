"""The report's methods section and sheets (`mrio-tools report --methods-dir`), on the demo."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from mrio_tools.accounts import eebt, tcba
from mrio_tools.errors import DataFileError
from mrio_tools.io.output import write_table
from mrio_tools.leontief.solved import solve_year
from mrio_tools.report.build import build_report
from mrio_tools.report.methods_section import SHEETS, read_methods_folder
from mrio_tools.series.run import run_series
from mrio_tools.sources.demo import read_demo
from mrio_tools.sources.registry import SourceRequest


def test_report_has_a_methods_section_and_a_sheet_per_method(tmp_path: Path) -> None:
    series = tmp_path / "series"
    run_series(
        SourceRequest(source="demo"),
        [2010, 2011],
        series,
        solver="dense",
        unit=None,
        cache=None,
        progress=False,
    )
    methods = tmp_path / "methods"
    solved = solve_year(read_demo(2011), solver="dense")
    result = eebt.eebt_accounts(solved)
    write_table(result.table, methods / "eebt.csv", metadata=result.metadata)
    result = tcba.tcba_accounts(solved)
    write_table(result.table, methods / "tcba.csv", metadata=result.metadata)
    out = tmp_path / "report"
    build_report(series, out, lang="en", methods_dir=methods)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert '<section id="methods">' in page and page.index('id="methods"') < page.index('id="reproduce"')
    # the accounts are shown by their names in words (no code names on the page), units beside them
    assert "CBA, trade view (EEBT)" in page and "technology-adjusted CBA" in page
    book = load_workbook(out / "tables" / "policy_tables.xlsx")
    assert SHEETS["eebt"]["en"] in book.sheetnames and SHEETS["tcba"]["en"] in book.sheetnames
    assert SHEETS["sda"]["en"] not in book.sheetnames
    long = pd.read_csv(out / "tables" / "methods_eebt.csv")
    assert set(long["year"]) == {2011} and "CBA_EEBT" in set(long["account"])


def test_an_empty_methods_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="--methods-dir"):
        read_methods_folder(tmp_path)
