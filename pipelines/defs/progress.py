"""A Dagster logger that prints one readable line per step event on the terminal."""

from __future__ import annotations

import logging
import sys
import time

import dagster as dg

from pipelines.defs.errors import root_message

_SHOWN = {
    "STEP_START": "start",
    "STEP_SUCCESS": "done",
    "STEP_FAILURE": "FAILED",
    "STEP_SKIPPED": "skipped",
    "ASSET_MATERIALIZATION": "materialised",
    "ASSET_CHECK_EVALUATION": "check",
}


class _ProgressHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.started = time.monotonic()

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", {}) or {}
        event = meta.get("dagster_event")
        elapsed = f"{time.monotonic() - self.started:6.1f}s"
        step = meta.get("step_key") or ""
        if event is None:
            if record.levelno >= logging.INFO:
                print(
                    f"{elapsed}  {step:<32} {meta.get('orig_message', record.getMessage())}",
                    file=sys.stderr,
                )
            return
        kind = event.event_type_value
        if kind not in _SHOWN:
            return
        detail = ""
        if kind == "ASSET_MATERIALIZATION":
            detail = event.asset_key.to_user_string()
        elif kind == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            if data.passed and not data.check_name.startswith("gx_"):
                return  # dbt data tests: only failures are worth a line
            verdict = "passed" if data.passed else f"FAILED ({data.severity.value.lower()})"
            detail = f"{data.asset_key.to_user_string()}:{data.check_name} {verdict}"
        elif kind == "STEP_FAILURE":
            detail = root_message(event.event_specific_data.error)[:300]
        print(f"{elapsed}  {step:<32} {_SHOWN[kind]} {detail}".rstrip(), file=sys.stderr)


@dg.logger(description="Concise progress lines on stderr (used by `monitor refresh`).")
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    log = logging.getLogger("monitor.progress")
    log.setLevel(logging.DEBUG)
    log.handlers = [_ProgressHandler()]
    log.propagate = False
    return log
