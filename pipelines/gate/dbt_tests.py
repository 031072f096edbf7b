"""The dbt data tests as part of the models gate: one Outcome per test, from dbt's own
`run_results.json`, so the gate record (and the publication decision) holds them beside the
Great Expectations suites.

A refresh's `dbt build` records its test results with the fingerprint of the marts it left
(`record_build`); the models stage of the same run takes them all while the marts are still
exactly those. Otherwise (`monitor publish`, a run launched from the UI on a warehouse built
earlier, marts changed by hand) a recorded result is kept only for a test that passed and
whose inputs are unchanged (the dbt project, and the rows of every relation it reads), and
the stage runs `dbt test` for the others (`DataTests`). A test whose
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
    quality_dir: Path,
    run_results: dict,
    manifest: dict,
    fingerprint: str,
    run_id: str,
    con=None,
) -> list[Outcome]:
    """What a `dbt build` of run `run_id` found, for the models stage of the same run; with
    `con` (the warehouse the tests ran on, as the build left it), test by test for later
    gates too, while what a test reads is unchanged. Without it (the build ran on another
    engine) the results hold for this run only."""
    outcomes = outcomes_from_run_results(run_results, manifest)
    reads = relations_read(manifest) if con is not None else {}
    hashes = relation_hashes(con, _relations(reads)) if con is not None else {}
    _save(quality_dir, outcomes, fingerprint, run_id, "build", reads, hashes)
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


def relations_read(manifest: dict[str, Any]) -> dict[str, list[str]]:
    """Each data test (unique id) -> the relations it reads: the models (views included),
    seeds and sources it depends on, as dbt names them (`"warehouse"."marts"."dim_geo"`); a
    node without a relation (ephemeral) is named by its id, which no query can hash."""
    nodes, sources = manifest.get("nodes", {}), manifest.get("sources", {})
    reads = {}
    for unique_id, node in nodes.items():
        if node.get("resource_type") != "test" or unique_id.startswith("unit_test."):
            continue
        deps = node.get("depends_on", {}).get("nodes", [])
        reads[unique_id] = sorted(
            {(nodes.get(d) or sources.get(d) or {}).get("relation_name") or d for d in deps}
        )
    return reads


def relation_hashes(con, relations: list[str]) -> dict[str, str | None]:
    """relation -> its row count and order-independent row-hash sum (as the gate's marts
    fingerprint), or None when it cannot be read (missing, dropped, not a relation)."""
    import duckdb

    hashes: dict[str, str | None] = {}
    for relation in relations:
        try:
            count, total = con.execute(
                f"select count(*), coalesce(sum(hash(t)), 0)::varchar from {relation} t"
            ).fetchall()[0]
            hashes[relation] = f"{count}:{total}"
        except duckdb.Error:
            hashes[relation] = None
    return hashes


def _relations(reads: dict[str, list[str]]) -> list[str]:
    return sorted({r for names in reads.values() for r in names})


class DataTests:
    """The dbt data tests of the marts with `fingerprint`, for one models-stage run.

    - This run's `dbt build` recorded them and the marts are still what it left: its results.
    - Otherwise a test's last recorded result is kept when it passed and nothing it depends on
      changed since: the dbt project (`dbt_project_fingerprint`: every model, macro and test
      file, dbt's version) and the rows of every relation it reads (`relations_read`, hashed by
      `relation_hashes`; a view is hashed by its rows, so a change upstream of it counts).
      `dbt test --select` runs the others; when none is left, dbt does not start. A failed
      test is always run again.

    `dbt test` opens the warehouse itself (DuckDB: one process at a time), so the gate starts
    it once it has read its frames and closed its connection, validates them with Great
    Expectations meanwhile, and collects the results before it writes to the warehouse again.
    """

    def __init__(
        self,
        quality_dir: Path,
        fingerprint: str,
        run_id: str | None,
        target: Path,
        log=None,
        warehouse_db: Path | None = None,
    ) -> None:
        self.quality_dir, self.fingerprint, self.run_id = quality_dir, fingerprint, run_id
        self.target, self.log, self.warehouse_db = target, log, warehouse_db
        self.process: subprocess.Popen | None = None
        self.record = load(quality_dir)
        reusable = (
            self.record is not None
            and run_id is not None
            and self.record.get("run_id") == run_id
            and self.record.get("fingerprint") == fingerprint
        )
        self.found = [Outcome(**o) for o in self.record["outcomes"]] if reusable else None
        self.kept: list[Outcome] = []
        self.select: list[str] | None = None  # the tests `dbt test` runs (None: all)
        self.hashes: dict[str, str | None] = {}

    def compare(self, con) -> None:
        """Keep the recorded results that still hold for the warehouse `con` reads."""
        from pipelines.warehouse.dbt_project import dbt_project_fingerprint

        if self.found is not None or self.record is None:
            return
        reads = self.record.get("reads")
        if not reads or self.record.get("project") != dbt_project_fingerprint():
            return
        self.hashes = relation_hashes(con, _relations(reads))
        was = self.record.get("relations", {})
        for o in self.record["outcomes"]:
            names = reads.get(o["kwargs"].get("unique_id"))
            unchanged = bool(names) and all(
                self.hashes[r] is not None and self.hashes[r] == was.get(r) for r in names
            )
            if o["success"] and unchanged:  # marked with when dbt last ran it
                since = o["kwargs"].get("kept_since") or self.record.get("recorded_at")
                self.kept.append(Outcome(**{**o, "kwargs": {**o["kwargs"], "kept_since": since}}))
        if not self.kept:
            return  # every test runs
        kept = {o.kwargs["unique_id"] for o in self.kept}
        self.select = sorted(uid for uid in reads if uid not in kept)
        since = self.record.get("recorded_at", "")[:19]
        if self.log:
            self.log(
                f"dbt data tests: {len(self.kept)} of {len(reads)} kept (passed, recorded "
                f"{since}; nothing they read has changed since), {len(self.select)} to run"
            )
        if not self.select:
            self.found = self.kept

    def start(self) -> None:
        if self.found is not None or self.process is not None:
            return
        if self.log:
            which = "all" if self.select is None else f"{len(self.select)} of them"
            self.log(f"running the dbt data tests on the warehouse as it is (dbt test, {which})")
        from pipelines.warehouse.dbt_parse_state import seed_partial_parse

        self.target.mkdir(parents=True, exist_ok=True)
        (self.target / "run_results.json").unlink(missing_ok=True)
        seed_partial_parse(self.target)
        self.process = subprocess.Popen(
            _command(self.target, self.select),
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
        manifest = json.loads((self.target / "manifest.json").read_text())
        ran = outcomes_from_run_results(json.loads(results.read_text()), manifest)
        reads = relations_read(manifest)
        found = ran + self.kept
        self.found = _in_manifest_order(found + without_result(reads, found, manifest), manifest)
        missing = [r for r in _relations(reads) if r not in self.hashes]
        if missing and self.warehouse_db is not None:
            from pipelines.warehouse.connect import connect

            with connect(self.warehouse_db, read_only=True) as con:
                self.hashes |= relation_hashes(con, missing)
        how = "test" if self.select is None else f"test of {len(ran)}, {len(self.kept)} kept"
        _save(self.quality_dir, self.found, self.fingerprint, self.run_id, how, reads, self.hashes)
        return self.found

    def stop(self) -> None:
        """End a `dbt test` still running (the gate failed before it needed the results)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def without_result(
    reads: dict[str, list[str]], found: list[Outcome], manifest: dict
) -> list[Outcome]:
    """The data tests of `reads` that neither ran nor were kept: each blocks, as a test
    that could not run (nothing is left out of the gate unseen)."""
    have = {o.kwargs.get("unique_id") for o in found}
    missing = [
        {"unique_id": uid, "status": "no result", "message": "dbt test gave no result for it"}
        for uid in reads
        if uid not in have
    ]
    return outcomes_from_run_results({"results": missing}, manifest)


def _in_manifest_order(outcomes: list[Outcome], manifest: dict) -> list[Outcome]:
    order = {uid: i for i, uid in enumerate(manifest.get("nodes", {}))}
    return sorted(outcomes, key=lambda o: order.get(o.kwargs.get("unique_id"), len(order)))


def _project_dir() -> Path:
    from pipelines.settings import DBT_PROJECT_DIR

    return DBT_PROJECT_DIR


def _command(target: Path, select: list[str] | None = None) -> list[str]:
    """`dbt test` (data tests only; those of `select`, by unique id, when given) with the
    project's dbt; the warehouse path comes from the environment (settings.export_env)."""
    from pipelines.settings import dbt_executable

    project = str(_project_dir())
    chosen = ["--select", *(uid.split(".")[2] for uid in select)] if select else []
    return [
        str(dbt_executable()),
        "test",
        *chosen,
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
    quality_dir: Path,
    outcomes: list[Outcome],
    fingerprint: str,
    run_id: str | None,
    how: str,
    reads: dict[str, list[str]],
    hashes: dict[str, str | None],
) -> Path:
    """The record: outcomes, which of them dbt ran this time (the others were kept), and
    what they were found on (the marts' fingerprint, the dbt project's, and each relation a
    test reads with its hash)."""
    from dataclasses import asdict

    from pipelines.warehouse.dbt_project import dbt_project_fingerprint

    quality_dir.mkdir(parents=True, exist_ok=True)
    path = quality_dir / RECORD
    tmp = path.with_suffix(".tmp")
    doc = {
        "run_id": run_id,
        "fingerprint": fingerprint,
        "invocation": how,
        "recorded_at": datetime.now(UTC).isoformat(),
        "ran": sorted(o.kwargs["unique_id"] for o in outcomes if "kept_since" not in o.kwargs),
        "project": dbt_project_fingerprint(),
        "reads": reads,
        "relations": {r: hashes.get(r) for r in _relations(reads)},
        "outcomes": [asdict(o) for o in outcomes],
    }
    tmp.write_text(json.dumps(doc, indent=1, default=str))
    os.replace(tmp, path)
    return path
