"""What several subcommands share: the source options, argument types and the run's command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, get_args

from mrio_tools.choices import EmissionsPrinciple, SolverMethod
from mrio_tools.errors import OutputError, UsageError, shown
from mrio_tools.sources.registry import REGISTRY, SourceOption, SourceRequest

if TYPE_CHECKING:
    from mrio_tools.context.inventory import PrincipleRequest


def source_options(parser: argparse.ArgumentParser) -> None:
    """--source, --data, --emissions, --stressor, the registry's options, --solver and --unit."""
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
    for option in all_options():
        owners = [spec.name for spec in REGISTRY.values() if option in spec.options]
        default = option.default or f"by the files: {option.default_help}"
        choices.add_argument(
            option.flag,
            dest=f"option_{option.name}",
            choices=option.choices,
            help=f"{', '.join(owners)} only: {option.help} (default: {default})",
        )
    parser.add_argument(
        "--solver", choices=get_args(SolverMethod), default="auto", help="factorisation of (I - A)"
    )
    parser.add_argument(
        "--unit",
        type=unit_text,
        help="convert emission accounts to this mass unit (e.g. Mt); default: source's",
    )


def principle_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """--emissions-principle (choices.EmissionsPrinciple); territorial reads the totals from --national."""
    parser.add_argument(
        "--emissions-principle",
        choices=get_args(EmissionsPrinciple),
        default="residence",
        help="residence: the source's emissions as published (default); territorial: each region's "
        "sector and household emissions scaled to its territorial inventory total in --national (rest "
        "of world: World minus the table's countries), as the Global Carbon Project's consumption "
        "accounts do (docs/methods.md, 'Emissions principle: residence or territorial')",
    )


def principle_of(args: argparse.Namespace, national: Path | None) -> PrincipleRequest:
    """The run's emissions principle; the table's rest of world is 'RoW' for extendable sources."""
    from mrio_tools.context.inventory import PrincipleRequest

    rest = ("RoW",) if REGISTRY[args.source].extension is not None else ()
    return PrincipleRequest(args.emissions_principle, national, rest)


def all_options() -> list[SourceOption]:
    """Every source option of the registry, once each (options shared by sources appear once)."""
    seen: dict[str, SourceOption] = {}
    for spec in REGISTRY.values():
        for option in spec.options:
            seen.setdefault(option.name, option)
    return list(seen.values())


def unit_text(text: str) -> str:
    """Argument type of --unit: the unit without the spaces around it (' Mt ' is Mt)."""
    unit = text.strip()
    if not unit:
        raise argparse.ArgumentTypeError(f"{text!r} is not a unit; write e.g. --unit Mt")
    return unit


def request_of(args: argparse.Namespace) -> SourceRequest:
    """The source request that the parsed source options describe.

    A --stressor given twice is refused (`UsageError`): summing a row twice doubles it.
    """
    stressors = list(args.stressor) if args.stressor else None
    if stressors is not None:
        twice = sorted({s for s in stressors if stressors.count(s) > 1})
        if twice:
            raise UsageError(
                f"--stressor {', '.join(shown(s) for s in twice)} given more than once; the rows given are "
                "summed, so a repeated one would count twice. Fix: give each stressor once"
            )
    options = {
        option.name: value
        for option in all_options()
        if (value := getattr(args, f"option_{option.name}", None)) is not None
    }
    return SourceRequest(
        source=args.source,
        data=args.data,
        emissions=args.emissions,
        stressor=stressors,
        stressor_name=args.stressor_name,
        options=options,
    )


def input_paths(args: argparse.Namespace) -> list[Path]:
    """The source's input folders of a parsed command line (outputs must not touch them)."""
    return [p for p in (getattr(args, "data", None), getattr(args, "emissions", None)) if p is not None]


def years(text: str) -> list[int]:
    """Argument type of --years: 1990-2019 or 2000,2005,2010."""
    from mrio_tools.series.run import parse_years

    try:
        return parse_years(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def table_path(text: str) -> Path:
    """Argument type of an output table: a .csv or .parquet path."""
    from mrio_tools.io.output import check_table_path

    try:
        return check_table_path(Path(text))
    except OutputError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def positive(text: str) -> int:
    """Argument type of a count of workers or threads."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number of workers")
    return int(text)


def scheduler_address(text: str) -> str:
    """Argument type of --scheduler: PROTOCOL://HOST:PORT (`mrio_tools.series.run.check_scheduler`)."""
    from mrio_tools.series.run import check_scheduler

    try:
        check_scheduler(text)
    except UsageError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text.strip()


def command_line() -> str:
    """The command as the user typed it, for the outputs' metadata (paths never absolute)."""
    from mrio_tools.io.output import display_command

    return display_command(sys.argv)
