"""`monitor query "SQL"`: one read-only statement on the published database.

Read-only three times over: only SELECT/EXPLAIN statements are accepted, the file is opened
with `read_only=True`, and file-system access (COPY, ATTACH, read_csv of other files) is
disabled with the configuration locked.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import duckdb

from pipelines.cli.read_only import QueryRefused, check_read_only

__all__ = ["QueryRefused", "check_read_only", "open_read_only", "query_with_label", "run_query"]


def open_read_only(db: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(db), read_only=True, config={"enable_external_access": False})
    con.execute("set lock_configuration = true")
    return con


def run_query(db: Path, sql: str) -> tuple[list[str], list[tuple]]:
    columns, rows, _ = query_with_label(db, sql)
    return columns, rows


def query_with_label(db: Path, sql: str) -> tuple[list[str], list[tuple], str]:
    """The query's columns and rows, and which publication answered it (read in the same
    connection): `publication <id> (<source>, published <time>)`, with SAMPLE DATA when the
    publication holds sample data."""
    check_read_only(sql)
    con = open_read_only(db)
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall()
        return columns, rows, _label(con)
    finally:
        con.close()


def _label(con: duckdb.DuckDBPyConnection) -> str:
    try:
        info = con.execute(
            "select publication_id, source, published_at::varchar, is_sample from publication_info"
        ).fetchone()
    except duckdb.Error:
        return "publication unknown (no publication_info table)"
    if info is None:
        return "publication unknown (publication_info is empty)"
    publication_id, source, published_at, is_sample = info
    sample = " ** SAMPLE DATA (synthetic, not for use) **" if is_sample else ""
    return f"publication {publication_id} ({source}, published {published_at[:19]} UTC){sample}"


def format_table(columns: list[str], rows: list[tuple]) -> str:
    cells = [[_text(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    numeric = [
        all(isinstance(row[i], int | float) or row[i] is None for row in rows)
        for i in range(len(columns))
    ]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(columns), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(round(value, 6))
    return str(value)


def run(args) -> int:
    from pipelines.settings import paths
    from pipelines.warehouse.engines.server_run import server_engine

    if not args.db and server_engine() == "postgres":  # the committees' published schema
        return _run_postgres(args)
    db = Path(args.db).resolve() if args.db else paths().published_db
    if not db.exists():
        print(f"error: no published database at {db}; run `monitor refresh` first", file=sys.stderr)
        return 1
    try:
        columns, rows, label = query_with_label(db, args.sql)
    except QueryRefused as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    _print(args, columns, rows, label)
    return 0


def _run_postgres(args) -> int:
    import psycopg2

    from pipelines.cli.query_postgres import query_with_label as query_postgres

    try:
        columns, rows, label = query_postgres(args.sql)
    except QueryRefused as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    except psycopg2.Error as exc:
        print(f"error: {str(exc).strip()}", file=sys.stderr)
        return 1
    _print(args, columns, rows, label)
    return 0


def _print(args, columns: list[str], rows: list[tuple], label: str) -> None:
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_text(v) for v in row] for row in rows])
        print(label, file=sys.stderr)  # stdout stays plain CSV
    else:
        print(format_table(columns, rows))
        print(label)
