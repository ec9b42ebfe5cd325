"""The one money-unit parser of `mrio_tools.units`: what mrio_tools writes, and publishers' spellings."""

from __future__ import annotations

import pytest

from mrio_tools.errors import UnitError
from mrio_tools.units import conversion_factor, is_monetary, normalise_money, parse_money


@pytest.mark.parametrize(
    ("unit", "parsed"),
    [
        ("M EUR", ("M", "EUR")),
        ("k USD", ("k", "USD")),
        ("bn CNY", ("bn", "CNY")),
        ("USD", ("", "USD")),
        (" M  EUR ", ("M", "EUR")),  # surrounding and repeated white space is read
        ("MXN", ("", "MXN")),  # a currency that starts with a scale letter is a currency
        ("Mill USD", None),  # publishers' spellings are rewritten first (normalise_money)
        ("M.EUR", None),
        ("MEUR", None),
        ("kg", None),
        ("kt/M USD", None),
        ("capita", None),
    ],
)
def test_parse_money(unit: str, parsed: tuple[str, str] | None) -> None:
    assert parse_money(unit) == parsed
    assert is_monetary(unit) == (parsed is not None)


@pytest.mark.parametrize(
    ("published", "written"),
    [
        ("Mill USD", "M USD"),
        ("Mill. USD", "M USD"),
        ("Mio. EUR", "M EUR"),
        ("million EUR", "M EUR"),
        ("M.EUR", "M EUR"),
        ("1000 USD", "k USD"),
        ("thousand EUR", "k EUR"),
        ("billion USD", "bn USD"),
        ("M EUR", "M EUR"),
        ("USD", "USD"),
        ("MXN", "MXN"),
        ("kg", "kg"),
        ("1000 p.", "1000 p."),
    ],
)
def test_normalise_money(published: str, written: str) -> None:
    assert normalise_money(published) == written
    # what normalise_money writes, the parser reads (or leaves alone when it is no money)
    assert (parse_money(written) is not None) == (written not in {"kg", "1000 p."})


def test_money_conversion_uses_the_one_parser() -> None:
    # 1 bn USD = 1000 M USD; per unit of money the factor inverts: 1 kg/k USD = 1000 kg/M USD
    assert conversion_factor("bn USD", "M USD") == pytest.approx(1000.0)
    assert conversion_factor("kg/k USD", "kg/M USD") == pytest.approx(1000.0)
    with pytest.raises(UnitError, match="differ in kind"):
        conversion_factor("M USD", "M EUR")
    with pytest.raises(UnitError, match="unknown unit 'Mill USD'"):
        conversion_factor("Mill USD", "M USD")
