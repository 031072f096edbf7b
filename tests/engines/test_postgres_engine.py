"""The dbt project and the refresh on PostgreSQL: a whole `monitor refresh` with the warehouse
there (the SAMPLE's raw and registry tables loaded by COPY, `dbt build` of models and data
tests) with every mart equal to the DuckDB run's and the dbt unit tests passing there, its
`published` schema equal to the DuckDB publication and read by a committee role that cannot
write; a replacement of that schema failing half-way leaves the previous publication; the
microdata aggregation there. One file: one server per test process, one reference refresh per run
(session fixtures)."""

from __future__ import annotations

import shutil

import pytest

from pipelines.warehouse.engines.compare import compare_tables
from pipelines.warehouse.engines.load_postgres import load_postgres
from pipelines.warehouse.engines.read import read_table, table_names
from tests.engines.checks import (
    assert_marts_equal,
    assert_published_equal,
    assert_refresh_built,
    assert_same_microdata_cells,
    assert_unit_tests_pass,
    home_like_reference,
)

pytestmark = [pytest.mark.engines, pytest.mark.timeout(1800)]


def test_postgres_refresh_publishes_the_same_tables(
    local_postgres, reference_home, synthetic_microdata, tmp_path
):
    """`monitor refresh` with warehouse.engine=postgres on the reference run's vintages: the
    sources loaded there (COPY), `dbt build` (models and data tests) passes there with every
    mart equal to the DuckDB run's, the gate validates the marts pulled from there, the
    `published` schema holds every published table equal to the DuckDB run's, the committee
    reads it (also through `monitor query`) and cannot write anywhere. On the same database:
    the dbt unit tests pass, and a second load of the sources keeps dbt's views over them.
    (One dbt build on PostgreSQL serves all of it.)"""
    import psycopg2

    from pipelines.publish.postgres import create_committee_role
    from pipelines.warehouse.engines.settings import PostgresSettings
    from tests.conftest import monitor_cmd

    settings = local_postgres.create_database("refresh", "refresher")
    create_committee_role(local_postgres.superuser(), "refresh", "committee", "committee-pw")
    committee = PostgresSettings(
        settings.host, settings.port, "refresh", "committee", "committee-pw"
    )
    home = home_like_reference(reference_home, tmp_path)
    env = {
        "MONITOR_WAREHOUSE_ENGINE": "postgres",
        "MONITOR_MICRODATA": str(synthetic_microdata),
        "MONITOR_POSTGRES_COMMITTEE_USER": "committee",
        "MONITOR_POSTGRES_COMMITTEE_PASSWORD": "committee-pw",
        **settings.env(),
    }
    refreshed = monitor_cmd("refresh", home=home, env=env, check=True, timeout=900)
    assert_refresh_built(refreshed.stdout)
    assert "computed on postgres" in refreshed.stdout, refreshed.stdout[-3000:]  # microdata
    assert settings.password not in refreshed.stdout + refreshed.stderr
    (log,) = (home / "logs").glob("refresh-*.log")  # the refresh's detailed log: dbt's output
    dbt_output = log.read_text()
    assert "target='postgres'" in dbt_output and "Completed successfully" in dbt_output
    assert settings.password not in dbt_output

    assert_published_equal(reference_home, "postgres", "published", committee)
    reference_db = reference_home / "published" / "monitor.duckdb"
    # the marts as that build left them on PostgreSQL, and the dbt unit tests there
    assert_marts_equal("postgres", settings, reference_home / "warehouse.duckdb")
    unit_output = assert_unit_tests_pass("postgres", settings, tmp_path / "target")
    assert settings.password not in unit_output
    # a second load empties and refills the sources in place: dbt's views over them survive
    loaded = load_postgres(home / "warehouse.duckdb", settings)
    assert loaded["raw.observations"] > 20_000 and loaded["registry.indicators"] > 0
    columns, rows = read_table("postgres", "staging", "stg_registry__settings", settings)
    assert rows and "key" in columns

    # the offline export is the same publication
    export = home / "published" / "monitor.duckdb"
    info = read_table("duckdb", "main", "publication_info", export)
    assert read_table("postgres", "published", "publication_info", committee) == info
    # the report was built from the published schema, read as the committee role
    report_source = home / "published" / "from-postgres.duckdb"
    assert read_table("duckdb", "main", "publication_info", report_source) == info
    assert (home / "published" / "report" / "index.html").is_file()

    queried = monitor_cmd(
        "query", "select count(*) as n from fct_indicator_values", home=home, env=env
    )
    assert queried.returncode == 0, queried.stderr
    assert (
        str(len(read_table("duckdb", "main", "fct_indicator_values", reference_db)[1]))
        in queried.stdout
    )
    assert info[1][0][0] in queried.stdout  # the publication id answers
    refused = monitor_cmd("query", "delete from fct_indicator_values", home=home, env=env)
    assert refused.returncode == 2

    writes = [
        "insert into published.dim_geo (geo) values ('XX')",
        "delete from published.fct_indicator_values",
        "drop table published.dim_geo",
        "create table public.mine (x int)",
        "create table published.mine (x int)",
        "select count(*) from raw.observations",
        "select count(*) from marts.fct_indicator_values",
    ]
    for statement in writes:
        for read_write in (False, True):  # also after asking for a read-write transaction
            con = psycopg2.connect(**committee.connect_kwargs())
            try:
                with con.cursor() as cur:
                    if read_write:
                        cur.execute("set session characteristics as transaction read write")
                    with pytest.raises(psycopg2.Error) as refused_write:
                        cur.execute(statement)
                    assert refused_write.value.pgcode in {"25006", "42501"}, statement
            finally:
                con.close()
    columns, rows = read_table("postgres", "published", "fct_indicator_values", committee)
    assert len(rows) == len(read_table("duckdb", "main", "fct_indicator_values", reference_db)[1])


def test_postgres_aggregates_the_same_microdata_cells(local_postgres, synthetic_microdata):
    assert_same_microdata_cells(
        "postgres", local_postgres.create_database("micro", "micro"), synthetic_microdata
    )


def test_a_failed_schema_replacement_keeps_the_previous_publication(
    local_postgres, reference_home, tmp_path, monkeypatch
):
    """PostgreSQL refuses the next publication half-way through replacing the `published`
    schema: the old schema is already dropped and every table but the last recreated and
    filled when COPY meets a text cell with a NUL byte (which PostgreSQL's text cannot hold)
    in the last row of the last table. The one transaction rolls back whole: the committee
    reads the previous publication, cell for cell, and a later good publication replaces it."""
    import duckdb
    import psycopg2

    from pipelines.publish.postgres import create_committee_role, publish_postgres
    from pipelines.warehouse.engines.settings import PostgresSettings

    settings = local_postgres.create_database("replaced", "publisher")
    create_committee_role(local_postgres.superuser(), "replaced", "reader", "reader-pw")
    monkeypatch.setenv("MONITOR_POSTGRES_COMMITTEE_USER", "reader")
    committee = PostgresSettings(settings.host, settings.port, "replaced", "reader", "reader-pw")

    previous = reference_home / "published" / "monitor.duckdb"
    publish_postgres(previous, settings)
    tables = table_names("duckdb", "main", previous)
    assert table_names("postgres", "published", committee) == tables
    before = {name: read_table("postgres", "published", name, committee) for name in tables}

    refused = tmp_path / "refused.duckdb"  # the next one: another id, a row fewer per table
    shutil.copy(previous, refused)
    with duckdb.connect(str(refused)) as con:
        for name in set(tables) - {"publication_info"}:
            con.execute(f"delete from {name} where rowid = (select min(rowid) from {name})")
        con.execute("update publication_info set publication_id = 'the-refused-one'")
        con.execute(
            "update quality_results set description = description || chr(0) "
            "where rowid = (select max(rowid) from quality_results)"
        )
    assert tables[-1] == "quality_results"  # publish_postgres copies the tables in this order
    with pytest.raises(psycopg2.DataError, match="0x00") as failed:
        publish_postgres(refused, settings)
    assert "COPY quality_results" in str(failed.value)  # the last table, after all the others

    assert table_names("postgres", "published", committee) == tables
    compared = [
        compare_tables(name, before[name], read_table("postgres", "published", name, committee))
        for name in tables
    ]
    unequal = [str(c) for c in compared if not c.equal]
    assert not unequal, "\n".join(unequal)
    assert sum(c.rows_left for c in compared) > 50_000

    with duckdb.connect(str(refused)) as con:  # the same publication, now without the NUL
        con.execute("update quality_results set description = replace(description, chr(0), '')")
    publish_postgres(refused, settings)
    info = read_table("postgres", "published", "publication_info", committee)
    assert info[1][0][info[0].index("publication_id")] == "the-refused-one"
