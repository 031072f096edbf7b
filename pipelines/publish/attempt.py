"""One publication attempt: the ledger entry of its end, and the parts its stages record.

The ledger (`$MONITOR_HOME/ledger/publications.jsonl`) records
it, written here only: a refusal at any stage (a delivery's problems, a quality gate, the
publication's own checks) or a publication. Each entry carries the run, the status, the
reason and the code version; a stage adds what it knows (snapshots, gate records, problems,
the inputs fingerprint)."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.warehouse import ledger

PUBLISHED = "published"
REFUSED = "refused"


@dataclass
class Attempt:
    status: str  # published | refused
    run_id: str | None
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)  # what the stage adds

    def entry(self) -> dict[str, Any]:
        head = {"status": self.status, "run_id": self.run_id}
        if self.reason:
            head["reason"] = self.reason
        return {**head, **self.details, "code_version": ledger.code_version()}

    def record(self, ledger_path: Path) -> dict[str, Any]:
        """Appended (fsync'd) to the ledger; the entry as written."""
        return ledger.append(ledger_path, self.entry())


def refused(ledger_path: Path, run_id: str | None, reason: str, **details: Any) -> dict[str, Any]:
    """Record a refused attempt: `reason` in words, `details` by the stage that refused."""
    return Attempt(REFUSED, run_id, reason, details).record(ledger_path)


# --- This run's attempt, stage by stage -------------------------------------------------------
# Each stage of a refresh writes what it did as one part (`$MONITOR_HOME/attempts/<run>/
# <part>.json`, written atomically, so steps in other processes never share a file); the
# closing summary (`cli/summary.py`) reads the parts, not Dagster's event stream.

KEEP_RUNS = 50


def note(home: Path, run_id: str | None, part: str, data: dict[str, Any]) -> None:
    """Record `part` of run `run_id`'s attempt (`source.<source>__<code>`, `views.<name>`,
    `decision`, `dbt`, `gate.raw`, `gate.models`, `published`, `report`)."""
    if not run_id:
        return
    folder = home / "attempts" / run_id
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{part}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(data, default=str), encoding="utf-8")  # keeps their order
    os.replace(tmp, folder / f"{part}.json")


@dataclass
class RunAttempt:
    """What one run's stages recorded; a stage that did not run has no part."""

    run_id: str
    parts: dict[str, dict[str, Any]]

    def part(self, name: str) -> dict[str, Any] | None:
        return self.parts.get(name)

    def prefixed(self, prefix: str) -> dict[str, dict[str, Any]]:
        """Parts named `<prefix>.<name>`, by name."""
        return {k.split(".", 1)[1]: v for k, v in self.parts.items() if k.startswith(prefix + ".")}


def read(home: Path, run_id: str) -> RunAttempt:
    folder = home / "attempts" / run_id
    parts = {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(folder.glob("*.json"))
        if not p.name.startswith(".")
    }
    return RunAttempt(run_id, parts)


def prune(home: Path, keep: int = KEEP_RUNS) -> None:
    """Keep the parts of the newest `keep` runs."""
    runs = sorted((home / "attempts").glob("*/"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in runs[keep:]:
        shutil.rmtree(old, ignore_errors=True)
