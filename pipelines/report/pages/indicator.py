"""One page per indicator: charts, targets and progress, benchmark, definition and source."""

from __future__ import annotations

import json

from pipelines.report import i18n, routes
from pipelines.report.data import FOCUS, ReportData, Row
from pipelines.report.markup import Frame, Raw, esc, join, page
from pipelines.report.pages import common, figures, progress


def render(data: ReportData, frame: Frame, lang: str) -> dict[str, str]:
    out = {}
    other = "en" if lang == "nl" else "nl"
    for ind in data.indicators:
        path = routes.indicator(ind["indicator_id"], lang)
        body = join(
            [
                _summary(data, ind, lang),
                _chart_section(data, ind, lang, path),
                progress.progress_section(data, ind, lang),
                progress.benchmark_section(data, ind, lang),
                _gaps_section(data, ind, lang),
                _definition(data, ind, lang),
            ]
        )
        out[path] = page(
            frame,
            lang=lang,
            path=path,
            title=common.name(ind, lang),
            body=body,
            nav_key=None,
            other_path=routes.indicator(ind["indicator_id"], other),
        )
    return out


def _summary(data: ReportData, ind: Row, lang: str) -> Raw:
    latest = data.latest.get((ind["indicator_id"], FOCUS))
    parts = [
        f'<p class="lead">{esc(ind["definition_" + lang])}</p>',
        f'<p class="domain">{esc(i18n.pick(("Domein", "Domain"), lang))}: {esc(common.domain_label(ind["domain"], lang))}</p>',
    ]
    if latest and latest["latest_value"] is not None:
        value = common.flagged(latest["latest_value"], latest["latest_flags"], ind["unit"], lang)
        parts.append(
            f'<p class="headline">{esc(i18n.pick(("Vlaanderen", "Flanders"), lang))}, {esc(latest["latest_period"])}: '
            f"<strong>{value}</strong> · {common.trend(latest, ind['direction'], lang)}</p>"
        )
    return Raw("\n".join(parts))


def _chart_section(data: ReportData, ind: Row, lang: str, path: str) -> Raw:
    heading = i18n.pick(("Vlaanderen vergeleken", "Flanders compared"), lang)
    figure = figures.series_figure(data, ind, lang)
    parts = [f'<section aria-labelledby="series"><h2 id="series">{esc(heading)}</h2>']
    if figure is None:
        parts.append(
            str(
                common.p(
                    i18n.pick(
                        (
                            "Er zijn nog geen cijfers voor deze indicator.",
                            "There are no figures for this indicator yet.",
                        ),
                        lang,
                    )
                )
            )
        )
    else:
        parts.append(str(figure))
        parts.append(_downloads(ind["indicator_id"], lang, path, "series"))
    parts.append("</section>")
    return Raw("\n".join(parts))


def _gaps_section(data: ReportData, ind: Row, lang: str) -> Raw:
    heading = i18n.pick(("Verschillen tussen groepen", "Gaps between groups"), lang)
    figure = figures.gaps_figure(data, ind, lang)
    micro = figures.microdata_gaps_table(data, ind, lang)
    parts = [f'<section aria-labelledby="gaps"><h2 id="gaps">{esc(heading)}</h2>']
    if figure is None and micro is not None:
        pass  # only the microdata table below
    elif figure is None:
        parts.append(
            str(
                common.p(
                    i18n.pick(
                        (
                            "Voor deze indicator volgt de monitor geen verschillen tussen groepen.",
                            "The monitor follows no gaps between groups for this indicator.",
                        ),
                        lang,
                    )
                )
            )
        )
    else:
        if data.gaps_geo[ind["indicator_id"]] != FOCUS:
            parts.append(
                str(
                    common.p(
                        i18n.pick(
                            (
                                "Voor Vlaanderen zijn er geen cijfers per groep; hieronder België.",
                                "There are no figures by group for Flanders; Belgium is shown.",
                            ),
                            lang,
                        )
                    )
                )
            )
        parts.append(str(figure))
        parts.append(
            _downloads(
                ind["indicator_id"], lang, routes.indicator(ind["indicator_id"], lang), "gaps"
            )
        )
    if micro is not None:
        parts.append(str(micro))
    parts.append("</section>")
    return Raw("\n".join(parts))


def _downloads(ind_id: str, lang: str, path: str, chart: str) -> str:
    label = i18n.pick(("Download wat de grafiek toont", "Download what the chart shows"), lang)
    csv_link = routes.href(path, routes.download(f"{ind_id}-{chart}.csv"))
    xlsx_link = routes.href(path, routes.download(f"{ind_id}.xlsx"))
    xlsx_text = i18n.pick(
        ("Excel (beide grafieken en de doelen)", "Excel (both charts and the targets)"), lang
    )
    return (
        f'<p class="downloads">{esc(label)}: <a href="{csv_link}" download>CSV</a> · '
        f'<a href="{xlsx_link}" download>{esc(xlsx_text)}</a></p>'
    )


def _definition(data: ReportData, ind: Row, lang: str) -> Raw:
    pick = lambda pair: i18n.pick(pair, lang)  # noqa: E731
    direction = pick(
        ("hoger is beter", "higher is better")
        if ind["direction"] == "up"
        else ("lager is beter", "lower is better")
    )
    income = {
        "previous_year": pick(
            (
                "het inkomen gaat over het jaar vóór het enquêtejaar",
                "income refers to the year before the survey year",
            )
        ),
        "same_year": pick(("zelfde jaar", "same year")),
    }.get(ind["income_reference"], ind["income_reference"])
    focus_breaks = sorted(
        {
            r["period_year"]
            for r in data.series.get(ind["indicator_id"], [])
            if r["geo"] == FOCUS and r["is_series_break"]
        }
    )
    filters = json.loads(ind["filters"]) if ind["filters"] else {}
    snapshot = data.snapshots.get(ind["dataset"] or "")
    items = [
        (("Definitie", "Definition"), ind["definition_" + lang]),
        (("Eenheid", "Unit"), i18n.unit_label(ind["unit"], lang)),
        (("Richting", "Direction"), direction),
        (("Enquête", "Survey"), common.foreign(ind["survey"], lang)),
        (
            ("Referentieperiode", "Reference period"),
            i18n.reference_period(ind["reference_period"], lang),
        ),
        (("Leeftijd", "Age band"), i18n.age_band(ind["age_band"], lang)),
        (("Inkomensjaar", "Income year"), income),
        (("Producent", "Producer"), common.foreign(ind["producer"], lang)),
        (
            ("Bron", "Source"),
            f"Eurostat, dataset {ind['dataset']}"
            + (f" ({ind['dataset_url']})" if ind["dataset_url"] else "")
            if ind["dataset"]
            else "",
        ),
        (
            ("Selectie in de dataset", "Selection in the dataset"),
            ", ".join(f"{k}={v}" for k, v in filters.items()),
        ),
        (("Afgeleid uit", "Derived from"), _derived(data, ind, lang)),
        (("Licentie", "Licence"), common.foreign(ind["licence"], lang)),
        (("Methode", "Method notes"), ind["method_notes_" + lang]),
        (
            ("Breuken in de reeks (Vlaanderen)", "Breaks in series (Flanders)"),
            ", ".join(map(str, focus_breaks)) or pick(("geen", "none")),
        ),
        (("Herkomst van het bestand", "Provenance of the file"), _provenance(snapshot, lang)),
    ]
    rows = "".join(
        f"<div><dt>{esc(pick(label))}</dt><dd>{esc(value)}</dd></div>"
        for label, value in items
        if value
    )
    heading = pick(("Definitie, bron en methode", "Definition, source and method"))
    return Raw(
        f'<section aria-labelledby="definition"><h2 id="definition">{esc(heading)}</h2><dl class="meta">{rows}</dl></section>'
    )


FORMULAS = {
    "difference": ("verschil van", "difference of"),
    "ratio": ("verhouding van", "ratio of"),
}


def _derived(data: ReportData, ind: Row, lang: str) -> Raw | str:
    """The inputs of a derived indicator, each linked to its own page (source and file there)."""
    if not ind["derived_formula"]:
        return ""
    path = routes.indicator(ind["indicator_id"], lang)
    parts = []
    for item in json.loads(ind["derived_inputs"] or "[]"):
        source = data.indicator(item["indicator"])
        label = common.name(source, lang) if source else item["indicator"]
        category = data.categories.get(
            (item["indicator"], item.get("breakdown", ""), item.get("category", ""))
        )
        text = esc(label + (f" ({i18n.pick(category, lang)})" if category else ""))
        link = routes.href(path, routes.indicator(item["indicator"], lang))
        parts.append(f'<a href="{link}">{text}</a>' if source else str(text))
    formula = FORMULAS.get(ind["derived_formula"], (ind["derived_formula"],) * 2)
    return Raw(f"{esc(i18n.pick(formula, lang))} " + "; ".join(parts))


def _provenance(snapshot: Row | None, lang: str) -> str:
    if not snapshot:
        return ""
    retrieved = i18n.moment(snapshot["retrieved_at"], lang)
    return i18n.pick(
        (
            f"bestand {snapshot['file']}, opgehaald {retrieved} ({snapshot['mode']}), sha256 {snapshot['sha256'][:16]}…, snapshot {snapshot['snapshot_id']}",
            f"file {snapshot['file']}, retrieved {retrieved} ({snapshot['mode']}), sha256 {snapshot['sha256'][:16]}…, snapshot {snapshot['snapshot_id']}",
        ),
        lang,
    )
