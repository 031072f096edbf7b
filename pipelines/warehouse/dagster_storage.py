"""Dagster's SQLite storage, with a cheaper event log for the instance `monitor` writes.

Dagster's default SQLite event log opens a new SQLAlchemy engine and connection for every
event and commits with a full fsync; a refresh stores ~450 events, which cost seconds of CPU
and, on a busy disk, tens of seconds (docs/performance.md). This keeps the same files and
layout (`$DAGSTER_HOME/history/...`, readable by `dagster dev`) but reuses one engine per
database (for the index and the few most recent runs) and runs SQLite's WAL journal with
`synchronous=NORMAL`: a commit is durable against a process crash, and against a power cut
the last events may be lost but the database stays consistent. Dagster's own lock still
serialises every use of a connection within the process.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from dagster import Field, StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage, _event_logs_directory
from sqlalchemy import create_engine, event
from sqlalchemy.pool import StaticPool

KEPT_ENGINES = 4  # the index and the runs being written or read


def _tune(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("pragma journal_mode=wal")
    cursor.execute("pragma synchronous=normal")
    cursor.close()


class FastSqliteEventLogStorage(SqliteEventLogStorage):
    def __init__(self, base_dir: str, inst_data=None) -> None:
        self._engines: OrderedDict[str, object] = OrderedDict()
        super().__init__(base_dir, inst_data)

    def _engine(self, shard: str):
        engine = self._engines.pop(shard, None)
        if engine is None:
            engine = create_engine(
                self.conn_string_for_shard(shard),
                poolclass=StaticPool,  # one connection, used under self._db_lock only
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            event.listen(engine, "connect", _tune)
        self._engines[shard] = engine
        while len(self._engines) > KEPT_ENGINES:
            _, old = self._engines.popitem(last=False)
            old.dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def _dispose_engines(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()

    def wipe(self) -> None:
        self._dispose_engines()  # before the run databases are deleted
        super().wipe()

    def dispose(self) -> None:
        self._dispose_engines()
        super().dispose()


class FastSqliteStorage(DagsterSqliteStorage):
    """`storage: custom:` in dagster.yaml; base_dir defaults to $DAGSTER_HOME (Dagster's
    default layout), else `$MONITOR_HOME/dagster`."""

    def __init__(self, base_dir: str, inst_data=None) -> None:
        super().__init__(base_dir, inst_data)
        self._event_log_storage = FastSqliteEventLogStorage(_event_logs_directory(base_dir))

    @classmethod
    def config_type(cls):
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls.from_local(base_dir=_base_dir(config_value), inst_data=inst_data)


def _base_dir(config_value: dict) -> str:
    """`base_dir` from dagster.yaml, else $DAGSTER_HOME, else the instance folder `monitor`
    uses (`$MONITOR_HOME/dagster`): `monitor status` from a plain shell has no DAGSTER_HOME."""
    if config_value.get("base_dir"):
        return config_value["base_dir"]
    if os.environ.get("DAGSTER_HOME"):
        return os.environ["DAGSTER_HOME"]
    from pipelines.settings import paths

    return str(paths().dagster_home)
