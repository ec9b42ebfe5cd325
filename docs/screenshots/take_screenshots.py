"""Screenshots of a built report in headless Chromium (Debian packages chromium, chromium-driver).

    .venv/bin/python docs/screenshots/take_screenshots.py REPORT_EN REPORT_ZH docs/screenshots

writes report_en.png, report_zh.png (the top of each page with the answers, 1280 px wide),
findings_zh.png (the findings in words), inventory_en.png (the inventory checks) and map_en.png (the
world map figure) as PNG. Each is checked to be under 400 KB.
"""

from __future__ import annotations

import sys
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

LIMIT = 400_000


def _browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1100"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def main(report_en: Path, report_zh: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    browser = _browser()
    try:
        shots = []
        for lang, folder in (("en", report_en), ("zh", report_zh)):
            browser.get((folder / "report.html").resolve().as_uri())
            shots.append(out / f"report_{lang}.png")
            browser.save_screenshot(str(shots[-1]))
            if lang == "zh":
                element = browser.find_element(By.ID, "findings")
                browser.execute_script("arguments[0].scrollIntoView()", element)
                shots.append(out / "findings_zh.png")
                browser.save_screenshot(str(shots[-1]))
            if lang == "en":
                element = browser.find_element(By.ID, "inventory")
                browser.execute_script("arguments[0].scrollIntoView()", element)
                shots.append(out / "inventory_en.png")
                browser.save_screenshot(str(shots[-1]))
                element = browser.find_element(By.CSS_SELECTOR, "#fig-map_gap_per_capita img")
                browser.execute_script("arguments[0].scrollIntoView()", element)
                shots.append(out / "map_en.png")
                element.screenshot(str(shots[-1]))
    finally:
        browser.quit()
    for shot in shots:
        size = shot.stat().st_size
        print(f"{shot} {size / 1000:.0f} KB")
        if size > LIMIT:
            raise SystemExit(f"{shot} is {size} bytes, over {LIMIT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
