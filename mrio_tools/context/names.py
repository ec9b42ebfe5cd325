"""Country names to ISO 3166 alpha-3 codes, and the aggregates (World, continents, ...) that are no country.

docs/methods.md, "Country groups and regions": names become ISO3 codes through country_converter
(Stadler 2017), a maintained classification, not a hand-written map. Aggregates are recognised first
and never taken for countries: country_converter alone would, e.g., map 'Kuwaiti Oil Fires' to KWT.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any, Final

from mrio_tools.errors import DataFileError, listed

#: exact names of aggregates and other non-country rows, with what they are
AGGREGATE_NAMES: Final[dict[str, str]] = {
    "World": "world",
    "Africa": "continent",
    "Asia": "continent",
    "Europe": "continent",
    "North America": "continent",
    "South America": "continent",
    "Oceania": "continent",
    "European Union (27)": "political group",
    "European Union (28)": "political group",
    "International aviation": "international transport (bunkers)",
    "International shipping": "international transport (bunkers)",
    "International transport": "international transport (bunkers)",
    "Kuwaiti Oil Fires": "event (emissions of the 1991 Kuwaiti oil fires)",
    "Ryukyu Islands": "historical territory (1945-1972, now part of Japan)",
}
#: name patterns of aggregates: published groupings carry their author in brackets
AGGREGATE_PATTERNS: Final[tuple[tuple[str, str], ...]] = (
    (r"\((GCP|Jones et al\.)\)$", "group as published by its author"),
    (r"\(excl\. ", "region excluding some countries"),
    (r"income countries$", "income group"),
    (r"^(OECD|Non-OECD)\b", "political group"),
)


def aggregate_kind(name: str) -> str | None:
    """What kind of aggregate `name` is ('world', 'continent', 'income group', ...), None for a country."""
    name = name.strip()
    if name in AGGREGATE_NAMES:
        return AGGREGATE_NAMES[name]
    for pattern, kind in AGGREGATE_PATTERNS:
        if re.search(pattern, name):
            return kind
    return None


def country_converter() -> Any:
    """A country_converter CountryConverter, or an ImportError that says what to do."""
    try:
        import country_converter as coco
    except Exception as err:  # any import failure gets the same advice
        raise ImportError(
            "country_converter could not be imported "
            f"({type(err).__name__}: {err}); country names and groups need it. Install the project's "
            "pinned dependencies (country_converter 1.3.2 needs pandas < 3: pip install 'pandas<3')"
        ) from err
    return coco.CountryConverter()


def iso3_codes() -> frozenset[str]:
    """Every ISO3 code that country_converter knows."""
    return frozenset(str(c) for c in country_converter().data["ISO3"].dropna())


def names_to_iso3(names: Iterable[str], *, where: str) -> dict[str, str]:
    """Map country names (or ISO3 codes) to ISO3 codes; aggregates must be removed before.

    Every name must map to exactly one ISO3 code that country_converter knows, and no two names to
    the same code; otherwise `DataFileError` names `where` and lists the names at fault.
    """
    unique = sorted({str(n).strip() for n in names})
    if not unique:
        return {}
    cc = country_converter()
    known = frozenset(str(c) for c in cc.data["ISO3"].dropna())
    # country_converter logs a warning for every unmatched name; we raise with all of them instead
    cc_logger = logging.getLogger("country_converter")
    previous = cc_logger.level
    cc_logger.setLevel(logging.ERROR)
    try:
        converted = cc.convert(unique, src="regex", to="ISO3", not_found=None)
    finally:
        cc_logger.setLevel(previous)
    codes = converted if isinstance(converted, list) else [converted]
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    for name, code in zip(unique, codes, strict=True):
        if isinstance(code, str) and code in known:
            mapping[name] = code
        else:
            unknown.append(f"{name!r} ({'several countries' if isinstance(code, list) else 'no match'})")
    if unknown:
        raise DataFileError(
            f"{where}: {len(unknown)} names map to no single country: {listed(unknown)}; write the "
            "country's English name or ISO3 code, or, for an aggregate, a name that mrio_tools "
            "recognises (AGGREGATE_NAMES, AGGREGATE_PATTERNS)"
        )
    by_code: dict[str, list[str]] = {}
    for name, code in mapping.items():
        by_code.setdefault(code, []).append(name)
    repeated = [f"{code} <- {names}" for code, names in by_code.items() if len(names) > 1]
    if repeated:
        raise DataFileError(
            f"{where}: several names map to one country, which would count it twice: {listed(repeated)}; "
            "keep one row per country"
        )
    return mapping
