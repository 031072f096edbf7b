"""Quarantine without Dagster: a refused snapshot never becomes the vintage a source falls back
to (a `dir:` folder without the dataset, an `--as-of` rebuild, a live release that did not
change); dropping is explicit and recorded; the published vintage is never quarantined."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from pipelines.sources import quarantine
from pipelines.sources.eurostat.client.http import HttpClient
from pipelines.sources.eurostat.client.live import fetch_live
from pipelines.sources.eurostat.client.settings import ApiSettings
from pipelines.sources.files import SourceError, SourceSpec, acquire
from pipelines.sources.store import store_snapshot
from pipelines.warehouse import ledger
from tests.support.fake_eurostat import FakeEurostat

T0 = datetime(2026, 1, 5, 10, tzinfo=UTC)


def stored(raw, text: str, at: datetime, dataset: str = "ilc_li41", mode: str = "dir"):
    snap, _ = store_snapshot(
        raw,
        source="eurostat",
        dataset=dataset,
        data=text.encode(),
        filename=f"{dataset}.tsv",
        mode=mode,
        origin=f"/deliveries/{dataset}.tsv",
        retrieved_at=at,
    )
    return snap


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "home" / "raw"
    folder.mkdir(parents=True)
    return folder


def test_a_dir_refresh_without_the_dataset_keeps_the_last_accepted_vintage(raw, tmp_path):
    good = stored(raw, "good", T0)
    bad = stored(raw, "bad", T0 + timedelta(days=1))
    quarantine.quarantine(bad, "ingest", "has dimensions age, sex, geo", run_id="r1")
    empty = tmp_path / "empty"
    empty.mkdir()

    acquired = acquire(SourceSpec.parse(f"dir:{empty}"), "eurostat", "ilc_li41", raw)

    assert acquired.snapshot.snapshot_id == good.snapshot_id
    assert f"kept snapshot {good.snapshot_id}" in acquired.note
    assert f"snapshot {bad.snapshot_id} is quarantined [ingest]" in acquired.note
    assert "has dimensions age, sex, geo" in acquired.note


def test_without_any_accepted_vintage_the_dataset_is_refused_with_the_reason(raw, tmp_path):
    bad = stored(raw, "bad", T0)
    quarantine.quarantine(bad, "parse", "unknown flag(s) 'x'")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SourceError, match="no accepted snapshot is stored.*unknown flag"):
        acquire(SourceSpec.parse(f"dir:{empty}"), "eurostat", "ilc_li41", raw)


def test_an_as_of_rebuild_passes_over_a_quarantined_vintage(raw):
    good = stored(raw, "good", T0)
    bad = stored(raw, "bad", T0 + timedelta(hours=2))
    quarantine.quarantine(bad, "raw_gate", "raw.unique_observations failed")
    acquired = acquire(SourceSpec.parse(f"asof:{T0.date()}"), "eurostat", "ilc_li41", raw)
    assert acquired.snapshot.snapshot_id == good.snapshot_id


def test_drop_is_explicit_recorded_and_keeps_the_snapshot_unused(raw):
    good = stored(raw, "good", T0)
    bad = stored(raw, "bad", T0 + timedelta(days=1))
    quarantine.quarantine(bad, "ingest", "wrong dimensions")
    assert [q.snapshot_id for q in quarantine.list_quarantined(raw)] == [bad.snapshot_id]

    entry = quarantine.drop(raw, bad.snapshot_id, note="older vintage; reported to Eurostat")

    assert entry.state == "dropped" and entry.dropped_by
    assert quarantine.list_quarantined(raw) == []  # cleared from the list...
    assert [q.state for q in quarantine.list_quarantined(raw, include_dropped=True)] == ["dropped"]
    assert bad.file.exists()  # ...nothing deleted or changed in the snapshot folder...
    assert sorted(p.name for p in bad.folder.iterdir()) == ["ilc_li41.tsv", "snapshot.json"]
    assert quarantine.last_accepted(raw, "eurostat", "ilc_li41").snapshot_id == good.snapshot_id
    events = ledger.read(quarantine.log_path(raw))  # ...and both steps are in the log
    assert [(e["event"], e["snapshot_id"]) for e in events] == [
        ("quarantined", bad.snapshot_id),
        ("dropped", bad.snapshot_id),
    ]
    assert events[1]["reason"] == "older vintage; reported to Eurostat"
    with pytest.raises(quarantine.QuarantineError, match="already dropped"):
        quarantine.drop(raw, bad.snapshot_id)
    with pytest.raises(quarantine.QuarantineError, match="no quarantined snapshot"):
        quarantine.drop(raw, "20990101T000000000000Z-0000000000")


def test_a_re_offered_snapshot_that_passes_is_released(raw):
    bad = stored(raw, "bad", T0)
    quarantine.quarantine(bad, "ingest", "registry expected isced11")
    assert quarantine.release(bad, "passed ingest and the raw quality gate")
    assert not quarantine.is_quarantined(bad)
    assert not quarantine.release(bad, "again")
    assert [e["event"] for e in ledger.read(quarantine.log_path(raw))] == [
        "quarantined",
        "released",
    ]


def test_the_published_vintage_is_never_quarantined(raw):
    published = stored(raw, "published", T0)
    ledger.append(
        raw.parent / "ledger" / "publications.jsonl",
        {"status": "published", "snapshots": [{"snapshot_id": published.snapshot_id}]},
    )
    assert quarantine.quarantine(published, "raw_gate", "a rule changed") is None
    assert not quarantine.is_quarantined(published)


def test_a_repeated_refusal_counts_attempts(raw):
    bad = stored(raw, "bad", T0)
    quarantine.quarantine(bad, "ingest", "first")
    entry = quarantine.quarantine(bad, "ingest", "second")
    assert entry.attempts == 2 and entry.reason == "second"
    state = json.loads(quarantine.marker_path(bad).read_text())
    assert state["first_quarantined_at"] <= state["quarantined_at"]


def test_a_live_release_that_did_not_change_falls_back_from_a_quarantined_download(
    raw, monkeypatch
):
    """The release check says "nothing new" for a download that was refused: the client
    keeps the last accepted vintage instead of that download's snapshot."""
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(var, raising=False)
    frame = pl.DataFrame(
        {
            "unit": ["PC"] * 4,
            "geo": ["BE", "BE2", "BE", "BE2"],
            "time": ["2023", "2023", "2024", "2024"],
            "value": [8.1, 9.2, 8.0, 9.0],
            "flags": ["", "", "p", "p"],
        }
    )
    server = FakeEurostat().start()
    try:
        server.add("ilc_test", frame, ["unit", "geo"])
        settings = ApiSettings(
            base_url=server.base_url,
            connect_timeout_s=1.0,
            read_timeout_s=2.0,
            max_attempts=2,
            backoff_initial_s=0.01,
            backoff_max_s=0.02,
            total_budget_s=8.0,
            async_poll_interval_s=0.01,
            async_max_wait_s=1.0,
        )
        query = {"geo": ["BE", "BE2"], "unit": ["PC"]}
        accepted = stored(raw, "an accepted sample", T0, dataset="ilc_test", mode="sample")

        def fetch():
            return fetch_live("ilc_test", query, raw, HttpClient(settings), settings)

        first = fetch()
        assert first.created
        quarantine.quarantine(first.snapshot, "ingest", "the registry expects unit, sex, geo")
        again = fetch()  # Eurostat's `updated` is unchanged: no download
        assert len(server.calls("data")) == 1
        assert again.snapshot.snapshot_id == accepted.snapshot_id
        assert "skipped the download" in again.note
        assert f"snapshot {first.snapshot.snapshot_id} is quarantined" in again.note
    finally:
        server.stop()


def test_a_raw_gate_failure_takes_the_vintage_out_and_restores_the_accepted_one(raw):
    from types import SimpleNamespace

    from pipelines.gate.outcome import GateResult, Outcome
    from pipelines.sources.eurostat.parsing import parse_stream
    from pipelines.sources.raw_tables import load_observations
    from pipelines.warehouse.connect import connect

    tsv = "unit,geo\\time\t2023 \t2024 \nPC,BE2\t8.1 \t{} \n"
    good = stored(raw, tsv.format("8.2"), T0)
    bad = stored(raw, tsv.format("8.9"), T0 + timedelta(days=1))
    db = raw.parent / "warehouse.duckdb"
    with connect(db) as con:
        for snap in (good, bad):
            load_observations(
                con, "eurostat", snap, parse_stream(snap.read_verified(), "f", "ilc_li41")
            )
    failed = Outcome(
        suite="raw.eurostat.ilc_li41",
        stage="raw",
        table="raw.eurostat.ilc_li41",
        name="raw.unique_observations",
        expectation="expect_compound_columns_to_be_unique",
        column=None,
        severity="error",
        success=False,
        description="one observation per series, geography and period",
        unexpected_count=2,
    )
    result = GateResult(
        "raw", False, [failed], "", [], "", 0.0, {}, vintages={"ilc_li41": bad.snapshot_id}
    )
    reg = SimpleNamespace(datasets={"ilc_li41": {"source": "eurostat"}})

    quarantined, released = quarantine.apply_raw_gate(result, raw, db, reg, "run-1")

    assert [q.snapshot_id for q in quarantined] == [bad.snapshot_id] and released == []
    assert quarantined[0].stage == "raw_gate" and "raw.unique_observations" in quarantined[0].reason
    with connect(db, read_only=True) as con:
        vintages = con.execute(
            'select snapshot_id, is_current from raw."eurostat__ilc_li41__vintages"'
        ).fetchall()
        rows = con.execute('select distinct snapshot_id from raw."eurostat__ilc_li41"').fetchall()
    assert vintages == [(good.snapshot_id, True)]
    assert rows == [(good.snapshot_id,)]


def test_a_long_reason_keeps_its_file_and_what_was_wrong():
    reason = "lfst_r_lfu3rt: http://127.0.0.1/" + "x" * 400 + " has dimensions freq, sex, age, geo"
    short = quarantine.shorten(reason, 160)
    assert len(short) == 160
    assert short.startswith("lfst_r_lfu3rt: http://") and short.endswith("freq, sex, age, geo")
