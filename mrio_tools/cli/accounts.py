"""`mrio-tools accounts` (one year) and `mrio-tools compare` (against a user's reference table)."""

from __future__ import annotations

import argparse
from pathlib import Path

from mrio_tools.cli.common import (
    command_line,
    input_paths,
    principle_of,
    principle_option,
    request_of,
    source_options,
    table_path,
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], epilog: str) -> None:
    """Add the accounts and compare subcommands."""
    accounts = commands.add_parser(
        "accounts",
        help="accounts of one year as a long table (CSV or parquet by suffix)",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source_options(accounts)
    accounts.add_argument("--year", type=int, required=True)
    accounts.add_argument("--out", type=table_path, required=True, help="accounts table (.csv or .parquet)")
    accounts.add_argument("--flows", type=table_path, help="also write origin-destination flows here")
    principle_option(accounts)
    accounts.add_argument(
        "--national", type=Path, help="territorial inventory totals for --emissions-principle territorial"
    )
    accounts.set_defaults(func=run_accounts)

    compare = commands.add_parser("compare", help="our accounts against a reference table a user supplies")
    compare.add_argument("--accounts", type=Path, required=True, help="our long accounts table (CSV)")
    compare.add_argument(
        "--reference", type=Path, required=True, help="CSV with columns region, year, account, value, unit"
    )
    compare.add_argument(
        "--stressor", help="which stressor of the accounts table (needed if it holds several)"
    )
    compare.add_argument("--out", type=table_path, required=True, help="differences (.csv or .parquet)")
    compare.set_defaults(func=run_compare)


def run_accounts(args: argparse.Namespace) -> int:
    """One year's accounts (and flows) written together: both tables replaced, or neither."""
    from mrio_tools.accounts.national import national_accounts
    from mrio_tools.extension.source import read_national
    from mrio_tools.io.output import check_output_paths, write_tables_together
    from mrio_tools.series.tasks import convert_units, unit_note
    from mrio_tools.sources.registry import load_mrio
    from mrio_tools.units import check_mass_unit

    check_mass_unit(args.unit)
    outputs = [args.out, *([args.flows] if args.flows else [])]
    check_output_paths(outputs, [*input_paths(args), *([args.national] if args.national else [])])
    principle = principle_of(args, args.national)
    principle.check()
    national = read_national(args.national) if args.national and principle.files() else None
    mrio, principle_meta = principle.apply(load_mrio(request_of(args), args.year), national)
    result = national_accounts(mrio, solver=args.solver)
    meta = {**result.metadata, **principle_meta, **unit_note(args.unit), "command": command_line()}
    tables = [(convert_units(result.table, args.unit, flows=False), args.out)]
    if args.flows:
        tables.append((convert_units(result.flows, args.unit, flows=True), args.flows))
    write_tables_together(tables, metadata=meta)
    print(f"wrote {len(result.table)} rows to {args.out}")
    return 0


def run_compare(args: argparse.Namespace) -> int:
    """Absolute and relative differences of our accounts against a reference table."""
    from mrio_tools.accounts.compare import compare_accounts, read_accounts, read_reference
    from mrio_tools.io.output import check_output_paths, write_table

    check_output_paths([args.out], [args.accounts, args.reference])
    ours = read_accounts(args.accounts)
    table = compare_accounts(ours, read_reference(args.reference), stressor=args.stressor)
    write_table(table, args.out, metadata={"accounts": str(args.accounts), "reference": str(args.reference)})
    print(f"wrote {len(table)} rows to {args.out}")
    return 0
