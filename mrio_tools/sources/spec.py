"""The types of the source registry: a source's entry (`SourceSpec`), its options, a user's request.

Each source module declares its own entry, ``SPEC: SourceSpec``, at its bottom; `sources.registry`
collects them into `REGISTRY` and re-exports these types (import them from there). They live here
so that a source module and the registry do not import each other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mrio_tools.errors import DataFileError
from mrio_tools.mrio.container import MRIO


@dataclass(frozen=True)
class SourceOption:
    """A scientific choice a source's reader makes, visible and settable by the user.

    `default` is one of `choices`, or None where the reader picks by the files it finds (then
    `default_help` says how, and the metadata records what was picked and why).
    """

    name: str
    choices: tuple[str, ...]
    default: str | None
    help: str
    default_help: str = ""

    @property
    def flag(self) -> str:
        """The command-line flag, e.g. ``--output-gap``."""
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class SourceRequest:
    """What a user asked for: the source, where its files are, its options and the stressor selection."""

    source: str
    data: Path | None = None
    emissions: Path | None = None
    stressor: Sequence[str] | None = None
    stressor_name: str | None = None
    options: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # hashable and picklable (Dask ships requests to workers; openers are memoised per process)
        object.__setattr__(self, "stressor", tuple(self.stressor) if self.stressor else None)
        object.__setattr__(self, "options", _FrozenOptions(self.options))


class _FrozenOptions(dict[str, str]):
    """A dict that can be hashed (options are set once, in the request)."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))


@dataclass(frozen=True)
class ExtensionParts:
    """What the extension of years (docs/methods.md, "Years outside the tables") needs from a source.

    `read_table(year)` gives the year's real table without emissions, `attach_emissions(mrio)` the
    table with the sector emissions of ``mrio.year`` (placed with the table's own output, scaled or
    not); `rest_of_world` names the table's rest-of-world regions (World minus the table's countries
    in the national series).
    """

    table_years: tuple[int, ...]
    emission_years: tuple[int, ...]
    read_table: Callable[[int], MRIO]
    attach_emissions: Callable[[MRIO], MRIO]
    rest_of_world: tuple[str, ...]


@dataclass(frozen=True)
class SourceSpec:
    """One source in the registry (see module docstring)."""

    name: str
    description: str
    needs: tuple[str, ...]
    years: Callable[[SourceRequest], list[int]]
    files: Callable[[SourceRequest, int], list[Path]]
    open: Callable[[SourceRequest, Mapping[str, str | None]], Callable[[int], MRIO]]
    options: tuple[SourceOption, ...] = ()
    #: an option whose two choices the series compares region by region (docs/methods.md asks for it);
    #: the reader records the choice it applied in notes["<option>_treatment"]
    sensitivity: tuple[str, str, str] | None = None
    #: the parts the extension of years needs; None: the source cannot be extended
    extension: Callable[[SourceRequest, Mapping[str, str | None]], ExtensionParts] | None = None

    def option(self, name: str) -> SourceOption:
        """The option called `name`; `DataFileError` naming the source's options if there is none."""
        for option in self.options:
            if option.name == name:
                return option
        known = ", ".join(o.flag for o in self.options) or "none"
        raise DataFileError(
            f"source {self.name!r} has no option {name!r} (its options: {known}). Fix: drop it or pick "
            "the source it belongs to (mrio-tools sources lists every source's options)"
        )


def need(request: SourceRequest, what: str) -> Path:
    """The request's --data or --emissions path; `DataFileError` naming the flag when absent or missing."""
    from mrio_tools.sources.registry import source_spec

    spec = source_spec(request.source)
    path = request.data if what == "data" else request.emissions
    if path is None:
        raise DataFileError(f"source {request.source!r} needs --{what} DIR ({spec.description})")
    if not path.exists():
        raise DataFileError(f"source {request.source!r}: --{what} {path} does not exist")
    return path


def folder_files(folder: Path) -> list[Path]:
    """Every file under `folder` (sorted), or `folder` itself when it is a file."""
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else [folder]


__all__ = ["ExtensionParts", "SourceOption", "SourceRequest", "SourceSpec", "folder_files", "need"]
