"""The training page ("regiekamer"): training indicators, their targets and the instruments."""

from __future__ import annotations

from collections import defaultdict

from pipelines.report import i18n, routes
from pipelines.report.data import ReportData
from pipelines.report.markup import Frame, Raw, esc, join, page, table
from pipelines.report.pages import common

_TEXT = {
    "nl": {
        "title": "Opleiding: de regiekamer",
        "intro": "De sociale partners vragen een regiekamer die het hele opleidingsbeleid ziet: alle instrumenten, hun budget (samen ongeveer 1,3 miljard euro), wie ze gebruikt en of ze passen bij de tekortberoepen. Deze pagina bundelt wat de monitor nu al publiceert over opleiding.",
        "indicators": "Indicatoren over opleiding",
        "caption": "Opleidingsindicatoren: laatste waarde en oordeel voor Vlaanderen",
        "head": [
            "Indicator",
            "Enquête",
            "Referentieperiode",
            "Vlaanderen",
            "België",
            "EU-27",
            "Oordeel (Vlaanderen)",
        ],
        "definitions": "Twee manieren om deelname aan opleiding te meten",
        "definitions_intro": "Deelname in de laatste 4 weken (EAK) en in de laatste 12 maanden (EAK-module of AES) zijn verschillende cijfers. De monitor toont ze naast elkaar en telt ze nooit samen tot één reeks. Het EU-doel van 60 % gaat over 12 maanden.",
        "instruments": "Opleidingsinstrumenten",
        "missing": "De levering van de opleidingsinstrumenten (VOV, IBO, KMO-portefeuille, STS, CVO, Syntra, VDAB, ...: budget, gebruikers, financiering en doelgroepen) is nog geen deel van de publicatie. Zodra de tabel mart_training_instruments in de gepubliceerde databank staat, verschijnt ze hier.",
        "instruments_caption": "Opleidingsinstrumenten zoals geleverd",
        "no_target": "geen doel",
    },
    "en": {
        "title": "Training: the steering room",
        "intro": "The social partners ask for a steering room that sees the whole of training policy: every instrument, its budget (about €1.3 billion in total), who uses it and whether it fits the shortage occupations. This page gathers what the monitor already publishes on training.",
        "indicators": "Training indicators",
        "caption": "Training indicators: latest value and verdict for Flanders",
        "head": [
            "Indicator",
            "Survey",
            "Reference period",
            "Flanders",
            "Belgium",
            "EU-27",
            "Verdict (Flanders)",
        ],
        "definitions": "Two ways to measure participation in training",
        "definitions_intro": "Participation in the last 4 weeks (LFS) and in the last 12 months (LFS module or AES) are different figures. The monitor shows them side by side and never joins them into one series. The EU target of 60% is about 12 months.",
        "instruments": "Training instruments",
        "missing": "The delivery of the training instruments (VOV, IBO, KMO-portefeuille, STS, CVO, Syntra, VDAB, ...: budget, users, financing and target groups) is not yet part of the publication. As soon as the table mart_training_instruments is in the published database, it appears here.",
        "instruments_caption": "Training instruments as delivered",
        "no_target": "no target",
    },
}


def render(data: ReportData, frame: Frame, lang: str) -> dict[str, str]:
    text, path = _TEXT[lang], routes.page("training", lang)
    training = [i for i in data.indicators if i["domain"] == "opleiding"]
    verdicts = defaultdict(list)
    for row in data.progress:
        if row["geo"] == "BE2":
            verdicts[row["indicator_id"]].append(row)
    rows = []
    for ind in training:
        link = routes.href(path, routes.indicator(ind["indicator_id"], lang))
        cells = [
            Raw(f'<a href="{link}">{esc(common.name(ind, lang))}</a>'),
            ind["survey"],
            i18n.reference_period(ind["reference_period"], lang),
        ]
        for geo in ("BE2", "BE", "EU27_2020"):
            latest = data.latest.get((ind["indicator_id"], geo))
            if latest and latest["latest_value"] is not None:
                cells.append(
                    Raw(
                        f"{common.flagged(latest['latest_value'], latest['latest_flags'], ind['unit'], lang)} ({esc(latest['latest_period'])})"
                    )
                )
            else:
                cells.append(i18n.ui(lang, "no_data"))
        badges = [
            Raw(
                f"{esc(i18n.framework(r['framework'], lang))}: {common.verdict_badge(r['verdict'], lang)}"
            )
            for r in verdicts.get(ind["indicator_id"], [])
        ]
        cells.append(join(badges, "<br>") if badges else text["no_target"])
        rows.append(cells)
    body = [
        common.p(text["intro"]),
        Raw(f'<h2 id="indicators">{esc(text["indicators"])}</h2>'),
        table(text["caption"], text["head"], rows),
        Raw(f'<h2 id="definitions">{esc(text["definitions"])}</h2>'),
        common.p(text["definitions_intro"]),
        Raw(f'<h2 id="instruments">{esc(text["instruments"])}</h2>'),
        _instruments(data, text),
    ]
    other = "en" if lang == "nl" else "nl"
    html = page(
        frame,
        lang=lang,
        path=path,
        title=text["title"],
        body=join(body),
        nav_key="training",
        other_path=routes.page("training", other),
    )
    return {path: html}


def _instruments(data: ReportData, text: dict) -> Raw:
    if data.instruments is None:
        return Raw(f'<p class="notice">{esc(text["missing"])}</p>')
    columns, rows = data.instruments
    return table(
        text["instruments_caption"],
        columns,
        [["–" if v is None else v for v in row] for row in rows],
    )
