"""Can a refresh be skipped? Only when it could not publish anything new:

- the last ledger entry is a publication, and the published file is that publication;
- every raw file the source would give has the sha256 (and mode) of the snapshot that
  publication used, for every dataset of the registry;
- registry, config, dbt project, expectations, code, tool versions and the microdata file
  have the fingerprint recorded with that publication (pipelines.publish.fingerprint);
- the warehouse still holds exactly those vintages as current and the marts the gate passed.

Anything else (a live source, a missing file, a locked warehouse, an older publication
without a fingerprint) means: run the refresh. Cheap: no Dagster, dbt or GX import.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from pipelines.settings import Paths


@dataclass(frozen=True)
class Unchanged:
    publication_id: str
    datasets: int
    fingerprint: str


def check(spec, where: Paths) -> tuple[Unchanged | None, str]:
    """Before a run: (Unchanged, "") when the refresh can be skipped, else (None, the first
    reason why not). Reads the source files, not the source: only for sample and dir."""
    if spec.kind not in ("sample", "dir"):
        return None, f"source {spec} must be fetched to know"
    last, reason = _last_publication(where)
    if last is None:
        return None, reason
    from pipelines.publish.fingerprint import inputs_fingerprint

    fingerprint = inputs_fingerprint()
    reason = _sources_differ(spec, where, last) or _state_differs(where, last, fingerprint)
    if reason:
        return None, reason
    return Unchanged(last["publication_id"], len(last["snapshots"]), fingerprint), ""


def check_after_ingest(where: Paths, fingerprint: str) -> tuple[Unchanged | None, str]:
    """Within a run, after every dataset was ingested (any source, live included): is the
    warehouse exactly as published, with the same inputs fingerprint?"""
    last, reason = _last_publication(where)
    if last is None:
        return None, reason
    reason = _state_differs(where, last, fingerprint)
    if reason:
        return None, reason
    return Unchanged(last["publication_id"], len(last["snapshots"]), fingerprint), ""


def _last_publication(where: Paths) -> tuple[dict | None, str]:
    from pipelines.warehouse import ledger

    entries = ledger.read(where.ledger)
    if not entries or entries[-1].get("status") != "published":
        return None, "the last publication attempt was not a publication"
    if not entries[-1].get("inputs_fingerprint"):
        return None, "the last publication has no inputs fingerprint"
    return entries[-1], ""


def _state_differs(where: Paths, last: dict, fingerprint: str) -> str | None:
    if fingerprint != last["inputs_fingerprint"]:
        return "registry, config, dbt models, expectations, code or microdata file changed"
    if not (where.report_dir / "index.html").exists():
        return "the report is missing"
    return _databases_differ(where, last)


def _sources_differ(spec, where: Paths, last: dict) -> str | None:
    """Each dataset that keeps vintages is located as its source's ingest would locate it
    (pipelines.sources: the same `locate`), and compared with the published snapshot."""
    from pipelines.registry import load_registry
    from pipelines.sources.base import Refused, SourceError
    from pipelines.sources.kinds import source_kinds

    published = {s["dataset"]: s for s in last.get("snapshots", [])}
    reg = load_registry()
    taken = [(k, d) for k in source_kinds().values() if k.views for d in k.datasets(reg)]
    if set(published) != {d.code for _, d in taken}:
        return "the registry's datasets differ from the published snapshots"
    for kind, dataset in taken:
        try:
            located = kind.locate(spec, dataset, where)
        except (SourceError, Refused) as exc:
            return str(exc)
        if located.path is None or located.kept is not None or located.note:
            return located.missing or f"no file for {dataset.code} where {kind.name} looks"
        if _differs(published[dataset.code], located.mode, located.path):
            return f"{dataset.code}: {located.path.name} differs from the published snapshot"
    return None


def _differs(snapshot: dict, mode: str, path) -> bool:
    return (
        snapshot["mode"] != mode
        or hashlib.sha256(path.read_bytes()).hexdigest() != snapshot["sha256"]
    )


def _databases_differ(where: Paths, last: dict) -> str | None:
    import duckdb

    from pipelines.gate.run import fingerprint, mart_tables

    try:
        con = duckdb.connect(str(where.published_db), read_only=True)
        try:
            current = con.execute("select publication_id from publication_info").fetchall()
        finally:
            con.close()
        if current != [(last["publication_id"],)]:
            return "the published file is not the last publication"
        con = duckdb.connect(str(where.warehouse_db), read_only=True)
        try:
            vintages = sorted(_current_vintages(con))
            marts = fingerprint(con, mart_tables(con))
        finally:
            con.close()
    except duckdb.Error as exc:  # missing, locked by a writer, or not built
        return f"cannot read the warehouse or the publication: {str(exc).splitlines()[0]}"
    if vintages != sorted(s["snapshot_id"] for s in last["snapshots"]):
        return "the warehouse's current vintages are not the published ones"
    if marts != last.get("gate_fingerprint"):
        return "the warehouse's marts differ from what the gate passed"
    return None


def _current_vintages(con) -> list[str]:
    """Current snapshot ids of Eurostat datasets and of spreadsheet deliveries."""
    ids = [
        r[0]
        for r in con.execute("select snapshot_id from raw.snapshots where is_current").fetchall()
    ]
    has_deliveries = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'raw' and table_name = 'delivery_snapshots'"
    ).fetchone()[0]
    if has_deliveries:
        ids += [
            r[0]
            for r in con.execute(
                "select snapshot_id from raw.delivery_snapshots where is_current"
            ).fetchall()
        ]
    return ids
