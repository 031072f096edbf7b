"""The data-quality page: the last gate result, its warnings and every expectation checked."""

from __future__ import annotations

from collections import defaultdict

from pipelines.report import routes
from pipelines.report.data import ReportData, Row
from pipelines.report.fmt import Fmt
from pipelines.report.markup import Frame, Raw, esc, table
from pipelines.report.pages import common


def render(data: ReportData, frame: Frame, lang: str, data_docs: str | None) -> dict[str, str]:
    """`data_docs`: the Great Expectations Data Docs index relative to the site root, if any."""
    fmt = Fmt(data.vocab, lang)
    pick = fmt.pick
    path = routes.page("quality", lang)
    entry = next(
        (e for e in data.log if e["publication_id"] == data.publication["publication_id"]), None
    )
    failed = [q for q in data.quality if not q["success"]]
    warnings = [q for q in failed if q["severity"] == "warn"]
    blocking = [q for q in failed if q["severity"] == "error"]
    passed = bool(entry and entry["gate_passed"]) and not blocking
    verdict = pick(("geslaagd", "passed")) if passed else pick(("niet geslaagd", "failed"))
    summary = pick(
        (
            f"Kwaliteitscontrole van deze publicatie: {verdict}. {len(data.quality)} controles, {len(warnings)} waarschuwing(en), {len(blocking)} blokkerende fout(en).",
            f"Quality gate of this publication: {verdict}. {len(data.quality)} checks, {len(warnings)} warning(s), {len(blocking)} blocking failure(s).",
        )
    )
    tone = "good" if passed and not warnings else "mid" if passed else "bad"
    body: list[object] = [
        common.p(
            pick(
                (
                    "Voor elke publicatie controleert de pijplijn de ruwe bestanden en de marts met Great Expectations. Een blokkerende fout houdt de publicatie tegen; een waarschuwing wordt gepubliceerd en hier getoond.",
                    "Before every publication the pipeline checks the raw files and the marts with Great Expectations. A blocking failure stops the publication; a warning is published and shown here.",
                )
            )
        ),
        Raw(f'<p class="gate tone-{tone}"><strong>{esc(summary)}</strong></p>'),
        _stage_table(data.quality, fmt),
        Raw(f'<h2 id="warnings">{esc(pick(("Waarschuwingen", "Warnings")))}</h2>'),
        _findings(warnings, fmt)
        if warnings
        else common.p(pick(("Geen waarschuwingen.", "No warnings."))),
        Raw(f'<h2 id="all-checks">{esc(pick(("Alle controles", "All checks")))}</h2>'),
        _all_checks(data.quality, fmt),
        Raw(
            f'<h2 id="data-docs">{esc(pick(("Technisch verslag (Data Docs)", "Technical report (Data Docs)")))}</h2>'
        ),
        _data_docs(path, data_docs, fmt),
    ]
    return common.named_page(
        data,
        frame,
        fmt,
        "quality",
        title=pick(("Datakwaliteit", "Data quality")),
        body=body,
    )


def _code(text: str | None) -> Raw:
    """A technical identifier (check, table, column): language-neutral."""
    return Raw(f"<code>{esc(text)}</code>") if text else esc("–")


def _stage(fmt: Fmt, stage: str) -> str:
    return fmt.label("gate_stages", stage)


def _stage_table(results: list[Row], fmt: Fmt) -> Raw:
    pick = fmt.pick
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for q in results:
        c = counts[q["stage"]]
        c[0] += 1
        c[1] += bool(q["success"])
        c[2] += (not q["success"]) and q["severity"] == "warn"
        c[3] += (not q["success"]) and q["severity"] == "error"
    stages = fmt.vocab.codes("gate_stages")
    order = [*stages, *sorted(set(counts) - set(stages))]
    rows = [[_stage(fmt, s)] + counts[s] for s in order if s in counts]
    head = pick(
        (
            ["Stap", "Controles", "In orde", "Waarschuwingen", "Blokkerend"],
            ["Stage", "Checks", "Passed", "Warnings", "Blocking"],
        )
    )
    return table(pick(("Controles per stap", "Checks per stage")), head, rows)


def _findings(rows: list[Row], fmt: Fmt) -> Raw:
    pick = fmt.pick
    head = pick(
        (
            [
                "Controle",
                "Stap",
                "Tabel of bestand",
                "Kolom",
                "Wat wordt gecontroleerd",
                "Afwijkend",
            ],
            ["Check", "Stage", "Table or file", "Column", "What is checked", "Unexpected"],
        )
    )
    body = [
        [
            _code(q["name"]),
            _stage(fmt, q["stage"]),
            _code(q["suite"]),
            _code(q["column_name"]),
            common.foreign(q["description"], "en", fmt),
            f"{q['unexpected_count'] or 0} / {q['element_count'] or 0}",
        ]
        for q in rows
    ]
    return table(pick(("Controles met een waarschuwing", "Checks with a warning")), head, body)


def _all_checks(results: list[Row], fmt: Fmt) -> Raw:
    pick = fmt.pick
    parts = []
    stages = dict.fromkeys(q["stage"] for q in results)
    known = fmt.vocab.codes("gate_stages")
    for stage in sorted(stages, key=lambda s: known.index(s) if s in known else 99):
        rows = [q for q in results if q["stage"] == stage]
        head = pick(
            (
                [
                    "Controle",
                    "Tabel of bestand",
                    "Kolom",
                    "Ernst",
                    "Resultaat",
                    "Wat wordt gecontroleerd",
                ],
                ["Check", "Table or file", "Column", "Severity", "Result", "What is checked"],
            )
        )
        body = [
            [
                _code(q["name"]),
                _code(q["suite"]),
                _code(q["column_name"]),
                fmt.label("gate_severities", q["severity"]),
                pick(("in orde", "passed")) if q["success"] else pick(("afwijking", "failed")),
                common.foreign(q["description"], "en", fmt),
            ]
            for q in rows
        ]
        label = _stage(fmt, stage)
        parts.append(
            f"<details><summary>{esc(label)}: {len(rows)}</summary>{table(label, head, body)}</details>"
        )
    return Raw("\n".join(parts))


def _data_docs(path: str, data_docs: str | None, fmt: Fmt) -> Raw:
    if not data_docs:
        return common.p(
            fmt.pick(
                (
                    "De Data Docs van Great Expectations waren er niet bij het maken van dit rapport.",
                    "The Great Expectations Data Docs were not there when this report was built.",
                )
            )
        )
    link = routes.href(path, data_docs)
    text = fmt.pick(
        (
            "Open de Data Docs van Great Expectations (technisch, in het Engels)",
            "Open the Great Expectations Data Docs (technical)",
        )
    )
    note = fmt.pick(
        (
            "Ze staan in de map van het rapport zelf; hun opmaak, die Great Expectations van het "
            "internet laadt, is weggelaten.",
            "They are inside the report's own folder; their styling, which Great Expectations "
            "loads from the internet, is left out.",
        )
    )
    return Raw(
        f'<p><a href="{link}" hreflang="en">{esc(text)}</a></p><p class="small">{esc(note)}</p>'
    )
