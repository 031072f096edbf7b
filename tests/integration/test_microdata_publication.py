"""The microdata path end to end: a synthetic file -> aggregates -> dbt -> gate -> published
gaps, and nothing of the person records (columns or identifiers) in the published database
or the warehouse. The summary says how many cells each disclosure rule suppressed; the gaps
say on what their significance rests, and the report shows it. Without a file the step is
harmless: empty tables, a clear summary line."""

from __future__ import annotations

import re

import duckdb
import pytest

from pipelines.sources.microdata.synthetic import write
from tests.conftest import monitor_cmd

MICRODATA_COLUMNS = {"person_id", "weight", "psu", "strata"}


@pytest.fixture(scope="module")
def microdata_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("microdata")
    file = write(root / "SYNTHETIC_lfs_small.parquet", rows=20_000)
    home = root / "home"
    result = monitor_cmd("refresh", home=home, env={"MONITOR_MICRODATA": str(file)}, check=True)
    return home, file, result


def columns_by_table(db) -> dict[str, list[tuple[str, str]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select table_schema || '.' || table_name, column_name, data_type "
            "from information_schema.columns"
        ).fetchall()
    finally:
        con.close()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        out.setdefault(table, []).append((column, kind))
    return out


def test_synthetic_microdata_gaps_are_published_and_labelled(microdata_run):
    home, _, result = microdata_run
    assert "microdata: SYNTHETIC_lfs_small.parquet ** SYNTHETIC **" in result.stdout
    assert "; computed on duckdb)" in result.stdout  # no server engine: DuckDB aggregates
    con = duckdb.connect(str(home / "published" / "monitor.duckdb"), read_only=True)
    try:
        n, synthetic, breakdowns = con.execute(
            "select count(*), bool_and(is_synthetic), list(distinct breakdown order by breakdown) "
            "from mart_microdata_gaps"
        ).fetchall()[0]
        statuses = dict(
            con.execute(
                "select reliability, count(*) from mart_microdata_gaps group by 1"
            ).fetchall()
        )
    finally:
        con.close()
    assert n > 0 and synthetic
    assert breakdowns == [
        "age_band",
        "country_of_birth",
        "disability",
        "education",
        "region",
        "sex",
    ]
    assert statuses.get("suppressed", 0) > 0  # 20,000 records leave small province cells


def test_summary_counts_the_cells_each_rule_suppressed(microdata_run):
    _, _, result = microdata_run
    line = next(x for x in result.stdout.splitlines() if x.strip().startswith("microdata:"))
    counts = re.search(
        r"(\d+) suppressed \(min_respondents (\d+), attribute_0_100 (\d+), dominance (\d+), "
        r"secondary (\d+)\)",
        line,
    )
    assert counts, line
    total, minimum, attribute, dominance, secondary = map(int, counts.groups())
    assert minimum > 0 and secondary > 0
    assert (
        max(minimum, attribute, dominance) <= total <= minimum + attribute + dominance + secondary
    )


def test_significance_rests_on_the_design_and_the_report_says_so(microdata_run):
    home, file, _ = microdata_run
    con = duckdb.connect(str(home / "published" / "monitor.duckdb"), read_only=True)
    try:
        methods = con.execute(
            "select distinct variance_method, significance_method from mart_microdata_gaps"
        ).fetchall()
        unassessed = con.execute(
            "select count(*) from mart_microdata_gaps "
            "where reliability <> 'suppressed' and (is_significant is null or gap_ci_low is null)"
        ).fetchone()[0]
        shown = con.execute(
            "select count(*) from mart_microdata_gaps where geo = 'BE2' and year = 2023 "
            "and indicator_id = 'employment_rate_20_64' and reliability <> 'suppressed'"
        ).fetchone()[0]
    finally:
        con.close()
    assert methods == [("linearised_strata_psu", "design_based")]  # the file has strata, PSUs
    assert unassessed == 0
    page = home / "published" / "report" / "en" / "indicator" / "employment_rate_20_64.html"
    html = page.read_text(encoding="utf-8")
    assert f"Gaps from microdata, Flanders 2023 (file {file.name}, SYNTHETIC" in html
    assert shown > 0
    assert html.count("(standard errors from the sampling design (strata and PSUs))") == shown
    assert "95% interval" in html


@pytest.mark.parametrize("database", ["published/monitor.duckdb", "warehouse.duckdb"])
def test_no_person_record_reaches_the_databases(microdata_run, database):
    home, file, _ = microdata_run
    db = home / database
    tables = columns_by_table(db)
    found = {
        (t, c) for t, cols in tables.items() for c, _ in cols if c.lower() in MICRODATA_COLUMNS
    }
    assert not found
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute(
            f"create temp table ids as select distinct person_id::varchar as id from '{file}'"
        )
        for table, cols in tables.items():
            if table.startswith("temp."):
                continue
            for column, kind in cols:
                if kind in ("VARCHAR", "BIGINT", "INTEGER"):
                    hits = con.execute(
                        f'select count(*) from {table} where "{column}"::varchar in (select id from ids)'
                    ).fetchall()[0][0]
                    assert hits == 0, f"{table}.{column} holds person identifiers"
    finally:
        con.close()


def test_no_microdata_file_is_harmless(published_home):
    con = duckdb.connect(str(published_home / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute('select count(*) from raw."microdata__lfs_aggregates"').fetchall() == [
            (0,)
        ]
    finally:
        con.close()
    con = duckdb.connect(str(published_home / "published" / "monitor.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from mart_microdata_gaps").fetchall() == [(0,)]
    finally:
        con.close()
