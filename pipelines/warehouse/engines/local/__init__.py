"""Throwaway servers on loopback for tests and a laptop: a PostgreSQL cluster (`postgres`)
and a Spark standalone master, worker and Thrift Server (`spark`). Each starts in a fresh
folder, listens on 127.0.0.1 only and is stopped (and its folder removed) by `stop()`."""
