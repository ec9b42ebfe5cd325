"""Publisher sources: one module per source, each with `available_years` and a reader returning `MRIO`.

`load_mrio` is the single entry that the command line and the report use: it knows which arguments
each source needs, lists the years a data folder holds when asked for another, and applies the
stressor selection. Source modules are imported only when used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataFileError, YearNotAvailableError
from ..mrio import MRIO
from ..stressors import define_stressors

SOURCES: dict[str, str] = {
    "demo": "embedded demonstration data (synthetic regions 'Demo A'-'Demo F', 1990-2019); no --data",
    "wiod2013": "WIOD 2013 release tables (R package or publisher xlsx) with JRC CO2 via --emissions",
    "pymrio": "any MRIO saved by pymrio's save_all (text or parquet) in --data",
    "exiobase_agg": "EXIOBASE 3 aggregate in pymrio text layout (PS7_*.txt) in --data; needs --year",
    "cml3x8": "the 3-region x 8-sector 2015 course table in --data",
}


@dataclass(frozen=True)
class SourceRequest:
    """What a user asked for: the source, where its files are, and the stressor selection."""

    source: str
    data: Path | None = None
    emissions: Path | None = None
    stressor: Sequence[str] | None = None
    stressor_name: str | None = None


def _need(request: SourceRequest, what: str) -> Path:
    path = request.data if what == "data" else request.emissions
    if path is None:
        raise DataFileError(f"source {request.source!r} needs --{what} DIR ({SOURCES[request.source]})")
    if not path.exists():
        raise DataFileError(f"source {request.source!r}: --{what} {path} does not exist")
    return path


def available_years(request: SourceRequest) -> list[int]:
    """Years that the request's source and data folder hold (empty list: the source states none)."""
    if request.source == "demo":
        from .demo import available_years as demo_years

        return demo_years()
    if request.source == "wiod2013":
        from .wiod2013 import available_years as wiod_years

        return wiod_years(_need(request, "data"))
    if request.source == "pymrio":
        from .pymrio_saved import available_years as pymrio_years

        return pymrio_years(_need(request, "data"))
    if request.source == "cml3x8":
        return [2015]
    if request.source == "exiobase_agg":
        return []
    raise DataFileError(f"unknown source {request.source!r}; known sources: {', '.join(SOURCES)}")


def _reader(request: SourceRequest) -> Callable[[int], MRIO]:
    """A function year -> MRIO for the request; files shared by all years are read here, once."""
    if request.source == "demo":
        from .demo import read_demo

        return read_demo
    if request.source == "wiod2013":
        from .wiod2013 import read_wiod2013
        from .wiod_env import attach_jrc_co2_table, jrc_workbook, read_jrc_co2

        data = _need(request, "data")
        workbook = jrc_workbook(_need(request, "emissions"))
        co2 = read_jrc_co2(workbook)

        def read_wiod_year(year: int) -> MRIO:
            table = read_wiod2013(data, year, output_gap="residual_category")
            return attach_jrc_co2_table(table, co2, fold_missing=True, file_name=workbook.name)

        return read_wiod_year
    if request.source == "pymrio":
        from .pymrio_saved import read_pymrio

        data = _need(request, "data")
        return lambda year: read_pymrio(data, extension=None, year=year)
    if request.source == "exiobase_agg":
        from .exiobase_agg import read_exiobase_agg, read_exiobase_agg_co2

        data = _need(request, "data")
        if request.stressor:
            return lambda year: read_exiobase_agg(data, year=year)
        return lambda year: read_exiobase_agg_co2(data, year=year)
    if request.source == "cml3x8":
        from .cml3x8 import read_cml3x8

        data = _need(request, "data")
        return lambda year: read_cml3x8(data)
    raise DataFileError(f"unknown source {request.source!r}; known sources: {', '.join(SOURCES)}")


@dataclass(frozen=True)
class OpenSource:
    """A source ready to read year by year: its years are known and its shared files already read."""

    request: SourceRequest
    years: tuple[int, ...]
    read: Callable[[int], MRIO]

    def load(self, year: int) -> MRIO:
        """Read one year and apply the stressor selection.

        `request.stressor` names one row of F (picked as it is) or several (summed, units converted to
        the first row's unit), labelled `request.stressor_name` or the rows joined with ' + '.
        """
        if self.years and year not in self.years:
            raise YearNotAvailableError(
                f"source {self.request.source!r}"
                + (f" in {self.request.data}" if self.request.data else "")
                + f" holds the years {_span(self.years)}; {year} is not among them"
            )
        mrio = self.read(year)
        if self.request.stressor:
            rows = list(self.request.stressor)
            name = self.request.stressor_name or " + ".join(rows)
            mrio = define_stressors(mrio, {name: rows}, unit=mrio.stressor_units.get(rows[0]))
        return mrio


def open_source(request: SourceRequest) -> OpenSource:
    """Check the request, list its years and read what all years share (e.g. an emissions workbook)."""
    return OpenSource(request=request, years=tuple(available_years(request)), read=_reader(request))


def load_mrio(request: SourceRequest, year: int) -> MRIO:
    """Read one year of the requested source (see `OpenSource.load`)."""
    return open_source(request).load(year)


def _span(years: Sequence[int]) -> str:
    """'1995-2011' for a run of years, else the list."""
    ordered = sorted(years)
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}-{ordered[-1]}"
    return ", ".join(str(y) for y in ordered)
