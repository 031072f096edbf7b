"""Small helpers shared by the local servers: free ports, waiting, running as a user."""

from __future__ import annotations

import os
import pwd
import socket
import subprocess
import time
from collections.abc import Callable, Sequence


class ServerFailed(RuntimeError):
    """A local server did not start; the message holds the tail of its log."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def wait_for(check: Callable[[], bool], timeout_s: float, what: str, log: str = "") -> float:
    """Poll `check` until it is true; returns the seconds waited, raises after `timeout_s`."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout_s:
            raise ServerFailed(f"{what} not ready after {timeout_s:.0f}s\n{log_tail(log)}")
        time.sleep(0.25)
    return time.monotonic() - started


def log_tail(path: str, lines: int = 30) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return "".join(handle.readlines()[-lines:])
    except OSError:
        return ""


def as_user(user: str | None) -> dict:
    """subprocess arguments that run a command as `user` (None: as ourselves)."""
    if user is None:
        return {}
    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def run(cmd: Sequence[str], user: str | None = None, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(list(cmd), capture_output=True, text=True, **as_user(user), **kwargs)
    if result.returncode != 0:
        raise ServerFailed(f"{' '.join(cmd[:2])} failed ({result.returncode}):\n{result.stderr}")
    return result


def running_as_root() -> bool:
    return os.geteuid() == 0
