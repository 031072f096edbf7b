"""The warehouse lock: a second writer waits, gives up cleanly with the holder's name, and a
killed holder never leaves a stale lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from pipelines.warehouse.lock import WarehouseLocked, holder, warehouse_lock

HOLD = """
import sys, time
from pathlib import Path
from pipelines.warehouse.lock import warehouse_lock
with warehouse_lock(Path(sys.argv[1]), "test holder"):
    print("held", flush=True)
    time.sleep(60)
"""


def start_holder(home):
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(home)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_writer_gives_up_naming_the_holder(tmp_path):
    proc = start_holder(tmp_path)
    try:
        waited = []
        started = time.monotonic()
        with (
            pytest.raises(WarehouseLocked) as caught,
            warehouse_lock(tmp_path, "second", timeout_s=1.0, on_wait=waited.append),
        ):
            pass
        assert time.monotonic() - started >= 1.0
        assert "test holder" in str(caught.value) and str(proc.pid) in str(caught.value)
        assert waited and waited[0]["pid"] == proc.pid
    finally:
        proc.kill()
        proc.wait()


def test_killed_holder_leaves_no_stale_lock(tmp_path):
    proc = start_holder(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    started = time.monotonic()
    with warehouse_lock(tmp_path, "after the crash", timeout_s=5.0):
        assert holder(tmp_path)["holder"] == "after the crash"
    assert time.monotonic() - started < 1.0
