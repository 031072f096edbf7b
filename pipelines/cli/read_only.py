"""The one-statement, read-only rule of `monitor query`, on the DuckDB file and on
PostgreSQL alike (DuckDB's parser tells the statement's kind)."""

from __future__ import annotations

import duckdb

ALLOWED = {"SELECT", "EXPLAIN"}


class QueryRefused(ValueError):
    """Not exactly one read statement: refused before anything runs."""


def check_read_only(sql: str) -> str:
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"cannot parse the query: {exc}") from exc
    if len(statements) != 1:
        raise QueryRefused(f"give exactly one statement (got {len(statements)})")
    kind = statements[0].type.name
    if kind not in ALLOWED:
        raise QueryRefused(
            f"only read queries are allowed (SELECT, WITH, FROM, DESCRIBE, SUMMARIZE, EXPLAIN); got {kind}"
        )
    return sql
