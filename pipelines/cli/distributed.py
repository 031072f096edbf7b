"""Run the `refresh` job on the Celery executor, from this process, against the instance in
DAGSTER_HOME (on PostgreSQL: `instance.write_instance`), with the workers started apart.

    python -m pipelines.cli.distributed [--source sample|live|dir:PATH]

Prints the run id and whether it succeeded; exit 0 only when every step succeeded. Like
`monitor refresh`, it exports the warehouse paths for the workers' dbt subprocess (the
workers read MONITOR_HOME themselves) and builds the dbt manifest first if it is stale.
"""

from __future__ import annotations

import argparse
import sys

MODULE = "pipelines.definitions_distributed"


def run_refresh(source: str = "sample") -> tuple[str, bool]:
    import dagster as dg
    from dagster._core.definitions.reconstruct import ReconstructableRepository

    from pipelines.defs.dbt.project import ensure_manifest
    from pipelines.settings import export_env
    from pipelines.warehouse.distributed.instance import celery_run_config

    export_env().ensure()
    ensure_manifest()
    repository = ReconstructableRepository.for_module(MODULE, "defs")
    job = repository.get_reconstructable_job("refresh")
    run_config = {
        **celery_run_config(),
        "resources": {"source": {"config": {"spec": source}}},
    }
    with dg.DagsterInstance.get() as instance:
        result = dg.execute_job(
            job,
            instance=instance,
            run_config=run_config,
            tags={"monitor/source": source, "monitor/trigger": "distributed"},
            raise_on_error=False,
        )
        return result.run_id, result.success


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="sample")
    args = parser.parse_args(argv)
    run_id, success = run_refresh(args.source)
    print(f"run {run_id}: {'SUCCESS' if success else 'FAILURE'}")
    return 0 if success else 1


if __name__ == "__main__":
    sys.exit(main())
