"""A failed set expectation names every missing code (an answer with no data for the filter
is refused by the required-codes and required-geographies rules, which must say what lacks)."""

from __future__ import annotations

from pipelines.lib.gate.outcome import Outcome


def outcome(rows: list[dict], count: int) -> Outcome:
    return Outcome(
        suite="raw.eurostat.x",
        stage="raw",
        table="raw.eurostat.x",
        name="raw.required_geographies.comparators",
        expectation="expect_column_distinct_values_to_contain_set",
        column="geo",
        severity="warn",
        success=False,
        description="every comparison geography is in the file",
        unexpected_count=count,
        element_count=0,
        unexpected_rows=rows,
    )


def test_every_missing_code_is_named():
    missing = ["BE", "EU27_2020", "NL", "DE", "FR", "LU", "SE", "DK", "FI"]
    text = outcome([{"missing": g} for g in missing], len(missing)).sentence()
    assert f"on raw.eurostat.x.geo: missing {', '.join(missing)} — every" in text


def test_more_missing_than_kept_says_how_many_more():
    text = outcome([{"missing": "BE2"}], 3).sentence()
    assert "missing BE2 and 2 more" in text


def test_other_failures_keep_their_examples():
    rows = [{"geo": "BE2", "period": "2020"}, {"geo": "BE", "period": "2021"}]
    text = outcome(rows, 2).sentence()
    assert "2 of 0 rows failed (e.g. BE2/2020, BE/2021)" in text
