"""WCAG 2.2 A/AA with axe-core (the npm package, `make axe`) injected into headless Chromium:
every top page and three indicator pages, in Dutch and English (the overview also at
400 px), must have no violation. The figures per page go to test-output/axe-results.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.report.browser import OUTPUT, driver, serve, viewport

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TOP = ["index", "opleiding", "wijzigingen", "kwaliteit", "methode", "bronnen"]
TOP_EN = ["index", "training", "changes", "quality", "method", "sources"]
INDICATORS = ["employment_rate_20_64", "arope", "labour_market_tightness"]


def _pages() -> list[tuple[str, int]]:
    pages = [(f"{p}.html", 1280) for p in TOP] + [(f"en/{p}.html", 1280) for p in TOP_EN]
    pages += [(f"indicator/{i}.html", 1280) for i in INDICATORS]
    pages += [(f"en/indicator/{i}.html", 1280) for i in INDICATORS]
    return pages + [("index.html", 400), ("en/index.html", 400)]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed at {AXE}: run `make axe` (npm)")
    return AXE.read_text(encoding="utf-8")


def test_no_wcag_violations(report_dir, axe_source, tmp_path_factory):
    drv = driver(tmp_path_factory)
    results = {}
    try:
        base = None
        server = serve(report_dir)
        base = next(server)
        for rel, width in _pages():
            viewport(drv, width)
            drv.get(base + rel)
            drv.execute_script(axe_source)
            drv.set_script_timeout(120)
            result = drv.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
                ".then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
                " nodes: v.nodes.length, target: v.nodes.slice(0, 3).map(n => n.target.join(' '))})),"
                " passes: r.passes.length, incomplete: r.incomplete.length,"
                " version: r.testEngine.version}))"
                ".catch(e => done({error: String(e)}));",
                TAGS,
            )
            assert "error" not in result, result
            results[f"{rel} @{width}px"] = result
    finally:
        drv.quit()
        if base is not None:
            server.close()
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / "axe-results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    assert len(results) == 2 * len(TOP) + 2 * len(INDICATORS) + 2
    assert all(r["passes"] > 10 for r in results.values()), "axe really ran"
    failing = {page: r["violations"] for page, r in results.items() if r["violations"]}
    assert not failing, json.dumps(failing, indent=1)[:4000]
