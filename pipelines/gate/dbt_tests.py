"""The dbt data tests as part of the models gate: one Outcome per test, from dbt's own
`run_results.json`, so the gate record (and the publication decision) holds them beside the
Great Expectations suites.

A refresh's `dbt build` records its test results with the fingerprint of the marts it left
(`record_build`); the models stage reuses them only when they come from the same run and the
marts are still exactly those. Otherwise (`monitor publish`, a run launched from the UI on a
warehouse built earlier, marts changed by hand) the stage runs `dbt test` itself. A test whose
severity is `error` blocks publication, `warn` publishes and is listed; a test that did not
run (skipped after an upstream failure, or a compile error) blocks like a failed one.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipelines.gate.outcome import GateResult, Outcome

RECORD = "dbt_tests.json"
LAYERS = ("staging", "intermediate", "marts")
SUITE_PREFIX = "dbt."


def outcomes_from_run_results(
    run_results: dict[str, Any], manifest: dict[str, Any]
) -> list[Outcome]:
    """Every data test of a dbt invocation (models, seeds and unit tests are left out)."""
    nodes = manifest.get("nodes", {})
    sources = manifest.get("sources", {})
    out = []
    for result in run_results.get("results", []):
        unique_id = result.get("unique_id", "")
        if not unique_id.startswith("test."):
            continue
        node = nodes.get(unique_id, {})
        table = _tested_table(node, nodes, sources)
        kind = (node.get("test_metadata") or {}).get("name") or "singular"
        severity = str((node.get("config") or {}).get("severity") or "error").lower()
        status = result.get("status")
        failures = int(result.get("failures") or 0)
        out.append(
            Outcome(
                suite=SUITE_PREFIX + table.split(".", 1)[1],
                stage="models",
                table=table,
                name=SUITE_PREFIX + node.get("name", unique_id.split(".")[-2]),
                expectation=f"dbt test: {kind}",
                column=node.get("column_name"),
                severity="warn" if severity == "warn" else "error",
                success=status == "pass",
                description=_description(status, kind, result.get("message")),
                unexpected_count=failures if status in ("fail", "warn") else int(status != "pass"),
                element_count=0,
                kwargs={"unique_id": unique_id, "status": status},
            )
        )
    return out


def _tested_table(node: dict, nodes: dict, sources: dict) -> str:
    """`<layer>.<model>` (or `<source>.<table>`) of the node a test is attached to; the same
    words as the Dagster asset key of that model."""
    parent = node.get("attached_node") or next(
        iter(node.get("depends_on", {}).get("nodes", [])), ""
    )
    if parent in sources:
        return f"{sources[parent]['source_name']}.{sources[parent]['name']}"
    model = nodes.get(parent, {})
    layer = next((part for part in model.get("fqn", []) if part in LAYERS), "marts")
    return f"{layer}.{model.get('name', parent.rsplit('.', 1)[-1] or 'unknown')}"


def _description(status: str | None, kind: str, message: str | None) -> str:
    if status == "pass":
        return f"dbt {kind} test"
    if status in ("fail", "warn"):
        return f"dbt {kind} test failed: {message or ''}".strip()
    if status == "skipped":
        return f"dbt {kind} test did not run (skipped after an upstream failure)"
    return f"dbt {kind} test could not run: {' '.join(str(message or status).split())[:300]}"


def record_build(
    quality_dir: Path, run_results: dict, manifest: dict, fingerprint: str, run_id: str
) -> list[Outcome]:
    """What a `dbt build` of run `run_id` found, for the models stage of the same run."""
    outcomes = outcomes_from_run_results(run_results, manifest)
    _save(quality_dir, outcomes, fingerprint, run_id, "build")
    return outcomes


def failed_build_gate(outcomes: list[Outcome], fingerprint: str) -> GateResult | None:
    """The models gate's verdict when the build's data tests already block publication (the
    Great Expectations suites then do not run: the models were not all built)."""
    if not any(not o.success and o.severity == "error" for o in outcomes):
        return None
    now = datetime.now(UTC).isoformat()
    return GateResult(
        stage="models",
        passed=False,
        outcomes=outcomes,
        fingerprint=fingerprint,
        snapshot_ids=[],
        validated_at=now,
        duration_s=0.0,
        table_rows={},
    )


class DataTests:
    """The dbt data tests of the marts with `fingerprint`, for one models-stage run: the
    results this run's `dbt build` recorded when they still apply, else a `dbt test`.

    `dbt test` opens the warehouse itself (DuckDB: one process at a time), so the gate starts
    it once it has read its frames and closed its connection, validates them with Great
    Expectations meanwhile, and collects the results before it writes to the warehouse again.
    """

    def __init__(
        self, quality_dir: Path, fingerprint: str, run_id: str | None, target: Path, log=None
    ) -> None:
        self.quality_dir, self.fingerprint, self.run_id = quality_dir, fingerprint, run_id
        self.target, self.log = target, log
        self.process: subprocess.Popen | None = None
        record = load(quality_dir)
        reusable = (
            record is not None
            and run_id is not None
            and record.get("run_id") == run_id
            and record.get("fingerprint") == fingerprint
        )
        self.found = [Outcome(**o) for o in record["outcomes"]] if reusable else None

    def start(self) -> None:
        if self.found is not None or self.process is not None:
            return
        if self.log:
            self.log("running the dbt data tests on the warehouse as it is (dbt test)")
        from pipelines.warehouse.dbt_parse_state import seed_partial_parse

        self.target.mkdir(parents=True, exist_ok=True)
        (self.target / "run_results.json").unlink(missing_ok=True)
        seed_partial_parse(self.target)
        self.process = subprocess.Popen(
            _command(self.target),
            cwd=_project_dir(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=os.environ.copy(),
        )

    def outcomes(self) -> list[Outcome]:
        """The outcomes (waits for `dbt test`); raises DbtTestsFailedToRun without results."""
        if self.found is not None:
            return self.found
        self.start()
        output, _ = self.process.communicate()
        results = self.target / "run_results.json"
        if not results.is_file():
            tail = " | ".join(output.strip().splitlines()[-5:])
            raise DbtTestsFailedToRun(
                f"dbt test gave no results (exit {self.process.returncode}): {tail}"
            )
        self.found = outcomes_from_run_results(
            json.loads(results.read_text()), json.loads((self.target / "manifest.json").read_text())
        )
        _save(self.quality_dir, self.found, self.fingerprint, self.run_id, "test")
        return self.found

    def stop(self) -> None:
        """End a `dbt test` still running (the gate failed before it needed the results)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def _project_dir() -> Path:
    from pipelines.settings import DBT_PROJECT_DIR

    return DBT_PROJECT_DIR


def _command(target: Path) -> list[str]:
    """`dbt test` (data tests only) with the project's dbt; the warehouse path comes from the
    environment (settings.export_env)."""
    from pipelines.settings import dbt_executable

    project = str(_project_dir())
    return [
        str(dbt_executable()),
        "test",
        "--exclude",
        "test_type:unit",
        "--project-dir",
        project,
        "--profiles-dir",
        project,
        "--target-path",
        str(target),
        "--log-path",  # dbt.log beside the home's other dbt output (as the dbt asset's)
        str(target),
        "--quiet",
    ]


class DbtTestsFailedToRun(RuntimeError):
    """dbt could not run the data tests at all (no run_results.json)."""


def load(quality_dir: Path) -> dict[str, Any] | None:
    path = quality_dir / RECORD
    return json.loads(path.read_text()) if path.is_file() else None


def _save(
    quality_dir: Path, outcomes: list[Outcome], fingerprint: str, run_id: str | None, how: str
) -> Path:
    from dataclasses import asdict

    quality_dir.mkdir(parents=True, exist_ok=True)
    path = quality_dir / RECORD
    tmp = path.with_suffix(".tmp")
    doc = {
        "run_id": run_id,
        "fingerprint": fingerprint,
        "invocation": how,
        "recorded_at": datetime.now(UTC).isoformat(),
        "outcomes": [asdict(o) for o in outcomes],
    }
    tmp.write_text(json.dumps(doc, indent=1, default=str))
    os.replace(tmp, path)
    return path
