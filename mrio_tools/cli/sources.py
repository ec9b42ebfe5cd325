"""`mrio-tools sources`, `years` and `download`: what the registry knows and fetching publishers' files."""

from __future__ import annotations

import argparse
from pathlib import Path

from mrio_tools.cli.common import years
from mrio_tools.sources.download_files import DOWNLOADS
from mrio_tools.sources.registry import REGISTRY


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], epilog: str) -> None:
    """Add the sources, years and download subcommands."""
    listed = commands.add_parser("years", help="list the years a source's data folder holds")
    listed.add_argument("--source", required=True, choices=sorted(REGISTRY))
    listed.add_argument("--data", type=Path)
    listed.add_argument(
        "--emissions", type=Path, help="accepted where a source needs it; the years listed are --data's"
    )
    listed.set_defaults(func=run_years)

    commands.add_parser("sources", help="list the sources and what each needs").set_defaults(func=run_sources)

    download = commands.add_parser(
        "download", help="fetch a source's files as its publisher ships them (needs internet)"
    )
    download.add_argument("--source", required=True, choices=sorted(DOWNLOADS))
    download.add_argument("--years", type=years, required=True, help="e.g. 1995-2011 or 2000,2008")
    download.add_argument(
        "--dest", type=Path, required=True, help="folder for the files (e.g. data_raw/wiod2013)"
    )
    download.add_argument(
        "--base-url",
        help="a mirror folder URL serving the same file names (needed for gloria and wiod2016, whose "
        "publishers serve files only from their own pages); eora26 reads EORA_EMAIL / EORA_PASSWORD or asks",
    )
    download.set_defaults(func=run_download)


def run_sources(args: argparse.Namespace) -> int:
    """Each source with what it needs and its options."""
    for spec in REGISTRY.values():
        print(f"{spec.name:14s} {spec.description}")
        needs = " ".join(f"--{what} DIR" for what in spec.needs) or "no files (embedded)"
        print(f"{'':14s} needs: {needs}")
        for option in spec.options:
            default = option.default or f"by the files ({option.default_help})"
            print(f"{'':14s} {option.flag} {'|'.join(option.choices)} (default: {default}): {option.help}")
    return 0


def run_years(args: argparse.Namespace) -> int:
    """The years a source's data folder holds."""
    from mrio_tools.sources.registry import SourceRequest, available_years, source_spec

    request = SourceRequest(source=args.source, data=args.data, emissions=args.emissions)
    tables_only = args.emissions is None and args.data is not None  # the years --data holds
    found = source_spec(args.source).years(request) if tables_only else available_years(request)
    print(" ".join(str(y) for y in found) if found else "this source states no year; pass --year")
    return 0


def run_download(args: argparse.Namespace) -> int:
    """Fetch the publisher's files into --dest (each checked, none half-written)."""
    from mrio_tools.errors import DownloadError
    from mrio_tools.io.output import check_output_paths
    from mrio_tools.sources.download_files import download_source

    check_output_paths([args.dest], [])
    try:
        paths = download_source(args.source, args.years, args.dest, base_url=args.base_url)
    except OSError as error:  # urllib's URLError included; its notes name the URL and the fix
        notes = "; ".join(getattr(error, "__notes__", []))
        raise DownloadError(f"{error}; {notes}" if notes else str(error)) from error
    for path in paths:
        print(f"have {path}")
    return 0
