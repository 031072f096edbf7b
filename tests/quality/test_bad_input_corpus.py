"""The gate's bad-input corpus: each bad delivery or tampered warehouse is refused, the
failed expectation (or the parse/ingest error) is named, and the published file stays
byte-identical. Plus: a `warn` expectation publishes and is listed in the ledger; a failed
gate stops the publish asset even when it runs on its own."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests.conftest import copy_sample, monitor_cmd
from tests.reliability import figures

pytestmark = [
    pytest.mark.slow,
    pytest.mark.reliability,
]  # also bad-input trials of the reliability suite


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows_of(path: Path) -> tuple[list[str], list[list[str]]]:
    lines = path.read_text().splitlines()
    return lines[0].split("\t"), [line.split("\t") for line in lines[1:]]


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.write_text("\n".join(["\t".join(header), *("\t".join(r) for r in rows)]) + "\n")


def set_cell(dataset: str, key: str, year: str, cell: str) -> Callable[[Path], None]:
    """Replace one cell: the row of series key `key`, the column `year`."""

    def edit(folder: Path) -> None:
        path = folder / f"SAMPLE_{dataset}.tsv"
        header, rows = rows_of(path)
        column = [h.strip() for h in header].index(year)
        row = next(r for r in rows if r[0] == key)
        row[column] = cell
        write_rows(path, header, rows)

    return edit


def shift_cell(dataset: str, key: str, year: str, delta: float) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / f"SAMPLE_{dataset}.tsv"
        header, rows = rows_of(path)
        column = [h.strip() for h in header].index(year)
        row = next(r for r in rows if r[0] == key)
        value, _, flags = row[column].strip().partition(" ")
        row[column] = f"{float(value) + delta:.1f} {flags}".rstrip() + (" " if not flags else "")
        write_rows(path, header, rows)

    return edit


def replace_text(dataset: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / f"SAMPLE_{dataset}.tsv"
        path.write_text(path.read_text().replace(old, new))

    return edit


def drop_year(dataset: str, year: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / f"SAMPLE_{dataset}.tsv"
        header, rows = rows_of(path)
        column = [h.strip() for h in header].index(year)
        write_rows(
            path,
            [h for i, h in enumerate(header) if i != column],
            [[c for i, c in enumerate(r) if i != column] for r in rows],
        )

    return edit


def duplicate_first_row(dataset: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / f"SAMPLE_{dataset}.tsv"
        header, rows = rows_of(path)
        write_rows(path, header, [rows[0], *rows])

    return edit


def keep_half(dataset: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / f"SAMPLE_{dataset}.tsv"
        header, rows = rows_of(path)
        write_rows(path, header, rows[: len(rows) // 2])

    return edit


def all_missing(dataset: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / f"SAMPLE_{dataset}.tsv"
        header, rows = rows_of(path)
        write_rows(path, header, [[r[0], *(": " for _ in r[1:])] for r in rows])

    return edit


def raw_bytes(
    dataset: str, make: Callable[[bytes], bytes], suffix: str = ".tsv"
) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / f"SAMPLE_{dataset}.tsv"
        data = make(path.read_bytes())
        path.unlink()
        (folder / f"SAMPLE_{dataset}{suffix}").write_bytes(data)

    return edit


FILE_CASES = {
    "percentage_above_100": (
        set_cell("lfst_r_lfe2emprt", "PC,T,Y20-64,BE2", "2024", "250.0 "),
        "fct.pct_range",
    ),
    "negative_percentage": (
        set_cell("lfst_r_lfu3rt", "TOTAL,T,Y15-74,PC,BE", "2020", "-5.0 "),
        "fct.pct_range",
    ),
    "province_above_100": (
        set_cell("lfst_r_lfu3rt", "TOTAL,T,Y15-74,PC,BE21", "2022", "101.0 "),
        "fct.pct_range",
    ),
    "implausible_rate": (
        set_cell("ilc_peps11n", "PC,BE2", "2024", "75.0 "),
        "fct.plausible_range.arope",
    ),
    "implausible_count": (
        set_cell("ilc_peps11n", "THS_PER,BE", "2024", "99999999 "),
        "fct.plausible_range.arope_count",
    ),
    "wrong_unit": (
        replace_text("lfst_r_lfe2emprt", "\nPC,", "\nTHS_PER,"),
        "raw.required_codes.unit",
    ),
    "missing_year": (drop_year("trng_lfse_04", "2023"), "raw.years_present"),
    "duplicate_keys": (duplicate_first_row("ilc_li41"), "raw.unique_observations"),
    "unknown_geography": (
        replace_text("ilc_li41", "PC,BE2\t", "PC,XX9\t"),
        "raw.required_geographies",
    ),
    "invalid_geography_code": (
        replace_text("ilc_li41", "PC,EU27_2020\t", "PC,eu-27\t"),
        "raw.geo_code_format",
    ),
    "eu_aggregate_renamed": (
        replace_text("ilc_peps11n", ",EU27_2020\t", ",EU28\t"),
        "raw.geographies_kept",
    ),
    "dataset_shrinks_to_half": (keep_half("lfst_r_lfe2emprt"), "raw.not_shrinking"),
    "jump_of_20_points": (
        shift_cell("lfst_r_lfe2emprt", "PC,T,Y20-64,BE", "2023", 20.0),
        "marts.yoy_jump_implausible",
    ),
    "changed_code_list": (
        replace_text("trng_lfse_04", "PC,T,", "PC,TOTAL,"),
        "raw.required_codes.sex",
    ),
    "all_values_missing": (all_missing("ilc_mdsd18"), "raw.values_present"),
    "unknown_sex_code": (
        replace_text("lfst_r_lfu3rt", "TOTAL,M,Y15-74", "TOTAL,X,Y15-74"),
        "raw.known_codes.sex",
    ),
    "extra_dimension": (
        raw_bytes(
            "ilc_li41",
            lambda b: b.replace(b"unit,geo\\time", b"unit,sex,geo\\time").replace(
                b"\nPC,", b"\nPC,T,"
            ),
        ),
        "the registry expects",
    ),
    "non_numeric_value": (set_cell("ilc_li41", "PC,BE2", "2020", "12,5 "), "is neither a number"),
    "unknown_flag": (set_cell("ilc_li41", "PC,BE2", "2020", "12.5 x"), "unknown flag"),
    "bad_period_header": (
        raw_bytes("ilc_li41", lambda b: b.replace(b"2020 ", b"20x0 ", 1)),
        "is not a period code",
    ),
    "truncated_gzip": (
        raw_bytes("ilc_li41", lambda b: gzip.compress(b)[:200], ".tsv.gz"),
        "truncated",
    ),
    "empty_file": (raw_bytes("ilc_li41", lambda b: b""), "file is empty"),
}

WAREHOUSE_CASES = {
    "missing_target": (
        "delete from marts.mart_target_progress where target_id = 'vl2030_employment_80'",
        "progress.all_targets_present",
    ),
    "invalid_benchmark_class": (
        "update marts.mart_benchmark set scoreboard_class = 'excellent' where geo = 'BE2'",
        "benchmark.valid_class",
    ),
    "non_finite_ratio": (
        "update marts.mart_target_progress set ratio = 'inf'::double where target_id = 'eu2030_employment_78'",
        "progress.finite_ratio",
    ),
    "duplicate_fact_rows": (
        "insert into marts.fct_indicator_values select * from marts.fct_indicator_values where geo = 'BE2' limit 3",
        "fct.unique_key",
    ),
    "missing_indicator": (
        "delete from marts.fct_indicator_values where indicator_id = 'arop'",
        "fct.all_indicators_present",
    ),
}


@pytest.fixture
def home(published_home, tmp_path) -> Path:
    target = tmp_path / "home"
    shutil.copytree(published_home, target)
    return target


def published(home: Path) -> Path:
    return home / "published" / "monitor.duckdb"


def monitor_in_process(home: Path, args: list[str], capsys, monkeypatch) -> tuple[int, str, str]:
    """`monitor <args>` (a refresh of a bad delivery, a publish) through the command's own entry point
    (`pipelines.cli.main`) in this process, with the environment pointing at `home` (and put
    back after the test): each case saves the seconds of a new process importing Dagster and
    Great Expectations. The console command itself is tried on a bad delivery by
    `test_failed_gate_stops_publish_selected_alone` below, and `monitor status` after each
    tampered warehouse."""
    from pipelines.cli import main

    monkeypatch.setenv("MONITOR_HOME", str(home))
    monkeypatch.setenv("DAGSTER_HOME", str(home / "dagster"))
    monkeypatch.setenv("MONITOR_WAREHOUSE_DB", str(home / "warehouse.duckdb"))
    monkeypatch.delenv("MONITOR_PUBLISHED_DB", raising=False)
    capsys.readouterr()
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("case", sorted(FILE_CASES))
def test_bad_delivery_is_refused(case, home, tmp_path, capsys, monkeypatch):
    edit, expected = FILE_CASES[case]
    before = sha(published(home))
    folder = copy_sample(tmp_path / "delivery")
    edit(folder)
    with figures.trial("bad inputs refused"):
        code, out, err = monitor_in_process(
            home, ["refresh", "--source", f"dir:{folder}"], capsys, monkeypatch
        )
        assert code != 0, (out + err)[-3000:]
        assert "NOT PUBLISHED" in out
        assert expected in out + err, (out + err)[-3000:]
        assert sha(published(home)) == before


@pytest.mark.parametrize("case", sorted(WAREHOUSE_CASES))
def test_tampered_warehouse_is_refused(case, home, capsys, monkeypatch):
    sql, expected = WAREHOUSE_CASES[case]
    before = sha(published(home))
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    con.execute(sql)
    con.close()
    with figures.trial("bad inputs refused"):
        code, out, _ = monitor_in_process(home, ["publish"], capsys, monkeypatch)
        assert code != 0
        assert expected in out, out[-3000:]
        assert sha(published(home)) == before
    status = monitor_cmd("status", home=home).stdout
    assert "FAILED (publication blocked)" in status and expected in status
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    quarantined = con.execute(
        "select count(*) from quality.quarantine where expectation = ?", [expected]
    ).fetchall()[0][0]
    con.close()
    assert quarantined >= 1


def test_corpus_has_at_least_twenty_cases():
    assert len(FILE_CASES) + len(WAREHOUSE_CASES) >= 20


def test_a_jump_in_another_member_state_is_reviewed_not_refused(
    home, tmp_path, capsys, monkeypatch
):
    """The jump that refuses Belgium's series (`marts.yoy_jump_implausible`, jump_of_20_points)
    is only flagged for review in another member state's: the producer's figure, not a broken
    file."""
    folder = copy_sample(tmp_path / "delivery")
    shift_cell("lfst_r_lfe2emprt", "PC,T,Y20-64,DE", "2023", -20.0)(folder)
    code, out, _ = monitor_in_process(
        home, ["refresh", "--source", f"dir:{folder}"], capsys, monkeypatch
    )
    assert code == 0, out[-3000:]
    con = duckdb.connect(str(published(home)), read_only=True)
    failed = con.execute("select name from quality_results where not success").fetchall()
    con.close()
    assert failed == [("marts.yoy_jump_review",)]


def test_warn_expectation_publishes_and_is_in_the_ledger(home, tmp_path, capsys, monkeypatch):
    folder = copy_sample(tmp_path / "delivery")
    shift_cell("lfst_r_lfe2emprt", "PC,T,Y20-64,BE", "2023", 6.0)(folder)  # 1.2 x max_yearly_change
    code, out, _ = monitor_in_process(
        home, ["refresh", "--source", f"dir:{folder}"], capsys, monkeypatch
    )
    assert code == 0, out[-3000:]
    assert "passed with warnings" in out
    con = duckdb.connect(str(published(home)), read_only=True)
    warnings = con.execute(
        "select gate_warnings from publication_log where status = 'published' order by recorded_at desc limit 1"
    ).fetchall()[0][0]
    failed = con.execute("select name from quality_results where not success").fetchall()
    con.close()
    assert any("marts.yoy_jump_review" in w for w in json.loads(warnings))
    assert failed == [("marts.yoy_jump_review",)]


def test_failed_gate_stops_publish_selected_alone(home, tmp_path, monkeypatch):
    """After a refused refresh, materialising only the publish asset still refuses."""
    import dagster as dg

    from pipelines.definitions import defs
    from pipelines.defs.publication.assets import PUBLISHED_KEY

    folder = copy_sample(tmp_path / "delivery")
    FILE_CASES["percentage_above_100"][0](folder)
    assert monitor_cmd("refresh", "--source", f"dir:{folder}", home=home).returncode != 0
    before = sha(published(home))
    monkeypatch.setenv("MONITOR_HOME", str(home))
    result = defs.resolve_job_def("publish").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        asset_selection=[PUBLISHED_KEY],
        raise_on_error=False,
    )
    assert not result.success
    failure = result.get_step_failure_events()[0].event_specific_data.error
    assert "publication refused" in failure.to_string()
    assert sha(published(home)) == before
    ledger = [
        json.loads(line)
        for line in (home / "ledger" / "publications.jsonl").read_text().splitlines()
    ]
    assert ledger[-1]["status"] == "refused"
