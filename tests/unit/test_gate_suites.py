"""The models gate's suites without a refresh: every mart states its grain (the same as its
dbt uniqueness test) and has a uniqueness expectation over it; the consistency queries
re-derive verdicts and classes with the thresholds of config/monitor.yaml, so a wrong but
valid value differs from what they give."""

from __future__ import annotations

import json

import duckdb
import pytest

from pipelines.gate import suites as gate_suites
from pipelines.gate.suites import (
    QUERIES_DIR,
    build_suites,
    gate_parameters,
    query_parameters,
    unique_columns,
)
from pipelines.registry import load_registry
from pipelines.settings import DBT_PROJECT_DIR


@pytest.fixture(scope="module")
def suites():
    return {s.table: s for s in build_suites(load_registry(), "models", {}) if s.table}


def dbt_grains() -> dict[str, list[str]]:
    """mart -> the columns of its dbt uniqueness test (unique_combination or unique)."""
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    grains: dict[str, list[str]] = {}
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        model = (node.get("attached_node") or "").rsplit(".", 1)[-1]
        if node["resource_type"] != "test" or not model.startswith(("mart_", "dim_", "fct_")):
            continue
        if meta.get("name") == "unique_combination":
            grains[model] = list(meta["kwargs"]["columns"])
        elif meta.get("name") == "unique" and model not in grains:
            grains[model] = [node["column_name"]]
    return grains


def test_every_mart_has_its_grain_as_an_expectation(suites):
    marts = sorted(p.stem for p in (DBT_PROJECT_DIR / "models" / "marts").glob("*.sql"))
    grains = dbt_grains()
    for mart in marts:
        suite = suites.get(f"marts.{mart}")
        assert suite is not None, f"marts.{mart} has no suite in expectations/suites/"
        assert suite.grain, f"marts.{mart}: the suite states no grain"
        assert unique_columns(suite.expectations, suite.grain), f"{mart}: grain not checked"
        assert sorted(suite.grain) == sorted(grains[mart]), f"{mart}: dbt says {grains[mart]}"


def test_query_files_use_known_parameters_only():
    for path in sorted(QUERIES_DIR.glob("*.sql")):
        query_parameters(path.read_text())  # raises on an unknown $name


def test_a_missing_threshold_is_named(monkeypatch):
    monkeypatch.setattr(gate_suites, "config", lambda: {"progress": {}, "benchmark": {}})
    with pytest.raises(ValueError, match="progress.with_target.on_track must be a number"):
        gate_parameters()


PROGRESS_ROWS = [
    # target_id, kind, direction, operator, base, latest, level, latest_year, ratio, verdict
    ("r096", "level", "up", ">=", 100.0, 106.0093, 120.0, 2020, 0.96, "on_track"),
    ("r036", "level", "up", ">=", 100.0, 102.2, 120.0, 2020, 0.36, "on_track"),  # wrong
    ("r059", "level", "up", ">=", 100.0, 103.66, 120.0, 2020, 0.59, "insufficient_progress"),
    ("neg", "level", "up", ">=", 100.0, 98.7831, 120.0, 2020, -0.2, "moving_away"),
    ("met", "level", "up", ">=", 100.0, 121.0, 120.0, 2020, 5.0, "achieved"),
    ("unmet", "level", "up", ">=", 100.0, 110.0, 120.0, 2020, 1.1, "achieved"),  # wrong
    ("dir", "direction", "down", None, 10.0, 9.0, None, 2020, None, "on_track"),
    ("dir_up", "direction", "down", None, 10.0, 10.2, None, 2020, None, "on_track"),  # wrong
]


def rederived_verdicts() -> dict[str, str]:
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        """create table marts.mart_target_progress (
            target_id varchar, geo varchar, kind varchar, desired_direction varchar,
            operator varchar, base_value double, latest_value double, target_level double,
            target_value double, latest_year integer, base_year_used integer, target_year integer,
            target_year_passed boolean, observed_cagr double, required_cagr double,
            ratio double, verdict varchar)"""
    )
    for tid, kind, direction, op, base, latest, level, year, ratio, verdict in PROGRESS_ROWS:
        con.execute(
            "insert into marts.mart_target_progress values "
            "(?, 'BE2', ?, ?, ?, ?, ?, ?, ?, ?, 2015, 2030, false, "
            "power(? / ?, 1.0 / (? - 2015)) - 1, null, ?, ?)",
            [
                tid,
                kind,
                direction,
                op,
                base,
                latest,
                level,
                level,
                year,
                latest,
                base,
                year,
                ratio,
                verdict,
            ],
        )
    sql = (QUERIES_DIR / "mart_target_progress.sql").read_text()
    rows = con.execute(
        f"select target_id, verdict_rederived from ({sql})", query_parameters(sql)
    ).fetchall()
    return dict(rows)


def test_the_verdict_is_re_derived_from_the_ratio_and_the_configured_thresholds():
    progress = gate_parameters()
    assert progress["target_on_track"] == 0.95  # config/monitor.yaml progress.with_target
    verdicts = rederived_verdicts()
    stated = {row[0]: row[-1] for row in PROGRESS_ROWS}
    assert verdicts == {
        "r096": "on_track",
        "r036": "insufficient_progress",
        "r059": "insufficient_progress",
        "neg": "moving_away",
        "met": "achieved",
        "unmet": "target not met",
        "dir": "on_track",
        "dir_up": "moving_away",
    }
    contradicted = sorted(t for t in stated if stated[t] != verdicts[t])
    assert contradicted == ["dir_up", "r036", "unmet"]


SCORE_ROWS = [  # geo, direction, change, score_level, score_change, class (the dbt unit test's)
    ("critical", "up", -1.0, 1.2, 0.0, "critical_situation"),
    ("watch_level", "up", -1.0, 0.8, 0.0, "to_watch"),
    ("weak_improving", "up", 3.0, 0.8, -1.2, "weak_but_improving"),
    ("good_monitor", "up", -2.0, -0.8, 1.5, "good_but_to_monitor"),
    ("average", "up", 0.1, 0.2, 0.3, "on_average"),
    ("better_change", "up", 2.0, 0.2, -1.3, "better_than_average"),
    ("best", "up", 0.5, -1.4, 0.2, "best_performers"),
    ("exc_watch", "up", 0.2, 0.0, 1.5, "on_average"),
    ("exc_good_best", "down", -0.1, -1.3, 1.5, "best_performers"),
]


def test_the_benchmark_class_is_re_derived_from_the_scores_and_the_cut_offs():
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute("create table marts.dim_indicator (indicator_id varchar, direction varchar)")
    con.execute(
        """create table marts.mart_benchmark (indicator_id varchar, geo varchar, year integer,
            value double, change double, mean_level double, sd_level double, mean_change double,
            sd_change double, z_level double, z_change double, score_level double,
            score_change double, scoreboard_class varchar, class_before_exception varchar)"""
    )
    for geo, direction, change, level, score_change, _ in SCORE_ROWS:
        con.execute("insert into marts.dim_indicator values (?, ?)", [geo, direction])
        sign = -1 if direction == "up" else 1
        con.execute(
            "insert into marts.mart_benchmark values (?, ?, 2024, null, ?, null, null, null, null, "
            "?, ?, ?, ?, null, null)",
            [geo, geo, change, sign * level, sign * score_change, level, score_change],
        )
    sql = (QUERIES_DIR / "mart_benchmark.sql").read_text()
    rows = con.execute(
        f"select geo, scoreboard_class_rederived, score_level_error from ({sql})",
        query_parameters(sql),
    ).fetchall()
    assert {geo: cls for geo, cls, _ in rows} == {r[0]: r[-1] for r in SCORE_ROWS}
    assert {err for _, _, err in rows} == {0}


# the mart's columns the microdata query reads; the rows below are what dbt would state, then
# a wrong but valid value per row
MICRODATA_COLUMNS = (
    "group_category varchar, reliability varchar, group_value double, reference_value double, "
    "group_se double, reference_se double, gap_pp double, gap_se double, gap_ci_low double, "
    "gap_ci_high double, is_significant boolean, gap_pp_base double, gap_size_change double, "
    "gap_change_se double, min_detectable_change_pp double, gap_trend varchar"
)
# fmt: off
MICRODATA_ROWS = [
    # design-based: gap -10 +- 1.96 x 0.5; 2 points narrower than 5 years before, change SE 0.71
    ("ok", "reliable", 70, 80, 0.3, 0.4, -10, 0.5, -10.979982, -9.020018, True, -12, -2, 0.707107, 2.5, "narrowing"),
    # not assessed: no SE, no interval, no significance; the trend falls back on the MDC
    ("records", "reliable", 70, 72, None, None, -2, None, None, None, None, -3, -1, None, 2.5, "no_clear_change"),
    ("suppressed", "suppressed", None, 80, None, 0.4, None, None, None, None, None, None, None, None, 2.5, None),
    # wrong: an interval of 1.5 SE, a gap within its interval called significant, a change
    # within its uncertainty called narrowing
    ("narrow_interval", "reliable", 70, 80, 0.3, 0.4, -10, 0.5, -10.75, -9.25, True, -12, -2, 0.707107, 2.5, "narrowing"),
    ("not_significant", "reliable", 79.5, 80, 0.3, 0.4, -0.5, 0.5, -1.479982, 0.479982, True, None, None, None, 2.5, None),
    ("overclaimed", "reliable", 70, 80, 0.3, 0.4, -10, 0.5, -10.979982, -9.020018, True, -11, -1, 0.707107, 2.5, "narrowing"),
]
# fmt: on


def test_microdata_interval_significance_and_trend_are_re_derived():
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(f"create table marts.mart_microdata_gaps ({MICRODATA_COLUMNS})")
    for row in MICRODATA_ROWS:
        con.execute(
            f"insert into marts.mart_microdata_gaps values ({', '.join('?' * len(row))})", row
        )
    sql = (QUERIES_DIR / "mart_microdata_gaps.sql").read_text()
    rows = con.execute(
        f"select group_category, gap_pp_error, gap_se_error, gap_ci_low_error, "
        f"is_significant_stated = is_significant_rederived, gap_trend_stated = gap_trend_rederived "
        f"from ({sql})"
    ).fetchall()
    wrong = {
        name
        for name, gap, se, low, significance, trend in rows
        if gap > 1e-6 or se > 1e-6 or low > 1e-6 or not significance or not trend
    }
    assert wrong == {"narrow_interval", "not_significant", "overclaimed"}
    by_name = {r[0]: r for r in rows}
    assert by_name["narrow_interval"][3] > 0.2 and by_name["narrow_interval"][5]
    assert not by_name["not_significant"][4] and not by_name["overclaimed"][5]
