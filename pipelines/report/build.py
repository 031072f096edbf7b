"""Build the static report from the published DuckDB file (read-only) and swap it in."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from pipelines.report import data as report_data
from pipelines.report import datadocs, downloads, routes, site
from pipelines.report.i18n import LANGS
from pipelines.report.markup import Frame
from pipelines.report.pages import (
    changes,
    indicator,
    method,
    overview,
    overview_table,
    quality,
    sources,
    training,
)

STATIC = Path(__file__).resolve().parent / "static"


@dataclass(frozen=True)
class Built:
    path: Path
    pages: int
    files: int
    seconds: float


def build_report(published_db: Path, out_dir: Path, quality_dir: Path | None = None) -> Built:
    """Every page in Dutch and English, the downloads and the assets; timed."""
    started = time.perf_counter()
    data = report_data.load(published_db)
    files = render_site(data, quality_dir, published_db.name)
    site.swap_in(out_dir, files)
    pages = sum(
        name.endswith(".html") and not name.startswith(routes.DATA_DOCS + "/") for name in files
    )
    return Built(out_dir, pages, len(files), time.perf_counter() - started)


def render_site(
    data: report_data.ReportData, quality_dir: Path | None, db_name: str
) -> dict[str, str | bytes]:
    pub = data.publication
    frame = Frame(
        publication_id=pub["publication_id"],
        published_at=pub["published_at"].astimezone(UTC),
        is_sample=bool(pub["is_sample"]),
        code_version=pub["code_version"] or "",
        db_name=db_name,
        data_labels=tuple(sorted(data.data_labels.items())),
    )
    docs = datadocs.copy(quality_dir, routes.DATA_DOCS)
    docs_index = f"{routes.DATA_DOCS}/index.html" if docs else None
    files: dict[str, str | bytes] = {
        routes.CSS: (STATIC / "report.css").read_text(encoding="utf-8") + overview.filter_css(data),
        routes.JS: (STATIC / "filter.js").read_text(encoding="utf-8"),
        **docs,
    }
    for lang in LANGS:
        files |= overview.render(data, frame, lang)
        files |= indicator.render(data, frame, lang)
        files |= training.render(data, frame, lang)
        files |= changes.render(data, frame, lang)
        files |= quality.render(data, frame, lang, docs_index)
        files |= method.render(data, frame, lang)
        files |= sources.render(data, frame, lang)
    for ind in data.indicators:
        files |= downloads.indicator_files(data, ind)
    files |= downloads.overview_files(
        overview_table.DOWNLOAD_COLUMNS, overview_table.download_rows(data)
    )
    comparison = changes.compare(data.log, pub["publication_id"])
    files |= downloads.revisions_file(changes.revisions_since(data, comparison))
    return files
