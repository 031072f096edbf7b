"""`monitor publish` runs only the dbt data tests whose inputs changed since they last passed
(pipelines/gate/dbt_tests.py): on the sample refresh's warehouse, unchanged, no dbt test
runs; with a vocabulary code deleted from the registry table (no mart changes, only the
staging view over it), exactly the tests that read a changed relation run, and the one that
sees the missing code refuses the publication; with the code back, it runs again and passes.
`monitor publish` runs in this process through the command's own entry point."""

from __future__ import annotations

import json
import re
import shutil

import duckdb
import pytest

pytestmark = pytest.mark.slow

REFUSING = "dbt.in_vocabulary_mart_target_progress_reason_code__progress_reasons"
CODE = "target_met_after_break"  # a progress reason the sample's marts use


@pytest.fixture
def home(published_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MONITOR_HOME", str(home))
        env.setenv("DAGSTER_HOME", str(home / "dagster"))
        env.setenv("MONITOR_WAREHOUSE_DB", str(home / "warehouse.duckdb"))
        env.delenv("MONITOR_PUBLISHED_DB", raising=False)
        yield home


def publish(capsys) -> tuple[int, str]:
    """(exit code, progress on stderr and the summary on stdout)."""
    from pipelines.cli import main

    capsys.readouterr()
    code = main(["publish"])
    captured = capsys.readouterr()
    return code, captured.err + captured.out


def record(home) -> dict:
    return json.loads((home / "quality" / "dbt_tests.json").read_text())


def test_publish_runs_only_the_dbt_tests_whose_inputs_changed(home, capsys):
    built = record(home)
    assert built["invocation"] == "build" and built["reads"], "the refresh's build records them"
    total = len(built["reads"])

    code, out = publish(capsys)
    assert code == 0, out[-3000:]
    assert f"dbt data tests: {total} of {total} kept" in out, out[-3000:]
    assert "dbt test," not in out  # dbt did not start
    assert record(home)["invocation"] == "build"

    where = f"list_name = 'progress_reasons' and code = '{CODE}'"
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        row = con.execute(f"select * from registry.vocabulary where {where}").fetchall()
        assert len(row) == 1
        con.execute(f"delete from registry.vocabulary where {where}")
    code, out = publish(capsys)
    assert code == 1 and "result: NOT PUBLISHED" in out, out[-3000:]
    assert REFUSING in out, out[-3000:]
    after = record(home)
    changed = {r for r, h in after["relations"].items() if built["relations"].get(r) != h}
    assert changed and not any('."marts".' in r for r in changed), changed
    reading_changed = {uid for uid, names in after["reads"].items() if set(names) & changed}
    assert set(after["ran"]) == reading_changed, set(after["ran"]) ^ reading_changed
    assert 0 < len(after["ran"]) < total
    assert re.fullmatch(
        rf"test of {len(after['ran'])}, {total - len(after['ran'])} kept", after["invocation"]
    )
    failed = {o["name"] for o in after["outcomes"] if not o["success"]}
    assert failed == {REFUSING}

    with duckdb.connect(str(home / "warehouse.duckdb")) as con:  # the code back
        con.execute(
            f"insert into registry.vocabulary values ({', '.join('?' * len(row[0]))})", row[0]
        )
    code, out = publish(capsys)
    assert code == 0, out[-3000:]
    again = record(home)
    refusing = next(o for o in again["outcomes"] if o["name"] == REFUSING)
    assert refusing["success"] and refusing["kwargs"]["unique_id"] in again["ran"]
