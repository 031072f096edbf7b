"""A second API source of observations is a folder plus registry entries, nothing else: a
made-up statistics office (`fakestat`), written as a folder like pipelines/sources/eurostat/
(a subclass of the observation source that reads its own answer format), is found by the
sources' discovery, and its dataset is ingested with every vintage, modelled, gated and
published with its provenance.

The folder lies outside the repository (the test writes no file into the tree): it is added
to the `pipelines.sources` package path, as a package spread over folders is in Python, in
the `monitor refresh` process itself."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import duckdb
import pytest

from pipelines.settings import REPO_ROOT
from tests.conftest import copy_sample

SOURCE = textwrap.dedent(
    '''
    """fakestat: a made-up statistics office whose API answers JSON."""

    import json

    import polars as pl

    from pipelines.sources.observations import IngestError, ObservationFrame, ObservationSource


    class FakestatSource(ObservationSource):
        name = "fakestat"
        producer = "Fakestat"

        def open_stream(self, data, file, dataset):
            try:
                answer = json.loads(data)
            except ValueError as exc:
                raise IngestError(f"{dataset}: {file} is not JSON ({exc})", stage="parse") from exc
            rows = [
                {"unit": "PC", "geo": o["geo"], "time": str(o["year"]), "value": o["value"],
                 "flags": "", "conf_status": ""}
                for o in answer["observations"]
            ]
            return ObservationFrame(pl.DataFrame(rows), ["unit", "geo"], "fakestat-json")


    SOURCE = FakestatSource()
    '''
)

DATASET = """
  - code: fake_jobs
    source: fakestat
    title: Vacancy rate by NUTS 2 region (fakestat, test)
    dimensions: [unit, geo]
    frequency: A
    regional: true
    producer: {nl: Fakestat (test), en: Fakestat (test)}
    licence: {nl: test, en: test}
"""

INDICATOR = """
  - id: fake_vacancy_rate
    concept: fake_vacancy_rate
    name: {nl: Vacaturegraad (test), en: Vacancy rate (test)}
    domain: arbeidsmarkt
    definition:
      nl: Test van een tweede API-bron.
      en: Test of a second API source.
    unit: pct
    direction: down
    survey: administrative data
    reference_period: calendar year
    age_band: all ages
    source:
      dataset: fake_jobs
      filters: {unit: PC}
    geographies: [BE2]
    plausible_range: [0, 20]
    max_yearly_change: 5
    method_notes:
      nl: Test van het bronpatroon.
      en: Test of the source pattern.
"""

VOCABULARY_SOURCE = "      - {code: fakestat, nl: Fakestat (test), en: Fakestat (test)}\n"

ANSWER = {
    "observations": [
        {"geo": "BE2", "year": 2021, "value": 3.5},
        {"geo": "BE2", "year": 2022, "value": 4.25},
        {"geo": "BE", "year": 2022, "value": 4.0},
    ]
}


def _registry(tmp_path):
    registry = tmp_path / "registry"
    shutil.copytree(REPO_ROOT / "registry", registry)
    with open(registry / "datasets.yaml", "a", encoding="utf-8") as handle:
        handle.write(DATASET)
    with open(registry / "indicators.yaml", "a", encoding="utf-8") as handle:
        handle.write(INDICATOR)
    vocabulary = (registry / "vocabulary.yaml").read_text(encoding="utf-8")
    anchor = "      - {code: eurostat, nl: Eurostat, en: Eurostat}\n"
    assert anchor in vocabulary
    (registry / "vocabulary.yaml").write_text(
        vocabulary.replace(anchor, anchor + VOCABULARY_SOURCE), encoding="utf-8"
    )
    return registry


def _monitor(args, home, extra_sources, env):
    """`monitor ARGS` in a process whose `pipelines.sources` also spans `extra_sources`."""
    run = (
        "import sys, pipelines.sources as s; "
        f"s.__path__.append({str(extra_sources)!r}); "
        "from pipelines.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    environ = {
        **os.environ,
        "MONITOR_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster"),
        **env,
    }
    environ.pop("MONITOR_PUBLISHED_DB", None)
    return subprocess.run(
        [sys.executable, "-c", run, *args],
        cwd=REPO_ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.slow
def test_a_second_api_source_is_a_folder_and_registry_entries(tmp_path, published_home):
    extra = tmp_path / "sources"
    (extra / "fakestat").mkdir(parents=True)
    (extra / "fakestat" / "__init__.py").write_text(SOURCE, encoding="utf-8")
    registry = _registry(tmp_path)
    files = copy_sample(tmp_path / "files")
    (files / "fake_jobs.json").write_text(json.dumps(ANSWER), encoding="utf-8")
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    env = {"MONITOR_REGISTRY_DIR": str(registry)}

    result = _monitor(["refresh", "--source", f"dir:{files}"], home, extra, env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "fake_jobs            3 obs" in result.stdout, result.stdout
    # the raw gate validated its vintage with the suite of every API source's datasets
    raw_gate = json.loads((home / "quality" / "gate_raw.json").read_text(encoding="utf-8"))
    checked = {o["suite"] for o in raw_gate["outcomes"]}
    assert "raw.fakestat.fake_jobs" in checked and "raw.eurostat.ilc_li41" in checked

    con = duckdb.connect(str(home / "published" / "monitor.duckdb"), read_only=True)
    try:
        values = con.execute(
            "select period, value from fct_indicator_values "
            "where indicator_id = 'fake_vacancy_rate' and geo = 'BE2' order by period"
        ).fetchall()
        snapshot = con.execute(
            "select source, mode, file from dim_snapshot where dataset = 'fake_jobs'"
        ).fetchall()
    finally:
        con.close()
    assert values == [("2021", 3.5), ("2022", 4.25)]
    assert snapshot == [("fakestat", "dir", "fake_jobs.json")]
    assert (home / "raw" / "fakestat" / "fake_jobs").is_dir()

    # a second answer is a second vintage; the first stays stored and is no longer current
    ANSWER["observations"][1]["value"] = 4.5
    (files / "fake_jobs.json").write_text(json.dumps(ANSWER), encoding="utf-8")
    again = _monitor(["refresh", "--source", f"dir:{files}"], home, extra, env)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        vintages = con.execute(
            'select count(*), count(*) filter (where is_current) from raw."fakestat__fake_jobs__vintages"'
        ).fetchall()
    finally:
        con.close()
    assert vintages == [(2, 1)]
