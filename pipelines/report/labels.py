"""Label placement for the SVG charts: labels that want the same spot are spread apart.

Labels are grouped into columns (labels whose horizontal extents overlap); within a column
each label keeps its wanted height where it can, and crowded labels are spread evenly around
the mean of what they wanted, then kept inside the chart. Pure functions, unit-tested.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    key: str
    x: float  # left edge
    want_y: float  # wanted baseline centre
    width: float


@dataclass(frozen=True)
class Placed:
    key: str
    x: float
    y: float  # centre of the label box
    width: float
    moved: float  # how far it was pushed from where it wanted to be


def text_width(text: str, font_size: float, bold: bool = False) -> float:
    """A generous estimate of a label's width in a sans-serif font (no font metrics here)."""
    wide = sum(1 for c in text if c.isupper() or c in "mwMW%")
    return (len(text) * 0.58 + wide * 0.12) * font_size * (1.08 if bold else 1.0)


def spread(wanted: list[float], gap: float, low: float, high: float) -> list[float]:
    """Positions at least `gap` apart, each as close to its wanted position as the others
    allow, all within [low, high] (when they fit). Order is kept."""
    if not wanted:
        return []
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    clusters: list[list[int]] = []  # indices in wanted order
    tops: list[float] = []

    def top_of(members: list[int]) -> float:
        size = (len(members) - 1) * gap
        mean = sum(wanted[i] for i in members) / len(members)
        return min(max(mean - size / 2, low), max(low, high - size))

    for i in order:
        clusters.append([i])
        tops.append(top_of([i]))
        while len(clusters) > 1 and tops[-2] + len(clusters[-2]) * gap > tops[-1]:
            merged = clusters[-2] + clusters[-1]
            clusters[-2:] = [merged]
            tops[-2:] = [top_of(merged)]
    out = [0.0] * len(wanted)
    for members, top in zip(clusters, tops, strict=True):
        for k, i in enumerate(members):
            out[i] = top + k * gap
    return out


def place(labels: list[Label], line_height: float, low: float, high: float) -> list[Placed]:
    """Every label placed: columns of horizontally overlapping labels are spread vertically."""
    columns: list[list[Label]] = []
    for label in sorted(labels, key=lambda lb: lb.x):
        if columns and label.x < max(lb.x + lb.width for lb in columns[-1]) + 2:
            columns[-1].append(label)
        else:
            columns.append([label])
    placed: list[Placed] = []
    for column in columns:
        ys = spread([lb.want_y for lb in column], line_height, low, high)
        placed += [
            Placed(lb.key, lb.x, y, lb.width, abs(y - lb.want_y))
            for lb, y in zip(column, ys, strict=True)
        ]
    return placed


def overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Two boxes (x0, y0, x1, y1) share area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
