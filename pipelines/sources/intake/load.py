"""A validated delivery into the raw schema, every vintage kept (the Eurostat pattern):

raw."<source>__<code>"            one row per delivered row and vintage, typed columns
raw."<source>__<code>__vintages"  provenance per vintage; is_current marks the one in use
raw.delivery_observations         view: each row's measures as observations (dims map), with
                                  the row's data_label (delivered, sample, synthetic)
raw.delivery_snapshots            view: the vintages of every delivery
"""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl

from pipelines.registry.deliveries import Delivery
from pipelines.sources.raw_tables import (
    add_vintage,
    create_vintages,
    loaded_count,
    make_current,
    missing_tables,
    raw_table,
    vintages_table,
)
from pipelines.sources.store import Snapshot
from pipelines.warehouse.connect import transaction

SQL_TYPES = {
    "string": "varchar",
    "code": "varchar",
    "integer": "bigint",
    "number": "double",
    "boolean": "boolean",
}
POLARS_TYPES = {
    "string": pl.String,
    "code": pl.String,
    "integer": pl.Int64,
    "number": pl.Float64,
    "boolean": pl.Boolean,
}


def rows_frame(delivery: Delivery, rows: list[dict[str, Any]]) -> pl.DataFrame:
    schema = {
        "row_number": pl.Int64,
        **{c["name"]: POLARS_TYPES[c["type"]] for c in delivery.columns},
    }
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema)


def load_delivery(
    con: duckdb.DuckDBPyConnection, delivery: Delivery, snapshot: Snapshot, frame: pl.DataFrame
) -> bool:
    """Load one vintage and mark it current, in one transaction; False when it was loaded
    before (only the current marker moves)."""
    source, code = delivery.source, delivery.code
    rows = raw_table(source, code)
    columns = ", ".join(f'"{c["name"]}" {SQL_TYPES[c["type"]]}' for c in delivery.columns)
    meta = snapshot.meta
    with transaction(con):
        create_vintages(con, source, code)
        con.execute(
            f"create table if not exists {rows} (snapshot_id varchar, row_number bigint, {columns})"
        )
        present = {r[0] for r in con.execute(f"select * from {rows} limit 0").description}
        for col in delivery.columns:  # a template that gained a column keeps older vintages
            if col["name"] not in present:
                con.execute(
                    f'alter table {rows} add column "{col["name"]}" {SQL_TYPES[col["type"]]}'
                )
        is_new = loaded_count(con, source, code, meta["snapshot_id"]) is None
        if is_new:
            con.register("incoming", frame.to_arrow())
            names = ", ".join(f'"{c}"' for c in frame.columns)
            con.execute(
                f"insert into {rows} (snapshot_id, {names}) select ?, {names} from incoming",
                [meta["snapshot_id"]],
            )
            con.unregister("incoming")
            extension = meta["file"].rsplit(".", 1)[-1].lower()
            add_vintage(
                con, source, code, meta, format=extension, last_update=None, count=frame.height
            )
        make_current(con, source, code, meta["snapshot_id"])
    return is_new


def observation_selects(delivery: Delivery) -> list[str]:
    """One SELECT per measure, giving raw.observations' columns (reshaping only)."""
    obs = delivery.observations
    dims = obs.get("dimensions", [])
    geo = f't."{obs["geo_column"]}"' if "geo_column" in obs else f"'{obs['geo']}'"
    flags = [
        f"case when t.\"{col}\" then '{letter}' end" for col, letter in obs.get("flags", {}).items()
    ]
    flag_sql = f"concat_ws('', {', '.join(flags)})" if flags else "''"
    out = []
    for measure, column in obs["measures"].items():
        keys = ", ".join(f"'{k}'" for k in ["measure", *dims])
        values = ", ".join([f"'{measure}'", *(f't."{d}"' for d in dims)])
        out.append(
            f"select '{delivery.source}' as source, '{delivery.code}' as dataset, t.snapshot_id, "
            f"map([{keys}]::varchar[], [{values}]::varchar[]) as dims, {geo} as geo, "
            f'cast(t."{obs["period"]}" as varchar) as time, cast(t."{column}" as double) as value, '
            f'{flag_sql} as flags, t."data_label" as data_label '
            f"from {raw_table(delivery.source, delivery.code)} t"
        )
    return out


def refresh_delivery_views(
    con: duckdb.DuckDBPyConnection, deliveries: list[Delivery]
) -> dict[str, int]:
    """(Re)create raw.delivery_observations and raw.delivery_snapshots; current rows per
    delivery. A delivery never loaded is an error (its ingest must run first)."""
    missing = missing_tables(con, [f"{d.source}__{d.code}" for d in deliveries])
    if missing:
        raise RuntimeError(f"raw delivery tables missing (ingest them first): {', '.join(missing)}")
    empty_obs = (
        "select null::varchar as source, null::varchar as dataset, null::varchar as snapshot_id, "
        "null::map(varchar, varchar) as dims, null::varchar as geo, null::varchar as time, "
        "null::double as value, null::varchar as flags, null::varchar as data_label where false"
    )
    selects = [s for d in deliveries for s in observation_selects(d)] or [empty_obs]
    con.execute(
        "create or replace view raw.delivery_observations as " + " union all ".join(selects)
    )
    snaps = [f"select * from {vintages_table(d.source, d.code)}" for d in deliveries]
    if snaps:
        con.execute("create or replace view raw.delivery_snapshots as " + " union all ".join(snaps))
    counts = {}
    for d in deliveries:
        counts[d.code] = con.execute(
            f"select count(*) from {raw_table(d.source, d.code)} r join "
            f"{vintages_table(d.source, d.code)} v on v.snapshot_id = r.snapshot_id and v.is_current"
        ).fetchall()[0][0]
    return counts
