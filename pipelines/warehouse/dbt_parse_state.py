"""dbt's partial-parse state for a warehouse home that has none yet, for the gate's own
`dbt test` (dagster-dbt does the same for the dbt asset).

dbt keeps what it parsed in `<target>/partial_parse.msgpack` and, on the next invocation,
re-parses only the files that changed. A new home starts from the state `monitor prepare`'s
`dbt parse` left in the project's own target folder: the profile is the same for every home
(profiles.yml, pipelines/warehouse/dbt_in_warehouse.sh), and dbt itself checks the rest (its
version, the profile, the vars, every file's checksum) and parses again whatever differs.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pipelines.settings import DBT_PROJECT_DIR

STATE = "partial_parse.msgpack"


def seed_partial_parse(target: Path, project_target: Path = DBT_PROJECT_DIR / "target") -> bool:
    """Copy the project's state into `target` when `target` has none; True when copied."""
    source, dest = project_target / STATE, target / STATE
    if dest.exists() or not source.is_file():
        return False
    target.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{STATE}.{os.getpid()}.tmp")
    shutil.copyfile(source, tmp)
    os.replace(tmp, dest)  # a concurrent reader sees the whole file or none
    return True
