"""Publisher sources: a registry of declarative entries, one per source, and the request that opens one.

Each `SourceSpec` says in one place what a source is (name, one-line description), which paths it
needs (`--data`, `--emissions`), which years its files hold, which scientific choices its reader
makes (`SourceOption`, each with its choices and default, written into the metadata), which raw files a
year depends on (for the store's keys) and how to read a year. `mrio-tools sources`, the command
line's checks and the error messages all come from `REGISTRY`. Adding a source is one module plus
one entry here. Source modules are imported only when a source is opened.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from mrio_tools.choices import OUTPUT_GAP_TREATMENTS, StressorSet, YesNo
from mrio_tools.errors import DataFileError, YearNotAvailableError, listed
from mrio_tools.mrio.container import MRIO
from mrio_tools.mrio.stressors import define_stressors


@dataclass(frozen=True)
class SourceOption:
    """A scientific choice a source's reader makes, visible and settable by the user.

    `default` is one of `choices`, or None where the reader picks by the files it finds (then
    `default_help` says how, and the metadata records what was picked and why).
    """

    name: str
    choices: tuple[str, ...]
    default: str | None
    help: str
    default_help: str = ""

    @property
    def flag(self) -> str:
        """The command-line flag, e.g. ``--output-gap``."""
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class SourceRequest:
    """What a user asked for: the source, where its files are, its options and the stressor selection."""

    source: str
    data: Path | None = None
    emissions: Path | None = None
    stressor: Sequence[str] | None = None
    stressor_name: str | None = None
    options: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # hashable and picklable (Dask ships requests to workers; openers are memoised per process)
        object.__setattr__(self, "stressor", tuple(self.stressor) if self.stressor else None)
        object.__setattr__(self, "options", _FrozenOptions(self.options))


class _FrozenOptions(dict[str, str]):
    """A dict that can be hashed (options are set once, in the request)."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))


@dataclass(frozen=True)
class ExtensionParts:
    """What the extension of years (docs/methods.md, "Years outside the tables") needs from a source.

    `read_table(year)` gives the year's real table without emissions, `attach_emissions(mrio)` the
    table with the sector emissions of ``mrio.year`` (placed with the table's own output, scaled or
    not); `rest_of_world` names the table's rest-of-world regions (World minus the table's countries
    in the national series).
    """

    table_years: tuple[int, ...]
    emission_years: tuple[int, ...]
    read_table: Callable[[int], MRIO]
    attach_emissions: Callable[[MRIO], MRIO]
    rest_of_world: tuple[str, ...]


@dataclass(frozen=True)
class SourceSpec:
    """One source in the registry (see module docstring)."""

    name: str
    description: str
    needs: tuple[str, ...]
    years: Callable[[SourceRequest], list[int]]
    files: Callable[[SourceRequest, int], list[Path]]
    open: Callable[[SourceRequest, Mapping[str, str | None]], Callable[[int], MRIO]]
    options: tuple[SourceOption, ...] = ()
    #: an option whose two choices the series compares region by region (docs/methods.md asks for it)
    sensitivity: tuple[str, str, str] | None = None
    #: the parts the extension of years needs; None: the source cannot be extended
    extension: Callable[[SourceRequest, Mapping[str, str | None]], ExtensionParts] | None = None

    def option(self, name: str) -> SourceOption:
        """The option called `name`; `DataFileError` naming the source's options if there is none."""
        for option in self.options:
            if option.name == name:
                return option
        known = ", ".join(o.flag for o in self.options) or "none"
        raise DataFileError(
            f"source {self.name!r} has no option {name!r} (its options: {known}). Fix: drop it or pick "
            "the source it belongs to (mrio-tools sources lists every source's options)"
        )


def _need(request: SourceRequest, what: str) -> Path:
    spec = source_spec(request.source)
    path = request.data if what == "data" else request.emissions
    if path is None:
        raise DataFileError(f"source {request.source!r} needs --{what} DIR ({spec.description})")
    if not path.exists():
        raise DataFileError(f"source {request.source!r}: --{what} {path} does not exist")
    return path


def _folder_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else [folder]


# ----------------------------------------------------------------- the entries
def _demo_years(request: SourceRequest) -> list[int]:
    from mrio_tools.sources.demo import available_years as demo_years

    return demo_years()


def _demo_open(request: SourceRequest, options: Mapping[str, str | None]) -> Callable[[int], MRIO]:
    from mrio_tools.sources.demo import read_demo

    return read_demo


def _wiod_years(request: SourceRequest) -> list[int]:
    from mrio_tools.sources.wiod2013 import available_years as wiod_years

    return wiod_years(_need(request, "data"))


def _wiod_files(request: SourceRequest, year: int) -> list[Path]:
    from mrio_tools.sources.wiod2013 import table_file
    from mrio_tools.sources.wiod_env import jrc_workbook

    return [table_file(_need(request, "data"), year), jrc_workbook(_need(request, "emissions"))]


def _wiod_open(request: SourceRequest, options: Mapping[str, str | None]) -> Callable[[int], MRIO]:
    from mrio_tools.sources.wiod2013 import read_wiod2013
    from mrio_tools.sources.wiod_env import attach_jrc_co2_table, jrc_workbook, read_jrc_co2

    data = _need(request, "data")
    workbook = jrc_workbook(_need(request, "emissions"))
    co2 = read_jrc_co2(workbook)
    output_gap = options["output_gap"]

    def read_wiod_year(year: int) -> MRIO:
        table = read_wiod2013(data, year, output_gap=output_gap or "by_file_form")  # type: ignore[arg-type]
        return attach_jrc_co2_table(table, co2, fold_missing=True, file_name=workbook.name)

    return read_wiod_year


def _wiod_extension(request: SourceRequest, options: Mapping[str, str | None]) -> ExtensionParts:
    from mrio_tools.sources.wiod2013 import read_wiod2013
    from mrio_tools.sources.wiod_env import REST_OF_WORLD, attach_jrc_co2_table, jrc_workbook, read_jrc_co2

    data = _need(request, "data")
    workbook = jrc_workbook(_need(request, "emissions"))
    co2 = read_jrc_co2(workbook)
    output_gap = options["output_gap"] or "by_file_form"

    def read_table(year: int) -> MRIO:
        return read_wiod2013(data, year, output_gap=output_gap)  # type: ignore[arg-type]

    def attach(mrio: MRIO) -> MRIO:
        return attach_jrc_co2_table(mrio, co2, fold_missing=True, file_name=workbook.name)

    return ExtensionParts(
        table_years=tuple(_wiod_years(request)),
        emission_years=tuple(sorted(int(y) for y in co2["year"].unique())),
        read_table=read_table,
        attach_emissions=attach,
        rest_of_world=(REST_OF_WORLD,),
    )


def _pymrio_years(request: SourceRequest) -> list[int]:
    from mrio_tools.sources.pymrio_saved import available_years as pymrio_years

    return pymrio_years(_need(request, "data"))


def _pymrio_open(request: SourceRequest, options: Mapping[str, str | None]) -> Callable[[int], MRIO]:
    from mrio_tools.sources.pymrio_saved import read_pymrio

    data = _need(request, "data")
    allow = options["allow_negative_intermediate"] == "yes"
    return lambda year: read_pymrio(data, extension=None, year=year, allow_negative_intermediate=allow)


def _exiobase_open(request: SourceRequest, options: Mapping[str, str | None]) -> Callable[[int], MRIO]:
    from mrio_tools.sources.exiobase_agg import read_exiobase_agg, read_exiobase_agg_co2

    data = _need(request, "data")
    if options["stressor_set"] == "all":
        return lambda year: read_exiobase_agg(data, year=year)
    return lambda year: read_exiobase_agg_co2(data, year=year)


def _cml_open(request: SourceRequest, options: Mapping[str, str | None]) -> Callable[[int], MRIO]:
    from mrio_tools.sources.cml3x8 import read_cml3x8

    data = _need(request, "data")

    def read_cml_year(year: int) -> MRIO:
        return read_cml3x8(data)

    return read_cml_year


def _data_files(request: SourceRequest, year: int) -> list[Path]:
    return _folder_files(_need(request, "data"))


OUTPUT_GAP = SourceOption(
    name="output_gap",
    choices=OUTPUT_GAP_TREATMENTS,
    default=None,
    help="how the gap between published gross output and Z1 + Y1 of a rounded table is treated "
    "(docs/methods.md, 'The output gap of rounded tables')",
    default_help="scale_rows for the rounded R package copy, recompute for the publisher's workbooks",
)

NEGATIVE_INTERMEDIATE = SourceOption(
    name="allow_negative_intermediate",
    choices=get_args(YesNo),
    default="no",
    help="yes: accept negative Z cells where the save's metadata.json documents them "
    "('negative_intermediate'); no: a negative Z cell is an error naming it",
)

STRESSOR_SET = SourceOption(
    name="stressor_set",
    choices=get_args(StressorSet),
    default="fossil_co2",
    help="fossil_co2: stressor CO2 = combustion + cement + lime + fossil waste rows (kg); all: every "
    "one of the 1,113 EXIOBASE stressor rows (pick with --stressor)",
)

from mrio_tools.sources import eora26, exiobase3, oecd_icio  # noqa: E402 (each declares SPEC)

REGISTRY: Mapping[str, SourceSpec] = {
    spec.name: spec
    for spec in (
        SourceSpec(
            name="demo",
            description="embedded DEMONSTRATION data (synthetic regions 'Demo A'-'Demo F', 1990-2019); "
            "no --data",
            needs=(),
            years=_demo_years,
            files=lambda request, year: [],
            open=_demo_open,
        ),
        SourceSpec(
            name="wiod2013",
            description="WIOD 2013 release tables 1995-2011 (R package or publisher xlsx) in --data, "
            "with the JRC CO2 accounts (2000-2016) in --emissions",
            needs=("data", "emissions"),
            years=_wiod_years,
            files=_wiod_files,
            open=_wiod_open,
            options=(OUTPUT_GAP,),
            sensitivity=("output_gap", "scale_rows", "residual_category"),
            extension=_wiod_extension,
        ),
        SourceSpec(
            name="pymrio",
            description="any MRIO saved by pymrio's save_all (text or parquet) in --data",
            needs=("data",),
            years=_pymrio_years,
            files=_data_files,
            open=_pymrio_open,
            options=(NEGATIVE_INTERMEDIATE,),
        ),
        SourceSpec(
            name="exiobase_agg",
            description="EXIOBASE 3 aggregate in pymrio text layout (PS7_*.txt) in --data; states no "
            "year: needs --year",
            needs=("data",),
            years=lambda request: [],
            files=_data_files,
            open=_exiobase_open,
            options=(STRESSOR_SET,),
        ),
        SourceSpec(
            name="cml3x8",
            description="the 3-region x 8-sector 2015 course table in --data",
            needs=("data",),
            years=lambda request: [2015],
            files=_data_files,
            open=_cml_open,
        ),
        exiobase3.SPEC,
        eora26.SPEC,
        oecd_icio.SPEC,
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
        _need(request, what)
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
        import dataclasses

        return dataclasses.replace(mrio, notes={**dict(mrio.notes), **extra})


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
