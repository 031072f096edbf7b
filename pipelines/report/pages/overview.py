"""The overview: where do we stand? Per domain, tiles with the number of goals per verdict;
per indicator one row with Flanders, Belgium and the EU side by side (latest value, trend,
EU position) and its targets grouped under it with their verdicts.

The filters work without JavaScript: the stylesheet hides what a chosen <option> excludes
(`:has(option:checked)`, rules from `filter_css`); the script only says how many are shown.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from pipelines.report import routes
from pipelines.report.data import ReportData, Row
from pipelines.report.fmt import Fmt
from pipelines.report.markup import Frame, Raw, esc, table, tag
from pipelines.report.pages import common

GEOS = ("BE2", "BE", "EU27_2020")
TILE_GEOS = ("BE2", "BE")

_TEXT = {
    "title": ("Doelen in één oogopslag", "Goals at a glance"),
    "intro": (
        "Per domein ziet u hoeveel doelen op koers liggen. Per indicator staan Vlaanderen, België "
        "en de EU naast elkaar: de laatste waarde, de laatste verandering en de plaats tussen de "
        "EU-lidstaten; daaronder elk doel met het oordeel per gebied. Open een indicator voor de "
        "grafiek, de definitie en de berekening.",
        "Per domain, how many goals are on track. Per indicator, Flanders, Belgium and the EU side "
        "by side: the latest value, the latest change and the position among the EU member "
        "states; under it each target with the verdict per area. Open an indicator for its "
        "chart, definition and calculation.",
    ),
    "legend": ("Wat betekent het oordeel?", "What does the verdict mean?"),
    "legend_method": ("Hoe we tot het oordeel komen", "How we reach the verdict"),
    "filters": ("Doelen filteren", "Filter the goals"),
    "domain": ("Domein", "Domain"),
    "framework": ("Doelen van", "Targets of"),
    "all_domains": ("alle domeinen", "all domains"),
    "all_frameworks": ("alle doelen", "all targets"),
    "status": ("{shown} van {total} indicatoren getoond", "{shown} of {total} indicators shown"),
    "download": ("Deze tabel downloaden", "Download this table"),
    "caption": ("{domain}: indicatoren en doelen", "{domain}: indicators and targets"),
    "head_first": ("Indicator en doelen", "Indicator and targets"),
    "goals": ("{n} doelen beoordeeld", "{n} targets assessed"),
    "no_goals": ("geen doelen beoordeeld", "no targets assessed"),
    "no_target": ("geen doel", "no target"),
    "window": ("oordeel over {window}", "verdict over {window}"),
    "judged_on": ("beoordeeld op {value} in {year}", "judged on {value} in {year}"),
    "tiles": ("{domain}: doelen per oordeel", "{domain}: targets per verdict"),
}


def render(data: ReportData, frame: Frame, lang: str) -> dict[str, str]:
    fmt = Fmt(data.vocab, lang)
    path = routes.page("overview", lang)
    t = lambda key: fmt.pick(_TEXT[key])  # noqa: E731
    body: list[object] = [
        common.p(t("intro"), "lead"),
        _legend(fmt, path),
        _filters(data, fmt),
        _downloads(fmt, path),
    ]
    for domain in data.vocab.codes("domains"):
        indicators = [i for i in data.indicators if i["domain"] == domain]
        if indicators:
            body.append(_domain(data, fmt, path, domain, indicators))
    body.append(_without_indicator(data, fmt))
    body.append(common.region_caveat(fmt))
    sources = [s for s in data.sources.values() if s["indicator_count"]]
    return common.named_page(
        data,
        frame,
        fmt,
        "overview",
        title=t("title"),
        body=body,
        sources=sources,
        scripts=[routes.JS],
    )


def filter_css(data: ReportData) -> str:
    """Stylesheet rules that make the overview's <select> filters work without JavaScript."""
    rules = []
    for code in data.vocab.codes("domains"):
        rules.append(
            f'main:has(#filter-domain option[value="{code}"]:checked) '
            f'section.domain:not([data-domain="{code}"]) {{ display: none; }}'
        )
    for code in data.vocab.codes("framework_levels"):
        chosen = f'main:has(#filter-framework option[value="{code}"]:checked)'
        rules.append(
            f'{chosen} tbody.indicator:not([data-frameworks~="{code}"]), '
            f'{chosen} tr.fw-row:not([data-framework="{code}"]) {{ display: none; }}'
        )
    return "\n/* overview filters (generated from the vocabulary) */\n" + "\n".join(rules) + "\n"


def _legend(fmt: Fmt, path: str) -> Raw:
    items = "".join(
        f"<div><dt>{common.verdict_badge(fmt, code)}</dt><dd>{esc(fmt.help('verdicts', code))}</dd></div>"
        for code in fmt.vocab.codes("verdicts")
    )
    method = routes.href(path, routes.page("method", fmt.lang))
    return Raw(
        f'<details class="legend-box"><summary>{esc(fmt.pick(_TEXT["legend"]))}</summary>'
        f'<dl class="verdict-legend">{items}</dl>'
        f'<p><a href="{method}">{esc(fmt.pick(_TEXT["legend_method"]))}</a></p></details>'
    )


def _filters(data: ReportData, fmt: Fmt) -> Raw:
    t = lambda key: fmt.pick(_TEXT[key])  # noqa: E731
    domains = "".join(
        tag("option", fmt.label("domains", d), value=d) for d in data.vocab.codes("domains")
    )
    used = {r["applies_to"] for r in data.progress}
    levels = "".join(
        tag("option", fmt.label("framework_levels", code), value=code)
        for code in data.vocab.codes("framework_levels")
        if code in used
    )
    return Raw(
        f'<form class="filters" data-filter><fieldset><legend>{esc(t("filters"))}</legend>'
        f'<label for="filter-domain">{esc(t("domain"))}</label>'
        f'<select id="filter-domain" name="domain" data-filter-key="domain">'
        f'<option value="">{esc(t("all_domains"))}</option>{domains}</select>'
        f'<label for="filter-framework">{esc(t("framework"))}</label>'
        f'<select id="filter-framework" name="framework" data-filter-key="framework">'
        f'<option value="">{esc(t("all_frameworks"))}</option>{levels}</select>'
        f'</fieldset><p class="filter-status" data-filter-status data-template="{esc(t("status"))}" '
        f'aria-live="polite"></p></form>'
    )


def _downloads(fmt: Fmt, path: str) -> Raw:
    csv_link = routes.href(path, routes.download("overview.csv"))
    xlsx_link = routes.href(path, routes.download("overview.xlsx"))
    return Raw(
        f'<p class="downloads">{esc(fmt.pick(_TEXT["download"]))}: '
        f'<a href="{csv_link}" download>CSV</a> · <a href="{xlsx_link}" download>Excel</a></p>'
    )


def _domain(data: ReportData, fmt: Fmt, path: str, domain: str, indicators: list[Row]) -> Raw:
    label = fmt.label("domains", domain)
    rows_by_indicator: dict[str, list[Row]] = defaultdict(list)
    for row in data.progress:
        rows_by_indicator[row["indicator_id"]].append(row)
    ordered = sorted(indicators, key=lambda i: (not rows_by_indicator.get(i["indicator_id"]),))
    head = [fmt.pick(_TEXT["head_first"])] + [
        common.geo_name(data, g, fmt, short=True) for g in GEOS
    ]
    bodies = [
        _indicator_rows(data, fmt, path, ind, rows_by_indicator.get(ind["indicator_id"], []), head)
        for ind in ordered
    ]
    caption = fmt.pick(_TEXT["caption"]).format(domain=label)
    cid = f"caption-{domain}"
    table = (
        f'<div class="table-wrap" role="region" aria-labelledby="{cid}" tabindex="0">'
        f'<table class="overview"><caption id="{cid}">{esc(caption)}</caption><thead><tr>'
        + "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
        + f"</tr></thead>{''.join(bodies)}</table></div>"
    )
    domain_rows = [r for i in indicators for r in rows_by_indicator.get(i["indicator_id"], [])]
    return Raw(
        f'<section class="domain" data-domain="{esc(domain)}" aria-labelledby="domain-{esc(domain)}">'
        f'<h2 id="domain-{esc(domain)}">{esc(label)}</h2>'
        f"{_tiles(data, fmt, label, domain_rows)}{table}</section>"
    )


def _without_indicator(data: ReportData, fmt: Fmt) -> Raw:
    """Goals the monitor has no indicator for yet (a target requested, not set), so they are
    not forgotten: framework, what is asked, its source, the verdict per area."""
    known = {i["indicator_id"] for i in data.indicators}
    rows = [r for r in data.progress if r["indicator_id"] not in known]
    if not rows:
        return Raw("")
    body = [
        [
            f"{common.framework(fmt, r['framework'])}: {common.target_text(fmt, r)}",
            common.geo_name(data, r["geo"], fmt, short=True),
            r[f"citation_{fmt.lang}"],
            common.verdict_badge(fmt, r["verdict"]),
        ]
        for r in rows
    ]
    head = fmt.pick(
        (
            ["Doel", "Gebied", "Bron van het doel", "Oordeel"],
            ["Target", "Area", "Source of the target", "Verdict"],
        )
    )
    caption = fmt.pick(
        ("Doelen zonder indicator in de monitor", "Targets without an indicator in the monitor")
    )
    return common.section(
        "without-indicator",
        fmt.pick(("Gevraagde doelen zonder indicator", "Requested targets without an indicator")),
        table(caption, head, body, row_attrs=[{"data_target": r["target_id"]} for r in rows]),
    )


def _tiles(data: ReportData, fmt: Fmt, domain_label: str, rows: list[Row]) -> str:
    """Per area, the number of targets per verdict (badge and count)."""
    tiles = []
    for geo in TILE_GEOS:
        counts = Counter(r["verdict"] for r in rows if r["geo"] == geo)
        total = sum(counts.values())
        items = "".join(
            f'<li>{common.verdict_badge(fmt, code)} <strong class="count">{counts[code]}</strong></li>'
            for code in fmt.vocab.codes("verdicts")
            if counts[code]
        )
        goals = fmt.pick(_TEXT["goals"]).format(n=total) if total else fmt.pick(_TEXT["no_goals"])
        tiles.append(
            f'<div class="tile" data-geo="{geo}"><h3>{esc(common.geo_name(data, geo, fmt, short=True))}</h3>'
            f'<p class="tile-total">{esc(goals)}</p><ul class="tile-counts">{items}</ul></div>'
        )
    label = fmt.pick(_TEXT["tiles"]).format(domain=domain_label)
    return f'<div class="tiles" role="group" aria-label="{esc(label)}">{"".join(tiles)}</div>'


def _indicator_rows(
    data: ReportData, fmt: Fmt, path: str, ind: Row, targets: list[Row], head: list[str]
) -> str:
    ind_id, unit, direction = ind["indicator_id"], ind["unit"], ind["direction"]
    link = routes.href(path, routes.indicator(ind_id, fmt.lang))
    unit_note = f' <span class="unit">({esc(fmt.unit(unit))})</span>'
    cells = [
        f'<th scope="row"><a href="{link}">{esc(common.name(ind, fmt.lang))}</a>{unit_note}</th>'
    ]
    for geo, label in zip(GEOS, head[1:], strict=True):
        cells.append(f'<td data-label="{esc(label)}">{_geo_cell(data, fmt, ind, geo)}</td>')
    rows = [f'<tr class="ind-row">{"".join(cells)}</tr>']
    levels: list[str] = []
    said: set[str] = set()  # a sentence about the same area and windows is said once
    by_target: dict[str, dict[str, Row]] = defaultdict(dict)
    for row in targets:
        by_target[row["target_id"]][row["geo"]] = row
    order = fmt.vocab.codes("framework_levels")
    for target_id in sorted(
        by_target,
        key=lambda t: (
            order.index(next(iter(by_target[t].values()))["applies_to"])
            if next(iter(by_target[t].values()))["applies_to"] in order
            else 9,
            t,
        ),
    ):
        per_geo = by_target[target_id]
        first = next(iter(per_geo.values()))
        level = first["applies_to"] or ""
        levels.append(level)
        title = (
            f"{common.framework(fmt, first['framework'])}: {common.target_text(fmt, first, unit)}"
        )
        cells = [f'<th scope="row" class="target">{esc(title)}</th>']
        notes = []
        for geo, label in zip(GEOS, head[1:], strict=True):
            row = per_geo.get(geo)
            cells.append(f'<td data-label="{esc(label)}">{_verdict_cell(fmt, ind, row)}</td>')
            if row:
                sentence = common.disagreement(
                    fmt, row, data.latest.get((ind_id, geo)), direction, label
                )
                if sentence and sentence not in said:
                    said.add(sentence)
                    notes.append(sentence)
        rows.append(
            f'<tr class="target-row fw-row" data-framework="{esc(level)}" '
            f'data-target="{esc(target_id)}">{"".join(cells)}</tr>'
        )
        if notes:
            rows.append(
                f'<tr class="why-row fw-row" data-framework="{esc(level)}"><td colspan="{len(GEOS) + 1}">'
                f'<p class="why">{esc(" ".join(notes))}</p></td></tr>'
            )
    frameworks = " ".join(dict.fromkeys(levels))
    return (
        f'<tbody class="indicator" data-indicator="{esc(ind_id)}" data-domain="{esc(ind["domain"])}" '
        f'data-frameworks="{esc(frameworks)}">{"".join(rows)}</tbody>'
    )


def _geo_cell(data: ReportData, fmt: Fmt, ind: Row, geo: str) -> str:
    latest = data.latest.get((ind["indicator_id"], geo))
    if not latest or latest["latest_value"] is None:
        return f'<span class="muted">{esc(fmt.ui("no_data"))}</span>'
    value = fmt.flagged(latest["latest_value"], latest["latest_flags"], ind["unit"])
    parts = [
        f'<span class="value">{value}</span> <span class="year">({esc(latest["latest_period"])})</span>',
        f'<span class="line">{common.trend(fmt, latest, ind["direction"], ind["unit"])}</span>',
    ]
    if geo != "EU27_2020":
        bench = data.benchmark.get((ind["indicator_id"], geo))
        if bench:
            parts.append(
                f'<span class="line eu-position">{common.eu_position(fmt, data, bench)}</span>'
            )
    return "".join(parts)


def _verdict_cell(fmt: Fmt, ind: Row, row: Row | None) -> str:
    if row is None:
        return f'<span class="muted">{esc(fmt.ui("not_applicable"))}</span>'
    parts = [str(common.verdict_badge(fmt, row["verdict"]))]
    window = common.verdict_window(row)
    if window and row["verdict"] != "not_assessable":
        parts.append(
            f'<span class="line small">{esc(fmt.pick(_TEXT["window"]).format(window=window))}</span>'
        )
    if row["target_year_passed"] and row["latest_value"] is not None:
        judged = fmt.pick(_TEXT["judged_on"]).format(
            value=fmt.value(row["latest_value"], row["unit"] or ind["unit"]),
            year=row["latest_year"],
        )
        parts.append(f'<span class="line small">{esc(judged)}</span>')
    reason = common.progress_reason(fmt, row, row["unit"] or ind["unit"])
    if reason and row["verdict"] == "not_assessable":
        parts.append(f'<span class="line small">{esc(reason)}</span>')
    return "".join(parts)
