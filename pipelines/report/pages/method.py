"""The method page: how a verdict, a trend and an EU class come about, with the thresholds
the publication used (dim_setting, from config/monitor.yaml) and every label's meaning."""

from __future__ import annotations

from pipelines.report.data import ReportData
from pipelines.report.fmt import Fmt
from pipelines.report.markup import Frame, Raw, esc, table
from pipelines.report.pages import common

_T = {
    "title": ("Methode: hoe de oordelen tot stand komen", "Method: how the verdicts come about"),
    "intro": (
        "Alle drempels op deze pagina komen uit de instellingen van deze publicatie "
        "(config/monitor.yaml, gepubliceerd als dim_setting). Wie ze wijzigt, ziet de nieuwe "
        "waarden hier bij de volgende publicatie.",
        "Every threshold on this page comes from the settings of this publication "
        "(config/monitor.yaml, published as dim_setting). A change shows here with the next "
        "publication.",
    ),
    "progress": (
        "Oordeel over de vooruitgang naar een doel",
        "Verdict on progress towards a target",
    ),
    "progress_text": (
        "De monitor volgt de voortgangsmethode van Open SDG, die Statistics Canada ontwikkelde "
        "als variant van de methode die Eurostat in zijn SDG-monitoring gebruikt. Voor een doel "
        "met een cijfer vergelijken we de gemiddelde jaarlijkse groei sinds het basisjaar "
        "(gemeten groei, CAGR = (laatste waarde / basiswaarde)^(1 / jaren) − 1) met de groei die "
        "nodig is om het doel in het doeljaar te halen (vereiste groei). De verhouding "
        "R = d × gemeten groei / |vereiste groei|, met d = +1 als stijgen goed is en −1 als dalen "
        "goed is. Groei is relatief: een procent van de waarde zelf, geen procentpunt.",
        "The monitor follows the progress method of Open SDG, which Statistics Canada developed "
        "as a variant of the method Eurostat uses in its SDG monitoring. For a target with a "
        "figure we compare the average yearly growth since the base year (observed growth, "
        "CAGR = (latest value / base value)^(1 / years) − 1) with the growth needed to reach "
        "the target in the target year (required growth). The ratio "
        "R = d × observed growth / |required growth|, with d = +1 when rising is good and −1 "
        "when falling is good. Growth is relative: a per cent of the value itself, not "
        "percentage points.",
    ),
    "rules": (
        "Een doel dat al gehaald is, is behaald; een doel waarvan het doeljaar voorbij is zonder "
        "dat het gehaald werd, is niet behaald (beoordeeld op de laatste waarde tot en met het "
        "doeljaar). Een oordeel over de trend vraagt minstens {min_points} vergelijkbare "
        "jaarcijfers; met minder is het doel niet beoordeelbaar. Na een breuk in de reeks meten "
        "we pas vanaf de breuk, en ook een behaald of niet behaald doel vermeldt de breuk. Een "
        "doel voor een aantal personen tegenover een basisjaar is niet beoordeelbaar als de "
        "reeks na dat basisjaar breekt: de aantallen ervoor en erna zijn niet vergelijkbaar. Een "
        "doel dat enkel een richting geeft, wordt beoordeeld op de gemeten groei in die richting.",
        "A target already reached is achieved; a target whose year has passed without reaching "
        "it is not achieved (judged on the last value up to the target year). A verdict on the "
        "trend needs at least {min_points} comparable yearly figures; with fewer the target is "
        "not assessable. After a break in series we measure from the break only, and an "
        "achieved or not achieved target mentions the break too. A target for a number of "
        "people against a base year is not assessable when the series breaks after that base "
        "year: the counts before and after are not comparable. A goal that only gives a "
        "direction is judged on the observed growth in that direction.",
    ),
    "thresholds": ("Drempels van deze publicatie", "Thresholds of this publication"),
    "setting": ("Drempel", "Threshold"),
    "value": ("Waarde", "Value"),
    "verdicts": ("De oordelen", "The verdicts"),
    "windows": (
        "Oordeel en trend kijken naar een andere periode",
        "Verdict and trend look at different periods",
    ),
    "windows_text": (
        "Het oordeel kijkt naar de hele periode sinds het basisjaar (of sinds de breuk in de "
        "reeks); de trend naar de laatste verandering, van het vorige naar het laatste jaar. "
        "Beide periodes staan erbij. Wijzen ze een andere kant op, dan zegt een zin waarom. "
        "Een verandering kleiner dan {stable} (in de eenheid van de indicator) heet stabiel; "
        "bij percentages is de verandering in procentpunt.",
        "The verdict looks at the whole period since the base year (or since the series "
        "break); the trend at the latest change, from the previous to the latest year. Both "
        "periods are stated. When they point different ways, a sentence says why. A change "
        "smaller than {stable} (in the indicator's unit) reads as stable; for percentages the "
        "change is in percentage points.",
    ),
    "classes": ("Klassen tegenover de EU-lidstaten", "Classes against the EU member states"),
    "classes_text": (
        "We delen Vlaanderen, België en elke lidstaat in volgens de methode van het sociale "
        "scorebord van de EU (Joint Employment Report): het niveau en de verandering tegenover "
        "het vorige jaar worden gestandaardiseerd tegenover het ongewogen gemiddelde en de "
        "standaardafwijking van de lidstaten (z-scores, met het teken zo dat positief slechter "
        "is). Een kleine afwijking is {small} standaardafwijking, een grote {large}. Een slechte "
        "relatieve verandering telt niet zwaar als de waarde zelf de goede kant op ging. De "
        "plaats is 1 + het aantal lidstaten met een betere waarde; Vlaanderen is een regio en "
        "krijgt de plaats die het zou innemen tussen de lidstaten.",
        "Flanders, Belgium and every member state are classified with the method of the EU "
        "Social Scoreboard (Joint Employment Report): the level and the change since the "
        "previous year are standardised against the unweighted mean and standard deviation of "
        "the member states (z-scores, signed so that positive is worse). A small deviation is "
        "{small} standard deviation, a large one {large}. A bad relative change is not "
        "penalised when the value itself moved the right way. The rank is 1 + the number of "
        "member states with a better value; Flanders is a region and gets the rank it would "
        "take among the member states.",
    ),
    "class": ("Klasse", "Class"),
    "rule": ("Regel (z-scores, positief = slechter)", "Rule (z-scores, positive = worse)"),
    "meaning": ("Betekenis", "Meaning"),
    "gaps": ("Verschillen tussen groepen", "Gaps between groups"),
    "gaps_text": (
        "Het verschil is de waarde van de groep min die van de referentiegroep, in procentpunt. "
        "De trend vergelijkt de grootte van het verschil met {years} jaar eerder. Het verschil "
        "is pas kleiner of groter geworden als de verandering groter is dan haar onzekerheid: "
        "1,96 maal de standaardfout van de verandering waar microdata die geven, anders de "
        "kleinste verandering die de enquête in een gebied van dat niveau kan aantonen (tabel "
        "hieronder). Een kleinere verandering heet geen duidelijke verandering; over een breuk "
        "in de reeks heen vergelijken we niet.",
        "The gap is the group's value minus the reference group's, in percentage points. The "
        "trend compares the gap's size with {years} years earlier. A gap narrowed or widened "
        "only when the change exceeds its uncertainty: 1.96 times the standard error of the "
        "change where microdata give one, otherwise the smallest change the survey can detect "
        "in an area of that level (table below). A smaller change reads as no clear change; we "
        "do not compare across a break in series.",
    ),
    "mdc": (
        "Kleinste aantoonbare verandering van een verschil (procentpunt)",
        "Minimum detectable change of a gap (percentage points)",
    ),
    "survey": ("Enquête", "Survey"),
    "other_surveys": ("elke andere bron", "any other source"),
    "microdata": ("Verschillen uit microdata", "Gaps from microdata"),
    "microdata_text": (
        "Cellen uit microdata worden beschermd vóór ze de databank bereiken: een cel met minder "
        "dan {publish} respondenten, met minder dan {attribute} respondenten met (of zonder) de "
        "eigenschap, of waarin één respondent meer dan {dominance} % van de teller kan dragen, "
        "wordt niet gepubliceerd, net als de cellen die nodig zijn om ze niet uit de totalen "
        "terug te rekenen (secundaire geheimhouding). Minder dan {reliable} respondenten: lage "
        "betrouwbaarheid. Elk verschil staat met zijn 95 %-betrouwbaarheidsinterval; of het "
        "significant is, hangt af van hoe de standaardfout berekend kon worden:",
        "Cells from microdata are protected before they reach the database: a cell with fewer "
        "than {publish} respondents, with fewer than {attribute} respondents with (or without) "
        "the attribute, or in which one respondent may carry more than {dominance}% of the "
        "numerator is suppressed, as are the cells needed to keep it from being recomputed "
        "from the totals (secondary suppression). Fewer than {reliable} respondents: low "
        "reliability. Every gap is shown with its 95% confidence interval; whether it is "
        "significant depends on how its standard error could be computed:",
    ),
    "flags": ("Vlaggen", "Flags"),
    "flags_text": (
        "Eurostat en de andere producenten geven bij een cijfer soms een vlag. De monitor neemt "
        "ze over zoals gepubliceerd; vertrouwelijkheid staat apart van de vlaggen.",
        "Eurostat and the other producers sometimes give a figure a flag. The monitor keeps "
        "them as published; confidentiality is kept apart from the flags.",
    ),
    "flag": ("Vlag", "Flag"),
    "conf": ("Vertrouwelijkheid", "Confidentiality"),
    "labels": ("Herkomst van de cijfers", "Origin of the figures"),
}


def render(data: ReportData, frame: Frame, lang: str) -> dict[str, str]:
    fmt = Fmt(data.vocab, lang)
    t = lambda key: fmt.pick(_T[key])  # noqa: E731
    s = data.settings
    number = lambda key, d=2: fmt.num(s.get(key), d)  # noqa: E731
    body = [
        common.p(t("intro"), "lead"),
        common.section(
            "progress",
            t("progress"),
            common.p(t("progress_text")),
            common.p(t("rules").format(min_points=number("progress.min_points", 0))),
            _settings_table(data, fmt, t("thresholds")),
            Raw(f'<h3 id="verdicts">{esc(t("verdicts"))}</h3>'),
            _list(fmt, "verdicts", badge=True),
        ),
        common.section(
            "windows",
            t("windows"),
            common.p(t("windows_text").format(stable=fmt.num(common.STABLE_CHANGE, 2))),
        ),
        common.section(
            "classes",
            t("classes"),
            common.p(
                t("classes_text").format(
                    small=number("benchmark.cut_small", 1), large=number("benchmark.cut_large", 1)
                )
            ),
            _classes_table(data, fmt),
            common.region_caveat(fmt),
            _list(fmt, "benchmark_marks"),
        ),
        common.section(
            "gaps",
            t("gaps"),
            common.p(t("gaps_text").format(years=number("gaps.trend_years", 0))),
            _detectable_table(data, fmt, t("mdc"), t("survey"), t("other_surveys")),
            Raw(f'<h3 id="gap-trends">{esc(t("meaning"))}</h3>'),
            _list(fmt, "gap_trends"),
            Raw(f'<h3 id="microdata">{esc(t("microdata"))}</h3>'),
            common.p(
                t("microdata_text").format(
                    publish=number("disclosure.min_n_publish", 0),
                    attribute=number("disclosure.min_n_attribute", 0),
                    dominance=number("disclosure.max_dominance_pct", 0),
                    reliable=number("disclosure.min_n_reliable", 0),
                )
            ),
            _list(fmt, "significance_methods"),
        ),
        common.section(
            "flags",
            t("flags"),
            common.p(t("flags_text")),
            _code_table(fmt, "flags", t("flags"), t("flag")),
            _code_table(fmt, "confidentiality", t("conf"), "CONF_STATUS"),
        ),
        common.section("origin", t("labels"), _list(fmt, "data_labels")),
    ]
    return common.named_page(
        data,
        frame,
        fmt,
        "method",
        title=t("title"),
        body=body,
    )


INTEGER_KEYS = (
    "base_year",
    "min_points",
    "trend_years",
    "min_n_publish",
    "min_n_attribute",
    "max_dominance_pct",
    "round_counts_to",
    "round_population_to",
    "min_n_reliable",
)
DETECTABLE = "gaps.min_detectable_change_pp."


def _detectable_table(
    data: ReportData, fmt: Fmt, caption: str, survey_head: str, other: str
) -> Raw:
    """gaps.min_detectable_change_pp: one row per survey (and `default`), one column per
    geography level."""
    levels = fmt.vocab.codes("geo_levels")
    values: dict[str, dict[str, float]] = {}
    for key, value in data.settings.items():
        if key.startswith(DETECTABLE):
            survey, level = key.removeprefix(DETECTABLE).rsplit(".", 1)
            values.setdefault(survey, {})[level] = value
    rows = [
        [
            other if survey == "default" else fmt.label("surveys", survey),
            *(fmt.num(values[survey].get(level), 1) for level in levels),
        ]
        for survey in sorted(values, key=lambda s: (s == "default", s))
    ]
    head = [survey_head, *(fmt.label("geo_levels", level) for level in levels)]
    return table(caption, head, rows)


def _settings_table(data: ReportData, fmt: Fmt, caption: str) -> Raw:
    rows = []
    for key in fmt.vocab.codes("method_settings"):
        if key not in data.settings:
            continue
        value = data.settings[key]
        if key.startswith("progress.without_target"):
            text = fmt.growth(value)
        elif key.endswith(INTEGER_KEYS):
            text = str(int(value))
        else:
            text = fmt.num(value, 2)
        rows.append([fmt.label("method_settings", key), text, Raw(f"<code>{esc(key)}</code>")])
    head = [fmt.pick(_T["setting"]), fmt.pick(_T["value"]), fmt.pick(("Sleutel", "Key"))]
    return table(caption, head, rows)


def _classes_table(data: ReportData, fmt: Fmt) -> Raw:
    small = fmt.num(data.settings.get("benchmark.cut_small"), 1)
    large = fmt.num(data.settings.get("benchmark.cut_large"), 1)
    lv, ch = fmt.pick(("niveau", "level")), fmt.pick(("verandering", "change"))
    either = fmt.pick((" of ", " or "))
    rules = {
        "best_performers": f"{lv} ≤ −{large}, {ch} ≤ {large}",
        "better_than_average": f"−{large} < {lv} ≤ −{small}, {ch} ≤ {large}{either}−{small} < {lv} ≤ {small}, {ch} ≤ −{large}",
        "good_but_to_monitor": f"{lv} ≤ −{small}, {ch} > {large}",
        "on_average": f"−{small} < {lv} ≤ {small}, −{large} < {ch} ≤ {large}",
        "weak_but_improving": f"{lv} > {small}, {ch} ≤ −{large}",
        "to_watch": f"{small} < {lv} ≤ {large}, {ch} > −{large}{either}−{small} < {lv} ≤ {small}, {ch} > {large}",
        "critical_situation": f"{lv} > {large}, {ch} > −{large}",
    }
    rows = [
        [
            fmt.label("benchmark_classes", code),
            rules.get(code, "–"),
            fmt.help("benchmark_classes", code) or "",
        ]
        for code in fmt.vocab.codes("benchmark_classes")
    ]
    head = [fmt.pick(_T["class"]), fmt.pick(_T["rule"]), fmt.pick(_T["meaning"])]
    return table(fmt.pick(_T["classes"]), head, rows)


def _list(fmt: Fmt, list_name: str, badge: bool = False) -> Raw:
    items = []
    for code in fmt.vocab.codes(list_name):
        term = common.verdict_badge(fmt, code) if badge else esc(fmt.label(list_name, code))
        help_ = fmt.help(list_name, code)
        items.append(f"<div><dt>{term}</dt><dd>{esc(help_ or '')}</dd></div>")
    return Raw(f'<dl class="verdict-legend">{"".join(items)}</dl>')


def _code_table(fmt: Fmt, list_name: str, caption: str, code_head: str) -> Raw:
    rows = [
        [code, fmt.label(list_name, code), fmt.help(list_name, code) or ""]
        for code in fmt.vocab.codes(list_name)
    ]
    head = [code_head, fmt.pick(("Betekenis", "Meaning")), fmt.pick(("Toelichting", "Explanation"))]
    return table(caption, head, rows)
