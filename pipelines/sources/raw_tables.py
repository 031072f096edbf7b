"""The raw layer every source shares, written in one place:

raw."<source>__<dataset>__vintages"  one row per loaded vintage (provenance, counts); every
                                     source has one, `is_current` marks the vintage in use
raw."<source>__<dataset>"            the rows of every vintage: for sources of observations
                                     the columns below, for a delivery its template's columns
raw.observations / raw.snapshots     views over every source of observations

A vintage is loaded and made current in one transaction; loading a vintage again only moves the
current marker.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import duckdb

from pipelines.warehouse.connect import transaction

if TYPE_CHECKING:
    import polars as pl

    from pipelines.sources.store import Snapshot

VINTAGE_COLUMNS = """snapshot_id varchar primary key, source varchar, dataset varchar,
    mode varchar, is_sample boolean, origin varchar, file varchar, retrieved_at timestamptz,
    sha256 varchar, bytes bigint, format varchar, last_update timestamp, observations bigint,
    loaded_at timestamptz, is_current boolean"""
OBSERVATION_COLUMNS = """snapshot_id varchar, dims map(varchar, varchar), geo varchar,
    time varchar, value double, flags varchar, conf_status varchar"""
# the views when no source of observations is configured: the same columns, no rows
NO_OBSERVATIONS = (
    "select null::varchar as source, null::varchar as dataset, null::varchar as snapshot_id, "
    "null::map(varchar, varchar) as dims, null::varchar as geo, null::varchar as time, "
    "null::double as value, null::varchar as flags, null::varchar as conf_status where false"
)
NO_VINTAGES = "raw.no_vintages"


class ObservationBatches(Protocol):
    """What a source of observations hands to `load_observations`: batches of rows with one
    column per dimension (geo among them) and time, value, flags, conf_status."""

    dimensions: list[str]
    format: str
    last_update: datetime | None
    rows: int  # known once every batch was read

    def __iter__(self) -> Iterator[pl.DataFrame]: ...


def raw_table(source: str, dataset: str) -> str:
    return f'raw."{source}__{dataset}"'


def vintages_table(source: str, dataset: str) -> str:
    return f'raw."{source}__{dataset}__vintages"'


def loaded_count(
    con: duckdb.DuckDBPyConnection, source: str, dataset: str, snapshot_id: str
) -> int | None:
    """The row (observation) count of a vintage loaded before, or None."""
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'raw' and table_name = ?",
        [f"{source}__{dataset}__vintages"],
    ).fetchall()[0][0]
    if not exists:
        return None
    found = con.execute(
        f"select observations from {vintages_table(source, dataset)} where snapshot_id = ?",
        [snapshot_id],
    ).fetchall()
    return found[0][0] if found else None


def create_vintages(con: duckdb.DuckDBPyConnection, source: str, dataset: str) -> None:
    con.execute("create schema if not exists raw")
    con.execute(f"create table if not exists {vintages_table(source, dataset)} ({VINTAGE_COLUMNS})")


def add_vintage(
    con: duckdb.DuckDBPyConnection,
    source: str,
    dataset: str,
    meta: dict[str, Any],
    *,
    format: str,
    last_update: datetime | None,
    count: int,
) -> None:
    """One row of provenance for a newly loaded vintage (not yet current)."""
    con.execute(
        f"insert into {vintages_table(source, dataset)} "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false)",
        [
            meta["snapshot_id"], source, dataset, meta["mode"], meta["is_sample"],
            meta["origin"], meta["file"], meta["retrieved_at"], meta["sha256"], meta["bytes"],
            format, last_update, count, datetime.now(UTC),
        ],
    )  # fmt: skip


def make_current(
    con: duckdb.DuckDBPyConnection, source: str, dataset: str, snapshot_id: str | None
) -> None:
    """The "current" vintage: `snapshot_id` (None: none is)."""
    con.execute(
        f"update {vintages_table(source, dataset)} set is_current = coalesce(snapshot_id = ?, false)",
        [snapshot_id],
    )


def load_observations(
    con: duckdb.DuckDBPyConnection, source: str, snapshot: Snapshot, parsed: ObservationBatches
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
    obs = raw_table(source, dataset)
    meta = snapshot.meta
    known = loaded_count(con, source, dataset, meta["snapshot_id"])
    with tempfile.TemporaryDirectory(prefix="monitor-load-") as staging:
        if known is None:
            for number, frame in enumerate(parsed):
                frame.write_parquet(Path(staging) / f"{number:06d}.parquet", compression="lz4")
        with transaction(con):
            create_vintages(con, source, dataset)
            con.execute(f"create table if not exists {obs} ({OBSERVATION_COLUMNS})")
            _add_conf_status(con, obs)
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
                add_vintage(
                    con,
                    source,
                    dataset,
                    meta,
                    format=parsed.format,
                    last_update=parsed.last_update,
                    count=parsed.rows,
                )
            make_current(con, source, dataset, meta["snapshot_id"])
    return known is None, parsed.rows if known is None else known


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
    vint = vintages_table(source, dataset)
    with transaction(con):
        con.execute(
            f"delete from {raw_table(source, dataset)} where snapshot_id = ?", [snapshot_id]
        )
        con.execute(f"delete from {vint} where snapshot_id = ?", [snapshot_id])
        rows = con.execute(
            f"""select snapshot_id from {vint} where not list_contains(?::varchar[], snapshot_id)
                order by loaded_at desc limit 1""",
            [sorted(set_aside)],
        ).fetchall()
        kept = rows[0][0] if rows else None
        make_current(con, source, dataset, kept)
    return kept


def missing_tables(con: duckdb.DuckDBPyConnection, names: list[str]) -> list[str]:
    """Which of the raw tables `names` (`<source>__<dataset>`) do not exist yet."""
    existing = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()
    }
    return [name for name in names if name not in existing]


def refresh_raw_views(
    con: duckdb.DuckDBPyConnection, datasets: list[tuple[str, str]]
) -> dict[str, int]:
    """(Re)create `raw.observations` and `raw.snapshots` over every dataset's tables.

    Returns the current observation count per dataset; a missing table is an error.
    """
    missing = missing_tables(con, [f"{s}__{d}" for s, d in datasets])
    if missing:
        raise RuntimeError(f"raw tables missing (ingest them first): {', '.join(missing)}")
    for s, d in datasets:
        _add_conf_status(con, raw_table(s, d))
    obs = [
        f"select '{s}' as source, '{d}' as dataset, * from {raw_table(s, d)}" for s, d in datasets
    ]
    snaps = [f"select * from {vintages_table(s, d)}" for s, d in datasets]
    con.execute("create schema if not exists raw")
    if not datasets:  # no source of observations: views of the same columns, no rows
        con.execute(f"create table if not exists {NO_VINTAGES} ({VINTAGE_COLUMNS})")
        obs = [NO_OBSERVATIONS]
        snaps = [f"select * from {NO_VINTAGES}"]
    con.execute(f"create or replace view raw.observations as {' union all '.join(obs)}")
    con.execute(f"create or replace view raw.snapshots as {' union all '.join(snaps)}")
    rows = con.execute(
        """select o.dataset, count(*) from raw.observations o
        join raw.snapshots s on s.snapshot_id = o.snapshot_id and s.is_current
        group by 1"""
    ).fetchall()
    return dict(rows)
