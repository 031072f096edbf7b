"""Pieces several pages share: names, verdict badges, trend arrows, target wording, values."""

from __future__ import annotations

from pipelines.report import i18n
from pipelines.report.data import ReportData, Row
from pipelines.report.markup import Raw, esc, icon

SHORT_GEO = {"BE2": ("Vlaanderen", "Flanders"), "EU27_2020": ("EU-27", "EU-27")}
OPERATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def name(row: Row, lang: str) -> str:
    return row[f"name_{lang}"]


def geo_name(data: ReportData, geo: str, lang: str, short: bool = False) -> str:
    if short and geo in SHORT_GEO:
        return i18n.pick(SHORT_GEO[geo], lang)
    row = data.geos.get(geo)
    return row[f"name_{lang}"] if row else geo


def flagged(value: float | None, flags: str | None, unit: str, lang: str, with_unit=True) -> Raw:
    """A value with its flags as abbreviations ('78,0 % p'); a confidential cell (flag c, no
    value) shows the word ('vertrouwelijk c')."""
    text = esc(i18n.value_text(value, unit, lang, with_unit))
    if value is None and "c" in (flags or ""):
        text = esc(i18n.pick(i18n.FLAGS["c"], lang))
    if not flags:
        return text
    marks = "".join(
        f'<abbr title="{esc(i18n.pick(i18n.FLAGS[f], lang))}">{esc(f)}</abbr>'
        for f in flags
        if f in i18n.FLAGS
    )
    return Raw(f'{text} <span class="flags">{marks}</span>')


def verdict_badge(code: str | None, lang: str) -> Raw:
    """Colour, icon and word: the verdict never rests on colour alone."""
    nl, en, tone, icon_name = i18n.VERDICTS.get(
        code or "not_assessable", i18n.VERDICTS["not_assessable"]
    )
    word = nl if lang == "nl" else en
    return Raw(
        f'<span class="verdict tone-{tone}">{icon(icon_name)}<span>{esc(word)}</span></span>'
    )


def trend(latest: Row | None, direction: str | None, lang: str) -> Raw:
    """Arrow and words for the change since the previous period, and whether it helps."""
    if not latest or latest["change_since_previous"] is None:
        return esc("–")
    change = latest["change_since_previous"]
    if abs(change) < 0.05:
        arrow, word, tone = "flat", ("stabiel", "stable"), "flat"
    else:
        rising = change > 0
        arrow = "up" if rising else "down"
        word = ("stijgt", "rising") if rising else ("daalt", "falling")
        good = rising == (direction == "up")
        tone = "good" if good else "bad"
        word = (
            (word[0] + (", gunstig" if good else ", ongunstig")),
            (word[1] + (", favourable" if good else ", unfavourable")),
        )
    since = i18n.pick(("sinds", "since"), lang)
    text = f"{i18n.pick(word, lang)} ({'+' if change > 0 else ''}{i18n.number(change, lang)} {since} {latest['previous_period']})"
    if latest["break_since_previous"]:
        text += i18n.pick((", breuk in de reeks", ", break in series"), lang)
    return Raw(f'<span class="trend trend-{tone}">{icon(arrow)}<span>{esc(text)}</span></span>')


def target_text(row: Row, lang: str) -> str:
    """'≥ 78,0 % in 2030', a change in a count, a direction or 'requested'."""
    kind, unit = row["kind"], row["unit"]
    if kind == "requested":
        return i18n.pick(
            ("doel gevraagd, nog niet vastgelegd", "target requested, not yet set"), lang
        )
    if kind == "direction":
        down = row["desired_direction"] == "down"
        return i18n.pick(
            (
                "richting: dalen" if down else "richting: stijgen",
                "direction: down" if down else "direction: up",
            ),
            lang,
        )
    op = OPERATORS.get(row["operator"], row["operator"] or "")
    if kind == "count_change":
        change = i18n.number(row["target_value"], lang, 0)
        level = i18n.number(row["target_level"], lang, 0)
        base, unit_text = row["target_base_year"], i18n.unit_label(unit, lang)
        return i18n.pick(
            (
                f"{change} {unit_text} tegenover {base} ({op} {level}) in {row['target_year']}",
                f"{change} {unit_text} versus {base} ({op} {level}) by {row['target_year']}",
            ),
            lang,
        )
    return f"{op} {i18n.value_text(row['target_value'], unit, lang)} " + i18n.pick(
        (f"in {row['target_year']}", f"by {row['target_year']}"), lang
    )


def benchmark_text(row: Row | None, lang: str) -> str:
    """The EU Social Scoreboard class of the latest year, with rank among the member states."""
    if not row:
        return "–"
    if not row["scoreboard_class"]:
        why = i18n.reason(row["not_classified_reason"], lang)
        return i18n.pick(("niet ingedeeld", "not classified"), lang) + (f" ({why})" if why else "")
    label = i18n.pick(
        i18n.BENCHMARK.get(row["scoreboard_class"], (row["scoreboard_class"],) * 2), lang
    )
    notes = [str(row["year"])]
    if row["rank_among_members"]:
        notes.append(
            i18n.pick(
                (
                    f"plaats {row['rank_among_members']} van {row['n_members']}",
                    f"rank {row['rank_among_members']} of {row['n_members']}",
                ),
                lang,
            )
        )
    if row.get("yoy_across_break"):
        notes.append(
            i18n.pick(
                ("verandering over een breuk in de reeks", "change across a series break"), lang
            )
        )
    return f"{label} ({', '.join(notes)})"


def domain_label(domain: str, lang: str) -> str:
    return i18n.pick(i18n.DOMAINS.get(domain, (domain, domain)), lang)


def framework_group(applies_to: str | None) -> tuple[str, str, str]:
    """('eu', 'EU', 'EU') etc.: the filter group of a target, from the geography it binds."""
    return i18n.FRAMEWORK_GROUPS.get(applies_to or "", ("other", "Andere", "Other"))


def foreign(text: str | None, lang: str) -> Raw:
    """Registry text that exists in English only, marked as such on Dutch pages."""
    if not text:
        return Raw("")
    return Raw(f'<span lang="en">{esc(text)}</span>') if lang == "nl" else esc(text)


def p(text: object) -> Raw:
    return Raw(f"<p>{esc(text)}</p>")
