"""The report built from a saved series folder: page, figures, workbook, languages, whole-folder writes.

The demonstration series is written here the way `mrio-tools series` writes one (accounts.csv and
flows.csv with a `basis` column and sidecar metadata); three of its years are marked extended so
that the marking can be checked. A second, hand-made series with ISO3 regions (labelled as
demonstration data) exercises the map, the groups and the optional tables.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from mrio_tools.errors import DataFileError, OutputError
from mrio_tools.report.build import build_report
from mrio_tools.report.i18n import region_name
from mrio_tools.report.scale import readable_unit
from mrio_tools.series.run import MANIFEST, accounts_series, write_manifest
from mrio_tools.sources.registry import SourceRequest

EXTENDED = {
    1990: "scaled_table+scaled_emissions",
    1991: "scaled_table+scaled_emissions",
    2019: "table+scaled_emissions",
}
REPO = Path(__file__).resolve().parents[2]


def _write(folder: Path, name: str, table: pd.DataFrame, meta: dict[str, object]) -> None:
    """Write one table of a hand-made series folder and record the folder's tables in its manifest."""
    table.to_csv(folder / f"{name}.csv", index=False)
    (folder / f"{name}.meta.json").write_text(json.dumps(meta, default=str), encoding="utf-8")
    tables = sorted(p for p in folder.iterdir() if p.suffix in (".csv", ".json") and p.name != MANIFEST)
    write_manifest(folder, tables, years=sorted({int(y) for y in table["year"]} if "year" in table else []))


@pytest.fixture(scope="module")
def demo_series(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demonstration series 1990-2019 as a saved folder, three years marked extended."""
    folder = tmp_path_factory.mktemp("demo_series")
    result = accounts_series(SourceRequest(source="demo"), list(range(1990, 2020)), progress=False)
    meta = {**result.metadata, "command": "mrio-tools series --source demo --years 1990-2019 --out-dir S"}
    for name, table in (("accounts", result.table), ("flows", result.flows)):
        _write(folder, name, table.assign(basis=table["year"].map(EXTENDED).fillna("table")), meta)
    return folder


@pytest.fixture(scope="module")
def iso_series(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hand-made 3-region series (CHN, USA, RoW; kt) over 2000-2002 with every optional table."""
    folder = tmp_path_factory.mktemp("iso_series")
    rows = []
    values = {  # PBA, CBA in kt, population in millions
        "CHN": (3.0e6, 2.4e6, 1300.0),
        "USA": (5.5e6, 6.2e6, 300.0),
        "RoW": (1.0e7, 1.09e7, 4500.0),
    }
    for year in (2000, 2001, 2002):
        basis = "scaled_table+emissions" if year == 2002 else "table"
        growth = 1.0 + 0.1 * (year - 2000)
        for region, (pba, cba, population) in values.items():
            pba, cba = pba * growth, cba * growth
            gap = pba - cba
            for account, value, unit in (
                ("PBA", pba, "kt"),
                ("CBA", cba, "kt"),
                ("EEE", max(gap, 0) + 1e5, "kt"),
                ("EEI", max(-gap, 0) + 1e5, "kt"),
                ("NET_TRANSFER", gap, "kt"),
                ("GROSS_EXPORTS", 1e6 * growth, "M USD"),
                ("EXPORT_INTENSITY_TOTAL", 0.8 / growth, "kt/M USD"),
                ("PBA_PER_CAPITA", pba / (population * 1e6), "kt/capita"),
                ("CBA_PER_CAPITA", cba / (population * 1e6), "kt/capita"),
                ("NET_TRANSFER_PER_CAPITA", gap / (population * 1e6), "kt/capita"),
            ):
                stressor = "monetary" if account == "GROSS_EXPORTS" else "CO2"
                rows.append((year, region, account, stressor, unit, value, basis))
    accounts = pd.DataFrame(rows, columns=["year", "region", "account", "stressor", "unit", "value", "basis"])
    flows = pd.DataFrame(
        [
            (y, o, d, "CO2", "kt", 1e5 * (i + 1), "scaled_table+emissions" if y == 2002 else "table")
            for y in (2000, 2001, 2002)
            for i, (o, d) in enumerate([("CHN", "USA"), ("USA", "CHN"), ("RoW", "USA"), ("CHN", "RoW")])
        ],
        columns=["year", "origin", "destination", "stressor", "unit", "value", "basis"],
    )
    meta = {
        "source": "hand-made test series",
        "version": "1",
        "years": [2000, 2001, 2002],
        "demonstration_data": True,
        "output_gap": "scale_rows",
        "emissions": {"CO2": {"source": "made up", "principle": "residence"}},
        "command": "mrio-tools series --source test --years 2000-2002 --out-dir S",
    }
    _write(folder, "flows", flows, meta)
    # the derived tables in the layouts of mrio_tools.context.groups / per_capita / prices / findings / extend
    per_capita_rows = accounts["account"].str.endswith("_PER_CAPITA")
    per_capita = accounts[per_capita_rows].assign(
        grouping="regions", unit="t/capita", value=accounts.loc[per_capita_rows, "value"] * 1e3
    )
    _write(folder, "accounts", accounts[~per_capita_rows], meta)
    _write(folder, "per_capita", per_capita, meta)
    mass = accounts[accounts["account"].isin(["PBA", "CBA", "NET_TRANSFER"])]
    oecd = mass[mass["region"] == "USA"].assign(region="OECD")
    non_oecd = (
        mass[mass["region"] != "USA"]
        .groupby(["year", "account", "stressor", "unit", "basis"], as_index=False)["value"]
        .sum()
        .assign(region="non-OECD")
    )
    groups = pd.concat([oecd, non_oecd])
    groups = pd.concat([groups.assign(grouping="oecd_in_year"), groups.assign(grouping="oecd_current")])
    _write(folder, "groups", groups, meta)
    current = accounts[accounts["account"] == "EXPORT_INTENSITY_TOTAL"].assign(
        measure="intensity",
        prices="current USD",
        deflator_year=pd.NA,
        unit="kg/USD",
        value=lambda t: t["value"],
    )
    constant = current.assign(
        prices="constant 2012 USD", deflator_year=current["year"], value=current["value"] * 1.1
    )
    index = current.assign(measure="index", unit="index (2000 = 100)", value=100.0)
    _write(folder, "export_intensity", pd.concat([current, constant, index]), meta)
    _write(
        folder,
        "findings",
        pd.DataFrame(
            {
                "finding": ["CBA > PBA in every year"],
                "subject": ["USA"],
                "text": ["USA CBA > PBA in every year"],
                "year_from": [2000],
                "year_to": [2002],
                "basis": ["table, scaled_table+emissions"],
            }
        ),
        meta,
    )
    _write(
        folder,
        "skill_summary",
        pd.DataFrame(
            {
                "basis": ["scaled_table+emissions"] * 2,
                "account": ["CBA", "CBA"],
                "horizon": [1, 2],
                "region": ["all", "all"],
                "statistic": ["median abs rel error"] * 2,
                "value": [0.015, 0.03],
                "cases": [10, 8],
            }
        ),
        meta,
    )
    return folder


class _Page(HTMLParser):
    """Collects the images, inline SVGs and text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.svgs = 0
        self.text: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "img":
            self.images.append(found.get("src") or "")
        if tag == "svg":
            self.svgs += 1
        if found.get("id"):
            self.ids.append(str(found["id"]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


@pytest.fixture(scope="module")
def demo_reports(demo_series: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("demo_reports")
    return {lang: _built(demo_series, out / lang, lang) for lang in ("en", "zh")}


def _built(series: Path, out: Path, lang: str) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a warning: fail on it
        build_report(series, out, lang=lang)  # type: ignore[arg-type]
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_is_self_contained_and_marks_demo_and_extended_years(
    demo_reports: dict[str, Path], lang: str
) -> None:
    out = demo_reports[lang]
    page = _parse(out / "report.html")
    assert len(page.images) >= 4
    for src in page.images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "the page must not reach the network"
    demo = "DEMONSTRATION DATA" if lang == "en" else "演示数据"
    for section in ("about", "findings", "figures", "tables", "reproduce"):
        start = html.index(f'id="{section}"')
        assert demo in html[start : start + 600], f"section {section} lacks the demonstration label"
    for svg in (out / "figures").glob("*.svg"):
        assert ("DEMONSTRATION DATA" if lang == "en" else "") in svg.read_text(
            encoding="utf-8"
        ) or lang == "zh"
    text = " ".join(page.text)
    assert "1990, 1991, 2019" in text  # the extended years are listed
    assert "1990†" in text and "2019†" in text and "2000†" not in text
    assert "mrio-tools series --source demo --years 1990-2019" in text
    assert ("not computed" if lang == "en" else "未计算") in text  # skill test, findings: absent here
    if lang == "zh":
        assert "演示区域 A" in text and "生产侧" in text


def test_figures_exist_as_png_and_svg(demo_reports: dict[str, Path]) -> None:
    figures = demo_reports["en"] / "figures"
    for name in ("pba_cba_countries", "gap_ranked", "export_intensity", "top_flows"):
        assert (figures / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
        assert (figures / f"{name}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    manifest = json.loads((demo_reports["en"] / "report.json").read_text(encoding="utf-8"))
    # the demonstration regions have no ISO3 code: no map, and the report says why
    assert "map_gap_per_capita" in manifest["omitted"] and "group_gaps" in manifest["omitted"]


def test_workbook_sheets_units_frozen_header_and_marks(demo_reports: dict[str, Path]) -> None:
    book = load_workbook(demo_reports["en"] / "tables" / "policy_tables.xlsx")
    assert book.sheetnames == ["accounts by country", "per capita", "export intensity", "top flows", "notes"]
    for name in book.sheetnames[:-1]:
        sheet = book[name]
        assert sheet.freeze_panes == "A3"
        assert "DEMONSTRATION DATA" in str(sheet["A1"].value)
        headers = [str(c.value) for c in sheet[2]]
        value_headers = [h for h in headers if h not in ("year", "region", "basis", "origin", "destination")]
        assert value_headers and all(re.search(r"\[.+\]", h) for h in value_headers), headers
        assert "basis" in headers
    sheet = book["accounts by country"]
    headers = [c.value for c in sheet[2]]
    assert headers[:3] == ["year", "region", "basis"]
    assert "PBA [Mt]" in headers  # demo PBA reaches 1.02e9 kg: shown in Mt, not kg
    years = [sheet.cell(row=r, column=1).value for r in range(3, sheet.max_row + 1)]
    assert "1990†" in years and "1992" in years
    first_extended = years.index("1990†") + 3
    assert sheet.cell(row=first_extended, column=4).font.italic
    assert sheet.cell(row=first_extended, column=4).number_format != "General"
    notes = {row[0].value: row[1].value for row in book["notes"].iter_rows(min_row=2)}
    assert notes["Table source"] == "demo"
    assert "mrio-tools series --source demo" in notes["How to reproduce"]
    assert book["notes"].freeze_panes == "A2"


def test_long_tables_as_csv_and_parquet(demo_reports: dict[str, Path]) -> None:
    tables = demo_reports["en"] / "tables"
    accounts = pd.read_csv(tables / "accounts.csv")
    assert set(accounts.columns) >= {"year", "region", "account", "stressor", "unit", "value", "basis"}
    pd.testing.assert_frame_equal(
        pd.read_parquet(tables / "accounts.parquet").astype({"year": int}),
        accounts.astype({"year": int}),
        check_dtype=False,
    )


def test_values_are_converted_not_recomputed(demo_series: Path, demo_reports: dict[str, Path]) -> None:
    raw = pd.read_csv(demo_series / "accounts.csv")
    shown = pd.read_csv(demo_reports["en"] / "tables" / "accounts.csv")
    key = ["year", "region", "account", "stressor"]
    merged = raw.merge(shown, on=key, suffixes=("_raw", "_shown"))
    assert len(merged) == len(shown) > 0
    assert set(merged["unit_raw"]) == {"kg"} and set(merged["unit_shown"]) == {"Mt"}
    assert (abs(merged["value_shown"] * 1e9 - merged["value_raw"]) <= 1e-9 * merged["value_raw"].abs()).all()


def test_iso_series_has_map_groups_and_optional_tables(iso_series: Path, tmp_path: Path) -> None:
    out = _built(iso_series, tmp_path / "zh", "zh")
    manifest = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert {"map_gap_per_capita", "group_gaps", "pba_cba_groups", "export_intensity"} <= set(
        manifest["figures"]
    )
    book = load_workbook(out / "tables" / "policy_tables.xlsx")
    assert book.sheetnames == [
        "各国账户",
        "国家组",
        "人均",
        "出口碳强度",
        "最大流量",
        "主要发现",
        "外推检验",
        "外推年份的误差",  # the skill test's error next to each extended year (2002 here)
        "说明",
    ]
    assert [str(c.value) for c in book["国家组"][2]][:4] == ["年份", "分组方式", "国家组", "数据基础"]
    headers = [str(c.value) for c in book["各国账户"][2]]
    assert headers[:3] == ["年份", "地区", "数据基础"]
    # 3e6 kt = 3 Gt: national CO2 in Gt, never kt with an offset
    assert "生产侧排放 PBA [Gt]" in headers
    regions = {book["各国账户"].cell(row=r, column=2).value for r in range(3, book["各国账户"].max_row + 1)}
    assert regions == {"中国", "美国", "世界其他地区"}
    intensity = [str(c.value) for c in book["出口碳强度"][2]]
    assert (
        "出口碳强度（全部），不变价 [kg/USD]" in intensity
        and "出口碳强度（全部），现价 [kg/USD]" in intensity
    )
    text = " ".join(_parse(out / "report.html").text)
    # every word in Chinese (issue 22): the skill test's horizon, the finding's statement, the output gap
    assert "2002†" in text and "时距" in text and "美国：CBA > PBA" in text
    assert "各行按公布的总产出缩放" in text


def test_english_map_and_svg_marks(iso_series: Path, tmp_path: Path) -> None:
    out = _built(iso_series, tmp_path / "en", "en")
    svg = (out / "figures" / "map_gap_per_capita.svg").read_text(encoding="utf-8")
    assert "DEMONSTRATION DATA" in svg and "EXTENDED YEAR" in svg  # 2002 is extended
    assert "Natural Earth" in svg
    # per capita: (3.6e6 - 2.88e6) kt / 1.3e9 persons = 0.55 t per person, in t/capita as per_capita.csv
    table = pd.read_csv(out / "tables" / "per_capita.csv")
    chn = table[
        (table["region"] == "CHN") & (table["year"] == 2002) & (table["account"] == "NET_TRANSFER_PER_CAPITA")
    ]
    assert chn["unit"].tolist() == ["t/capita"]
    assert chn["value"].iloc[0] == pytest.approx((3.0e6 - 2.4e6) * 1.2 * 1e3 / 1.3e9)


def test_rerun_replaces_the_folder_as_a_whole(iso_series: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    build_report(iso_series, out, lang="en")
    (out / "figures" / "stale.png").write_bytes(b"old run")
    build_report(iso_series, out, lang="en")
    assert not (out / "figures" / "stale.png").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # no temporary folder left behind


def test_interrupted_build_keeps_the_old_report(
    iso_series: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report"
    build_report(iso_series, out, lang="en")
    before = sorted(p.relative_to(out) for p in out.rglob("*"))

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("mrio_tools.report.build.render_page", broken)
    with pytest.raises(KeyboardInterrupt):
        build_report(iso_series, out, lang="zh")
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["lang"] == "en"
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_refuses_to_replace_a_folder_that_is_not_a_report(iso_series: Path, tmp_path: Path) -> None:
    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "thesis.txt").write_text("keep me")
    with pytest.raises(OutputError, match=r"mine.*not a report folder"):
        build_report(iso_series, precious, lang="en")
    assert (precious / "thesis.txt").read_text() == "keep me"
    with pytest.raises(OutputError, match="would replace the series folder"):
        build_report(iso_series, iso_series.parent, lang="en")


def test_missing_series_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"accounts\.csv is missing.*mrio-tools series"):
        build_report(tmp_path, tmp_path / "out", lang="en")


def test_chinese_without_a_cjk_font_names_the_package(
    iso_series: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mrio_tools.report import fonts

    fonts.cjk_family.cache_clear()
    monkeypatch.setattr(fonts, "CJK_FAMILIES", ("No Such Font",))
    monkeypatch.setattr(fonts, "_FILE_HINTS", ("no-such-file",))
    try:
        with pytest.raises(OutputError, match="fonts-noto-cjk"):
            build_report(iso_series, tmp_path / "zh", lang="zh")
    finally:
        fonts.cjk_family.cache_clear()
    assert not (tmp_path / "zh").exists()


def test_country_converter_has_no_chinese_names_so_the_package_ships_them() -> None:
    import country_converter as coco

    columns = [c.casefold() for c in coco.CountryConverter().data.columns]
    assert not any("zh" in c or "chinese" in c for c in columns)
    assert region_name("CHN", "zh") == "中国" and region_name("ROM", "zh") == "罗马尼亚"
    assert region_name("DEU", "en") == "Germany" and region_name("RoW", "en") == "Rest of world"


@pytest.mark.parametrize(
    ("unit", "largest", "expected"),
    [
        ("kt", 1.2e7, "Gt"),
        ("kt", 5.0e4, "Mt"),
        ("kg", 3.0e8, "kt"),
        ("kt/M USD", 0.9, "kg/USD"),
        ("kt/capita", 0.01, "t/capita"),
    ],
)
def test_readable_units(unit: str, largest: float, expected: str) -> None:
    assert readable_unit(unit, pd.Series([largest, largest / 10])) == expected


def _browser() -> object:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if chromium is None or driver is None:
        pytest.skip("headless Chromium not found: install the Debian packages chromium and chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,2000",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=options)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_renders_in_headless_chromium(
    demo_reports: dict[str, Path], iso_series: Path, tmp_path: Path, lang: str
) -> None:
    from selenium.webdriver.common.by import By

    browser = _browser()
    try:
        pages = {"demo": demo_reports[lang], "iso": _built(iso_series, tmp_path / lang, lang)}
        for name, out in pages.items():
            browser.get((out / "report.html").as_uri())  # type: ignore[attr-defined]
            images = browser.find_elements(By.TAG_NAME, "img")  # type: ignore[attr-defined]
            assert images, name
            for image in images:
                assert (
                    browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image)
                    > 0
                )  # type: ignore[attr-defined]
            severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]  # type: ignore[attr-defined]
            assert severe == [], severe
            shots = os.environ.get("MRIO_TOOLS_SCREENSHOTS")
            if shots:
                _screenshots(browser, Path(shots), f"{name}_{lang}")
    finally:
        browser.quit()  # type: ignore[attr-defined]


def _screenshots(browser: object, folder: Path, stem: str) -> None:
    """Save the top of the page and the map figure (when present) as PNG (set MRIO_TOOLS_SCREENSHOTS=DIR)."""
    from selenium.webdriver.common.by import By

    folder.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(folder / f"report_{stem}.png"))  # type: ignore[attr-defined]
    maps = browser.find_elements(By.ID, "fig-map_gap_per_capita")  # type: ignore[attr-defined]
    if maps:
        maps[0].screenshot(str(folder / f"map_{stem}.png"))


def test_error_next_to_every_extended_year() -> None:
    from mrio_tools.report.views import extended_year_errors

    accounts = pd.DataFrame(
        {
            "year": [1998, 2000, 2013, 2018],
            "region": "CHN",
            "account": "PBA",
            "stressor": "CO2",
            "unit": "Mt",
            "value": 1.0,
            "basis": [
                "table+scaled_emissions",
                "table",
                "scaled_table+emissions",
                "scaled_table+scaled_emissions",
            ],
        }
    )
    plan = {
        "1998": {"table_benchmark_year": 1998, "emission_benchmark_year": 2000},
        "2013": {"table_benchmark_year": 2011, "emission_benchmark_year": 2013},
        "2018": {"table_benchmark_year": 2011, "emission_benchmark_year": 2016},
    }
    summary = pd.DataFrame(
        [
            ("table+scaled_emissions", "CBA", 2, "all", "median_abs_rel_error", 0.011, 3),
            ("scaled_table+emissions", "CBA", 2, "all", "median_abs_rel_error", 0.025, 3),
            ("scaled_table+emissions", "CBA", 2, "CHN", "median_abs_rel_error", 0.5, 3),
        ],
        columns=["basis", "account", "horizon", "region", "statistic", "value", "cases"],
    )
    table = extended_year_errors(accounts, {"extension": {"plan": plan}}, summary, "en")
    assert table["year"].tolist() == ["1998†", "2013†", "2018†"]  # only extended years, marked
    # horizon: years to the benchmark the basis uses (b for scaled emissions, a for a scaled table,
    # the farther of the two for both); the error is the all-regions statistic at that horizon
    assert table["horizon"].tolist() == [2, 2, 7]
    assert table["CBA median |error| %"].tolist()[:2] == pytest.approx([1.1, 2.5])
    assert pd.isna(table["CBA median |error| %"].iloc[2])  # horizon 7 not in this skill summary
