"""Which recorded dbt data-test results the models gate keeps (pipelines/gate/dbt_tests.py):
a test that passed, while the dbt project and the rows of every relation it reads are
unchanged; everything else runs again. A real DuckDB warehouse file, no dbt."""

from __future__ import annotations

import json

import duckdb
import pytest

from pipelines.gate import dbt_tests
from pipelines.gate.dbt_tests import DataTests, record_build, relation_hashes, relations_read
from pipelines.gate.outcome import Outcome

A, B, V = ('"warehouse"."marts"."a"', '"warehouse"."marts"."b"', '"warehouse"."staging"."v"')
# test -> (relations it reads, passed)
TESTS = {
    "test.p.not_null_a_x.1": ([A], True),
    "test.p.in_list_v_x.2": ([V], True),  # reads a view over marts.a
    "test.p.unique_b_y.3": ([B], True),
    "test.p.relationships_a_b.4": ([A, B], True),
    "test.p.accepted_b_y.5": ([B], False),  # failed: always runs again
}


def outcome(uid: str, passed: bool) -> Outcome:
    return Outcome(
        suite="dbt.a",
        stage="models",
        table="marts.a",
        name="dbt." + uid.split(".")[2],
        expectation="dbt test: not_null",
        column=None,
        severity="error",
        success=passed,
        description="dbt not_null test",
        kwargs={"unique_id": uid, "status": "pass" if passed else "fail"},
    )


@pytest.fixture
def home(tmp_path):
    """(warehouse.duckdb, quality folder holding a record of TESTS on it as it is now)."""
    db = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create schema marts; create schema staging")
        con.execute("create table marts.a as select range as x from range(5)")
        con.execute("create table marts.b as select range as y from range(3)")
        con.execute("create view staging.v as select x * 2 as x from marts.a")
        reads = {uid: names for uid, (names, _) in TESTS.items()}
        hashes = relation_hashes(con, [A, B, V])
    outcomes = [outcome(uid, passed) for uid, (_, passed) in TESTS.items()]
    quality = tmp_path / "quality"
    dbt_tests._save(quality, outcomes, "marts-fp", "run-1", "build", reads, hashes)
    return db, quality


def compared(db, quality, run_id: str = "run-2", fingerprint: str = "other") -> DataTests:
    tests = DataTests(quality, fingerprint, run_id, quality.parent / "target", None, db)
    with duckdb.connect(str(db), read_only=True) as con:
        tests.compare(con)
    return tests


def kept(tests: DataTests) -> set[str]:
    return {o.kwargs["unique_id"].split(".")[2] for o in tests.kept}


def selected(tests: DataTests) -> set[str] | None:
    return None if tests.select is None else {uid.split(".")[2] for uid in tests.select}


def test_unchanged_relations_keep_every_passed_result_and_rerun_the_failed_one(home):
    tests = compared(*home)
    assert kept(tests) == {"not_null_a_x", "in_list_v_x", "unique_b_y", "relationships_a_b"}
    assert selected(tests) == {"accepted_b_y"}
    assert tests.found is None  # dbt still has one test to run
    assert all(o.kwargs["kept_since"] for o in tests.kept)


def test_a_change_upstream_of_a_view_reruns_the_view_s_tests(home):
    db, quality = home
    with duckdb.connect(str(db)) as con:
        con.execute("update marts.a set x = 7 where x = 4")
    tests = compared(db, quality)
    assert kept(tests) == {"unique_b_y"}
    assert selected(tests) == {"not_null_a_x", "in_list_v_x", "relationships_a_b", "accepted_b_y"}


def test_a_relation_that_cannot_be_read_reruns_its_tests(home):
    db, quality = home
    with duckdb.connect(str(db)) as con:
        con.execute("drop table marts.b")
        assert relation_hashes(con, [B]) == {B: None}
    tests = compared(db, quality)
    assert kept(tests) == {"not_null_a_x", "in_list_v_x"}


def test_a_changed_dbt_project_reruns_every_test(home, monkeypatch):
    db, quality = home
    monkeypatch.setattr(
        "pipelines.warehouse.dbt_project.dbt_project_fingerprint", lambda: "another project"
    )
    tests = compared(db, quality)
    assert tests.kept == [] and tests.select is None and tests.found is None


def test_nothing_left_to_run_starts_no_dbt(home):
    db, quality = home
    record = json.loads((quality / dbt_tests.RECORD).read_text())
    record["outcomes"] = [o for o in record["outcomes"] if o["success"]]
    record["reads"].pop("test.p.accepted_b_y.5")
    (quality / dbt_tests.RECORD).write_text(json.dumps(record))
    tests = compared(db, quality)
    assert selected(tests) == set()
    assert tests.found == tests.kept and len(tests.found) == 4
    tests.start()
    assert tests.process is None


def test_the_same_run_takes_its_build_results_whole(home):
    db, quality = home
    tests = compared(db, quality, run_id="run-1", fingerprint="marts-fp")
    assert tests.found is not None and len(tests.found) == len(TESTS) and tests.kept == []


def test_a_build_on_another_engine_is_kept_for_its_own_run_only(tmp_path):
    manifest = {"nodes": {}, "sources": {}}
    record_build(tmp_path, {"results": []}, manifest, "fp", "run-1", con=None)
    record = json.loads((tmp_path / dbt_tests.RECORD).read_text())
    assert record["reads"] == {} and record["relations"] == {}


def test_a_test_reads_the_relations_of_its_dependencies():
    manifest = {
        "nodes": {
            "model.p.a": {"resource_type": "model", "relation_name": A},
            "model.p.eph": {"resource_type": "model", "relation_name": None},
            "test.p.t.1": {
                "resource_type": "test",
                "depends_on": {"nodes": ["model.p.a", "source.p.raw.obs", "model.p.eph"]},
            },
        },
        "sources": {"source.p.raw.obs": {"relation_name": '"warehouse"."raw"."obs"'}},
    }
    assert relations_read(manifest) == {
        "test.p.t.1": sorted([A, '"warehouse"."raw"."obs"', "model.p.eph"])
    }


def test_dbt_is_asked_for_the_selected_tests_by_name(monkeypatch, tmp_path):
    monkeypatch.setattr("pipelines.settings.dbt_executable", lambda: tmp_path / "dbt")
    command = dbt_tests._command(tmp_path, ["test.p.unique_b_y.3", "test.p.assert_one_row"])
    assert command[1:5] == ["test", "--select", "unique_b_y", "assert_one_row"]
    assert "--select" not in dbt_tests._command(tmp_path)


def test_a_test_that_neither_ran_nor_was_kept_blocks():
    manifest = {
        "nodes": {
            "model.p.a": {"resource_type": "model", "relation_name": A, "fqn": ["p", "marts", "a"]},
            "test.p.not_null_a_x.1": {
                "resource_type": "test",
                "name": "not_null_a_x",
                "test_metadata": {"name": "not_null"},
                "attached_node": "model.p.a",
                "depends_on": {"nodes": ["model.p.a"]},
            },
        },
        "sources": {},
    }
    reads = dbt_tests.relations_read(manifest)
    assert dbt_tests.without_result(reads, [outcome("test.p.not_null_a_x.1", True)], manifest) == []
    [missing] = dbt_tests.without_result(reads, [], manifest)
    assert not missing.success and missing.severity == "error"
    assert missing.name == "dbt.not_null_a_x" and "could not run" in missing.description
