"""Fixtures for the report tests: the report the session's sample refresh published."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.htmlscan import Page, parse


@pytest.fixture(scope="session")
def published_db(published_home) -> Path:
    return published_home / "published" / "monitor.duckdb"


@pytest.fixture(scope="session")
def report_dir(published_home) -> Path:
    """Written by the refresh's `publication/report` asset, not by the test."""
    site = published_home / "published" / "report"
    assert (site / "index.html").is_file(), "the refresh wrote no report"
    return site


DATA_DOCS = "data-docs"  # Great Expectations' own pages, copied in (tests/report/test_site.py)


@pytest.fixture(scope="session")
def pages(report_dir) -> dict[str, Page]:
    """The report's own pages (not the copied Data Docs)."""
    return {
        p.relative_to(report_dir).as_posix(): parse(p, report_dir)
        for p in sorted(report_dir.rglob("*.html"))
        if p.relative_to(report_dir).parts[0] != DATA_DOCS
    }


@pytest.fixture(scope="session")
def data_docs_pages(report_dir) -> dict[str, Page]:
    return {
        p.relative_to(report_dir).as_posix(): parse(p, report_dir)
        for p in sorted((report_dir / DATA_DOCS).rglob("*.html"))
    }
