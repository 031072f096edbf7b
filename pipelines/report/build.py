"""Build the static report from the published DuckDB file (read-only) and swap it in."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from pipelines.report import data as report_data
from pipelines.report import downloads, routes, site
from pipelines.report.i18n import LANGS
from pipelines.report.markup import Frame
from pipelines.report.pages import changes, indicator, overview, quality, training

STATIC = Path(__file__).resolve().parent / "static"
DATA_DOCS = Path("gx") / "uncommitted" / "data_docs" / "local_site" / "index.html"


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
    files = render_site(data, out_dir, quality_dir, published_db.name)
    site.swap_in(out_dir, files)
    pages = sum(name.endswith(".html") for name in files)
    return Built(out_dir, pages, len(files), time.perf_counter() - started)


def render_site(
    data: report_data.ReportData, out_dir: Path, quality_dir: Path | None, db_name: str
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
    docs = _data_docs_link(out_dir, quality_dir)
    files: dict[str, str | bytes] = {
        routes.CSS: (STATIC / "report.css").read_text(encoding="utf-8"),
        routes.JS: (STATIC / "filter.js").read_text(encoding="utf-8"),
    }
    for lang in LANGS:
        files |= overview.render(data, frame, lang)
        files |= indicator.render(data, frame, lang)
        files |= training.render(data, frame, lang)
        files |= changes.render(data, frame, lang)
        files |= quality.render(data, frame, lang, docs)
    for ind in data.indicators:
        files |= downloads.indicator_files(data, ind)
    comparison = changes.compare(data.log, pub["publication_id"])
    files |= downloads.revisions_file(changes.revisions_since(data, comparison))
    return files


def _data_docs_link(out_dir: Path, quality_dir: Path | None) -> str | None:
    """The GX Data Docs index relative to the site root, when it exists."""
    if quality_dir is None or not (quality_dir / DATA_DOCS).is_file():
        return None
    return Path(os.path.relpath(quality_dir / DATA_DOCS, out_dir)).as_posix()
