"""`mrio-tools eebt | tcba | sda | income | sectors | footprints | paths`: the methods beyond the accounts.

Each command reads its years through the series store (`series.solved_years`), runs one function of
`mrio_tools.accounts` per year (two or more years for `sda`) and writes long tables with their
metadata through `io.output.write_tables_together` (all tables replaced, or none). Only years with
real tables are available (extended years are not).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import pandas as pd

from mrio_tools.choices import Prices, TransferView
from mrio_tools.cli.common import command_line, input_paths, request_of, source_options, table_path, years
from mrio_tools.errors import ValidationError

if TYPE_CHECKING:
    from mrio_tools.accounts._rows import MethodResult
    from mrio_tools.leontief.solved import SolvedYear

#: the subcommands, their help, in the order `mrio-tools --help` lists them
COMMANDS = {
    "eebt": "emissions embodied in bilateral trade (trade view) beside the MRIO view",
    "tcba": "technology-adjusted consumption-based accounts (Kander et al. 2015)",
    "sda": "decomposition of the change in export carbon intensity (intensity, technology, export mix)",
    "income": "income-based (Ghosh) accounts",
    "sectors": "embodied emissions in trade by sector and partner; net transfers of sector sets",
    "footprints": "footprint intensity of every region-sector's product; baskets; tiered hybrid",
    "paths": "structural path analysis of a footprint",
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], epilog: str) -> None:
    """Add the seven method subcommands."""
    parsers = {}
    for name, help_text in COMMANDS.items():
        parser = commands.add_parser(
            name,
            help=help_text,
            description=f"{help_text} (docs/methods.md). Real tables only: extended years are not available.",
            epilog=epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        source_options(parser)
        _year_and_output(parser, many=name == "sda")
        parser.set_defaults(func=run_method, method=name)
        parsers[name] = parser
    sda = parsers["sda"]
    sda.add_argument(
        "--prices", choices=get_args(Prices), required=True, help="current prices, or constant by --deflator"
    )
    sda.add_argument("--deflator", type=Path, help="FRED GDPDEF.csv (or its folder), for --prices constant")
    sda.add_argument(
        "--deflator-base", type=int, default=None, help="base year of constant prices (default 2012)"
    )
    sectors = parsers["sectors"]
    sectors.add_argument(
        "--sector-sets",
        type=Path,
        help="CSV with columns source, sector, sector_set (default: shipped mrio_tools/data/sector_sets/)",
    )
    sectors.add_argument(
        "--views",
        choices=get_args(TransferView),
        action="append",
        help="view of sector transfers; repeat for both (default: both)",
    )
    sectors.add_argument("--top", type=int, default=5, help="sectors listed per region (default 5)")
    footprints = parsers["footprints"]
    footprints.add_argument("--basket", type=Path, help="CSV of region, sector, amount, unit: its footprint")
    footprints.add_argument(
        "--override",
        type=Path,
        help="CSV of region, sector, intensity, unit: tiered-hybrid direct intensities",
    )
    paths = parsers["paths"]
    paths.add_argument("--region", default="world", help="consuming region of the footprint (default: world)")
    paths.add_argument(
        "--threshold", type=float, required=True, help="smallest path as a share of the footprint"
    )
    paths.add_argument("--depth", type=int, required=True, help="largest path order (number of steps)")


def _year_and_output(parser: argparse.ArgumentParser, *, many: bool) -> None:
    when = parser.add_mutually_exclusive_group(required=True)
    if not many:
        when.add_argument("--year", type=int, help="one year")
    when.add_argument(
        "--years", type=years, help="e.g. 2000-2011 or 2000,2011" + (" (two or more)" if many else "")
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--out", type=table_path, help="main table of one year (.csv or .parquet); others beside it"
    )
    where.add_argument("--out-dir", type=Path, help="folder for the tables of all years (<command>*.csv)")
    cache = parser.add_mutually_exclusive_group()
    cache.add_argument("--cache", type=Path, help="store of parsed tables (default: the user cache folder)")
    cache.add_argument("--no-cache", action="store_true", help="parse every table from the raw files")


def _years(args: argparse.Namespace) -> list[int]:
    chosen = [args.year] if getattr(args, "year", None) is not None else list(args.years)
    if args.out is not None and len(chosen) > 1:
        raise ValidationError(
            f"--out takes one year; {len(chosen)} were given. Fix: use --out-dir for several years"
        )
    return chosen


def _solved(args: argparse.Namespace, chosen: list[int]) -> Iterator[tuple[int, SolvedYear]]:
    from mrio_tools.series.solved_years import solved_years
    from mrio_tools.series.store import default_cache_dir

    cache = None if args.no_cache else (args.cache or default_cache_dir())
    return solved_years(request_of(args), chosen, solver=args.solver, cache=cache)


def _one_stressor(solved: SolvedYear, what: str) -> str:
    if solved.k != 1:
        raise ValidationError(
            f"{what} works on one stressor; the table has {solved.k} ({', '.join(solved.stressors)}). "
            "Fix: pick one with --stressor (repeat it to sum rows)"
        )
    return solved.stressors[0]


def _per_year(args: argparse.Namespace, solved: SolvedYear) -> dict[str, MethodResult]:
    """The results of the command for one solved year, by output name ('' = the main table)."""
    from mrio_tools.accounts import eebt, footprints, income, inputs, paths, sectors, tcba
    from mrio_tools.accounts._rows import MethodResult

    method = args.method
    if method == "eebt":
        return {"": eebt.eebt_accounts(solved)}
    if method == "tcba":
        return {"": tcba.tcba_accounts(solved)}
    if method == "income":
        return {"": income.income_based(solved)}
    if method == "paths":
        stressor = _one_stressor(solved, "paths")
        return {
            "": paths.structural_paths(
                solved,
                stressor=stressor,
                region=args.region,
                threshold_share=args.threshold,
                depth=args.depth,
            )
        }
    if method == "sectors":
        table = (
            inputs.read_sector_sets(args.sector_sets)
            if args.sector_sets
            else inputs.shipped_sector_sets(args.source)
        )
        views = args.views or list(get_args(TransferView))
        result = sectors.sector_transfers(
            solved, sector_sets=sectors.sets_for_source(table, args.source), views=views
        )
        top = pd.concat(
            [
                sectors.top_sectors(result.table, account=sectors.NET_ACCOUNT[v], count=args.top)
                for v in views
            ],
            ignore_index=True,
        )
        return {"": result, "top": MethodResult(table=top, flows=None, metadata=result.metadata)}
    out = {"": footprints.footprint_intensities(solved)}
    if args.basket:
        out["basket"] = footprints.basket_footprint(
            solved, inputs.read_basket(args.basket, solved), name=args.basket.stem
        )
    if args.override:
        stressor = _one_stressor(solved, "a hybrid override")
        out["hybrid"] = footprints.hybrid_intensities(
            solved, inputs.read_overrides(args.override, solved, stressor=stressor)
        )
    return out


def _sda(args: argparse.Namespace, chosen: list[int]) -> dict[str, MethodResult]:
    from mrio_tools.accounts.sda import decompose, decompose_chain
    from mrio_tools.choices import TABLE_BASIS
    from mrio_tools.context.prices import read_fred_deflator

    if len(chosen) < 2:
        raise ValidationError("sda needs two or more --years (e.g. 2000,2011 or 2000-2011)")
    deflator = None
    if args.prices == "constant":
        if args.deflator is None:
            raise ValidationError("--prices constant needs --deflator (FRED GDPDEF.csv or its folder)")
        deflator = read_fred_deflator(args.deflator)
        if args.deflator_base is not None:
            deflator = deflator.rebased(args.deflator_base)
    solved = [one for _, one in _solved(args, chosen)]
    bases = [TABLE_BASIS] * len(solved)  # solved_years serves real tables only
    out = {"": decompose_chain(solved, bases=bases, prices=args.prices, deflator=deflator)}
    if len(solved) > 2:
        out["endpoints"] = decompose(
            solved[0], solved[-1], bases=(TABLE_BASIS, TABLE_BASIS), prices=args.prices, deflator=deflator
        )
    return out


def _mass_rows(table: pd.DataFrame) -> pd.Series:
    from mrio_tools.units import MASS_IN_KG

    return table["unit"].astype(str).str.split().str[0].isin(list(MASS_IN_KG)) & ~table["unit"].astype(
        str
    ).str.contains("/")


def _converted(table: pd.DataFrame, unit: str | None) -> pd.DataFrame:
    from mrio_tools.units import to_unit

    return table if unit is None else to_unit(table, unit, where=_mass_rows(table))


def _targets(args: argparse.Namespace, name: str, part: str) -> Path:
    """Where a table goes: beside --out (stem_<name>_<part>) or --out-dir/<command>_<name>_<part>.csv.

    The second table of `paths` is the list of paths (part "list"); of the others, the flows.
    """
    part = "list" if part == "flows" and args.method == "paths" else part
    suffix = f"_{name}" if name else ""
    if args.out is not None:
        return Path(
            args.out.with_name(f"{args.out.stem}{suffix}{'_' + part if part else ''}{args.out.suffix}")
        )
    return Path(args.out_dir) / f"{args.method}{suffix}{'_' + part if part else ''}.csv"


#: the methods whose results carry a second table (flows; for paths the list of paths)
_WITH_FLOWS = ("eebt", "sectors", "paths")


def _planned(args: argparse.Namespace, chosen: list[int]) -> list[Path]:
    """Every table the command will write, known from its arguments (checked before any work)."""
    names = [""]
    names += ["top"] if args.method == "sectors" else []
    names += ["endpoints"] if args.method == "sda" and len(chosen) > 2 else []
    if args.method == "footprints":
        names += ["basket"] if args.basket else []
        names += ["hybrid"] if args.override else []
    paths = [_targets(args, name, "") for name in names]
    if args.method in _WITH_FLOWS:
        paths.append(_targets(args, "", "flows"))
    return paths


def _inputs(args: argparse.Namespace) -> list[Path]:
    """The source's folders and the user's files of this command (outputs must not overwrite them)."""
    files = [getattr(args, name, None) for name in ("sector_sets", "basket", "override", "deflator")]
    return [*input_paths(args), *(Path(f) for f in files if f is not None)]


def run_method(args: argparse.Namespace) -> int:
    """Run one method command: compute every year, then write all its tables together."""
    from mrio_tools.io.output import check_output_paths, write_tables_together
    from mrio_tools.units import check_mass_unit

    check_mass_unit(args.unit)
    chosen = _years(args)
    check_output_paths(_planned(args, chosen), _inputs(args))
    collected: dict[str, list[MethodResult]] = {}
    if args.method == "sda":
        for name, result in _sda(args, chosen).items():
            collected[name] = [result]
    else:
        for _, solved in _solved(args, chosen):
            for name, result in _per_year(args, solved).items():
                collected.setdefault(name, []).append(result)
    tables: list[tuple[pd.DataFrame, Path]] = []
    for name, results in collected.items():
        tables.append(
            (
                _converted(pd.concat([r.table for r in results], ignore_index=True), args.unit),
                _targets(args, name, ""),
            )
        )
        flows = [r.flows for r in results if r.flows is not None]
        if flows:
            tables.append(
                (_converted(pd.concat(flows, ignore_index=True), args.unit), _targets(args, name, "flows"))
            )
    check_output_paths([path for _, path in tables], _inputs(args))
    metadata: dict[str, Any] = {
        **collected[""][-1].metadata,
        "years": chosen,
        "per_year": {str(r.metadata.get("year")): r.metadata for r in collected[""]},
        "command": command_line(),
        "mass_unit": args.unit or "the source's",
        "tables": {
            str(path): name or "main" for (_, path), name in zip(tables, _names(collected), strict=True)
        },
    }
    write_tables_together(tables, metadata=metadata)
    for table, path in tables:
        print(f"wrote {len(table)} rows to {path}")
    return 0


def _names(collected: dict[str, list[MethodResult]]) -> list[str]:
    out = []
    for name, results in collected.items():
        out.append(name)
        if any(r.flows is not None for r in results):
            out.append(f"{name}_flows" if name else "flows")
    return out
