"""Microdata (person-level survey files) to aggregates: `schema` checks the file, `aggregate`
computes weighted indicators by breakdown with standard errors and disclosure control,
`file` says which file a run uses and writes the cells, `source` is the source (base.py); `on_engine` runs the same aggregation as SQL on
PostgreSQL or Spark (docs/scaling.md); `synthetic` generates test files.
Only aggregates leave this package. (Submodules are imported where needed: this package's
import must stay cheap for `monitor refresh`'s no-change check.)"""

from pipelines.sources.microdata.source import SOURCE

__all__ = ["SOURCE"]
