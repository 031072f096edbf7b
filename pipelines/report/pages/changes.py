"""What changed since the last publication: new source files, revised values, the history."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pipelines.report import routes
from pipelines.report.data import ReportData, Row
from pipelines.report.fmt import Fmt
from pipelines.report.markup import Frame, Raw, esc, join, table
from pipelines.report.pages import common


@dataclass(frozen=True)
class Vintage:
    """A dataset whose file differs from the previous publication's."""

    dataset: str
    previous_snapshot: str | None
    snapshot: str
    content_changed: bool  # False: fetched again, same bytes (sha256)


@dataclass
class Comparison:
    """This publication against the previous one in publication_log."""

    current: Row | None
    previous: Row | None
    new_vintages: list[Vintage] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused_since: list[Row] = field(default_factory=list)

    @property
    def new_snapshot_ids(self) -> set[str]:
        return {v.snapshot for v in self.new_vintages}


def compare(log: list[Row], publication_id: str) -> Comparison:
    """Datasets whose file differs from the previous publication's, and refusals since."""
    current = next((e for e in log if e["publication_id"] == publication_id), None)
    published = [
        e for e in log if e["status"] == "published" and e["publication_id"] != publication_id
    ]
    before = [e for e in published if current is None or e["recorded_at"] < current["recorded_at"]]
    previous = before[-1] if before else None
    result = Comparison(current, previous)
    now = {s["dataset"]: s for s in (current or {}).get("snapshots") or []}
    then = {s["dataset"]: s for s in (previous or {}).get("snapshots") or []}
    for dataset, snap in sorted(now.items()):
        old = then.get(dataset)
        if old and old["snapshot_id"] == snap["snapshot_id"]:
            result.unchanged.append(dataset)
        else:
            changed = not old or old.get("sha256") != snap.get("sha256")
            previous_id = old["snapshot_id"] if old else None
            result.new_vintages.append(Vintage(dataset, previous_id, snap["snapshot_id"], changed))
    result.new_vintages.sort(key=lambda v: (not v.content_changed, v.dataset))
    result.removed = sorted(set(then) - set(now))
    start = previous["recorded_at"] if previous else ""
    end = current["recorded_at"] if current else "~"
    result.refused_since = [
        e for e in log if e["status"] != "published" and start < e["recorded_at"] < end
    ]
    return result


def revisions_since(data: ReportData, comparison: Comparison) -> list[Row]:
    """Revised cells that arrived with this publication's new vintages."""
    new = comparison.new_snapshot_ids
    return [r for r in data.revisions if r["current_snapshot_id"] in new]


def render(data: ReportData, frame: Frame, lang: str) -> dict[str, str]:
    fmt = Fmt(data.vocab, lang)
    pick = fmt.pick
    path = routes.page("changes", lang)
    cmp = compare(data.log, data.publication["publication_id"])
    revisions = revisions_since(data, cmp)
    body: list[object] = []
    if cmp.previous is None:
        body.append(
            common.p(
                pick(
                    (
                        "Dit is de eerste publicatie: alle gegevens zijn nieuw.",
                        "This is the first publication: all data are new.",
                    )
                )
            )
        )
    else:
        when = _when(cmp.previous["published_at"], fmt)
        body.append(
            common.p(
                pick(
                    (
                        f"Vergeleken met de vorige publicatie {cmp.previous['publication_id']} ({when}).",
                        f"Compared with the previous publication {cmp.previous['publication_id']} ({when}).",
                    )
                )
            )
        )
    body.append(Raw(f'<h2 id="new-data">{esc(pick(("Nieuwe gegevens", "New data")))}</h2>'))
    if cmp.new_vintages:
        body.append(_vintages(data, cmp, fmt))
    body.append(
        common.p(
            pick(
                (
                    f"{len(cmp.unchanged)} dataset(s) ongewijzigd.",
                    f"{len(cmp.unchanged)} dataset(s) unchanged.",
                )
            )
        )
    )
    if cmp.removed:
        body.append(
            common.p(
                pick(("Niet meer in de publicatie: ", "No longer published: "))
                + ", ".join(cmp.removed)
            )
        )
    body.append(
        Raw(f'<h2 id="revisions">{esc(pick(("Herziene cijfers", "Revised figures")))}</h2>')
    )
    body.append(_revisions(data, revisions, fmt, path))
    body.append(
        Raw(
            f'<h2 id="history">{esc(pick(("Geschiedenis van de publicaties", "Publication history")))}</h2>'
        )
    )
    body.append(_history(data.log, cmp, fmt))
    title = pick(
        ("Wat is er nieuw sinds de vorige publicatie?", "What changed since the last publication?")
    )
    sources = [data.sources[v.dataset] for v in cmp.new_vintages if v.dataset in data.sources]
    return common.named_page(
        data,
        frame,
        fmt,
        "changes",
        title=title,
        body=body,
        sources=sources or None,
    )


def _vintages(data: ReportData, cmp: Comparison, fmt: Fmt) -> Raw:
    pick = fmt.pick
    content = {
        True: ("nieuwe inhoud", "new content"),
        False: ("opnieuw opgehaald, zelfde inhoud", "fetched again, same content"),
    }
    rows = []
    for v in cmp.new_vintages:
        snapshot = data.snapshots.get(v.dataset)
        rows.append(
            [
                v.dataset,
                common.foreign(snapshot["dataset_title"], "en", fmt) if snapshot else "",
                pick(content[v.content_changed]),
                v.previous_snapshot or "–",
                v.snapshot,
                fmt.moment(snapshot["retrieved_at"]) if snapshot else "–",
            ]
        )
    head = pick(
        (
            ["Dataset", "Titel", "Inhoud", "Vorig bestand", "Nieuw bestand", "Opgehaald"],
            ["Dataset", "Title", "Content", "Previous file", "New file", "Retrieved"],
        )
    )
    caption = pick(("Datasets met een nieuw bestand", "Datasets with a new file"))
    return table(
        caption,
        head,
        rows,
        row_attrs=[
            {"data_dataset": v.dataset, "data_changed": str(v.content_changed).lower()}
            for v in cmp.new_vintages
        ],
    )


def _revisions(data: ReportData, revisions: list[Row], fmt: Fmt, path: str) -> Raw:
    pick = fmt.pick
    if not revisions:
        return common.p(
            pick(
                (
                    "Geen herziene cijfers in deze publicatie.",
                    "No revised figures in this publication.",
                )
            )
        )
    counts = Counter((r["dataset"], r["revision_kind"]) for r in revisions)
    summary = table(
        pick(("Aantal wijzigingen per dataset", "Number of changes per dataset")),
        pick((["Dataset", "Soort", "Aantal"], ["Dataset", "Kind", "Number"])),
        [[d, fmt.label("revision_kinds", k), n] for (d, k), n in sorted(counts.items())],
    )
    shown = [r for r in revisions if r["geo"] in data.chart_geos]
    detail = table(
        pick(
            (
                "Wijzigingen voor Vlaanderen, België, de EU en de buurlanden",
                "Changes for Flanders, Belgium, the EU and the neighbours",
            )
        ),
        pick(
            (
                [
                    "Dataset",
                    "Reeks",
                    "Gebied",
                    "Periode",
                    "Soort",
                    "Was",
                    "Wordt",
                    "Verschil",
                    "Indicatoren",
                ],
                [
                    "Dataset",
                    "Series",
                    "Area",
                    "Period",
                    "Kind",
                    "Was",
                    "Now",
                    "Difference",
                    "Indicators",
                ],
            )
        ),
        [
            [
                r["dataset"],
                r["series_key"],
                common.geo_name(data, r["geo"], fmt, short=True),
                r["period"],
                fmt.label("revision_kinds", r["revision_kind"]),
                fmt.flagged(r["previous_value"], r["previous_flags"], None, False),
                fmt.flagged(r["current_value"], r["current_flags"], None, False),
                fmt.num(r["revision"], 2),
                r["indicator_ids"] or "",
            ]
            for r in shown
        ],
    )
    link = routes.href(path, routes.download("revisions.csv"))
    download = Raw(
        f'<p class="downloads"><a href="{link}" download>{esc(pick(("Alle herzieningen als CSV", "All revisions as CSV")))}</a></p>'
    )
    return join([summary, detail, download])


def _when(text: str | datetime | None, fmt: Fmt) -> str:
    """A time from the ledger in Brussels time to the minute; '–' when it does not parse."""
    try:
        value = text if isinstance(text, datetime) else datetime.fromisoformat(text or "")
    except ValueError:
        return "–"
    return fmt.moment(value if value.tzinfo else value.replace(tzinfo=UTC))


def _history(log: list[Row], cmp: Comparison, fmt: Fmt) -> Raw:
    pick = fmt.pick
    rows = [
        [
            _when(e["recorded_at"], fmt),
            fmt.label("publication_statuses", e["status"]),
            e["publication_id"] or "–",
            pick(("ja", "yes")) if e["is_sample"] else pick(("nee", "no")),
            pick(("geslaagd", "passed")) if e["gate_passed"] else pick(("niet geslaagd", "failed")),
            common.foreign(e["reason"], "en", fmt) if e["reason"] else "",
        ]
        for e in reversed(log)
    ]
    refused = common.p(
        pick(
            (
                f"{len(cmp.refused_since)} geweigerde poging(en) sinds de vorige publicatie.",
                f"{len(cmp.refused_since)} refused attempt(s) since the previous publication.",
            )
        )
    )
    head = pick(
        (
            ["Tijdstip", "Status", "Publicatie", "Sample", "Kwaliteitscontrole", "Reden"],
            ["Time", "Status", "Publication", "Sample", "Quality gate", "Reason"],
        )
    )
    return join(
        [
            refused,
            table(
                pick(
                    (
                        "Alle publicatiepogingen, nieuwste eerst",
                        "Every publication attempt, newest first",
                    )
                ),
                head,
                rows,
            ),
        ]
    )
