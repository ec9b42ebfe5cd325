"""The `mrio-tools` command line: a thin layer over the library's functions.

One module per group of subcommands; each ``register`` adds its parsers and sets ``func`` to the
function that runs it. Errors of mrio_tools are printed as one paragraph with exit status 2, not as a
traceback (``--debug`` shows it).
"""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Sequence

from mrio_tools.cli import accounts, compare_sources, methods, report, series, sources
from mrio_tools.errors import MRIOError

#: the subcommand modules, in the order `mrio-tools --help` lists them
COMMAND_MODULES = (accounts, series, report, sources, compare_sources, methods)

EPILOG = """examples:
  mrio-tools accounts --source demo --year 2010 --out reports/demo_2010.csv
  mrio-tools accounts --source wiod2013 --data data_raw/wiod2013 \\
      --emissions data_raw/jrc_co2 --year 2008 --out wiod_2008.csv
  mrio-tools series --source wiod2013 --data data_raw/wiod2013 \\
      --emissions data_raw/jrc_co2 --years 2000-2011 --workers 2 --out-dir reports/wiod2013
  mrio-tools series --source demo --years 1990-2019 --out-dir reports/demo/series
  mrio-tools report --series reports/demo/series --out-dir reports/demo/report --lang zh
  mrio-tools tcba --source wiod2013 --data data_raw/wiod2013 --emissions data_raw/jrc_co2 \\
      --years 2000,2011 --unit Mt --out-dir reports/wiod2013/methods
  mrio-tools compare --accounts wiod_2008.csv --reference inventory.csv --out diff.csv
  mrio-tools download --source wiod2013 --years 1995-2011 --dest data_raw/wiod2013
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog="mrio-tools",
        description="Production- and consumption-based emission accounts from MRIO tables "
        "(methods: docs/methods.md).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the full traceback of an error (for bug reports)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(commands, EPILOG)
    return parser


#: longest message printed; a longer one (a whole file quoted as a label) is cut in the middle
MESSAGE_LIMIT = 2000


def _unexpected(error: BaseException) -> str:
    """One paragraph for an error mrio_tools did not raise on purpose: what, where, and what to do."""
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return (
                f"{error.strerror or error}{where}. Fix: free disk space, or write the outputs (and "
                "--cache) to another disk"
            )
        return (
            f"{error.strerror or error}{where}. Fix: check that the path exists and that you may read "
            "(inputs) or write (outputs) it"
        )
    return (
        f"unexpected {type(error).__name__}: {error}. An input the tool does not check yet, or a bug: "
        "rerun with --debug for the traceback and report it with the command"
    )


def shown_message(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """`message` cut in the middle to `limit` characters (saying how long it was)."""
    if len(message) <= limit:
        return message
    half = limit // 2
    return f"{message[:half]} ...[{len(message) - limit} characters cut]... {message[-half:]}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `mrio-tools` and `python -m mrio_tools`.

    Every error ends as one paragraph on stderr and exit status 2 (130 when interrupted); `--debug`
    shows the traceback instead.
    """
    args = build_parser().parse_args(argv)
    try:
        status: int = args.func(args)
        return status
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("mrio-tools: interrupted; finished outputs are complete, none is half-written", file=sys.stderr)
        return 130
    except Exception as error:
        if args.debug:
            raise
        message = str(error) if isinstance(error, MRIOError) else _unexpected(error)
        print(f"mrio-tools: error: {shown_message(message)}", file=sys.stderr)
        return 2
