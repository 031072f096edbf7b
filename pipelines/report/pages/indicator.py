"""One page per indicator: the chart, breakdowns, targets and progress, the EU benchmark,
group gaps, and definition, source and method (the producer credited at the top and in the
footer)."""

from __future__ import annotations

import json
import re
from collections import defaultdict

from pipelines.report import routes
from pipelines.report.bars import BarRow, bar_table
from pipelines.report.data import FOCUS, ReportData, Row
from pipelines.report.fmt import Fmt
from pipelines.report.markup import Frame, Raw, esc
from pipelines.report.pages import common, figures, progress


def render(data: ReportData, frame: Frame, lang: str) -> dict[str, str]:
    out = {}
    other = "en" if lang == "nl" else "nl"
    for ind in data.indicators:
        fmt = Fmt(data.vocab, lang)
        path = routes.indicator(ind["indicator_id"], lang)
        sources = data.indicator_sources(ind)
        body = [
            _summary(data, ind, fmt, sources, path),
            _chart_section(data, ind, fmt, path),
            _breakdown_section(data, ind, fmt, path),
            progress.progress_section(data, ind, fmt, path),
            progress.benchmark_section(data, ind, fmt, path),
            _gaps_section(data, ind, fmt, path),
            _definition(data, ind, fmt, sources, path),
        ]
        out[path] = common.document(
            data,
            frame,
            fmt,
            path=path,
            title=common.name(ind, lang),
            body=body,
            nav_key=None,
            other_path=routes.indicator(ind["indicator_id"], other),
            sources=sources,
        )
    return out


def _summary(data: ReportData, ind: Row, fmt: Fmt, sources: list[Row], path: str) -> Raw:
    parts = [
        f'<p class="lead">{esc(ind["definition_" + fmt.lang])}</p>',
        f'<p class="domain">{esc(fmt.pick(("Domein", "Domain")))}: {esc(fmt.label("domains", ind["domain"]))}'
        f" · {esc(fmt.label('directions', ind['direction']))}</p>",
    ]
    credit = "; ".join(common.producers(fmt, sources)) or fmt.label("sources", "derived")
    parts.append(
        f'<p class="credit">{esc(fmt.pick(("Bron", "Source")))}: {esc(credit)} '
        f'(<a href="#definition">{esc(fmt.pick(("definitie en bron", "definition and source")))}</a>)</p>'
    )
    lines = []
    for geo in (FOCUS, "BE"):
        latest = data.latest.get((ind["indicator_id"], geo))
        if latest and latest["latest_value"] is not None:
            value = fmt.flagged(latest["latest_value"], latest["latest_flags"], ind["unit"])
            lines.append(
                f"<li>{esc(common.geo_name(data, geo, fmt, short=True))}, {esc(latest['latest_period'])}: "
                f"<strong>{value}</strong> · {common.trend(fmt, latest, ind['direction'], ind['unit'])}</li>"
            )
    if lines:
        parts.append(f'<ul class="headline">{"".join(lines)}</ul>')
    return Raw("\n".join(parts))


def _downloads(ind_id: str, fmt: Fmt, path: str, chart: str) -> str:
    label = fmt.pick(("Download wat de grafiek toont", "Download what the chart shows"))
    csv_link = routes.href(path, routes.download(f"{ind_id}-{chart}.csv"))
    xlsx_link = routes.href(path, routes.download(f"{ind_id}.xlsx"))
    xlsx_text = fmt.pick(
        ("Excel (alle cijfers van deze pagina)", "Excel (every figure on this page)")
    )
    return (
        f'<p class="downloads">{esc(label)}: <a href="{csv_link}" download>CSV</a> · '
        f'<a href="{xlsx_link}" download>{esc(xlsx_text)}</a></p>'
    )


def _chart_section(data: ReportData, ind: Row, fmt: Fmt, path: str) -> Raw:
    heading = figures.series_heading(data, ind, fmt)
    figure = figures.series_figure(data, ind, fmt)
    if figure is None:
        return common.section(
            "series",
            heading,
            common.p(
                fmt.pick(
                    (
                        "Er zijn nog geen cijfers voor deze indicator.",
                        "There are no figures for this indicator yet.",
                    )
                )
            ),
        )
    return common.section(
        "series", heading, figure, Raw(_downloads(ind["indicator_id"], fmt, path, "series"))
    )


def _breakdown_section(data: ReportData, ind: Row, fmt: Fmt, path: str) -> Raw:
    """The latest year by sex, age, education, country of birth and province, where the
    registry has them, each against its reference (the total, or Flanders)."""
    rows = data.breakdowns.get(ind["indicator_id"], [])
    if not rows:
        return Raw("")
    by_breakdown: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_breakdown[row["breakdown"]].append(row)
    order = fmt.vocab.codes("breakdowns")
    parts: list[object] = []
    unit = ind["unit"]
    for breakdown in sorted(by_breakdown, key=lambda b: order.index(b) if b in order else 99):
        items = by_breakdown[breakdown]
        geo, year = items[0]["geo"], items[0]["year"]
        where = common.geo_name(data, geo if breakdown != "province" else FOCUS, fmt, short=True)
        title = fmt.pick(("Naar {what}", "By {what}")).format(
            what=fmt.label("breakdowns", breakdown)
        )
        caption = f"{title} ({where}, {year})"
        bar_rows = [
            BarRow(
                (
                    _group_label(data, fmt, r),
                    fmt.flagged(r["value"], r["flags"], unit, conf_status=r["conf_status"]),
                ),
                r["value"],
                "reference" if r["is_reference"] else "",
            )
            for r in sorted(items, key=lambda r: (not r["is_reference"],))
        ]
        head = [fmt.pick(("Groep", "Group")), fmt.pick(("Waarde", "Value"))]
        parts.append(Raw(f'<h3 id="by-{esc(breakdown)}">{esc(title)}</h3>'))
        if geo != FOCUS and breakdown != "province":
            parts.append(
                common.p(
                    fmt.pick(
                        (
                            "Voor Vlaanderen zijn er geen cijfers per groep; hieronder België.",
                            "There are no figures by group for Flanders; Belgium is shown.",
                        )
                    )
                )
            )
        parts.append(
            bar_table(caption, head, bar_rows, fmt.pick(("Staaf", "Bar")), cls="breakdown")
        )
    parts.append(Raw(_downloads(ind["indicator_id"], fmt, path, "breakdowns")))
    heading = fmt.pick(("Naar groep en provincie", "By group and province"))
    return common.section("breakdowns", heading, *parts)


def _group_label(data: ReportData, fmt: Fmt, row: Row) -> str:
    if not row["is_reference"]:
        return row[f"label_{fmt.lang}"]
    if row["breakdown"] == "province":
        return common.geo_name(data, FOCUS, fmt, short=True)
    return fmt.pick(("alle groepen (totaal)", "all groups (total)"))


def _gaps_section(data: ReportData, ind: Row, fmt: Fmt, path: str) -> Raw:
    heading = fmt.pick(("Verschillen tussen groepen", "Gaps between groups"))
    figure = figures.gaps_figure(data, ind, fmt)
    micro = figures.microdata_gaps_table(data, ind, fmt)
    if figure is None and micro is None:
        return common.section(
            "gaps",
            heading,
            common.p(
                fmt.pick(
                    (
                        "Voor deze indicator volgt de monitor geen verschillen tussen groepen.",
                        "The monitor follows no gaps between groups for this indicator.",
                    )
                )
            ),
        )
    parts: list[object] = []
    if figure is not None:
        if data.gaps_geo[ind["indicator_id"]] != FOCUS:
            parts.append(
                common.p(
                    fmt.pick(
                        (
                            "Voor Vlaanderen zijn er geen cijfers per groep; hieronder België.",
                            "There are no figures by group for Flanders; Belgium is shown.",
                        )
                    )
                )
            )
        parts += [figure, Raw(_downloads(ind["indicator_id"], fmt, path, "gaps"))]
    if micro is not None:
        parts += [micro, Raw(_downloads(ind["indicator_id"], fmt, path, "microdata-gaps"))]
    return common.section("gaps", heading, *parts)


def age_band(fmt: Fmt, text: str | None) -> str:
    if not text:
        return ""
    if re.fullmatch(r"\d+-\d+|\d+\+", text):
        return fmt.pick((f"{text} jaar", f"aged {text}"))
    return fmt.label("age_bands", text)


def _definition(data: ReportData, ind: Row, fmt: Fmt, sources: list[Row], path: str) -> Raw:
    focus_breaks = sorted(
        {
            r["period_year"]
            for r in data.series.get(ind["indicator_id"], [])
            if r["geo"] == FOCUS and r["is_series_break"]
        }
    )
    filters = json.loads(ind["filters"]) if ind["filters"] else {}
    source_lines = [
        f"{fmt.label('sources', s['source'])}, dataset {s['dataset']}"
        + (f" ({s['url']})" if s["url"] else "")
        for s in sources
    ]
    licences = list(dict.fromkeys(s[f"licence_{fmt.lang}"] or s["licence"] for s in sources))
    items = [
        (("Definitie", "Definition"), ind["definition_" + fmt.lang]),
        (("Eenheid", "Unit"), fmt.unit(ind["unit"])),
        (("Richting", "Direction"), fmt.label("directions", ind["direction"])),
        (("Enquête of register", "Survey or register"), fmt.label("surveys", ind["survey"])),
        (("Referentieperiode", "Reference period"), fmt.label("reference_periods", ind["reference_period"])),
        (("Leeftijd", "Age band"), age_band(fmt, ind["age_band"])),
        (("Inkomensjaar", "Income year"), fmt.label("income_reference", ind["income_reference"])),
        (("Producent", "Producer"), "; ".join(common.producers(fmt, sources))),
        (("Bron", "Source"), "; ".join(source_lines)),
        (("Selectie in de dataset", "Selection in the dataset"), Raw(", ".join(f"<code>{esc(k)}={esc(v)}</code>" for k, v in filters.items()))),
        (("Afgeleid uit", "Derived from"), _derived(data, ind, fmt, path)),
        (("Licentie", "Licence"), "; ".join(licences)),
        (("Methode", "Method notes"), ind["method_notes_" + fmt.lang]),
        (("Breuken in de reeks (Vlaanderen)", "Breaks in series (Flanders)"), ", ".join(map(str, focus_breaks)) or fmt.pick(("geen", "none"))),
        (("Herkomst van het bestand", "Provenance of the file"), _provenance(data, sources, fmt)),
    ]  # fmt: skip
    rows = "".join(
        f"<div><dt>{esc(fmt.pick(label))}</dt><dd>{esc(value)}</dd></div>"
        for label, value in items
        if value
    )
    heading = fmt.pick(("Definitie, bron en methode", "Definition, source and method"))
    return common.section("definition", heading, Raw(f'<dl class="meta">{rows}</dl>'))


FORMULAS = {
    "difference": ("verschil van", "difference of"),
    "ratio": ("verhouding van", "ratio of"),
    "product": ("product van", "product of"),
}


def _derived(data: ReportData, ind: Row, fmt: Fmt, path: str) -> Raw | str:
    """The inputs of a derived indicator, each linked to its own page (source and file there)."""
    if not ind["derived_formula"]:
        return ""
    parts = []
    for item in json.loads(ind["derived_inputs"] or "[]"):
        source = data.indicator(item["indicator"])
        label = common.name(source, fmt.lang) if source else item["indicator"]
        category = data.categories.get(
            (item["indicator"], item.get("breakdown", ""), item.get("category", ""))
        )
        text = esc(label + (f" ({fmt.pick(category)})" if category else ""))
        link = routes.href(path, routes.indicator(item["indicator"], fmt.lang))
        parts.append(f'<a href="{link}">{text}</a>' if source else str(text))
    formula = fmt.pick(FORMULAS[ind["derived_formula"]])
    return Raw(f"{esc(formula)} " + "; ".join(parts))


def _provenance(data: ReportData, sources: list[Row], fmt: Fmt) -> str:
    out = []
    for source in sources:
        snapshot = data.snapshots.get(source["dataset"])
        if not snapshot:
            continue
        mode = fmt.label("snapshot_modes", snapshot["mode"])
        out.append(
            fmt.pick(
                (
                    f"bestand {snapshot['file']}, opgehaald {fmt.moment(snapshot['retrieved_at'])} ({mode}), "
                    f"sha256 {snapshot['sha256'][:16]}…, snapshot {snapshot['snapshot_id']}",
                    f"file {snapshot['file']}, retrieved {fmt.moment(snapshot['retrieved_at'])} ({mode}), "
                    f"sha256 {snapshot['sha256'][:16]}…, snapshot {snapshot['snapshot_id']}",
                )
            )
        )
    return "; ".join(out)
