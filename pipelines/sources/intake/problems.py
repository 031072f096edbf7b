"""What a refused delivery reports: every problem with file, sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.sources.base import Refused


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    sheet: str | None = None
    row: int | None = None  # 1-based, as a spreadsheet shows it (row 1 = header)
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class DeliveryError(Refused):
    """A delivery that was refused; nothing of it was snapshotted or loaded."""

    def __init__(self, code: str, problems: list[Problem]):
        self.code = code
        self.problems = problems
        shown = " | ".join(str(p) for p in problems[:20])
        more = f" | ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(
            f"delivery {code} refused ({len(problems)} problem{'s' * (len(problems) != 1)}): "
            f"{shown}{more}"
        )
