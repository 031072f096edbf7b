"""The quality gate as blocking Dagster asset checks: one check per GX suite, on the mart it
validates. A failed `error` expectation fails its check (severity ERROR), which stops the
publication downstream; the publish asset also re-checks the recorded gate result itself."""

import json

import dagster as dg

from pipelines.lib import ledger
from pipelines.lib.gate import load_suites, run_gate
from pipelines.lib.publication import save_gate_record
from pipelines.lib.registry import load_registry
from pipelines.settings import paths


def suite_check_name(suite_name: str) -> str:
    return "gx_" + suite_name.split(".")[-1]


def suite_asset_key(table: str) -> dg.AssetKey:
    schema, name = table.split(".", 1)
    return dg.AssetKey([schema, name])


def build_defs() -> dg.Definitions:
    suites = load_suites()
    specs = [
        dg.AssetCheckSpec(
            name=suite_check_name(s["name"]),
            asset=suite_asset_key(s["meta"]["table"]),
            blocking=True,
            description=f"Great Expectations suite {s['name']}: {s['meta'].get('description', '')}",
        )
        for s in suites
    ]

    @dg.multi_asset_check(specs=specs, name="quality_gate", pool="warehouse")
    def quality_gate(context: dg.AssetCheckExecutionContext):
        where = paths().ensure()
        result = run_gate(where.warehouse_db, load_registry())
        run_id = context.op_execution_context.run_id
        save_gate_record(where.quality, result, run_id)
        stamp = result.validated_at.replace(":", "").replace("-", "")[:15]
        (where.quality / f"validation-{stamp}.json").write_text(
            json.dumps(result.to_json(), indent=1, default=str)
        )
        errors, warnings = result.failures("error"), result.failures("warn")
        context.log.info(
            f"gate: {len(result.outcomes)} expectations, {len(errors)} blocking failures, "
            f"{len(warnings)} warnings, {result.duration_s:.1f}s"
        )
        for outcome in errors + warnings:
            context.log.warning(outcome.sentence())
        if not result.passed:
            ledger.append(
                where.ledger,
                {
                    "status": "refused",
                    "reason": "quality gate failed: " + "; ".join(o.sentence() for o in errors[:5]),
                    "run_id": run_id,
                    "gate_passed": False,
                    "gate_fingerprint": result.fingerprint,
                    "code_version": ledger.code_version(),
                },
            )
        for suite in suites:
            mine = [o for o in result.outcomes if o.suite == suite["name"]]
            failed_errors = [o for o in mine if not o.success and o.severity == "error"]
            failed_warns = [o for o in mine if not o.success and o.severity == "warn"]
            yield dg.AssetCheckResult(
                asset_key=suite_asset_key(suite["meta"]["table"]),
                check_name=suite_check_name(suite["name"]),
                passed=not failed_errors and not failed_warns,
                severity=dg.AssetCheckSeverity.ERROR
                if failed_errors
                else dg.AssetCheckSeverity.WARN,
                metadata={
                    "expectations": len(mine),
                    "failed_errors": len(failed_errors),
                    "failed_warnings": len(failed_warns),
                    "failures": dg.MetadataValue.md(
                        "\n".join(f"- {o.sentence()}" for o in failed_errors + failed_warns)
                        or "none"
                    ),
                    "rows_validated": result.table_rows.get(suite["meta"]["table"], 0),
                    "fingerprint": result.fingerprint,
                },
            )

    return dg.Definitions(asset_checks=[quality_gate])
