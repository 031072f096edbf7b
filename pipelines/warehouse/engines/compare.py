"""Two engines' tables side by side, cell for cell (floats within a relative tolerance).

Rows are compared as multisets: both sides are sorted on every column (floats rounded to
nine significant digits for the sort only), then compared pairwise. The report names the
first differing rows and columns, so a failing equality test says what differs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from pipelines.warehouse.engines.read import Table

REL_TOL = 1e-9
ABS_TOL = 1e-12  # sums that cancel to ~0 (a mean change of 0.0 vs 1e-17)


@dataclass
class TableComparison:
    name: str
    rows_left: int
    rows_right: int
    problems: list[str] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        head = f"{self.name}: {self.rows_left} vs {self.rows_right} rows"
        return head + ("  equal" if self.equal else "\n  " + "\n  ".join(self.problems))


def cells_equal(left: Any, right: Any) -> bool:
    """Equal cells; numbers compare by value (an engine may type a sum as int or decimal),
    floats within REL_TOL (or ABS_TOL near zero)."""
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, int | float) and isinstance(right, int | float):
        if isinstance(left, int) and isinstance(right, int):
            return left == right
        if math.isnan(left) or math.isnan(right):
            return math.isnan(left) and math.isnan(right)
        return math.isclose(left, right, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return left == right


def _sort_key(row: tuple) -> tuple:
    def key(v: Any) -> tuple:
        if v is None:
            return (0, "")
        if isinstance(v, int | float) and not isinstance(v, bool):
            return (1, f"{float(v):.9g}")
        return (2, repr(v))

    return tuple(key(v) for v in row)


def compare_tables(name: str, left: Table, right: Table, max_problems: int = 5) -> TableComparison:
    (left_cols, left_rows), (right_cols, right_rows) = left, right
    result = TableComparison(name, len(left_rows), len(right_rows))
    if left_cols != right_cols:
        result.problems.append(f"columns differ: {left_cols} vs {right_cols}")
        return result
    if len(left_rows) != len(right_rows):
        result.problems.append(f"row counts differ: {len(left_rows)} vs {len(right_rows)}")
    for index, (a, b) in enumerate(
        zip(sorted(left_rows, key=_sort_key), sorted(right_rows, key=_sort_key), strict=False)
    ):
        differing = [c for c, x, y in zip(left_cols, a, b, strict=True) if not cells_equal(x, y)]
        if differing:
            shown = {c: (a[left_cols.index(c)], b[left_cols.index(c)]) for c in differing[:4]}
            result.problems.append(f"sorted row {index}: {shown}")
            if len(result.problems) >= max_problems:
                break
    return result
