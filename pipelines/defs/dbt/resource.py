"""dagster-dbt's `DbtCliResource` running the dbt of the project's own dbt environment
(`settings.dbt_executable()`, `.venv-dbt`), without two start-up costs of each `dbt build`
step that this project never uses (together about 4 s of a 10 s dbt step, by cProfile):

- `dbt --version` in a subprocess to learn the version of the dbt executable: the package
  metadata of that environment says the same (tests/integration/test_definitions_load.py
  compares both);
- an in-process dbt adapter, needed only by `fetch_column_metadata()` and
  `fetch_row_counts()`, which the dbt asset does not call. dagster-dbt accepts no adapter
  (`adapter=None`) and then simply fetches no such metadata. (dbt-core is not importable here
  anyway: it lives in the dbt environment only.)
"""

from __future__ import annotations

from functools import cached_property

from dagster_dbt import DbtCliResource
from packaging import version

from pipelines.settings import DbtNotInstalled, dbt_env_dir, dbt_env_version, dbt_executable


def dbt_core_version() -> version.Version:
    """The dbt-core version installed in the dbt environment, from its package metadata."""
    found = dbt_env_version("dbt-core")
    if found is None:
        raise DbtNotInstalled(
            f"dbt-core is not installed in the dbt environment {dbt_env_dir()}: `make install`"
            " creates it (MONITOR_DBT_ENV points elsewhere)."
        )
    return version.parse(found)


class LeanDbtCliResource(DbtCliResource):
    @classmethod
    def for_project(cls, project_dir) -> LeanDbtCliResource:
        return cls(project_dir=project_dir, dbt_executable=str(dbt_executable()))

    @cached_property
    def _cli_version(self) -> version.Version:
        return dbt_core_version()

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002 - dagster-dbt's signature
        return None
