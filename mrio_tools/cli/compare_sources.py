"""`mrio-tools compare-sources`: the accounts of one year from two sources side by side, per country."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mrio_tools.cli.common import command_line, table_path
from mrio_tools.errors import DataFileError
from mrio_tools.sources.registry import REGISTRY, SourceRequest


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], epilog: str) -> None:
    """Add the compare-sources subcommand."""
    parser = commands.add_parser(
        "compare-sources",
        help="the same accounts of one year from two sources, per country (ISO3), with relative "
        "difference and rank",
        epilog="example:\n  mrio-tools compare-sources --year 2010 --source-a exiobase3 --data-a "
        "data_raw/exiobase3 --source-b eora26 --data-b data_raw/eora26 --out exio_vs_eora_2010.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--year", type=int, required=True)
    for side in ("a", "b"):
        parser.add_argument(f"--source-{side}", required=True, choices=sorted(REGISTRY))
        parser.add_argument(f"--data-{side}", type=Path, help=f"source {side}'s files (--data)")
        parser.add_argument(f"--emissions-{side}", type=Path, help=f"source {side}'s --emissions")
        parser.add_argument(
            f"--option-{side}",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help=f"an option of source {side} (mrio-tools sources lists them), e.g. system=ixi",
        )
    parser.add_argument("--stressor", default="CO2", help="the stressor both sources name (default CO2)")
    parser.add_argument("--out", type=table_path, required=True, help="comparison table (.csv or .parquet)")
    parser.set_defaults(func=run_compare_sources)


def _request(args: argparse.Namespace, side: str) -> SourceRequest:
    options = {}
    for text in getattr(args, f"option_{side}"):
        name, sep, value = text.partition("=")
        if not sep:
            raise DataFileError(f"--option-{side} {text!r}: write NAME=VALUE, e.g. system=ixi")
        options[name.strip().replace("-", "_")] = value.strip()
    return SourceRequest(
        source=getattr(args, f"source_{side}"),
        data=getattr(args, f"data_{side}"),
        emissions=getattr(args, f"emissions_{side}"),
        options=options,
    )


def run_compare_sources(args: argparse.Namespace) -> int:
    """Both sources' accounts of --year, matched by ISO3; unmatched regions listed on stderr too."""
    from mrio_tools.accounts.compare_sources import compare_sources, unmatched
    from mrio_tools.accounts.national import national_accounts
    from mrio_tools.io.output import check_output_paths, write_table
    from mrio_tools.sources.registry import load_mrio

    requests = {side: _request(args, side) for side in ("a", "b")}
    inputs = [p for r in requests.values() for p in (r.data, r.emissions) if p is not None]
    check_output_paths([args.out], inputs)
    results = {side: national_accounts(load_mrio(r, args.year)) for side, r in requests.items()}
    names = (f"a: {requests['a'].source}", f"b: {requests['b'].source}")
    table = compare_sources(results["a"].table, results["b"].table, stressor=args.stressor, names=names)
    missing = unmatched(table)
    metadata = {
        "command": command_line(),
        "what": "accounts of one year from two sources, per country (mrio_tools.accounts.compare_sources)",
        "source_a": results["a"].metadata,
        "source_b": results["b"].metadata,
        "unmatched_regions": missing,
    }
    write_table(table, args.out, metadata=metadata)
    for status, regions in missing.items():
        if regions:
            side = status[-1]
            print(
                f"mrio-tools: {len(regions)} regions of source {side} ({requests[side].source}) match no "
                f"country of the other: {', '.join(regions)}",
                file=sys.stderr,
            )
    matched = table[table["status"] == "matched"]["region"].nunique()
    print(f"wrote {len(table)} rows ({matched} countries in both) to {args.out}")
    return 0
