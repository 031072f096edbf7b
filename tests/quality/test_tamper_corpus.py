"""The tamper corpus (issue 16): after a sample refresh, the build warehouse's marts are
corrupted and `monitor publish` runs. Every case is refused, the output names the check that
refused it, the gate record holds that check as a failed `error`, and the published file stays
byte-identical. A wrong but valid value is caught as well as a broken one: duplicates in each
mart's grain, NaN and infinity in every numeric column that feeds a verdict or a class,
verdicts, classes, gaps and changes that contradict their own inputs, a missing target, a
percentage of 250, and a case only a dbt data test sees.

One sample refresh serves the module (the session's, copied once); the warehouse is restored
from a pristine copy before each case. `monitor publish` runs in this process through the
command's own entry point (`pipelines.cli.main`), which saves each case the ~15 s of a new
process importing Dagster and Great Expectations; the first case also runs the console
command in a subprocess to show both behave alike."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import monitor_cmd
from tests.reliability import figures

pytestmark = [pytest.mark.slow, pytest.mark.reliability]

# case -> (SQL that corrupts the build warehouse, the check that must refuse it)
CASES: dict[str, tuple[list[str], str]] = {
    "duplicate_benchmark_rows": (
        [
            "insert into marts.mart_benchmark select * from marts.mart_benchmark where geo = 'BE2' limit 3"
        ],
        "mart_benchmark.grain",
    ),
    "duplicate_target_progress_row": (
        [
            "insert into marts.mart_target_progress select * from marts.mart_target_progress "
            "where target_id = 'vl2030_employment_80'"
        ],
        "mart_target_progress.grain",
    ),
    "duplicate_group_gap": (
        [
            "insert into marts.mart_group_gaps select * from marts.mart_group_gaps where geo = 'BE2' limit 1"
        ],
        "mart_group_gaps.grain",
    ),
    "nan_z_level": (
        [
            "update marts.mart_benchmark set z_level = 'nan'::double where geo = 'BE2' and year = 2023"
        ],
        "mart_benchmark.finite.z_level",
    ),
    "infinite_score_change": (
        [
            "update marts.mart_benchmark set score_change = 'inf'::double where geo = 'BE2' and year = 2022"
        ],
        "mart_benchmark.finite.score_change",
    ),
    "nan_ratio": (
        [
            "update marts.mart_target_progress set ratio = 'nan'::double "
            "where target_id = 'vl2030_employment_80'"
        ],
        "mart_target_progress.finite.ratio",
    ),
    "on_track_at_ratio_0_36": (  # the example: R = 0.359 is insufficient progress
        [
            "update marts.mart_target_progress set verdict = 'on_track' "
            "where target_id = 'be2030_arope_minus_279k' and ratio between 0.35 and 0.37"
        ],
        "progress.verdict_rederived",
    ),
    "direction_goal_verdict_against_its_growth": (
        [
            "update marts.mart_target_progress set verdict = 'on_track' where target_id = 'serv_neet_down'"
        ],
        "progress.verdict_rederived",
    ),
    "achieved_but_target_not_met": (
        [
            "update marts.mart_target_progress set verdict = 'achieved' "
            "where target_id = 'eu2030_employment_78' and geo = 'BE'"
        ],
        "progress.verdict_rederived",
    ),
    "ratio_not_from_its_growth_rates": (  # verdict and ratio agree, the ratio is invented
        [
            "update marts.mart_target_progress set ratio = 0.99, verdict = 'on_track' "
            "where target_id = 'eu2030_digital_skills_80' and geo = 'BE'"
        ],
        "progress.ratio_rederived",
    ),
    "benchmark_class_against_its_scores": (
        [
            "update marts.mart_benchmark set scoreboard_class = 'best_performers', "
            "class_before_exception = 'best_performers' "
            "where class_before_exception = 'critical_situation' and geo = 'BE2'"
        ],
        "benchmark.class_rederived",
    ),
    "gap_not_group_minus_reference": (
        [
            "update marts.mart_group_gaps set gap_pp = gap_pp + 1.5 "
            "where geo = 'BE2' and reliability = 'reliable' and year = 2023"
        ],
        "gaps.gap_rederived",
    ),
    "gap_trend_claimed_within_its_uncertainty": (
        [
            "update marts.mart_group_gaps set gap_trend = 'narrowing' "
            "where geo = 'BE2' and gap_trend = 'no_clear_change'"
        ],
        "gaps.trend_rederived",
    ),
    "change_not_latest_minus_previous": (
        [
            "update marts.mart_indicator_latest set change_since_previous = change_since_previous + 3 "
            "where geo = 'BE2' and indicator_id = 'employment_rate_20_64'"
        ],
        "latest.change_rederived",
    ),
    "target_missing_for_one_geography": (
        [
            "delete from marts.mart_target_progress "
            "where target_id = 'eu2030_employment_78' and geo = 'BE'"
        ],
        "progress.every_target_geography",
    ),
    "target_missing_entirely": (
        ["delete from marts.mart_target_progress where target_id = 'vl2030_employment_80'"],
        "progress.all_targets_present",
    ),
    "percentage_of_250": (
        [
            "update marts.fct_indicator_values set value = 250 where indicator_id = 'employment_rate_20_64' "
            "and geo = 'BE2' and period = '2024' and breakdown = 'total'"
        ],
        "fct.pct_range",
    ),
    "only_a_dbt_test_sees_it": (  # dim_target.indicator_id: not_null in dbt, no GX expectation
        [
            "update marts.dim_target set indicator_id = null where target_id = 'vl2030_employment_80'"
        ],
        "dbt.not_null_dim_target_indicator_id",
    ),
    "reason_code_outside_the_vocabulary": (  # a code the report could not put into words
        [
            "update marts.mart_target_progress set reason_code = 'made_up_reason' "
            "where verdict = 'not_assessable'"
        ],
        "dbt.in_vocabulary_mart_target_progress_reason_code__progress_reasons",
    ),
}

# numeric columns whose values decide a verdict, a class or a gap
FEEDING_COLUMNS = {
    "mart_target_progress": [
        "target_value",
        "target_level",
        "base_value",
        "latest_value",
        "observed_cagr",
        "required_cagr",
        "ratio",
    ],
    "mart_benchmark": [
        "value",
        "change",
        "mean_level",
        "sd_level",
        "mean_change",
        "sd_change",
        "z_level",
        "z_change",
        "score_level",
        "score_change",
    ],
    "mart_group_gaps": [
        "group_value",
        "reference_value",
        "gap_pp",
        "gap_ratio",
        "gap_size_change",
        "min_detectable_change_pp",
    ],
}
NON_FINITE = ("'nan'::double", "'inf'::double", "'-inf'::double")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def corpus(published_home, tmp_path_factory):
    """(home, pristine warehouse copy) with the environment pointing at that home."""
    home = tmp_path_factory.mktemp("tamper") / "home"
    shutil.copytree(published_home, home)
    pristine = home.parent / "pristine.duckdb"
    shutil.copy(home / "warehouse.duckdb", pristine)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MONITOR_HOME", str(home))
        env.setenv("DAGSTER_HOME", str(home / "dagster"))
        env.setenv("MONITOR_WAREHOUSE_DB", str(home / "warehouse.duckdb"))
        env.delenv("MONITOR_PUBLISHED_DB", raising=False)
        yield home, pristine


def tamper(home: Path, pristine: Path, statements: list[str]) -> None:
    """Restore the warehouse of the sample refresh, then corrupt it; every statement must
    change something (a corruption that touches no row would pass for the wrong reason)."""
    target = home / "warehouse.duckdb"
    shutil.copy(pristine, target)
    Path(f"{target}.wal").unlink(missing_ok=True)
    con = duckdb.connect(str(target))
    try:
        for sql in statements:
            changed = con.execute(sql).fetchall()[0][0]
            assert changed > 0, f"no row changed by: {sql}"
    finally:
        con.close()


def publish(capsys) -> tuple[int, str]:
    from pipelines.cli import main

    capsys.readouterr()
    code = main(["publish"])
    return code, capsys.readouterr().out


def failed_checks(home: Path) -> dict[str, str]:
    """Failed outcomes of the models gate record: name -> severity."""
    record = json.loads((home / "quality" / "gate_models.json").read_text())
    return {o["name"]: o["severity"] for o in record["outcomes"] if not o["success"]}


def assert_refused(home: Path, code: int, out: str, check: str, before: str) -> None:
    assert code == 1, out[-3000:]
    assert "result: NOT PUBLISHED" in out, out[-3000:]
    assert check in out, f"{check} not named:\n{out[-4000:]}"
    assert failed_checks(home).get(check) == "error", failed_checks(home)
    assert sha(home / "published" / "monitor.duckdb") == before


def test_the_console_command_refuses_a_tampered_mart(corpus):
    """The same as the in-process cases, through `monitor publish` in its own process."""
    home, pristine = corpus
    statements, check = CASES["duplicate_benchmark_rows"]
    tamper(home, pristine, statements)
    before = sha(home / "published" / "monitor.duckdb")
    done = monitor_cmd("publish", home=home)
    assert "Traceback" not in done.stdout + done.stderr
    assert_refused(home, done.returncode, done.stdout, check, before)


@pytest.mark.parametrize("case", list(CASES))
def test_tampered_mart_is_refused(case, corpus, capsys):
    home, pristine = corpus
    statements, check = CASES[case]
    tamper(home, pristine, statements)
    before = sha(home / "published" / "monitor.duckdb")
    with figures.trial("bad inputs refused"):
        code, out = publish(capsys)
        assert_refused(home, code, out, check, before)
    keep_row(case, check)


def test_duplicates_in_every_marts_grain(corpus, capsys):
    """One duplicated row in every mart (made-up rows in the empty ones): each mart's grain
    expectation fails as a blocking error."""
    from pipelines.gate.suites import build_suites, unique_columns
    from pipelines.registry import load_registry

    home, pristine = corpus
    con = duckdb.connect(str(pristine), read_only=True)
    marts = [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "and table_type = 'BASE TABLE' order by 1"
        ).fetchall()
    ]
    counts = {t: con.execute(f"select count(*) from marts.{t}").fetchall()[0][0] for t in marts}
    con.close()
    suites = {s.table: s for s in build_suites(load_registry(), "models", {}) if s.table}
    grains, statements = {}, []
    for table in marts:
        suite = suites.get(f"marts.{table}")
        assert suite is not None and suite.grain, f"marts.{table} has no suite stating its grain"
        grains[table] = unique_columns(suite.expectations, suite.grain)
        assert grains[table], f"marts.{table}: no uniqueness expectation over {suite.grain}"
        if counts[table]:
            statements.append(f"insert into marts.{table} select * from marts.{table} limit 1")
        else:
            values = ", ".join(
                "'2020'" if c in ("year", "period") else f"'x_{c}'" for c in suite.grain
            )
            statements.append(
                f"insert into marts.{table} ({', '.join(suite.grain)}) values ({values}), ({values})"
            )
    tamper(home, pristine, statements)
    before = sha(home / "published" / "monitor.duckdb")
    code, out = publish(capsys)
    assert code == 1 and "result: NOT PUBLISHED" in out, out[-3000:]
    failed = failed_checks(home)
    assert {t: failed.get(name) for t, name in grains.items()} == {t: "error" for t in grains}
    assert sha(home / "published" / "monitor.duckdb") == before
    keep_row("duplicates_in_every_marts_grain", f"{len(grains)} grain checks, e.g. dim_geo.grain")


def test_nan_and_infinity_in_every_feeding_column(corpus, capsys):
    """NaN, +inf and -inf (in turn, on different rows) in every numeric column that feeds a
    verdict, a class or a gap: each column's finiteness check fails as a blocking error."""
    home, pristine = corpus
    statements = []
    for table, columns in FEEDING_COLUMNS.items():
        for n, column in enumerate(columns):
            bad = NON_FINITE[n % 3]
            statements.append(
                f"update marts.{table} set {column} = {bad} where rowid = (select rowid from "
                f"marts.{table} where {column} is not null order by rowid limit 1 offset {n})"
            )
    tamper(home, pristine, statements)
    before = sha(home / "published" / "monitor.duckdb")
    code, out = publish(capsys)
    assert code == 1 and "result: NOT PUBLISHED" in out, out[-3000:]
    failed = failed_checks(home)
    expected = {f"{t}.finite.{c}" for t, cols in FEEDING_COLUMNS.items() for c in cols}
    assert {name: failed.get(name) for name in expected} == dict.fromkeys(expected, "error")
    assert sha(home / "published" / "monitor.duckdb") == before
    total = sum(len(c) for c in FEEDING_COLUMNS.values())
    keep_row("nan_and_infinity_in_every_feeding_column", f"{total} finiteness checks")


# dimension -> (a row of it the build lost, the completeness check that must refuse it)
DIMENSION_ROWS = {
    "dim_geo": ("geo = 'NL'", "dim_geo.all_present"),
    "dim_target": ("target_id = 'vl2030_employment_80'", "dim_target.all_present"),
    "dim_vocabulary": ("list_name = 'gap_trends'", "dim_vocabulary.all_present"),
    "dim_setting": ("key = 'progress.with_target.on_track'", "dim_setting.all_present"),
}


def test_a_dimension_that_lost_rows(corpus, capsys):
    """A geography, a target, a vocabulary list and a threshold deleted from their dimensions
    (every remaining row valid): each dimension's completeness check fails as an error."""
    home, pristine = corpus
    tamper(
        home,
        pristine,
        [
            f"delete from marts.{table} where {where}"
            for table, (where, _) in DIMENSION_ROWS.items()
        ],
    )
    before = sha(home / "published" / "monitor.duckdb")
    code, out = publish(capsys)
    assert code == 1 and "result: NOT PUBLISHED" in out, out[-3000:]
    failed = failed_checks(home)
    checks = [check for _, check in DIMENSION_ROWS.values()]
    assert {c: failed.get(c) for c in checks} == dict.fromkeys(checks, "error"), failed
    assert sha(home / "published" / "monitor.duckdb") == before
    keep_row("a_dimension_that_lost_rows", ", ".join(checks))


def test_an_untampered_warehouse_publishes(corpus, capsys):
    """The control (last in the module): the same warehouse, restored, passes every check."""
    home, pristine = corpus
    tamper(home, pristine, [])
    code, out = publish(capsys)
    assert code == 0, out[-3000:]
    assert "result: PUBLISHED" in out
    assert failed_checks(home) == {}


def test_corpus_has_at_least_ten_kinds():
    assert len(CASES) + 3 >= 10


def keep_row(case: str, check: str) -> None:
    """case -> check, appended to test-output/tamper_corpus.md (git-ignored) for the record."""
    from tests.conftest import REPO

    folder = REPO / "test-output"
    folder.mkdir(exist_ok=True)
    with open(folder / "tamper_corpus.md", "a", encoding="utf-8") as handle:
        handle.write(f"| {case} | {check} |\n")
