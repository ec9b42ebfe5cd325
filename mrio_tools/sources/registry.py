"""Publisher sources: the registry of entries, one per source, and the request that opens one.

Each source module declares at its bottom what it is, ``SPEC: SourceSpec`` (mrio_tools.sources.spec):
its name and one-line description, which paths it needs (`--data`, `--emissions`), which years its
files hold, which scientific choices its reader makes (`SourceOption`, each with its choices and
default, written into the metadata), which raw files a year depends on (for the store's keys) and how
to read a year. `REGISTRY` collects them here, one import line each; `mrio-tools sources`, the
command line's checks and the error messages all come from it. Adding a source is one module with its
`SPEC` plus one line here. Heavy readers (rdata, openpyxl, pymrio) are imported only when a source is
opened.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from mrio_tools.choices import YesNo
from mrio_tools.errors import DataFileError, YearNotAvailableError, listed
from mrio_tools.mrio.container import MRIO, with_notes
from mrio_tools.mrio.stressors import define_stressors
from mrio_tools.sources.spec import (
    ExtensionParts,
    SourceOption,
    SourceRequest,
    SourceSpec,
    folder_files,
    need,
)


# ------------------------------------------------------------ the pymrio entry (its reader's file is
# the performance engineer's: its spec stays here)
def _pymrio_years(request: SourceRequest) -> list[int]:
    from mrio_tools.sources.pymrio_saved import available_years as pymrio_years

    return pymrio_years(need(request, "data"))


def _pymrio_open(request: SourceRequest, options: Mapping[str, str | None]) -> Callable[[int], MRIO]:
    from mrio_tools.sources.pymrio_saved import read_pymrio

    data = need(request, "data")
    allow = options["allow_negative_intermediate"] == "yes"
    return lambda year: read_pymrio(data, extension=None, year=year, allow_negative_intermediate=allow)


NEGATIVE_INTERMEDIATE = SourceOption(
    name="allow_negative_intermediate",
    choices=get_args(YesNo),
    default="no",
    help="yes: accept negative Z cells where the save's metadata.json documents them "
    "('negative_intermediate'); no: a negative Z cell is an error naming it",
)

PYMRIO = SourceSpec(
    name="pymrio",
    description="any MRIO saved by pymrio's save_all (text or parquet) in --data",
    needs=("data",),
    years=_pymrio_years,
    files=lambda request, year: folder_files(need(request, "data")),
    open=_pymrio_open,
    options=(NEGATIVE_INTERMEDIATE,),
)

# ------------------------------------------------------------------ the registry: one line per source
from mrio_tools.sources.cml3x8 import SPEC as CML3X8  # noqa: E402
from mrio_tools.sources.demo import SPEC as DEMO  # noqa: E402
from mrio_tools.sources.eora26 import SPEC as EORA26  # noqa: E402
from mrio_tools.sources.exiobase3 import SPEC as EXIOBASE3  # noqa: E402
from mrio_tools.sources.exiobase_agg import SPEC as EXIOBASE_AGG  # noqa: E402
from mrio_tools.sources.gloria import SPEC as GLORIA  # noqa: E402
from mrio_tools.sources.oecd_icio import SPEC as OECD_ICIO  # noqa: E402
from mrio_tools.sources.wiod2013 import SPEC as WIOD2013  # noqa: E402
from mrio_tools.sources.wiod2016 import SPEC as WIOD2016  # noqa: E402

REGISTRY: Mapping[str, SourceSpec] = {
    spec.name: spec
    for spec in (
        DEMO,
        WIOD2013,
        PYMRIO,
        EXIOBASE_AGG,
        CML3X8,
        EXIOBASE3,
        EORA26,
        OECD_ICIO,
        GLORIA,
        WIOD2016,
    )
}

#: name -> one-line description (what `mrio-tools sources` prints first)
SOURCES: Mapping[str, str] = {name: spec.description for name, spec in REGISTRY.items()}


def source_spec(name: str) -> SourceSpec:
    """The registry entry of `name`; `DataFileError` listing the known sources otherwise."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise DataFileError(
            f"unknown source {name!r}; known sources: {', '.join(REGISTRY)} (mrio-tools sources)"
        ) from None


def resolved_options(request: SourceRequest) -> dict[str, str | None]:
    """Every option of the request's source: the user's value, else the default (None: by the files).

    Unknown option names and values outside an option's choices raise `DataFileError` naming them.
    """
    spec = source_spec(request.source)
    for name in request.options:
        spec.option(name)
    values: dict[str, str | None] = {}
    for option in spec.options:
        value = request.options.get(option.name, option.default)
        if value is not None and value not in option.choices:
            raise DataFileError(
                f"source {spec.name!r}: {option.flag} {value!r} is not one of {', '.join(option.choices)}"
            )
        values[option.name] = value
    return values


def available_years(request: SourceRequest) -> list[int]:
    """Years that the request's source and data folder hold (empty list: the files state none)."""
    spec = source_spec(request.source)
    for what in spec.needs:
        need(request, what)
    return spec.years(request)


def source_files(request: SourceRequest, year: int) -> list[Path]:
    """The raw files the year's table is read from (the store hashes them for its keys)."""
    return source_spec(request.source).files(request, year)


@dataclass(frozen=True)
class OpenSource:
    """A source ready to read year by year: its paths, options and years are checked.

    The files all years share (e.g. an emissions workbook) are read once, on the first `read`, so
    that checking a request, or a series whose years are all current, reads none of them.
    """

    request: SourceRequest
    years: tuple[int, ...]
    options: Mapping[str, str | None]

    @functools.cached_property
    def read(self) -> Callable[[int], MRIO]:
        """The source's year reader (`SourceSpec.open`), made on first use."""
        return source_spec(self.request.source).open(self.request, self.options)

    @property
    def states_years(self) -> bool:
        """False for a source whose files state no year (the user's --year labels the table)."""
        return bool(self.years)

    def check_years(self, years: Sequence[int]) -> None:
        """Refuse years the source does not hold, and a multi-year run on a source that states none."""
        if not self.years:
            if len(set(years)) > 1:
                raise YearNotAvailableError(
                    f"source {self.request.source!r}"
                    + (f" in {self.request.data}" if self.request.data else "")
                    + f" states no year, so {len(set(years))} years would be copies of one table. Fix: "
                    "run one --year (it labels the table, and the metadata says the file had none)"
                )
            return
        missing = sorted(set(years) - set(self.years))
        if missing:
            raise YearNotAvailableError(
                f"source {self.request.source!r}"
                + (f" in {self.request.data}" if self.request.data else "")
                + f" holds the years {span(self.years)}; {listed(missing)} "
                + ("is" if len(missing) == 1 else "are")
                + " not among them. Fix: pick years within that range"
            )

    def load(self, year: int) -> MRIO:
        """Read one year and apply the stressor selection.

        `request.stressor` names one row of F (picked as it is) or several (summed, units converted to
        the first row's unit), labelled `request.stressor_name` or the rows joined with ' + '.
        """
        self.check_years([year])
        return self.finish(self.read(year))

    def finish(self, mrio: MRIO) -> MRIO:
        """`mrio` with the stressor selection applied and the source options in its notes."""
        year = mrio.year
        extra: dict[str, Any] = {"source_options": dict(self.options)}
        if not self.years:
            extra["year_stated_by_source"] = False
            extra["year_note"] = f"the files state no year; {year} is the year the user gave"
        if self.request.stressor:
            rows = list(self.request.stressor)
            name = self.request.stressor_name or " + ".join(rows)
            mrio = define_stressors(mrio, {name: rows}, unit=mrio.stressor_units.get(rows[0]))
        return with_notes(mrio, extra)


def open_source(request: SourceRequest) -> OpenSource:
    """Check the request (paths, options) and list its years (shared files are read on first use)."""
    options = resolved_options(request)
    return OpenSource(request=request, years=tuple(available_years(request)), options=options)


def load_mrio(request: SourceRequest, year: int) -> MRIO:
    """Read one year of the requested source (see `OpenSource.load`)."""
    return open_source(request).load(year)


def span(years: Sequence[int]) -> str:
    """'1995-2011' for a run of years, else the list."""
    ordered = sorted(years)
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}-{ordered[-1]}"
    return ", ".join(str(y) for y in ordered)


__all__ = [
    "REGISTRY",
    "SOURCES",
    "ExtensionParts",
    "OpenSource",
    "SourceOption",
    "SourceRequest",
    "SourceSpec",
    "available_years",
    "load_mrio",
    "open_source",
    "resolved_options",
    "source_files",
    "source_spec",
    "span",
]
