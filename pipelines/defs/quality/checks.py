"""The quality gate as blocking Dagster asset checks, in two stages:

- `raw_quality_gate`: one check per dataset on `raw/<source>__<code>`, after ingest and before
  dbt (a failed raw check stops the models from being built);
- `models_quality_gate`: one check per suite on the staging and mart assets, after dbt, and
  `gate_dbt_tests` on every dbt-tested asset (the dbt data tests of this run's build, or of a
  fresh `dbt test` when the marts are not what that build left: pipelines/gate/dbt_tests.py).

A raw-stage failure quarantines the failing vintage (pipelines/sources/quarantine.py).

Each stage records its result (warehouse/quality/gate_<stage>.json); the publish asset re-reads
those records itself and refuses unless both passed for exactly the data being published.
"""

import json

import dagster as dg

from pipelines.gate.dbt_tests import SUITE_PREFIX
from pipelines.gate.suites import build_suites
from pipelines.publish import attempt
from pipelines.publish.keys import DBT_CHECK, check_name, raw_key
from pipelines.registry import load_registry
from pipelines.settings import paths
from pipelines.sources.quarantine import apply_raw_gate, quarantined_ids


def _specs(stage: str) -> list[dg.AssetCheckSpec]:
    suites = build_suites(load_registry(), stage, profiles={})
    specs = {}
    if stage == "models":
        for key in _dbt_tested_assets():
            specs[(tuple(key.path), DBT_CHECK)] = dg.AssetCheckSpec(
                name=DBT_CHECK,
                asset=key,
                blocking=True,
                description="The dbt data tests of this model, re-read (or re-run) by the "
                "models quality gate: an error-severity failure blocks publication.",
            )
    for suite in suites:
        key = (tuple(suite.asset), check_name(suite.name, stage))
        specs[key] = dg.AssetCheckSpec(
            name=key[1],
            asset=dg.AssetKey(list(suite.asset)),
            blocking=True,
            description=f"Great Expectations suite {suite.name}: {suite.description}",
        )
    return list(specs.values())


def _dbt_tested_assets() -> list[dg.AssetKey]:
    """The dbt models (and sources) that have data tests: each gets a `gate_dbt_tests` check."""
    from pipelines.defs.dbt.assets import dbt_models

    return sorted({spec.asset_key for spec in dbt_models.check_specs}, key=lambda k: k.path)


def _dbt_tests(context, where, run_id: str):
    """The dbt data tests on the marts as they are: this run's build results, else the
    recorded results that still hold and `dbt test` of the others."""
    from pipelines.gate.dbt_tests import DataTests
    from pipelines.gate.run import fingerprint, mart_tables
    from pipelines.settings import export_env
    from pipelines.warehouse.connect import connect

    export_env()  # dbt (a subprocess) must see this warehouse
    target = where.home / "dbt" / "target"
    with connect(where.warehouse_db, read_only=True) as con:
        marts = fingerprint(con, mart_tables(con))
        tests = DataTests(
            where.quality, marts, run_id, target, context.log.info, where.warehouse_db
        )
        tests.compare(con)  # which recorded results still hold
    return tests


def _run(context, stage: str):
    from pipelines.gate.run import run_stage  # DuckDB, pandas and GX: at run time
    from pipelines.publish.publication import save_gate_record

    where = paths().ensure()
    run_id = context.op_execution_context.run_id
    reg = load_registry()
    set_aside = frozenset(quarantined_ids(where.raw))
    dbt_tests = _dbt_tests(context, where, run_id) if stage == "models" else None
    result = run_stage(stage, where.warehouse_db, reg, where.quality, run_id, set_aside, dbt_tests)
    save_gate_record(where.quality, result, run_id)
    if stage == "raw":
        quarantined, released = apply_raw_gate(result, where.raw, where.warehouse_db, reg, run_id)
        for entry in quarantined:
            context.log.warning(
                f"{entry.dataset}: snapshot {entry.snapshot_id} quarantined (raw quality gate); "
                "its last accepted vintage is current again"
            )
        for snapshot_id in released:
            context.log.info(f"snapshot {snapshot_id} passed again: quarantine lifted")
    errors, warnings = result.failures("error"), result.failures("warn")
    context.log.info(
        f"{stage} gate: {len(result.outcomes)} expectations, {len(errors)} blocking failures, "
        f"{len(warnings)} warnings, {result.duration_s:.1f}s; Data Docs: {result.data_docs}"
    )
    for outcome in errors + warnings:
        context.log.warning(outcome.sentence())
    if not result.passed:
        attempt.refused(
            where.ledger,
            run_id,
            f"{stage} quality gate failed: " + "; ".join(o.sentence() for o in errors[:5]),
            gate_passed=False,
            gate_stage=stage,
            failed_expectations=sorted({o.name for o in errors}),
            snapshots=result.snapshot_ids,
        )
    by_check: dict[tuple, list] = {}
    if stage == "models":  # every dbt-tested asset reports, passed or not
        by_check = {(tuple(key.path), DBT_CHECK): [] for key in _dbt_tested_assets()}
    suites = {s.name: s for s in build_suites(reg, stage, profiles={})}
    for outcome in result.outcomes:
        if outcome.suite.startswith(SUITE_PREFIX):
            asset = tuple(outcome.table.split(".", 1))
            key = (asset, DBT_CHECK) if (asset, DBT_CHECK) in by_check else next(iter(by_check))
            by_check[key].append(outcome)
            continue
        suite = suites.get(outcome.suite)
        asset = tuple(suite.asset) if suite else raw_key(*outcome.suite.split(".")[1:3])
        by_check.setdefault((asset, check_name(outcome.suite, stage)), []).append(outcome)
    attempt.note(where.home, run_id, f"gate.{stage}", _gate_part(result, by_check))
    for (asset, name), outcomes in by_check.items():
        failed_errors = [o for o in outcomes if not o.success and o.severity == "error"]
        failed_warns = [o for o in outcomes if not o.success and o.severity == "warn"]
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey(list(asset)),
            check_name=name,
            passed=not failed_errors and not failed_warns,
            severity=dg.AssetCheckSeverity.ERROR if failed_errors else dg.AssetCheckSeverity.WARN,
            metadata={
                "expectations": len(outcomes),
                "failed_errors": len(failed_errors),
                "failed_warnings": len(failed_warns),
                "failures": dg.MetadataValue.md(
                    "\n".join(f"- {o.sentence()}" for o in failed_errors + failed_warns) or "none"
                ),
                "failed_expectations": dg.MetadataValue.json(
                    sorted({o.name for o in failed_errors + failed_warns})
                ),
                "data_docs": result.data_docs or "",
                "validated_rows": json.dumps(
                    {s: result.table_rows.get(s, 0) for s in {o.suite for o in outcomes}}
                ),
            },
        )


def _gate_part(result, by_check: dict[tuple, list]) -> dict:
    """The stage as the run's attempt records it: per check, its expectations and failures."""
    checks = []
    for (asset, name), outcomes in by_check.items():
        failed = [o for o in outcomes if not o.success]
        checks.append(
            {
                "asset": "/".join(asset),
                "check": name,
                "expectations": len(outcomes),
                "errors": sum(o.severity == "error" for o in failed),
                "warnings": sum(o.severity == "warn" for o in failed),
                "failures": [o.sentence() for o in failed if o.severity == "error"]
                + [o.sentence() for o in failed if o.severity == "warn"],
            }
        )
    return {"passed": result.passed, "checks": checks, "duration_s": result.duration_s}


def build_checks() -> list[dg.AssetChecksDefinition]:
    """The two gate stages as multi-asset checks."""

    @dg.multi_asset_check(specs=_specs("raw"), name="raw_quality_gate", pool="warehouse")
    def raw_quality_gate(context: dg.AssetCheckExecutionContext):
        yield from _run(context, "raw")

    @dg.multi_asset_check(specs=_specs("models"), name="models_quality_gate", pool="warehouse")
    def models_quality_gate(context: dg.AssetCheckExecutionContext):
        yield from _run(context, "models")

    return [raw_quality_gate, models_quality_gate]
