"""Microdata (person-level survey files) to aggregates: schema check, weighted indicators by
breakdown with standard errors, disclosure control. Only aggregates leave this package."""

from pipelines.lib.microdata.aggregate import INDICATORS, Thresholds, aggregate_file
from pipelines.lib.microdata.schema import MicrodataError
from pipelines.lib.microdata.source import configured_file, load_aggregates

__all__ = [
    "INDICATORS",
    "MicrodataError",
    "Thresholds",
    "aggregate_file",
    "configured_file",
    "load_aggregates",
]
