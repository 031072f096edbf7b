"""The tables dbt reads (its sources), as the DuckDB build warehouse holds them.

The list comes from dbt_project/models/staging/__sources.yml, so a source added there is
loaded into every engine without a change here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import duckdb
import yaml

from pipelines.settings import DBT_PROJECT_DIR

SOURCES_FILE = DBT_PROJECT_DIR / "models" / "staging" / "__sources.yml"


@dataclass(frozen=True)
class Column:
    name: str
    duckdb_type: str


@dataclass(frozen=True)
class SourceTable:
    schema: str
    name: str

    @property
    def qualified(self) -> str:
        return f'{self.schema}."{self.name}"'


@cache
def source_tables() -> tuple[SourceTable, ...]:
    spec = yaml.safe_load(SOURCES_FILE.read_text(encoding="utf-8"))
    return tuple(
        SourceTable(source.get("schema", source["name"]), table["name"])
        for source in spec["sources"]
        for table in source["tables"]
    )


def columns(con: duckdb.DuckDBPyConnection, table: SourceTable) -> list[Column]:
    """The table's columns in order; a missing table is an error that names it."""
    rows = con.execute(
        """select column_name, data_type from duckdb_columns()
        where schema_name = ? and table_name = ? order by column_index""",
        [table.schema, table.name],
    ).fetchall()
    if not rows:
        raise LookupError(
            f"{table.qualified} is not in the DuckDB build warehouse: run the ingest first"
        )
    return [Column(name, dtype) for name, dtype in rows]
