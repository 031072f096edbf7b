"""The gate's GX objects through a real file context: a validation definition is written when its suite
is new or changed and read back otherwise; a failed suite's failed expectations get their
COMPLETE results (every failing row) while the passing ones keep BASIC results."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pipelines.gate.run import _context, _validate
from pipelines.gate.suite import Suite, expectation


def suite(values: list[str]) -> Suite:
    exps = [
        expectation(
            "expect_column_values_to_be_in_set",
            "t.known_code",
            {"column": "code", "value_set": values},
            "known codes only",
        ),
        expectation("expect_column_values_to_not_be_null", "t.has_id", {"column": "id"}, "ids"),
    ]
    for exp in exps:
        exp["severity"] = "critical"
    return Suite(
        name="marts.t",
        stage="marts",
        query="select 1",
        asset=["marts", "t"],
        key=["id"],
        expectations=exps,
        description="a test table",
        table="marts.t",
    )


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    folder = tmp_path_factory.mktemp("quality")
    return folder, _context(folder)


def stored_suite(folder) -> dict:
    path = folder / "gx" / "expectations" / "marts" / "t.json"
    return json.loads(path.read_text())


def test_an_unchanged_suite_is_read_back_and_a_changed_one_written(context):
    folder, ctx = context
    frame = pd.DataFrame({"id": [1, 2], "code": ["A", "B"]})
    _validate(ctx, folder, suite(["A", "B"]), frame)
    path = folder / "gx" / "expectations" / "marts" / "t.json"
    definition = folder / "gx" / "validation_definitions" / "validate marts.t.json"
    written = path.stat().st_mtime_ns, definition.stat().st_mtime_ns
    _validate(ctx, folder, suite(["A", "B"]), frame)
    # read back, not rewritten
    assert (path.stat().st_mtime_ns, definition.stat().st_mtime_ns) == written
    _validate(ctx, folder, suite(["A", "B", "C"]), frame)
    sets = [e["kwargs"].get("value_set") for e in stored_suite(folder)["expectations"]]
    assert ["A", "B", "C"] in sets  # the changed suite was stored


def test_failed_expectations_get_every_row_and_passing_ones_stay_basic(context):
    folder, ctx = context
    frame = pd.DataFrame({"id": range(60), "code": ["A"] * 25 + ["X"] * 35})
    outcomes, quarantine, keys = _validate(ctx, folder, suite(["A"]), frame)
    failed = [o for o in outcomes if not o.success]
    assert [o.name for o in failed] == ["t.known_code"] and failed[0].unexpected_count == 35
    # every failing row goes to the quarantine, beyond BASIC's 20 examples
    assert len(quarantine) == 35
    assert sorted(json.loads(q["row"])["id"] for q in quarantine) == list(range(25, 60))
    stored = ctx.validation_results_store.get(keys[0])
    by_name = {r.expectation_config.meta["name"]: r.result for r in stored.results}
    assert len(by_name["t.known_code"]["unexpected_index_list"]) == 35
    assert "unexpected_index_list" not in by_name["t.has_id"]
    assert stored.meta["complete_results_for"] == "failed expectations"


def test_a_passed_suite_is_reused_only_for_the_very_same_rows(tmp_path):
    from pipelines.gate.cache import passed_cache
    from pipelines.gate.outcome import Outcome

    s = suite(["A", "B"])
    passed = Outcome(
        suite=s.name,
        stage="marts",
        table=s.name,
        name="t.known_code",
        expectation="expect_column_values_to_be_in_set",
        column="code",
        severity="error",
        success=True,
        description="known codes only",
        unexpected_count=0,
        element_count=2,
    )
    frame = pd.DataFrame({"id": [1, 2], "code": ["A", "B"]})
    passed_cache(tmp_path, {s.name: frame}).put(s, [passed])
    assert passed_cache(tmp_path, {s.name: frame.copy()}).get(s) == [passed]
    changed = frame.assign(code=["A", "C"])
    assert passed_cache(tmp_path, {s.name: changed}).get(s) is None
    assert passed_cache(tmp_path, {s.name: frame}).get(suite(["A", "B", "C"])) is None
    # a file cut short (a run killed while writing it) is a miss, not a crash
    cut = tmp_path / "models_cache" / f"{s.name}.json"
    whole = cut.read_text()
    cut.write_text(whole[: len(whole) // 2])
    assert passed_cache(tmp_path, {s.name: frame}).get(s) is None
    cut.write_text(whole)
    failed = Outcome(**{**passed.__dict__, "success": False, "unexpected_count": 1})
    passed_cache(tmp_path, {s.name: frame}).put(s, [failed])  # a failure is never reused
    assert passed_cache(tmp_path, {s.name: frame}).get(s) is None


def test_a_derived_column_checks_only_the_rows_its_expression_keeps(tmp_path):
    """`fct.plausible_range.<indicator>` reads the indicator's headline values from a derived
    column: an out-of-range headline fails with its row; the same value in a breakdown or in
    another indicator is not checked."""
    import duckdb

    from pipelines.gate.suites import derived, with_derived_columns

    exp = derived(
        expectation(
            "expect_column_values_to_be_between",
            "t.plausible_range.a",
            {"column": "a__headline_value", "min_value": 0, "max_value": 100},
            "a within 0-100",
        ),
        "case when indicator_id = 'a' and breakdown = 'total' then value end",
        show=["value"],
    )
    exp["severity"] = "critical"
    s = with_derived_columns(
        Suite(
            "marts.t",
            "marts",
            "select * from t",
            ["marts", "t"],
            ["indicator_id", "breakdown", "year"],
            [exp],
            "t",
        )
    )
    con = duckdb.connect()
    con.execute(
        "create table t as select * from (values ('a', 'total', 2020, 250.0), "
        "('a', 'men', 2020, 300.0), ('b', 'total', 2020, 500.0), ('a', 'total', 2021, 50.0), "
        "('a', 'total', 2022, null)) v(indicator_id, breakdown, year, value)"
    )
    frame = con.execute(s.query).df()
    outcomes, quarantine, _ = _validate(_context(tmp_path), tmp_path, s, frame)
    assert [(o.name, o.success, o.unexpected_count) for o in outcomes] == [
        ("t.plausible_range.a", False, 1)
    ]
    row = json.loads(quarantine[0]["row"])
    assert (row["indicator_id"], row["breakdown"], row["year"], row["value"]) == (
        "a",
        "total",
        2020,
        250.0,
    )


def test_geographies_kept_counts_a_geography_with_only_nan_values_as_lost(tmp_path):
    """`raw.geographies_kept` reads geo where a value is present: a geography whose values are
    all NaN or NULL in the new vintage is named as lost, as pandas' `value==value` did."""
    import duckdb

    from pipelines.gate.suites import _raw_registry_expectations, with_derived_columns
    from pipelines.registry import load_registry

    profile = {"geos": ["BE", "DE", "FR"]}
    exps = [
        e
        for e in _raw_registry_expectations(load_registry(), "lfst_r_lfe2emprt", [], profile)
        if e["meta"]["name"] == "raw.geographies_kept"
    ]
    exps[0]["severity"] = "critical"
    s = with_derived_columns(
        Suite("raw.x", "raw", "select * from o", ["raw", "x"], ["geo"], exps, "x")
    )
    con = duckdb.connect()
    con.execute(
        "create table o as select * from (values ('BE', 1.0), ('DE', 'nan'::double), "
        "('FR', null), ('FR', 2.0)) v(geo, value)"
    )
    frame = con.execute(s.query).df()
    outcomes, quarantine, _ = _validate(_context(tmp_path), tmp_path, s, frame)
    assert not outcomes[0].success
    assert [json.loads(q["row"]) for q in quarantine] == [{"missing": "DE"}]


def test_a_derived_column_must_be_named_apart_from_real_columns():
    """`geo` derived from `geo` would shadow the real column: a derived column is named
    `<column>__<what>`, and a suite that breaks the rule is refused when it is built."""
    from pipelines.gate.suites import derived, with_derived_columns

    exp = derived(
        expectation("expect_column_values_to_not_be_null", "t.geo", {"column": "geo"}, "geo"),
        "case when geo <> 'BE2' then geo end",
        show=["geo"],
    )
    with pytest.raises(ValueError, match=r"marts.t: derived column\(s\) \['geo'\]"):
        with_derived_columns(
            Suite("marts.t", "marts", "select * from t", ["marts", "t"], [], [exp], "t")
        )


def test_row_conditions_of_the_suite_files_check_only_the_rows_they_name(tmp_path):
    """The suite files' row conditions are GX `Condition` objects (no deprecated pandas
    strings): `progress.*` checks only the rows its condition names, and fails on those."""
    import warnings

    from pipelines.gate.suites import _files

    [doc] = [d for d in _files(None) if d["name"] == "marts.mart_target_progress"]
    wanted = (
        "progress.ratio_behind_verdict",
        "progress.explained",
        "progress.target_level_rederived",
    )
    exps = [
        {**e, "severity": "critical"} for e in doc["expectations"] if e["meta"]["name"] in wanted
    ]
    assert sorted(e["meta"]["name"] for e in exps) == sorted(wanted)
    assert all(isinstance(e["kwargs"]["row_condition"], dict) for e in exps)
    assert not any("condition_parser" in e["kwargs"] for e in exps)
    s = Suite("marts.progress", "marts", "select 1", ["marts", "p"], ["id"], exps, "p", "marts.p")
    rows = [  # id, verdict, kind, ratio, reason_code, target_level, target_value
        (1, "on_track", "level", None, None, 5.0, 5.0),  # no ratio behind a verdict: fails
        (2, "on_track", "direction", None, None, 5.0, 6.0),  # direction: neither is checked
        (3, "not_assessable", "level", None, None, 5.0, 5.0),  # not assessable, no reason: fails
        (4, "not_assessable", "level", None, "no_data", 4.0, 5.0),  # level differs: fails
        (5, "moving_away", "change", 0.5, None, 1.0, 9.0),  # a change target: level not checked
    ]
    columns = ["id", "verdict", "kind", "ratio", "reason_code", "target_level", "target_value"]
    frame = pd.DataFrame(rows, columns=columns)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*condition_parser.*")
        outcomes, _, _ = _validate(_context(tmp_path), tmp_path, s, frame)
    failed = {o.name: sorted(r["id"] for r in o.unexpected_rows) for o in outcomes if not o.success}
    assert failed == {
        "progress.ratio_behind_verdict": [1],
        "progress.explained": [3],
        "progress.target_level_rederived": [4],
    }
