"""`monitor report`: rebuild the static report from the published database."""

from __future__ import annotations

import sys


def run(args) -> int:
    from pipelines.report import build_report
    from pipelines.settings import paths

    where = paths()
    if not where.published_db.exists():
        print(
            f"error: nothing published yet at {where.published_db}; run `monitor refresh`",
            file=sys.stderr,
        )
        return 1
    built = build_report(where.published_db, where.report_dir, quality_dir=where.quality)
    print(
        f"report: {built.pages} pages, {built.files} files in {built.seconds:.1f}s -> {built.path / 'index.html'}"
    )
    return 0
