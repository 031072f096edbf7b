"""A throwaway PostgreSQL cluster: `initdb` + `pg_ctl`, on 127.0.0.1 and a unix socket.

As root (CI, these machines) the cluster runs as the `postgres` user, which owns its folder;
otherwise as the current user. Authentication is scram-sha-256 on TCP with a generated
superuser password; `create_database()` adds a login role and its database. Durability is off
(fsync, full-page writes): the cluster is for tests and trials, never for data to keep.

    with LocalPostgres.start() as pg:
        settings = pg.create_database("monitor", "monitor")
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pipelines.warehouse.engines.local.processes import (
    ServerFailed,
    as_user,
    free_port,
    log_tail,
    run,
    running_as_root,
    wait_for,
)
from pipelines.warehouse.engines.settings import PostgresSettings

PG_BIN_CANDIDATES = (
    "/usr/lib/postgresql/17/bin",
    "/usr/lib/postgresql/16/bin",
    "/usr/lib/postgresql/15/bin",
)


def pg_bin() -> Path | None:
    """The folder of initdb/pg_ctl: MONITOR_PG_BIN, Debian's layout, or the PATH."""
    configured = os.environ.get("MONITOR_PG_BIN")
    candidates = [configured] if configured else list(PG_BIN_CANDIDATES)
    for folder in candidates:
        if folder and (Path(folder) / "initdb").is_file():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


@dataclass
class LocalPostgres:
    root: Path
    port: int
    superuser_password: str
    os_user: str | None
    bin: Path
    started_s: float = 0.0

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    @property
    def log(self) -> Path:
        return self.root / "postgres.log"

    @classmethod
    def start(cls, timeout_s: float = 60) -> LocalPostgres:
        folder = pg_bin()
        if folder is None:
            raise ServerFailed(
                "PostgreSQL server binaries not found (apt-get install postgresql; or set"
                " MONITOR_PG_BIN)"
            )
        os_user = "postgres" if running_as_root() else None
        root = Path(tempfile.mkdtemp(prefix="monitor-pg-"))
        server = cls(root, free_port(), secrets.token_urlsafe(18), os_user, folder)
        began = time.monotonic()
        try:
            server._init()
            server._launch(timeout_s)
        except BaseException:
            server.stop()
            raise
        server.started_s = time.monotonic() - began
        return server

    def _init(self) -> None:
        self.socket_dir.mkdir(parents=True)
        pwfile = self.root / "pwfile"
        pwfile.write_text(self.superuser_password + "\n")
        pwfile.chmod(0o600)
        if self.os_user:
            shutil.chown(self.root, self.os_user)
            for path in (self.socket_dir, pwfile):
                shutil.chown(path, self.os_user)
        run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--pwfile",
                str(pwfile),
                "--auth-local=scram-sha-256",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            user=self.os_user,
        )
        pwfile.unlink()

    def _launch(self, timeout_s: float) -> None:
        options = " ".join(
            [
                f"-p {self.port}",
                f"-k {self.socket_dir}",
                "-c listen_addresses=127.0.0.1",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=100",
                "-c shared_buffers=64MB",
                "-c timezone=UTC",
            ]
        )
        run(
            [
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-o",
                options,
                "-w",
                "-t",
                str(int(timeout_s)),
                "start",
            ],
            user=self.os_user,
        )
        wait_for(self._ready, timeout_s, "PostgreSQL", str(self.log))

    def _ready(self) -> bool:
        result = subprocess.run(
            [str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
            capture_output=True,
        )
        return result.returncode == 0

    def superuser(self, dbname: str = "postgres") -> PostgresSettings:
        return PostgresSettings(
            host="127.0.0.1",
            port=self.port,
            dbname=dbname,
            user="postgres",
            password=self.superuser_password,
        )

    def create_database(self, dbname: str, owner: str) -> PostgresSettings:
        """A login role `owner` with a generated password and a database it owns."""
        import psycopg2
        from psycopg2 import sql

        password = secrets.token_urlsafe(18)
        con = psycopg2.connect(**self.superuser().connect_kwargs())
        con.autocommit = True
        try:
            with con.cursor() as cur:
                cur.execute(
                    sql.SQL("create role {} login password %s").format(sql.Identifier(owner)),
                    [password],
                )
                cur.execute(
                    sql.SQL("create database {} owner {}").format(
                        sql.Identifier(dbname), sql.Identifier(owner)
                    )
                )
        finally:
            con.close()
        return PostgresSettings("127.0.0.1", self.port, dbname, owner, password)

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its folder."""
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
                capture_output=True,
                **as_user(self.os_user),
            )
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self) -> str:
        return log_tail(str(self.log))

    def __enter__(self) -> LocalPostgres:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
