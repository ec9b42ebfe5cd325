"""The embedded demonstration data: labelled as such, several years, valid accounts."""

from __future__ import annotations

import pytest

from mrio_tools.accounts.national import national_accounts
from mrio_tools.errors import YearNotAvailableError
from mrio_tools.sources.demo import DEMO_YEARS, read_demo
from mrio_tools.testing import assert_identities


def test_demo_is_labelled_and_cannot_pass_for_countries() -> None:
    table = read_demo(1990)
    assert table.notes["demonstration_data"] is True
    assert "DEMONSTRATION" in table.notes["label"]
    assert all(str(r).startswith("Demo ") for r in table.regions)
    assert table.source == "demo"


def test_demo_covers_1990_to_2019_and_changes_over_time() -> None:
    assert DEMO_YEARS[0] == 1990 and DEMO_YEARS[-1] == 2019
    first, last = read_demo(1990), read_demo(2019)
    assert not first.Y.equals(last.Y)
    assert last.Y.to_numpy().sum() > first.Y.to_numpy().sum()


@pytest.mark.parametrize("year", [1990, 2005, 2019])
def test_demo_accounts_satisfy_identities(year: int) -> None:
    assert_identities(national_accounts(read_demo(year)).table)


def test_year_outside_demo() -> None:
    with pytest.raises(YearNotAvailableError, match=r"1990-2019.*1985"):
        read_demo(1985)
