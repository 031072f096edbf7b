"""Schema checks remembered by content. A registry whose files, schemas and jsonschema version
hash to a digest that passed before is not checked against its JSON Schemas again: every
process start (`dagster definitions validate`, each run worker, each `monitor` command) keeps
the ~50 ms of importing jsonschema and validating. Any edit changes the digest and is checked
afresh; the cross-file checks (`checks.py`) run on every load."""

from __future__ import annotations

import hashlib
import os
from importlib import metadata
from pathlib import Path


def cache_dir() -> Path:
    """`MONITOR_CACHE_DIR`, else `$XDG_CACHE_HOME/flemish-monitor`, else ~/.cache/..."""
    if os.environ.get("MONITOR_CACHE_DIR"):
        return Path(os.environ["MONITOR_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "flemish-monitor"


def digest(paths: list[Path]) -> str:
    """sha256 over the names and bytes of `paths` and the jsonschema version."""
    h = hashlib.sha256(f"jsonschema {metadata.version('jsonschema')}\n".encode())
    for path in paths:
        h.update(f"{path.name}\n".encode())
        h.update(path.read_bytes() if path.is_file() else b"<missing>")
    return h.hexdigest()


def _stamp(value: str) -> Path:
    return cache_dir() / "registry-schema-passed" / value


def passed(value: str) -> bool:
    return _stamp(value).is_file()


def remember(value: str) -> None:
    """Note that `value` passed; a cache that cannot be written only costs the next start."""
    try:
        _stamp(value).parent.mkdir(parents=True, exist_ok=True)
        _stamp(value).touch()
    except OSError:
        pass
