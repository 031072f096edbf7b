"""Eurostat: the source (`source.py`), its API client (`client/`) and its parsers
(`parsing/`)."""

from pipelines.sources.eurostat.source import SOURCE

__all__ = ["SOURCE"]
