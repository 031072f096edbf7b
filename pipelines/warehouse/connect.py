"""The build warehouse: one DuckDB file, one writer at a time.

Connections are opened per step and closed at once: DuckDB allows one writing process per
file, so no connection may outlive the step that needs it. Every write of more than one
statement runs in `transaction`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import polars as pl


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse's write lock."""


class WarehouseMissing(RuntimeError):
    """The build warehouse does not exist yet (nothing was ever ingested)."""


@contextmanager
def connect(
    path: Path, read_only: bool = False, wait_s: float = 30.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the DuckDB file, waiting up to `wait_s` for another writer to let go."""
    if read_only and not path.exists():
        raise WarehouseMissing(f"no warehouse at {path}: run `monitor refresh` first")
    deadline = time.monotonic() + wait_s
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise WarehouseBusy(f"{path} is locked by another process: {exc}") from exc
            time.sleep(0.2)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Everything inside commits together or not at all (rolled back on any exception)."""
    con.execute("begin transaction")
    try:
        yield con
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def write_frames(
    con: duckdb.DuckDBPyConnection, schema: str, frames: dict[str, pl.DataFrame]
) -> None:
    """Replace tables `schema.<name>` with the given frames, in one transaction."""
    con.execute(f"create schema if not exists {schema}")
    with transaction(con):
        for name, frame in frames.items():
            con.register("incoming", frame.to_arrow())
            con.execute(f'create or replace table {schema}."{name}" as select * from incoming')
            con.unregister("incoming")
