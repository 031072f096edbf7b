"""Suite outcomes kept between gate runs, one JSON file per suite, reused while a key says
that what the suite would validate is unchanged:

- raw stage (`raw_cache`): the suite and its dataset's current vintage (a dataset whose
  snapshot did not change is not validated again on every refresh);
- models stage (`passed_cache`): the suite and the very rows it read, for suites that passed
  only (a publish after one mart changed validates the suites that read it; a failure is
  always validated afresh, with its rows for the quarantine).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from pipelines.gate.outcome import Outcome
from pipelines.gate.suite import Suite


class OutcomeCache:
    def __init__(
        self, folder: Path, key_of: Callable[[Suite], str | None], passed_only: bool = False
    ) -> None:
        self.folder, self.key_of, self.passed_only = folder, key_of, passed_only
        folder.mkdir(parents=True, exist_ok=True)

    def get(self, suite: Suite) -> list[Outcome] | None:
        path = self.folder / f"{suite.name}.json"
        key = self.key_of(suite)
        if key is None or not path.exists():
            return None
        try:
            doc = json.loads(path.read_text())
            return [Outcome(**o) for o in doc["outcomes"]] if doc.get("key") == key else None
        except (OSError, ValueError, KeyError, TypeError):  # unreadable: validated afresh
            return None

    def put(self, suite: Suite, outcomes: list[Outcome]) -> None:
        path = self.folder / f"{suite.name}.json"
        key = self.key_of(suite)
        if key is None or (self.passed_only and not all(o.success for o in outcomes)):
            path.unlink(missing_ok=True)
            return
        doc = {"key": key, "outcomes": [asdict(o) for o in outcomes]}
        tmp = path.with_suffix(".tmp")  # a run killed mid-write leaves no half file behind
        tmp.write_text(json.dumps(doc, default=str))
        os.replace(tmp, path)


def _digest(parts: list, tail: bytes = b"") -> str:
    head = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(head + tail).hexdigest()


def raw_cache(quality_dir: Path, current: dict[str, str]) -> OutcomeCache:
    """`current`: dataset -> its current vintage (a dataset never loaded is never cached)."""

    def key_of(suite: Suite) -> str | None:
        vintage = current.get(suite.name.rsplit(".", 1)[1], "")
        return _digest([suite.query, suite.expectations, vintage]) if vintage else None

    return OutcomeCache(quality_dir / "raw_cache", key_of)


def passed_cache(quality_dir: Path, frames: dict) -> OutcomeCache:
    """`frames`: suite name -> the rows it reads (a row pandas cannot hash, a list or a map,
    makes its suite validated every time)."""
    import pandas as pd

    def key_of(suite: Suite) -> str | None:
        frame = frames[suite.name]
        try:
            rows = pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()
        except TypeError:
            return None
        head = [
            suite.query,
            suite.expectations,
            list(frame.columns),
            [str(t) for t in frame.dtypes],
        ]
        return _digest(head, rows)

    return OutcomeCache(quality_dir / "models_cache", key_of, passed_only=True)
