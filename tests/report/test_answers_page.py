"""The page answers first, in words, for every region, with the inventory checks (issue 22).

A hand-made series (CHN, USA, DEU and RoW, 2013-2016, labelled demonstration data) is written the
way `mrio-tools series` writes one, with a findings table in the layout of `mrio_tools.findings`, a
skill summary, and an `inventory_check.csv` in the layout engineer A's series writes (accounts PBA,
INVENTORY, PBA_TO_INVENTORY, SOURCE_GROWTH, INVENTORY_GROWTH, BREAK_FLAG) whose CHN 2014 -> 2015
break is flagged. Expected values are read from the files written here, never from the code under
test.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from mrio_tools.report.build import build_report
from mrio_tools.report.inventory import breaks
from mrio_tools.series.run import MANIFEST, write_manifest

YEARS = (2013, 2014, 2015, 2016)
REGIONS = ("CHN", "USA", "DEU", "RoW")
BASIS = {2013: "scaled_table+emissions", 2014: "scaled_table+emissions", 2015: "table", 2016: "table"}
PLAN = {
    "2013": {"table_benchmark_year": 2015, "emission_benchmark_year": 2013},
    "2014": {"table_benchmark_year": 2015, "emission_benchmark_year": 2014},
}
#: PBA and CBA in Mt; CHN's PBA drops 10.53 -> 8.99 Gt in 2015 as in the JRC source
PBA = {
    "CHN": (10300.0, 10530.0, 8990.0, 9100.0),
    "USA": (5200.0, 5250.0, 5100.0, 5000.0),
    "DEU": (780.0, 760.0, 770.0, 765.0),
    "RoW": (17000.0, 17200.0, 17400.0, 17600.0),
}
CBA = {
    "CHN": (9000.0, 9100.0, 7800.0, 7900.0),
    "USA": (5900.0, 5950.0, 5800.0, 5700.0),
    "DEU": (950.0, 930.0, 940.0, 935.0),
    "RoW": (17930.0, 17760.0, 17720.0, 17930.0),
}
#: territorial inventory (Mt): CHN nearly flat 2014 -> 2015
INVENTORY = {
    "CHN": (10000.0, 10100.0, 9980.0, 10020.0),
    "USA": (5300.0, 5350.0, 5200.0, 5100.0),
    "DEU": (800.0, 790.0, 795.0, 800.0),
    "RoW": (16000.0, 16200.0, 16400.0, 16500.0),
}
META = {
    "source": "hand-made test series",
    "version": "1",
    "years": list(YEARS),
    "regions": 4,
    "demonstration_data": True,
    "output_gap_treatment": "scale_rows",
    "emissions": {"CO2": {"source": "made-up emissions source", "principle": "residence"}},
    "extension": {"plan": PLAN},
    "command": "mrio-tools series --source test --years 2013-2016 --out-dir S",
}


def _write(folder: Path, name: str, table: pd.DataFrame, meta: dict[str, object]) -> None:
    table.to_csv(folder / f"{name}.csv", index=False)
    (folder / f"{name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    tables = sorted(p for p in folder.iterdir() if p.suffix in (".csv", ".json") and p.name != MANIFEST)
    write_manifest(folder, tables, years=list(YEARS))


def _findings() -> pd.DataFrame:
    """Findings rows as mrio_tools.findings writes them, values worked out by hand from PBA and CBA."""
    source, method = "hand-made test series", "docs/methods.md, National accounts"
    basis = "scaled_table+emissions; table"
    rows = [
        # CBA > PBA: USA 4 of 4 years, DEU 4 of 4
        ("CBA > PBA in every year", "USA", "years where it holds", 2013, 2016, 4.0, "years", basis),
        ("CBA > PBA in every year", "DEU", "years where it holds", 2013, 2016, 4.0, "years", basis),
        (
            "CBA > PBA in every year",
            "major developed",
            "economies where it holds in every year",
            2013,
            2016,
            2.0,
            "economies of 2",
            basis,
        ),
        # CHN gap: (10300 - 9000) Mt = 1.3 Gt in 2013, (9100 - 7900) Mt = 1.2 Gt in 2016
        ("production-minus-consumption gap", "CHN", "first year", 2013, 2013, 1.3, "Gt", BASIS[2013]),
        ("production-minus-consumption gap", "CHN", "last year", 2016, 2016, 1.2, "Gt", "table"),
        # non-OECD = CHN + RoW: (1300 - 930) Mt = 0.37 Gt in 2013; (1200 - 330) Mt = 0.87 Gt in 2016
        ("production-minus-consumption gap", "non-OECD", "first year", 2013, 2013, 0.37, "Gt", BASIS[2013]),
        ("production-minus-consumption gap", "non-OECD", "last year", 2016, 2016, 0.87, "Gt", "table"),
        (
            "export intensity decline",
            "CHN",
            "decline of EXPORT_INTENSITY_TOTAL, constant 2012 USD",
            2013,
            2016,
            21.5,
            "%",
            basis,
        ),
        (
            "export intensity decline",
            "CHN",
            "decline of EXPORT_INTENSITY_TOTAL, current USD",
            2013,
            2016,
            12.5,
            "%",
            basis,
        ),
    ]
    table = pd.DataFrame(
        rows, columns=["finding", "subject", "statistic", "year_from", "year_to", "value", "unit", "basis"]
    )
    return table.assign(text="statement", method=method, source=source)[
        [
            "finding",
            "subject",
            "statistic",
            "year_from",
            "year_to",
            "value",
            "unit",
            "text",
            "basis",
            "method",
            "source",
        ]
    ]


def _inventory_check(*, with_break: bool) -> pd.DataFrame:
    rows = []
    for region in REGIONS:
        pba = PBA[region] if with_break else tuple(v * 1.02 for v in INVENTORY[region])
        for i, year in enumerate(YEARS):
            inventory = INVENTORY[region][i]
            growth = 100 * (pba[i] / pba[i - 1] - 1) if i else float("nan")
            inventory_growth = 100 * (inventory / INVENTORY[region][i - 1] - 1) if i else float("nan")
            # the series' threshold: growth rates differing by more than 10 percentage points
            flag = 1.0 if i and abs(growth - inventory_growth) > 10 else 0.0
            for account, value, unit in (
                ("PBA", pba[i], "Mt"),
                ("INVENTORY", inventory, "Mt"),
                ("PBA_TO_INVENTORY", pba[i] / inventory, "1"),
                ("SOURCE_GROWTH", growth, "%"),
                ("INVENTORY_GROWTH", inventory_growth, "%"),
                ("BREAK_FLAG", flag, "flag"),
            ):
                rows.append((year, region, account, "CO2", unit, value, BASIS[year], "territorial"))
    return pd.DataFrame(
        rows, columns=["year", "region", "account", "stressor", "unit", "value", "basis", "principle"]
    )


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("answers_series")
    rows = []
    for region in REGIONS:
        for i, year in enumerate(YEARS):
            pba, cba = PBA[region][i], CBA[region][i]
            for account, value in (
                ("PBA", pba),
                ("CBA", cba),
                ("EEE", max(pba - cba, 0) + 100),
                ("EEI", max(cba - pba, 0) + 100),
                ("NET_TRANSFER", pba - cba),
            ):
                rows.append((year, region, account, "CO2", "Mt", value, BASIS[year]))
    accounts = pd.DataFrame(rows, columns=["year", "region", "account", "stressor", "unit", "value", "basis"])
    flows = pd.DataFrame(
        [(y, "CHN", "USA", "CO2", "Mt", 300.0, BASIS[y]) for y in YEARS],
        columns=["year", "origin", "destination", "stressor", "unit", "value", "basis"],
    )
    _write(folder, "accounts", accounts, META)
    _write(folder, "flows", flows, META)
    _write(folder, "findings", _findings(), META)
    summary = pd.DataFrame(
        [
            ("scaled_table+emissions", account, horizon, region, "median_abs_rel_error", error, 4)
            for account in ("NET_TRANSFER", "EEE", "CBA")
            for horizon, error in ((1, 0.05), (2, 0.08))
            for region in ("all", "CHN")
        ],
        columns=["basis", "account", "horizon", "region", "statistic", "value", "cases"],
    )
    _write(folder, "skill_summary", summary, META)
    _write(
        folder,
        "inventory_check",
        _inventory_check(with_break=True),
        {"break_threshold": "10 percentage points"},
    )
    return folder


@pytest.fixture(scope="module")
def pages(series: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("answers_reports")
    for lang in ("en", "zh"):
        build_report(series, out / lang, lang=lang)  # type: ignore[arg-type]
    return {lang: out / lang / "report.html" for lang in ("en", "zh")}


class _Visible(HTMLParser):
    """The page's visible text outside <cite>, <pre>, <code>, <style> and <title>; its <data> elements."""

    SKIP = ("cite", "pre", "code", "style", "title", "script")

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.text: list[str] = []
        self.data: list[dict[str, str | None]] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in self.SKIP:
            self.depth += 1
        if tag == "data":
            self.data.append(found)
        if found.get("id"):
            self.ids.append(str(found["id"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth == 0:
            self.text.append(data)


def _visible(path: Path) -> _Visible:
    page = _Visible()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def test_answers_come_first_and_equal_the_findings(series: Path, pages: dict[str, Path]) -> None:
    findings = pd.read_csv(series / "findings.csv")
    for lang, path in pages.items():
        html = path.read_text(encoding="utf-8")
        assert html.index('id="answers"') < html.index('id="figures"') < html.index('id="tables"'), lang
        assert 'href="#why"' in html and 'id="why"' in html
        shown = _visible(path).data
        # every number of the answers is a findings value: non-OECD and CHN gaps, CHN decline, developed
        expected = {
            ("non-OECD", "first year"),
            ("non-OECD", "last year"),
            ("CHN", "first year"),
            ("CHN", "last year"),
            ("CHN", "decline of EXPORT_INTENSITY_TOTAL, constant 2012 USD"),
            ("major developed", "economies where it holds in every year"),
        }
        assert {(d["data-subject"], d["data-statistic"]) for d in shown} == expected, lang
        for element in shown:
            row = findings[
                (findings["subject"] == element["data-subject"])
                & (findings["statistic"] == element["data-statistic"])
            ]
            assert len(row) == 1
            assert float(str(element["value"])) == pytest.approx(float(row["value"].iloc[0]), rel=1e-12)
    # the published figures sit beside ours (docs/methods.md, "Reference figures")
    answers = html_section(pages["en"], "answers")
    for published in ("1.47 Gt (1990)", "4.17 Gt (2019)", "0.70 Gt (1990)", "1.80 Gt (2019)", "83.3 %"):
        assert published in answers
    assert "Chinese Academy of Sciences" in answers
    # the years are named in words and the skill test's error stands next to the estimated one
    assert "2013: table of 2015, scaled" in answers and "2016: real table" in answers
    # 2013 is a scaled table of 2015: horizon |2013 - 2015| = 2 years, where the skill summary's median
    # |relative error| of NET_TRANSFER (and EEE) is 0.08
    assert "2013: about 8 %" in answers and "2016: real table, no extension error" in answers
    words = _Visible()
    words.feed(answers)
    shown = " ".join(words.text)
    assert "scaled_table" not in shown and "EXPORT_INTENSITY" not in shown and "NET_TRANSFER" not in shown


def html_section(path: Path, name: str) -> str:
    html = path.read_text(encoding="utf-8")
    start = html.index(f'id="{name}"')
    return html[start : html.index("</section>", start)]


#: words a Chinese reader may see in Latin letters: accounts, units, groups, file kinds, citations
ALLOWED = {
    "PBA", "CBA", "EEE", "EEI", "CO2", "Gt", "Mt", "kt", "kg", "USD", "OECD", "GDP", "SVG", "CSV", "PNG",
    "Excel", "parquet", "Z1", "Y1", "Moran", "Wood", "Natural", "Earth", "m", "capita", "flag",
}  # fmt: skip


def test_chinese_page_has_no_english_words(pages: dict[str, Path]) -> None:
    text = " ".join(_visible(pages["zh"]).text)
    # file names and the toolkit's name
    text = re.sub(r"[\w./-]*\.(csv|xlsx|svg|png|json|parquet|html)\b|\b\w+/|mrio_tools", " ", text)
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", text))
    iso = {w for w in words if re.fullmatch(r"[A-Z]{3}", w)}
    extra = words - ALLOWED - iso
    assert not extra, sorted(extra)
    assert "亿吨" in text or "Gt" in text  # masses in SI symbols (1 Gt = 10 亿吨)
    assert "2013 年：2015 年表格，按比例推算" in text  # estimated years named in words


def test_every_region_has_its_figure(series: Path, pages: dict[str, Path]) -> None:
    regions = set(pd.read_csv(series / "accounts.csv")["region"])
    for lang, path in pages.items():
        page = _visible(path)
        assert {f"fig-region_{r}" for r in regions} <= set(page.ids), lang
        html = path.read_text(encoding="utf-8")
        for region in regions:
            assert f'href="#fig-region_{region}"' in html  # the index finds it
            assert (path.parent / "figures" / f"region_{region}.png").read_bytes()[:4] == b"\x89PNG"
        # every country's row in the accounts table: (4 years x 4 regions)
        table = pd.read_csv(path.parent / "tables" / "accounts.csv")
        assert set(table["region"]) == regions


def test_inventory_checks_state_the_principle_and_the_chn_break(pages: dict[str, Path]) -> None:
    section = html_section(pages["en"], "inventory")
    assert "residence principle" in section and "territorial" in section
    assert 'id="break-CHN-2015"' in section
    chn = section[section.index('id="break-CHN-2015"') :].split("</p>")[0]
    # 10530 -> 8990 Mt is -14.6 %; the inventory 10100 -> 9980 Mt is -1.2 %
    assert "2014 → 2015" in chn and "-14.6 %" in chn and "-1.2 %" in chn
    assert "in the emissions source itself, not in the national inventory" in chn
    assert "10 percentage points" in section
    zh = html_section(pages["zh"], "inventory")
    assert "居民原则" in zh and 'id="break-CHN-2015"' in zh and "跳变来自排放数据来源本身" in zh


def test_a_series_without_a_break_flags_none() -> None:
    table = _inventory_check(with_break=False)
    assert breaks(table, lang="en") == []
    flagged = breaks(_inventory_check(with_break=True), lang="en")
    assert [(b.region, b.year) for b in flagged] == [("CHN", 2015)]


def test_no_absolute_path_in_the_report(series: Path, pages: dict[str, Path]) -> None:
    for path in pages.values():
        for file in path.parent.rglob("*"):
            if file.suffix in (".html", ".json", ".csv", ".svg"):
                assert str(series.parent) not in file.read_text(encoding="utf-8"), file


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_answers_page_renders_in_headless_chromium(pages: dict[str, Path], lang: str) -> None:
    """No broken image and no console error; the region index links reach their figures."""
    from selenium.webdriver.common.by import By
    from test_report import _browser

    browser = _browser()
    try:
        browser.get(pages[lang].as_uri())  # type: ignore[attr-defined]
        images = browser.find_elements(By.TAG_NAME, "img")  # type: ignore[attr-defined]
        assert len(images) >= len(REGIONS)
        for image in images:
            loaded = browser.execute_script(  # type: ignore[attr-defined]
                "return arguments[0].complete && arguments[0].naturalWidth", image
            )
            assert loaded > 0
        link = browser.find_element(By.CSS_SELECTOR, 'a[href="#fig-region_DEU"]')  # type: ignore[attr-defined]
        link.click()
        assert browser.execute_script("return location.hash") == "#fig-region_DEU"  # type: ignore[attr-defined]
        severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]  # type: ignore[attr-defined]
        assert severe == [], severe
    finally:
        browser.quit()  # type: ignore[attr-defined]
