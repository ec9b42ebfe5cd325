"""The `mrio-tools` command line: a thin layer over the library's functions.

Every analysis command takes the same source options (--source, --data, --emissions, --stressor);
errors of mrio_tools are printed as one clear message with exit status 2, not as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .errors import DownloadError, MRIOError, OutputError
from .sources import SOURCES, SourceRequest, available_years
from .units import to_unit

EPILOG = """examples:
  mrio-tools accounts --source demo --year 2010 --out reports/demo_2010.csv
  mrio-tools accounts --source wiod2013 --data ../shared/data/wiod2013 \\
      --emissions ../shared/data/wiod2016_env --year 2008 --out wiod_2008.csv
  mrio-tools report --source demo --years 1990-2019 --out-dir reports/demo
  mrio-tools compare --accounts wiod_2008.csv --reference inventory.csv --out diff.csv
  mrio-tools download --source wiod2013 --years 1995-2011 --dest data_raw/wiod2013
"""

#: sources whose publisher files `mrio-tools download` can fetch
DOWNLOADS = ("wiod2013",)


def _source_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("data source")
    group.add_argument("--source", required=True, choices=sorted(SOURCES), help="which table to read")
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


def _request(args: argparse.Namespace) -> SourceRequest:
    return SourceRequest(
        source=args.source,
        data=args.data,
        emissions=args.emissions,
        stressor=args.stressor,
        stressor_name=args.stressor_name,
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog="mrio-tools",
        description="Production- and consumption-based emission accounts from MRIO tables "
        "(methods: METHODS.md, national accounts).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
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

    report = commands.add_parser("report", help="accounts of several years, tables and figures in a folder")
    _source_options(report)
    report.add_argument("--years", type=_years, required=True, help="e.g. 1990-2019 or 2000,2005,2010")
    report.add_argument("--out-dir", type=Path, required=True)

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
    years.add_argument("--source", required=True, choices=sorted(SOURCES))
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


#: accounts measured in the stressor's own (mass) unit, which --unit converts
MASS_ACCOUNTS = ("PBA", "CBA", "EEE", "EEI", "NET_TRANSFER", "HOUSEHOLD_DIRECT")


def _convert(table: pd.DataFrame, unit: str | None, *, flows: bool) -> pd.DataFrame:
    if unit is None:
        return table
    return to_unit(table, unit, where=None if flows else table["account"].isin(MASS_ACCOUNTS))


def _unit_note(unit: str | None) -> dict[str, str]:
    if unit is None:
        return {}
    return {
        "unit_conversion": f"accounts {', '.join(MASS_ACCOUNTS)} and all flows converted from the "
        f"stressor_units to {unit}; the unit column of each row states its unit"
    }


def _run(args: argparse.Namespace) -> int:
    if args.command == "sources":
        for name, text in SOURCES.items():
            print(f"{name:14s} {text}")
        return 0
    if args.command == "years":
        found = available_years(SourceRequest(source=args.source, data=args.data))
        print(" ".join(str(y) for y in found) if found else "this source states no year; pass --year")
        return 0
    if args.command == "accounts":
        from .accounts import national_accounts
        from .output import write_table
        from .sources import load_mrio

        result = national_accounts(load_mrio(_request(args), args.year), solver=args.solver)
        meta = {**result.metadata, **_unit_note(args.unit), "command": " ".join(sys.argv)}
        write_table(_convert(result.table, args.unit, flows=False), args.out, metadata=meta)
        if args.flows:
            write_table(_convert(result.flows, args.unit, flows=True), args.flows, metadata=meta)
        print(f"wrote {len(result.table)} rows to {args.out}")
        return 0
    if args.command == "report":
        import dataclasses

        from .report.build import build_report
        from .series import accounts_series

        result = accounts_series(_request(args), args.years, solver=args.solver)
        result = dataclasses.replace(
            result,
            table=_convert(result.table, args.unit, flows=False),
            flows=_convert(result.flows, args.unit, flows=True),
            metadata={**result.metadata, **_unit_note(args.unit), "command": " ".join(sys.argv)},
        )
        stressor = str(result.table.loc[result.table["account"] == "PBA", "stressor"].iloc[0])
        for path in build_report(result, args.out_dir, stressor=stressor):
            print(f"wrote {path}")
        return 0
    if args.command == "compare":
        from .compare import compare_accounts, read_reference
        from .output import write_table

        ours = pd.read_csv(args.accounts)
        table = compare_accounts(ours, read_reference(args.reference), stressor=args.stressor)
        write_table(
            table, args.out, metadata={"accounts": str(args.accounts), "reference": str(args.reference)}
        )
        print(f"wrote {len(table)} rows to {args.out}")
        return 0
    if args.command == "download":
        from .sources.wiod2013 import BASE_URL, download_wiod2013

        try:
            paths = download_wiod2013(args.dest, args.years, base_url=args.base_url or BASE_URL)
        except OSError as error:  # urllib's URLError included; its notes name the URL and the fix
            notes = "; ".join(getattr(error, "__notes__", []))
            raise DownloadError(f"{error}; {notes}" if notes else str(error)) from error
        for path in paths:
            print(f"have {path}")
        return 0
    raise AssertionError(args.command)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `mrio-tools` and `python -m mrio_tools`."""
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except MRIOError as error:
        print(f"mrio-tools: error: {error}", file=sys.stderr)
        return 2
