"""The two figures of an indicator page, each an SVG chart with legend and data table."""

from __future__ import annotations

from collections import defaultdict

from pipelines.report import charts, i18n
from pipelines.report.data import FOCUS, ReportData, Row
from pipelines.report.downloads import category_label
from pipelines.report.markup import Raw, esc, table
from pipelines.report.pages import common

GAP_TRENDS = {
    "narrowing": ("kleiner geworden in vijf jaar", "narrowed over five years"),
    "widening": ("groter geworden in vijf jaar", "widened over five years"),
    "stable": ("stabiel over vijf jaar", "stable over five years"),
    "not_comparable": (
        "niet te vergelijken met vijf jaar eerder (breuk in de reeks)",
        "not comparable with five years earlier (break in series)",
    ),
}
RELIABILITY = {
    "reliable": ("betrouwbaar", "reliable"),
    "low_reliability": ("lage betrouwbaarheid", "low reliability"),
    "suppressed": ("niet gepubliceerd (te kleine groep)", "suppressed (group too small)"),
}


def _point_text(unit: str, lang: str):
    def text(line: charts.Line, point: charts.Point) -> str:
        value = i18n.value_text(point.y, unit, lang)
        flags = i18n.flags_text(point.flags, lang)
        return f"{line.label}, {point.x}: {value}" + (f" ({flags})" if flags else "")

    return text


def _figure(svg: Raw, legend: list[Raw], caption: str, data_table: Raw, lang: str) -> Raw:
    marks = i18n.pick(
        (
            "Open bolletje: cijfer met een vlag. Ruit: breuk in de reeks. Stippellijn met ruit: doel en doeljaar.",
            "Open dot: figure with a flag. Diamond: break in series. Dashed line with diamond: target and target year.",
        ),
        lang,
    )
    return Raw(
        f'<figure class="chart-figure">{svg}'
        f'<figcaption><ul class="legend">{"".join(legend)}</ul><p class="marks">{esc(marks)}</p>'
        f"<p>{esc(caption)}</p></figcaption>"
        f'<details class="chart-data"><summary>{esc(i18n.ui(lang, "chart_table"))}</summary>{data_table}</details>'
        "</figure>"
    )


def _wide_table(
    caption: str, lines: list[charts.Line], unit: str, lang: str, first: str, secret=frozenset()
) -> Raw:
    """Years as rows, one column per series; each cell with its flags; a (year, series) in
    `secret` is confidential."""
    cells: dict[int, dict[str, charts.Point]] = defaultdict(dict)
    for line in lines:
        for point in line.points:
            cells[point.x][line.key] = point
    rows = [
        [year]
        + [
            common.flagged(cells[year][ln.key].y, cells[year][ln.key].flags, unit, lang, False)
            if ln.key in cells[year]
            else common.flagged(None, "c", unit, lang)
            if (year, ln.key) in secret
            else "–"
            for ln in lines
        ]
        for year in sorted(cells)
    ]
    return table(caption, [first] + [ln.label for ln in lines], rows)


def series_figure(data: ReportData, ind: Row, lang: str) -> Raw | None:
    """Flanders with Belgium, the EU and the neighbours, the targets and the breaks."""
    rows = data.series.get(ind["indicator_id"], [])
    if not rows:
        return None
    unit, name = ind["unit"], common.name(ind, lang)
    by_geo: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_geo[row["geo"]].append(row)
    lines = [
        charts.Line(
            key=geo,
            label=common.geo_name(data, geo, lang, short=True),
            points=tuple(
                charts.Point(r["period_year"], r["value"], r["flags"] or "") for r in points
            ),
            style=data.chart_geos.index(geo),
        )
        for geo, points in by_geo.items()
    ]
    focus = by_geo.get(FOCUS) or next(iter(by_geo.values()))
    breaks = [r["period_year"] for r in focus if r["is_series_break"]]
    targets, target_legend = _targets(data, ind, lang)
    years = sorted({r["period_year"] for r in rows})
    desc = i18n.pick(
        (
            f"Lijngrafiek van {years[0]} tot {years[-1]} voor {len(lines)} gebieden, in {i18n.unit_label(unit, 'nl')}."
            + (f" Breuk in de reeks in {', '.join(map(str, breaks))}." if breaks else "")
            + (f" {len(targets)} doel(en) als stippellijn." if targets else ""),
            f"Line chart from {years[0]} to {years[-1]} for {len(lines)} areas, in {i18n.unit_label(unit, 'en')}."
            + (f" Break in series in {', '.join(map(str, breaks))}." if breaks else "")
            + (f" {len(targets)} target(s) as a dashed line." if targets else ""),
        ),
        lang,
    )
    svg = charts.line_chart(
        "chart-series",
        f"{name}: " + i18n.pick(("Vlaanderen vergeleken", "Flanders compared"), lang),
        desc,
        lines,
        fmt=lambda v: i18n.number(v, lang, i18n.UNIT_DECIMALS.get(unit, 1) if abs(v) < 100 else 0),
        point_text=_point_text(unit, lang),
        targets=targets,
        breaks=breaks,
        break_label=i18n.pick(("breuk", "break"), lang),
    )
    legend = [charts.legend_item(ln.style, common.geo_name(data, ln.key, lang)) for ln in lines]
    legend += target_legend
    caption = (
        i18n.pick(("Cijfers bij de grafiek", "Figures behind the chart"), lang)
        + f": {name} ({i18n.unit_label(unit, lang)})"
    )
    note = desc
    if FOCUS not in by_geo:
        note += i18n.pick(
            (
                " Voor Vlaanderen zijn er geen cijfers in deze bron.",
                " This source has no figures for Flanders.",
            ),
            lang,
        )
    if ind["unit"] in ("thousand_persons",):
        note += i18n.pick(
            (
                " Aantallen: enkel Vlaanderen en België (andere landen zijn veel groter).",
                " Counts: Flanders and Belgium only (other countries are far larger).",
            ),
            lang,
        )
    return _figure(
        svg,
        legend,
        note,
        _wide_table(
            caption,
            lines,
            unit,
            lang,
            i18n.pick(("Jaar", "Year"), lang),
            {(y, g) for i, g, y in data.confidential if i == ind["indicator_id"]},
        ),
        lang,
    )


def _targets(data: ReportData, ind: Row, lang: str) -> tuple[list[charts.Target], list[Raw]]:
    """One dashed line per target level and year (targets that coincide share a line)."""
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for t in data.target_lines(ind["indicator_id"]):
        geo = t["geo"] if t["kind"] == "count_change" else None
        groups[(t["target_level"], t["target_year"], geo)].append(t)
    word = i18n.pick(("doel", "target"), lang)
    marks, legend = [], []
    for (level, year, geo), rows in groups.items():
        marks.append(charts.Target(level, year, word + (f" {geo}" if geo else "")))
        names = "; ".join(
            f"{i18n.framework(t['framework'], lang)}: {common.target_text(t, lang)}"
            + (f" ({common.geo_name(data, geo, lang, short=True)})" if geo else "")
            for t in rows
        )
        legend.append(charts.legend_item(None, f"{word.capitalize()} {names}"))
    return marks, legend


def gaps_figure(data: ReportData, ind: Row, lang: str) -> Raw | None:
    """The gaps between groups (percentage points), with their five-year trend."""
    ind_id = ind["indicator_id"]
    rows = data.gaps.get(ind_id, [])
    if not rows:
        return None
    by_gap: dict[tuple, list[Row]] = defaultdict(list)
    for row in rows:
        by_gap[(row["breakdown"], row["group_category"], row["reference_category"])].append(row)
    lines, summary = [], []
    for i, ((breakdown, group, ref), points) in enumerate(by_gap.items()):
        label = (
            i18n.pick(category_label(data, ind_id, breakdown, group), lang)
            + i18n.pick((" tegenover ", " vs "), lang)
            + i18n.pick(category_label(data, ind_id, breakdown, ref), lang)
        )
        lines.append(
            charts.Line(
                key=f"{breakdown}:{group}:{ref}",
                label=label,
                points=tuple(
                    charts.Point(
                        r["year"],
                        r["gap_pp"],
                        "".join(
                            sorted(set((r["group_flags"] or "") + (r["reference_flags"] or "")))
                        ),
                    )
                    for r in points
                ),
                style=i,
            )
        )
        last = points[-1]
        trend = i18n.pick(GAP_TRENDS[last["gap_trend"]], lang) if last["gap_trend"] else ""
        reliability = i18n.pick(
            RELIABILITY.get(last["reliability"], (last["reliability"],) * 2), lang
        )
        summary.append(
            f"<li>{esc(label)}: {esc(i18n.value_text(last['gap_pp'], 'pp', lang))} in {last['year']}"
            + (f"; {esc(trend)}" if trend else "")
            + f" ({esc(reliability)})</li>"
        )
    geo = common.geo_name(data, data.gaps_geo[ind_id], lang, short=True)
    name = common.name(ind, lang)
    title = i18n.pick(
        (f"{name}: verschil tussen groepen, {geo}", f"{name}: gaps between groups, {geo}"), lang
    )
    desc = i18n.pick(
        (
            f"Lijngrafiek van het verschil in procentpunt (groep min referentiegroep) voor {len(lines)} vergelijking(en) in {geo}.",
            f"Line chart of the gap in percentage points (group minus reference group) for {len(lines)} comparison(s) in {geo}.",
        ),
        lang,
    )
    svg = charts.line_chart(
        "chart-gaps",
        title,
        desc,
        lines,
        fmt=lambda v: i18n.number(v, lang, 1),
        point_text=_point_text("pp", lang),
        zero_line=True,
        end_labels=False,
    )
    legend = [charts.legend_item(ln.style, ln.label) for ln in lines]
    data_table = _wide_table(
        title + " (" + i18n.unit_label("pp", lang) + ")",
        lines,
        "pp",
        lang,
        i18n.pick(("Jaar", "Year"), lang),
    )
    return Raw(
        _figure(svg, legend, desc, data_table, lang)
        + f'<ul class="gap-summary">{"".join(summary)}</ul>'
    )
