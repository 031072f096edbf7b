"""A run's attempt: each stage's part is written atomically and read back by name; parts of
another run are not mixed in; old runs are pruned."""

from __future__ import annotations

import os

from pipelines.publish import attempt


def test_parts_are_read_back_by_run_and_name(tmp_path):
    attempt.note(tmp_path, "run-a", "source.eurostat__ilc_li41", {"observations": 435})
    attempt.note(tmp_path, "run-a", "gate.raw", {"passed": True, "checks": []})
    attempt.note(tmp_path, "run-b", "published", {"publication_id": "p1"})
    attempt.note(tmp_path, None, "published", {"publication_id": "no run"})  # nothing written
    run = attempt.read(tmp_path, "run-a")
    assert run.part("gate.raw") == {"passed": True, "checks": []}
    assert run.prefixed("source") == {"eurostat__ilc_li41": {"observations": 435}}
    assert run.part("published") is None
    assert attempt.read(tmp_path, "run-b").part("published") == {"publication_id": "p1"}
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_part_written_again_replaces_the_first(tmp_path):
    attempt.note(tmp_path, "r", "dbt", {"models": 1})
    attempt.note(tmp_path, "r", "dbt", {"models": 40})
    assert attempt.read(tmp_path, "r").part("dbt") == {"models": 40}


def test_prune_keeps_the_newest_runs(tmp_path):
    for i in range(5):
        attempt.note(tmp_path, f"run-{i}", "dbt", {"models": i})
        os.utime(tmp_path / "attempts" / f"run-{i}", (1000 + i, 1000 + i))
    attempt.prune(tmp_path, keep=2)
    assert sorted(p.name for p in (tmp_path / "attempts").iterdir()) == ["run-3", "run-4"]


def test_a_part_keeps_the_order_its_stage_wrote(tmp_path):
    """The summary lists what a stage counted in the stage's order (e.g. the disclosure rules)."""
    rules = {
        "suppressed_min_respondents": 3,
        "suppressed_attribute_0_100": 2,
        "suppressed_secondary": 1,
    }
    attempt.note(tmp_path, "r", "source.microdata__lfs_aggregates", rules)
    part = attempt.read(tmp_path, "r").prefixed("source")["microdata__lfs_aggregates"]
    assert list(part) == list(rules)
