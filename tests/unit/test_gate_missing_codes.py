"""A failed set expectation names every missing code (an answer with no data for the filter
is refused by the required-codes and required-geographies rules, which must say what lacks)."""

from __future__ import annotations

from pipelines.gate.outcome import Outcome


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
    # element_count 0 (unknown) is not printed as "of 0"
    assert "2 rows failed (e.g. BE2/2020, BE/2021)" in text


def test_every_missing_code_is_found_beyond_the_20_that_gx_lists():
    """GX 1.x lists 20 missing codes in no order; the gate reads them all from the frame it
    validated, with the expectation's row condition, in the order asked for."""
    import pandas as pd

    from pipelines.gate.run import _all_missing

    frame = pd.DataFrame({"geo": ["AT", "BE", "BE2", "CZ"], "value": [1.0, None, 2.0, 3.0]})
    wanted = ["AT", "BE", "CZ", "DE", *(f"X{i}" for i in range(25))]
    comparators = {"column": "geo", "value_set": wanted}
    kept = {**comparators, "row_condition": "value==value", "condition_parser": "pandas"}
    assert _all_missing(frame, comparators) == wanted[3:]
    assert _all_missing(frame, kept) == ["BE", *wanted[3:]]
    assert _all_missing(frame, {**kept, "condition_parser": "great_expectations"}) is None
    as_gx_keeps_it = {"pass_through_filter": "value==value", "type": "pass_through"}
    assert _all_missing(frame, {**kept, "row_condition": as_gx_keeps_it}) == ["BE", *wanted[3:]]
