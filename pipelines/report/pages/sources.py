"""The sources page: every dataset the publication uses (dim_source), who produces it, under
which licence, which indicators it feeds and which file of it this publication read."""

from __future__ import annotations

from collections import defaultdict

from pipelines.report import routes
from pipelines.report.data import ReportData
from pipelines.report.fmt import Fmt
from pipelines.report.markup import Frame, Raw, esc, table
from pipelines.report.pages import common

_T = {
    "title": ("Bronnen van de cijfers", "Sources of the figures"),
    "intro": (
        "Elke indicator komt uit één dataset van een producent (of wordt berekend uit andere "
        "indicatoren). Hieronder per producent de datasets, hun licentie, de indicatoren die ze "
        "voeden en het bestand dat deze publicatie gebruikte. Dezelfde gegevens staan op elke "
        "indicatorpagina onder 'Definitie, bron en methode'.",
        "Every indicator comes from one dataset of a producer (or is computed from other "
        "indicators). Below, per producer, the datasets, their licence, the indicators they "
        "feed and the file this publication used. The same details are on every indicator page "
        "under 'Definition, source and method'.",
    ),
    "head": (
        ["Dataset", "Titel", "Producent", "Licentie", "Indicatoren", "Bestand in deze publicatie"],
        ["Dataset", "Title", "Producer", "Licence", "Indicators", "File in this publication"],
    ),
    "caption": ("Datasets van {source}", "Datasets of {source}"),
    "unused": ("(geen indicator)", "(no indicator)"),
}


def render(data: ReportData, frame: Frame, lang: str) -> dict[str, str]:
    fmt = Fmt(data.vocab, lang)
    t = lambda key: fmt.pick(_T[key])  # noqa: E731
    path = routes.page("sources", lang)
    by_source: dict[str, list] = defaultdict(list)
    for row in data.sources.values():
        by_source[row["source"]].append(row)
    body: list[object] = [common.p(t("intro"), "lead")]
    order = fmt.vocab.codes("sources")
    for source in sorted(by_source, key=lambda s: order.index(s) if s in order else 99):
        label = fmt.label("sources", source)
        rows = []
        for row in sorted(by_source[source], key=lambda r: r["dataset"]):
            links = []
            for ind_id in (row["indicator_ids"] or "").split(", "):
                ind = data.indicator(ind_id) if ind_id else None
                if ind:
                    href = routes.href(path, routes.indicator(ind_id, lang))
                    links.append(f'<a href="{href}">{esc(common.name(ind, lang))}</a>')
            snapshot = data.snapshots.get(row["dataset"])
            file = (
                f"{snapshot['file']} ({fmt.label('snapshot_modes', snapshot['mode'])}, "
                f"{fmt.moment(snapshot['retrieved_at'])})"
                if snapshot
                else "–"
            )
            rows.append(
                [
                    row["dataset"],
                    common.foreign(row["title"], "en", fmt),
                    row[f"producer_{lang}"] or row["producer"],
                    row[f"licence_{lang}"] or row["licence"],
                    Raw(", ".join(links)) if links else t("unused"),
                    file,
                ]
            )
        body.append(
            common.section(
                f"source-{source}",
                label,
                table(t("caption").format(source=label), t("head"), rows),
            )
        )
    return common.named_page(
        data,
        frame,
        fmt,
        "sources",
        title=t("title"),
        body=body,
        sources=list(data.sources.values()),
    )
