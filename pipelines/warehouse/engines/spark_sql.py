"""A SQL cursor on the Spark Thrift Server (PyHive, the transport dbt-spark's `thrift`
method uses too).

Opening a session is retried: a Thrift server under load may drop a handshake ("TSocket
read 0 bytes"), and one dropped handshake should not fail a refresh. dbt's own connections
do the same (`retry_all` in dbt_project/profiles.yml). Queries are never retried."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from pipelines.warehouse.engines.settings import SparkSettings

log = logging.getLogger(__name__)

CONNECT_ATTEMPTS = 4  # as dbt's: one try and connect_retries: 3
CONNECT_PAUSE_S = 3.0  # as dbt's connect_timeout, its wait between tries


def open_session(settings: SparkSettings, attempts: int = CONNECT_ATTEMPTS):
    """A PyHive connection to the Thrift Server; a transport error while opening it is
    retried `attempts - 1` times, a pause between, and the last one raised."""
    from pyhive import hive
    from thrift.transport.TTransport import TTransportException

    def connect():
        return hive.connect(host=settings.host, port=settings.port, username=settings.user)

    for attempt in range(1, attempts):
        try:
            return connect()
        except TTransportException as error:
            log.warning(
                "%s: opening a session failed (%s); retrying in %.0f s (%d of %d)",
                settings, error, CONNECT_PAUSE_S, attempt, attempts - 1,
            )  # fmt: skip
            time.sleep(CONNECT_PAUSE_S)
    return connect()


@contextmanager
def spark_connection(settings: SparkSettings) -> Iterator:
    con = open_session(settings)
    try:
        cur = con.cursor()
        cur.arraysize = 10_000  # rows per fetch round trip (PyHive's default is 1,000)
        try:
            yield cur
        finally:
            cur.close()
    finally:
        con.close()
