"""Headline figures of the methods beyond the basic accounts on the real WIOD data (docs/methods_results.md).

Run from the project root (needs ../shared/data, or MRIO_TOOLS_SHARED_DATA):
    python docs/methods_results.py > /tmp/methods_results.txt
WIOD 2013 tables (M USD, current prices) with JRC (WIOD 2016) CO2 in kt: kt/M USD = kg/USD.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd

from mrio_tools.accounts import eebt, footprints, income, paths, sda, sectors, tcba
from mrio_tools.accounts.inputs import shipped_sector_sets
from mrio_tools.context.groups import eu27_grouping
from mrio_tools.context.prices import read_fred_deflator
from mrio_tools.leontief.solved import SolvedYear, solve_year
from mrio_tools.sources.registry import SourceRequest, load_mrio

SHARED = Path(os.environ.get("MRIO_TOOLS_SHARED_DATA", "../shared/data"))
SHOWN = ["CHN", "USA", "DEU", "IND"]
GT = 1e-6  # kt -> Gt


def value(table: pd.DataFrame, account: str, region: str) -> float:
    rows = table[(table["account"] == account) & (table["region"] == region)]
    return float(rows["value"].sum())


def world(table: pd.DataFrame, account: str) -> float:
    return float(table.loc[table["account"] == account, "value"].sum())


def line(label: str, table: pd.DataFrame, account: str, scale: float = GT, fmt: str = "{:.3f}") -> None:
    cells = [f"{r} {fmt.format(value(table, account, r) * scale)}" for r in SHOWN]
    print(f"  {label}: world {fmt.format(world(table, account) * scale)}; " + ", ".join(cells))


def timed(what: str, run):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = run()
    print(f"  [{what}: {time.perf_counter() - start:.2f} s]")
    return out


def one_year(solved: SolvedYear) -> None:
    year = solved.mrio.year
    print(f"\n== {year} (Gt CO2 unless stated)")
    e = timed("eebt", lambda: eebt.eebt_accounts(solved)).table
    for account in ("CBA", "CBA_EEBT", "CBA_EEBT_MINUS_MRIO", "EEBT_DIFF_REEXPORTED", "EEBT_DIFF_OTHER"):
        line(account, e, account)
    diff = e[e["account"] == "CBA_EEBT_MINUS_MRIO"].assign(size=lambda d: d["value"].abs())
    top = diff.sort_values("size", ascending=False).head(5)
    cba = e[e["account"] == "CBA"].set_index("region")["value"]
    print(
        "  five largest |CBA_EEBT - CBA|: "
        + "; ".join(
            f"{r} {v * GT:+.3f} Gt ({100 * v / cba[r]:+.1f} % of CBA)"
            for r, v in zip(top["region"], top["value"], strict=True)
        )
    )
    t = timed("tcba", lambda: tcba.tcba_accounts(solved)).table
    for account in ("TCBA", "EEE", "EEE_WORLD_AVERAGE"):
        line(account, t, account)
    i = timed("income", lambda: income.income_based(solved)).table
    for account in ("IBA", "PBA"):
        line(account, i, account)
    fp = timed("footprints", lambda: footprints.footprint_intensities(solved)).table
    line("FOOTPRINT_OF_FINAL_DEMAND", fp, "FOOTPRINT_OF_FINAL_DEMAND")
    M = fp[fp["account"] == "FOOTPRINT_INTENSITY"]
    print(
        "  ten most carbon-intensive products (kg CO2/USD): "
        + "; ".join(
            f"{r}/{s} {v:.2f}"
            for r, s, v in M.nlargest(10, "value")[["region", "sector", "value"]].itertuples(index=False)
        )
    )
    dom = fp[fp["account"] == "FOOTPRINT_INTENSITY_DOMESTIC"].set_index(["region", "sector"])["value"]
    Mi = M.set_index(["region", "sector"])["value"]
    for r in SHOWN:
        print(
            f"  {r} c12 basic metals: {Mi[(r, 'c12')]:.3f} kg/USD (domestic {dom[(r, 'c12')]:.3f}); "
            f"c14 electrical: {Mi[(r, 'c14')]:.3f} (domestic {dom[(r, 'c14')]:.3f})"
        )
    sets = sectors.sets_for_source(shipped_sector_sets("wiod2013"), "wiod2013")
    result = timed(
        "sectors",
        lambda: sectors.sector_transfers(solved, sector_sets=sets, views=["emitting_sector", "product"]),
    )
    flows = result.flows
    assert flows is not None
    eu = eu27_grouping().members("EU27", year) & set(solved.regions)
    for view in ("emitting_sector", "product"):
        net = flows[flows["account"] == sectors.SET_ACCOUNT[view]]
        for name in ("basic_metals", "electrical_equipment"):
            rows = net[(net["sector"] == name) & (net["origin"] == "CHN")]
            to_eu = rows[rows["destination"].isin(eu)]["value"].sum() * GT
            to_us = rows[rows["destination"] == "USA"]["value"].sum() * GT
            to_all = rows["value"].sum() * GT
            print(
                f"  net transfer CHN {name} ({view}): to EU27 {to_eu:.3f}, to USA {to_us:.3f}, "
                f"to all {to_all:.3f} Gt"
            )
    top = sectors.top_sectors(result.table, account="NET_TRANSFER_SECTOR_EMITTING", count=3)
    for r in SHOWN:
        rows = top[top["region"] == r]
        print(
            f"  {r} sectors carrying most net transfer (emitting view): "
            + ", ".join(f"{s} {v * GT:+.3f}" for s, v in zip(rows["sector"], rows["value"], strict=True))
        )
    for r in ("CHN", "USA"):
        for share in (1e-3, 1e-4):
            p = timed(
                f"paths {r} {share}",
                lambda r=r, share=share: paths.structural_paths(  # type: ignore[misc]
                    solved, stressor="CO2", region=r, threshold_share=share, depth=10
                ),
            )
            assert p.flows is not None
            print(
                f"  paths of {r}'s footprint, threshold {share}: {len(p.flows)} paths cover "
                f"{100 * p.metadata['covered_share']:.1f} %, {p.metadata['nodes_expanded']} nodes; top 3: "
                + "; ".join(
                    f"{q} {100 * s:.1f} %"
                    for q, s in zip(p.flows["path"][:3], p.flows["share"][:3], strict=True)
                )
            )


def main() -> None:
    import sys

    request = SourceRequest(source="wiod2013", data=SHARED / "wiod2013", emissions=SHARED / "wiod2016_env")
    years = [int(a) for a in sys.argv[1:]] or [2000, 2011]
    solved = {y: solve_year(load_mrio(request, y), solver="auto") for y in years}
    for y in years:
        one_year(solved[y])
    if len(years) < 2:
        return
    first, last = years[0], years[-1]
    deflator = read_fred_deflator(SHARED / "us_gdp_deflator")
    print(f"\n== SDA of total export intensity {first} -> {last} (kg CO2/USD)")
    for prices in ("current", "constant"):
        table = sda.decompose(
            solved[first],
            solved[last],
            bases=("table", "table"),
            prices=prices,
            deflator=deflator if prices == "constant" else None,
        ).table  # type: ignore[arg-type]
        for r in ("CHN", "IND"):
            start, end = value(table, "EXPORT_INTENSITY_START", r), value(table, "EXPORT_INTENSITY_END", r)
            effects = ", ".join(
                f"{a.removeprefix('SDA_').removesuffix('_EFFECT').lower()} {value(table, a, r):+.3f}"
                for a in sda.EFFECTS
            )
            print(
                f"  {r} {prices}: {start:.3f} -> {end:.3f} ({100 * (end / start - 1):+.1f} %); {effects}; "
                f"sum {sum(value(table, a, r) for a in sda.EFFECTS) - (end - start):+.1e} off"
            )
    print(
        f"  deflator {first} {deflator.at(first):.2f}, {last} {deflator.at(last):.2f} (2012 = 100), "
        f"{deflator.source}"
    )


if __name__ == "__main__":
    main()
