"""The Dagster UI: `dagster-webserver -w workspace.yaml` on a loopback port serves the asset
graph grouped by layer, the schedules and the sensors (queried through its GraphQL API)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

QUERY = """
{
  assetNodes { assetKey { path } groupName description owners { ... on TeamAssetOwner { team } } }
  repositoriesOrError {
    ... on RepositoryConnection {
      nodes { name location { name }
        schedules { name cronSchedule executionTimezone }
        sensors { name sensorType }
        jobs { name } }
    }
  }
}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@pytest.fixture
def webserver(tmp_path):
    port = free_port()
    home = tmp_path / "dagster"
    home.mkdir()
    env = {**os.environ, "DAGSTER_HOME": str(home), "MONITOR_HOME": str(tmp_path / "home")}
    webserver = Path(sys.executable).parent / "dagster-webserver"
    proc = subprocess.Popen(
        [str(webserver), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 180
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=5)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"dagster-webserver did not start: {proc.stderr.read()[-3000:]}")
            time.sleep(1)
    yield port
    proc.terminate()
    proc.wait(timeout=30)


def test_ui_serves_layers_schedules_and_sensors(webserver):
    data = graphql(webserver, QUERY)
    assert "errors" not in data, data.get("errors")
    nodes = data["data"]["assetNodes"]
    groups = {n["groupName"] for n in nodes}
    assert {"raw", "staging", "intermediate", "marts", "publication"} <= groups
    by_key = {"/".join(n["assetKey"]["path"]): n for n in nodes}
    assert by_key["raw/eurostat__lfst_r_lfe2emprt"]["groupName"] == "raw"
    assert by_key["marts/mart_target_progress"]["groupName"] == "marts"
    assert by_key["publication/monitor_db"]["description"]
    assert all(n["description"] for n in nodes if n["groupName"] in ("raw", "publication"))
    assert {"team": "statistics"} in by_key["raw/eurostat__lfst_r_lfe2emprt"]["owners"]

    (repo,) = data["data"]["repositoriesOrError"]["nodes"]
    assert repo["location"]["name"] == "policy_monitor"
    schedules = {s["name"]: s for s in repo["schedules"]}
    assert schedules["eurostat_after_release"]["executionTimezone"] == "Europe/Brussels"
    sensors = {s["name"] for s in repo["sensors"]}
    assert {"tag_failed_runs", "eurostat_freshness"} <= sensors
    assert {"refresh", "publish"} <= {j["name"] for j in repo["jobs"]}

    checks = graphql(
        webserver,
        '{ assetNodeOrError(assetKey: {path: ["marts", "fct_indicator_values"]}) '
        "{ ... on AssetNode { assetChecksOrError { ... on AssetChecks { checks { name blocking } } } } } }",
    )
    names = {
        c["name"]: c["blocking"]
        for c in checks["data"]["assetNodeOrError"]["assetChecksOrError"]["checks"]
    }
    assert names.get("gx_fct_indicator_values") is True
