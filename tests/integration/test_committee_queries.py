"""Every query in docs/queries.md runs on the published sample and answers something."""

from __future__ import annotations

import re

import pytest

from pipelines.cli.query import run_query
from tests.conftest import REPO

QUERIES = re.findall(
    r"## (.+?)\n\n```sql\n(.*?)```", (REPO / "docs" / "queries.md").read_text(), re.S
)
OFF_TRACK = {"moving_away", "insufficient_progress", "not_achieved"}


def test_at_least_ten_documented_queries():
    assert len(QUERIES) >= 10


@pytest.mark.parametrize("title,sql", QUERIES, ids=[t.split(".")[0] for t, _ in QUERIES])
def test_documented_query_runs(published_home, title, sql):
    columns, rows = run_query(published_home / "published" / "monitor.duckdb", sql)
    assert columns and rows, f"query {title!r} returned nothing"


def query(home, sql):
    columns, rows = run_query(home / "published" / "monitor.duckdb", sql)
    return [dict(zip(columns, r, strict=True)) for r in rows]


def test_off_track_query_returns_only_off_track_verdicts(published_home):
    rows = query(published_home, dict(QUERIES)["1. Which goals are off track?"])
    assert {r["verdict_nl"] for r in rows} <= {
        "gaat achteruit",
        "onvoldoende vooruitgang",
        "niet behaald",
    }


def test_rank_query_gives_a_rank_among_27(published_home):
    rows = query(
        published_home, dict(QUERIES)["3. Where does Flanders rank in the EU on adult learning?"]
    )
    assert {r["indicator_id"] for r in rows} == {"adult_learning_4w", "adult_learning_12m_lfs"}
    assert all(1 <= r["rank_among_members"] <= 28 and r["n_members"] == 27 for r in rows)
