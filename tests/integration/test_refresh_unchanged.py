"""The no-change shortcut of `monitor refresh` is honest: it skips only when the sources,
registry, config, dbt models, expectations, code, warehouse and publication are all exactly
as published, and names the first thing that differs otherwise."""

from __future__ import annotations

import hashlib
import json
import shutil

import duckdb
import pytest

from pipelines.publish.decision import check
from pipelines.publish.fingerprint import WATCHED, inputs_fingerprint
from pipelines.settings import REPO_ROOT, paths
from pipelines.sources.files import SourceSpec
from pipelines.warehouse import ledger
from tests.conftest import copy_sample, monitor_cmd


@pytest.fixture
def home(published_home, tmp_path, monkeypatch):
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    monkeypatch.setenv("MONITOR_HOME", str(home))
    monkeypatch.delenv("MONITOR_PUBLISHED_DB", raising=False)
    monkeypatch.delenv("MONITOR_MICRODATA", raising=False)
    return home


def test_unchanged_sample_is_skipped(home):
    unchanged, reason = check(SourceSpec.parse("sample"), paths())
    assert reason == "" and unchanged is not None
    assert unchanged.datasets == 27  # 24 Eurostat datasets and 3 spreadsheet deliveries


def test_a_changed_raw_file_is_not_skipped(home, tmp_path):
    folder = copy_sample(tmp_path / "files")
    path = folder / "SAMPLE_ilc_li41.tsv"
    path.write_text(path.read_text() + "\n")
    unchanged, reason = check(SourceSpec.parse(f"dir:{folder}"), paths())
    assert unchanged is None and "ilc_li41" in reason


def test_a_changed_delivery_in_the_intake_folder_is_not_skipped(home, tmp_path, monkeypatch):
    """Eurostat files as published, one delivery changed: the refresh must run for it."""
    folder = copy_sample(tmp_path / "files")
    intake = tmp_path / "intake"
    intake.mkdir()
    monkeypatch.setenv("MONITOR_INTAKE_DIR", str(intake))
    for name in ("SAMPLE_statbel_poverty.csv", "SAMPLE_training_instruments.xlsx"):
        shutil.copy(REPO_ROOT / "pipelines/sample/intake" / name, intake / name)
    unchanged, reason = check(SourceSpec.parse(f"dir:{folder}"), paths())
    assert unchanged is None and reason == "no file for vdab_tightness in the delivery folders"
    changed = (REPO_ROOT / "pipelines/sample/intake/SAMPLE_vdab_tightness.csv").read_text()
    (intake / "SAMPLE_vdab_tightness.csv").write_text(changed.replace(",98000,", ",98001,"))
    unchanged, reason = check(SourceSpec.parse(f"dir:{folder}"), paths())
    assert unchanged is None
    assert reason == "vdab_tightness: SAMPLE_vdab_tightness.csv differs from the published snapshot"
    shutil.copy(REPO_ROOT / "pipelines/sample/intake/SAMPLE_vdab_tightness.csv", intake)
    unchanged, reason = check(SourceSpec.parse(f"dir:{folder}"), paths())
    assert reason == "" and unchanged is not None  # the published bytes again


def test_live_source_is_never_skipped_before_fetching(home):
    unchanged, reason = check(SourceSpec.parse("live"), paths())
    assert unchanged is None and "must be fetched" in reason


def test_a_refused_attempt_after_the_publication_is_not_skipped(home):
    ledger.append(paths().ledger, {"status": "refused", "reason": "test"})
    unchanged, reason = check(SourceSpec.parse("sample"), paths())
    assert unchanged is None and "not a publication" in reason


def test_a_different_inputs_fingerprint_is_not_skipped(home):
    entries = ledger.read(paths().ledger)
    entries[-1]["inputs_fingerprint"] = "0" * 64
    paths().ledger.write_text("".join(json.dumps(e) + "\n" for e in entries))
    unchanged, reason = check(SourceSpec.parse("sample"), paths())
    assert unchanged is None and "dbt models" in reason


def test_changed_marts_in_the_warehouse_are_not_skipped(home):
    con = duckdb.connect(str(paths().warehouse_db))
    con.execute("update marts.dim_geo set name_nl = name_nl || '!' where geo = 'BE2'")
    con.close()
    unchanged, reason = check(SourceSpec.parse("sample"), paths())
    assert unchanged is None and "marts differ" in reason


@pytest.mark.parametrize(
    "relative",
    [
        "registry/targets.yaml",
        "config/monitor.yaml",
        "dbt_project/models/marts/mart_group_gaps.sql",
        "expectations/suites/marts.mart_benchmark.json",
        "pipelines/gate/run.py",
    ],
)
def test_fingerprint_changes_with_any_input_but_not_with_a_touch(tmp_path, relative):
    root = tmp_path / "repo"
    for rel in WATCHED:
        source = REPO_ROOT / rel
        if source.is_dir():
            shutil.copytree(source, root / rel, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, root / rel)
    before = inputs_fingerprint(root)
    target = root / relative
    target.touch()
    assert inputs_fingerprint(root) == before
    target.write_text(target.read_text() + "\n")
    assert inputs_fingerprint(root) != before


def test_fingerprint_counts_the_dbt_environments_versions(tmp_path, monkeypatch):
    """dbt-core lives in .venv-dbt, not in this environment: a dbt upgrade there must still
    change the fingerprint (so the next refresh rebuilds)."""
    from pipelines.settings import dbt_env_version

    real = inputs_fingerprint()
    assert dbt_env_version("dbt-core") is not None
    fake = tmp_path / "dbt-env"
    info = fake / "lib" / "python3.11" / "site-packages" / "dbt_core-1.11.99.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: dbt-core\nVersion: 1.11.99\n")
    monkeypatch.setenv("MONITOR_DBT_ENV", str(fake))
    assert dbt_env_version("dbt-core") == "1.11.99"
    assert inputs_fingerprint() != real


def test_unchanged_after_ingest_skips_dbt_gate_and_publication(home, tmp_path):
    """When the check before the run cannot decide (here a delivery lacks one file, so the
    stored vintage is kept), the ingest runs and finds no new vintage: dbt, the models gate
    and the publication are skipped, and the summary says so."""
    published = home / "published" / "monitor.duckdb"
    before = hashlib.sha256(published.read_bytes()).hexdigest()
    folder = copy_sample(tmp_path / "delivery")
    (folder / "SAMPLE_ilc_li41.tsv").unlink()
    result = monitor_cmd("refresh", "--source", f"dir:{folder}", home=home)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "running every step (no file for ilc_li41" in result.stderr
    assert "nothing changed since publication" in result.stdout
    assert "skipped: dbt build, models quality gate, publication, report" in result.stdout
    assert "result: UNCHANGED" in result.stdout
    assert hashlib.sha256(published.read_bytes()).hexdigest() == before
