"""`mrio-tools report`: the report of a saved series folder (read, never recomputed)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import get_args

from mrio_tools.choices import Lang
from mrio_tools.cli.common import command_line


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], epilog: str) -> None:
    """Add the report subcommand."""
    report = commands.add_parser(
        "report",
        help="the report of a saved series folder: report.html, figures, Excel and long tables "
        "(accounts are read, never recomputed)",
    )
    report.add_argument("--series", type=Path, required=True, help="a folder written by `series`")
    report.add_argument(
        "--out-dir", type=Path, required=True, help="the report folder (replaced as a whole), e.g. DIR/report"
    )
    report.add_argument("--lang", choices=get_args(Lang), default="en", help="language of the report")
    report.add_argument("--stressor", help="stressor shown (default: CO2, else the first)")
    report.add_argument(
        "--regions", type=lambda t: [r.strip() for r in t.split(",") if r.strip()], help="e.g. CHN,USA,DEU"
    )
    report.add_argument("--year", type=int, help="year of the one-year figures (default: the last)")
    report.add_argument(
        "--skill-dir", type=Path, help="folder of `skill-test` results when not the series folder"
    )
    report.add_argument(
        "--methods-dir", type=Path, help="folder of `eebt`, `tcba`, `sda`, ... outputs: a section and sheets"
    )
    report.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    """Build the report folder as a whole (swapped in when complete)."""
    from mrio_tools.io.output import check_output_paths
    from mrio_tools.report.build import build_report

    inputs = [args.series, *([args.skill_dir] if args.skill_dir else [])]
    check_output_paths([args.out_dir], [*inputs, *([args.methods_dir] if args.methods_dir else [])])
    paths = build_report(
        args.series,
        args.out_dir,
        lang=args.lang,
        stressor=args.stressor,
        regions=args.regions,
        year=args.year,
        skill_dir=args.skill_dir,
        command=command_line(),
        methods_dir=args.methods_dir,
    )
    print(f"wrote {len(paths)} files under {args.out_dir} (open {args.out_dir / 'report.html'})")
    return 0
