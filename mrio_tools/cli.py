"""The `mrio-tools` command line: a thin layer over the library's functions.

Every analysis command takes the same source options (--source, --data, --emissions, --stressor);
errors of mrio_tools are printed as one clear message with exit status 2, not as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import DataFileError, DownloadError, MRIOError, OutputError
from .sources import REGISTRY, SourceOption, SourceRequest, available_years
from .units import check_mass_unit

EPILOG = """examples:
  mrio-tools accounts --source demo --year 2010 --out reports/demo_2010.csv
  mrio-tools accounts --source wiod2013 --data ../shared/data/wiod2013 \\
      --emissions ../shared/data/wiod2016_env --year 2008 --out wiod_2008.csv
  mrio-tools series --source wiod2013 --data ../shared/data/wiod2013 \\
      --emissions ../shared/data/wiod2016_env --years 2000-2011 --workers 2 --out-dir reports/wiod2013
  mrio-tools series --source demo --years 1990-2019 --out-dir reports/demo/series
  mrio-tools report --series reports/demo/series --out-dir reports/demo/report --lang zh
  mrio-tools compare --accounts wiod_2008.csv --reference inventory.csv --out diff.csv
  mrio-tools download --source wiod2013 --years 1995-2011 --dest data_raw/wiod2013
"""

#: sources whose publisher files `mrio-tools download` can fetch
DOWNLOADS = ("wiod2013",)


def _source_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("data source")
    group.add_argument("--source", required=True, choices=sorted(REGISTRY), help="which table to read")
    group.add_argument("--data", type=Path, help="folder with the source's files (not for demo)")
    group.add_argument(
        "--emissions", type=Path, help="emission accounts for sources without their own (wiod2013)"
    )
    group.add_argument(
        "--stressor",
        action="append",
        metavar="NAME",
        help="stressor row to report; repeat to sum several rows (default: every stressor of the source)",
    )
    group.add_argument(
        "--stressor-name", help="label of a summed stressor (default: the rows joined by ' + ')"
    )
    choices = parser.add_argument_group(
        "scientific choices of a source's reader (each written into the metadata; mrio-tools sources)"
    )
    for option in _all_options():
        owners = [spec.name for spec in REGISTRY.values() if option in spec.options]
        default = option.default or f"by the files: {option.default_help}"
        choices.add_argument(
            option.flag,
            dest=f"option_{option.name}",
            choices=option.choices,
            help=f"{', '.join(owners)} only: {option.help} (default: {default})",
        )
    parser.add_argument(
        "--solver", choices=("auto", "dense", "block"), default="auto", help="factorisation of (I - A)"
    )
    parser.add_argument(
        "--unit", help="convert emission accounts to this mass unit (e.g. Mt); default: source's"
    )


def _years(text: str) -> list[int]:
    from .series import parse_years

    try:
        return parse_years(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _table_path(text: str) -> Path:
    from .output import check_table_path

    try:
        return check_table_path(Path(text))
    except OutputError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _all_options() -> list[SourceOption]:
    seen: dict[str, SourceOption] = {}
    for spec in REGISTRY.values():
        for option in spec.options:
            seen.setdefault(option.name, option)
    return list(seen.values())


def _request(args: argparse.Namespace) -> SourceRequest:
    options = {
        option.name: value
        for option in _all_options()
        if (value := getattr(args, f"option_{option.name}", None)) is not None
    }
    return SourceRequest(
        source=args.source,
        data=args.data,
        emissions=args.emissions,
        stressor=args.stressor,
        stressor_name=args.stressor_name,
        options=options,
    )


def _series_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--years", type=_years, required=True, help="e.g. 1990-2019 or 2000,2005,2010")
    parser.add_argument("--out-dir", type=Path, required=True, help="folder of the series (and report)")
    run = parser.add_argument_group("how the years run")
    where = run.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=_positive, help="run the years on a local Dask cluster of N worker processes"
    )
    where.add_argument("--scheduler", metavar="ADDRESS", help="run on an existing Dask scheduler (tcp://...)")
    run.add_argument(
        "--threads",
        type=_positive,
        help="BLAS threads per year's task (default: the cores shared among the workers)",
    )
    cache = run.add_mutually_exclusive_group()
    cache.add_argument(
        "--cache", type=Path, help="store of parsed tables (default: the user cache folder, mrio_tools)"
    )
    cache.add_argument("--no-cache", action="store_true", help="parse every table from the raw files")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    more = parser.add_argument_group(
        "years outside the tables and derived tables (METHODS.md, 'Years outside the tables')"
    )
    more.add_argument(
        "--extend",
        action="store_true",
        help="estimate the years the source's tables or sector emissions lack (needs --national); every "
        "row's basis column says how its year was made",
    )
    more.add_argument(
        "--national",
        type=Path,
        help="national CO2, GDP and population by country and year (Our World in Data CO2 extract: "
        "the file or its folder); with --deflator it also adds groups, per-capita, export intensity "
        "and findings tables",
    )
    more.add_argument(
        "--deflator", type=Path, help="price index for constant-price export intensity (FRED GDPDEF layout)"
    )
    more.add_argument(
        "--emission-benchmarks",
        choices=("nearest", "with_table"),
        default="nearest",
        help="where the emission benchmark of an estimated year may lie: the nearest year with sector "
        "emissions (METHODS.md's wording) or the nearest year with emissions and a table (default: nearest)",
    )
    more.add_argument("--groups", type=Path, help="custom country groups: a CSV with columns group, region")
    more.add_argument(
        "--rest-of-world-group",
        choices=("other", "own"),
        default="other",
        help="where the table's rest-of-world region goes in each grouping: its non-member group, or a "
        "group of its own (default: other)",
    )
    more.add_argument(
        "--constant-price-year", type=int, default=2012, help="base year of constant prices (default 2012)"
    )


def _horizons(text: str) -> list[int]:
    try:
        first, _, last = text.partition("-")
        values = list(range(int(first), int(last or first) + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: write horizons as 1-11 or 3") from None
    if not values or values[0] < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: horizons are whole years >= 1, e.g. 1-11")
    return values


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number of workers")
    return int(text)


def _cache(args: argparse.Namespace) -> Path | None:
    from .store import default_cache_dir

    return None if args.no_cache else (args.cache or default_cache_dir())


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog="mrio-tools",
        description="Production- and consumption-based emission accounts from MRIO tables "
        "(methods: METHODS.md, national accounts).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the full traceback of an error (for bug reports)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    accounts = commands.add_parser(
        "accounts",
        help="accounts of one year as a long table (CSV or parquet by suffix)",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _source_options(accounts)
    accounts.add_argument("--year", type=int, required=True)
    accounts.add_argument("--out", type=_table_path, required=True, help="accounts table (.csv or .parquet)")
    accounts.add_argument("--flows", type=_table_path, help="also write origin-destination flows here")

    series = commands.add_parser(
        "series",
        help="accounts of many years, one task per year (serial or Dask), saved as each finishes",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _source_options(series)
    _series_options(series)

    report = commands.add_parser(
        "report",
        help="the report of a saved series folder: report.html, figures, Excel and long tables "
        "(accounts are read, never recomputed)",
    )
    report.add_argument("--series", type=Path, required=True, help="a folder written by `series`")
    report.add_argument(
        "--out-dir", type=Path, required=True, help="the report folder (replaced as a whole), e.g. DIR/report"
    )
    report.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the report")
    report.add_argument("--stressor", help="stressor shown (default: CO2, else the first)")
    report.add_argument(
        "--regions", type=lambda t: [r.strip() for r in t.split(",") if r.strip()], help="e.g. CHN,USA,DEU"
    )
    report.add_argument("--year", type=int, help="year of the one-year figures (default: the last)")
    report.add_argument(
        "--skill-dir", type=Path, help="folder of `skill-test` results when not the series folder"
    )

    skill = commands.add_parser(
        "skill-test",
        help="rebuild real years from other real years as the extension would, and compare "
        "(METHODS.md, 'Years outside the tables')",
    )
    _source_options(skill)
    skill.add_argument("--national", type=Path, required=True, help="national CO2 and GDP (OWID extract)")
    skill.add_argument(
        "--benchmarks",
        type=_years,
        default=[2000, 2005, 2011],
        help="benchmark years (default 2000,2005,2011)",
    )
    skill.add_argument("--horizons", type=_horizons, default=list(range(1, 12)), help="e.g. 1-11 (default)")
    skill.add_argument("--out-dir", type=Path, required=True, help="folder for skill.csv, skill_summary.csv")

    compare = commands.add_parser("compare", help="our accounts against a reference table a user supplies")
    compare.add_argument("--accounts", type=Path, required=True, help="our long accounts table (CSV)")
    compare.add_argument(
        "--reference", type=Path, required=True, help="CSV with columns region, year, account, value, unit"
    )
    compare.add_argument(
        "--stressor", help="which stressor of the accounts table (needed if it holds several)"
    )
    compare.add_argument("--out", type=_table_path, required=True, help="differences (.csv or .parquet)")

    years = commands.add_parser("years", help="list the years a source's data folder holds")
    years.add_argument("--source", required=True, choices=sorted(REGISTRY))
    years.add_argument("--data", type=Path)

    commands.add_parser("sources", help="list the sources and what each needs")

    download = commands.add_parser(
        "download", help="fetch a source's files as its publisher ships them (needs internet)"
    )
    download.add_argument("--source", required=True, choices=DOWNLOADS)
    download.add_argument("--years", type=_years, required=True, help="e.g. 1995-2011 or 2000,2008")
    download.add_argument(
        "--dest", type=Path, required=True, help="folder for the files (e.g. data_raw/wiod2013)"
    )
    download.add_argument("--base-url", help="a mirror folder URL serving the same file names")
    return parser


def _print_sources() -> None:
    for spec in REGISTRY.values():
        print(f"{spec.name:14s} {spec.description}")
        needs = " ".join(f"--{what} DIR" for what in spec.needs) or "no files (embedded)"
        print(f"{'':14s} needs: {needs}")
        for option in spec.options:
            default = option.default or f"by the files ({option.default_help})"
            print(f"{'':14s} {option.flag} {'|'.join(option.choices)} (default: {default}): {option.help}")


def _inputs(args: argparse.Namespace) -> list[Path]:
    return [p for p in (getattr(args, "data", None), getattr(args, "emissions", None)) if p is not None]


def _series(args: argparse.Namespace) -> Path:
    from .output import check_output_paths
    from .series import run_series
    from .series_derived import DerivedRequest
    from .series_extension import ExtensionRequest

    check_output_paths(
        [args.out_dir], [*_inputs(args), *(p for p in (args.national, args.deflator, args.groups) if p)]
    )
    if args.extend and args.national is None:
        raise DataFileError(
            "--extend needs --national FILE (territorial CO2 and real GDP by country and year, e.g. "
            "../shared/data/owid_co2_2025)"
        )
    extension = (
        ExtensionRequest(national=args.national, emission_benchmarks=args.emission_benchmarks)
        if args.extend
        else None
    )
    derived = None
    if args.national is not None and args.deflator is not None:
        spec = REGISTRY[args.source]
        derived = DerivedRequest(
            national=args.national,
            deflator=args.deflator,
            rest_of_world=("RoW",) if spec.extension is not None else (),
            rest_of_world_group=args.rest_of_world_group,
            constant_price_year=args.constant_price_year,
            groups_csv=args.groups,
        )
    result = run_series(
        _request(args),
        args.years,
        args.out_dir,
        solver=args.solver,
        unit=args.unit,
        cache=_cache(args),
        workers=args.workers,
        scheduler=args.scheduler,
        threads=args.threads,
        extension=extension,
        derived=derived,
        progress=not args.no_progress,
        command=" ".join(sys.argv),
    )
    kept = len(result.done) - len(result.computed)
    print(f"{len(result.computed)} years computed, {kept} kept (already current) in {args.out_dir}")
    for path in result.paths:
        print(f"wrote {path}")
    return Path(args.out_dir)


def _run(args: argparse.Namespace) -> int:
    if args.command == "sources":
        _print_sources()
        return 0
    if args.command == "years":
        found = available_years(SourceRequest(source=args.source, data=args.data))
        print(" ".join(str(y) for y in found) if found else "this source states no year; pass --year")
        return 0
    if args.command == "accounts":
        from .accounts import national_accounts
        from .output import check_output_paths, write_tables_together
        from .series import convert_units, unit_note
        from .sources import load_mrio

        check_mass_unit(args.unit)
        outputs = [args.out, *([args.flows] if args.flows else [])]
        check_output_paths(outputs, _inputs(args))
        result = national_accounts(load_mrio(_request(args), args.year), solver=args.solver)
        meta = {**result.metadata, **unit_note(args.unit), "command": " ".join(sys.argv)}
        tables = [(convert_units(result.table, args.unit, flows=False), args.out)]
        if args.flows:
            tables.append((convert_units(result.flows, args.unit, flows=True), args.flows))
        write_tables_together(tables, metadata=meta)  # both tables replaced, or neither
        print(f"wrote {len(result.table)} rows to {args.out}")
        return 0
    if args.command == "series":
        _series(args)
        return 0
    if args.command == "report":
        from .output import check_output_paths
        from .report.build import build_report

        check_output_paths([args.out_dir], [args.series, *([args.skill_dir] if args.skill_dir else [])])
        paths = build_report(
            args.series,
            args.out_dir,
            lang=args.lang,
            stressor=args.stressor,
            regions=args.regions,
            year=args.year,
            skill_dir=args.skill_dir,
            command=" ".join(sys.argv),
        )
        print(f"wrote {len(paths)} files under {args.out_dir} (open {args.out_dir / 'report.html'})")
        return 0
    if args.command == "skill-test":
        from .output import check_output_paths, write_table
        from .series_extension import skill_test_of

        check_mass_unit(args.unit)
        check_output_paths([args.out_dir], [*_inputs(args), args.national])
        request = _request(args)
        skill = skill_test_of(
            request,
            args.national,
            benchmarks=args.benchmarks,
            horizons=args.horizons,
            stressor=(request.stressor_name or request.stressor[0]) if request.stressor else "CO2",
        )
        meta = {**skill.metadata, "command": " ".join(sys.argv)}
        for name, table in (("skill.csv", skill.table), ("skill_summary.csv", skill.summary)):
            print(f"wrote {write_table(table, args.out_dir / name, metadata=meta)}")
        return 0
    if args.command == "compare":
        from .compare import compare_accounts, read_accounts, read_reference
        from .output import check_output_paths, write_table

        check_output_paths([args.out], [args.accounts, args.reference])
        ours = read_accounts(args.accounts)
        table = compare_accounts(ours, read_reference(args.reference), stressor=args.stressor)
        write_table(
            table, args.out, metadata={"accounts": str(args.accounts), "reference": str(args.reference)}
        )
        print(f"wrote {len(table)} rows to {args.out}")
        return 0
    if args.command == "download":
        from .output import check_output_paths
        from .sources.wiod2013 import BASE_URL, download_wiod2013

        check_output_paths([args.dest], [])

        try:
            paths = download_wiod2013(args.dest, args.years, base_url=args.base_url or BASE_URL)
        except OSError as error:  # urllib's URLError included; its notes name the URL and the fix
            notes = "; ".join(getattr(error, "__notes__", []))
            raise DownloadError(f"{error}; {notes}" if notes else str(error)) from error
        for path in paths:
            print(f"have {path}")
        return 0
    raise AssertionError(args.command)


def _unexpected(error: BaseException) -> str:
    """One paragraph for an error mrio_tools did not raise on purpose: what, where, and what to do."""
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        return (
            f"{error.strerror or error}{where}. Fix: check that the path exists and that you may read "
            "(inputs) or write (outputs) it"
        )
    return (
        f"unexpected {type(error).__name__}: {error}. An input the tool does not check yet, or a bug: "
        "rerun with --debug for the traceback and report it with the command"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `mrio-tools` and `python -m mrio_tools`.

    Every error ends as one paragraph on stderr and exit status 2 (130 when interrupted); `--debug`
    shows the traceback instead.
    """
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("mrio-tools: interrupted; finished outputs are complete, none is half-written", file=sys.stderr)
        return 130
    except Exception as error:
        if args.debug:
            raise
        message = str(error) if isinstance(error, MRIOError) else _unexpected(error)
        print(f"mrio-tools: error: {message}", file=sys.stderr)
        return 2
