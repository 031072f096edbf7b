"""An indicator's targets: per target the story in words, every input of the verdict, and
the EU benchmark with the ranking of the member states."""

from __future__ import annotations

from collections import defaultdict

from pipelines.report import routes
from pipelines.report.bars import BarRow, bar_table
from pipelines.report.data import FOCUS, ReportData, Row
from pipelines.report.fmt import Fmt
from pipelines.report.markup import Raw, esc, table
from pipelines.report.pages import common

_METHOD = (
    "We vergelijken de gemiddelde jaarlijkse groei sinds het basisjaar (gemeten groei) met de "
    "groei die nodig is om het doel in het doeljaar te halen (vereiste groei). Groei is hier "
    "relatief: een procent van de waarde zelf, geen procentpunt. De verhouding R is de gemeten "
    "groei gedeeld door de vereiste groei, positief als de indicator de goede kant op gaat. "
    "Na een breuk in de reeks meten we pas vanaf de breuk.",
    "We compare the average yearly growth since the base year (observed growth) with the "
    "growth needed to reach the target in the target year (required growth). Growth is "
    "relative here: a per cent of the value itself, not percentage points. The ratio R is "
    "observed growth divided by required growth, positive when the indicator moves the right "
    "way. After a break in series we measure from the break only.",
)
_METHOD_LINK = ("De methode en haar drempels", "The method and its thresholds")

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
    ("observed_cagr", ("Gemeten groei (relatief, per jaar)", "Observed growth (relative, a year)")),
    (
        "required_cagr",
        ("Vereiste groei (relatief, per jaar)", "Required growth (relative, a year)"),
    ),
    ("ratio", ("Verhouding R", "Ratio R")),
    ("verdict", ("Oordeel", "Verdict")),
    ("reason_code", ("Toelichting", "Note")),
]


def _cell(fmt: Fmt, row: Row, field: str, unit: str | None) -> object:
    value = row[field]
    if field in ("observed_cagr", "required_cagr"):
        return fmt.growth(value)
    if field == "ratio":
        return fmt.num(value, 2)
    if field == "verdict":
        return common.verdict_badge(fmt, value)
    if field == "reason_code":
        return common.progress_reason(fmt, row, unit) or "–"
    if field == "latest_value":
        return fmt.flagged(value, row["latest_flags"], unit)
    if field in ("base_value", "target_level"):
        return fmt.value(value, unit)
    return "–" if value is None else value


def story(fmt: Fmt, row: Row, unit: str | None, geo: str) -> str:
    """One or two sentences: where the area stands, how fast it moved, what that means."""
    verdict = fmt.label("verdicts", row["verdict"])
    if row["latest_value"] is None or row["kind"] == "requested":
        reason = common.progress_reason(fmt, row, unit)
        return f"{geo}: {verdict}" + (f" ({reason})." if reason else ".")
    value = fmt.value(row["latest_value"], unit)
    text = fmt.pick(
        (f"{geo}: {value} in {row['latest_year']}.", f"{geo}: {value} in {row['latest_year']}.")
    )
    if row["observed_cagr"] is not None and row["base_year_used"] is not None:
        since = str(row["base_year_used"])
        if row["break_year"] and row["base_year_used"] == row["break_year"]:
            since += fmt.pick((" (na de breuk in de reeks)", " (after the series break)"))
        text += " " + fmt.pick(
            (
                f"Sinds {since} veranderde de waarde gemiddeld {fmt.growth(row['observed_cagr'])}.",
                f"Since {since} the value changed by {fmt.growth(row['observed_cagr'])} on average.",
            )
        )
    if row["required_cagr"] is not None and row["verdict"] not in ("achieved", "not_achieved"):
        text += " " + fmt.pick(
            (
                f"Om het doel in {row['target_year']} te halen is {fmt.growth(row['required_cagr'])} nodig"
                + (f" (R = {fmt.num(row['ratio'], 2)})." if row["ratio"] is not None else "."),
                f"Reaching the target in {row['target_year']} needs {fmt.growth(row['required_cagr'])}"
                + (f" (R = {fmt.num(row['ratio'], 2)})." if row["ratio"] is not None else "."),
            )
        )
    reason = common.progress_reason(fmt, row, unit)
    if reason and row["reason_code"] != "measured_after_break":
        text += f" {reason[:1].upper()}{reason[1:]}."
    return text + " " + fmt.pick(("Oordeel: ", "Verdict: ")) + verdict + "."


def progress_section(data: ReportData, ind: Row, fmt: Fmt, path: str) -> Raw:
    rows = [r for r in data.progress if r["indicator_id"] == ind["indicator_id"]]
    heading = fmt.pick(("Doelen en vooruitgang", "Targets and progress"))
    if not rows:
        return common.section(
            "progress",
            heading,
            common.p(
                fmt.pick(
                    (
                        "Voor deze indicator is (nog) geen doel vastgelegd.",
                        "No target has been set for this indicator (yet).",
                    )
                )
            ),
        )
    method = routes.href(path, routes.page("method", fmt.lang))
    out: list[object] = [
        Raw(
            f'<p>{esc(fmt.pick(_METHOD))} <a href="{method}">{esc(fmt.pick(_METHOD_LINK))}</a>.</p>'
        )
    ]
    by_target: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_target[row["target_id"]].append(row)
    unit = ind["unit"]
    for target_id, geo_rows in by_target.items():
        first = geo_rows[0]
        title = (
            f"{common.framework(fmt, first['framework'])}: {common.target_text(fmt, first, unit)}"
        )
        out.append(Raw(f'<h3 id="target-{esc(target_id)}">{esc(title)}</h3>'))
        source = fmt.pick(("Bron van het doel", "Source of the target"))
        out.append(common.p(f"{source}: {first[f'citation_{fmt.lang}']}", "citation"))
        if first.get(f"note_{fmt.lang}"):
            out.append(common.p(first[f"note_{fmt.lang}"]))
        stories = []
        for r in geo_rows:
            geo = common.geo_name(data, r["geo"], fmt, short=True)
            sentence = story(fmt, r, r["unit"] or unit, geo)
            why = common.disagreement(
                fmt, r, data.latest.get((ind["indicator_id"], r["geo"])), ind["direction"], ""
            )
            stories.append(f"<li>{esc(sentence)}" + (f" {esc(why)}" if why else "") + "</li>")
        out.append(Raw(f'<ul class="stories">{"".join(stories)}</ul>'))
        head = [fmt.pick(("Berekening", "Calculation"))] + [
            common.geo_name(data, r["geo"], fmt, short=True) for r in geo_rows
        ]
        body = [
            [fmt.pick(label)] + [_cell(fmt, r, f, r["unit"] or unit) for r in geo_rows]
            for f, label in _FIELDS
        ]
        caption = fmt.pick(("Invoer van het oordeel", "Inputs of the verdict")) + f": {title}"
        out.append(
            Raw(
                '<details class="inputs"><summary>'
                + esc(fmt.pick(("Alle invoer van de berekening", "Every input of the calculation")))
                + f"</summary>{table(caption, head, body, cls='data progress')}</details>"
            )
        )
    return common.section("progress", heading, *out)


def benchmark_section(data: ReportData, ind: Row, fmt: Fmt, path: str) -> Raw:
    heading = fmt.pick(("Tegenover de EU-lidstaten", "Compared with the EU member states"))
    method = routes.href(path, routes.page("method", fmt.lang) + "#classes")
    intro = Raw(
        "<p>"
        + esc(
            fmt.pick(
                (
                    "Indeling volgens het sociale scorebord van de EU: het niveau en de verandering "
                    "tegenover het gemiddelde van de lidstaten.",
                    "Classes of the EU Social Scoreboard: the level and the change against the "
                    "member states' average.",
                )
            )
        )
        + f' <a href="{method}">{esc(fmt.pick(("Wat de klassen betekenen", "What the classes mean")))}</a>.</p>'
    )
    unit = ind["unit"]
    rows = []
    for geo in (FOCUS, "BE"):
        row = data.benchmark.get((ind["indicator_id"], geo))
        if not row:
            continue
        symbol = unit in ("pct",)  # a short unit fits every cell; others go in the caption
        rows.append(
            [
                common.geo_name(data, geo, fmt, short=True),
                row["year"],
                fmt.flagged(row["value"], row["flags"], unit, symbol),
                common.eu_position(fmt, data, row),
                *(
                    fmt.value(row[key], unit, symbol)
                    for key in (
                        "mean_level",
                        "value_eu27",
                        "value_nl",
                        "value_de",
                        "value_fr",
                        "value_lu",
                        "mean_nordic",
                    )
                ),
            ]
        )
    parts: list[object] = [intro]
    if rows:
        head = fmt.pick(
            (
                ["Gebied", "Jaar", "Waarde", "Klasse en plaats", "Gemiddelde lidstaten", "EU-27",
                 "NL", "DE", "FR", "LU", "Noordse landen"],
                ["Area", "Year", "Value", "Class and rank", "Member states' mean", "EU-27",
                 "NL", "DE", "FR", "LU", "Nordic countries"],
            )
        )  # fmt: skip
        parts.append(table(f"{heading} ({fmt.unit(unit)})", head, rows))
        if any(
            (data.benchmark.get((ind["indicator_id"], geo)) or {}).get("yoy_across_break")
            for geo in (FOCUS, "BE")
        ):
            mark = "yoy_across_break"
            parts.append(
                common.p(
                    f"{fmt.label('benchmark_marks', mark).capitalize()}: "
                    f"{fmt.help('benchmark_marks', mark)}",
                    "caveat",
                )
            )
        if any(r[0] == common.geo_name(data, FOCUS, fmt, short=True) for r in rows):
            parts.append(common.region_caveat(fmt))
    else:
        parts.append(
            common.p(fmt.pick(("Geen vergelijking beschikbaar.", "No comparison available.")))
        )
    ranking = ranking_figure(data, ind, fmt)
    if ranking is not None:
        parts.append(ranking)
    return common.section("benchmark", heading, *parts)


def ranking_figure(data: ReportData, ind: Row, fmt: Fmt) -> Raw | None:
    """The member states of the latest year ranked best first, Flanders and Belgium marked,
    the EU-27 as a reference row."""
    rows = data.ranking.get(ind["indicator_id"])
    if not rows:
        return None
    up = ind["direction"] == "up"
    ordered = sorted(rows, key=lambda r: (-r["value"] if up else r["value"], not r["is_eu_member"]))
    year, unit = rows[0]["year"], ind["unit"]
    bar_rows = []
    for r in ordered:
        region = not r["is_eu_member"]
        if r["geo"] == "EU27_2020":
            rank, mark = "–", "reference"
        elif region:
            rank, mark = (
                f"({min(r['rank_among_members'], r['n_members'] + 1)}){common.REGION_MARK}",
                "focus",
            )
        else:
            rank, mark = str(r["rank_among_members"]), "peer" if r["geo"] == "BE" else ""
        name = common.geo_name(data, r["geo"], fmt, short=r["geo"] in ("BE2", "EU27_2020"))
        bar_rows.append(
            BarRow((name, rank, fmt.flagged(r["value"], r["flags"], unit)), r["value"], mark)
        )
    n = sum(r["is_eu_member"] for r in rows)
    caption = fmt.pick(
        (
            f"De {n} lidstaten in {year}, {'hoogste' if up else 'laagste'} waarde eerst ({fmt.label('directions', ind['direction'])}); Vlaanderen en België gemarkeerd",
            f"The {n} member states in {year}, {'highest' if up else 'lowest'} value first ({fmt.label('directions', ind['direction'])}); Flanders and Belgium marked",
        )
    )
    head = fmt.pick((["Gebied", "Plaats", "Waarde"], ["Area", "Rank", "Value"]))
    figure = bar_table(caption, head, bar_rows, fmt.pick(("Staaf", "Bar")), cls="ranking")
    heading = fmt.pick(("Rangschikking van de lidstaten", "Ranking of the member states"))
    return Raw(f'<h3 id="ranking">{esc(heading)}</h3>{figure}')
