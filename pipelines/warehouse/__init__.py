"""The ground floor: what the pipeline keeps in $MONITOR_HOME and how it is opened. The build
warehouse (`connect.py`: one DuckDB file, one writer, transactions), the content fingerprint
of its tables (`content.py`), the lock every writing run holds (`lock.py`), the JSON-lines
ledgers (`ledger.py`) and Dagster's instance and storage (`instance.py`,
`dagster_storage.py`). The same warehouse on PostgreSQL or Spark (`engines/`) and Dagster on
PostgreSQL storage with Celery workers (`distributed/`): docs/scaling.md."""
