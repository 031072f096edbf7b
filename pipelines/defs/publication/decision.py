"""The unchanged-inputs decision: one step after every source's raw views, before dbt.

`monitor refresh` tags its run `monitor/skip_unchanged`; when every vintage, the marts and
the inputs fingerprint are as last published (pipelines.publish.decision), this step yields
no output and Dagster skips what depends on it (dbt, the models gate, publication, report).
Every other run, and `monitor refresh --force`, builds."""

import dagster as dg

from pipelines.defs.sources import views_keys
from pipelines.publish import attempt, keys
from pipelines.settings import paths

DECISION_KEY = keys.asset_key(keys.INPUTS_DECISION)


@dg.asset(
    key=DECISION_KEY,
    deps=views_keys(),
    group_name="publication",
    description="Builds on only when the inputs changed since the last publication (or the run "
    "was not asked to skip unchanged work); no output skips dbt, the models gate, publication "
    "and report.",
    kinds={"python"},
    owners=["team:statistics"],
    output_required=False,
    pool="warehouse",
)
def inputs_decision(context: dg.AssetExecutionContext):
    unchanged, reason = _decide(context.run.tags)
    attempt.note(
        paths().home,
        context.run.run_id,
        "decision",
        {"unchanged_since": unchanged, "reason": reason},
    )
    if unchanged:
        context.log.info(
            f"nothing changed since publication {unchanged}: no dataset has a new vintage and "
            "the inputs fingerprint is the same; dbt, gate and publication skipped"
        )
        yield dg.AssetObservation(asset_key=DECISION_KEY, metadata={"unchanged_since": unchanged})
        return
    context.log.info(f"building: {reason}")
    yield dg.MaterializeResult(metadata={"reason": reason})


def _decide(tags) -> tuple[str | None, str]:
    """(the last publication's id when nothing changed, else None; why)."""
    if tags.get("monitor/skip_unchanged") != "1":
        return None, "the run was not asked to skip unchanged work"
    from pipelines.publish.decision import check_after_ingest

    unchanged, reason = check_after_ingest(paths(), tags.get("monitor/inputs_fingerprint", ""))
    if unchanged is None:
        return None, reason
    return unchanged.publication_id, ""
