"""Words and number formats of the two report languages: Dutch (default) and English.

Names, definitions and method notes come from the published dim tables; this module holds
only the report's own wording and the labels of codes the marts use.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

LANGS = ("nl", "en")

UI: dict[str, dict[str, str]] = {
    "nl": {
        "site": "Vlaamse beleidsmonitor",
        "skip": "Naar de inhoud",
        "nav": "Hoofdmenu",
        "nav_overview": "Doelen",
        "nav_training": "Opleiding (regiekamer)",
        "nav_changes": "Wat is nieuw",
        "nav_quality": "Datakwaliteit",
        "other_lang": "English",
        "published": "Publicatie van {time}",
        "sample": "SAMPLE DATA",
        "sample_text": "Dit is een demonstratie: {synthetic} cijfers zijn verzonnen (synthetisch){quoted}{delivered}. Gebruik de verzonnen cijfers niet.",
        "sample_quoted": " en {n} cijfers zijn geciteerd uit de brondocumenten die ze vermelden (echte cijfers, maar niet door de producent aangeleverd)",
        "sample_delivered": "; {n} cijfers zijn door de producent geleverd",
        "footer": "Gemaakt uit de gepubliceerde databank {db} (alleen lezen). Bron van de cijfers: Eurostat.",
        "no_data": "geen cijfers",
        "not_applicable": "n.v.t.",
        "chart_table": "Cijfers bij de grafiek",
    },
    "en": {
        "site": "Flemish policy monitor",
        "skip": "Skip to content",
        "nav": "Main menu",
        "nav_overview": "Goals",
        "nav_training": "Training (steering room)",
        "nav_changes": "What changed",
        "nav_quality": "Data quality",
        "other_lang": "Nederlands",
        "published": "Publication of {time}",
        "sample": "SAMPLE DATA",
        "sample_text": "This is a demonstration: {synthetic} figures are made up (synthetic){quoted}{delivered}. Do not use the made-up figures.",
        "sample_quoted": " and {n} figures are quoted from the source documents they cite (real figures, but not delivered by the producer)",
        "sample_delivered": "; {n} figures were delivered by the producer",
        "footer": "Built from the published database {db} (read-only). Source of the figures: Eurostat.",
        "no_data": "no data",
        "not_applicable": "n/a",
        "chart_table": "Figures behind the chart",
    },
}

# verdict code -> (Dutch, English, tone for the colour, icon name)
VERDICTS = {
    "achieved": ("behaald", "achieved", "good", "check"),
    "on_track": ("op koers", "on track", "good", "up"),
    "moderate_progress": ("matige vooruitgang", "moderate progress", "mid", "half"),
    "insufficient_progress": ("onvoldoende vooruitgang", "insufficient progress", "weak", "minus"),
    "moving_away": ("gaat achteruit", "moving away", "bad", "down"),
    "not_achieved": ("niet behaald", "not achieved", "bad", "cross"),
    "not_assessable": ("niet beoordeelbaar", "not assessable", "none", "question"),
}

BENCHMARK = {
    "best_performers": ("beste presteerders", "best performers"),
    "better_than_average": ("beter dan gemiddeld", "better than average"),
    "on_average": ("gemiddeld", "on average"),
    "good_but_to_monitor": ("goed, maar op te volgen", "good but to monitor"),
    "weak_but_improving": ("zwak, maar verbeterend", "weak but improving"),
    "to_watch": ("in het oog te houden", "to watch"),
    "critical_situation": ("kritieke situatie", "critical situation"),
}

DOMAINS = {
    "armoede": ("Armoede", "Poverty"),
    "arbeidsmarkt": ("Arbeidsmarkt", "Labour market"),
    "opleiding": ("Opleiding", "Training"),
}

# framework filter groups, keyed by the geography a target binds (dim_target.applies_to)
FRAMEWORK_GROUPS = {
    "EU27_2020": ("eu", "EU", "EU"),
    "BE": ("be", "België", "Belgium"),
    "BE2": ("vl", "Vlaanderen", "Flanders"),
}

UNITS = {
    "pct": ("%", "%"),
    "pp": ("procentpunt", "percentage points"),
    "thousand_persons": ("duizend personen", "thousand persons"),
    "ratio": ("verhouding", "ratio"),
    "pps": ("KKS (koopkrachtstandaard)", "PPS (purchasing power standard)"),
}
UNIT_DECIMALS = {"pps": 0, "ratio": 2}

FLAGS = {
    "b": ("breuk in de reeks", "break in series"),
    "c": ("vertrouwelijk", "confidential"),
    "d": ("definitie wijkt af", "definition differs"),
    "e": ("geschat", "estimated"),
    "f": ("prognose", "forecast"),
    "i": ("zie metadata", "see metadata"),
    "n": ("niet significant", "not significant"),
    "p": ("voorlopig", "provisional"),
    "r": ("herzien", "revised"),
    "s": ("schatting van Eurostat", "Eurostat estimate"),
    "u": ("lage betrouwbaarheid", "low reliability"),
    "z": ("niet van toepassing", "not applicable"),
}

REFERENCE_PERIODS_NL = {
    "reference week, annual average": "referentieweek, jaargemiddelde",
    "reference week, annual average (training: last 4 weeks)": "referentieweek, jaargemiddelde (opleiding: laatste 4 weken)",
    "quarterly survey, annual average": "kwartaalenquête, jaargemiddelde",
    "last 4 weeks": "laatste 4 weken",
    "last 12 months": "laatste 12 maanden",
    "last 3 months": "laatste 3 maanden",
    "survey year": "enquêtejaar",
    "survey year; income refers to the previous calendar year": "enquêtejaar; het inkomen gaat over het vorige kalenderjaar",
    "income reference year (survey year - 1)": "inkomensjaar (enquêtejaar - 1)",
    "calendar year": "kalenderjaar",
}

# English reasons written by mart_target_progress / mart_benchmark -> Dutch
_REASONS_NL = [
    (r"target requested, not set", "doel gevraagd, nog niet vastgelegd"),
    (r"no observed value for this geography", "geen waarde voor dit gebied"),
    (
        r"target year (\d+) has passed: (.+) in (\d+) against (.+)",
        r"doeljaar \1 is voorbij: \2 in \3, doel \4",
    ),
    (r"no value in the target base year (\d+)", r"geen waarde in het basisjaar \1 van het doel"),
    (
        r"series break in (\d+) after the target base year (\d+): counts before and after are not comparable",
        r"breuk in de reeks in \1, na het basisjaar \2: aantallen ervoor en erna zijn niet vergelijkbaar",
    ),
    (r"no value on or after the base year (\d+)", r"geen waarde in of na het basisjaar \1"),
    (
        r"fewer than two comparable points after the series break in (\d+)",
        r"minder dan twee vergelijkbare punten na de breuk in de reeks in \1",
    ),
    (r"fewer than two comparable points", "minder dan twee vergelijkbare punten"),
    (
        r"growth rate undefined for zero or negative values",
        "groeivoet niet bepaald bij nul of negatieve waarden",
    ),
    (r"required growth rate is zero or undefined", "vereiste groeivoet is nul of niet bepaald"),
    (
        r"trend measured from (\d+), after the series break in (\d+)",
        r"trend gemeten vanaf \1, na de breuk in de reeks in \2",
    ),
    (r"fewer than two member states with data", "minder dan twee lidstaten met cijfers"),
    (r"no value for the previous year", "geen waarde voor het vorige jaar"),
    (r"member states do not differ", "de lidstaten verschillen niet"),
]

_MONTHS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "en": "January February March April May June July August September October November December",
}


def ui(lang: str, key: str, **values: object) -> str:
    """One piece of the report's own wording."""
    return UI[lang][key].format(**values)


def pick(pair: tuple[str, ...], lang: str) -> str:
    """The Dutch or English member of a (nl, en, ...) label tuple."""
    return pair[0] if lang == "nl" else pair[1]


def number(value: float | None, lang: str, decimals: int = 1) -> str:
    """A number in the language's notation (nl: 1.234,5; en: 1,234.5); '–' when missing."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "nl" else text


def value_text(value: float | None, unit: str, lang: str, with_unit: bool = True) -> str:
    """A value with its unit's decimals (and '%' for percentages)."""
    text = number(value, lang, UNIT_DECIMALS.get(unit, 1))
    if value is None or not with_unit:
        return text
    if unit == "pct":
        return text + (" %" if lang == "nl" else "%")
    return f"{text} {pick(UNITS.get(unit, (unit, unit)), lang)}"


def percent(value: float | None, lang: str, decimals: int = 2) -> str:
    """A fraction as a percentage (0.0123 -> 1,23 %)."""
    if value is None:
        return "–"
    return number(value * 100, lang, decimals) + (" %" if lang == "nl" else "%")


def unit_label(unit: str, lang: str) -> str:
    return pick(UNITS.get(unit, (unit, unit)), lang)


def flags_text(flags: str | None, lang: str) -> str:
    """'pb' -> 'voorlopig, breuk in de reeks'."""
    return ", ".join(pick(FLAGS[f], lang) for f in (flags or "") if f in FLAGS)


def reason(text: str | None, lang: str) -> str:
    """A mart's English explanation, in Dutch where the wording is known."""
    if not text or lang == "en":
        return text or ""
    for pattern, replacement in _REASONS_NL:
        if re.fullmatch(pattern, text):
            return re.sub(pattern, replacement, text)
    return text


def reference_period(text: str | None, lang: str) -> str:
    if not text:
        return ""
    return REFERENCE_PERIODS_NL.get(text, text) if lang == "nl" else text


def age_band(text: str | None, lang: str) -> str:
    if not text:
        return ""
    if text == "all ages":
        return "alle leeftijden" if lang == "nl" else text
    return f"{text} jaar" if lang == "nl" and text[:1].isdigit() else text


def framework(name: str, lang: str) -> str:
    """Framework names are Dutch in the registry ('België 2030'); English on English pages."""
    if lang == "nl":
        return name
    return name.replace("België", "Belgium").replace("Vlaanderen", "Flanders")


def moment(value: datetime, lang: str) -> str:
    """'1 december 2026 om 15:43 UTC' / '1 December 2026, 15:43 UTC'."""
    value = value.astimezone(UTC) if value.tzinfo else value
    month = _MONTHS[lang].split()[value.month - 1]
    glue = " om " if lang == "nl" else ", "
    return f"{value.day} {month} {value.year}{glue}{value:%H:%M} UTC"


# what a published figure is (fct_indicator_values.data_label)
DATA_LABELS = {
    "delivered": ("geleverd door de producent", "delivered by the producer"),
    "sample": ("geciteerd uit een brondocument (SAMPLE)", "quoted from a source document (SAMPLE)"),
    "synthetic": ("verzonnen (SAMPLE)", "made up (SAMPLE)"),
}


def sample_text(labels: dict[str, int], lang: str) -> str:
    """The SAMPLE banner: how many figures are made up, quoted and delivered."""
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


# categories of the microdata breakdowns (mart_microdata_gaps; provinces are geographies)
MICRODATA_CATEGORIES = {
    "M": ("mannen", "men"),
    "F": ("vrouwen", "women"),
    "Y15-19": ("15-19 jaar", "aged 15-19"),
    "Y20-24": ("20-24 jaar", "aged 20-24"),
    "Y25-34": ("25-34 jaar", "aged 25-34"),
    "Y35-44": ("35-44 jaar", "aged 35-44"),
    "Y45-54": ("45-54 jaar", "aged 45-54"),
    "Y55-64": ("55-64 jaar", "aged 55-64"),
    "Y65-74": ("65-74 jaar", "aged 65-74"),
    "ED0-2": ("kortgeschoold (ISCED 0-2)", "low-educated (ISCED 0-2)"),
    "ED3_4": ("middengeschoold (ISCED 3-4)", "medium-educated (ISCED 3-4)"),
    "ED5-8": ("hooggeschoold (ISCED 5-8)", "high-educated (ISCED 5-8)"),
    "NAT": ("geboren in België", "born in Belgium"),
    "EU27_2020_FOR": ("geboren in een andere EU-lidstaat", "born in another EU member state"),
    "NEU27_2020_FOR": ("geboren buiten de EU", "born outside the EU"),
    "Y": ("met een handicap", "with a disability"),
    "N": ("zonder handicap", "without a disability"),
}
