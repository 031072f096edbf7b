"""A second publication with one changed cell: the what-changed page names the dataset
with new content and the revised value, and the revisions download holds exactly it."""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest

from tests.conftest import copy_sample, monitor_cmd
from tests.report.htmlscan import parse

pytestmark = pytest.mark.slow


def test_second_publication_shows_new_content_and_the_revised_value(published_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(published_home, home)
    folder = copy_sample(tmp_path / "files")
    sample = folder / "SAMPLE_lfst_r_lfe2emprt.tsv"
    text = sample.read_text(encoding="utf-8")
    line = "PC,T,Y20-64,BE2\t78.0 p\t"
    assert text.count(line) == 1
    sample.write_text(text.replace(line, "PC,T,Y20-64,BE2\t78.4 p\t"), encoding="utf-8")

    result = monitor_cmd("refresh", "--source", f"dir:{folder}", home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"report: \S+index\.html \(\d+ pages, built in [\d.]+s\)", result.stdout)

    site = home / "published" / "report"
    page = parse(site / "wijzigingen.html", site).root
    main = page.find("main").text()
    assert "vorige publicatie" in main and "eerste publicatie" not in main
    changed = [r.attrs["data-dataset"] for r in page.find_all("tr", **{"data-changed": "true"})]
    assert changed == ["lfst_r_lfe2emprt"], "only one file has new content"
    detail = next(
        t for t in page.find_all("table") if t.find("caption").text().startswith("Wijzigingen voor")
    )
    cells = [
        [
            " ".join(c.text().split()) for c in row.children
        ]  # a no-break space keeps flags by their value
        for row in detail.find("tbody").find_all("tr")
    ]
    assert len(cells) == 1
    assert cells[0][:7] == [
        "lfst_r_lfe2emprt",
        "age=Y20-64,sex=T,unit=PC",
        "Vlaanderen",
        "2024",
        "herziene waarde",
        "78,0 p",
        "78,4 p",
    ]

    rows = list(
        csv.DictReader(
            io.StringIO((site / "data" / "revisions.csv").read_text(encoding="utf-8-sig"))
        )
    )
    assert [
        (r["dataset"], r["geo"], r["period"], r["previous_value"], r["current_value"]) for r in rows
    ] == [("lfst_r_lfe2emprt", "BE2", "2024", "78.0", "78.4")]
    english = (site / "en" / "changes.html").read_text(encoding="utf-8")
    assert "revised value" in english and "new content" in english
