"""The gate's Data Docs: a gate run renders the pages of the results it stored and of the
suites it wrote; with the Data Docs gone (a user deleted them), the next run renders every
page again, the pages of suites it did not write included."""

from __future__ import annotations

import shutil

from pipelines.gate import run_stage
from pipelines.registry import load_registry


def test_deleted_data_docs_come_back_whole(published_home, tmp_path, monkeypatch):
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    monkeypatch.setenv("MONITOR_HOME", str(home))
    monkeypatch.setenv("MONITOR_WAREHOUSE_DB", str(home / "warehouse.duckdb"))
    site = home / "quality" / "gx" / "uncommitted" / "data_docs" / "local_site"
    suites_before = sorted(p.relative_to(site) for p in (site / "expectations").rglob("*.html"))
    assert len(suites_before) >= 48  # 27 raw and 21 models suites
    shutil.rmtree(site)
    # the models suites are validated again (no reuse of their passed outcomes) but not
    # written again (unchanged): alone, their new results would get pages, the suites none
    shutil.rmtree(home / "quality" / "models_cache")

    result = run_stage("models", home / "warehouse.duckdb", load_registry(), home / "quality")

    assert result.passed
    assert result.data_docs == str(site / "index.html")
    suites_after = sorted(p.relative_to(site) for p in (site / "expectations").rglob("*.html"))
    assert suites_after == suites_before  # the raw suites' pages too: nothing validated them
    assert list((site / "validations").rglob("*.html"))
