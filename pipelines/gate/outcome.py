"""What the gate reports: one Outcome per expectation, one GateResult per stage."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Outcome:
    """One expectation's result, in the words the ledger and `monitor status` use."""

    suite: str
    stage: str
    table: str
    name: str  # stable expectation name, e.g. "fct.pct_range" (severity is configured by name)
    expectation: str  # the GX expectation type
    column: str | None
    severity: str  # "error" blocks publication, "warn" publishes and is listed
    success: bool
    description: str
    unexpected_count: int = 0
    element_count: int = 0
    unexpected_rows: list[dict[str, Any]] = field(default_factory=list)
    kwargs: dict[str, Any] = field(default_factory=dict)

    def sentence(self) -> str:
        target = f"{self.table}.{self.column}" if self.column else self.table
        why = f" — {self.description}" if self.description else ""
        head = f"[{self.severity}] {self.name} ({self.expectation}) on {target}: "
        missing = [str(r["missing"]) for r in self.unexpected_rows if set(r) == {"missing"}]
        if missing and len(missing) == len(self.unexpected_rows):  # a set expectation: name all
            more = self.unexpected_count - len(missing)
            return (
                f"{head}missing {', '.join(missing)}{f' and {more} more' if more > 0 else ''}{why}"
            )
        rows = ", ".join("/".join(str(v) for v in r.values()) for r in self.unexpected_rows[:3])
        more = f" (e.g. {rows})" if rows else ""
        of = f" of {self.element_count}" if self.element_count else ""
        return f"{head}{self.unexpected_count}{of} rows failed{more}{why}"


@dataclass
class GateResult:
    stage: str  # "raw" or "models"
    passed: bool
    outcomes: list[Outcome]
    fingerprint: str  # content hash of what was validated (marts for "models")
    snapshot_ids: list[str]  # the vintages the validated data comes from
    validated_at: str
    duration_s: float
    table_rows: dict[str, int]
    data_docs: str | None = None
    vintages: dict[str, str] = field(default_factory=dict)  # raw: dataset -> current snapshot

    def failures(self, severity: str | None = None) -> list[Outcome]:
        return [o for o in self.outcomes if not o.success and severity in (None, o.severity)]

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "outcomes": [asdict(o) for o in self.outcomes]}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> GateResult:
        fields = {k: v for k, v in doc.items() if k in cls.__dataclass_fields__}
        fields["outcomes"] = [Outcome(**o) for o in doc["outcomes"]]
        return cls(**fields)
