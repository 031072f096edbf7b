"""The quarantine trial (issue 16): a structurally wrong file for one dataset is refused and
never becomes its current vintage; the next refresh that does not bring that dataset again
(even after a sample refresh in between, or a live refresh whose release check sees no new
release) uses the last accepted vintage, says so, and publishes; `monitor status` lists the
quarantined snapshot with its reason until the team drops it."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.conftest import REPO, SAMPLE_EUROSTAT, SHARED_DATA, monitor_cmd
from tests.support.eurostat_formats import to_sdmx_csv
from tests.support.fake_eurostat import FakeEurostat, add_sample_datasets, client_env

pytestmark = pytest.mark.slow

WRONG = "lfst_r_lfu3rt"  # the registry expects isced11, sex, age, unit, geo
GOOD = "ilc_li41"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def published_state(home: Path) -> tuple[str, str]:
    published = home / "published"
    return sha(published / "monitor.duckdb"), sha(published / "report" / "index.html")


def old_vintage(folder: Path) -> Path:
    """An older vintage of lfst_r_lfu3rt, dimensions `age,sex,geo` (no isced11, no unit): the
    real file from ../shared when present, else one built the same way from the sample."""
    target = folder / f"{WRONG}.tsv"
    real = SHARED_DATA / f"{WRONG}.tsv"
    if real.is_file():
        shutil.copy(real, target)
        return target
    lines = (SAMPLE_EUROSTAT / f"SAMPLE_{WRONG}.tsv").read_text().splitlines()
    header, rows = lines[0].split("\t", 1), [line.split("\t", 1) for line in lines[1:]]
    names = header[0].split("\\")[0].split(",")
    keep = [i for i, n in enumerate(names) if n in ("age", "sex", "geo")]
    seen, out = set(), ["age,sex,geo\\time\t" + header[1]]
    for key, cells in rows:
        codes = key.split(",")
        if codes[names.index("isced11")] != "TOTAL" or codes[names.index("unit")] != "PC":
            continue
        short = ",".join(codes[i] for i in keep)
        if short not in seen:
            seen.add(short)
            out.append(f"{short}\t{cells}")
    target.write_text("\n".join(out) + "\n")
    return target


def good_delivery(folder: Path) -> Path:
    """ilc_li41 with Flanders' 2024 value revised: a new vintage that passes every check."""
    lines = (SAMPLE_EUROSTAT / f"SAMPLE_{GOOD}.tsv").read_text().splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("PC,BE2\t"))
    cells = lines[row].split("\t")
    value, _, flags = cells[1].strip().partition(" ")
    cells[1] = f"{float(value) + 0.2:.1f} {flags}".rstrip() + (" " if not flags else "")
    lines[row] = "\t".join(cells)
    target = folder / f"{GOOD}.tsv"
    target.write_text("\n".join(lines) + "\n")
    return target


def current_vintages(home: Path, dataset: str) -> list[tuple[str, bool]]:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(
            f'select snapshot_id, is_current from raw."eurostat__{dataset}__vintages" order by loaded_at'
        ).fetchall()
    finally:
        con.close()


def published_snapshot(home: Path, dataset: str) -> str:
    con = duckdb.connect(str(home / "published" / "monitor.duckdb"), read_only=True)
    try:
        return con.execute(
            "select snapshot_id from dim_snapshot where dataset = ?", [dataset]
        ).fetchall()[0][0]
    finally:
        con.close()


def quarantined_ids(home: Path, dataset: str) -> list[str]:
    return [p.stem for p in (home / "raw" / "eurostat" / dataset / "quarantine").glob("*.json")]


def line_of(output: str, dataset: str) -> str:
    [line] = [x for x in output.splitlines() if x.strip().startswith(f"- {dataset} ")]
    return line


def keep_output(kind: str, text: str) -> None:
    """The last refresh's summary, kept in test-output/ (git-ignored) for the record."""
    folder = REPO / "test-output"
    folder.mkdir(exist_ok=True)
    (folder / f"quarantine_trial_{kind}.txt").write_text(text)


@pytest.fixture
def home(published_home, tmp_path) -> Path:
    target = tmp_path / "home"
    shutil.copytree(published_home, target)
    return target


def test_dir_trial(home, tmp_path):
    sample_vintage = published_snapshot(home, WRONG)
    before = published_state(home)
    bad = tmp_path / "bad"
    bad.mkdir()
    offered = old_vintage(bad)

    refused = monitor_cmd("refresh", "--source", f"dir:{bad}", home=home)
    out = refused.stdout + refused.stderr
    assert refused.returncode == 1, out[-3000:]
    assert "NOT PUBLISHED" in refused.stdout and "Traceback" not in out
    assert f"{offered} has dimensions age, sex, geo" in out
    assert "the registry expects isced11, sex, age, unit, geo (missing: isced11, unit)" in out
    assert "quarantined: it will not become the current vintage" in out
    assert published_state(home) == before
    [bad_id] = quarantined_ids(home, WRONG)
    assert f"snapshot {bad_id} quarantined" in out
    listed = monitor_cmd("quarantine", "list", home=home)
    assert listed.returncode == 0 and f"{bad_id}  eurostat/{WRONG}  [ingest]" in listed.stdout
    assert "(missing: isced11, unit)" in listed.stdout  # the whole reason
    assert (bad_id, True) not in current_vintages(home, WRONG)

    # a sample refresh in between, then a dir: refresh that does not bring the dataset again
    assert monitor_cmd("refresh", home=home).returncode == 0
    good = tmp_path / "good"
    good.mkdir()
    good_delivery(good)
    published = monitor_cmd("refresh", "--source", f"dir:{good}", home=home)
    out = published.stdout
    assert published.returncode == 0, out[-3000:] + published.stderr[-3000:]
    assert "result: PUBLISHED" in out
    line = line_of(out, WRONG)
    assert f"kept snapshot {sample_vintage}" in line
    assert f"the last accepted vintage: snapshot {bad_id} is quarantined [ingest]" in line
    assert "quarantine: 1 snapshot(s) set aside" in out
    assert "[dir] new vintage" in line_of(out, GOOD)
    assert published_snapshot(home, WRONG) == sample_vintage
    keep_output("dir", out)

    status = monitor_cmd("status", home=home)
    assert status.returncode == 0
    assert "Quarantined snapshots (1; never used as a current vintage):" in status.stdout
    assert f"{bad_id}  eurostat/{WRONG}  [ingest]" in status.stdout
    assert "has dimensions age, sex, geo" in status.stdout

    dropped = monitor_cmd("quarantine", "drop", bad_id, "--note", "older vintage", home=home)
    assert dropped.returncode == 0 and f"dropped {bad_id}" in dropped.stdout
    assert "Quarantined snapshots: none" in monitor_cmd("status", home=home).stdout
    listed = monitor_cmd("quarantine", "list", "--all", home=home).stdout
    assert bad_id in listed and "dropped" in listed
    events = [
        json.loads(x) for x in (home / "ledger" / "quarantine.jsonl").read_text().splitlines()
    ]
    assert [(e["event"], e["snapshot_id"]) for e in events] == [
        ("quarantined", bad_id),
        ("dropped", bad_id),
    ]
    assert (home / "raw" / "eurostat" / WRONG / bad_id / offered.name).exists()


def wrong_live_answer() -> bytes:
    """What a changed Eurostat dataset could answer: lfst_r_lfu3rt without isced11 and unit
    (only the codes the client asks for, so the download itself is accepted)."""
    from pipelines.registry import load_registry
    from pipelines.sources.eurostat.client.api import dataset_query
    from pipelines.sources.eurostat.parsing import parse_file

    query = dataset_query(load_registry(), WRONG)
    frame = parse_file(SAMPLE_EUROSTAT / f"SAMPLE_{WRONG}.tsv").frame
    for dim, codes in query.items():
        frame = frame.filter(pl.col(dim).is_in(codes))
    frame = frame.filter(
        (pl.col("isced11") == query["isced11"][0]) & (pl.col("unit") == query["unit"][0])
    )
    if "freq" not in frame.columns:
        frame = frame.with_columns(pl.lit("A").alias("freq"))
    return to_sdmx_csv(frame, ["freq", "sex", "age", "geo"], WRONG)


def revised(api: FakeEurostat, dataset: str, updated: str) -> None:
    """A new release of `dataset` at the fake Eurostat: Flanders' last value revised."""
    from pipelines.sources.eurostat.parsing import parse_file

    parsed = parse_file(SAMPLE_EUROSTAT / f"SAMPLE_{dataset}.tsv")
    last = parsed.frame["time"].max()
    frame = parsed.frame.with_columns(
        pl.when((pl.col("geo") == "BE2") & (pl.col("time") == last))
        .then(pl.col("value") + 0.2)
        .otherwise(pl.col("value"))
        .alias("value")
    )
    api.add(dataset, frame, parsed.dimensions, updated=updated)


def test_live_trial(home):
    sample_vintage = published_snapshot(home, WRONG)
    before = published_state(home)
    api = FakeEurostat().start()
    try:
        add_sample_datasets(api)
        api.datasets[WRONG].static = wrong_live_answer()
        env = client_env(api)

        refused = monitor_cmd("refresh", "--source", "live", home=home, env=env)
        out = refused.stdout + refused.stderr
        assert refused.returncode == 1, out[-3000:]
        assert "NOT PUBLISHED" in refused.stdout and "Traceback" not in out
        assert "the registry expects isced11, sex, age, unit, geo (missing: isced11, unit)" in out
        assert published_state(home) == before
        [bad_id] = quarantined_ids(home, WRONG)
        assert f"snapshot {bad_id} quarantined" in out

        # Eurostat publishes nothing new for lfst_r_lfu3rt, a new release of ilc_li41
        revised(api, GOOD, updated="2026-05-02T11:00:00+0200")
        published = monitor_cmd("refresh", "--source", "live", home=home, env=env)
        out = published.stdout
        assert published.returncode == 0, out[-3000:] + published.stderr[-3000:]
        assert "result: PUBLISHED" in out
        line = line_of(out, WRONG)
        assert "unchanged at Eurostat" in line and "skipped the download" in line
        assert f"kept snapshot {sample_vintage}" in line
        assert f"the last accepted vintage: snapshot {bad_id} is quarantined [ingest]" in line
        assert "[live] new vintage" in line_of(out, GOOD)
        assert len([c for c in api.calls("data") if f"/{WRONG}/" in c["path"]]) == 1
        assert published_snapshot(home, WRONG) == sample_vintage
        keep_output("live", out)
    finally:
        api.stop()
    status = monitor_cmd("status", home=home).stdout
    assert f"{bad_id}  eurostat/{WRONG}  [ingest]" in status


def test_raw_gate_failure_is_quarantined_and_the_previous_vintage_stays_current(home, tmp_path):
    """A file that parses but fails the raw quality gate (a duplicated observation): its
    snapshot is quarantined and the warehouse's current vintage goes back to the accepted one."""
    sample_vintage = published_snapshot(home, GOOD)
    before = published_state(home)
    folder = tmp_path / "dup"
    folder.mkdir()
    lines = (SAMPLE_EUROSTAT / f"SAMPLE_{GOOD}.tsv").read_text().splitlines()
    (folder / f"{GOOD}.tsv").write_text("\n".join([lines[0], lines[1], *lines[1:]]) + "\n")

    refused = monitor_cmd("refresh", "--source", f"dir:{folder}", home=home)
    out = refused.stdout + refused.stderr
    assert refused.returncode == 1 and "raw.unique_observations" in out, out[-3000:]
    assert published_state(home) == before
    [bad_id] = quarantined_ids(home, GOOD)
    vintages = current_vintages(home, GOOD)
    assert [s for s, is_current in vintages if is_current] == [sample_vintage]
    assert bad_id not in [s for s, _ in vintages]  # its rows left the build warehouse
    listed = monitor_cmd("quarantine", "list", home=home).stdout
    assert (
        f"{bad_id}  eurostat/{GOOD}  [raw_gate]" in listed and "raw.unique_observations" in listed
    )
