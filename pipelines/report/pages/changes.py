"""What changed since the last publication: new source files, revised values, the history."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from pipelines.report import i18n, routes
from pipelines.report.data import ReportData, Row
from pipelines.report.markup import Frame, Raw, esc, join, page, table
from pipelines.report.pages import common

KINDS = {
    "new_value": ("nieuwe waarde", "new value"),
    "revised_value": ("herziene waarde", "revised value"),
    "removed_value": ("waarde verdwenen", "value removed"),
    "flags_changed": ("vlag gewijzigd", "flag changed"),
}


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
    pick = lambda pair: i18n.pick(pair, lang)  # noqa: E731
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
        when = _when(cmp.previous["published_at"], lang)
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
        body.append(_vintages(data, cmp, lang))
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
    body.append(_revisions(data, revisions, lang, path))
    body.append(
        Raw(
            f'<h2 id="history">{esc(pick(("Geschiedenis van de publicaties", "Publication history")))}</h2>'
        )
    )
    body.append(_history(data.log, cmp, lang))
    other = "en" if lang == "nl" else "nl"
    title = pick(
        ("Wat is er nieuw sinds de vorige publicatie?", "What changed since the last publication?")
    )
    html = page(
        frame,
        lang=lang,
        path=path,
        title=title,
        body=join(body),
        nav_key="changes",
        other_path=routes.page("changes", other),
    )
    return {path: html}


def _vintages(data: ReportData, cmp: Comparison, lang: str) -> Raw:
    pick = lambda pair: i18n.pick(pair, lang)  # noqa: E731
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
                common.foreign(snapshot["dataset_title"], lang) if snapshot else "",
                pick(content[v.content_changed]),
                v.previous_snapshot or "–",
                v.snapshot,
                i18n.moment(snapshot["retrieved_at"], lang) if snapshot else "–",
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


def _revisions(data: ReportData, revisions: list[Row], lang: str, path: str) -> Raw:
    pick = lambda pair: i18n.pick(pair, lang)  # noqa: E731
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
        [[d, pick(KINDS.get(k, (k, k))), n] for (d, k), n in sorted(counts.items())],
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
                common.geo_name(data, r["geo"], lang, short=True),
                r["period"],
                pick(KINDS.get(r["revision_kind"], (r["revision_kind"],) * 2)),
                common.flagged(r["previous_value"], r["previous_flags"], "", lang, False),
                common.flagged(r["current_value"], r["current_flags"], "", lang, False),
                i18n.number(r["revision"], lang, 2),
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


def _when(text: str | None, lang: str) -> str:
    """An ISO time from the ledger in the page's words; as written when it does not parse."""
    try:
        return i18n.moment(datetime.fromisoformat(text), lang)
    except (TypeError, ValueError):
        return text or "–"


def _history(log: list[Row], cmp: Comparison, lang: str) -> Raw:
    pick = lambda pair: i18n.pick(pair, lang)  # noqa: E731
    status = {"published": ("gepubliceerd", "published"), "refused": ("geweigerd", "refused")}
    rows = [
        [
            e["recorded_at"],
            pick(status.get(e["status"], (e["status"],) * 2)),
            e["publication_id"] or "–",
            pick(("ja", "yes")) if e["is_sample"] else pick(("nee", "no")),
            pick(("geslaagd", "passed")) if e["gate_passed"] else pick(("niet geslaagd", "failed")),
            e["reason"] or "",
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
