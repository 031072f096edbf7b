"""The publication ledger: one JSON line per publication attempt, published or refused.

It lives beside the warehouse (`$MONITOR_HOME/ledger/publications.jsonl`) because a refused
attempt must not touch the published file; each publication copies the whole ledger into its
`publication_log` table.
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
