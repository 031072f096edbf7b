"""`monitor query` on PostgreSQL: one read statement on the `published` schema, as the
committee role (MONITOR_POSTGRES_COMMITTEE_USER / _PASSWORD).

Read-only three times over, as on the DuckDB file: only SELECT/EXPLAIN statements are
accepted, the session is read-only, and the role may read the published schema and
nothing else (pipelines/publish/postgres.py).
"""

from __future__ import annotations

from pipelines.cli.read_only import check_read_only
from pipelines.publish.postgres import SCHEMA, committee_settings


def query_with_label(sql: str) -> tuple[list[str], list[tuple], str]:
    """The query's columns and rows, and which publication answered (same transaction)."""
    import psycopg2

    check_read_only(sql)
    settings = committee_settings()
    con = psycopg2.connect(**settings.connect_kwargs())
    try:
        con.set_session(readonly=True)
        with con.cursor() as cur:
            cur.execute(f"set search_path = {SCHEMA}")
            cur.execute(sql)
            columns = [d[0] for d in cur.description or []]
            rows = cur.fetchall()
            cur.execute(
                "select publication_id, source, cast(published_at as text), is_sample "
                "from publication_info"
            )
            info = cur.fetchone()
        con.rollback()
    finally:
        con.close()
    if info is None:
        return columns, rows, "publication unknown (publication_info is empty)"
    publication_id, source, published_at, is_sample = info
    sample = " ** SAMPLE DATA (synthetic, not for use) **" if is_sample else ""
    where = f"{settings} schema {SCHEMA}"
    return (
        columns,
        rows,
        f"publication {publication_id} ({source}, published {published_at[:19]} UTC, {where}){sample}",
    )
