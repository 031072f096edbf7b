"""dagster-dbt's `DbtCliResource`, without two start-up costs of each `dbt build` step that
this project never uses (together about 4 s of a 10 s dbt step, by cProfile):

- `dbt --version` in a subprocess to learn the version of the dbt executable: it is the
  dbt-core installed in this environment, so its package metadata says the same
  (tests/integration/test_definitions_load.py compares both);
- an in-process dbt adapter, needed only by `fetch_column_metadata()` and
  `fetch_row_counts()`, which the dbt asset does not call. dagster-dbt accepts no adapter
  (`adapter=None`) and then simply fetches no such metadata.
"""

from __future__ import annotations

from functools import cached_property
from importlib.metadata import version as installed_version

from dagster_dbt import DbtCliResource
from packaging import version


class LeanDbtCliResource(DbtCliResource):
    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002 - dagster-dbt's signature
        return None
