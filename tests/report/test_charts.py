"""The SVG charts and the number wording, as pure functions."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from pipelines.report import charts, i18n, routes
from tests.report.htmlscan import _Builder


def _tree(svg: str):
    builder = _Builder()
    builder.feed(svg)
    assert not builder.errors
    return builder.root


def _chart(**kwargs):
    lines = [
        charts.Line(
            "BE2",
            "Vlaanderen",
            (
                charts.Point(2019, 70.0),
                charts.Point(2020, 71.5, "p"),
                charts.Point(2021, 72.0, "b"),
            ),
            0,
        ),
        charts.Line("BE", "België", (charts.Point(2019, 65.0), charts.Point(2021, 66.0)), 1),
    ]
    return charts.line_chart(
        "c",
        "Titel",
        "Beschrijving",
        lines,
        fmt=lambda v: f"{v:g}",
        point_text=lambda ln, p: f"{ln.label} {p.x}",
        **kwargs,
    )


def test_one_group_per_series_with_a_point_per_value():
    root = _tree(_chart())
    svg = root.find("svg")
    assert svg.attrs["role"] == "img" and svg.attrs["data-series-count"] == "2"
    series = svg.find_all("g", cls="series")
    assert [g.attrs["data-key"] for g in series] == ["BE2", "BE"]
    assert [len(g.find_all(cls="point")) for g in series] == [3, 2]
    assert series[0].find("path", cls="line").attrs["d"].count("L") == 2
    assert series[0].find(cls="point").find("title").text() == "Vlaanderen 2019"


def test_flags_are_hollow_breaks_are_diamonds_and_marked():
    svg = _tree(_chart(breaks=[2021], break_label="breuk")).find("svg")
    points = svg.find_all("g", cls="series")[0].find_all(cls="point")
    assert points[0].attrs["fill"] != "#fff" and points[1].attrs["fill"] == "#fff"
    assert points[2].tag == "path" and "break" in points[2].attrs["class"]
    assert [t.text() for t in svg.find_all("text", cls="flag")] == ["p", "b"]
    assert "breuk 2021" in svg.find("g", cls="break-line").text()


def test_target_extends_the_axis_to_its_year_and_is_inside_the_value_range():
    svg = _tree(_chart(targets=[charts.Target(80.0, 2030, "doel")])).find("svg")
    years = [
        t.text()
        for t in svg.find("g", cls="grid").find_all("text")
        if re.fullmatch(r"\d{4}", t.text())
    ]
    assert years[-1] == "2030"
    labels = [t.text() for t in svg.find("g", cls="grid").find_all("text")]
    ticks = [float(t) for t in labels if not re.fullmatch(r"\d{4}", t)]
    assert max(ticks) >= 80.0
    assert "doel 80" in svg.find("g", cls="target").text()


@pytest.mark.parametrize(
    ("lo", "hi"), [(0.3, 0.9), (63.5, 80.0), (-34.1, 0.0), (800, 93077), (5, 5)]
)
def test_nice_ticks_cover_the_range(lo, hi):
    ticks = charts.nice_ticks(lo, hi)
    assert ticks[0] <= lo and ticks[-1] >= hi and 2 <= len(ticks) <= 12
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1


def test_numbers_in_dutch_and_english():
    assert i18n.number(1234.56, "nl") == "1.234,6" and i18n.number(1234.56, "en") == "1,234.6"
    assert (
        i18n.value_text(78.0, "pct", "nl") == "78,0 %"
        and i18n.value_text(78.0, "pct", "en") == "78.0%"
    )
    assert i18n.value_text(None, "pct", "nl") == "–"
    assert i18n.percent(0.0078, "nl") == "0,78 %"
    assert (
        i18n.moment(datetime(2026, 12, 1, 15, 43, tzinfo=UTC), "nl")
        == "1 december 2026 om 15:43 UTC"
    )


def test_mart_reasons_read_in_dutch():
    text = "trend measured from 2021, after the series break in 2021"
    assert i18n.reason(text, "nl") == "trend gemeten vanaf 2021, na de breuk in de reeks in 2021"
    assert i18n.reason(text, "en") == text
    assert i18n.reason("something new", "nl") == "something new"


def test_relative_links_between_pages():
    assert routes.href("en/indicator/arope.html", "data/arope.xlsx") == "../../data/arope.xlsx"
    assert routes.href("index.html", "indicator/arope.html#gaps") == "indicator/arope.html#gaps"
    assert routes.href("en/index.html", "index.html") == "../index.html"


def _luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_have_enough_contrast():
    """WCAG AA: 4.5:1 for text (verdict badges, banner, chart lines and their labels)."""
    from pipelines.report.build import STATIC

    css = (STATIC / "report.css").read_text(encoding="utf-8")
    pairs = re.findall(r"\{ background: (#[0-9a-f]{3,6}); color: (#[0-9a-f]{3,6}); \}", css)
    pairs += re.findall(
        r"background: (#[0-9a-f]{6}); border-bottom: [^;]+; color: (#[0-9a-f]{6})", css
    )
    assert len(pairs) >= 6
    for background, text in pairs:
        assert _contrast(background, text) >= 4.5, (background, text)
    for colour, _, _ in charts.STYLES:
        assert _contrast(colour, "#ffffff") >= 4.5, colour
    assert _contrast(charts.TARGET_COLOUR, "#ffffff") >= 4.5


def test_break_reasons_of_the_progress_verdicts_read_in_dutch():
    cases = {
        "target met; series break in 2021 after the base year 2019": (
            "doel behaald; breuk in de reeks in 2021, na het basisjaar 2019"
        ),
        "target year 2020 has passed: 11.3 in 2020 against 15.0; series break in 2017 after the base year 2010": (
            "doeljaar 2020 is voorbij: 11.3 in 2020, doel 15.0; breuk in de reeks in 2017, na het basisjaar 2010"
        ),
        "fewer than 3 comparable points after the series break in 2021": (
            "minder dan 3 vergelijkbare punten na de breuk in de reeks in 2021"
        ),
        "fewer than 2 comparable points": "minder dan 2 vergelijkbare punten",
    }
    for english, dutch in cases.items():
        assert i18n.reason(english, "nl") == dutch


def test_benchmark_class_of_a_change_across_a_break_says_so():
    from pipelines.report.pages.common import benchmark_text

    row = {
        "scoreboard_class": "to_watch",
        "year": 2021,
        "rank_among_members": 12,
        "n_members": 27,
        "yoy_across_break": True,
    }
    assert benchmark_text(row, "en").endswith("(2021, rank 12 of 27, change across a series break)")
    assert "verandering over een breuk in de reeks" in benchmark_text(row, "nl")
    assert "breuk" not in benchmark_text({**row, "yoy_across_break": False}, "nl")
