"""Build a report folder from accounts: the long tables with metadata, and the figures (PNG and SVG)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..accounts import Accounts
from ..output import atomic_write, write_table
from .figures import plot_gap_over_time, plot_pba_vs_cba


def caption(metadata: Mapping[str, Any]) -> str:
    """One line naming the table's source and version, the emissions' source and principle, and, for
    demonstration data, that it is not real."""
    text = f"Table: {metadata.get('source')} ({metadata.get('version')})."
    per_year: Mapping[Any, Mapping[str, Any]] = metadata.get("per_year") or {}
    first_year: Mapping[str, Any] = next(iter(per_year.values()), {})
    emissions: Mapping[str, Mapping[str, Any]] = (
        metadata.get("emissions") or first_year.get("emissions") or {}
    )
    for name, entry in emissions.items():
        origin = str(entry.get("source", "")).split(";")[0]
        text += f" {name}: {origin}, {entry.get('principle')} principle."
    text += " mrio_tools, MRIO final-demand view."
    if metadata.get("demonstration_data"):
        text = "DEMONSTRATION DATA - synthetic regions, not real countries. " + text
    return text


def _mark_demo(ax: Axes, demo: bool) -> None:
    if demo:
        ax.set_title("[DEMONSTRATION DATA] " + ax.get_title())


def _save(fig: Figure, path: Path) -> None:
    for fmt in ("png", "svg"):

        def draw(tmp: Path, fmt: str = fmt) -> None:
            fig.savefig(tmp, format=fmt, dpi=150, bbox_inches="tight")

        atomic_write(path.with_suffix(f".{fmt}"), draw)


def build_report(accounts: Accounts, out_dir: Path, *, stressor: str, top_regions: int = 8) -> list[Path]:
    """Write accounts.csv, flows.csv (with .meta.json) and the figures under `out_dir`; return the paths."""
    table, meta = accounts.table, accounts.metadata
    years = sorted(table["year"].unique())
    written = [
        write_table(table, out_dir / "accounts.csv", metadata=meta),
        write_table(accounts.flows, out_dir / "flows.csv", metadata=meta),
    ]
    figures = out_dir / "figures"
    text = caption(meta)
    last = int(years[-1])
    pba_last = table[(table["account"] == "PBA") & (table["stressor"] == stressor) & (table["year"] == last)]
    largest = pba_last.sort_values("value", ascending=False)["region"].head(top_regions).tolist()

    demo = bool(meta.get("demonstration_data"))

    fig = Figure(figsize=(9, 5), layout="constrained")
    _mark_demo(plot_pba_vs_cba(fig.add_subplot(), table, year=last, stressor=stressor, caption=text), demo)
    _save(fig, figures / "pba_vs_cba")
    fig = Figure(figsize=(9, 5), layout="constrained")
    _mark_demo(
        plot_gap_over_time(fig.add_subplot(), table, stressor=stressor, regions=largest, caption=text), demo
    )
    _save(fig, figures / "gap_over_time")
    written += [
        figures / f"{name}.{ext}" for name in ("pba_vs_cba", "gap_over_time") for ext in ("png", "svg")
    ]
    return written
