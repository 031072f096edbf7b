"""The scoreboard: every goal with its latest value, verdict, trend and EU benchmark class."""

from __future__ import annotations

from pipelines.report import i18n, routes
from pipelines.report.data import ReportData
from pipelines.report.markup import Frame, Raw, esc, join, page, table, tag
from pipelines.report.pages import common

_DOMAIN_ORDER = list(i18n.DOMAINS)
_GROUP_ORDER = ["vl", "be", "eu", "other"]
_GEO_ORDER = ["BE2", "BE", "EU27_2020"]

_TEXT = {
    "nl": {
        "title": "Doelen in één oogopslag",
        "intro": "Per beleidsdoel ziet u de laatste waarde, het doel, ons oordeel over de vooruitgang, de richting van de laatste verandering en hoe Vlaanderen of België scoort tegenover de EU-lidstaten. Klik op een indicator voor de grafiek, de definitie en de berekening.",
        "legend": "Wat betekent het oordeel?",
        "filters": "Doelen filteren",
        "domain": "Domein",
        "framework": "Kader",
        "all_domains": "alle domeinen",
        "all_frameworks": "alle kaders",
        "status": "{shown} van {total} doelen getoond",
        "caption": "Alle doelen met hun laatste waarde en oordeel",
        "head": [
            "Doel",
            "Kader",
            "Indicator",
            "Gebied",
            "Laatste waarde",
            "Oordeel",
            "Trend",
            "Tegenover de EU-lidstaten",
        ],
        "no_indicator": "nog geen indicator in de monitor",
        "all": "Alle indicatoren",
        "all_intro": "Elke indicator heeft een eigen pagina, ook als er (nog) geen doel voor is.",
        "flanders": "Vlaanderen",
    },
    "en": {
        "title": "Goals at a glance",
        "intro": "For every policy goal: the latest value, the target, our verdict on progress, the direction of the latest change and how Flanders or Belgium compares with the EU member states. Open an indicator for its chart, definition and calculation.",
        "legend": "What does the verdict mean?",
        "filters": "Filter the goals",
        "domain": "Domain",
        "framework": "Framework",
        "all_domains": "all domains",
        "all_frameworks": "all frameworks",
        "status": "{shown} of {total} goals shown",
        "caption": "All goals with their latest value and verdict",
        "head": [
            "Goal",
            "Framework",
            "Indicator",
            "Area",
            "Latest value",
            "Verdict",
            "Trend",
            "Compared with the EU member states",
        ],
        "no_indicator": "no indicator in the monitor yet",
        "all": "All indicators",
        "all_intro": "Every indicator has its own page, also when it has no target (yet).",
        "flanders": "Flanders",
    },
}

_VERDICT_HELP = {
    "achieved": ("Het doel is al bereikt.", "The target has been reached."),
    "on_track": (
        "De groei sinds het basisjaar is groot genoeg om het doel op tijd te halen.",
        "Growth since the base year is enough to reach the target in time.",
    ),
    "moderate_progress": (
        "Het gaat de goede kant op, maar te traag om het doel op tijd te halen.",
        "Moving the right way, but too slowly to reach the target in time.",
    ),
    "insufficient_progress": (
        "Er is amper vooruitgang; zo wordt het doel niet gehaald.",
        "Hardly any progress; at this pace the target will not be reached.",
    ),
    "moving_away": (
        "De indicator beweegt weg van het doel.",
        "The indicator moves away from the target.",
    ),
    "not_achieved": (
        "Het doeljaar is voorbij en het doel is niet gehaald.",
        "The target year has passed and the target was not reached.",
    ),
    "not_assessable": (
        "Te weinig vergelijkbare cijfers, of er is nog geen cijfer als doel.",
        "Too few comparable figures, or no figure has been set as target.",
    ),
}


def render(data: ReportData, frame: Frame, lang: str) -> dict[str, str]:
    text = _TEXT[lang]
    path = routes.page("overview", lang)
    body = join(
        [
            common.p(text["intro"]),
            _legend(lang),
            _filters(data, lang),
            _scoreboard(data, lang, path),
            _all_indicators(data, lang, path),
        ]
    )
    other = "en" if lang == "nl" else "nl"
    html = page(
        frame,
        lang=lang,
        path=path,
        title=text["title"],
        body=body,
        nav_key="overview",
        other_path=routes.page("overview", other),
        scripts=[routes.JS],
    )
    return {path: html}


def _legend(lang: str) -> Raw:
    items = "".join(
        f"<div><dt>{common.verdict_badge(code, lang)}</dt><dd>{esc(i18n.pick(help_, lang))}</dd></div>"
        for code, help_ in _VERDICT_HELP.items()
    )
    return Raw(
        f'<details class="legend-box"><summary>{esc(_TEXT[lang]["legend"])}</summary>'
        f'<dl class="verdict-legend">{items}</dl></details>'
    )


def _filters(data: ReportData, lang: str) -> Raw:
    """Controls the script reveals; without JavaScript they stay hidden and all rows show."""
    text = _TEXT[lang]
    domains = "".join(tag("option", common.domain_label(d, lang), value=d) for d in _DOMAIN_ORDER)
    groups = sorted(
        {common.framework_group(r["applies_to"]) for r in data.progress},
        key=lambda g: _GROUP_ORDER.index(g[0]),
    )
    frameworks = "".join(tag("option", i18n.pick(g[1:], lang), value=g[0]) for g in groups)
    return Raw(
        f'<form class="filters" data-filter hidden><fieldset><legend>{esc(text["filters"])}</legend>'
        f'<label for="filter-domain">{esc(text["domain"])}</label>'
        f'<select id="filter-domain" data-filter-key="domain"><option value="">{esc(text["all_domains"])}</option>{domains}</select>'
        f'<label for="filter-framework">{esc(text["framework"])}</label>'
        f'<select id="filter-framework" data-filter-key="framework"><option value="">{esc(text["all_frameworks"])}</option>{frameworks}</select>'
        f'</fieldset><p class="filter-status" data-filter-status data-template="{esc(text["status"])}" aria-live="polite"></p></form>'
    )


def _sort_key(data: ReportData, row) -> tuple:
    ind = data.indicator(row["indicator_id"])
    domain = ind["domain"] if ind else ""
    order = [i["indicator_id"] for i in data.indicators]
    return (
        _DOMAIN_ORDER.index(domain) if domain in _DOMAIN_ORDER else 9,
        order.index(row["indicator_id"]) if ind else 99,
        _GROUP_ORDER.index(common.framework_group(row["applies_to"])[0]),
        row["target_id"],
        _GEO_ORDER.index(row["geo"]) if row["geo"] in _GEO_ORDER else 9,
    )


def _scoreboard(data: ReportData, lang: str, path: str) -> Raw:
    text = _TEXT[lang]
    rows, attrs = [], []
    for row in sorted(data.progress, key=lambda r: _sort_key(data, r)):
        ind = data.indicator(row["indicator_id"])
        if ind:
            link = routes.href(path, routes.indicator(ind["indicator_id"], lang))
            indicator_cell = Raw(f'<a href="{link}">{esc(common.name(ind, lang))}</a>')
        else:
            indicator_cell = Raw(
                f"{esc(row['indicator_id'])} <em>({esc(text['no_indicator'])})</em>"
            )
        unit = row["unit"] or (ind["unit"] if ind else "")
        latest = common.flagged(row["latest_value"], row["latest_flags"], unit, lang)
        if row["latest_year"]:
            latest = Raw(f'{latest} <span class="year">({row["latest_year"]})</span>')
        key = (row["indicator_id"], row["geo"])
        rows.append(
            [
                common.target_text(row, lang),
                i18n.framework(row["framework"], lang),
                indicator_cell,
                common.geo_name(data, row["geo"], lang, short=True),
                latest,
                common.verdict_badge(row["verdict"], lang),
                common.trend(data.latest.get(key), ind["direction"] if ind else None, lang),
                "–"
                if row["geo"] == "EU27_2020"
                else common.benchmark_text(data.benchmark.get(key), lang),
            ]
        )
        attrs.append(
            {
                "data_domain": ind["domain"] if ind else "",
                "data_framework": common.framework_group(row["applies_to"])[0],
                "data_verdict": row["verdict"],
            }
        )
    rendered = table(text["caption"], text["head"], rows, row_attrs=attrs, cls="data scoreboard")
    return Raw(rendered.replace("<tbody>", "<tbody data-filter-rows>", 1))


def _all_indicators(data: ReportData, lang: str, path: str) -> Raw:
    text = _TEXT[lang]
    parts = [
        f'<section aria-labelledby="all-indicators"><h2 id="all-indicators">{esc(text["all"])}</h2>',
        str(common.p(text["all_intro"])),
    ]
    for domain in _DOMAIN_ORDER:
        items = []
        for ind in (i for i in data.indicators if i["domain"] == domain):
            link = routes.href(path, routes.indicator(ind["indicator_id"], lang))
            latest = data.latest.get((ind["indicator_id"], "BE2"))
            value = (
                f" — {text['flanders']} {latest['latest_period']}: "
                f"{common.flagged(latest['latest_value'], latest['latest_flags'], ind['unit'], lang)}"
                if latest and latest["latest_value"] is not None
                else ""
            )
            items.append(f'<li><a href="{link}">{esc(common.name(ind, lang))}</a>{value}</li>')
        parts.append(
            f'<h3>{esc(common.domain_label(domain, lang))}</h3><ul class="indicator-list">{"".join(items)}</ul>'
        )
    parts.append("</section>")
    return Raw("\n".join(parts))
