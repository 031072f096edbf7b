"""The quality gate: Great Expectations 1.x suites run on the marts before publication.

Suites live in `expectations/suites/*.json` (GX's own format). Expectations that follow from
the registry are added here at run time. Tables are read from DuckDB into pandas (GX's
SQLAlchemy path reports N/A on DuckDB) and validated through a GX context, validation
definitions and one checkpoint per table.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipelines.lib.registry import Registry
from pipelines.lib.warehouse import connect
from pipelines.settings import EXPECTATIONS_DIR

MAX_ROWS_KEPT = 50


@dataclass
class Outcome:
    """One expectation's result, in the words the publication log and `monitor status` use."""

    suite: str
    table: str
    expectation: str
    column: str | None
    severity: str  # "error" blocks publication, "warn" does not
    success: bool
    description: str
    unexpected_count: int = 0
    element_count: int = 0
    unexpected_rows: list[dict[str, Any]] = field(default_factory=list)
    kwargs: dict[str, Any] = field(default_factory=dict)

    def sentence(self) -> str:
        target = f"{self.table}.{self.column}" if self.column else self.table
        rows = ", ".join(_row_text(r) for r in self.unexpected_rows[:3])
        more = f" (e.g. {rows})" if rows else ""
        return (
            f"[{self.severity}] {self.expectation} on {target} failed for "
            f"{self.unexpected_count} of {self.element_count} rows{more}"
        )


@dataclass
class GateResult:
    passed: bool
    outcomes: list[Outcome]
    fingerprint: str
    validated_at: str
    duration_s: float
    table_rows: dict[str, int]

    def failures(self, severity: str | None = None) -> list[Outcome]:
        return [o for o in self.outcomes if not o.success and severity in (None, o.severity)]

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "outcomes": [asdict(o) for o in self.outcomes]}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> GateResult:
        outcomes = [Outcome(**o) for o in doc["outcomes"]]
        return cls(**{**doc, "outcomes": outcomes})


def _row_text(row: dict[str, Any]) -> str:
    return "/".join(f"{v}" for v in row.values())


def load_suites(folder: Path | None = None) -> list[dict[str, Any]]:
    folder = folder or EXPECTATIONS_DIR / "suites"
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def registry_expectations(reg: Registry) -> dict[str, list[dict[str, Any]]]:
    """Expectations derived from the registry, by table name."""
    fct: list[dict[str, Any]] = [
        {
            "type": "expect_column_distinct_values_to_contain_set",
            "kwargs": {"column": "indicator_id", "value_set": sorted(reg.indicators)},
            "meta": {"why": "every registry indicator is published"},
            "severity": "critical",
        }
    ]
    for ind in reg.indicators.values():
        lo, hi = ind["plausible_range"]
        fct.append(
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {
                    "column": "value",
                    "min_value": lo,
                    "max_value": hi,
                    "row_condition": f'indicator_id=="{ind["id"]}" and breakdown=="total"',
                    "condition_parser": "pandas",
                },
                "meta": {"why": f"plausible range of {ind['id']} (headline) from the registry"},
                "severity": "critical",
            }
        )
    dim = [
        {
            "type": "expect_column_distinct_values_to_contain_set",
            "kwargs": {"column": "indicator_id", "value_set": sorted(reg.indicators)},
            "severity": "critical",
        }
    ]
    return {"marts.fct_indicator_values": fct, "marts.dim_indicator": dim}


def fingerprint(con, tables: list[str]) -> str:
    """Content hash of the given tables (row count and order-independent row-hash sum)."""
    import hashlib

    digest = hashlib.sha256()
    for table in sorted(tables):
        count, total = con.execute(
            f"select count(*), coalesce(sum(hash(t)), 0)::varchar from {table} t"
        ).fetchall()[0]
        digest.update(f"{table}:{count}:{total};".encode())
    return digest.hexdigest()


def mart_tables(con) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_schema = 'marts' and table_type = 'BASE TABLE' order by 1"
    ).fetchall()
    return [f"marts.{r[0]}" for r in rows]


def run_gate(
    warehouse_db: Path, reg: Registry, suites: list[dict[str, Any]] | None = None
) -> GateResult:
    started = time.perf_counter()
    suites = suites if suites is not None else load_suites()
    extra = registry_expectations(reg)
    with connect(warehouse_db, read_only=True) as con:
        frames = {
            s["meta"]["table"]: con.execute(f"select * from {s['meta']['table']}").df()
            for s in suites
        }
        tables = mart_tables(con)
        fp = fingerprint(con, tables)
    outcomes: list[Outcome] = []
    context = _context()
    for suite_doc in suites:
        table = suite_doc["meta"]["table"]
        expectations = suite_doc["expectations"] + extra.get(table, [])
        outcomes += _validate(context, suite_doc, expectations, frames[table])
    passed = not any(not o.success and o.severity == "error" for o in outcomes)
    return GateResult(
        passed=passed,
        outcomes=outcomes,
        fingerprint=fp,
        validated_at=datetime.now(UTC).isoformat(),
        duration_s=round(time.perf_counter() - started, 3),
        table_rows={t: len(f) for t, f in frames.items()},
    )


def _context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def _validate(
    context, suite_doc: dict[str, Any], expectations: list[dict[str, Any]], frame
) -> list[Outcome]:
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    name, table = suite_doc["name"], suite_doc["meta"]["table"]
    key = suite_doc["meta"].get("key", [])
    source = context.data_sources.add_pandas(f"ds__{name}")
    batch = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe("whole_table")
    suite = gx.ExpectationSuite(name=name, meta=suite_doc.get("meta", {}))
    for exp in expectations:
        suite.add_expectation_configuration(
            ExpectationConfiguration(
                type=exp["type"],
                kwargs=exp["kwargs"],
                meta=exp.get("meta", {}),
                severity=exp.get("severity", "critical"),
            )
        )
    suite = context.suites.add(suite)
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"vd__{name}", data=batch, suite=suite)
    )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=f"cp__{name}",
            validation_definitions=[definition],
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": key},
        )
    )
    result = checkpoint.run(batch_parameters={"dataframe": frame})
    validation = next(iter(result.run_results.values()))
    return [_outcome(name, table, key, r) for r in validation.results]


def _outcome(suite: str, table: str, key: list[str], r) -> Outcome:
    config = r.expectation_config
    kwargs = {k: v for k, v in config.kwargs.items() if k != "batch_id"}
    res = r.result or {}
    rows = res.get("unexpected_index_list") or []
    if rows and not isinstance(rows[0], dict):
        rows = [{"row": i} for i in rows]
    rows = [
        {**{k: r[k] for k in key if k in r}, **{k: v for k, v in r.items() if k not in key}}
        for r in rows
    ]
    count = res.get("unexpected_count")
    if not r.success and "value_set" in kwargs and count is None:
        # Set expectations (e.g. every registry indicator present) report what is missing.
        observed = {str(v) for v in res.get("observed_value") or []}
        rows = [{"missing": v} for v in kwargs["value_set"] if str(v) not in observed]
        count = len(rows)
    if not r.success and count is None:
        count = 1
    severity = (
        "error" if str(getattr(config.severity, "value", config.severity)) == "critical" else "warn"
    )
    why = (config.meta or {}).get("why", "")
    error = (r.exception_info or {}).get("exception_message") if not r.success else None
    column = kwargs.get("column") or ",".join(kwargs.get("column_list", [])) or None
    return Outcome(
        suite=suite,
        table=table,
        expectation=config.type,
        column=column,
        severity=severity,
        success=bool(r.success),
        description=why or error or "",
        unexpected_count=int(count or 0),
        element_count=int(res.get("element_count") or 0),
        unexpected_rows=[{k: _plain(v) for k, v in row.items()} for row in rows[:MAX_ROWS_KEPT]],
        kwargs=json.loads(json.dumps(kwargs, default=str)),
    )


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return str(value)
