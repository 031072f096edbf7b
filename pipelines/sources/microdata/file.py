"""Which microdata file a run uses, its provenance, and the aggregates table it feeds.

The file itself is never copied into the warehouse or snapshotted (it holds person records):
only its name, size, sha256 and the computed cells are kept, in `raw.microdata__lfs_aggregates`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.settings import REPO_ROOT, config

if TYPE_CHECKING:
    import duckdb

ENV_VAR = "MONITOR_MICRODATA"
TABLE = 'raw."microdata__lfs_aggregates"'
COLUMNS = """indicator_id varchar, year integer, geo varchar, breakdown varchar, category varchar,
    n_unweighted bigint, n_records bigint, n_quarters bigint, weighted_population double,
    value double, standard_error double, ci_low double, ci_high double, deff_kish double,
    variance_method varchar, significance_method varchar, status varchar, suppression_rule varchar,
    is_low_reliability boolean, is_suppressed boolean, source_file varchar, source_sha256 varchar, is_synthetic boolean, computed_at timestamptz"""


@dataclass(frozen=True)
class Loaded:
    path: Path | None
    cells: int
    suppressed: int
    low_reliability: int
    is_synthetic: bool
    sha256: str | None
    variance_method: str | None
    suppressed_by_rule: dict[str, int] = field(default_factory=dict)
    engine: str = "duckdb"  # where the cells were computed (warehouse.engine)


def configured_file() -> Path | None:
    """$MONITOR_MICRODATA, else `microdata.path` in config/monitor.yaml (relative to the
    repository), else None: no microdata this run."""
    text = os.environ.get(ENV_VAR) or (config().get("microdata") or {}).get("path")
    if not text:
        return None
    path = Path(str(text)).expanduser()
    return path if path.is_absolute() else REPO_ROOT / path


def is_synthetic(path: Path) -> bool:
    """SYNTHETIC_* file names, or Parquet files whose metadata say so (our generator)."""
    if path.name.upper().startswith("SYNTHETIC_"):
        return True
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        meta = pq.read_schema(path).metadata or {}
        return meta.get(b"monitor.synthetic") == b"true"
    return False


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def load_aggregates(con: duckdb.DuckDBPyConnection, path: Path | None) -> Loaded:
    """Compute the cells of `path` (None: none) and replace the aggregates table with them.
    With the warehouse on PostgreSQL or Spark (warehouse.engine) the cells are computed
    there, as SQL (on_engine.py); DuckDB otherwise."""
    import polars as pl

    from pipelines.sources.microdata.aggregate import Engine, aggregate
    from pipelines.sources.microdata.disclosure import Rules
    from pipelines.warehouse.connect import transaction
    from pipelines.warehouse.engines.server_run import engine_settings, server_engine

    con.execute("create schema if not exists raw")
    if path is None:
        con.execute(f"create or replace table {TABLE} ({COLUMNS})")
        return Loaded(None, 0, 0, 0, False, None, None)
    settings = config()
    rules = Rules.from_config(settings)
    significance = (settings.get("microdata") or {}).get("records_only_significance")
    significance = significance or "not_assessed"
    chosen = server_engine()
    if chosen:  # the warehouse's engine aggregates: a Spark cluster for a register-sized file
        from pipelines.sources.microdata.on_engine import aggregate_on

        result = aggregate_on(chosen, engine_settings(chosen), path, rules, significance)
    else:
        result = aggregate(path, rules, Engine.from_config(settings), significance)
    cells = result.cells
    sha = sha256_of(path)
    synthetic = is_synthetic(path)
    frame = cells.with_columns(
        source_file=pl.lit(path.name),
        source_sha256=pl.lit(sha),
        is_synthetic=pl.lit(synthetic),
        computed_at=pl.lit(datetime.now(UTC)),
    )
    with transaction(con):
        con.execute(f"create or replace table {TABLE} ({COLUMNS})")
        con.register("incoming", frame.to_arrow())
        con.execute(f"insert into {TABLE} by name select * from incoming")
        con.unregister("incoming")
    methods = frame["variance_method"].unique().to_list()
    return Loaded(
        path=path,
        cells=frame.height,
        suppressed=int(frame["is_suppressed"].sum()),
        low_reliability=int(frame["is_low_reliability"].sum()),
        is_synthetic=synthetic,
        sha256=sha,
        variance_method=methods[0] if methods else None,
        suppressed_by_rule=result.suppressed_by_rule,
        engine=chosen or "duckdb",
    )
