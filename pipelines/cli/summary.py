"""The closing summary of a refresh, read from the Dagster run's events."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.defs.errors import root_message
from pipelines.publish.keys import (
    DBT_CHECK,
    DBT_LAYERS,
    MICRODATA_AGGREGATES,
    PUBLISHED,
    RAW_GATE_CHECK,
    RAW_OBSERVATIONS,
    REPORT,
    is_gate_check,
    raw_key,
    user_string,
)


@dataclass
class Summary:
    text: str
    published: bool  # published now, or nothing changed since the last publication


def summarise(result, where, elapsed_s: float) -> Summary:
    materialised = {
        e.asset_key.to_user_string(): e.step_materialization_data.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    checks = list(result.get_asset_check_evaluations())
    failures = result.get_step_failure_events()
    lines = [f"\nRefresh run {result.run_id} finished in {elapsed_s:.1f}s"]

    raws = {k: v for k, v in materialised.items() if k.startswith("raw/") and "snapshot_id" in v}
    eurostat = user_string(raw_key("eurostat", ""))
    lines.append(f"  sources read: {len(raws)} dataset(s)")
    for key, meta in sorted(raws.items(), key=lambda kv: (not kv[0].startswith(eurostat), kv[0])):
        unit = "rows" if "rows" in meta else "obs"  # spreadsheet deliveries count rows
        lines.append(
            f"    - {key.split('__', 1)[1]:<20} {_v(meta, 'observations')} {unit}, "
            f"snapshot {_v(meta, 'snapshot_id')} [{_v(meta, 'mode')}] {_v(meta, 'note')}"
        )
    lines += _quarantine(where, result.run_id)
    micro = materialised.get(user_string(MICRODATA_AGGREGATES))
    if micro is not None:
        lines.append("  microdata: " + _microdata(micro))
    skipped = [k for k, m in raws.items() if "skipped the download" in str(_v(m, "note"))]
    if skipped:
        lines.append(f"  live: {len(skipped)} dataset(s) unchanged at Eurostat, download skipped")
    observations = user_string(RAW_OBSERVATIONS)
    if observations in materialised:
        lines.append(
            f"  rows: {_v(materialised[observations], 'current_rows')} current raw observations"
        )

    unchanged = [
        _v(e.asset_observation_data.asset_observation.metadata, "unchanged_since")
        for e in result.get_asset_observation_events()
        if e.asset_key.to_user_string() == observations
    ]
    published = user_string(PUBLISHED) in materialised
    if unchanged and not published and not failures:
        raw_checks = [c for c in checks if c.check_name == RAW_GATE_CHECK]
        passed = all(c.passed for c in raw_checks)
        lines += [
            f"  raw quality gate: {'passed' if passed else 'warnings'} ({len(raw_checks)} checks)",
            f"  nothing changed since publication {unchanged[0]}: no dataset has a new vintage "
            "and the inputs fingerprint is the same",
            "  skipped: dbt build, models quality gate, publication, report "
            "(monitor refresh --force runs them)",
            f"  published: {where.published_db} (publication {unchanged[0]}, unchanged)",
            "  result: UNCHANGED",
        ]
        return Summary("\n".join(lines), True)

    dbt_checks = [c for c in checks if not is_gate_check(c.check_name)]
    dbt_models = [k for k in materialised if k.split("/")[0] in DBT_LAYERS]
    failed_dbt = [c for c in dbt_checks if not c.passed]
    if dbt_models or dbt_checks:
        lines.append(
            f"  dbt build: {len(dbt_models)} models, {len(dbt_checks) - len(failed_dbt)}/{len(dbt_checks)} tests passed"
        )
    else:
        lines.append("  dbt build: not run")
    for c in failed_dbt:
        lines.append(f"    - FAILED {c.asset_key.to_user_string()}: {c.check_name}")

    gx = [c for c in checks if is_gate_check(c.check_name)]
    if gx:
        for stage, group in (
            ("raw", [c for c in gx if c.check_name == RAW_GATE_CHECK]),
            ("models", [c for c in gx if c.check_name != RAW_GATE_CHECK]),
        ):
            if not group:
                lines.append(f"  {stage} quality gate: not run")
                continue
            blocking = [c for c in group if not c.passed and c.severity.value == "ERROR"]
            warned = [c for c in group if not c.passed and c.severity.value == "WARN"]
            state = "FAILED" if blocking else "passed" + (" with warnings" if warned else "")
            suites = [c for c in group if c.check_name != DBT_CHECK]
            total = sum(int(_v(c.metadata, "expectations") or 0) for c in suites)
            dbt = sum(int(_v(c.metadata, "expectations") or 0) for c in group if c not in suites)
            lines.append(
                f"  {stage} quality gate: {state} ({len(suites)} checks, {total} expectations"
                + (f", {dbt} dbt data tests)" if stage == "models" else ")")
            )
            for c in blocking + warned:
                lines.append(
                    f"    - {c.asset_key.to_user_string()}:{c.check_name} {'FAILED' if c in blocking else 'warning'}"
                )
                for row in str(_v(c.metadata, "failures")).splitlines()[:8]:
                    lines.append(f"        {row}")
    else:
        lines.append("  quality gate: not run")

    if published:
        meta = materialised[user_string(PUBLISHED)]
        sample = _sample_label(meta, raws)
        lines.append(
            f"  published: {_v(meta, 'path')} (publication {_v(meta, 'publication_id')}){sample}"
        )
        lines.append(f"    tables: {_v(meta, 'table_rows')}")
    else:
        lines.append(
            f"  published: NOTHING — the previous publication at {where.published_db} is unchanged"
        )
    if user_string(REPORT) in materialised:
        meta = materialised[user_string(REPORT)]
        lines.append(
            f"  report: {_v(meta, 'path')} ({_v(meta, 'pages')} pages, built in {_v(meta, 'build_seconds')}s)"
        )
    for f in failures:
        message = root_message(f.event_specific_data.error)
        lines.append(f"  FAILED step {f.step_key}: {message[:500]}")
    skipped = [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"]
    if skipped:
        lines.append(f"  skipped: {', '.join(sorted(set(skipped)))}")
    lines.append("  result: " + ("PUBLISHED" if published else "NOT PUBLISHED"))
    return Summary("\n".join(lines), published)


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
    if not _v(meta, "file"):
        return "no file configured (MONITOR_MICRODATA or microdata.path); no aggregates"
    label = " ** SYNTHETIC **" if _v(meta, "is_synthetic") else ""
    rules = ", ".join(
        f"{key.removeprefix('suppressed_')} {_v(meta, key)}"
        for key in meta
        if key.startswith("suppressed_")
    )
    return (
        f"{_v(meta, 'file')}{label} -> {_v(meta, 'cells')} cells, {_v(meta, 'suppressed')} "
        f"suppressed ({rules}), {_v(meta, 'low_reliability')} low reliability "
        f"({_v(meta, 'variance_method')})"
    )


def _v(meta, key):
    value = meta.get(key)
    return getattr(value, "value", value) if value is not None else ""


def _sample_label(meta, raws: dict) -> str:
    """`** SAMPLE DATA **` for a publication of sample data; when only some datasets of this
    run are sample (a live refresh whose deliveries kept their sample snapshots), name them."""
    if not _v(meta, "is_sample"):
        return ""
    modes = {key.split("__", 1)[-1]: str(_v(m, "mode")) for key, m in raws.items()}
    sample = sorted(code for code, mode in modes.items() if mode == "sample")
    if modes and len(sample) < len(modes):
        return f"  ** contains SAMPLE DATA: {', '.join(sample)} **"
    return "  ** SAMPLE DATA **"
