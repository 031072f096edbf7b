"""Adding a spreadsheet source is a registry change: the README's example delivery, added to
a copy of the registry with one indicator, is validated, snapshotted, loaded, modelled, gated
and published."""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from pipelines.settings import REPO_ROOT
from tests.conftest import copy_sample, monitor_cmd

INDICATOR = """
  - id: dual_learning_pupils
    concept: dual_learning
    name: {nl: Leerlingen duaal leren, en: Pupils in dual learning}
    domain: opleiding
    definition:
      nl: Leerlingen in duaal leren op 1 februari (Vlaams Gewest).
      en: Pupils in dual learning on 1 February (Flemish Region).
    unit: persons
    direction: up
    survey: administrative data
    reference_period: school year
    age_band: 15-25
    source:
      dataset: dual_learning
      filters: {measure: PUPILS}
    geographies: [BE2]
    plausible_range: [0, 100000]
    max_yearly_change: 5000
    method_notes:
      nl: Test van het bronpatroon.
      en: Test of the source pattern.
"""


def readme_delivery() -> str:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## How to add a source (") :]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)


@pytest.mark.slow
def test_readme_example_source_is_published(tmp_path, published_home):
    registry = tmp_path / "registry"
    shutil.copytree(REPO_ROOT / "registry", registry)
    (registry / "deliveries" / "dual_learning.yaml").write_text(readme_delivery(), encoding="utf-8")
    with open(registry / "indicators.yaml", "a", encoding="utf-8") as handle:
        handle.write(INDICATOR)
    folder = copy_sample(tmp_path / "files")
    (folder / "dual_learning.csv").write_text(
        "year,pupils,data_label,source_citation\n"
        "2022,2300,delivered,Departement Onderwijs (test)\n"
        "2023,3100,delivered,Departement Onderwijs (test)\n",
        encoding="utf-8",
    )
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    env = {"MONITOR_REGISTRY_DIR": str(registry)}

    check = monitor_cmd("registry", "check", "--folder", str(registry), home=home)
    assert check.returncode == 0 and "36 indicators" in check.stdout, check.stdout + check.stderr
    result = monitor_cmd("refresh", "--source", f"dir:{folder}", home=home, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "dual_learning        2 rows" in result.stdout

    con = duckdb.connect(str(home / "published" / "monitor.duckdb"), read_only=True)
    try:
        values = con.execute(
            "select period, value, is_sample from fct_indicator_values "
            "where indicator_id = 'dual_learning_pupils' order by period"
        ).fetchall()
        snapshot = con.execute(
            "select source, mode, is_sample, file from dim_snapshot where dataset = 'dual_learning'"
        ).fetchall()
        gate = con.execute(
            "select count(*) from quality_results where name like 'raw.delivery.%' "
            "and suite = 'raw.delivery.dual_learning'"
        ).fetchall()[0][0]
    finally:
        con.close()
    assert values == [("2022", 2300.0, False), ("2023", 3100.0, False)]
    assert snapshot == [("partner", "dir", False, "dual_learning.csv")]
    assert gate > 0
    assert (home / "raw" / "partner" / "dual_learning").is_dir()
