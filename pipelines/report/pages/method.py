"""The method page: how a verdict, a trend and an EU class come about, with the thresholds
the publication used (dim_setting, from config/monitor.yaml) and every label's meaning."""

from __future__ import annotations

from pipelines.report import routes
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
        "Het is kleiner of groter geworden als het over vijf jaar meer dan {threshold} "
        "procentpunt veranderde; anders stabiel. Cijfers uit microdata met minder dan {publish} "
        "respondenten worden niet gepubliceerd, minder dan {reliable} krijgen de vlag lage "
        "betrouwbaarheid. Waar de gegevens een standaardfout meegeven, tonen de grafieken het "
        "95 %-betrouwbaarheidsinterval.",
        "The gap is the group's value minus the reference group's, in percentage points. It "
        "narrowed or widened when it changed by more than {threshold} percentage points over "
        "five years; otherwise it is stable. Microdata cells with fewer than {publish} "
        "respondents are not published, fewer than {reliable} are flagged low reliability. "
        "Where the data carry a standard error, the charts show the 95% confidence interval.",
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
    path = routes.page("method", lang)
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
            common.p(
                t("gaps_text").format(
                    threshold=number("gaps.trend_threshold_pp", 1),
                    publish=number("disclosure.min_n_publish", 0),
                    reliable=number("disclosure.min_n_reliable", 0),
                )
            ),
            Raw(f'<h3 id="gap-trends">{esc(t("meaning"))}</h3>'),
            _list(fmt, "gap_trends"),
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
    other = "en" if lang == "nl" else "nl"
    html = common.document(
        data,
        frame,
        fmt,
        path=path,
        title=t("title"),
        body=body,
        nav_key="method",
        other_path=routes.page("method", other),
    )
    return {path: html}


def _settings_table(data: ReportData, fmt: Fmt, caption: str) -> Raw:
    rows = []
    for key in fmt.vocab.codes("method_settings"):
        if key not in data.settings:
            continue
        value = data.settings[key]
        if key.startswith("progress.without_target"):
            text = fmt.growth(value)
        elif key.endswith(("base_year", "min_points", "min_n_publish", "min_n_reliable")):
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
