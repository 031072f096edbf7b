"""requirements.lock pins every package `make install` installs, inside pyproject's ranges;
the audit summary counts what was and was not audited and fails on a vulnerability."""

from __future__ import annotations

import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from pipelines.settings import REPO_ROOT
from scripts.audit import summarise


def locked() -> dict[str, str]:
    pins = {}
    for line in (REPO_ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_every_direct_dependency_is_locked_inside_its_range():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    direct = project["dependencies"] + project["optional-dependencies"]["dev"]
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
        "dependency audit: 3 locked packages, 2 audited, 1 could not be audited, "
        "1 known vulnerabilities"
    )
    assert "VULNERABLE jinja2 3.1.0: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)" in lines[1]
    assert any("audit is NOT done" in line for line in lines)


def test_audit_summary_passes_only_without_findings():
    lines, code = summarise({"dependencies": [{"name": "duckdb", "version": "2.0.1", "vulns": []}]})
    assert code == 0 and lines == [
        "dependency audit: 1 locked packages, 1 audited, 0 could not be audited, "
        "0 known vulnerabilities"
    ]
