"""dbt models as Dagster assets: `dbt build` runs models and their data and unit tests."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from pipelines.defs.dbt.project import ensure_manifest, project
from pipelines.defs.dbt.resource import LeanDbtCliResource
from pipelines.publish import attempt
from pipelines.publish.keys import INPUTS_DECISION, asset_key
from pipelines.settings import export_env

LAYERS = ("staging", "intermediate", "marts")


class LayeredTranslator(DagsterDbtTranslator):
    """Asset keys `<layer>/<model>` and groups by layer; sources keep `<source>/<table>`."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return dg.AssetKey([_layer(dbt_resource_props), dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return "raw"
        return _layer(dbt_resource_props)

    def get_owners(self, dbt_resource_props: Mapping[str, Any]):
        return ["team:data-engineering"]

    def get_asset_spec(self, manifest, unique_id, project) -> dg.AssetSpec:
        """A model that reads a source also waits for the unchanged-inputs decision: when it
        yields nothing (nothing changed since the last publication), the build is skipped.
        Kept per node, as the base class keeps its own: dagster-dbt asks again for every
        node that depends on this one."""
        memo = self.__dict__.setdefault("_with_decision", {})
        found = memo.get((id(manifest), unique_id, id(project)))
        if found is not None:
            return found
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest.get("nodes", {}).get(unique_id, {})
        upstream = node.get("depends_on", {}).get("nodes", [])
        if node.get("resource_type") == "model" and any(u.startswith("source.") for u in upstream):
            spec = spec.merge_attributes(deps=[asset_key(INPUTS_DECISION)])
        memo[(id(manifest), unique_id, id(project))] = spec
        return spec


def _layer(props: Mapping[str, Any]) -> str:
    fqn = props.get("fqn", [])
    return next((part for part in fqn if part in LAYERS), "marts")


@dbt_assets(
    manifest=ensure_manifest(),
    project=project,
    dagster_dbt_translator=LayeredTranslator(),
    pool="warehouse",
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Run `dbt build` (models and their data tests) for the selected models.

    dbt unit tests check the SQL logic, not the data: they run in the test suite
    (tests/integration/test_dbt_unit_tests.py), not on every refresh.
    """
    from pipelines.warehouse.engines import server_run

    where = export_env()
    chosen = server_run.server_engine()  # None: DuckDB, the build warehouse itself
    # One target folder per warehouse home: dbt keeps its partial-parse state there, so a
    # refresh re-parses only what changed (and nothing accumulates in dbt_project/target).
    target = where.home / "dbt" / (f"target-{chosen}" if chosen else "target")
    (target / "run_results.json").unlink(missing_ok=True)  # only this build's results count
    args = ["build", "--exclude", "test_type:unit"]
    if chosen:  # the sources into the engine, dbt there (docs/scaling.md)
        loaded = server_run.load_sources(chosen, where.warehouse_db)
        context.log.info(f"{len(loaded)} source tables loaded into {chosen}")
        server_run.dbt_environ(chosen)
        args += server_run.dbt_args(chosen)
    try:
        yield from dbt.cli(args, context=context, target_path=target).stream()
        if chosen:  # the engine's marts, for the gate and the publication
            pulled = server_run.pull_marts(chosen, where.warehouse_db)
            context.log.info(f"{len(pulled)} marts pulled from {chosen}")
    finally:  # passed or not, the data tests' results go into the models gate
        _record_tests(target, where, context.run.run_id, on_warehouse=not chosen)


def _record_tests(target, where, run_id: str, on_warehouse: bool) -> None:
    """Hand the data-test results of this build to the models gate (pipelines/gate/
    dbt_tests.py); a build that failed also records a failed models gate at once.
    `on_warehouse`: the tests ran on the build warehouse (not on a server engine), so later
    gates may keep their results while what they read is unchanged."""
    import json

    from pipelines.gate.dbt_tests import failed_build_gate, record_build
    from pipelines.gate.run import fingerprint, mart_tables
    from pipelines.publish.publication import save_gate_record
    from pipelines.warehouse.connect import connect

    results = target / "run_results.json"
    if not results.is_file():
        return
    run_results = json.loads(results.read_text())
    attempt.note(where.home, run_id, "dbt", _build_part(run_results))
    manifest = json.loads((target / "manifest.json").read_text())
    with connect(where.warehouse_db, read_only=True) as con:
        marts = fingerprint(con, mart_tables(con))
        outcomes = record_build(
            where.quality, run_results, manifest, marts, run_id, con if on_warehouse else None
        )
    failed = failed_build_gate(outcomes, marts)
    if failed is not None:
        save_gate_record(where.quality, failed, run_id)


def _build_part(run_results: dict) -> dict[str, Any]:
    """The build as the run's attempt records it: models built, tests run, the failed ones."""
    results = run_results.get("results", [])
    models = [r for r in results if r["unique_id"].startswith("model.")]
    tests = [r for r in results if r["unique_id"].startswith("test.")]
    return {
        "models": sum(r["status"] == "success" for r in models),
        "models_failed": [r["unique_id"].split(".")[-1] for r in models if r["status"] == "error"],
        "tests": len(tests),
        "tests_failed": [
            r["unique_id"].split(".")[2] for r in tests if r["status"] in ("fail", "error")
        ],
    }


def mart_keys() -> list[dg.AssetKey]:
    return [key for key in dbt_models.keys if key.path[0] == "marts"]


defs = dg.Definitions(
    assets=[dbt_models], resources={"dbt": LeanDbtCliResource.for_project(project)}
)
