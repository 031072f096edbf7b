"""Atomic publication: the gated marts copied into a new DuckDB file that replaces the
published one in a single rename. Readers keep reading the old file until they reopen; a
refused or crashed publication leaves the published file untouched.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines.gate import GateResult, fingerprint, mart_tables
from pipelines.gate.dbt_tests import SUITE_PREFIX as DBT_SUITE_PREFIX
from pipelines.publish.attempt import PUBLISHED, Attempt
from pipelines.warehouse import ledger
from pipelines.warehouse.connect import connect

STAGES = ("raw", "models")


class PublicationRefused(RuntimeError):
    """The gate failed, or did not validate what would be published."""


@dataclass(frozen=True)
class Published:
    publication_id: str
    path: Path
    tables: dict[str, int]
    is_sample: bool


def gate_record_path(quality_dir: Path, stage: str) -> Path:
    return quality_dir / f"gate_{stage}.json"


def save_gate_record(quality_dir: Path, result: GateResult, run_id: str | None) -> Path:
    """Write a stage's verdict where publication (maybe in another run) will look for it."""
    quality_dir.mkdir(parents=True, exist_ok=True)
    target = gate_record_path(quality_dir, result.stage)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps({"run_id": run_id, **result.to_json()}, indent=1, default=str))
    os.replace(tmp, target)
    return target


def load_gate_record(quality_dir: Path, stage: str) -> dict[str, Any] | None:
    path = gate_record_path(quality_dir, stage)
    return json.loads(path.read_text()) if path.exists() else None


def check_gate(warehouse_db: Path, quality_dir: Path) -> list[GateResult]:
    """The gate results that allow publishing the warehouse as it is now, or PublicationRefused.

    Both stages must have passed, the models stage (its Great Expectations suites and the dbt
    data tests) on exactly the marts as they are now, the raw stage on exactly the vintages
    the marts were built from.
    """
    results = []
    for stage in STAGES:
        record = load_gate_record(quality_dir, stage)
        if record is None:
            raise PublicationRefused(
                f"no {stage} quality gate result: run the gate before publishing"
            )
        results.append(GateResult.from_json(record))
    raw, models = results
    with connect(warehouse_db, read_only=True) as con:
        current = fingerprint(con, mart_tables(con))
        used = sorted(
            r[0] for r in con.execute("select snapshot_id from marts.dim_snapshot").fetchall()
        )
    if current != models.fingerprint:
        raise PublicationRefused(
            "the marts changed after the last quality gate ran; the gate must validate "
            "exactly what is published (re-run the gate)"
        )
    for result in results:  # what failed, named, before any bookkeeping reason
        if not result.passed:
            failed = "; ".join(o.sentence() for o in result.failures("error")[:5])
            raise PublicationRefused(f"{result.stage} quality gate failed: {failed}")
    if not any(o.suite.startswith(DBT_SUITE_PREFIX) for o in models.outcomes):
        raise PublicationRefused(
            "the models quality gate holds no dbt data-test results; re-run the gate "
            "(monitor publish) so that every check decides the publication"
        )
    if raw.snapshot_ids != used or models.snapshot_ids != used:
        raise PublicationRefused(
            "the raw quality gate did not validate the vintages the marts were built from "
            "(a newer raw vintage failed the gate, or the gate has not run on these vintages)"
        )
    return results


def publish(
    warehouse_db: Path,
    published_db: Path,
    ledger_path: Path,
    gates: list[GateResult],
    context: dict[str, Any],
) -> Published:
    """Copy the marts into a fresh file and rename it over `published_db`."""
    publication_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    published_db.parent.mkdir(parents=True, exist_ok=True)
    tmp = published_db.parent / f".{published_db.name}.{publication_id}.tmp"
    try:
        with connect(warehouse_db, read_only=True) as src:
            tables = [t.split(".", 1)[1] for t in mart_tables(src)]
            snapshots = src.execute(
                "select dataset, snapshot_id, sha256, mode, retrieved_at::varchar "
                "from marts.dim_snapshot order by dataset"
            ).fetchall()
        modes = sorted({row[3] for row in snapshots})
        is_sample = "sample" in modes
        now = datetime.now(UTC).isoformat()
        entry = {
            "publication_id": publication_id,
            "status": "published",
            "recorded_at": now,
            "published_at": now,
            "is_sample": is_sample,
            "source": modes[0] if len(modes) == 1 else "mixed:" + "+".join(modes),
            "snapshots": [
                {"dataset": d, "snapshot_id": s, "sha256": h, "mode": m, "retrieved_at": r}
                for d, s, h, m, r in snapshots
            ],
            "code_version": ledger.code_version(),
            "gate_passed": all(g.passed for g in gates),
            "gate_fingerprint": gates[-1].fingerprint,
            "gate_warnings": [o.sentence() for g in gates for o in g.failures("warn")],
            "gate_expectations": sum(len(g.outcomes) for g in gates),
            **context,
        }
        counts = _build(tmp, warehouse_db, tables, entry, ledger.read(ledger_path), gates)
        entry["table_rows"] = counts
        _fsync(tmp)
        os.replace(tmp, published_db)
        _fsync(published_db.parent)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    Attempt(PUBLISHED, entry.get("run_id"), details=entry).record(ledger_path)
    return Published(publication_id, published_db, counts, is_sample)


def _build(
    tmp: Path,
    warehouse_db: Path,
    tables: list[str],
    entry: dict[str, Any],
    history: list[dict[str, Any]],
    gates: list[GateResult],
) -> dict[str, int]:
    con = duckdb.connect(str(tmp))
    try:
        con.execute(f"attach '{warehouse_db}' as wh (read_only)")
        counts = {}
        for table in tables:
            con.execute(f'create table "{table}" as select * from wh.marts."{table}"')
            counts[table] = con.execute(f'select count(*) from "{table}"').fetchall()[0][0]
        con.execute("detach wh")
        entry = {**entry, "table_rows": counts}
        log = [*history, entry]
        con.execute(
            """create table publication_log (
                publication_id varchar, status varchar, recorded_at varchar, published_at varchar,
                is_sample boolean, source varchar, run_id varchar, code_version varchar,
                gate_passed boolean, reason varchar, snapshots json, gate_warnings json,
                table_rows json)"""
        )
        con.executemany(
            "insert into publication_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_log_row(e) for e in log],
        )
        con.execute(
            """create table publication_info as select
                ?::varchar as publication_id, ?::timestamptz as published_at,
                ?::boolean as is_sample, ?::varchar as source, ?::varchar as code_version""",
            [
                entry["publication_id"],
                entry["published_at"],
                entry["is_sample"],
                entry.get("source"),
                entry["code_version"],
            ],
        )
        con.execute(
            """create table quality_results (
                stage varchar, suite varchar, name varchar, expectation varchar,
                column_name varchar, severity varchar, success boolean, unexpected_count bigint,
                element_count bigint, description varchar, unexpected_rows json)"""
        )
        rows = [
            (
                o.stage,
                o.suite,
                o.name,
                o.expectation,
                o.column,
                o.severity,
                o.success,
                o.unexpected_count,
                o.element_count,
                o.description,
                json.dumps(o.unexpected_rows),
            )
            for g in gates
            for o in g.outcomes
        ]
        con.executemany(
            "insert into quality_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
        )
        con.execute("checkpoint")
        return counts
    finally:
        con.close()


def _log_row(e: dict[str, Any]) -> tuple:
    return (
        e.get("publication_id"),
        e.get("status"),
        e.get("recorded_at"),
        e.get("published_at"),
        e.get("is_sample"),
        e.get("source"),
        e.get("run_id"),
        e.get("code_version"),
        e.get("gate_passed"),
        e.get("reason"),
        json.dumps(e.get("snapshots", [])),
        json.dumps(e.get("gate_warnings", [])),
        json.dumps(e.get("table_rows", {})),
    )


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
