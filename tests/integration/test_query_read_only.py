"""`monitor query`: reads only, one statement, never a writable connection."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.cli.query import QueryRefused, check_read_only, run_query
from tests.conftest import monitor_cmd


@pytest.mark.parametrize(
    "sql",
    [
        "delete from fct_indicator_values",
        "drop table dim_indicator",
        "create table x as select 1",
        "insert into dim_geo select * from dim_geo",
        "copy fct_indicator_values to '/tmp/leak.csv'",
        "attach '/tmp/other.duckdb'",
        "set enable_external_access = true",
        "select 1; delete from dim_geo",
        "pragma version",
    ],
)
def test_writes_and_multiple_statements_are_refused(sql):
    with pytest.raises(QueryRefused):
        check_read_only(sql)


def test_query_reads_and_cannot_reach_files(published_home):
    db = published_home / "published" / "monitor.duckdb"
    columns, rows = run_query(db, "select count(*) as n from dim_indicator")
    assert columns == ["n"] and rows[0][0] >= 3
    with pytest.raises(duckdb.Error):
        run_query(db, "select * from read_csv('/etc/passwd')")


def test_query_command_table_and_csv(published_home):
    sql = "select geo, value from fct_indicator_values where indicator_id='arope' and geo='BE2' and period='2020'"
    table = monitor_cmd("query", sql, home=published_home, check=True)
    assert "BE2" in table.stdout and "(1 row)" in table.stdout
    # every answer names its publication and says SAMPLE DATA for a sample publication
    (publication_id,) = (
        duckdb.connect(str(published_home / "published" / "monitor.duckdb"), read_only=True)
        .execute("select publication_id from publication_info")
        .fetchone()
    )
    footer = table.stdout.splitlines()[-1]
    assert footer.startswith(f"publication {publication_id} (sample, published ")
    assert footer.endswith("** SAMPLE DATA (synthetic, not for use) **")
    csv = monitor_cmd("query", sql, "--csv", home=published_home, check=True)
    assert csv.stdout.splitlines()[0] == "geo,value" and len(csv.stdout.splitlines()) == 2
    assert "SAMPLE DATA" in csv.stderr and publication_id in csv.stderr
    refused = monitor_cmd("query", "delete from dim_geo", home=published_home)
    assert refused.returncode == 2 and "refused" in refused.stderr


def test_status_names_publication_and_snapshots(published_home):
    out = monitor_cmd("status", home=published_home, check=True).stdout
    assert "SAMPLE DATA" in out and "quality gate: passed" in out
    assert "lfst_r_lfe2emprt" in out and "[sample]" in out
