"""The SVG charts and the number wording, as pure functions."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from pipelines.report import charts, i18n, labels, markup, routes
from pipelines.report.fmt import Fmt
from pipelines.report.pages.common import progress_reason
from pipelines.report.vocab import MissingLabel, Vocabulary
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
    assert svg.find("g", cls="target") is not None
    assert "doel 80" in svg.find("text", cls="label-target").text()


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
    assert i18n.number(-0.04, "nl") == "0,0" and i18n.number(-1.25, "en", 2) == "\u22121.25"
    assert i18n.number(None, "nl") == "–" and i18n.number(float("nan"), "en") == "–"
    assert i18n.signed(1.6, "nl") == "+1,6" and i18n.signed(-0.4, "en") == "\u22120.4"
    assert [i18n.ordinal(n, "en") for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"
    ]  # fmt: skip
    assert i18n.ordinal(20, "nl") == "20e"


def test_times_are_brussels_time_to_the_minute():
    winter = datetime(2026, 12, 1, 15, 43, 12, 128510, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 15, 43, tzinfo=UTC)
    assert i18n.moment(winter, "nl") == "1 december 2026 om 16:43 (Belgische tijd)"
    assert i18n.moment(summer, "en") == "1 July 2026, 17:43 Brussels time"
    with pytest.raises(ValueError):
        i18n.moment(datetime(2026, 7, 1, 15, 43), "nl")


def _vocab(**lists) -> Vocabulary:
    rows = []
    for name, entries in lists.items():
        for position, (code, nl, en, short) in enumerate(entries, start=1):
            rows.append(
                {
                    "list_name": name, "code": code, "position": position, "label_nl": nl,
                    "label_en": en, "short_nl": short[0] if short else None,
                    "short_en": short[1] if short else None, "help_nl": None, "help_en": None,
                }
            )  # fmt: skip
    return Vocabulary.from_rows(rows)


VOCAB = _vocab(
    units=[
        ("pct", "procent", "per cent", ("%", "%")),
        ("pp", "procentpunt", "percentage points", ("procentpunt", "pp")),
        ("thousand_persons", "duizend personen", "thousand persons", ("duizend personen", "thousand persons")),
    ],
    flags=[("p", "voorlopig", "provisional", None), ("b", "breuk in de reeks", "break in series", None)],
    progress_reasons=[
        (
            "target_year_passed",
            "doeljaar {target_year} is voorbij: {latest_value} in {latest_year}, doel {target_level}",
            "target year {target_year} has passed: {latest_value} in {latest_year} against {target_level}",
            None,
        )
    ],
)  # fmt: skip


def test_values_with_their_units_and_changes_in_points():
    nl, en = Fmt(VOCAB, "nl"), Fmt(VOCAB, "en")
    assert nl.value(78.0, "pct") == "78,0\u00a0%" and en.value(78.0, "pct") == "78.0%"
    assert nl.value(1868.04, "thousand_persons") == "1.868,0\u00a0duizend personen"
    assert nl.value(None, "pct") == "–" and nl.value(7.3, None) == "7,3"
    assert (
        nl.change(-0.4, "pct") == "\u22120,4\u00a0procentpunt"
        and en.change(1.6, "pct") == "+1.6\u00a0pp"
    )
    assert nl.change(-93.0, "thousand_persons", whole=True) == "\u221293\u00a0duizend personen"
    assert (
        nl.growth(0.0123) == "+1,23\u00a0% per jaar" and en.growth(-0.005) == "\u22120.50% a year"
    )
    flagged = nl.flagged(62.4, "pb", "pct")
    assert 'title="voorlopig"' in flagged and nl.flags_seen == {"p", "b"}


def test_labels_are_looked_up_strictly():
    nl = Fmt(VOCAB, "nl")
    assert nl.label("flags", "p") == "voorlopig"
    with pytest.raises(MissingLabel, match="code 'x' has no label in vocabulary list 'flags'"):
        nl.label("flags", "x")
    with pytest.raises(MissingLabel, match="list 'verdicts' is not published"):
        nl.label("verdicts", "on_track")


def test_reasons_are_filled_templates_not_translated_sentences():
    row = {
        "reason_code": "target_year_passed", "target_year": 2020, "latest_year": 2020,
        "latest_value": 11.3, "target_level": 15.0, "target_base_year": None,
        "requested_base_year": 2010, "base_year_used": 2017, "break_year": 2017,
    }  # fmt: skip
    assert progress_reason(Fmt(VOCAB, "nl"), row, "pct") == (
        "doeljaar 2020 is voorbij: 11,3\u00a0% in 2020, doel 15,0\u00a0%"
    )
    assert progress_reason(Fmt(VOCAB, "en"), row, "pct") == (
        "target year 2020 has passed: 11.3% in 2020 against 15.0%"
    )
    assert progress_reason(Fmt(VOCAB, "nl"), {**row, "reason_code": None}, "pct") == ""


def test_raw_floats_and_booleans_never_reach_a_page():
    with pytest.raises(TypeError, match="format it with Fmt"):
        markup.esc(0.035269398168992945)
    with pytest.raises(TypeError):
        markup.esc(True)
    assert markup.esc(2024) == "2024"


def test_spread_keeps_labels_apart_in_order_and_inside():
    wanted = [100.0, 101.0, 102.0, 300.0, 50.0]
    placed = labels.spread(wanted, 14, 40, 350)
    order = sorted(range(5), key=lambda i: wanted[i])
    ys = [placed[i] for i in order]
    assert all(b - a >= 14 - 1e-9 for a, b in zip(ys, ys[1:], strict=False))
    assert placed[3] == 300.0 and placed[4] == 50.0, "free labels stay where they want"
    assert abs(sum(placed[:3]) / 3 - 101.0) < 1e-9, "a crowd centres on what it wanted"
    assert labels.spread([10.0, 11.0], 14, 40, 350) == [40.0, 54.0], "kept inside"


def _label_boxes(svg):
    boxes = []
    for text in svg.find_all("text"):
        if "label" not in text.attrs.get("class", ""):
            continue
        x, y = float(text.attrs["x"]), float(text.attrs["y"])
        width = labels.text_width(text.text(), charts.WIDE.font, True)
        boxes.append((x, y - charts.WIDE.font, x + width, y + 2))
    return boxes


def test_crowded_end_labels_and_targets_do_not_overlap():
    """Seven series ending within a few points of each other and two targets at the same
    level: every label gets its own place, and displaced series labels a leader line."""
    lines = [
        charts.Line(geo, name, (charts.Point(2020, 60.0 + i * 0.3), charts.Point(2024, 64.0 + i * 0.2)), i)
        for i, (geo, name) in enumerate(
            [("BE2", "Vlaanderen"), ("BE", "België"), ("EU27_2020", "EU-27"), ("DE", "Duitsland"),
             ("FR", "Frankrijk"), ("LU", "Luxemburg"), ("NL", "Nederland")]
        )
    ]  # fmt: skip
    targets = [charts.Target(65.0, 2030, "doel"), charts.Target(64.5, 2030, "doel BE")]
    svg = _tree(
        charts.line_chart(
            "c",
            "t",
            "d",
            lines,
            fmt=lambda v: f"{v:g}",
            point_text=lambda ln, p: "",
            targets=targets,
        )
    ).find("svg")
    boxes = _label_boxes(svg)
    assert len(boxes) == 9
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not labels.overlaps(a, b), (a, b)
    assert len(svg.find_all("path", cls="leader")) >= 5
    for_labels = {t.attrs["data-for"] for t in svg.find_all("text") if t.attrs.get("data-for")}
    assert {f"series:{ln.key}" for ln in lines} <= for_labels


def test_confidence_intervals_are_drawn_where_the_data_has_them():
    lines = [
        charts.Line("gap", "vrouwen vs mannen", (
            charts.Point(2022, -6.0, "", -7.0, -5.0), charts.Point(2023, -5.5), charts.Point(2024, -5.0, "", -6.2, -3.8)
        ), 0)
    ]  # fmt: skip
    svg = _tree(
        charts.line_chart(
            "g",
            "t",
            "d",
            lines,
            fmt=lambda v: f"{v:g}",
            point_text=lambda ln, p: "",
            zero_line=True,
        )
    ).find("svg")
    assert len(svg.find_all("path", cls="interval")) == 2


def test_narrow_charts_keep_text_readable_at_400_px():
    """The narrow chart is 400 units wide: on a 400 px phone (about 376 px of content) its
    text is drawn at 12 x 376/400 px, above 11 px; the wide one would shrink below 7 px."""
    assert charts.NARROW.font * 376 / charts.NARROW.width >= 11
    assert charts.WIDE.font * 376 / charts.WIDE.width < 7


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


def _registry_vocab() -> Vocabulary:
    """The vocabulary as dim_vocabulary publishes it from registry/vocabulary.yaml."""
    from pipelines.registry import load_registry
    from pipelines.registry.tables import _vocabulary

    return Vocabulary.from_rows(_vocabulary(load_registry()).to_dicts())


def test_break_reasons_of_the_progress_verdicts_read_in_both_languages():
    """The reasons mart_target_progress gives a met, a passed and a too-short trend after a
    series break, and progress.min_points, come from the vocabulary in Dutch and English."""
    vocab = _registry_vocab()
    row = {
        "target_year": 2020, "latest_year": 2020, "latest_value": 11.3, "target_level": 15.0,
        "target_base_year": None, "requested_base_year": 2010, "base_year_used": 2017,
        "break_year": 2017, "min_points": 3,
    }  # fmt: skip
    cases = {
        "target_met_after_break": (
            "doel behaald; breuk in de reeks in 2017, na het basisjaar 2010",
            "target met; series break in 2017 after the base year 2010",
        ),
        "target_year_passed_after_break": (
            "doeljaar 2020 is voorbij: 11,3\u00a0% in 2020, doel 15,0\u00a0%; breuk in de reeks "
            "in 2017, na het basisjaar 2010",
            "target year 2020 has passed: 11.3% in 2020 against 15.0%; series break in 2017 "
            "after the base year 2010",
        ),
        "too_few_points_after_break": (
            "minder dan 3 vergelijkbare punten na de breuk in de reeks in 2017",
            "fewer than 3 comparable points after the series break in 2017",
        ),
        "too_few_points": ("minder dan 3 vergelijkbare punten", "fewer than 3 comparable points"),
    }
    for code, (dutch, english) in cases.items():
        filled = {**row, "reason_code": code}
        assert progress_reason(Fmt(vocab, "nl"), filled, "pct") == dutch
        assert progress_reason(Fmt(vocab, "en"), filled, "pct") == english


def test_benchmark_class_of_a_change_across_a_break_says_so():
    from types import SimpleNamespace

    from pipelines.report.pages.common import eu_position

    vocab = _registry_vocab()
    data = SimpleNamespace(geos={"BE": {"is_eu_member": True}})
    row = {
        "geo": "BE", "scoreboard_class": "to_watch", "year": 2021, "rank_among_members": 12,
        "n_members": 27, "yoy_across_break": True, "not_classified_reason_code": None,
    }  # fmt: skip
    en = str(eu_position(Fmt(vocab, "en"), data, row))
    assert en == "to watch · 12th of 27 member states (2021, change across a series break)"
    assert "verandering over een breuk in de reeks" in str(eu_position(Fmt(vocab, "nl"), data, row))
    assert "breuk" not in str(
        eu_position(Fmt(vocab, "nl"), data, {**row, "yoy_across_break": False})
    )


def test_a_confidential_cell_shows_its_status_from_the_vocabulary():
    vocab = _registry_vocab()
    nl, en = Fmt(vocab, "nl"), Fmt(vocab, "en")
    assert str(nl.flagged(None, "c", "pct", conf_status="C")).startswith(
        'vertrouwelijk\u00a0<span class="flags"><abbr title="vertrouwelijk">c</abbr>'
    )
    assert str(en.flagged(None, "c", "pct", conf_status="D")).startswith(
        "confidential (secondary, set by the sender)\u00a0<span"
    )
    assert str(en.flagged(None, "c", "pct")).startswith("confidential\u00a0<span")  # old flag c
    assert str(en.flagged(None, "", "pct", conf_status="F")) == "–"
    assert str(en.flagged(72.1, "", "pct", conf_status="F")) == "72.1%"
