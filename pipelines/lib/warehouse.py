"""The build warehouse (one DuckDB file, one writer at a time) and its raw layer.

Connections are opened per step and closed at once: DuckDB allows one writing process per
file, so no connection may outlive the step that needs it.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.lib.snapshots import Snapshot
from pipelines.parsing import ObservationStream


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


def raw_table(source: str, dataset: str) -> str:
    return f'raw."{source}__{dataset}"'


def vintages_table(source: str, dataset: str) -> str:
    return f'raw."{source}__{dataset}__vintages"'


def load_observations(
    con: duckdb.DuckDBPyConnection, source: str, snapshot: Snapshot, parsed: ObservationStream
) -> tuple[bool, int]:
    """Load one vintage into `raw."<source>__<dataset>"` and mark it current.

    The parser's batches are first written to Parquet files in a temporary folder (a large
    file is never held whole, and a parse error in any batch stops before the warehouse is
    touched); one INSERT then reads them in one transaction (DuckDB streams it: inserting the
    batches one by one in a transaction kept them all in memory, 2.7 GB for a 31M-observation
    file, against 0.7 GB this way). A file with no observation (an answer that matches no
    data) is a vintage of zero observations: the raw gate names what it lacks.

    Returns whether the vintage is new (False: it was loaded before, only the current marker
    moves, and the file is not parsed again) and its number of observations.
    """
    dataset = snapshot.meta["dataset"]
    if "geo" not in parsed.dimensions:
        raise ValueError(
            f"{dataset}: the file has no geo dimension ({', '.join(parsed.dimensions)})"
        )
    dims = [d for d in parsed.dimensions if d != "geo"]
    obs, vint = raw_table(source, dataset), vintages_table(source, dataset)
    meta = snapshot.meta
    known = _loaded_observations(con, f"{source}__{dataset}__vintages", meta["snapshot_id"])
    with tempfile.TemporaryDirectory(prefix="monitor-load-") as staging:
        if known is None:
            for number, frame in enumerate(parsed):
                frame.write_parquet(Path(staging) / f"{number:06d}.parquet", compression="lz4")
        con.execute("begin transaction")
        try:
            con.execute("create schema if not exists raw")
            con.execute(
                f"""create table if not exists {obs} (
                    snapshot_id varchar, dims map(varchar, varchar), geo varchar,
                    time varchar, value double, flags varchar, conf_status varchar)"""
            )
            _add_conf_status(con, obs)
            con.execute(
                f"""create table if not exists {vint} (
                    snapshot_id varchar primary key, source varchar, dataset varchar,
                    mode varchar, is_sample boolean, origin varchar, file varchar,
                    retrieved_at timestamptz, sha256 varchar, bytes bigint, format varchar,
                    last_update timestamp, observations bigint, loaded_at timestamptz,
                    is_current boolean)"""
            )
            if known is None and parsed.rows:
                keys = ", ".join(f"'{d}'" for d in dims)
                values = ", ".join(f'"{d}"' for d in dims)
                files = str(Path(staging) / "*.parquet").replace("'", "''")
                con.execute(
                    f"""insert into {obs}
                    select ?, map([{keys}]::varchar[], [{values}]::varchar[]), geo, time,
                    value, flags, conf_status from read_parquet('{files}')""",
                    [meta["snapshot_id"]],
                )
            if known is None:
                con.execute(
                    f"insert into {vint} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false)",
                    [
                        meta["snapshot_id"],
                        source,
                        dataset,
                        meta["mode"],
                        meta["is_sample"],
                        meta["origin"],
                        meta["file"],
                        meta["retrieved_at"],
                        meta["sha256"],
                        meta["bytes"],
                        parsed.format,
                        parsed.last_update,
                        parsed.rows,
                        datetime.now(UTC),
                    ],
                )
            con.execute(f"update {vint} set is_current = (snapshot_id = ?)", [meta["snapshot_id"]])
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
    return known is None, parsed.rows if known is None else known


def _loaded_observations(
    con: duckdb.DuckDBPyConnection, table: str, snapshot_id: str
) -> int | None:
    """The observation count of a vintage loaded before, or None."""
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'raw' and table_name = ?",
        [table],
    ).fetchall()[0][0]
    if not exists:
        return None
    found = con.execute(
        f'select observations from raw."{table}" where snapshot_id = ?', [snapshot_id]
    ).fetchall()
    return found[0][0] if found else None


def _add_conf_status(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """A raw table from before confidentiality was read apart gets the column, null on its
    rows (staging reads the flag `c` of those rows as status C)."""
    con.execute(f"alter table {table} add column if not exists conf_status varchar")


def unload_vintage(
    con: duckdb.DuckDBPyConnection, source: str, dataset: str, snapshot_id: str, set_aside: set[str]
) -> str | None:
    """Take a refused vintage out of the build warehouse (its snapshot stays in the raw store,
    quarantined) and make the most recently loaded vintage not in `set_aside` current again,
    in one transaction; returns that vintage's snapshot id (None when no vintage is left).
    No model then sees the refused rows, not even as the "previous vintage" of a revision."""
    obs, vint = raw_table(source, dataset), vintages_table(source, dataset)
    con.execute("begin transaction")
    try:
        con.execute(f"delete from {obs} where snapshot_id = ?", [snapshot_id])
        con.execute(f"delete from {vint} where snapshot_id = ?", [snapshot_id])
        rows = con.execute(
            f"""select snapshot_id from {vint} where not list_contains(?::varchar[], snapshot_id)
                order by loaded_at desc limit 1""",
            [sorted(set_aside)],
        ).fetchall()
        kept = rows[0][0] if rows else None
        con.execute(f"update {vint} set is_current = coalesce(snapshot_id = ?, false)", [kept])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return kept


def refresh_raw_views(
    con: duckdb.DuckDBPyConnection, datasets: list[tuple[str, str]]
) -> dict[str, int]:
    """(Re)create `raw.observations` and `raw.snapshots` over every dataset's tables.

    Returns the current observation count per dataset; a missing table is an error.
    """
    existing = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()
    }
    missing = [f"{s}__{d}" for s, d in datasets if f"{s}__{d}" not in existing]
    if missing:
        raise RuntimeError(f"raw tables missing (ingest them first): {', '.join(missing)}")
    for s, d in datasets:
        _add_conf_status(con, raw_table(s, d))
    obs = " union all ".join(
        f"select '{s}' as source, '{d}' as dataset, * from {raw_table(s, d)}" for s, d in datasets
    )
    snaps = " union all ".join(f"select * from {vintages_table(s, d)}" for s, d in datasets)
    con.execute(f"create or replace view raw.observations as {obs}")
    con.execute(f"create or replace view raw.snapshots as {snaps}")
    rows = con.execute(
        """select o.dataset, count(*) from raw.observations o
        join raw.snapshots s on s.snapshot_id = o.snapshot_id and s.is_current
        group by 1"""
    ).fetchall()
    return dict(rows)


def write_frames(
    con: duckdb.DuckDBPyConnection, schema: str, frames: dict[str, pl.DataFrame]
) -> None:
    """Replace tables `schema.<name>` with the given frames, in one transaction."""
    con.execute(f"create schema if not exists {schema}")
    con.execute("begin transaction")
    try:
        for name, frame in frames.items():
            con.register("incoming", frame.to_arrow())
            con.execute(f'create or replace table {schema}."{name}" as select * from incoming')
            con.unregister("incoming")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
