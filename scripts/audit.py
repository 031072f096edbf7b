"""Dependency audit: pip-audit over requirements.lock (every installed package, pinned), with
an honest summary: how many packages were audited, how many could not be (and why), and
every known vulnerability. Exit 1 when a vulnerability is found; 0 otherwise, with a loud
warning when the advisory service could not be reached for some packages.

    python scripts/audit.py [requirements.lock]
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

LOCK = Path(__file__).resolve().parents[1] / "requirements.lock"


def summarise(report: dict) -> tuple[list[str], int]:
    """(lines to print, exit code) for pip-audit's JSON report."""
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if "skip_reason" in d]
    audited = [d for d in deps if "skip_reason" not in d]
    vulns = [(d, v) for d in audited for v in d.get("vulns", [])]
    lines = [
        f"dependency audit: {len(deps)} locked packages, {len(audited)} audited, "
        f"{len(skipped)} could not be audited, {len(vulns)} known vulnerabilities"
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
        lines.append(
            "  WARNING: the advisory service did not answer for these packages "
            "(no internet but the package index?); their audit is NOT done"
        )
    return lines, 1 if vulns else 0


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
    lines, code = summarise(report)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
