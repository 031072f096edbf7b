"""Publication on PostgreSQL: the `published` schema, replaced in one transaction, and the
read-only committee role.

The tables are those of the publication's DuckDB file (`published/monitor.duckdb`, which
stays the offline export): the gated marts, `publication_info`, `publication_log` and
`quality_results`. One transaction drops the old schema and creates the new one, so a
reader sees the previous publication or this one, never a mix; a failure leaves the
previous one in place. The committee role (MONITOR_POSTGRES_COMMITTEE_USER, default
`monitor_committee`) gets USAGE on the schema and SELECT on its tables, nothing else;
`create_committee_role` (run once by the database administrator) makes it a login role
whose transactions are read-only by default.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb

from pipelines.warehouse.engines.load_postgres import _export, copy_csv, postgres_type
from pipelines.warehouse.engines.settings import PostgresSettings
from pipelines.warehouse.engines.sources import SourceTable

SCHEMA = "published"
DEFAULT_COMMITTEE = "monitor_committee"


def committee_role() -> str:
    return os.environ.get("MONITOR_POSTGRES_COMMITTEE_USER") or DEFAULT_COMMITTEE


def committee_settings(settings: PostgresSettings | None = None) -> PostgresSettings:
    """How a committee member (and `monitor query`, the report) connects."""
    base = settings or PostgresSettings.from_env()
    return PostgresSettings(
        base.host,
        base.port,
        base.dbname,
        committee_role(),
        os.environ.get("MONITOR_POSTGRES_COMMITTEE_PASSWORD", ""),
    )


def publish_postgres(published_db: Path, settings: PostgresSettings) -> dict[str, int]:
    """Replace the `published` schema with the tables of `published_db`; rows per table."""
    import psycopg2
    from psycopg2 import sql

    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="monitor-pg-publish-") as tmp:
        duck = duckdb.connect(str(published_db), read_only=True)
        try:
            duck.execute("set TimeZone = 'UTC'")
            names = [
                r[0]
                for r in duck.execute(
                    "select table_name from information_schema.tables "
                    "where table_schema = 'main' order by 1"
                ).fetchall()
            ]
            exported = [
                (name, *_export(duck, SourceTable("main", name), Path(tmp))) for name in names
            ]
        finally:
            duck.close()
        role = committee_role()
        con = psycopg2.connect(**settings.connect_kwargs())
        try:
            with con, con.cursor() as cur:  # one transaction: the old schema or the new one
                cur.execute("set local timezone = 'UTC'")
                schema = sql.Identifier(SCHEMA)
                cur.execute(sql.SQL("drop schema if exists {} cascade").format(schema))
                cur.execute(sql.SQL("create schema {}").format(schema))
                for name, cols, csv_path, rows in exported:
                    target = sql.Identifier(SCHEMA, name)
                    cur.execute(
                        sql.SQL("create table {} ({})").format(
                            target,
                            sql.SQL(", ").join(
                                sql.SQL("{} {}").format(
                                    sql.Identifier(c.name), sql.SQL(postgres_type(c))
                                )
                                for c in cols
                            ),
                        )
                    )
                    copy_csv(cur, target, csv_path)
                    counts[name] = rows
                cur.execute("select 1 from pg_roles where rolname = %s", [role])
                if cur.fetchone():
                    cur.execute(
                        sql.SQL("grant usage on schema {} to {}").format(
                            schema, sql.Identifier(role)
                        )
                    )
                    cur.execute(
                        sql.SQL("grant select on all tables in schema {} to {}").format(
                            schema, sql.Identifier(role)
                        )
                    )
        finally:
            con.close()
    return counts


def create_committee_role(
    superuser: PostgresSettings, dbname: str, role: str, password: str
) -> None:
    """The committee's login role: may connect to `dbname` and read what publication grants
    it; its transactions are read-only by default, and it owns nothing and may create
    nothing (no CREATE on the database or any schema)."""
    import psycopg2
    from psycopg2 import sql

    con = psycopg2.connect(**superuser.connect_kwargs())
    con.autocommit = True
    try:
        with con.cursor() as cur:
            name = sql.Identifier(role)
            cur.execute(
                sql.SQL(
                    "create role {} login nosuperuser nocreatedb nocreaterole noinherit password %s"
                ).format(name),
                [password],
            )
            cur.execute(
                sql.SQL("alter role {} set default_transaction_read_only = on").format(name)
            )
            cur.execute(
                sql.SQL("revoke all on database {} from public").format(sql.Identifier(dbname))
            )
            cur.execute(
                sql.SQL("grant connect on database {} to {}").format(sql.Identifier(dbname), name)
            )
    finally:
        con.close()


def export_published(settings: PostgresSettings, duckdb_path: Path) -> dict[str, int]:
    """The `published` schema, read as `settings` (the committee role), into a new DuckDB file
    with the tables of the publication's own file: the report's input on PostgreSQL, and an
    offline copy for anyone who may read the schema. Replaced by rename; rows per table."""
    from pipelines.warehouse.engines.server_run import copy_relations

    duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = duckdb_path.with_name(f".{duckdb_path.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        counts = copy_relations(settings, SCHEMA, tmp, into="main")
        os.replace(tmp, duckdb_path)
    finally:
        tmp.unlink(missing_ok=True)
    return {name.split(".", 1)[1]: rows for name, rows in counts.items()}
