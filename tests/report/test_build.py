"""Building the report: read-only on the published file, swapped in as a whole, sample
banner only for sample publications, the instruments table once it is published, timing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

import duckdb
import pytest

from pipelines.report import build_report, site
from tests.conftest import monitor_cmd


def _copy_db(published_db, tmp_path):
    db = tmp_path / "monitor.duckdb"
    shutil.copy(published_db, db)
    return db


def test_report_opens_the_published_file_read_only(published_db, tmp_path):
    """A second process holds a read-only connection; a writer could not open the file."""
    db = _copy_db(published_db, tmp_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys, time; c = duckdb.connect({str(db)!r}, read_only=True); print('open', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(duckdb.IOException):
            duckdb.connect(str(db)).close()  # proves the lock is real
        built = build_report(db, tmp_path / "report")
        assert built.pages >= 68 and (tmp_path / "report" / "index.html").is_file()
    finally:
        holder.kill()
        holder.wait()


def test_rebuild_replaces_the_whole_folder_and_a_failed_build_keeps_the_old(published_db, tmp_path):
    db = _copy_db(published_db, tmp_path)
    out = tmp_path / "site" / "report"
    build_report(db, out)
    (out / "stale.html").write_text("from an older build")
    build_report(db, out)
    assert not (out / "stale.html").exists()
    before = (out / "index.html").read_bytes()

    con = duckdb.connect(str(db))
    con.execute("drop table mart_benchmark")
    con.close()
    with pytest.raises(duckdb.CatalogException):
        build_report(db, out)
    assert (out / "index.html").read_bytes() == before
    left = sorted(p.name for p in out.parent.iterdir() if p.name != ".report.lock")
    assert left == ["report"], "no temporary or .old folder left"


def test_next_build_recovers_from_a_killed_one(published_db, tmp_path):
    """Killed between the two renames (only report.old) and while writing (a temp folder)."""
    db = _copy_db(published_db, tmp_path)
    out = tmp_path / "site" / "report"
    build_report(db, out)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = out.parent / f".report-{dead.pid}-abc123"
    (stale / "indicator").mkdir(parents=True)
    (stale / "indicator" / "half.html").write_text("<html")
    running = out.parent / f".report-{os.getpid()}-inuse"  # a build still running: kept
    running.mkdir()
    before = (out / "index.html").read_bytes()
    os.replace(out, out.with_name("report.old"))

    notes = site.recover(out)
    assert (out / "index.html").read_bytes() == before, "the old report is back"
    assert not stale.exists() and running.exists() and len(notes) == 2
    build_report(db, out)
    assert (out / "index.html").is_file() and not out.with_name("report.old").exists()


def test_no_sample_banner_for_a_producer_publication(published_db, tmp_path):
    db = _copy_db(published_db, tmp_path)
    con = duckdb.connect(str(db))
    con.execute("update publication_info set is_sample = false")
    con.close()
    out = tmp_path / "report"
    build_report(db, out)
    pages = list(out.rglob("*.html"))
    assert pages and not [p for p in pages if "SAMPLE DATA" in p.read_text(encoding="utf-8")]


def test_training_page_says_so_when_a_publication_has_no_instruments_mart(published_db, tmp_path):
    db = _copy_db(published_db, tmp_path)
    con = duckdb.connect(str(db))
    con.execute("drop table mart_training_instruments")
    con.close()
    out = tmp_path / "report"
    build_report(db, out)
    nl = (out / "opleiding.html").read_text(encoding="utf-8")
    en = (out / "en" / "training.html").read_text(encoding="utf-8")
    assert "nog geen deel van de publicatie" in nl and "mart_training_instruments" in nl
    assert "not yet part of the publication" in en
    assert "SYNTRA" not in nl  # no instrument row is invented


def test_monitor_report_prints_its_build_time(published_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    started = time.perf_counter()
    result = monitor_cmd("report", home=home, check=True)
    elapsed = time.perf_counter() - started
    match = re.search(r"report: (\d+) pages, (\d+) files in (\d+\.\d)s", result.stdout)
    assert match, result.stdout
    assert int(match[1]) >= 68 and 0 < float(match[3]) < elapsed


def test_a_missing_label_fails_the_build_not_the_page(published_db, tmp_path):
    """A code the report must show without its Dutch or English label stops the build with
    the list and code named; the report built before stays as it was."""
    from pipelines.report.vocab import MissingLabel

    db = _copy_db(published_db, tmp_path)
    out = tmp_path / "report"
    build_report(db, out)
    before = (out / "index.html").read_bytes()
    con = duckdb.connect(str(db))
    con.execute("delete from dim_vocabulary where list_name = 'verdicts' and code = 'on_track'")
    con.close()
    with pytest.raises(MissingLabel, match="'on_track' has no label in vocabulary list 'verdicts'"):
        build_report(db, out)
    assert (out / "index.html").read_bytes() == before
    con = duckdb.connect(str(db))
    con.execute(
        "insert into dim_vocabulary (list_name, code, position, label_nl, label_en) "
        "values ('verdicts', 'on_track', 2, 'op koers', null)"
    )
    con.close()
    with pytest.raises(MissingLabel, match="verdicts.on_track has no en label"):
        build_report(db, out)
