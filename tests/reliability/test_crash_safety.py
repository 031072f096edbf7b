"""SIGKILL the refresh at every stage: the published database always opens and is either the
previous publication or a complete new one; the next refresh recovers by itself."""

from __future__ import annotations

import json

import pytest

from tests.reliability import figures
from tests.reliability.helpers import Refresh, deliveries, publication_state, sha

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(2400)]

# (progress marker to wait for, seconds to wait after it): every stage, early and late
KILL_POINTS = [
    ("registry_tables", 0.0),
    ("raw__eurostat__edat_lfse_04", 0.0),
    ("raw__eurostat__ilc_peps11n", 0.05),
    ("raw__eurostat__lfst_r_lfe2emprt", 0.02),
    ("raw__eurostat__trng_lfse_04", 0.1),
    ("raw_quality_gate                 start", 0.0),
    ("raw_quality_gate                 start", 1.0),
    ("raw_views", 0.0),
    ("dbt_models                       start", 0.5),
    ("dbt_models                       start", 3.0),
    ("dbt_models                       start", 8.0),
    ("models_quality_gate              start", 0.0),
    ("models_quality_gate              start", 2.0),
    ("models_quality_gate              start", 5.0),
    ("publication__monitor_db          start", 0.0),
    ("publication__monitor_db          start", 0.2),
    ("publication__monitor_db          start", 0.5),
    ("publication__monitor_db          start", 1.0),
    ("publication__report              start", 0.0),
    ("publication__report              start", 0.3),
    ("", 0.0),  # at once, before the first step
]


def test_sigkill_at_every_stage(tmp_path):
    import time

    home = tmp_path / "home"
    a, b = deliveries(tmp_path / "deliveries")
    first = Refresh(home, f"dir:{a}")
    assert first.finish() == 0, "".join(first.lines[-30:])
    published = home / "published" / "monitor.duckdb"
    problems, stages = [], []
    for i, (marker, delay) in enumerate(KILL_POINTS):
        before_sha, before_id = sha(published), publication_state(published)
        run = Refresh(home, f"dir:{b if i % 2 == 0 else a}")
        reached = run.wait_for(marker) if marker else True
        time.sleep(delay)
        stages.append(run.current_step())
        run.kill()
        problems.append(_trial_problem(home, published, before_sha, before_id, reached, run))
    failed = [f"trial {i}: {p}" for i, p in enumerate(problems) if p]
    figures.count("kill trials survived", len(problems) - len(failed), len(problems))
    assert not failed, failed
    # the next refresh recovers without manual steps: no stale lock, no leftovers
    final = Refresh(home, f"dir:{a}")
    assert final.finish() == 0, "".join(final.lines[-40:])
    assert publication_state(published)
    assert not list((home / "raw").glob("*/*/.incoming-*"))
    assert not list((home / "published").glob(".*.tmp*"))
    print(
        f"\nkill trials survived: {len(problems)}/{len(KILL_POINTS)}; stages: {sorted(set(stages))}"
    )
    assert len({s.split("__")[0] for s in stages}) >= 6, stages


def _trial_problem(home, published, before_sha, before_id, reached, run) -> str | None:
    """None when the publication after the kill is the previous one byte for byte, or a new
    one recorded as published; else what is wrong."""
    try:
        after_id = publication_state(published)  # opens, passes the integrity query
    except Exception as exc:  # noqa: BLE001 - any failure to open is what this trial counts
        return f"the published database does not open: {exc}"
    ledger = [
        json.loads(line)
        for line in (home / "ledger" / "publications.jsonl").read_text().splitlines()
    ]
    published_ids = {e["publication_id"] for e in ledger if e.get("status") == "published"}
    if after_id == before_id and sha(published) != before_sha:
        return "same publication id, different bytes"
    if after_id != before_id and after_id not in published_ids:
        return f"{after_id} was never recorded as published"
    if not reached and run.proc.returncode is None:
        return "the kill point was never reached"
    return None
