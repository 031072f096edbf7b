"""The two figures of an indicator page, each an SVG chart with legend and data table."""

from __future__ import annotations

from collections import defaultdict

from pipelines.report import charts, i18n
from pipelines.report.data import FOCUS, ReportData, Row
from pipelines.report.downloads import category_label
from pipelines.report.markup import Raw, esc, table
from pipelines.report.pages import common

# gap trend code -> (Dutch, English), with the base year filled in
GAP_TRENDS = {
    "narrowing": ("kleiner geworden sinds {year}", "narrowed since {year}"),
    "widening": ("groter geworden sinds {year}", "widened since {year}"),
    "no_clear_change": ("geen duidelijke verandering sinds {year}", "no clear change since {year}"),
    "not_comparable": (
        "niet te vergelijken met {year} (breuk in de reeks)",
        "not comparable with {year} (break in series)",
    ),
}
# why a change is (not) called a trend: mart_group_gaps / mart_microdata_gaps trend_basis
TREND_BASIS = {
    "min_detectable_change": (
        "verandering {change}; een verandering kleiner dan {mdc} kan de steekproef alleen al geven",
        "change {change}; sampling alone can move a gap by up to {mdc}",
    ),
    "standard_error": (
        "verandering {change}, 95 %-marge {mdc}",
        "change {change}, 95% margin {mdc}",
    ),
}
# how a microdata gap's significance was judged (mart_microdata_gaps.significance_method)
SIGNIFICANCE = {
    "design_based": (
        "standaardfouten volgens het steekproefontwerp (strata en PSU's)",
        "standard errors from the sampling design (strata and PSUs)",
    ),
    "records_inflated_deff_kish": (
        "standaardfouten per record, vergroot met het design-effect van Kish (ruwe benadering)",
        "standard errors per record, inflated by Kish's design effect (a rough approximation)",
    ),
    "not_assessed": (
        "niet beoordeeld: het bestand heeft geen strata en PSU's, de standaardfouten zouden te klein zijn",
        "not assessed: the file has no strata and PSUs, so its standard errors would be too small",
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


def _wide_table(caption: str, lines: list[charts.Line], unit: str, lang: str, first: str) -> Raw:
    """Years as rows, one column per series; each cell with its flags."""
    cells: dict[int, dict[str, charts.Point]] = defaultdict(dict)
    for line in lines:
        for point in line.points:
            cells[point.x][line.key] = point
    rows = [
        [year]
        + [
            common.flagged(cells[year][ln.key].y, cells[year][ln.key].flags, unit, lang, False)
            if ln.key in cells[year]
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
        _wide_table(caption, lines, unit, lang, i18n.pick(("Jaar", "Year"), lang)),
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


def gap_trend_text(row: Row, lang: str) -> str:
    """'no clear change since 2019 (change -2.0 pp; sampling alone can move a gap by up to
    2.5 pp)': the trend and the uncertainty it was judged against."""
    if not row.get("gap_trend"):
        return ""
    text = i18n.pick(GAP_TRENDS[row["gap_trend"]], lang).format(year=row["gap_base_year"])
    basis = row.get("trend_basis")
    if row["gap_trend"] == "not_comparable" or basis not in TREND_BASIS:
        return text
    margin = (
        row["min_detectable_change_pp"]
        if basis == "min_detectable_change"
        else 1.959964 * row["gap_change_se"]
    )
    detail = i18n.pick(TREND_BASIS[basis], lang).format(
        change=i18n.value_text(row["gap_size_change"], "pp", lang),
        mdc=i18n.value_text(margin, "pp", lang),
    )
    return f"{text} ({detail})"


def microdata_gaps_table(data: ReportData, ind: Row, lang: str) -> Raw | None:
    """Flanders' gaps computed from microdata (latest year): each with its 95% interval,
    whether it is significant and on what basis, its trend and reliability."""
    rows = data.microdata_gaps.get(ind["indicator_id"], [])
    if not rows:
        return None
    year, file = rows[0]["year"], rows[0]["source_file"] or ""
    synthetic = any(r["is_synthetic"] for r in rows)
    pp = lambda v: i18n.value_text(v, "pp", lang)  # noqa: E731
    body = []
    for r in rows:
        group = _micro_label(data, r["breakdown"], r["group_category"], lang)
        ref = _micro_label(data, r["breakdown"], r["reference_category"], lang)
        basis = i18n.pick(SIGNIFICANCE[r["significance_method"]], lang)
        if r["gap_pp"] is None:
            interval = significant = ""
        elif r["is_significant"] is None:
            interval, significant = "–", basis
        else:
            interval = f"{pp(r['gap_ci_low'])} … {pp(r['gap_ci_high'])}"
            yes_no = i18n.pick(("ja", "yes") if r["is_significant"] else ("nee", "no"), lang)
            significant = f"{yes_no} ({basis})"
        body.append(
            (
                f"{group}{i18n.pick((' tegenover ', ' vs '), lang)}{ref}",
                pp(r["gap_pp"]),
                interval,
                significant,
                gap_trend_text(r, lang),
                i18n.pick(RELIABILITY.get(r["reliability"], (r["reliability"],) * 2), lang),
            )
        )
    caption = i18n.pick(
        (
            f"Verschillen uit microdata, Vlaanderen {year} (bestand {file}"
            + (", SYNTHETISCH: verzonnen personen" if synthetic else "")
            + "), met 95 %-betrouwbaarheidsinterval",
            f"Gaps from microdata, Flanders {year} (file {file}"
            + (", SYNTHETIC: made-up persons" if synthetic else "")
            + "), with 95% confidence interval",
        ),
        lang,
    )
    head = [
        i18n.pick(pair, lang)
        for pair in (
            ("Groep", "Group"),
            ("Verschil", "Gap"),
            ("95 %-interval", "95% interval"),
            ("Significant?", "Significant?"),
            ("Trend", "Trend"),
            ("Betrouwbaarheid", "Reliability"),
        )
    ]
    return table(caption, head, body)


def _micro_label(data: ReportData, breakdown: str, code: str, lang: str) -> str:
    if breakdown == "region" or code in data.geos:
        return common.geo_name(data, code, lang, short=True)
    if code == "total":
        return i18n.pick(("iedereen", "everyone"), lang)
    return i18n.pick(i18n.MICRODATA_CATEGORIES.get(code, (code, code)), lang)


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
        trend = gap_trend_text(last, lang)
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
