"""The monitoring report: a static site built from the published database only."""

from pipelines.report.build import Built, build_report

__all__ = ["Built", "build_report"]
