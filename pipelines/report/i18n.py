"""Number and time notation of the two report languages, and the words every page frame uses.

Labels of codes (verdicts, units, flags, domains, ...) are not here: they come from the
published vocabulary (vocab.py); names and definitions come from the dim tables. Prose that
belongs to one page lives on that page as (nl, en) pairs.
"""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

LANGS = ("nl", "en")
TIMEZONE = ZoneInfo("Europe/Brussels")

UI: dict[str, dict[str, str]] = {
    "nl": {
        "site": "Vlaamse beleidsmonitor",
        "skip": "Naar de inhoud",
        "nav": "Hoofdmenu",
        "nav_overview": "Doelen",
        "nav_training": "Opleiding (regiekamer)",
        "nav_changes": "Wat is nieuw",
        "nav_quality": "Datakwaliteit",
        "nav_method": "Methode",
        "nav_sources": "Bronnen",
        "other_lang": "English",
        "published": "Publicatie van {time}",
        "sample": "SAMPLE DATA",
        "sample_text": "Dit is een demonstratie: {synthetic} cijfers zijn verzonnen (synthetisch){quoted}{delivered}. Gebruik de verzonnen cijfers niet.",
        "sample_quoted": " en {n} cijfers zijn geciteerd uit de brondocumenten die ze vermelden (echte cijfers, maar niet door de producent aangeleverd)",
        "sample_delivered": "; {n} cijfers zijn door de producent geleverd",
        "footer": "Gemaakt uit de gepubliceerde databank {db} (alleen lezen), publicatie {publication}, code {code}.",
        "footer_sources": "Bronnen van de cijfers op deze pagina: {producers}.",
        "footer_all_sources": "Wie welke cijfers levert, staat per indicator op de pagina Bronnen.",
        "all_sources": "Alle bronnen",
        "no_data": "geen cijfers",
        "not_applicable": "n.v.t.",
        "chart_table": "Cijfers bij de grafiek",
        "flag_legend": "Vlaggen bij de cijfers",
    },
    "en": {
        "site": "Flemish policy monitor",
        "skip": "Skip to content",
        "nav": "Main menu",
        "nav_overview": "Goals",
        "nav_training": "Training (steering room)",
        "nav_changes": "What changed",
        "nav_quality": "Data quality",
        "nav_method": "Method",
        "nav_sources": "Sources",
        "other_lang": "Nederlands",
        "published": "Publication of {time}",
        "sample": "SAMPLE DATA",
        "sample_text": "This is a demonstration: {synthetic} figures are made up (synthetic){quoted}{delivered}. Do not use the made-up figures.",
        "sample_quoted": " and {n} figures are quoted from the source documents they cite (real figures, but not delivered by the producer)",
        "sample_delivered": "; {n} figures were delivered by the producer",
        "footer": "Built from the published database {db} (read-only), publication {publication}, code {code}.",
        "footer_sources": "Sources of the figures on this page: {producers}.",
        "footer_all_sources": "Who delivers which figures is listed per indicator on the Sources page.",
        "all_sources": "All sources",
        "no_data": "no data",
        "not_applicable": "n/a",
        "chart_table": "Figures behind the chart",
        "flag_legend": "Flags on the figures",
    },
}

_MONTHS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "en": "January February March April May June July August September October November December",
}


def ui(lang: str, key: str, **values: object) -> str:
    """One piece of the frame's wording."""
    return UI[lang][key].format(**values)


def pick(pair: tuple[str, str], lang: str) -> str:
    """The Dutch or English member of an (nl, en) pair."""
    return pair[0] if lang == "nl" else pair[1]


def number(value: float | None, lang: str, decimals: int = 1) -> str:
    """A number in the language's notation (nl: 1.234,5; en: 1,234.5); '–' when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # no "-0,0"
    text = text.replace("-", "\u2212")  # a real minus sign
    return text.translate(str.maketrans(",.", ".,")) if lang == "nl" else text


def signed(value: float | None, lang: str, decimals: int = 1) -> str:
    """'+1,6' / '−0,4' (a real minus sign) / '0,0'."""
    text = number(value, lang, decimals)
    if value is None or text == number(0.0, lang, decimals):
        return text
    return ("+" + text) if value > 0 else text


def ordinal(n: int, lang: str) -> str:
    """'20e' / '20th', '1st', '2nd', '3rd', '11th'."""
    if lang == "nl":
        return f"{n}e"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def moment(value: datetime, lang: str) -> str:
    """A time in Brussels, to the minute: '3 december 2026 om 14:31 (Belgische tijd)'."""
    if value.tzinfo is None:
        raise ValueError(f"a time without time zone cannot be shown in Brussels time: {value}")
    local = value.astimezone(TIMEZONE)
    month = _MONTHS[lang].split()[local.month - 1]
    if lang == "nl":
        return f"{local.day} {month} {local.year} om {local:%H:%M} (Belgische tijd)"
    return f"{local.day} {month} {local.year}, {local:%H:%M} Brussels time"


def day(value: datetime, lang: str) -> str:
    """'3 december 2026' in Brussels."""
    local = value.astimezone(TIMEZONE) if value.tzinfo else value
    return f"{local.day} {_MONTHS[lang].split()[local.month - 1]} {local.year}"


def sample_text(labels: dict[str, int], lang: str) -> str:
    """The SAMPLE banner: how many published figures are made up, quoted and delivered
    (fct_indicator_values.data_label)."""
    count = lambda n: number(n, lang, 0)  # noqa: E731
    quoted = ui(lang, "sample_quoted", n=count(labels["sample"])) if labels.get("sample") else ""
    delivered = (
        ui(lang, "sample_delivered", n=count(labels["delivered"]))
        if labels.get("delivered")
        else ""
    )
    return ui(
        lang,
        "sample_text",
        synthetic=count(labels.get("synthetic", 0)),
        quoted=quoted,
        delivered=delivered,
    )
