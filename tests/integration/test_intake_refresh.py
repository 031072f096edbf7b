"""Spreadsheet deliveries through `monitor refresh`: the sample's regiekamer answer; a valid
delivery from the intake folder becomes a new vintage (the old one kept); refused deliveries
load nothing and leave the publication byte-identical."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile

import duckdb
import pytest

from pipelines.registry.deliveries import load_deliveries
from pipelines.registry.templates import csv_text, workbook_bytes
from pipelines.settings import REPO_ROOT, SAMPLE_DIR
from pipelines.sources.intake.source import check_file
from tests.conftest import copy_sample, monitor_cmd

DELIVERIES = load_deliveries(REPO_ROOT / "registry")
SAMPLES = SAMPLE_DIR / "intake"


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def delivered_rows(code: str, name: str) -> list[dict]:
    _, frame = check_file(DELIVERIES[code], SAMPLES / name)
    return [{**r, "data_label": "delivered"} for r in frame.to_dicts()]


def test_regiekamer_demand_driven_budget(published_home):
    result = monitor_cmd(
        "query",
        "select financing_group, budget_eur, round(share_of_inside_budget, 4), year_inside_budget_eur "
        "from mart_training_financing where year = 2024 order by financing_group",
        "--csv",
        home=published_home,
        check=True,
    )
    rows = {
        line.split(",")[0]: line.split(",")[1:] for line in result.stdout.strip().splitlines()[1:]
    }
    assert float(rows["demand"][0]) == pytest.approx(92_600_000)  # KMO 29.4 + VOV 60 + STS 3.2
    assert float(rows["demand"][1]) == pytest.approx(0.0695)
    assert float(rows["mixed"][0]) == pytest.approx(175_000_000)  # VDAB, counted apart
    assert float(rows["supply"][0]) == pytest.approx(1_065_000_000)
    assert float(rows["demand"][2]) == pytest.approx(1_332_600_000)
    assert float(rows["outside_1_3bn"][0]) == pytest.approx(258_000_000)
    assert rows["outside_1_3bn"][1] == ""


def test_new_indicators_are_published_with_provenance(published_home):
    con = duckdb.connect(str(published_home / "published" / "monitor.duckdb"), read_only=True)
    try:
        tight = dict(
            con.execute(
                "select category, round(value, 3) from fct_indicator_values "
                "where indicator_id = 'labour_market_tightness' and period = '2024'"
            ).fetchall()
        )
        arop = con.execute(
            "select geo, value, income_year, is_sample from fct_indicator_values "
            "where indicator_id = 'arop_statbel' and period = '2018' order by geo"
        ).fetchall()
        estimate = con.execute(
            "select is_estimate, estimate_assumption, is_outside_1_3bn from mart_training_instruments "
            "where instrument = 'SECTORAL_FUNDS'"
        ).fetchall()
        sources = dict(con.execute("select dataset, source from dim_snapshot").fetchall())
    finally:
        con.close()
    assert tight == {"total": 0.937, "HIGH": 2.4, "MEDIUM": 0.518, "LOW": 0.592}
    assert [(g, v, y) for g, v, y, _ in arop if g != "BE2"] == [
        ("BE", 16.0, 2017), ("BE1", 33.0, 2017), ("BE3", 22.0, 2017), ("EU28", 17.0, 2017)
    ]  # fmt: skip
    assert all(s for *_, s in arop)
    # the sample's assumption is in Dutch, as a Flemish department delivers it
    assert estimate[0][0] is True and "0,2 %" in estimate[0][1] and estimate[0][2] is True
    assert sources["vdab_tightness"] == "vdab" and sources["statbel_poverty"] == "statbel"
    assert sources["training_instruments"] == "partner"


@pytest.mark.slow
def test_delivery_from_intake_folder_is_a_new_vintage(published_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    rows = delivered_rows("training_instruments", "SAMPLE_training_instruments.xlsx")
    for row in rows:
        if row["instrument"] == "VOV":
            row["participants"] = 52_000
    (home / "intake").mkdir()
    (home / "intake" / "training_instruments.xlsx").write_bytes(
        workbook_bytes(DELIVERIES["training_instruments"], rows)
    )
    folder = copy_sample(tmp_path / "files")
    result = monitor_cmd("refresh", "--source", f"dir:{folder}", home=home)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    con = duckdb.connect(str(home / "published" / "monitor.duckdb"), read_only=True)
    try:
        users = con.execute(
            "select value, is_sample, snapshot_mode, data_label from fct_indicator_values "
            "where indicator_id = 'training_leave_users'"
        ).fetchall()
        labels = con.execute(
            "select distinct data_label, is_sample from mart_training_instruments"
        ).fetchall()
    finally:
        con.close()
    assert users == [(52000.0, False, "intake", "delivered")]
    assert labels == [("delivered", False)]
    wh = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        vintages = wh.execute(
            'select mode, is_current, observations from raw."partner__training_instruments__vintages" order by loaded_at'
        ).fetchall()
        kept = wh.execute(
            'select count(distinct snapshot_id) from raw."partner__training_instruments"'
        ).fetchall()
    finally:
        wh.close()
    assert vintages == [("sample", False, 13), ("intake", True, 13)]
    assert kept == [(2,)]


def _macro_workbook() -> bytes:
    data = workbook_bytes(
        DELIVERIES["training_instruments"],
        delivered_rows("training_instruments", "SAMPLE_training_instruments.xlsx"),
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    return out.getvalue()


@pytest.mark.slow
def test_refused_deliveries_load_nothing_and_keep_the_publication(published_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    published = home / "published" / "monitor.duckdb"
    before = sha(published)
    snapshots_before = sorted(p.name for p in (home / "raw").glob("*/*/*"))
    folder = copy_sample(tmp_path / "files")
    (folder / "training_instruments.xlsx").write_bytes(_macro_workbook())
    vdab = delivered_rows("vdab_tightness", "SAMPLE_vdab_tightness.csv")
    vdab[3]["jobseekers"] = -10
    vdab[7]["education_level"] = "PHD"
    (folder / "vdab_tightness.csv").write_text(csv_text(DELIVERIES["vdab_tightness"], vdab))
    poverty = (
        (SAMPLES / "SAMPLE_statbel_poverty.csv").read_text().replace(",sample,", ",delivered,")
    )
    poverty = poverty.replace(",synthetic,", ",delivered,").replace("arop_rate_pct,", "rate,", 1)
    (folder / "statbel_poverty.csv").write_text(poverty)

    result = monitor_cmd("refresh", "--source", f"dir:{folder}", home=home)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "NOT PUBLISHED" in result.stdout
    assert "training_instruments.xlsx: workbook contains macros (vbaProject.bin); refused" in out
    assert "vdab_tightness.csv, row 5, column jobseekers (5): -10 is below the minimum 0" in out
    assert "vdab_tightness.csv, row 9, column education_level (2): unknown code 'PHD'" in out
    assert (
        "statbel_poverty.csv, row 1, column arop_rate_pct: column 'arop_rate_pct' is missing" in out
    )
    assert "statbel_poverty.csv, row 1, column rate (4): unknown column 'rate'" in out
    assert sha(published) == before
    assert sorted(p.name for p in (home / "raw").glob("*/*/*")) == snapshots_before
    wh = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        for table in (
            "partner__training_instruments",
            "vdab__vdab_tightness",
            "statbel__statbel_poverty",
        ):
            count = wh.execute(f'select count(distinct snapshot_id) from raw."{table}"').fetchall()
            assert count == [(1,)], table
    finally:
        wh.close()
    ledger = [
        json.loads(line)
        for line in (home / "ledger" / "publications.jsonl").read_text().splitlines()
    ]
    refused = {e.get("refused_delivery") for e in ledger if e["status"] == "refused"}
    assert {"training_instruments", "vdab_tightness", "statbel_poverty"} <= refused
