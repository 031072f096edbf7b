"""The report in headless Chromium, served from 127.0.0.1: the filters work with and without
JavaScript, charts render with the expected series, the keyboard reaches the content,
nothing loads from another host, nothing overflows sideways (1280 px on every page, 400 px
on the overview), chart labels never overlap, text stays readable at 400 px. Screenshots
go to test-output/."""

from __future__ import annotations

import duckdb
import pytest

from tests.report.browser import driver, screenshot, serve, viewport

pytestmark = pytest.mark.browser

SCREENSHOT_INDICATOR = "employment_rate_20_64"


@pytest.fixture(scope="module")
def server(report_dir):
    yield from serve(report_dir)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    drv = driver(tmp_path_factory)
    yield drv
    drv.quit()


def _only_local_requests(drv, base: str):
    urls = drv.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href])"
    )
    assert urls and all(u.startswith(base) for u in urls), urls


def _count(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchone()[0]
    finally:
        con.close()


def _shown(drv, selector: str) -> list:
    return [e for e in drv.find_elements("css selector", selector) if e.is_displayed()]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_overview_filters_by_domain_and_framework(
    javascript, server, published_db, tmp_path_factory
):
    from selenium.webdriver.support.ui import Select

    drv = driver(tmp_path_factory, javascript=javascript)
    try:
        drv.get(server + "index.html")
        assert "SAMPLE DATA" in drv.find_element("css selector", ".sample-banner").text
        assert drv.find_element("css selector", "form.filters").is_displayed()
        groups = drv.find_elements("css selector", "tbody.indicator")
        total = _count(published_db, "select count(*) from dim_indicator")
        assert len(groups) == total and all(g.is_displayed() for g in groups)

        Select(drv.find_element("id", "filter-domain")).select_by_value("armoede")
        poverty = _count(
            published_db, "select count(*) from dim_indicator where domain = 'armoede'"
        )
        shown = _shown(drv, "tbody.indicator")
        assert len(shown) == poverty > 0
        assert all(g.get_attribute("data-domain") == "armoede" for g in shown)
        status = drv.find_element("css selector", ".filter-status").text
        assert (f"{poverty} van {total}" in status) if javascript else status == ""

        Select(drv.find_element("id", "filter-domain")).select_by_value("arbeidsmarkt")
        Select(drv.find_element("id", "filter-framework")).select_by_value("BE2")
        shown = _shown(drv, "tbody.indicator")
        assert shown and all("BE2" in g.get_attribute("data-frameworks").split() for g in shown)
        assert all(g.get_attribute("data-domain") == "arbeidsmarkt" for g in shown)
        rows = _shown(drv, "tr.target-row")
        assert rows and all(r.get_attribute("data-framework") == "BE2" for r in rows)
        Select(drv.find_element("id", "filter-domain")).select_by_value("")
        Select(drv.find_element("id", "filter-framework")).select_by_value("")
        assert len(_shown(drv, "tbody.indicator")) == total
        if javascript:
            _only_local_requests(drv, server)
    finally:
        drv.quit()


def test_keyboard_reaches_the_skip_link_and_the_content(browser, server):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    viewport(browser, 1280)
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
    indicator = SCREENSHOT_INDICATOR
    viewport(browser, 1280)
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
        svg = browser.find_element("id", chart_id)
        assert svg.size["width"] > 300 and svg.size["height"] > 150
        assert not browser.find_element("id", f"{chart_id}-narrow").is_displayed()
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
    target_lines = browser.find_elements("css selector", "#chart-series g.target")
    assert len(target_lines) == 2, "78% (EU) and 80% (Belgium and Flanders share a line)"
    summary = browser.find_element(
        "css selector", "section[aria-labelledby=series] details summary"
    )
    summary.click()
    assert browser.find_element(
        "css selector", "section[aria-labelledby=series] details table"
    ).is_displayed()
    _only_local_requests(browser, server)

    viewport(browser, 400)
    browser.get(server + f"en/indicator/{indicator}.html")
    assert browser.find_element("tag name", "html").get_attribute("lang") == "en"
    assert not browser.find_element("id", "chart-series").is_displayed()
    narrow = browser.find_element("id", "chart-series-narrow")
    assert narrow.is_displayed()
    assert len(narrow.find_elements("css selector", "g.series")) == geos


def _all_pages(report_dir) -> list[str]:
    return sorted(
        p.relative_to(report_dir).as_posix()
        for p in report_dir.rglob("*.html")
        if p.relative_to(report_dir).parts[0] != "data-docs"
    )


OVERFLOW_JS = """
const vw = document.documentElement.clientWidth;
const wide = [];
for (const el of document.querySelectorAll('body *')) {
  if (el.closest('.table-wrap')) continue;  // a named, focusable region may scroll inside
  const box = el.getBoundingClientRect();
  if (box.width && box.right > vw + 1) wide.push(el.tagName + '.' + (el.getAttribute('class') || '') + ' ' + Math.round(box.right));
}
const regions = Array.from(document.querySelectorAll('.table-wrap')).filter(w => w.scrollWidth > w.clientWidth + 1).length;
return [vw, document.documentElement.scrollWidth, wide.slice(0, 5), regions];
"""


def test_no_horizontal_overflow(browser, server, report_dir):
    """1280 px: no page scrolls sideways, not even inside a table. 400 px: the overview (and
    the regiekamer and an indicator page) do not scroll sideways at all."""
    viewport(browser, 1280)
    problems = []
    for rel in _all_pages(report_dir):
        browser.get(server + rel)
        vw, scroll, wide, regions = browser.execute_script(OVERFLOW_JS)
        if scroll > vw or wide or regions:
            problems.append((rel, vw, scroll, wide, regions))
    viewport(browser, 400)
    for rel in ("index.html", "en/index.html", "opleiding.html", "en/indicator/arope.html"):
        browser.get(server + rel)
        vw, scroll, wide, regions = browser.execute_script(OVERFLOW_JS)
        if scroll > vw or wide or (rel.endswith("index.html") and regions):
            problems.append((rel, vw, scroll, wide, regions))
    assert not problems, problems[:10]


LABELS_JS = """
const out = [];
for (const svg of document.querySelectorAll('svg.chart')) {
  if (!svg.getClientRects().length) continue;  // the size not shown at this width
  const frame = svg.getBoundingClientRect();
  const texts = Array.from(svg.querySelectorAll('text')).map(t => {
    const b = t.getBoundingClientRect();
    return {text: t.textContent, x0: b.left, y0: b.top, x1: b.right, y1: b.bottom,
            font: parseFloat(getComputedStyle(t).fontSize) * frame.width / svg.viewBox.baseVal.width,
            key: (t.getAttribute('data-for') || '').replace('series:', '')};
  });
  const points = Array.from(svg.querySelectorAll('g.series .point')).map(p => {
    const b = p.getBoundingClientRect();
    return {key: p.closest('g.series').getAttribute('data-key'), x: (b.left + b.right) / 2, y: (b.top + b.bottom) / 2};
  });
  out.push({id: svg.id, frame: [frame.left, frame.top, frame.right, frame.bottom], texts, points});
}
return out;
"""


def _label_problems(rel: str, charts: list[dict]) -> list[str]:
    problems = []
    for chart in charts:
        texts = chart["texts"]
        x0, y0, x1, y1 = chart["frame"]
        for i, a in enumerate(texts):
            if a["x0"] < x0 - 1 or a["x1"] > x1 + 1 or a["y0"] < y0 - 1 or a["y1"] > y1 + 1:
                problems.append(f"{rel} {chart['id']}: {a['text']!r} outside the chart")
            for b in texts[i + 1 :]:
                if (
                    a["x0"] < b["x1"] - 0.5
                    and b["x0"] < a["x1"] - 0.5
                    and a["y0"] < b["y1"] - 0.5
                    and b["y0"] < a["y1"] - 0.5
                ):
                    problems.append(f"{rel} {chart['id']}: {a['text']!r} overlaps {b['text']!r}")
            if a["key"]:  # an end label: on no other series' point
                for p in chart["points"]:
                    if (
                        p["key"] != a["key"]
                        and a["x0"] <= p["x"] <= a["x1"]
                        and a["y0"] <= p["y"] <= a["y1"]
                    ):
                        problems.append(
                            f"{rel} {chart['id']}: {a['text']!r} covers a point of {p['key']}"
                        )
    return problems


def test_chart_labels_never_overlap(browser, server, report_dir):
    """Every chart of every indicator page, in both languages, at both sizes: no two texts
    (axis, end, target, break and flag labels) overlap, none leaves the chart, and no end
    label sits on another series' point."""
    problems, checked, smallest = [], 0, 99.0
    for width in (1280, 400):
        viewport(browser, width)
        for rel in _all_pages(report_dir):
            if "/indicator/" not in f"/{rel}":
                continue
            browser.get(server + rel)
            charts = browser.execute_script(LABELS_JS)
            checked += len(charts)
            problems += _label_problems(rel, charts)
            if width == 400:
                smallest = min([smallest] + [t["font"] for c in charts for t in c["texts"]])
    assert checked >= 4 * 30
    assert not problems, problems[:10]
    assert smallest >= 11, f"chart text at 400 px is {smallest:.1f} px"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_screenshots(browser, server, lang):
    """Overview at 1280 and 400 px, an indicator page and the regiekamer, in test-output/."""
    prefix = "" if lang == "nl" else "en/"
    training = "opleiding.html" if lang == "nl" else "en/training.html"
    shots = [
        (1280, f"{prefix}index.html", f"report-overview-{lang}.png"),
        (400, f"{prefix}index.html", f"report-overview-400px-{lang}.png"),
        (1280, f"{prefix}indicator/{SCREENSHOT_INDICATOR}.html", f"report-indicator-{SCREENSHOT_INDICATOR}-{lang}.png"),
        (400, f"{prefix}indicator/{SCREENSHOT_INDICATOR}.html", f"report-indicator-{SCREENSHOT_INDICATOR}-400px-{lang}.png"),
        (1280, training, f"report-regiekamer-{lang}.png"),
    ]  # fmt: skip
    for width, rel, name in shots:
        viewport(browser, width)
        browser.get(server + rel)
        assert screenshot(browser, name).stat().st_size > 20_000
