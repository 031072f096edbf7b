"""Stage 2, the sources: one folder per kind of source (`eurostat/`, `intake/`,
`microdata/`, ...), each implementing the protocol of `base.py` (locate, fetch, check, load,
returning one Outcome), and what they all share: file names and the sample rule (`files.py`),
the snapshot store (`store.py`), the raw and vintage tables (`raw_tables.py`), quarantine
(`quarantine.py`), the driver (`ingest.py`) and the list of sources (`kinds.py`)."""

from pipelines.sources.base import (
    Dataset,
    Outcome,
    Refused,
    Source,
    SourceError,
    SourceSpec,
)

__all__ = ["Dataset", "Outcome", "Refused", "Source", "SourceError", "SourceSpec"]
