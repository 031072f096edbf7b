"""Readable one-line messages from Dagster's serialised errors."""


def root_message(error) -> str:
    """The outermost non-Dagster error's last line: the pipeline's own exception (e.g. a
    ParseError naming file and line), not Dagster's wrapper nor the low-level cause under it."""
    while (
        error is not None
        and (error.cls_name or "").startswith("Dagster")
        and getattr(error, "cause", None) is not None
    ):
        error = error.cause
    if error is None:
        return "unknown error"
    lines = [line for line in error.message.strip().splitlines() if line.strip()]
    return lines[-1] if lines else error.cls_name or "unknown error"
