"""Adding an indicator from an existing dataset is a registry-only change: the README's
example entry, appended to a copy of the registry, is ingested, modelled, gated and published."""

from __future__ import annotations

import re
import shutil

import duckdb

from pipelines.settings import REPO_ROOT
from tests.conftest import monitor_cmd


def readme_example() -> str:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## How to add an indicator") :]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)


def test_readme_example_indicator_is_published(tmp_path, published_home):
    entry = readme_example()
    new_id = re.search(r"- id: (\w+)", entry).group(1)
    registry = tmp_path / "registry"
    shutil.copytree(REPO_ROOT / "registry", registry)
    with open(registry / "indicators.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n" + entry)
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    env = {"MONITOR_REGISTRY_DIR": str(registry)}

    check = monitor_cmd("registry", "check", "--folder", str(registry), home=home)
    assert check.returncode == 0 and "36 indicators" in check.stdout, check.stdout + check.stderr
    result = monitor_cmd("refresh", home=home, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    con = duckdb.connect(str(home / "published" / "monitor.duckdb"), read_only=True)
    try:
        meta = con.execute(
            "select name_nl, unit, dataset from dim_indicator where indicator_id = ?", [new_id]
        ).fetchall()
        values = dict(
            con.execute(
                "select period, value from fct_indicator_values "
                "where indicator_id = ? and geo = 'BE2' and breakdown = 'total'",
                [new_id],
            ).fetchall()
        )
        benchmark = con.execute(
            "select count(*) from mart_benchmark where indicator_id = ? and geo = 'BE2'", [new_id]
        ).fetchall()[0][0]
        gate = {
            r[0]
            for r in con.execute(
                "select name from quality_results where name like ?", [f"%{new_id}%"]
            ).fetchall()
        }
    finally:
        con.close()
    assert meta == [("Werkzaamheidsgraad 25-54 jaar", "pct", "lfst_r_lfe2emprt")]
    # the same cells as the raw sample row PC,T,Y25-54,BE2
    raw = next(
        line
        for line in (REPO_ROOT / "pipelines/sample/eurostat/SAMPLE_lfst_r_lfe2emprt.tsv")
        .read_text()
        .splitlines()
        if line.startswith("PC,T,Y25-54,BE2\t")
    )
    header = (
        (REPO_ROOT / "pipelines/sample/eurostat/SAMPLE_lfst_r_lfe2emprt.tsv")
        .read_text()
        .splitlines()[0]
    )
    years = [h.strip() for h in header.split("\t")[1:]]
    cells = {y: c.strip().split(" ")[0] for y, c in zip(years, raw.split("\t")[1:], strict=True)}
    expected = {y: float(v) for y, v in cells.items() if v != ":"}
    assert {p: round(v, 1) for p, v in values.items() if v is not None} == expected
    assert benchmark > 0
    assert f"fct.plausible_range.{new_id}" in gate
