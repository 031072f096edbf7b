"""A SQL cursor on the Spark Thrift Server (PyHive, the transport dbt-spark's `thrift`
method uses too)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pipelines.warehouse.engines.settings import SparkSettings


@contextmanager
def spark_connection(settings: SparkSettings) -> Iterator:
    from pyhive import hive

    con = hive.connect(host=settings.host, port=settings.port, username=settings.user)
    try:
        cur = con.cursor()
        cur.arraysize = 10_000  # rows per fetch round trip (PyHive's default is 1,000)
        try:
            yield cur
        finally:
            cur.close()
    finally:
        con.close()
