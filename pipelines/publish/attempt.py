"""One publication attempt as the ledger (`$MONITOR_HOME/ledger/publications.jsonl`) records
it, written here only: a refusal at any stage (a delivery's problems, a quality gate, the
publication's own checks) or a publication. Each entry carries the run, the status, the
reason and the code version; a stage adds what it knows (snapshots, gate records, problems,
the inputs fingerprint)."""

from __future__ import annotations

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
