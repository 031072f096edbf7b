"""Microdata as a source: one dataset, the LFS-like aggregates computed from the configured
person-level file (`file.py`), with disclosure control before the warehouse.

    locate  $MONITOR_MICRODATA or `microdata.path` (none: the table is left empty)
    fetch   nothing is copied or snapshotted (the file holds person records)
    check   the file's columns and values are checked as the cells are computed (`load`)
    load    the cells replace raw."microdata__lfs_aggregates" in one transaction
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pipelines.sources.base import Acquired, Dataset, Loaded, Located, Log, SourceSpec

if TYPE_CHECKING:
    import duckdb

    from pipelines.registry import Registry
    from pipelines.settings import Paths

NO_FILE = (
    "no file configured (set MONITOR_MICRODATA or microdata.path in config/monitor.yaml); "
    "raw.microdata__lfs_aggregates left empty"
)


class MicrodataSource:
    name = "microdata"
    views = None  # dbt reads raw."microdata__lfs_aggregates" directly
    unit = "cells"

    def datasets(self, reg: Registry) -> list[Dataset]:
        return [
            Dataset(
                kind=self.name,
                source=self.name,
                code="lfs_aggregates",
                title="LFS-like aggregates from microdata",
                entry={},
                description="Weighted LFS-like indicators by breakdown with standard errors, "
                "computed from a microdata file (docs/microdata.md); statistical disclosure "
                "control (respondent thresholds, 0 %/100 %, dominance, secondary suppression, "
                "rounded counts) applied before the warehouse. Only aggregates: no person record "
                "reaches the warehouse.",
                tags={"layer": "raw", "source": self.name},
            )
        ]

    def locate(self, spec: SourceSpec, dataset: Dataset, where: Paths) -> Located:
        from pipelines.sources.microdata.file import configured_file

        path = configured_file()
        return Located("microdata", path=path, note="" if path else NO_FILE)

    def fetch(
        self, located: Located, dataset: Dataset, where: Paths, log: Log | None = None
    ) -> Acquired:
        return Acquired(None, False, located.note, path=located.path)

    def check(self, acquired: Acquired, dataset: Dataset) -> Any:
        return acquired.path

    def load(
        self, con: duckdb.DuckDBPyConnection, acquired: Acquired, dataset: Dataset, checked: Any
    ) -> Loaded:
        from pipelines.sources.microdata.file import load_aggregates

        loaded = load_aggregates(con, checked)
        path = loaded.path
        by_rule = ", ".join(f"{rule} {n}" for rule, n in loaded.suppressed_by_rule.items())
        note = NO_FILE
        if path is not None:
            label = " SYNTHETIC" if loaded.is_synthetic else ""
            note = (
                f"microdata{label}: {path.name} -> {loaded.cells} cells ({loaded.suppressed} "
                f"suppressed: {by_rule}; {loaded.low_reliability} low reliability; "
                f"{loaded.variance_method}; computed on {loaded.engine})"
            )
        return Loaded(
            True,
            loaded.cells,
            note=note,
            details={
                "file": path.name if path else "",
                "suppressed": loaded.suppressed,
                # cells each disclosure rule suppressed (a cell may break several primary rules)
                **{f"suppressed_{rule}": n for rule, n in loaded.suppressed_by_rule.items()},
                "low_reliability": loaded.low_reliability,
                "is_synthetic": loaded.is_synthetic,
                "sha256": loaded.sha256 or "",
                "variance_method": loaded.variance_method or "",
                "engine": loaded.engine,
            },
        )


SOURCE = MicrodataSource()
