"""The ledgers: JSON-lines files beside the warehouse (`$MONITOR_HOME/ledger/`), appended with
fsync, read skipping a torn last line.

`publications.jsonl` holds one line per publication attempt, published or refused, written by
`pipelines.publish.attempt` only; it lives beside the warehouse because a refused attempt must
not touch the published file, and each publication copies it whole into its `publication_log`
table. `quarantine.jsonl` records every change of a snapshot's quarantine
(`pipelines.sources.quarantine`).
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from pipelines.settings import REPO_ROOT


def append(path: Path, entry: dict[str, Any]) -> dict[str, Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = {"recorded_at": datetime.now(UTC).isoformat(), **entry}
    line = json.dumps(entry, sort_keys=True, default=str) + "\n"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())
    return entry


def read(path: Path) -> list[dict[str, Any]]:
    """All entries; a torn last line (crash while appending) is skipped."""
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return entries


def last_published(path: Path) -> dict[str, Any] | None:
    """The last `published` entry of the publication ledger (None: nothing was published)."""
    entries = [e for e in read(path) if e.get("status") == "published"]
    return entries[-1] if entries else None


@cache
def code_version() -> str:
    """Package version plus the git commit (and `-dirty`) when run from a checkout."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        base = version("flemish-policy-monitor")
    except PackageNotFoundError:
        base = "unknown"
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
        return f"{base}+{sha}{'-dirty' if dirty else ''}"
    except (OSError, subprocess.SubprocessError):
        return base
