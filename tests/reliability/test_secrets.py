"""No secret in the repository or in anything a refresh writes: proxy credentials and API
credentials come only from the environment and are redacted in output, logs, ledger, Dagster
storage, snapshots and databases (every file byte-scanned)."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.conftest import REPO, monitor_cmd
from tests.support.fake_eurostat import FakeEurostat, add_sample_datasets, client_env

pytestmark = pytest.mark.reliability

# Shapes of real credentials; a hit anywhere in the tracked files fails the test.
PATTERNS = {
    "private key": re.compile(rb"-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"),
    "AWS access key": re.compile(rb"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(rb"\b(?:ghp|gho|ghs|ghu)_[A-Za-z0-9]{36}\b|github_pat_\w{40,}"),
    "Slack token": re.compile(rb"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "URL with a password": re.compile(rb"[a-z][a-z0-9+.-]*://[^\s/:@'\"]+:([^\s/@'\"*]+)@"),
    "assigned secret": re.compile(
        rb"(?i)\b(?:api[_-]?key|secret|token|password)\s*[:=]\s*['\"][A-Za-z0-9/+_\-]{16,}['\"]"
    ),
}
# Fake credentials the tests themselves use to prove redaction (tests/ only).
TEST_CREDENTIALS = {
    b"proxysecret",
    b"apisecret",
    b"PROXY-PASS-7f3a",
    b"API-PASS-91c2",
    b"s3cr%40t%2Fpw",  # tests/unit/test_engines_portable.py: a password escaped in a URL
}


def tracked_files() -> list:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=False
    ).stdout
    if not listed:
        pytest.skip("not a git checkout: the tracked files are unknown")
    return [REPO / name for name in listed.decode().split("\0") if name]


def test_no_secret_in_the_repository():
    hits = []
    files = [p for p in tracked_files() if p.is_file()]
    for path in files:
        data = path.read_bytes()
        for kind, pattern in PATTERNS.items():
            for match in pattern.finditer(data):
                secret = match.group(1) if match.groups() else match.group(0)
                in_tests = path.relative_to(REPO).parts[0] == "tests"
                if in_tests and any(t in secret for t in TEST_CREDENTIALS):
                    continue
                hits.append(f"{path.relative_to(REPO)}: {kind}: {match.group(0)[:60]!r}")
    assert len(files) > 100
    assert not hits, hits


def test_the_scan_finds_a_planted_secret(tmp_path):
    """The patterns are not vacuous: each finds its kind of secret (written in pieces here so
    that this file does not hold them)."""
    planted = {
        "private key": b"-----BEGIN RSA " + b"PRIVATE KEY-----",
        "AWS access key": b"AKIA" + b"ABCDEFGHIJKLMNOP",
        "GitHub token": b"ghp_" + b"a" * 36,
        "Slack token": b"xoxb-" + b"1234567890-abc",
        "URL with a password": b"https://user:" + b"hunter2@proxy.example",
        "assigned secret": b'api_key = "' + b"A" * 20 + b'"',
    }
    for kind, text in planted.items():
        assert PATTERNS[kind].search(b"x " + text + b" y"), kind
    assert not PATTERNS["URL with a password"].search(b"http://user:***@proxy.example")


@pytest.mark.slow
def test_live_refresh_keeps_credentials_out_of_everything_it_writes(tmp_path):
    api = FakeEurostat().start()
    try:
        add_sample_datasets(api)
        env = client_env(api)
        # The API is reached through a proxy (the local server) that needs credentials, and
        # the API URL itself carries credentials: both only in the environment.
        env["MONITOR_EUROSTAT_BASE_URL"] = "http://monitor:API-PASS-91c2@eurostat.invalid"
        env["HTTP_PROXY"] = env["http_proxy"] = (
            f"http://proxyuser:PROXY-PASS-7f3a@127.0.0.1:{api.server.server_address[1]}"
        )
        home = tmp_path / "home"
        result = monitor_cmd("refresh", "--source", "live", home=home, env=env)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        calls = api.calls("data")
        assert calls and all(c["headers"].get("Proxy-Authorization") for c in calls)
        assert all(c["path"].startswith("http://eurostat.invalid/") for c in calls)
    finally:
        api.stop()
    written = [p for p in home.rglob("*") if p.is_file() and not p.is_symlink()]
    assert len(written) > 50
    leaks = [
        str(p.relative_to(home))
        for p in written
        for secret in (b"API-PASS-91c2", b"PROXY-PASS-7f3a")
        if secret in p.read_bytes()
    ]
    output = (result.stdout + result.stderr).encode()
    assert b"PASS-" not in output, [line for line in output.splitlines() if b"PASS-" in line][:5]
    assert not leaks, leaks
    assert b"monitor:***@eurostat.invalid" in output or any(
        b"monitor:***@" in p.read_bytes() for p in written
    ), "the redacted form shows where the URL is logged"
