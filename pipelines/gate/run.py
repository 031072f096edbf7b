"""Run a gate stage through a Great Expectations 1.x file data context.

Frames are read from DuckDB into pandas (GX's SQLAlchemy path reports N/A on DuckDB), each
suite runs through its validation definition, results are kept as GX
validation results and Data Docs under `quality_dir/gx/`, and failing rows go to the
warehouse table `quality.quarantine`.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipelines.gate.cache import OutcomeCache, passed_cache, raw_cache
from pipelines.gate.dbt_tests import DataTests
from pipelines.gate.definitions import RESULT_FORMAT, definition_for, frame_batch
from pipelines.gate.outcome import GateResult, Outcome
from pipelines.gate.suites import (
    Suite,
    build_suites,
    load_severity,
    query_parameters,
    with_finite_checks,
)
from pipelines.registry import Registry
from pipelines.settings import config
from pipelines.warehouse.connect import connect

if TYPE_CHECKING:  # pandas is imported by DuckDB's .df() when a gate runs, not at load
    import pandas as pd

ROWS_KEPT = 50
QUARANTINE_ROWS_PER_EXPECTATION = 1000


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


def float_columns(con, table: str | None) -> list[str]:
    """The floating-point columns of `schema.table` (none for a suite without a table)."""
    if not table:
        return []
    schema, name = table.split(".", 1)
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = ? "
        "and table_name = ? and data_type in ('DOUBLE', 'FLOAT', 'REAL') order by ordinal_position",
        [schema, name],
    ).fetchall()
    return [r[0] for r in rows]


def mart_tables(con) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_schema = 'marts' and table_type = 'BASE TABLE' order by 1"
    ).fetchall()
    return [f"marts.{r[0]}" for r in rows]


def dataset_profiles(
    con, reg: Registry, set_aside: frozenset[str] = frozenset()
) -> dict[str, dict[str, Any]]:
    """Rows, years and geographies (with values) of each dataset's vintage loaded before the current one,
    among vintages of the same kind (a real file is not compared with the bundled sample) and
    not quarantined (`set_aside`)."""
    profiles: dict[str, dict[str, Any]] = {}
    for code, dataset in reg.datasets.items():
        if dataset.get("delivery"):
            continue  # deliveries are typed rows, checked against their template instead
        table = f'raw."{dataset["source"]}__{code}"'
        vintages = f'raw."{dataset["source"]}__{code}__vintages"'
        try:
            previous = con.execute(
                f"""select p.snapshot_id, p.observations from {vintages} p, {vintages} c
                    where c.is_current and p.loaded_at < c.loaded_at
                      and p.is_sample = c.is_sample
                      and not list_contains(?::varchar[], p.snapshot_id)
                    order by p.loaded_at desc limit 1""",
                [sorted(set_aside)],
            ).fetchall()
        except Exception:  # the dataset was never loaded: its ingest step failed first
            continue
        if previous:
            years = con.execute(
                f"select distinct cast(left(time, 4) as integer) from {table} "
                "where snapshot_id = ? and value is not null order by 1",
                [previous[0][0]],
            ).fetchall()
            geos = con.execute(
                f"select distinct geo from {table} "
                "where snapshot_id = ? and value is not null order by 1",
                [previous[0][0]],
            ).fetchall()
            profiles[code] = {
                "rows": previous[0][1],
                "years": [y[0] for y in years],
                "geos": [g[0] for g in geos],
            }
    return profiles


def current_snapshots(con, reg: Registry) -> dict[str, str]:
    """dataset -> the snapshot id of its current vintage (datasets never loaded are absent)."""
    current = {}
    for code, dataset in reg.datasets.items():
        vintages = f'raw."{dataset["source"]}__{code}__vintages"'
        try:
            rows = con.execute(f"select snapshot_id from {vintages} where is_current").fetchall()
        except Exception:
            continue
        if rows:
            current[code] = rows[0][0]
    return current


def run_stage(
    stage: str,
    warehouse_db: Path,
    reg: Registry,
    quality_dir: Path,
    run_id: str | None = None,
    set_aside: frozenset[str] = frozenset(),
    dbt_tests: DataTests | None = None,
) -> GateResult:
    """`set_aside`: quarantined snapshot ids, never the "previous vintage" of a raw comparison;
    `dbt_tests`: the dbt data tests on these marts (models stage), part of the verdict; a
    `dbt test` they need runs while the suites validate the frames already read."""
    started = time.perf_counter()
    with connect(warehouse_db, read_only=True) as con:
        profiles = dataset_profiles(con, reg, set_aside) if stage == "raw" else {}
        suites = build_suites(reg, stage, profiles)
        if stage == "models":
            rules = load_severity()
            suites = [with_finite_checks(s, float_columns(con, s.table), rules) for s in suites]
        frames = {s.name: con.execute(s.query, query_parameters(s.query)).df() for s in suites}
        if stage == "models":
            fp = fingerprint(con, mart_tables(con))
            snapshot_ids = sorted(
                r[0] for r in con.execute("select snapshot_id from marts.dim_snapshot").fetchall()
            )
        else:
            current = current_snapshots(con, reg)
            snapshot_ids = sorted(current.values())
            fp = ",".join(snapshot_ids)
    cache = raw_cache(quality_dir, current) if stage == "raw" else passed_cache(quality_dir, frames)
    if dbt_tests is not None:
        dbt_tests.start()  # the warehouse connection is closed: dbt may open the file
    try:
        context, outcomes, quarantine, validated = _validate_all(suites, frames, quality_dir, cache)
        # after the suites' outcomes: a dbt test mostly repeats what they name
        outcomes += dbt_tests.outcomes() if dbt_tests is not None else []
    finally:
        if dbt_tests is not None:
            dbt_tests.stop()
    docs_index = quality_dir / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    if validated or not docs_index.exists():
        _prune_results(quality_dir, keep=int(config().get("gate", {}).get("keep_results", 20)))
        # no index yet (a new home, or Data Docs deleted): every page, suites' included
        docs = _build_docs(
            context or _context(quality_dir), validated if docs_index.exists() else []
        )
    else:  # every suite was answered from the cache: the Data Docs are already current
        docs = str(docs_index)
    validated_at = datetime.now(UTC).isoformat()
    if quarantine:
        _write_quarantine(warehouse_db, quarantine, stage, validated_at, run_id)
    return GateResult(
        stage=stage,
        passed=not any(not o.success and o.severity == "error" for o in outcomes),
        outcomes=outcomes,
        fingerprint=fp,
        snapshot_ids=snapshot_ids,
        validated_at=validated_at,
        duration_s=round(time.perf_counter() - started, 3),
        table_rows={name: len(frame) for name, frame in frames.items()},
        data_docs=docs,
        vintages=current if stage == "raw" else {},
    )


def _validate_all(
    suites: list[Suite], frames: dict, quality_dir: Path, cache: OutcomeCache
) -> tuple[Any, list[Outcome], list[dict[str, Any]], list[Any]]:
    """Each suite through its validation definition, unless the cache (pipelines/gate/
    cache.py) holds its outcomes for what it would validate: (GX context or None, outcomes,
    failing rows, the keys of the results stored and of their suites, for Data Docs)."""
    context = None  # created on first need: importing GX costs seconds
    outcomes: list[Outcome] = []
    quarantine: list[dict[str, Any]] = []
    validated: list[Any] = []
    for suite in suites:
        cached = cache.get(suite) if cache else None
        if cached is not None:
            outcomes += cached
            continue
        context = context or _context(quality_dir)
        found, rows, keys = _validate(context, quality_dir, suite, frames[suite.name])
        validated += keys
        outcomes += found
        quarantine += rows
        if cache:
            cache.put(suite, found)
    return context, outcomes, quarantine, validated


def _context(quality_dir: Path):
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    quality_dir.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(quality_dir))
    if context.variables.config_variables_file_path:
        # The gate substitutes no variables (frames arrive as pandas; no credentials), but a
        # context with a variables file re-reads and parses it on each of ~1,500 config
        # lookups per gate (0.6 s of 9.5): switched off once, in great_expectations.yml.
        context.variables.config_variables_file_path = None
        context.variables.save()
        context = gx.get_context(mode="file", project_root_dir=str(quality_dir))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def _validate(
    context, quality_dir: Path, suite: Suite, frame: pd.DataFrame
) -> tuple[list[Outcome], list[dict[str, Any]], list[Any]]:
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    batch = frame_batch(context)
    definition, written = definition_for(context, quality_dir, suite, batch)
    run_id = RunIdentifier(run_time=datetime.now(UTC))
    validation = definition.run(
        batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT, run_id=run_id
    )
    key = ValidationResultIdentifier(
        expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite.name),
        run_id=run_id,
        batch_identifier=validation.batch_id,
    )
    if not validation.success:
        _complete_failures(batch, frame, validation)
    # GX's Data Docs header reads the asset's name from the batch spec, which a dataframe
    # batch leaves empty ("Data asset: None"): the stored result gets the suite's table name
    validation.meta.setdefault("batch_spec", {})["data_asset_name"] = suite.table or suite.name
    for r in validation.results:  # no rows: no share of them ("unknown %", not "NaN%")
        if r.result and r.result.get("element_count") == 0:
            for share in [k for k in r.result if k.endswith("_percent")]:
                r.result.pop(share)
    context.validation_results_store.set(key, validation)
    outcomes, quarantine = [], []
    for r in validation.results:
        outcome, rows = _outcome(suite, frame, r)
        outcomes.append(outcome)
        quarantine += rows
    # Data Docs: the new result's page, and the suite's page when the suite was (re)written
    return outcomes, quarantine, [key, *([key.expectation_suite_identifier] if written else [])]


def _complete_failures(batch, frame: pd.DataFrame, validation) -> None:
    """BASIC results have counts and observed values (half the cost of COMPLETE on 600
    expectations); a failed expectation also needs its rows (quarantine) and every missing
    code. The failed expectations alone are validated once more with COMPLETE on the same
    frame, and their results take the BASIC ones' places in the run's result."""
    import great_expectations as gx

    failed = [i for i, r in enumerate(validation.results) if not r.success]
    again = gx.ExpectationSuite(name="failed expectations, complete results")
    for i in failed:
        config = validation.results[i].expectation_config
        kwargs = {k: v for k, v in config.kwargs.items() if k != "batch_id"}
        again.add_expectation_configuration(
            type(config)(
                type=config.type,
                kwargs=kwargs,
                meta=config.meta,
                severity=config.severity,
                description=config.description,
                id=config.id,
            )
        )
    complete = batch.get_batch(batch_parameters={"dataframe": frame}).validate(
        again, result_format={"result_format": "COMPLETE"}
    )
    by_id = {r.expectation_config.id: r for r in complete.results}
    for i in failed:
        found = by_id.get(validation.results[i].expectation_config.id)
        if found is not None:
            validation.results[i] = found
    validation.meta["complete_results_for"] = "failed expectations"


def _outcome(suite: Suite, frame: pd.DataFrame, r) -> tuple[Outcome, list[dict[str, Any]]]:
    config = r.expectation_config
    kwargs = {k: v for k, v in config.kwargs.items() if k != "batch_id"}
    meta = config.meta or {}
    res = r.result or {}
    pair = [c for c in (kwargs.get("column_A"), kwargs.get("column_B")) if c]
    column = kwargs.get("column") or ",".join(kwargs.get("column_list") or pair) or None
    checked = [
        c
        for c in [
            *(kwargs.get("column_list") or [kwargs.get("column")]),
            kwargs.get("column_A"),
            kwargs.get("column_B"),
            *meta.get("show", []),
        ]
        if c and c in frame.columns
    ]
    shown = [c for c in suite.key if c in frame.columns] + [
        c for c in checked if c not in suite.key
    ]
    indices = [i for i in (res.get("unexpected_index_list") or []) if not isinstance(i, dict)]
    rows = [
        _plain_row(frame.loc[i, shown])
        for i in indices[:QUARANTINE_ROWS_PER_EXPECTATION]
        if i in frame.index
    ]
    count = res.get("unexpected_count")
    if not r.success and count is None:
        if "missing_count" in res:  # set expectations report what is missing
            missing = _all_missing(frame, kwargs)  # GX lists only 20, in no order
            if missing is None or len(missing) != res["missing_count"]:
                missing = [_plain(v) for v in res.get("partial_missing_list") or []]
            rows = [{"missing": v} for v in missing]
            count = res["missing_count"]
        elif "value_set" in kwargs:
            observed = {str(v) for v in res.get("observed_value") or []}
            rows = [{"missing": v} for v in kwargs["value_set"] if str(v) not in observed]
            count = len(rows)
        else:
            rows = [{"observed": _plain(res.get("observed_value"))}]
            count = 1
    severity = (
        "error" if str(getattr(config.severity, "value", config.severity)) == "critical" else "warn"
    )
    error = (r.exception_info or {}).get("exception_message") if not r.success else None
    outcome = Outcome(
        suite=suite.name,
        stage=suite.stage,
        table=suite.name,
        name=meta.get("name", config.type),
        expectation=config.type,
        column=column,
        severity=severity,
        success=bool(r.success),
        description=meta.get("why") or error or "",
        unexpected_count=int(count or 0),
        element_count=int(res.get("element_count") or len(frame)),
        unexpected_rows=rows[:ROWS_KEPT],
        kwargs=json.loads(json.dumps(kwargs, default=str)),
    )
    quarantine = (
        [
            {
                "suite": suite.name,
                "expectation": outcome.name,
                "severity": severity,
                "row": json.dumps(row, default=str),
            }
            for row in rows
        ]
        if not r.success
        else []
    )
    return outcome, quarantine


def _all_missing(frame: pd.DataFrame, kwargs: dict[str, Any]) -> list[Any] | None:
    """Every code of a set expectation's `value_set` absent from its column (rows chosen by
    its pandas `row_condition`, as GX does), in the order asked for; None when unknown."""
    column, wanted = kwargs.get("column"), kwargs.get("value_set")
    if column not in frame.columns or not isinstance(wanted, list):
        return None
    rows, condition = frame, kwargs.get("row_condition")
    if isinstance(condition, dict):  # as GX 1.x keeps a pandas condition in the config
        condition = condition.get("pass_through_filter")
    if kwargs.get("row_condition"):
        if kwargs.get("condition_parser") != "pandas" or not isinstance(condition, str):
            return None
        try:
            rows = frame.query(condition)
        except Exception:  # a condition pandas cannot evaluate here: GX's own list
            return None
    present = {str(v) for v in rows[column].dropna().unique()}
    return [v for v in wanted if str(v) not in present]


def _plain_row(series: pd.Series) -> dict[str, Any]:
    return {k: _plain(v) for k, v in series.items()}


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, float | int | str | bool):
        return value
    return str(value)


def _prune_results(quality_dir: Path, keep: int) -> None:
    """Keep the newest `keep` GX validation results (and their Data Docs pages) per suite, so
    that building Data Docs does not slow down as runs accumulate."""
    import shutil

    for root in ("uncommitted/validations", "uncommitted/data_docs/local_site/validations"):
        base = quality_dir / "gx" / root
        for runs in base.glob("**/__none__"):
            for old in sorted(runs.iterdir(), reverse=True)[keep:]:
                shutil.rmtree(old, ignore_errors=True)


def _build_docs(context, new_results: list[Any]) -> str | None:
    """Render the pages of this stage's new results and suites, and the index (the pages of
    earlier results are on disk already; rendering all of them grew with every run kept)."""
    try:
        sites = context.build_data_docs(resource_identifiers=new_results or None)
    except Exception:  # Data Docs are a convenience; the results themselves are kept
        return None
    url = next(iter(sites.values()), None) if sites else None
    return url.removeprefix("file://") if url else None


def _write_quarantine(
    warehouse_db: Path, rows: list[dict[str, Any]], stage: str, at: str, run_id: str | None
) -> None:
    import pandas as pd

    frame = pd.DataFrame(rows).assign(stage=stage, validated_at=at, run_id=run_id or "")
    with connect(warehouse_db) as con:
        con.execute("create schema if not exists quality")
        con.execute(
            """create table if not exists quality.quarantine (
                validated_at varchar, run_id varchar, stage varchar, suite varchar,
                expectation varchar, severity varchar, row json)"""
        )
        con.register("incoming", frame)
        con.execute(
            "insert into quality.quarantine select validated_at, run_id, stage, suite, expectation, severity, row from incoming"
        )
        con.unregister("incoming")
