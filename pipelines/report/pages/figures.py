"""The line charts of an indicator page (series and group gaps), each drawn at two sizes
with its legend and data table, and the table of gaps computed from microdata (each gap
with its 95% interval drawn beside it)."""

from __future__ import annotations

from collections import defaultdict

from pipelines.report import charts
from pipelines.report.bars import IntervalRow, interval_table
from pipelines.report.data import FOCUS, ReportData, Row
from pipelines.report.downloads import category_label
from pipelines.report.fmt import Fmt
from pipelines.report.markup import Raw, esc, table
from pipelines.report.pages import common

Z95 = 1.96  # a 95% interval is the value plus or minus 1.96 standard errors


def series_heading(data: ReportData, ind: Row, fmt: Fmt) -> str:
    """What the series chart compares, said only as far as the data goes."""
    geos = {r["geo"] for r in data.series.get(ind["indicator_id"], []) if r["value"] is not None}
    others = geos - {FOCUS}
    if FOCUS in geos and others:
        return fmt.pick(("Vlaanderen vergeleken", "Flanders compared"))
    if FOCUS in geos:
        return fmt.pick(("Verloop in Vlaanderen", "Flanders over time"))
    if "BE" in geos and len(geos) > 1:
        return fmt.pick(("België vergeleken", "Belgium compared"))
    return fmt.pick(("Verloop", "Over time"))


def _point_text(unit: str | None, fmt: Fmt):
    def text(line: charts.Line, point: charts.Point) -> str:
        value = fmt.value(point.y, unit)
        flags = fmt.flags_text(point.flags)
        interval = ""
        if point.low is not None and point.high is not None:
            interval = fmt.pick(
                (
                    f", 95 %-interval {fmt.value(point.low, unit)} tot {fmt.value(point.high, unit)}",
                    f", 95% interval {fmt.value(point.low, unit)} to {fmt.value(point.high, unit)}",
                )
            )
        return f"{line.label}, {point.x}: {value}{interval}" + (f" ({flags})" if flags else "")

    return text


def _figure(svgs: list[Raw], legend: list[Raw], caption: str, data_table: Raw, fmt: Fmt) -> Raw:
    marks = fmt.pick(
        (
            "Open bolletje: cijfer met een vlag (de letter staat erbij). Ruit: breuk in de reeks. "
            "Stippellijn met ruit: doel en doeljaar. Grijs lijntje: het label hoort bij dat punt.",
            "Open dot: figure with a flag (its letter beside it). Diamond: break in series. "
            "Dashed line with diamond: target and target year. Grey line: the label belongs to that point.",
        )
    )
    return Raw(
        f'<figure class="chart-figure">{"".join(svgs)}'
        f'<figcaption><ul class="legend">{"".join(legend)}</ul><p class="marks">{esc(marks)}</p>'
        f"<p>{esc(caption)}</p></figcaption>"
        f'<details class="chart-data"><summary>{esc(fmt.ui("chart_table"))}</summary>{data_table}</details>'
        "</figure>"
    )


def _wide_table(
    caption: str,
    lines: list[charts.Line],
    unit: str | None,
    fmt: Fmt,
    first: str,
    confidential: dict[tuple[int, str], Row] | None = None,
) -> Raw:
    """Years as rows, one column per series; each cell with its flags; a (year, series) in
    `confidential` (a row without a value) shows its confidentiality status."""
    cells: dict[int, dict[str, charts.Point]] = defaultdict(dict)
    for line in lines:
        for point in line.points:
            cells[point.x][line.key] = point
    secret = confidential or {}
    rows = []
    for year in sorted(set(cells) | {year for year, _ in secret}):
        row: list[object] = [year]
        for ln in lines:
            point = cells[year].get(ln.key)
            if point is None:
                hidden = secret.get((year, ln.key))
                row.append(
                    fmt.flagged(None, hidden["flags"], unit, False, hidden["conf_status"])
                    if hidden
                    else "–"
                )
                continue
            text = fmt.flagged(point.y, point.flags, unit, False)
            if point.low is not None and point.high is not None:
                text = Raw(
                    f'{text} <span class="interval-text">({esc(fmt.value(point.low, unit, False))} – {esc(fmt.value(point.high, unit, False))})</span>'
                )
            row.append(text)
        rows.append(row)
    return table(caption, [first] + [ln.label for ln in lines], rows)


def _both_sizes(chart_id: str, **kwargs) -> list[Raw]:
    return [
        charts.line_chart(chart_id, size=charts.WIDE, **kwargs),
        charts.line_chart(f"{chart_id}-narrow", size=charts.NARROW, **kwargs),
    ]


def series_figure(data: ReportData, ind: Row, fmt: Fmt) -> Raw | None:
    """Flanders with Belgium, the EU and the neighbours, the targets and the breaks."""
    rows = [r for r in data.series.get(ind["indicator_id"], []) if r["value"] is not None]
    if not rows:
        return None
    unit, name = ind["unit"], common.name(ind, fmt.lang)
    by_geo: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_geo[row["geo"]].append(row)
    hidden = [  # confidential cells: no point, but a cell in the data table
        r
        for r in data.series.get(ind["indicator_id"], [])
        if r["value"] is None and r["geo"] in by_geo
    ]
    lines = [
        charts.Line(
            key=geo,
            label=common.geo_name(data, geo, fmt, short=True),
            points=tuple(
                charts.Point(r["period_year"], r["value"], r["flags"] or "") for r in points
            ),
            style=data.chart_geos.index(geo),
        )
        for geo, points in by_geo.items()
    ]
    focus = by_geo.get(FOCUS) or next(iter(by_geo.values()))
    breaks = [r["period_year"] for r in focus if r["is_series_break"]]
    targets, target_legend = _targets(data, ind, fmt)
    years = sorted({r["period_year"] for r in rows})
    heading = series_heading(data, ind, fmt)
    unit_name = fmt.unit(unit)
    desc = fmt.pick(
        (
            f"Lijngrafiek van {years[0]} tot {years[-1]} voor {len(lines)} gebied(en), in {unit_name}."
            + (f" Breuk in de reeks in {', '.join(map(str, breaks))}." if breaks else "")
            + (f" {len(targets)} doel(en) als stippellijn." if targets else ""),
            f"Line chart from {years[0]} to {years[-1]} for {len(lines)} area(s), in {unit_name}."
            + (f" Break in series in {', '.join(map(str, breaks))}." if breaks else "")
            + (f" {len(targets)} target(s) as a dashed line." if targets else ""),
        )
    )
    decimals = fmt.decimals(unit)
    svgs = _both_sizes(
        "chart-series",
        title=f"{name}: {heading}",
        desc=desc,
        lines=lines,
        fmt=lambda v: fmt.num(v, decimals if abs(v) < 100 else 0),
        point_text=_point_text(unit, fmt),
        targets=targets,
        breaks=breaks,
        break_label=fmt.pick(("breuk", "break")),
    )
    legend = [charts.legend_item(ln.style, common.geo_name(data, ln.key, fmt)) for ln in lines]
    legend += target_legend
    caption = fmt.ui("chart_table") + f": {name} ({unit_name})"
    note = desc
    if FOCUS not in by_geo:
        note += fmt.pick(
            (
                " Voor Vlaanderen zijn er geen cijfers in deze bron.",
                " This source has no figures for Flanders.",
            )
        )
    if unit in ("thousand_persons", "persons", "count", "eur"):
        note += fmt.pick(
            (
                " Aantallen: enkel Vlaanderen en België (andere landen zijn veel groter).",
                " Counts: Flanders and Belgium only (other countries are far larger).",
            )
        )
    return _figure(
        svgs,
        legend,
        note,
        _wide_table(
            caption,
            lines,
            unit,
            fmt,
            fmt.pick(("Jaar", "Year")),
            {(r["period_year"], r["geo"]): r for r in hidden},
        ),
        fmt,
    )


def _targets(data: ReportData, ind: Row, fmt: Fmt) -> tuple[list[charts.Target], list[Raw]]:
    """One dashed line per target level and year (targets that coincide share a line)."""
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for t in data.target_lines(ind["indicator_id"]):
        geo = t["geo"] if t["kind"] == "count_change" else None
        groups[(t["target_level"], t["target_year"], geo)].append(t)
    word = fmt.pick(("doel", "target"))
    marks, legend = [], []
    for (level, year, geo), rows in groups.items():
        short = common.geo_name(data, geo, fmt, short=True) if geo else ""
        marks.append(charts.Target(level, year, word + (f" {geo}" if geo else "")))
        names = "; ".join(
            f"{common.framework(fmt, t['framework'])}: {common.target_text(fmt, t, ind['unit'])}"
            + (f" ({short})" if geo else "")
            for t in rows
        )
        legend.append(charts.legend_item(None, f"{word.capitalize()} {names}"))
    return marks, legend


def gaps_figure(data: ReportData, ind: Row, fmt: Fmt) -> Raw | None:
    """The gaps between groups (percentage points), with their trend (judged against the
    uncertainty of the change) and, where the data carries a standard error (gap_se), its 95%
    interval."""
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
            fmt.pick(category_label(data, ind_id, breakdown, group))
            + fmt.pick((" tegenover ", " vs "))
            + fmt.pick(category_label(data, ind_id, breakdown, ref))
        )
        lines.append(
            charts.Line(
                key=f"{breakdown}:{group}:{ref}",
                label=label,
                points=tuple(_gap_point(r) for r in points),
                style=i,
            )
        )
        last = points[-1]
        trend = gap_trend_text(last, fmt)
        reliability = fmt.label("reliability", last["reliability"])
        summary.append(
            f"<li>{esc(label)}: {esc(fmt.value(last['gap_pp'], 'pp'))} in {last['year']}"
            + (f"; {esc(trend)}" if trend else "")
            + f" ({esc(reliability)})</li>"
        )
    geo = common.geo_name(data, data.gaps_geo[ind_id], fmt, short=True)
    name = common.name(ind, fmt.lang)
    title = fmt.pick(
        (f"{name}: verschil tussen groepen, {geo}", f"{name}: gaps between groups, {geo}")
    )
    intervals = any(p.low is not None for ln in lines for p in ln.points)
    desc = fmt.pick(
        (
            f"Lijngrafiek van het verschil in procentpunt (groep min referentiegroep) voor {len(lines)} vergelijking(en) in {geo}."
            + (" Verticale streepjes: 95 %-betrouwbaarheidsinterval." if intervals else ""),
            f"Line chart of the gap in percentage points (group minus reference group) for {len(lines)} comparison(s) in {geo}."
            + (" Vertical bars: 95% confidence interval." if intervals else ""),
        )
    )
    svgs = _both_sizes(
        "chart-gaps",
        title=title,
        desc=desc,
        lines=lines,
        fmt=lambda v: fmt.num(v, 1),
        point_text=_point_text("pp", fmt),
        zero_line=True,
        end_labels=False,
    )
    legend = [charts.legend_item(ln.style, ln.label) for ln in lines]
    data_table = _wide_table(
        f"{title} ({fmt.unit('pp')})", lines, "pp", fmt, fmt.pick(("Jaar", "Year"))
    )
    return Raw(
        _figure(svgs, legend, desc, data_table, fmt)
        + f'<ul class="gap-summary">{"".join(summary)}</ul>'
    )


def _gap_point(row: Row) -> charts.Point:
    flags = "".join(sorted(set((row["group_flags"] or "") + (row["reference_flags"] or ""))))
    se = row.get("gap_se")
    if se is None:
        return charts.Point(row["year"], row["gap_pp"], flags)
    return charts.Point(
        row["year"], row["gap_pp"], flags, row["gap_pp"] - Z95 * se, row["gap_pp"] + Z95 * se
    )


def gap_trend_text(row: Row, fmt: Fmt) -> str:
    """'no clear change, 2019–2024 (change −2.0 pp; sampling alone can move a gap by up to
    2.5 pp)': the trend and the uncertainty it was judged against (trend_basis)."""
    if not row.get("gap_trend"):
        return ""
    text = f"{fmt.label('gap_trends', row['gap_trend'])}, {row['gap_base_year']}–{row['year']}"
    basis = row.get("trend_basis")
    if row["gap_trend"] == "not_comparable" or not basis:
        return text
    margin = (
        row["min_detectable_change_pp"]
        if basis == "min_detectable_change"
        else Z95 * row["gap_change_se"]
    )
    detail = fmt.template(
        "trend_bases",
        basis,
        {"change": fmt.change(row["gap_size_change"], "pp"), "margin": fmt.value(margin, "pp")},
    )
    return f"{text} ({detail})"


def microdata_gaps_table(data: ReportData, ind: Row, fmt: Fmt) -> Raw | None:
    """Flanders' gaps computed from microdata (latest year): each with its 95% interval (as
    text and drawn), whether it is significant and on what that rests, its trend and its
    reliability."""
    rows = data.microdata_gaps.get(ind["indicator_id"], [])
    if not rows:
        return None
    year, file = rows[0]["year"], rows[0]["source_file"] or ""
    synthetic = any(r["is_synthetic"] for r in rows)
    body = []
    for r in rows:
        group = _micro_label(data, r["breakdown"], r["group_category"], fmt)
        ref = _micro_label(data, r["breakdown"], r["reference_category"], fmt)
        method = fmt.label("significance_methods", r["significance_method"])
        if r["gap_pp"] is None:
            interval = significant = ""
        elif r["is_significant"] is None:
            interval, significant = "–", method
        else:
            interval = fmt.pick(("{low} tot {high}", "{low} to {high}")).format(
                low=fmt.value(r["gap_ci_low"], "pp"), high=fmt.value(r["gap_ci_high"], "pp")
            )
            yes_no = fmt.pick(("ja", "yes") if r["is_significant"] else ("nee", "no"))
            significant = f"{yes_no} ({method})"
        body.append(
            IntervalRow(
                (
                    f"{group}{fmt.pick((' tegenover ', ' vs '))}{ref}",
                    fmt.value(r["gap_pp"], "pp"),
                    interval,
                    significant,
                    gap_trend_text(r, fmt),
                    fmt.label("reliability", r["reliability"]),
                ),
                r["gap_pp"],
                r["gap_ci_low"],
                r["gap_ci_high"],
            )
        )
    where = common.geo_name(data, FOCUS, fmt, short=True)
    caption = fmt.pick(
        (
            f"Verschillen uit microdata, {where} {year} (bestand {file}"
            + (", SYNTHETISCH: verzonnen personen" if synthetic else "")
            + "), met 95 %-betrouwbaarheidsinterval",
            f"Gaps from microdata, {where} {year} (file {file}"
            + (", SYNTHETIC: made-up persons" if synthetic else "")
            + "), with 95% confidence interval",
        )
    )
    head = [
        fmt.pick(pair)
        for pair in (
            ("Groep", "Group"),
            ("Verschil", "Gap"),
            ("95 %-interval", "95% interval"),
            ("Significant?", "Significant?"),
            ("Trend", "Trend"),
            ("Betrouwbaarheid", "Reliability"),
        )
    ]
    drawing = fmt.pick(("Verschil met interval, rond nul", "Gap with interval, around zero"))
    return interval_table(caption, head, body, drawing)


def _micro_label(data: ReportData, breakdown: str, code: str, fmt: Fmt) -> str:
    if breakdown == "region" or code in data.geos:
        return common.geo_name(data, code, fmt, short=True)
    return fmt.label("microdata_categories", code)
