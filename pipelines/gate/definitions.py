"""The gate's Great Expectations objects: one dataframe batch definition for every suite, and
one validation definition per suite (its expectation suite with it).

Each suite runs through `ValidationDefinition.run`, which checks that the definition and its
suite are the stored ones, validates, and stores the result. A Checkpoint around it would add
nothing the gate uses (it has no actions: the gate builds Data Docs once per stage and writes
its own record) but a second freshness check of every definition and suite against the JSON
stores: 0.7-0.8 s of a cold gate's 9.5 s, and reading a checkpoint back cost 0.2 s more.

A definition is written to GX's stores when its suite is new or changed, and read back
otherwise: `add_or_update` rewrites its JSON files and costs about 25 times a `get` (1.56 s
against 0.07 s for the 27 raw suites), on every gate run. What was stored is remembered in
`gx/stored_definitions.json` by a hash of the suite as the gate builds it."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from pipelines.gate.suite import Suite

RESULT_FORMAT = {"result_format": "BASIC"}
_STAMPS = "stored_definitions.json"


def frame_batch(context):
    """The one batch definition every suite validates: a whole dataframe, given at run time.
    One asset for all suites (the stored result names the suite's table instead): each asset
    or batch definition added rewrites great_expectations.yml, twice per suite before."""
    try:
        source = context.data_sources.get("warehouse")
    except (KeyError, ValueError):
        source = context.data_sources.add_pandas("warehouse")
    try:
        asset = source.get_asset("frames")
    except LookupError:
        asset = source.add_dataframe_asset("frames")
    try:
        return asset.get_batch_definition("whole_frame")
    except (KeyError, ValueError):
        return asset.add_batch_definition_whole_dataframe("whole_frame")


def definition_for(context, quality_dir: Path, suite: Suite, batch) -> tuple[Any, bool]:
    """The stored validation definition of `suite` when it holds these very expectations,
    else the definition (with its suite) written afresh; and whether it was written."""
    import great_expectations as gx

    stamps_path = quality_dir / "gx" / _STAMPS
    stamps = _read(stamps_path)
    digest = _digest(suite)
    name = f"validate {suite.name}"
    if stamps.get(suite.name) == digest:
        try:
            return context.validation_definitions.get(name), False
        except Exception:  # removed or unreadable: written again below
            pass
    # the validation definition store adds or updates its suite: one call stores both
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=name, data=batch, suite=_gx_suite(suite))
    )
    stamps[suite.name] = digest
    _write(stamps_path, stamps)
    return definition, True


def _gx_suite(suite: Suite):
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    gx_suite = gx.ExpectationSuite(
        name=suite.name, meta={"stage": suite.stage, "description": suite.description}
    )
    for exp in suite.expectations:
        gx_suite.add_expectation_configuration(
            ExpectationConfiguration(
                type=exp["type"],
                kwargs=exp["kwargs"],
                meta=exp["meta"],
                severity=exp["severity"],
                description=described(exp),
            )
        )
    return gx_suite


def described(exp: dict[str, Any]) -> str | None:
    """What Data Docs show for an expectation: its check name and why it exists, instead of
    GX's template (which prints a check on a derived column as "values must belong to this
    set: True")."""
    meta = exp.get("meta") or {}
    if not meta.get("why"):
        return None
    return f"{meta['name']}: {meta['why']}" if meta.get("name") else meta["why"]


def _digest(suite: Suite) -> str:
    payload = [suite.name, suite.stage, suite.description, suite.expectations, RESULT_FORMAT]
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _read(path: Path) -> dict[str, str]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _write(path: Path, stamps: dict[str, str]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(stamps, indent=1, sort_keys=True))
    os.replace(tmp, path)
