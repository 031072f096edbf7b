"""The sources there are: every folder of pipelines/sources/ whose package names a `SOURCE`.
Adding a source is adding such a folder (and its datasets to the registry); nothing else
lists them."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from pipelines.sources.base import Dataset, Source, SourceError


@cache
def source_kinds() -> dict[str, Source]:
    """name -> Source, in the order of their folders' names."""
    import pipelines.sources as package

    found: dict[str, Source] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        source = getattr(module, "SOURCE", None)
        if source is not None:
            found[source.name] = source
    return found


def all_datasets(reg) -> list[tuple[Source, Dataset]]:
    """Every dataset of the registry with the source that ingests it. A registry dataset that
    no source takes (its `source:` names no folder) is an error naming it."""
    out = [(kind, d) for kind in source_kinds().values() for d in kind.datasets(reg)]
    taken = {d.code for _, d in out}
    for code, entry in reg.datasets.items():
        if code not in taken:
            raise SourceError(
                f"datasets.yaml: dataset {code!r} has source {entry['source']!r}, but "
                f"pipelines/sources/ has no folder {entry['source']!r} that ingests it"
            )
    return out
