"""requirements.lock pins every package `make install` installs, inside pyproject's ranges;
the audit summary counts what was and was not audited and fails on a vulnerability."""

from __future__ import annotations

import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from pipelines.settings import REPO_ROOT
from scripts.audit import summarise


def locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (REPO_ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            name = canonicalize_name(name)
            assert name not in pins, f"{name} is locked twice ({pins[name]}, {version})"
            pins[name] = version
    return pins


def test_every_direct_dependency_is_locked_inside_its_range():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    direct = project["dependencies"] + extras["dev"] + extras["dbt"] + extras["bench"]
    pins = locked()
    outside = []
    for text in direct:
        req = Requirement(text)
        assert req.specifier, f"{text}: every direct dependency has a pinned range"
        version = pins.get(canonicalize_name(req.name))
        if version is None or version not in req.specifier:
            outside.append(f"{req.name} {req.specifier}: locked {version}")
    assert not outside, outside
    assert pins["dbt-core"].startswith("1.11.")


def test_the_dbt_environment_is_installed_from_the_lock_with_the_same_duckdb():
    """dbt writes the warehouse with the dbt environment's duckdb and the pipeline reads it
    with its own: both come from the one lock, so they are the same version."""
    from importlib.metadata import distributions, version

    from pipelines.settings import dbt_env_site_packages

    site = dbt_env_site_packages()
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in distributions(path=site)}
    pins = locked()
    assert {"dbt-core", "dbt-duckdb", "duckdb"} <= installed.keys()
    unlocked = {
        n: v for n, v in installed.items() if n not in {"pip", "setuptools"} and pins.get(n) != v
    }
    assert not unlocked, f"dbt environment packages not as locked: {unlocked}"
    assert installed["duckdb"] == version("duckdb")


def test_audit_summary_fails_on_a_vulnerability_and_names_it():
    report = {
        "dependencies": [
            {"name": "duckdb", "version": "2.0.1", "vulns": []},
            {
                "name": "jinja2",
                "version": "3.1.0",
                "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"]}],
            },
            {"name": "polars", "skip_reason": "Dependency not found on PyPI: polars (2.1.0)"},
        ]
    }
    lines, code = summarise(report)
    assert code == 1
    assert lines[0] == (
        "dependency audit: 3 locked packages, 2 audited (2 by pip-audit), 1 could not be audited, "
        "1 known vulnerabilities"
    )
    assert "VULNERABLE jinja2 3.1.0: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)" in lines[1]
    assert any("audit is NOT done" in line for line in lines)


def test_audit_summary_passes_only_without_findings():
    lines, code = summarise({"dependencies": [{"name": "duckdb", "version": "2.0.1", "vulns": []}]})
    assert code == 0 and lines == [
        "dependency audit: 1 locked packages, 1 audited (1 by pip-audit), 0 could not be audited, "
        "0 known vulnerabilities"
    ]


def test_pypi_fallback_audits_only_a_pin_equal_to_the_latest_release(monkeypatch):
    """Against a local HTTP server standing in for PyPI's project JSON."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import scripts.audit as audit

    projects = {
        "jinja2": {
            "info": {"version": "3.1.0"},
            "vulnerabilities": [
                {"id": "GHSA-1", "fixed_in": ["3.1.3"], "withdrawn": None},
                {"id": "GHSA-old", "fixed_in": [], "withdrawn": "2024-01-01"},
            ],
        },
        "polars": {"info": {"version": "2.2.0"}, "vulnerabilities": []},
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            name = self.path.strip("/").split("/")[0]
            body = json.dumps(projects[name]).encode() if name in projects else b""
            self.send_response(200 if body else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        monkeypatch.setattr(audit, "PYPI_JSON", base + "/{name}/json")
        vulnerable = audit.pypi_latest("jinja2", "3.1.0")
        older = audit.pypi_latest("polars", "2.1.0")
        missing = audit.pypi_latest("nothing-here", "1.0")
    finally:
        server.shutdown()
    assert vulnerable["vulns"] == [{"id": "GHSA-1", "fix_versions": ["3.1.3"]}]
    assert "polars 2.1.0 < 2.2.0" in older["skip_reason"]
    assert missing["skip_reason"].startswith("PyPI JSON unreachable: HTTP Error 404")
    lines, code = summarise({"dependencies": [vulnerable, older]})
    assert code == 1 and "1 by PyPI latest-release JSON" in lines[0]
