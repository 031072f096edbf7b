"""An indicator's targets with every input of the progress verdict, and its EU benchmark."""

from __future__ import annotations

from collections import defaultdict

from pipelines.report import i18n
from pipelines.report.data import ReportData, Row
from pipelines.report.markup import Raw, esc, join, table
from pipelines.report.pages import common

_METHOD = (
    "Hoe komen we tot het oordeel? We berekenen de gemiddelde jaarlijkse groei sinds het basisjaar "
    "(gemeten groei) en de jaarlijkse groei die nodig is om het doel in het doeljaar te halen "
    "(vereiste groei). De verhouding R is de gemeten groei gedeeld door de vereiste groei, met een "
    "plusteken als de indicator de goede kant op gaat. Na een breuk in de reeks meten we pas vanaf "
    "de breuk. Bij een doel dat enkel een richting geeft, telt alleen de gemeten groei. "
    "Methode: Eurostat, SDG-monitoring.",
    "How do we reach the verdict? We compute the average yearly growth since the base year "
    "(observed growth) and the yearly growth needed to reach the target in the target year "
    "(required growth). The ratio R is observed growth divided by required growth, positive when "
    "the indicator moves the right way. After a break in series we measure from the break only. "
    "For a goal that only gives a direction, only the observed growth counts. "
    "Method: Eurostat SDG monitoring.",
)

_FIELDS = [
    ("requested_base_year", ("Basisjaar van het doel", "Base year of the target")),
    ("base_year_used", ("Basisjaar gebruikt", "Base year used")),
    ("base_value", ("Waarde in het basisjaar", "Value in the base year")),
    ("latest_year", ("Laatste jaar", "Latest year")),
    ("latest_value", ("Laatste waarde", "Latest value")),
    ("target_level", ("Doelwaarde", "Target value")),
    ("target_year", ("Doeljaar", "Target year")),
    ("break_year", ("Breuk in de reeks", "Break in series")),
    ("points_used", ("Aantal cijfers gebruikt", "Figures used")),
    ("observed_cagr", ("Gemeten groei per jaar", "Observed growth per year")),
    ("required_cagr", ("Vereiste groei per jaar", "Required growth per year")),
    ("ratio", ("Verhouding R", "Ratio R")),
    ("verdict", ("Oordeel", "Verdict")),
    ("reason", ("Toelichting", "Note")),
]


def _cell(row: Row, field: str, lang: str) -> object:
    value, unit = row[field], row["unit"]
    if field in ("observed_cagr", "required_cagr"):
        return i18n.percent(value, lang)
    if field == "ratio":
        return i18n.number(value, lang, 2)
    if field == "verdict":
        return common.verdict_badge(value, lang)
    if field == "reason":
        return i18n.reason(value, lang) or "–"
    if field == "latest_value":
        return common.flagged(value, row["latest_flags"], unit, lang)
    if field in ("base_value", "target_level"):
        return i18n.value_text(value, unit, lang)
    return "–" if value is None else value


def progress_section(data: ReportData, ind: Row, lang: str) -> Raw:
    rows = [r for r in data.progress if r["indicator_id"] == ind["indicator_id"]]
    heading = i18n.pick(("Doelen en vooruitgang", "Targets and progress"), lang)
    out = [f'<section aria-labelledby="progress"><h2 id="progress">{esc(heading)}</h2>']
    if not rows:
        out.append(
            str(
                common.p(
                    i18n.pick(
                        (
                            "Voor deze indicator is (nog) geen doel vastgelegd.",
                            "No target has been set for this indicator (yet).",
                        ),
                        lang,
                    )
                )
            )
        )
        return Raw("\n".join(out + ["</section>"]))
    out.append(str(common.p(i18n.pick(_METHOD, lang))))
    by_target: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_target[row["target_id"]].append(row)
    for target_id, geo_rows in by_target.items():
        first = geo_rows[0]
        title = f"{i18n.framework(first['framework'], lang)}: {common.target_text(first, lang)}"
        out.append(f'<h3 id="target-{esc(target_id)}">{esc(title)}</h3>')
        source = i18n.pick(("Bron van het doel", "Source of the target"), lang)
        out.append(
            f'<p class="citation">{esc(source)}: {common.foreign(first["citation"], lang)}</p>'
        )
        if first.get("note"):
            out.append(f"<p>{common.foreign(first['note'], lang)}</p>")
        head = [i18n.pick(("Berekening", "Calculation"), lang)] + [
            common.geo_name(data, r["geo"], lang, short=True) for r in geo_rows
        ]
        body = [
            [i18n.pick(label, lang)] + [_cell(r, f, lang) for r in geo_rows] for f, label in _FIELDS
        ]
        caption = (
            i18n.pick(("Invoer van het oordeel", "Inputs of the verdict"), lang) + f": {title}"
        )
        out.append(str(table(caption, head, body, cls="data progress")))
    out.append("</section>")
    return Raw("\n".join(out))


def benchmark_section(data: ReportData, ind: Row, lang: str) -> Raw:
    heading = i18n.pick(("Tegenover de EU-lidstaten", "Compared with the EU member states"), lang)
    intro = i18n.pick(
        (
            "Indeling volgens het sociale scorebord van de EU: het niveau en de verandering tegenover het gemiddelde van de lidstaten.",
            "Classes of the EU Social Scoreboard: the level and the change against the member states' average.",
        ),
        lang,
    )
    unit = ind["unit"]
    rows = []
    for geo in ("BE2", "BE"):
        row = data.benchmark.get((ind["indicator_id"], geo))
        if not row:
            continue
        rows.append(
            [
                common.geo_name(data, geo, lang, short=True),
                row["year"],
                common.flagged(row["value"], row["flags"], unit, lang),
                common.benchmark_text(row, lang),
                i18n.value_text(row["mean_level"], unit, lang),
                i18n.value_text(row["value_eu27"], unit, lang),
                i18n.value_text(row["value_nl"], unit, lang),
                i18n.value_text(row["value_de"], unit, lang),
                i18n.value_text(row["value_fr"], unit, lang),
                i18n.value_text(row["value_lu"], unit, lang),
                i18n.value_text(row["mean_nordic"], unit, lang),
            ]
        )
    parts = [
        Raw(f'<section aria-labelledby="benchmark"><h2 id="benchmark">{esc(heading)}</h2>'),
        common.p(intro),
    ]
    if rows:
        head = i18n.pick(
            (
                [
                    "Gebied",
                    "Jaar",
                    "Waarde",
                    "Klasse",
                    "Gemiddelde lidstaten",
                    "EU-27",
                    "NL",
                    "DE",
                    "FR",
                    "LU",
                    "Noordse landen",
                ],
                [
                    "Area",
                    "Year",
                    "Value",
                    "Class",
                    "Member states' mean",
                    "EU-27",
                    "NL",
                    "DE",
                    "FR",
                    "LU",
                    "Nordic countries",
                ],
            ),
            lang,
        )
        parts.append(table(heading, head, rows))
    else:
        parts.append(
            common.p(
                i18n.pick(("Geen vergelijking beschikbaar.", "No comparison available."), lang)
            )
        )
    parts.append(Raw("</section>"))
    return join(parts)
