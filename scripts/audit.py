"""Dependency audit over requirements.lock (every installed package, pinned), with an honest
summary: how many packages were audited, how, how many could not be (and why), and every
known vulnerability. Exit 1 when a vulnerability is found, 2 when the audit itself failed,
0 otherwise (with a loud warning for each package left unaudited).

1. pip-audit (`--no-deps --disable-pip`, PyPI's advisory service).
2. For packages pip-audit could not audit (here PyPI answers only the unversioned JSON
   endpoint): PyPI's JSON for the project lists the known vulnerabilities *of its latest
   release*; a pin equal to that release is audited by it, an older pin is not.

    python scripts/audit.py [requirements.lock]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

LOCK = Path(__file__).resolve().parents[1] / "requirements.lock"
PYPI_JSON = os.environ.get("MONITOR_PYPI_JSON", "https://pypi.org/pypi/{name}/json")


def summarise(report: dict) -> tuple[list[str], int]:
    """(lines to print, exit code) for pip-audit's JSON report (the fallback's results added
    as dependencies with `audited_by`)."""
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if "skip_reason" in d]
    audited = [d for d in deps if "skip_reason" not in d]
    by = Counter(d.get("audited_by", "pip-audit") for d in audited)
    vulns = [(d, v) for d in audited for v in d.get("vulns", [])]
    how = ", ".join(f"{n} by {name}" for name, n in sorted(by.items()))
    lines = [
        f"dependency audit: {len(deps)} locked packages, {len(audited)} audited"
        + (f" ({how})" if how else "")
        + f", {len(skipped)} could not be audited, {len(vulns)} known vulnerabilities"
    ]
    for dep, vuln in vulns:
        fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version"
        lines.append(
            f"  VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixes})"
        )
    reasons = Counter(d["skip_reason"].split(":")[0] for d in skipped)
    for reason, n in reasons.most_common():
        lines.append(f"  not audited ({n}): {reason}")
    if skipped:
        names = ", ".join(sorted(d["name"] for d in skipped))
        lines.append(
            f"  WARNING: no advisory data for these packages; their audit is NOT done: {names}"
        )
    return lines, 1 if vulns else 0


def pypi_latest(name: str, version: str) -> dict:
    """Audit one pin from PyPI's project JSON, which lists the vulnerabilities of the latest
    release only."""
    try:
        with urllib.request.urlopen(PYPI_JSON.format(name=name), timeout=20) as answer:
            doc = json.load(answer)
    except (OSError, ValueError) as exc:
        return {"name": name, "skip_reason": f"PyPI JSON unreachable: {exc}"}
    latest = doc.get("info", {}).get("version")
    if latest != version or "vulnerabilities" not in doc:
        return {
            "name": name,
            "skip_reason": "older than PyPI's latest release, the only one PyPI's JSON gives "
            f"advisories for: {name} {version} < {latest}",
        }
    vulns = [
        {"id": v.get("id"), "fix_versions": v.get("fixed_in", [])}
        for v in doc["vulnerabilities"]
        if not v.get("withdrawn")
    ]
    return {
        "name": name,
        "version": version,
        "vulns": vulns,
        "audited_by": "PyPI latest-release JSON",
    }


def pinned(lock: Path) -> dict[str, str]:
    pins = {}
    for line in lock.read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    return pins


def main(argv: list[str]) -> int:
    lock = Path(argv[0]) if argv else LOCK
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip_audit",
            "-r",
            str(lock),
            "--no-deps",
            "--disable-pip",
            "--progress-spinner",
            "off",
            "-f",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(f"dependency audit: pip-audit failed ({result.returncode}): {result.stderr[-2000:]}")
        return 2
    pins = pinned(lock)
    deps = report.get("dependencies", [])
    todo = [d for d in deps if "skip_reason" in d and d["name"] in pins]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda d: pypi_latest(d["name"], pins[d["name"]]), todo))
    found = {d["name"]: r for d, r in zip(todo, results, strict=True)}
    report["dependencies"] = [found.get(d["name"], d) if "skip_reason" in d else d for d in deps]
    lines, code = summarise(report)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
