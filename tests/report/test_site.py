"""HTML-level checks on the report the sample refresh published: pages, links, languages,
the SAMPLE banner, charts with data tables, nothing loaded from elsewhere."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

import duckdb

URL_ATTRS = ("href", "src", "srcset", "action", "data", "poster", "xlink:href", "formaction")


def _query(db, sql, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_every_indicator_has_a_page_in_dutch_and_english(report_dir, published_db):
    ids = {r[0] for r in _query(published_db, "select indicator_id from dim_indicator")}
    assert len(ids) >= 30
    assert {p.stem for p in (report_dir / "indicator").glob("*.html")} == ids
    assert {p.stem for p in (report_dir / "en" / "indicator").glob("*.html")} == ids


def test_pages_are_well_formed(pages):
    assert len(pages) >= 2 * (30 + 4)
    broken = {rel: page.errors[:3] for rel, page in pages.items() if page.errors}
    assert not broken


def _broken_links(pages, report_dir) -> list[str]:
    missing = []
    for rel, page in pages.items():
        for node in page.root.iter():
            for attr in ("href", "src"):
                url = node.attrs.get(attr)
                if url is None or url.startswith(("mailto:", "data:", "javascript:")):
                    continue
                parts = urlsplit(url)
                assert not parts.scheme and not parts.netloc, f"{rel}: external {url}"
                target_rel = (
                    rel
                    if not parts.path
                    else posixpath.normpath(
                        posixpath.join(posixpath.dirname(rel), unquote(parts.path))
                    )
                )
                target = (report_dir / target_rel).resolve()
                if not target.is_file():
                    missing.append(f"{rel}: {url}")
                    continue
                if parts.fragment and target.suffix == ".html":
                    target_page = pages.get(target_rel)
                    ids = (
                        {n.attrs.get("id") for n in target_page.root.iter()}
                        if target_page
                        else set()
                    )
                    if parts.fragment not in ids:
                        missing.append(f"{rel}: {url} (no id {parts.fragment})")
    return missing


def test_every_internal_link_resolves(pages, report_dir):
    missing = _broken_links(pages, report_dir)
    assert not missing, missing[:10]


def test_the_data_docs_are_inside_the_report_and_point_nowhere_else(
    data_docs_pages, report_dir, published_home
):
    """The folder can go on any web server as it is: GX's pages are copied in, without the
    CDN scripts and styles and the tracking logo, and their own links resolve."""
    original = published_home / "quality" / "gx" / "uncommitted" / "data_docs" / "local_site"
    assert len(data_docs_pages) == len(list(original.rglob("*.html"))) > 5
    assert "https://" in (original / "index.html").read_text(encoding="utf-8")
    missing = _broken_links(data_docs_pages, report_dir)
    assert not missing, missing[:10]
    for rel, page in data_docs_pages.items():
        for node in page.root.iter():
            for attr in URL_ATTRS:
                assert not re.match(r"\s*(https?:)?//", node.attrs.get(attr, "")), (rel, node.tag)


def test_data_docs_name_each_check_and_its_table(data_docs_pages):
    """GX's own wording of a check on a derived column reads "values must belong to this set:
    True", a dataframe batch shows "Data asset: None" and a check on an empty table "NaN% null":
    the copied pages show each check's name and reason, the table it validated, and no share of
    no rows."""
    found = []
    results = {
        rel: p for rel, p in data_docs_pages.items() if rel.startswith("data-docs/validations/")
    }
    assert results
    for rel, page in results.items():
        text = re.sub(r"\s+", " ", page.root.text())
        for raw in ("Data asset: None", "this set: True", "this set: False", "NaN%"):
            if raw in text:
                found.append(f"{rel}: {raw!r}")
        if not re.search(r"Data asset: (?!None\b)\S+", text):
            found.append(f"{rel}: no table named")
    assert not found, found[:10]
    progress = next(p for rel, p in results.items() if "mart_target_progress" in rel)
    assert "progress.verdict_rederived:" in progress.root.text()


def test_nothing_is_loaded_from_another_host(pages, report_dir):
    offending = []
    for rel, page in pages.items():
        for node in page.root.iter():
            for attr in URL_ATTRS:
                value = node.attrs.get(attr, "")
                if re.match(r"\s*(https?:)?//", value):
                    offending.append(f"{rel}: <{node.tag} {attr}={value}>")
            if node.tag in ("iframe", "object", "embed", "img", "video", "audio"):
                offending.append(f"{rel}: <{node.tag}>")
    for asset in list((report_dir / "assets").rglob("*.css")) + list(report_dir.rglob("*.js")):
        text = asset.read_text(encoding="utf-8")
        if re.search(r"url\(|@import|https?://|fetch\(|XMLHttpRequest", text):
            offending.append(str(asset.relative_to(report_dir)))
    for asset in (report_dir / "data-docs").rglob("*.css"):
        if re.search(r"url\(\s*['\"]?(https?:)?//|@import", asset.read_text(encoding="utf-8")):
            offending.append(str(asset.relative_to(report_dir)))
    assert not offending, offending[:10]


def test_sample_data_is_shown_on_every_page(pages):
    for rel, page in pages.items():
        banner = page.root.find("header").find(cls="sample-banner")
        assert banner is not None and "SAMPLE DATA" in banner.text(), rel
        assert "SAMPLE DATA" in page.root.find("title").text(), rel


def test_every_page_shows_the_publication_time(pages, published_db):
    """In Brussels time, to the minute (no seconds, no microseconds, no UTC offset)."""
    pub_id, at = _query(
        published_db,
        "select publication_id, published_at at time zone 'Europe/Brussels' from publication_info",
    )[0]
    for rel, page in pages.items():
        line = page.root.find(cls="publication").text()
        zone = "(Belgische tijd)" if not rel.startswith("en/") else "Brussels time"
        assert pub_id in line and f"{at:%H:%M} {zone}" in line and str(at.year) in line, rel
        assert not re.search(r"\d:\d\d:\d\d|\.\d{6}|\+00:00", line), line


def test_dutch_and_english_versions_point_to_each_other(pages):
    nl = [r for r in pages if not r.startswith("en/")]
    en = [r for r in pages if r.startswith("en/")]
    assert len(nl) == len(en)
    for rel in nl + en:
        page = pages[rel]
        lang = "en" if rel.startswith("en/") else "nl"
        assert page.html.attrs.get("lang") == lang, rel
        alternate = page.root.find("link", rel="alternate")
        other = posixpath.normpath(posixpath.join(posixpath.dirname(rel), alternate.attrs["href"]))
        assert pages[other].html.attrs["lang"] == alternate.attrs["hreflang"] != lang
        back = pages[other].root.find("link", rel="alternate").attrs["href"]
        assert posixpath.normpath(posixpath.join(posixpath.dirname(other), back)) == rel
    assert (
        "Werkzaamheidsgraad 20-64 jaar"
        in pages["indicator/employment_rate_20_64.html"].root.find("h1").text()
    )
    assert (
        "Employment rate 20-64"
        in pages["en/indicator/employment_rate_20_64.html"].root.find("h1").text()
    )


def test_every_chart_has_a_text_alternative_and_a_data_table(pages):
    charts = 0
    for rel, page in pages.items():
        for svg in page.root.find_all("svg", cls="chart"):
            charts += 1
            assert svg.attrs.get("role") == "img", rel
            ids = svg.attrs["aria-labelledby"].split()
            labels = [n for n in svg.iter() if n.attrs.get("id") in ids]
            assert {n.tag for n in labels} == {"title", "desc"} and all(
                n.text().strip() for n in labels
            )
            figure = next(a for a in svg.ancestors() if a.tag == "figure")
            table = figure.find("table")
            assert table is not None and table.find("caption").text().strip(), rel
            series = svg.find_all("g", cls="series")
            assert len(series) == int(svg.attrs["data-series-count"]) >= 1
            columns = table.find("thead").find_all("th")
            assert len(columns) == len(series) + 1, rel
            points = sum(len(g.find_all(cls="point")) for g in series)
            cells = [c for c in table.find("tbody").find_all("td") if c.text().strip() != "–"]
            assert points == len(cells), rel
    assert charts >= 2 * 30


def test_accessible_structure(pages):
    for rel, page in pages.items():
        body = page.root.find("body")
        first_link = body.find("a")
        assert (
            first_link.attrs.get("class") == "skip-link" and first_link.attrs["href"] == "#main"
        ), rel
        assert page.root.find("main", id="main") is not None
        assert page.root.find("header") and page.root.find("footer")
        assert page.root.find("nav").attrs.get("aria-label")
        assert len(page.root.find_all("h1")) == 1, rel
        for th in page.root.find_all("th"):
            assert th.attrs.get("scope") in ("col", "row"), rel
        for table in page.root.find_all("table"):
            assert table.find("caption") is not None, rel
        for select in page.root.find_all("select"):
            assert page.root.find("label", **{"for": select.attrs["id"]}) is not None


def test_overview_shows_every_goal_per_area_with_verdict_word_and_icon(pages, published_db):
    """One group per indicator; each target a row with the verdict of every area it is
    assessed for in that area's column (Flanders, Belgium, EU-27), as icon and word."""
    progress = _query(
        published_db, "select target_id, geo, verdict, indicator_id from mart_target_progress"
    )
    words = dict(
        _query(
            published_db,
            "select code, label_en from dim_vocabulary where list_name = 'verdicts'",
        )
    )
    nl_words = dict(
        _query(
            published_db,
            "select distinct p.verdict, v.label_nl from mart_target_progress p join dim_vocabulary v "
            "on v.list_name = 'verdicts' and v.code = p.verdict",
        )
    )
    indicators = {r[0] for r in _query(published_db, "select indicator_id from dim_indicator")}
    columns = {"BE2": 0, "BE": 1, "EU27_2020": 2}
    for rel in ("index.html", "en/index.html"):
        root = pages[rel].root
        groups = root.find_all("tbody", cls="indicator")
        assert {g.attrs["data-indicator"] for g in groups} == indicators
        for target_id, geo, verdict, indicator_id in progress:
            if indicator_id not in indicators:  # a requested target: its own table
                row = root.find("section", **{"aria-labelledby": "without-indicator"}).find(
                    "tr", **{"data-target": target_id}
                )
                badge = row.find(cls="verdict")
                assert badge.attrs["data-verdict"] == verdict
                continue
            group = next(g for g in groups if g.attrs["data-indicator"] == indicator_id)
            row = group.find("tr", **{"data-target": target_id})
            assert row.attrs["data-framework"] in ("BE2", "BE", "EU27_2020")
            cell = row.find_all("td")[columns[geo]]
            badge = cell.find(cls="verdict")
            assert badge.attrs["data-verdict"] == verdict and badge.find("svg") is not None
            word = badge.text().strip()
            assert word == (nl_words[verdict] if rel == "index.html" else words[verdict]), word
        assert len(root.find_all(cls="verdict", **{"data-verdict": "achieved"})) >= 1
        assert any(p[3] not in indicators for p in progress), "the sample has a requested target"
    form = pages["index.html"].root.find("form", cls="filters")
    assert "hidden" not in form.attrs, "the filters work without JavaScript (CSS :has)"


def test_overview_tiles_count_the_goals_per_verdict(pages, published_db):
    counts = _query(
        published_db,
        "select d.domain, p.geo, p.verdict, count(*) from mart_target_progress p "
        "join dim_indicator d using (indicator_id) where p.geo in ('BE2', 'BE') group by all",
    )
    root = pages["index.html"].root
    seen = 0
    for domain, geo, verdict, n in counts:
        section = root.find("section", cls="domain", **{"data-domain": domain})
        tile = section.find(cls="tile", **{"data-geo": geo})
        item = next(
            li
            for li in tile.find_all("li")
            if li.find(cls="verdict").attrs["data-verdict"] == verdict
        )
        assert item.find(cls="count").text() == str(n)
        seen += 1
    assert seen >= 8


def test_indicator_page_shows_the_progress_inputs(pages, published_db):
    base, latest, ratio = _query(
        published_db,
        "select base_value, latest_value, ratio from mart_target_progress "
        "where target_id = 'vl2030_employment_80' and geo = 'BE2'",
    )[0]
    page = pages["indicator/employment_rate_20_64.html"].root
    heading = page.find("h3", id="target-vl2030_employment_80")
    siblings = heading.parent.children[heading.parent.children.index(heading) + 1 :]
    table = next(n.find("table") for n in siblings if n.find("table") is not None)
    text = table.text()
    assert f"{ratio:.2f}".replace(".", ",") in text
    assert f"{base:.1f}".replace(".", ",") in text and f"{latest:.1f}".replace(".", ",") in text
    assert "Verhouding R" in text and "Gemeten groei (relatief, per jaar)" in text


def test_training_page_answers_the_regiekamer_question(pages, published_db):
    """The demand-financed share inside the ~1.3 bn with its upper bound, the budget by
    financing mode, every instrument by name (never its code) with its figures."""
    rows = _query(
        published_db,
        "select i.instrument, v.label_nl, w.label_en, i.budget_eur, i.financing_mode "
        "from mart_training_instruments i "
        "join dim_vocabulary v on v.list_name = 'instruments' and v.code = i.instrument "
        "join dim_vocabulary w on w.list_name = 'instruments' and w.code = i.instrument",
    )
    share, upper = _query(
        published_db,
        "select max(year_demand_share), max(year_demand_share_incl_mixed) from mart_training_instruments",
    )[0]
    assert len(rows) >= 10 and 0 < share < upper < 1
    for rel, lang in (("opleiding.html", "nl"), ("en/training.html", "en")):
        root = pages[rel].root
        text = root.find("main").text()
        sep = "," if lang == "nl" else "."
        assert f"{share * 100:.1f}".replace(".", sep) in root.find(cls="big-number").text()
        assert f"{upper * 100:.1f}".replace(".", sep) in text
        assert len(root.find(cls="stacked-bar").find_all(cls="segment")) >= 3
        for code, name_nl, name_en, budget, _ in rows:
            assert (name_nl if lang == "nl" else name_en) in text, (rel, code)
            if budget:
                million = f"{budget / 1e6:,.1f}"
                if lang == "nl":
                    million = million.translate(str.maketrans(",.", ".,"))
                assert million in text, (rel, code, million)
        assert not re.search(r"\b[A-Z]+_[A-Z_]+\b", text), "no instrument codes"
        assert "seed 0" not in text and not re.search(r"\d\.\d{6,}", text)


def test_quality_page_shows_the_gate_and_links_the_data_docs(pages, published_db, published_home):
    checks = _query(published_db, "select count(*) from quality_results")[0][0]
    page = pages["kwaliteit.html"].root
    assert f"{checks} controles" in page.find(cls="gate").text()
    docs = (
        published_home
        / "quality"
        / "gx"
        / "uncommitted"
        / "data_docs"
        / "local_site"
        / "index.html"
    )
    assert docs.is_file()
    links = [a.attrs["href"] for a in page.find_all("a") if "data-docs" in a.attrs.get("href", "")]
    assert links == ["data-docs/index.html"], links


def test_changes_page_of_a_first_publication(pages):
    text = pages["wijzigingen.html"].root.find("main").text()
    assert "eerste publicatie" in text and "Geen herziene cijfers" in text


def test_flanders_is_only_compared_where_there_are_flemish_figures(pages, published_db):
    flemish = {
        r[0]
        for r in _query(
            published_db,
            "select distinct indicator_id from mart_indicator_series "
            "where geo = 'BE2' and breakdown = 'total' and value is not null",
        )
    }
    compared = 0
    for rel, page in pages.items():
        if not rel.startswith("indicator/"):
            continue
        heading = page.root.find("h2", id="series").text()
        indicator_id = rel.removeprefix("indicator/").removesuffix(".html")
        if "Vlaanderen" in heading:
            assert indicator_id in flemish, rel
            compared += 1
    assert compared >= 20


def test_target_sources_are_in_the_page_language(pages, published_db):
    rows = _query(
        published_db,
        "select distinct indicator_id, target_id, citation_nl, citation_en from dim_target "
        "where indicator_id in (select indicator_id from dim_indicator)",
    )
    assert rows
    for indicator_id, target_id, nl, en in rows:
        for rel, citation in (
            (f"indicator/{indicator_id}.html", nl),
            (f"en/indicator/{indicator_id}.html", en),
        ):
            root = pages[rel].root
            heading = root.find("h3", id=f"target-{target_id}")
            siblings = heading.parent.children[heading.parent.children.index(heading) + 1 :]
            assert citation in siblings[0].text(), (rel, target_id)
    nl_page = pages["indicator/arop.html"].root.text()
    assert "Vizier 2030 (Vlaamse Regering)" in nl_page and "wording to verify" not in nl_page
