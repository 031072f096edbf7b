"""The report in headless Chromium (Debian's chromium + chromium-driver, driven by Selenium),
served from 127.0.0.1: charts render with the expected series, the filter works, the
keyboard reaches the content, nothing loads from another host. Screenshots go to
test-output/."""

from __future__ import annotations

import base64
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.browser

OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(report_dir):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(report_dir)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def _driver(tmp_path_factory, javascript: bool = True):
    browser, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not browser or not chromedriver:
        pytest.skip(
            "Chromium is not installed: `apt-get install -y chromium chromium-driver` (.ci/run does this)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in [*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    return webdriver.Chrome(options=options, service=Service(chromedriver))


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = _driver(tmp_path_factory)
    yield driver
    driver.quit()


def _full_screenshot(driver, name: str) -> Path:
    OUTPUT.mkdir(exist_ok=True)
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        },
    )
    path = OUTPUT / name
    path.write_bytes(base64.b64decode(shot["data"]))
    assert path.stat().st_size > 20_000
    return path


def _only_local_requests(driver, base: str):
    urls = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href])"
    )
    assert urls and all(u.startswith(base) for u in urls), urls


def _count(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchone()[0]
    finally:
        con.close()


def test_overview_filters_by_domain_and_framework(browser, server, published_db):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(server + "index.html")
    assert "SAMPLE DATA" in browser.find_element(By.CSS_SELECTOR, ".sample-banner").text
    form = browser.find_element(By.CSS_SELECTOR, "form.filters")
    assert form.is_displayed(), "the script reveals the filter"
    rows = browser.find_elements(By.CSS_SELECTOR, "tbody[data-filter-rows] tr")
    total = _count(published_db, "select count(*) from mart_target_progress")
    assert len(rows) == total and all(r.is_displayed() for r in rows)

    Select(browser.find_element(By.ID, "filter-domain")).select_by_value("armoede")
    poverty = _count(
        published_db,
        "select count(*) from mart_target_progress join dim_indicator using (indicator_id) where domain = 'armoede'",
    )
    shown = [r for r in rows if r.is_displayed()]
    assert len(shown) == poverty > 0
    assert all(r.get_attribute("data-domain") == "armoede" for r in shown)
    assert f"{poverty} van {total}" in browser.find_element(By.CSS_SELECTOR, ".filter-status").text

    Select(browser.find_element(By.ID, "filter-domain")).select_by_value("arbeidsmarkt")
    Select(browser.find_element(By.ID, "filter-framework")).select_by_value("vl")
    shown = [r for r in rows if r.is_displayed()]
    assert shown and all(r.get_attribute("data-framework") == "vl" for r in shown)
    assert all(r.get_attribute("data-domain") == "arbeidsmarkt" for r in shown)
    Select(browser.find_element(By.ID, "filter-domain")).select_by_value("")
    Select(browser.find_element(By.ID, "filter-framework")).select_by_value("")
    _only_local_requests(browser, server)
    _full_screenshot(browser, "report-overview.png")


def test_keyboard_reaches_the_skip_link_and_the_content(browser, server):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.get(server + "indicator/arope.html")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    active = browser.switch_to.active_element
    assert active.get_attribute("class") == "skip-link"
    assert active.rect["x"] >= 0 and active.is_displayed(), "the skip link shows when focused"
    outline = browser.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus is visible"
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert browser.switch_to.active_element.get_attribute("id") == "main"


def test_indicator_charts_render_with_every_series(browser, server, published_db):
    from selenium.webdriver.common.by import By

    indicator = "employment_rate_20_64"
    browser.get(server + f"indicator/{indicator}.html")
    geos = _count(
        published_db,
        "select count(distinct geo) from mart_indicator_series where indicator_id = ? and breakdown = 'total' "
        "and value is not null and geo in ('BE2', 'BE', 'EU27_2020', 'NL', 'DE', 'FR', 'LU')",
        [indicator],
    )
    gaps = _count(
        published_db,
        "select count(distinct (breakdown, group_category)) from mart_group_gaps where indicator_id = ? and geo = 'BE2' and gap_pp is not null",
        [indicator],
    )
    assert geos == 7 and gaps == 2
    for chart_id, expected in (("chart-series", geos), ("chart-gaps", gaps)):
        svg = browser.find_element(By.ID, chart_id)
        assert svg.size["width"] > 300 and svg.size["height"] > 150
        lengths = browser.execute_script(
            "return Array.from(document.querySelectorAll('#' + arguments[0] + ' g.series path.line'))"
            ".map(p => [p.getTotalLength(), p.getBBox().width])",
            chart_id,
        )
        assert len(lengths) == expected and all(
            length > 0 and width > 0 for length, width in lengths
        )
        points = browser.execute_script(
            "return document.querySelectorAll('#' + arguments[0] + ' .point').length", chart_id
        )
        assert points >= expected * 2
    target_lines = browser.find_elements(By.CSS_SELECTOR, "#chart-series g.target")
    assert len(target_lines) == 2, "78% (EU) and 80% (Belgium and Flanders share a line)"
    summary = browser.find_element(
        By.CSS_SELECTOR, "section[aria-labelledby=series] details summary"
    )
    summary.click()
    assert browser.find_element(
        By.CSS_SELECTOR, "section[aria-labelledby=series] details table"
    ).is_displayed()
    _only_local_requests(browser, server)
    _full_screenshot(browser, f"report-indicator-{indicator}.png")
    browser.find_element(By.ID, "chart-series").screenshot(
        str(OUTPUT / f"report-chart-{indicator}.png")
    )

    browser.get(server + f"en/indicator/{indicator}.html")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#chart-series g.series")) == geos
    _full_screenshot(browser, f"report-indicator-{indicator}-en.png")


def test_overview_without_javascript_shows_every_row(server, published_db, tmp_path_factory):
    from selenium.webdriver.common.by import By

    driver = _driver(tmp_path_factory, javascript=False)
    try:
        driver.get(server + "index.html")
        assert not driver.find_element(By.CSS_SELECTOR, "form.filters").is_displayed()
        rows = driver.find_elements(By.CSS_SELECTOR, "tbody[data-filter-rows] tr")
        assert len(rows) == _count(published_db, "select count(*) from mart_target_progress")
        assert all(r.is_displayed() for r in rows)
    finally:
        driver.quit()
