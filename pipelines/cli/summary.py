"""The closing summary of a refresh, read from the run's attempt: the parts its stages recorded
(pipelines/publish/attempt.py). From Dagster's run only which steps failed or were skipped."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.defs.errors import root_message
from pipelines.publish import attempt
from pipelines.publish.keys import DBT_CHECK, MICRODATA_AGGREGATES, RAW_OBSERVATIONS


@dataclass
class Summary:
    text: str
    published: bool  # published now, or nothing changed since the last publication


def summarise(result, where, elapsed_s: float) -> Summary:
    run = attempt.read(where.home, result.run_id)
    lines = [f"\nRefresh run {result.run_id} finished in {elapsed_s:.1f}s"]

    sources = run.prefixed("source")
    raws = {k: v for k, v in sources.items() if v.get("snapshot_id")}
    lines.append(f"  sources read: {len(raws)} dataset(s)")
    for name, meta in sorted(
        raws.items(), key=lambda kv: (not kv[0].startswith("eurostat__"), kv[0])
    ):
        unit = "rows" if "rows" in meta else "obs"  # spreadsheet deliveries count rows
        lines.append(
            f"    - {name.split('__', 1)[1]:<20} {meta.get('observations', '')} {unit}, "
            f"snapshot {meta['snapshot_id']} [{meta.get('mode', '')}] {meta.get('note', '')}"
        )
    lines += _quarantine(where, result.run_id)
    micro = sources.get(MICRODATA_AGGREGATES[1])
    if micro is not None:
        lines.append("  microdata: " + _microdata(micro))
    skipped = [k for k, m in raws.items() if "skipped the download" in str(m.get("note", ""))]
    if skipped:
        lines.append(f"  live: {len(skipped)} dataset(s) unchanged at Eurostat, download skipped")
    views = run.part(f"views.{RAW_OBSERVATIONS[1]}")
    if views is not None:
        lines.append(f"  rows: {views['current_rows']} current raw observations")

    failures = result.get_step_failure_events()
    decision = run.part("decision") or {}
    published = run.part("published")
    unchanged = decision.get("unchanged_since")
    if unchanged and not published and not failures:
        raw_gate = run.part("gate.raw") or {"checks": []}
        passed = all(not c["errors"] and not c["warnings"] for c in raw_gate["checks"])
        lines += [
            f"  raw quality gate: {'passed' if passed else 'warnings'} "
            f"({len(raw_gate['checks'])} checks)",
            f"  nothing changed since publication {unchanged}: no dataset has a new vintage "
            "and the inputs fingerprint is the same",
            "  skipped: dbt build, models quality gate, publication, report "
            "(monitor refresh --force runs them)",
            f"  published: {where.published_db} (publication {unchanged}, unchanged)",
            "  result: UNCHANGED",
        ]
        return Summary("\n".join(lines), True)

    lines += _dbt(run.part("dbt"))
    lines += _gates(run)
    if published:
        sample = _sample_label(published, raws)
        lines.append(
            f"  published: {published['path']} (publication {published['publication_id']}){sample}"
        )
        lines.append(f"    tables: {published['table_rows']}")
    else:
        lines.append(
            f"  published: NOTHING — the previous publication at {where.published_db} is unchanged"
        )
    report = run.part("report")
    if report is not None:
        lines.append(
            f"  report: {report['path']} ({report['pages']} pages, built in {report['seconds']:.2f}s)"
        )
    for f in failures:
        message = root_message(f.event_specific_data.error)
        lines.append(f"  FAILED step {f.step_key}: {message[:500]}")
    skipped_steps = [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"]
    if skipped_steps:
        lines.append(f"  skipped: {', '.join(sorted(set(skipped_steps)))}")
    lines.append("  result: " + ("PUBLISHED" if published else "NOT PUBLISHED"))
    attempt.prune(where.home)
    return Summary("\n".join(lines), bool(published))


def _dbt(build: dict | None) -> list[str]:
    if build is None:
        return ["  dbt build: not run"]
    failed = build["tests_failed"]
    lines = [
        f"  dbt build: {build['models']} models, {build['tests'] - len(failed)}/{build['tests']} "
        "tests passed"
    ]
    lines += [f"    - FAILED model {name}" for name in build["models_failed"]]
    return lines + [f"    - FAILED test {name}" for name in failed]


def _gates(run: attempt.RunAttempt) -> list[str]:
    stages = {"raw": run.part("gate.raw"), "models": run.part("gate.models")}
    if not any(stages.values()):
        return ["  quality gate: not run"]
    lines = []
    for stage, gate in stages.items():
        if gate is None:
            lines.append(f"  {stage} quality gate: not run")
            continue
        blocking = [c for c in gate["checks"] if c["errors"]]
        warned = [c for c in gate["checks"] if c["warnings"] and not c["errors"]]
        state = "FAILED" if blocking else "passed" + (" with warnings" if warned else "")
        suites = [c for c in gate["checks"] if c["check"] != DBT_CHECK]
        total = sum(c["expectations"] for c in suites)
        dbt = sum(c["expectations"] for c in gate["checks"] if c["check"] == DBT_CHECK)
        lines.append(
            f"  {stage} quality gate: {state} ({len(suites)} checks, {total} expectations"
            + (f", {dbt} dbt data tests)" if stage == "models" else ")")
        )
        for c in blocking + warned:
            lines.append(
                f"    - {c['asset']}:{c['check']} {'FAILED' if c in blocking else 'warning'}"
            )
            lines += [f"        - {sentence}" for sentence in c["failures"][:8]]
    return lines


def _quarantine(where, run_id: str) -> list[str]:
    """Snapshots this run set aside, and how many stay set aside (pipelines/sources/quarantine.py)."""
    from pipelines.sources.quarantine import list_quarantined

    entries = list_quarantined(where.raw)
    if not entries:
        return []
    lines = [
        f"  quarantine: {len(entries)} snapshot(s) set aside, never used as a current vintage "
        "(monitor quarantine list)"
    ]
    for entry in entries:
        if entry.run_id == run_id:
            lines.append(f"    - quarantined now: {entry.line(240)}")
    return lines


def _microdata(meta) -> str:
    if not meta.get("file", ""):
        return "no file configured (MONITOR_MICRODATA or microdata.path); no aggregates"
    label = " ** SYNTHETIC **" if meta.get("is_synthetic", "") else ""
    rules = ", ".join(
        f"{key.removeprefix('suppressed_')} {meta.get(key, '')}"
        for key in meta
        if key.startswith("suppressed_")
    )
    return (
        f"{meta.get('file', '')}{label} -> {meta.get('cells', '')} cells, {meta.get('suppressed', '')} "
        f"suppressed ({rules}), {meta.get('low_reliability', '')} low reliability "
        f"({meta.get('variance_method', '')}; computed on {meta.get('engine') or 'duckdb'})"
    )


def _sample_label(meta, raws: dict) -> str:
    """`** SAMPLE DATA **` for a publication of sample data; when only some datasets of this
    run are sample (a live refresh whose deliveries kept their sample snapshots), name them."""
    if not meta.get("is_sample"):
        return ""
    modes = {key.split("__", 1)[-1]: str(m.get("mode", "")) for key, m in raws.items()}
    sample = sorted(code for code, mode in modes.items() if mode == "sample")
    if modes and len(sample) < len(modes):
        return f"  ** contains SAMPLE DATA: {', '.join(sample)} **"
    return "  ** SAMPLE DATA **"
