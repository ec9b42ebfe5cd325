"""`mrio-tools series` (many years into a series folder) and `mrio-tools skill-test`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import get_args

from mrio_tools.choices import EmissionBenchmarks, RestOfWorldGroup
from mrio_tools.cli.common import (
    command_line,
    input_paths,
    positive,
    principle_of,
    principle_option,
    request_of,
    scheduler_address,
    source_options,
    years,
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], epilog: str) -> None:
    """Add the series and skill-test subcommands."""
    series = commands.add_parser(
        "series",
        help="accounts of many years, one task per year (serial or Dask), saved as each finishes",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source_options(series)
    _series_options(series)
    series.set_defaults(func=run_series_command)

    skill = commands.add_parser(
        "skill-test",
        help="rebuild real years from other real years as the extension would, and compare "
        "(docs/methods.md, 'Years outside the tables (extension)')",
    )
    source_options(skill)
    skill.add_argument("--national", type=Path, required=True, help="national CO2 and GDP (OWID extract)")
    skill.add_argument(
        "--benchmarks",
        type=years,
        default=[2000, 2005, 2011],
        help="benchmark years (default 2000,2005,2011)",
    )
    skill.add_argument("--horizons", type=_horizons, default=list(range(1, 12)), help="e.g. 1-11 (default)")
    skill.add_argument("--out-dir", type=Path, required=True, help="folder for skill.csv, skill_summary.csv")
    skill.set_defaults(func=run_skill_test)


def _series_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--years", type=years, required=True, help="e.g. 1990-2019 or 2000,2005,2010")
    parser.add_argument("--out-dir", type=Path, required=True, help="folder of the series (and report)")
    run = parser.add_argument_group("how the years run")
    where = run.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=positive, help="run the years on a local Dask cluster of N worker processes"
    )
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        type=scheduler_address,
        help="run on an existing Dask scheduler (tcp://HOST:PORT)",
    )
    run.add_argument(
        "--threads",
        type=positive,
        help="cores of a run without workers (small tables: that many years side by side; default "
        "all); with --workers, BLAS threads per year's task (default: the cores shared among them)",
    )
    cache = run.add_mutually_exclusive_group()
    cache.add_argument(
        "--cache", type=Path, help="store of parsed tables (default: the user cache folder, mrio_tools)"
    )
    cache.add_argument("--no-cache", action="store_true", help="parse every table from the raw files")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    more = parser.add_argument_group(
        "years outside the tables and derived tables "
        "(docs/methods.md, 'Years outside the tables (extension)')"
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
        "the file or its folder); it also adds groups, per-capita, findings and inventory_check tables "
        "(constant-price export intensity and its findings need --deflator)",
    )
    principle_option(more)
    more.add_argument(
        "--deflator", type=Path, help="price index for constant-price export intensity (FRED GDPDEF layout)"
    )
    more.add_argument(
        "--emission-benchmarks",
        choices=get_args(EmissionBenchmarks),
        default="nearest",
        help="where the emission benchmark of an estimated year may lie: the nearest year with sector "
        "emissions (the methods' wording) or the nearest year with emissions and a table (default: nearest)",
    )
    more.add_argument("--groups", type=Path, help="custom country groups: a CSV with columns group, region")
    more.add_argument(
        "--rest-of-world-group",
        choices=get_args(RestOfWorldGroup),
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


def _cache(args: argparse.Namespace) -> Path | None:
    from mrio_tools.series.store import default_cache_dir

    return None if args.no_cache else (args.cache or default_cache_dir())


def run_series_command(args: argparse.Namespace) -> int:
    """Run the years into --out-dir (partitions, then the series tables and the manifest)."""
    from mrio_tools.context.request import DerivedRequest
    from mrio_tools.errors import DataFileError
    from mrio_tools.extension.source import ExtensionRequest
    from mrio_tools.io.output import check_output_paths
    from mrio_tools.series.run import run_series
    from mrio_tools.sources.registry import REGISTRY

    check_output_paths(
        [args.out_dir], [*input_paths(args), *(p for p in (args.national, args.deflator, args.groups) if p)]
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
    if args.emissions_principle == "territorial" and args.national is None:
        raise DataFileError(
            "--emissions-principle territorial needs --national FILE (the territorial inventory totals, "
            "e.g. data_raw/owid_co2)"
        )
    derived = None
    if args.national is not None:
        if args.deflator is None:
            print(
                "note: no --deflator, so export_intensity.csv (constant prices) and the findings' "
                "export-intensity declines are not written; groups, per capita, the other findings and "
                "inventory_check are (current prices)",
                file=sys.stderr,
            )
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
        request_of(args),
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
        command=command_line(),
        principle=principle_of(args, args.national),
    )
    kept = len(result.done) - len(result.computed)
    print(f"{len(result.computed)} years computed, {kept} kept (already current) in {args.out_dir}")
    for path in result.paths:
        print(f"wrote {path}")
    return 0


def run_skill_test(args: argparse.Namespace) -> int:
    """Real years rebuilt from other real years by each estimated basis; errors by horizon."""
    from mrio_tools.extension.source import skill_test_of
    from mrio_tools.io.output import check_output_paths, write_table
    from mrio_tools.units import check_mass_unit

    check_mass_unit(args.unit)
    check_output_paths([args.out_dir], [*input_paths(args), args.national])
    request = request_of(args)
    skill = skill_test_of(
        request,
        args.national,
        benchmarks=args.benchmarks,
        horizons=args.horizons,
        stressor=(request.stressor_name or request.stressor[0]) if request.stressor else "CO2",
    )
    meta = {**skill.metadata, "command": command_line()}
    for name, table in (("skill.csv", skill.table), ("skill_summary.csv", skill.summary)):
        print(f"wrote {write_table(table, args.out_dir / name, metadata=meta)}")
    return 0
