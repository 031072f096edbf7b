"""The training page, designed for the regiekamer's question: how much of the ~1.3 billion
euro of public training money is demand-financed, and which instrument reaches whom at what
cost per participant? Then the training indicators and their two definitions."""

from __future__ import annotations

from collections import defaultdict

from pipelines.report import routes
from pipelines.report.bars import Segment, stacked_bar
from pipelines.report.data import ReportData, Row
from pipelines.report.fmt import Fmt
from pipelines.report.markup import Frame, Raw, esc, join, table
from pipelines.report.pages import common

INSIDE_GROUPS = ("supply", "demand", "mixed", "not_stated")
DELIVERY_LANG = "nl"  # Flemish departments deliver citations and notes in Dutch

_TEXT = {
    "title": ("Opleiding: de regiekamer", "Training: the steering room"),
    "intro": (
        "De sociale partners vragen een regiekamer die het hele opleidingsbeleid ziet: alle "
        "instrumenten, hun budget (samen ongeveer 1,3 miljard euro), wie ze bereiken en tegen "
        "welke kost. Hoeveel van dat geld volgt de vraag van werkgevers en werknemers, en hoeveel "
        "gaat als subsidie naar het aanbod?",
        "The social partners ask for a steering room that sees the whole of training policy: "
        "every instrument, its budget (about €1.3 billion in total), whom it reaches and at "
        "what cost. How much of that money follows the demand of employers and employees, and "
        "how much subsidises the supply?",
    ),
    "question": (
        "Hoeveel van de 1,3 miljard is vraaggefinancierd?",
        "How much of the 1.3 billion is demand-financed?",
    ),
    "instruments": ("De instrumenten", "The instruments"),
    "outside": ("Buiten de 1,3 miljard", "Outside the 1.3 billion"),
    "missing": (
        "De levering van de opleidingsinstrumenten (VOV, IBO, KMO-portefeuille, STS, CVO, Syntra, "
        "VDAB, ...: budget, gebruikers, financiering en doelgroepen) is nog geen deel van de "
        "publicatie. Zodra de tabel mart_training_instruments in de gepubliceerde databank staat, "
        "verschijnt ze hier.",
        "The delivery of the training instruments (VOV, IBO, KMO-portefeuille, STS, CVO, Syntra, "
        "VDAB, ...: budget, users, financing and target groups) is not yet part of the "
        "publication. As soon as the table mart_training_instruments is in the published "
        "database, it appears here.",
    ),
    "head": (
        ["Instrument", "Beleidsdomein", "Financiering", "Budget (miljoen euro)", "Deelnemers",
         "Euro per deelnemer", "Aandeel in de 1,3 miljard", "Bron"],
        ["Instrument", "Policy domain", "Financing", "Budget (million euro)", "Participants",
         "Euro per participant", "Share of the 1.3 billion", "Source"],
    ),
    "no_budget": ("geen bedrag in de bron", "no figure in the source"),
    "notes": ("Voetnoten (toelichting zoals geleverd)", "Notes (as delivered)"),
    "sources": ("Bronnen", "Sources"),
    "estimate": ("Schatting", "Estimate"),
    "indicators": ("Indicatoren over opleiding", "Training indicators"),
    "ind_caption": (
        "Opleidingsindicatoren: laatste waarde en oordeel per gebied",
        "Training indicators: latest value and verdict per area",
    ),
    "ind_head": (
        ["Indicator", "Enquête", "Referentieperiode", "Vlaanderen", "België", "EU-27", "Oordeel"],
        ["Indicator", "Survey", "Reference period", "Flanders", "Belgium", "EU-27", "Verdict"],
    ),
    "definitions": (
        "Twee manieren om deelname aan opleiding te meten",
        "Two ways to measure participation in training",
    ),
    "definitions_intro": (
        "Deelname in de laatste 4 weken (EAK) en in de laatste 12 maanden (EAK-module of AES) "
        "zijn verschillende cijfers. De monitor toont ze naast elkaar en telt ze nooit samen tot "
        "één reeks. Het EU-doel van 60 % gaat over 12 maanden.",
        "Participation in the last 4 weeks (LFS) and in the last 12 months (LFS module or AES) "
        "are different figures. The monitor shows them side by side and never joins them into "
        "one series. The EU target of 60% is about 12 months.",
    ),
    "no_target": ("geen doel", "no target"),
}  # fmt: skip


def render(data: ReportData, frame: Frame, lang: str) -> dict[str, str]:
    fmt = Fmt(data.vocab, lang)
    path = routes.page("training", lang)
    t = lambda key: fmt.pick(_TEXT[key])  # noqa: E731
    body: list[object] = [common.p(t("intro"), "lead")]
    if data.instruments is None:
        body.append(
            common.section(
                "financing", t("question"), Raw(f'<p class="notice">{esc(t("missing"))}</p>')
            )
        )
    else:
        body += _regiekamer(data, fmt)
    body.append(_indicators(data, fmt, path))
    body.append(common.section("definitions", t("definitions"), common.p(t("definitions_intro"))))
    training = [i for i in data.indicators if i["domain"] == "opleiding"]
    sources = [s for i in training for s in data.indicator_sources(i)]
    sources += [data.sources[d] for d in ("training_instruments",) if d in data.sources]
    return common.named_page(
        data,
        frame,
        fmt,
        "training",
        title=t("title"),
        body=body,
        sources=sources,
    )


def _regiekamer(data: ReportData, fmt: Fmt) -> list[object]:
    t = lambda key: fmt.pick(_TEXT[key])  # noqa: E731
    rows = data.instruments or []
    year = max((r["year"] for r in rows), default=None)
    rows = [r for r in rows if r["year"] == year]
    groups = {g["financing_group"]: g for g in data.financing if g["year"] == year}
    notes = _Notes(fmt)
    return [
        common.section("financing", f"{t('question')} ({year})", *_headline(fmt, groups, rows)),
        common.section(
            "instruments",
            f"{t('instruments')} ({year})",
            _instrument_table(
                data, fmt, [r for r in rows if r["inside_1_3bn"]], notes, inside=True
            ),
            Raw(f'<h3 id="outside">{esc(t("outside"))}</h3>'),
            _instrument_table(
                data, fmt, [r for r in rows if not r["inside_1_3bn"]], notes, inside=False
            ),
            notes.render(),
        ),
    ]


def _headline(fmt: Fmt, groups: dict[str, Row], rows: list[Row]) -> list[object]:
    inside = next(
        (g["year_inside_budget_eur"] for g in groups.values() if g["year_inside_budget_eur"]), None
    )
    amount = lambda key: (groups.get(key) or {}).get("budget_eur") or 0.0  # noqa: E731
    demand, mixed = amount("demand"), amount("mixed")
    share = demand / inside if inside else None
    upper = (demand + mixed) / inside if inside else None
    mln = fmt.pick(("miljoen euro", "million euro"))
    mixed_names = ", ".join(
        fmt.label("instruments", r["instrument"])
        for r in rows
        if r["financing_mode"] == "mixed" and r["inside_1_3bn"]
    )
    big = (
        f'<p class="big-number"><strong>{esc(fmt.percent(share))}</strong> '
        + esc(fmt.pick(("vraaggefinancierd", "demand-financed")))
        + "</p>"
    )
    sentence = fmt.pick(
        (
            f"{fmt.money_m(demand)} {mln} van de {fmt.money_m(inside)} {mln} binnen de ongeveer 1,3 miljard euro gaat naar "
            f"instrumenten waarbij de werkgever of werknemer de opleiding kiest. "
            + (
                f"Tellen we ook het budget mee dat de bron niet splitst tussen aanbod en vraag ({mixed_names}), dan is het hoogstens {fmt.percent(upper)}."
                if mixed
                else ""
            ),
            f"{fmt.money_m(demand)} {mln} of the {fmt.money_m(inside)} {mln} inside the roughly 1.3 billion euro goes to "
            f"instruments where the employer or employee chooses the training. "
            + (
                f"Counting also the budget the source does not split between supply and demand ({mixed_names}), it is at most {fmt.percent(upper)}."
                if mixed
                else ""
            ),
        )
    )
    segments = [
        Segment(
            key,
            fmt.label("financing_groups", key),
            groups[key]["budget_eur"],
            f"{fmt.money_m(groups[key]['budget_eur'])} {mln} ({fmt.percent(groups[key]['share_of_inside_budget'])})",
        )
        for key in INSIDE_GROUPS
        if key in groups and groups[key]["budget_eur"]
    ]
    label = fmt.pick(
        (
            "Budget binnen de 1,3 miljard naar financieringswijze",
            "Budget inside the 1.3 billion by financing mode",
        )
    )
    parts: list[object] = [
        Raw(big),
        common.p(sentence),
        Raw(f'<h3 id="by-mode">{esc(label)}</h3>'),
        stacked_bar(label, segments),
    ]
    without = [r for r in rows if r["inside_1_3bn"] and r["budget_eur"] is None]
    if without:
        names = ", ".join(fmt.label("instruments", r["instrument"]) for r in without)
        parts.append(
            common.p(
                fmt.pick(
                    (
                        f"Zonder bedrag in de bron (niet meegeteld): {names}.",
                        f"Without a figure in the source (not counted): {names}.",
                    )
                ),
                "small",
            )
        )
    outside = groups.get("outside_1_3bn")
    if outside and outside["budget_eur"]:
        estimate = (
            fmt.pick((", deels geschat", ", partly estimated"))
            if outside["includes_estimate"]
            else ""
        )
        parts.append(
            common.p(
                fmt.pick(
                    (
                        f"Buiten de 1,3 miljard komt daar nog {fmt.money_m(outside['budget_eur'])} {mln} bij{estimate} (zie hieronder); dat telt niet mee in de aandelen.",
                        f"Outside the 1.3 billion there is another {fmt.money_m(outside['budget_eur'])} {mln}{estimate} (see below); it is not counted in the shares.",
                    )
                )
            )
        )
    return parts


class _Notes:
    """Numbered footnotes (estimates, notes with the delivery) and sources of the table."""

    def __init__(self, fmt: Fmt) -> None:
        self.fmt = fmt
        self.notes: list[str] = []
        self.sources: list[str] = []

    def note(self, html: str) -> str:
        """A marker for this note (a note said before keeps its number)."""
        first = html not in self.notes
        if first:
            self.notes.append(html)
        n = self.notes.index(html) + 1
        label = self.fmt.pick(("voetnoot", "note"))
        anchor = f' id="fnref-{n}"' if first else ""
        return f'<a href="#fn-{n}"{anchor} aria-label="{label} {n}">{n}</a>'

    def source(self, citation: str, data_label: str) -> str:
        """A link to the numbered source (the citation as delivered, in Dutch)."""
        text = (
            f"{common.foreign(citation, DELIVERY_LANG, self.fmt)} "
            f"({esc(self.fmt.label('data_labels', data_label))})"
        )
        if text not in self.sources:
            self.sources.append(text)
        n = self.sources.index(text) + 1
        label = self.fmt.pick(("bron", "source"))
        return f'<a href="#src-{n}" aria-label="{label} {n}">[{n}]</a>'

    def render(self) -> Raw:
        t = lambda key: self.fmt.pick(_TEXT[key])  # noqa: E731
        back = self.fmt.pick(("terug naar voetnootteken", "back to note mark"))
        notes = "".join(
            f'<li id="fn-{i}">{html} <a href="#fnref-{i}">↩<span class="visually-hidden"> '
            f"{esc(back)} {i}</span></a></li>"
            for i, html in enumerate(self.notes, start=1)
        )
        sources = "".join(
            f'<li id="src-{i}">{text}</li>' for i, text in enumerate(self.sources, start=1)
        )
        return Raw(
            f'<h3 id="notes">{esc(t("notes"))}</h3><ol class="footnotes">{notes}</ol>'
            f'<h3 id="table-sources">{esc(t("sources"))}</h3><ol class="sources">{sources}</ol>'
        )


def _instrument_table(
    data: ReportData, fmt: Fmt, rows: list[Row], notes: _Notes, inside: bool
) -> Raw:
    t = lambda key: fmt.pick(_TEXT[key])  # noqa: E731
    body = []
    for r in rows:
        marks = []
        if r["is_estimate"]:
            marks.append(
                notes.note(
                    esc(f"{t('estimate')}: ")
                    + str(common.foreign(r["estimate_assumption"], DELIVERY_LANG, fmt))
                )
            )
        if r["note"]:
            marks.append(notes.note(str(common.foreign(r["note"], DELIVERY_LANG, fmt))))
        sup = f"<sup>{', '.join(marks)}</sup>" if marks else ""
        name = Raw(esc(fmt.label("instruments", r["instrument"])) + sup)
        budget = (
            fmt.money_m(r["budget_eur"]) + (" (e)" if r["is_estimate"] else "")
            if r["budget_eur"] is not None
            else t("no_budget")
        )
        if r["participants"] is not None:
            unit = fmt.label("participant_units", r["participant_unit"])
            participants = f"{fmt.num(r['participants'], 0)} {unit}"
            per = (
                f"{fmt.num(r['budget_per_participant_eur'], 0)} "
                + fmt.pick(("per", "per"))
                + f" {fmt.label('participant_units_one', r['participant_unit'])}"
                if r["budget_per_participant_eur"] is not None
                else "–"
            )
        else:
            participants, per = "–", "–"
        body.append(
            [
                name,
                fmt.label("policy_domains", r["policy_domain"]) if r["policy_domain"] else "–",
                fmt.label("financing_modes", r["financing_mode"]),
                budget,
                participants,
                per,
                fmt.percent(r["share_of_inside_budget"]) if inside else "–",
                Raw(notes.source(r["source_citation"], r["data_label"])),
            ]
        )
    caption = fmt.pick(
        (
            "Instrumenten binnen de 1,3 miljard, grootste budget eerst",
            "Instruments inside the 1.3 billion, largest budget first",
        )
        if inside
        else ("Instrumenten buiten de 1,3 miljard", "Instruments outside the 1.3 billion")
    )
    return table(caption, t("head"), body, cls="data instruments")


def _indicators(data: ReportData, fmt: Fmt, path: str) -> Raw:
    t = lambda key: fmt.pick(_TEXT[key])  # noqa: E731
    training = [i for i in data.indicators if i["domain"] == "opleiding"]
    verdicts: dict[str, list[Row]] = defaultdict(list)
    for row in data.progress:
        verdicts[row["indicator_id"]].append(row)
    rows = []
    for ind in training:
        link = routes.href(path, routes.indicator(ind["indicator_id"], fmt.lang))
        cells: list[object] = [
            Raw(f'<a href="{link}">{esc(common.name(ind, fmt.lang))}</a>'),
            fmt.label("surveys", ind["survey"]),
            fmt.label("reference_periods", ind["reference_period"]),
        ]
        for geo in ("BE2", "BE", "EU27_2020"):
            latest = data.latest.get((ind["indicator_id"], geo))
            if latest and latest["latest_value"] is not None:
                cells.append(
                    Raw(
                        f"{fmt.flagged(latest['latest_value'], latest['latest_flags'], ind['unit'])} "
                        f"({esc(latest['latest_period'])})"
                    )
                )
            else:
                cells.append(fmt.ui("no_data"))
        badges = [
            Raw(
                f"{esc(common.framework(fmt, r['framework']))} · "
                f"{esc(common.geo_name(data, r['geo'], fmt, short=True))}: {common.verdict_badge(fmt, r['verdict'])}"
            )
            for r in verdicts.get(ind["indicator_id"], [])
            if r["geo"] in ("BE2", "BE")
        ]
        cells.append(join(badges, "<br>") if badges else t("no_target"))
        rows.append(cells)
    return common.section(
        "indicators", t("indicators"), table(t("ind_caption"), t("ind_head"), rows)
    )
