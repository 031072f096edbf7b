"""`monitor refresh` end to end on the bundled sample: ingest -> dbt -> gate -> publish."""

from __future__ import annotations

import hashlib
import shutil

import duckdb
import polars as pl

from pipelines.registry import load_registry
from pipelines.sources.eurostat.parsing import parse_file
from tests.conftest import SAMPLE_EUROSTAT, copy_sample, monitor_cmd


def published(home):
    return home / "published" / "monitor.duckdb"


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_refresh_publishes_the_sample(published_home):
    db = published(published_home)
    assert db.exists()
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {r[0] for r in con.execute("show tables").fetchall()}
        assert {
            "dim_indicator",
            "fct_indicator_values",
            "publication_log",
            "dim_geo",
            "dim_target",
            "dim_snapshot",
        } <= tables
        assert (
            con.execute("select bool_and(is_sample) from fct_indicator_values").fetchall()[0][0]
            is True
        )
        log = con.execute(
            "select status, is_sample, gate_passed, source from publication_log"
        ).fetchall()
        assert log[-1] == ("published", True, True, "sample")
        ids = {r[0] for r in con.execute("select indicator_id from dim_indicator").fetchall()}
        assert ids == set(load_registry().indicators)
    finally:
        con.close()
    assert (published_home / "published" / "report" / "index.html").exists()


def test_published_values_equal_the_raw_sample(published_home):
    """Every BE2 headline value of employment 20-64 equals the cell in the sample file."""
    raw = parse_file(SAMPLE_EUROSTAT / "SAMPLE_lfst_r_lfe2emprt.tsv").frame.filter(
        (pl.col("geo") == "BE2")
        & (pl.col("sex") == "T")
        & (pl.col("age") == "Y20-64")
        & (pl.col("unit") == "PC")
    )
    con = duckdb.connect(str(published(published_home)), read_only=True)
    try:
        rows = con.execute(
            "select period, value, flags from fct_indicator_values "
            "where indicator_id = 'employment_rate_20_64' and geo = 'BE2' and breakdown = 'total'"
        ).fetchall()
    finally:
        con.close()
    expected = {(r["time"], r["value"], r["flags"]) for r in raw.iter_rows(named=True)}
    assert set(rows) == expected and len(rows) == 15


# periods x geographies of each delivery indicator in pipelines/sample/intake/
DELIVERY_PERIODS = {
    "vdab_vacancies": 6,
    "vdab_jobseekers": 6,
    "arop_statbel": 15 + 4,
    "training_leave_users": 1,
}


def test_fact_rows_match_registry_series(published_home):
    """Rows = series x geographies x sample periods for each indicator: nothing dropped or added."""
    reg = load_registry()
    con = duckdb.connect(str(published(published_home)), read_only=True)
    try:
        counts = dict(
            con.execute(
                "select indicator_id, count(*) from fct_indicator_values group by 1"
            ).fetchall()
        )
    finally:
        con.close()
    for ind_id, ind in reg.indicators.items():
        if "derived" in ind:
            assert counts[ind_id] > 0, ind_id
            continue
        if ind["source"]["dataset"] in reg.deliveries:  # one row per period of the delivery
            assert counts[ind_id] == len(reg.series(ind)) * DELIVERY_PERIODS[ind_id], ind_id
            continue
        sample = SAMPLE_EUROSTAT / f"SAMPLE_{ind['source']['dataset']}.tsv"
        periods = len(sample.read_text().splitlines()[0].split("\t")) - 1
        expected = len(reg.series(ind)) * len(reg.indicator_geos(ind)) * periods
        assert counts[ind_id] == expected, ind_id


def test_refresh_is_idempotent(published_home, tmp_path):
    """Nothing changed: the refresh says so and publishes nothing; --force runs every step,
    creates no new vintage and publishes the same facts again."""
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    snapshots_before = sorted(p.name for p in (home / "raw").glob("*/*/*"))
    before_file = sha(published(home))
    con = duckdb.connect(str(published(home)), read_only=True)
    before = con.execute("select * from fct_indicator_values order by all").fetchall()
    publication = con.execute("select publication_id from publication_info").fetchall()[0][0]
    con.close()

    result = monitor_cmd("refresh", home=home)
    assert result.returncode == 0, result.stderr
    assert f"nothing changed since publication {publication}" in result.stdout
    assert "result: UNCHANGED" in result.stdout
    assert sha(published(home)) == before_file

    result = monitor_cmd("refresh", "--force", home=home)
    assert result.returncode == 0, result.stderr
    assert "unchanged; no new vintage" in result.stdout
    assert sorted(p.name for p in (home / "raw").glob("*/*/*")) == snapshots_before
    con = duckdb.connect(str(published(home)), read_only=True)
    after = con.execute("select * from fct_indicator_values order by all").fetchall()
    log = con.execute("select count(*) from publication_log where status = 'published'").fetchall()[
        0
    ][0]
    con.close()
    assert after == before
    assert log == 2


def test_failed_gate_leaves_publication_byte_identical(published_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    before = sha(published(home))
    bad = copy_sample(tmp_path / "bad")
    path = bad / "SAMPLE_lfst_r_lfe2emprt.tsv"
    lines = path.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("PC,T,Y20-64,BE2\t"))
    cells = lines[index].split("\t")
    cells[1] = "250.0 "  # 2024, a percentage of 250
    lines[index] = "\t".join(cells)
    path.write_text("\n".join(lines) + "\n")

    result = monitor_cmd("refresh", "--source", f"dir:{bad}", home=home)
    assert result.returncode == 1
    out = result.stdout
    assert "NOT PUBLISHED" in out
    assert "expect_column_values_to_be_between" in out
    assert "employment_rate_20_64/BE2/2024/total/total" in out
    assert sha(published(home)) == before
    status = monitor_cmd("status", home=home)
    assert "Refused publication attempts" in status.stdout
    assert "expect_column_values_to_be_between" in status.stdout
