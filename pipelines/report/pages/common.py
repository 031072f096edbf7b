"""Pieces several pages share: names, verdict badges, trends, targets, EU positions, the
reasons of a verdict, the flag legend and the page document with its sources footer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pipelines.report import routes
from pipelines.report.data import ReportData, Row
from pipelines.report.fmt import Fmt
from pipelines.report.markup import Frame, Raw, esc, icon, page

SHORT_GEO = {"BE2": ("Vlaanderen", "Flanders"), "EU27_2020": ("EU-27", "EU-27")}
OPERATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}
# how a verdict looks (the word comes from the vocabulary): tone for the colour, icon
VERDICT_STYLE = {
    "achieved": ("good", "check"),
    "on_track": ("good", "up"),
    "moderate_progress": ("mid", "half"),
    "insufficient_progress": ("weak", "minus"),
    "moving_away": ("bad", "down"),
    "not_achieved": ("bad", "cross"),
    "not_assessable": ("none", "question"),
}
STABLE_CHANGE = 0.05  # a change smaller than this (in the indicator's unit) reads as stable
REGION_MARK = "*"


def name(row: Row, lang: str) -> str:
    return row[f"name_{lang}"]


def geo_name(data: ReportData, geo: str, fmt: Fmt, short: bool = False) -> str:
    if short and geo in SHORT_GEO:
        return fmt.pick(SHORT_GEO[geo])
    row = data.geos.get(geo)
    return row[f"name_{fmt.lang}"] if row else geo


def p(text: object, cls: str | None = None) -> Raw:
    return Raw(f'<p class="{cls}">{esc(text)}</p>' if cls else f"<p>{esc(text)}</p>")


def section(section_id: str, heading: object, *parts: object) -> Raw:
    """A <section> named by its <h2>."""
    body = "\n".join(str(esc(part)) for part in parts)
    return Raw(
        f'<section aria-labelledby="{section_id}"><h2 id="{section_id}">{esc(heading)}</h2>'
        f"{body}</section>"
    )


def foreign(text: str | None, text_lang: str, fmt: Fmt) -> Raw:
    """Text in one language only (a delivered note, a GX description), marked as such."""
    if not text:
        return Raw("")
    return (
        esc(text) if text_lang == fmt.lang else Raw(f'<span lang="{text_lang}">{esc(text)}</span>')
    )


# -- verdicts and trends ----------------------------------------------------------------
def verdict_badge(fmt: Fmt, code: str | None) -> Raw:
    """Colour, icon and word: the verdict never rests on colour alone."""
    code = code or "not_assessable"
    tone, icon_name = VERDICT_STYLE.get(code, ("none", "question"))
    word = fmt.label("verdicts", code)
    return Raw(
        f'<span class="verdict tone-{tone}" data-verdict="{esc(code)}">{icon(icon_name)}'
        f"<span>{esc(word)}</span></span>"
    )


def trend_code(latest: Row | None, direction: str | None) -> str | None:
    """up_favourable, down_unfavourable, stable ... (None without two values)."""
    if not latest or latest["change_since_previous"] is None:
        return None
    change = latest["change_since_previous"]
    if abs(change) < STABLE_CHANGE:
        return "stable"
    rising = change > 0
    good = rising == (direction == "up")
    return f"{'up' if rising else 'down'}_{'favourable' if good else 'unfavourable'}"


def trend(fmt: Fmt, latest: Row | None, direction: str | None, unit: str | None) -> Raw:
    """Arrow, words, the change and its window: 'daalt, gunstig: −0,4 procentpunt (2023–2024)'."""
    code = trend_code(latest, direction)
    if code is None or latest is None:
        return esc("–")
    arrow = {"stable": "flat"}.get(code, code.split("_")[0])
    tone = "flat" if code == "stable" else "good" if code.endswith("_favourable") else "bad"
    window = f"{latest['previous_period']}–{latest['latest_period']}"
    text = f"{fmt.label('trends', code)}: {fmt.change(latest['change_since_previous'], unit)} ({window})"
    if latest["break_since_previous"]:
        text += ", " + fmt.label("flags", "b")
    return Raw(f'<span class="trend trend-{tone}">{icon(arrow)}<span>{esc(text)}</span></span>')


def target_text(fmt: Fmt, row: Row, indicator_unit: str | None = None) -> str:
    """'≥ 78,0 % in 2030', a change in a count, a direction or 'requested'."""
    kind = row["kind"]
    unit = row["unit"] or indicator_unit
    if kind == "requested":
        return fmt.label("target_kinds", "requested")
    if kind == "direction":
        down = row["desired_direction"] == "down"
        return fmt.pick(
            ("richting: dalen", "direction: down")
            if down
            else ("richting: stijgen", "direction: up")
        )
    op = OPERATORS.get(row["operator"], row["operator"] or "")
    if kind == "count_change":
        change = fmt.change(row["target_value"], unit, whole=True)
        level = fmt.value(row["target_level"], unit, with_unit=False)
        base, year = row["target_base_year"], row["target_year"]
        return fmt.pick(
            (
                f"{change} tegenover {base} ({op} {level}) in {year}",
                f"{change} versus {base} ({op} {level}) by {year}",
            )
        )
    when = fmt.pick((f"in {row['target_year']}", f"by {row['target_year']}"))
    return f"{op} {fmt.value(row['target_value'], unit)} {when}"


def framework(fmt: Fmt, name_: str) -> str:
    return fmt.label("frameworks", name_)


def progress_reason(fmt: Fmt, row: Row, unit: str | None) -> str:
    """The verdict's reason in the page's language, from its code and the row's columns."""
    code = row.get("reason_code")
    if not code:
        return ""
    values = {
        "latest_value": fmt.value(row["latest_value"], unit),
        "target_level": fmt.value(row["target_level"], unit),
    }
    for key in (
        "min_points",
        "target_year",
        "latest_year",
        "target_base_year",
        "requested_base_year",
        "base_year_used",
        "break_year",
    ):
        values[key] = "–" if row.get(key) is None else str(row[key])
    return fmt.template("progress_reasons", code, values)


def verdict_window(row: Row) -> str | None:
    """'2021–2024': the years the verdict's growth was measured over."""
    if row["base_year_used"] is None or row["latest_year"] is None:
        return None
    return f"{row['base_year_used']}–{row['latest_year']}"


def verdict_direction(row: Row) -> int:
    """+1 when the verdict's window moved the desired way, -1 the other way, 0 unknown."""
    cagr = row["observed_cagr"]
    if cagr is None or row["verdict"] == "not_assessable":
        return 0
    d = 1 if row["desired_direction"] == "up" else -1
    return (d * cagr > 0) - (d * cagr < 0)


def disagreement(fmt: Fmt, row: Row, latest: Row | None, direction: str | None, geo: str) -> str:
    """A sentence when the verdict's window and the latest change point different ways
    (`geo` empty: the sentence follows one about that area and does not name it again)."""
    moved = verdict_direction(row)
    code = trend_code(latest, direction)
    if not moved or code in (None, "stable") or latest is None:
        return ""
    latest_good = code.endswith("_favourable")
    if latest_good == (moved > 0):
        return ""
    window = verdict_window(row)
    last = f"{latest['previous_period']}–{latest['latest_period']}"
    since_break = (
        fmt.pick((" (gemeten vanaf de breuk in de reeks)", " (measured from the series break)"))
        if row["break_year"] and row["base_year_used"] == row["break_year"]
        else ""
    )
    way = {True: ("de goede kant", "the right way"), False: ("de verkeerde kant", "the wrong way")}
    over = (f"{geo}: over", f"{geo}: over") if geo else ("Over", "Over")
    return fmt.pick(
        (
            f"{over[0]} {window}{since_break} ging de indicator gemiddeld "
            f"{way[moved > 0][0]} op, en daarop steunt het oordeel; de laatste verandering "
            f"({last}) ging {way[latest_good][0]} op.",
            f"{over[1]} {window}{since_break} the indicator moved {way[moved > 0][1]} on "
            f"average, which the verdict rests on; the latest change ({last}) went "
            f"{way[latest_good][1]}.",
        )
    )


# -- the EU position ----------------------------------------------------------------------
def rank_text(fmt: Fmt, row: Row, region: bool) -> str:
    """'24e van 27 lidstaten'; a region: 'zou 20e zijn van 27 lidstaten' or, worse than every
    member state, 'zou na alle 27 lidstaten komen' (never a rank above the count)."""
    rank, n = row["rank_among_members"], row["n_members"]
    if rank is None or not n:
        return ""
    if region and rank > n:
        return fmt.pick(
            (f"zou na alle {n} lidstaten komen", f"would rank below all {n} member states")
        )
    rank = min(rank, n)
    if region:
        return fmt.pick(
            (
                f"zou {fmt_ordinal(rank, 'nl')} zijn van {n} lidstaten",
                f"would rank {fmt_ordinal(rank, 'en')} of {n} member states",
            )
        )
    return fmt.pick(
        (
            f"{fmt_ordinal(rank, 'nl')} van {n} lidstaten",
            f"{fmt_ordinal(rank, 'en')} of {n} member states",
        )
    )


def fmt_ordinal(n: int, lang: str) -> str:
    from pipelines.report.i18n import ordinal

    return ordinal(n, lang)


def eu_position(fmt: Fmt, data: ReportData, row: Row | None) -> Raw:
    """Class, rank and year: 'gemiddeld · zou 20e zijn van 27 lidstaten* (2024)'; a change
    that spans a series break says so: '(2021, verandering over een breuk in de reeks)'."""
    if not row:
        return esc("–")
    region = not data.geos.get(row["geo"], {}).get("is_eu_member", False)
    mark = REGION_MARK if region else ""
    rank = rank_text(fmt, row, region)
    when = str(row["year"])
    if row.get("yoy_across_break"):
        when += ", " + fmt.label("benchmark_marks", "yoy_across_break")
    if not row["scoreboard_class"]:
        code = row.get("not_classified_reason_code")
        why = fmt.label("benchmark_reasons", code) if code else ""
        text = fmt.pick(("niet ingedeeld", "not classified")) + (f" ({why})" if why else "")
        return esc(f"{text}" + (f" · {rank}{mark} ({when})" if rank else ""))
    label = fmt.label("benchmark_classes", row["scoreboard_class"])
    return esc(f"{label}" + (f" · {rank}{mark}" if rank else "") + f" ({when})")


def region_caveat(fmt: Fmt) -> Raw:
    return p(
        fmt.pick(
            (
                f"{REGION_MARK} Vlaanderen is een regio, geen lidstaat: de plaats zegt waar "
                "Vlaanderen zou staan als het mee gerangschikt werd met de lidstaten. Regio's "
                "wijken meer af van het gemiddelde dan landen, die het gemiddelde van hun regio's zijn.",
                f"{REGION_MARK} Flanders is a region, not a member state: the rank says where "
                "Flanders would stand if it were ranked with the member states. Regions deviate "
                "more from the average than countries, which average their regions.",
            )
        ),
        "caveat",
    )


# -- sources and flags --------------------------------------------------------------------
def producers(fmt: Fmt, sources: Iterable[Row]) -> list[str]:
    """The producers of these datasets (dim_source), each once, in the page's language."""
    out: list[str] = []
    for row in sources:
        text = row[f"producer_{fmt.lang}"] or row["producer"]
        if text not in out:
            out.append(text)
    return out


def flag_legend(fmt: Fmt) -> Raw:
    """The flags this page shows, with their meaning (visible, not only in tooltips)."""
    if not fmt.flags_seen:
        return Raw("")
    order = fmt.vocab.codes("flags")
    items = "".join(
        f"<div><dt><abbr>{esc(f)}</abbr></dt><dd>{esc(fmt.label('flags', f))}"
        + (f": {esc(fmt.help('flags', f))}" if fmt.help("flags", f) else "")
        + "</dd></div>"
        for f in sorted(fmt.flags_seen, key=lambda f: order.index(f) if f in order else 99)
    )
    return Raw(
        f'<section class="flag-legend" aria-labelledby="flag-legend"><h2 id="flag-legend">'
        f'{esc(fmt.ui("flag_legend"))}</h2><dl class="flags-list">{items}</dl></section>'
    )


def document(
    data: ReportData,
    frame: Frame,
    fmt: Fmt,
    *,
    path: str,
    title: str,
    body: Sequence[object],
    nav_key: str | None,
    other_path: str,
    sources: Iterable[Row] | None = None,
    scripts: Sequence[str] = (),
) -> str:
    """A page: its body, the legend of the flags it showed and a footer naming its sources
    (`sources`: this page's datasets; None: a pointer to the sources page)."""
    main = "\n".join(str(esc(part)) for part in body) + str(flag_legend(fmt))
    link = routes.href(path, routes.page("sources", fmt.lang))
    if sources is None:
        footer = f'<p>{esc(fmt.ui("footer_all_sources"))} <a href="{link}">{esc(fmt.ui("all_sources"))}</a></p>'
    else:
        names = "; ".join(producers(fmt, sources)) or fmt.ui("no_data")
        footer = (
            f"<p>{esc(fmt.ui('footer_sources', producers=names))} "
            f'<a href="{link}">{esc(fmt.ui("all_sources"))}</a></p>'
        )
    return page(
        frame,
        lang=fmt.lang,
        path=path,
        title=title,
        body=Raw(main),
        nav_key=nav_key,
        other_path=other_path,
        scripts=scripts,
        footer=Raw(footer),
    )


def named_page(
    data: ReportData,
    frame: Frame,
    fmt: Fmt,
    key: str,
    *,
    title: str,
    body: Sequence[object],
    sources: Iterable[Row] | None = None,
    scripts: Sequence[str] = (),
) -> dict[str, str]:
    """The page `key` of the navigation in the page's language, linked to the same page in the
    other language: {its path: its HTML}."""
    path = routes.page(key, fmt.lang)
    other = "en" if fmt.lang == "nl" else "nl"
    html = document(
        data,
        frame,
        fmt,
        path=path,
        title=title,
        body=body,
        nav_key=key,
        other_path=routes.page(key, other),
        sources=sources,
        scripts=scripts,
    )
    return {path: html}
