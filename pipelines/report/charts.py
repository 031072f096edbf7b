"""Line charts as inline SVG, drawn in Python (no JavaScript, no chart library).

Each series is a `<g class="series">` with one path and a marker per point; a marker's
`<title>` gives its value and flags. Points with a flag are hollow, breaks in series are
diamonds, break years of the first series get a vertical line, targets a dashed line up to
their year. Colour is never the only cue: every series also has its own dash pattern and
an end label.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipelines.report.markup import Raw, esc

WIDTH, HEIGHT = 760, 380
LEFT, RIGHT, TOP, BOTTOM = 64, 110, 30, 40

# colour (>= 4.5:1 on white), dash pattern, line width; style 0 is the focus series
STYLES = [
    ("#1b4f9c", "", 3.5),
    ("#b3261e", "8 4", 2.2),
    ("#1f1f1f", "2 3", 2.2),
    ("#a04a00", "10 3 2 3", 2),
    ("#00708a", "4 2", 2),
    ("#0b6e4f", "12 4", 2),
    ("#6b5d00", "1 3", 2.4),
]
TARGET_COLOUR = "#6a1b6a"


@dataclass(frozen=True)
class Point:
    x: int
    y: float
    flags: str = ""


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    points: tuple[Point, ...]
    style: int = 0


@dataclass(frozen=True)
class Target:
    level: float
    year: int | None
    label: str


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] with about `count` steps of 1, 2, 2.5 or 5 x 10^k."""
    if hi <= lo:
        lo, hi = lo - 1, hi + 1
    raw = (hi - lo) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start, end = math.floor(lo / step) * step, math.ceil(hi / step) * step
    return [round(start + i * step, 10) for i in range(round((end - start) / step) + 1)]


def style_attrs(style: int) -> str:
    colour, dash, width = STYLES[style % len(STYLES)]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return f'stroke="{colour}" stroke-width="{width}"{dash_attr}'


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    lines: Sequence[Line],
    *,
    fmt: Callable[[float], str],
    point_text: Callable[[Line, Point], str],
    targets: Sequence[Target] = (),
    breaks: Sequence[int] = (),
    break_label: str = "",
    zero_line: bool = False,
    end_labels: bool = True,
) -> Raw:
    """One chart; `fmt` formats axis values, `point_text` gives each marker's title."""
    xs = [p.x for line in lines for p in line.points] + [t.year for t in targets if t.year]
    ys = [p.y for line in lines for p in line.points] + [t.level for t in targets]
    ys += [0.0] if zero_line else []
    x0, x1 = (min(xs), max(xs)) if xs else (0, 1)
    if x0 == x1:
        x0, x1 = x0 - 1, x1 + 1
    ticks = nice_ticks(min(ys), max(ys)) if ys else [0.0, 1.0]
    d0, d1 = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(x: float) -> float:
        return round(LEFT + (x - x0) / (x1 - x0) * plot_w, 1)

    def sy(y: float) -> float:
        return round(TOP + (d1 - y) / (d1 - d0) * plot_h, 1)

    parts = [
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" data-series-count="{len(lines)}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{esc(title)}</title>',
        f'<desc id="{chart_id}-desc">{esc(desc)}</desc>',
        _grid(ticks, sx, sy, x0, x1, fmt),
    ]
    parts += _breaks(breaks, sx, break_label)
    parts += _targets(targets, sx, sy, x0, fmt)
    parts += [_series(line, sx, sy, point_text) for line in lines]
    if end_labels:
        parts.append(_end_labels(lines, sx, sy))
    parts.append("</svg>")
    return Raw("\n".join(parts))


def _grid(ticks, sx, sy, x0: int, x1: int, fmt) -> str:
    out = ['<g class="grid" aria-hidden="true">']
    for t in ticks:
        y = sy(t)
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4}" text-anchor="end">{esc(fmt(t))}</text>')
    span = x1 - x0
    step = 1 if span <= 12 else 2 if span <= 24 else 5
    for year in range(x0, x1 + 1):
        if (year - x0) % step == 0 or year == x1:
            out.append(
                f'<text x="{sx(year)}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{year}</text>'
            )
    out.append("</g>")
    return "\n".join(out)


def _breaks(breaks: Sequence[int], sx, label: str) -> list[str]:
    out = []
    for year in sorted(set(breaks)):
        x = sx(year)
        out.append(
            f'<g class="break-line" aria-hidden="true"><line x1="{x}" x2="{x}" y1="{TOP}" '
            f'y2="{HEIGHT - BOTTOM}"/><text x="{x + 3}" y="{TOP - 6}">{esc(label)} {year}</text></g>'
        )
    return out


def _targets(targets: Sequence[Target], sx, sy, x0: int, fmt) -> list[str]:
    """A dashed line up to the target year, a diamond on it, the label right of the diamond."""
    out, placed = [], []
    for t in sorted(targets, key=lambda t: t.level, reverse=True):
        y = sy(t.level)
        end = sx(t.year) if t.year else WIDTH - RIGHT
        label_y = max([y + 4] + [p + 13 for p in placed if abs(p - (y + 4)) < 13])
        placed.append(label_y)
        out.append(
            f'<g class="target" aria-hidden="true"><line x1="{sx(x0)}" x2="{end}" y1="{y}" y2="{y}" '
            f'stroke="{TARGET_COLOUR}" stroke-dasharray="6 4" stroke-width="1.6"/>'
            f'<path d="M{end} {y - 6}l6 6-6 6-6-6z" fill="{TARGET_COLOUR}"/>'
            f'<text x="{end + 9}" y="{label_y}" fill="{TARGET_COLOUR}">{esc(t.label)} {esc(fmt(t.level))}</text></g>'
        )
    return out


def _series(line: Line, sx, sy, point_text) -> str:
    colour = STYLES[line.style % len(STYLES)][0]
    d = " ".join(f"{'M' if i == 0 else 'L'}{sx(p.x)} {sy(p.y)}" for i, p in enumerate(line.points))
    out = [
        f'<g class="series" data-key="{esc(line.key)}">',
        f'<path class="line" d="{d}" fill="none" {style_attrs(line.style)}/>',
    ]
    for p in line.points:
        x, y, tip = sx(p.x), sy(p.y), f"<title>{esc(point_text(line, p))}</title>"
        if "b" in p.flags:
            out.append(
                f'<path class="point break" d="M{x} {y - 5.5}l5.5 5.5-5.5 5.5-5.5-5.5z" '
                f'fill="#fff" stroke="{colour}" stroke-width="2">{tip}</path>'
            )
        else:
            fill = "#fff" if p.flags else colour
            out.append(
                f'<circle class="point" cx="{x}" cy="{y}" r="3.6" fill="{fill}" stroke="{colour}" '
                f'stroke-width="1.8">{tip}</circle>'
            )
        if p.flags and line.style == 0:
            out.append(
                f'<text class="flag" x="{x}" y="{y - 9}" text-anchor="middle" fill="{colour}">'
                f"{esc(p.flags)}</text>"
            )
    out.append("</g>")
    return "\n".join(out)


def _end_labels(lines: Sequence[Line], sx, sy) -> str:
    """A label after each series' last point, pushed apart so they do not overlap."""
    ends = sorted(
        ((sx(ln.points[-1].x), sy(ln.points[-1].y), ln) for ln in lines if ln.points),
        key=lambda e: (e[0], e[1]),
    )
    out, last = ['<g class="end-labels" aria-hidden="true">'], {}
    for x, y, line in ends:
        y = max(y, last.get(x, -1e9) + 13)
        last[x] = y
        colour = STYLES[line.style % len(STYLES)][0]
        out.append(
            f'<text x="{x + 8}" y="{y + 4}" fill="{colour}" font-weight="{"700" if line.style == 0 else "400"}">'
            f"{esc(line.label)}</text>"
        )
    out.append("</g>")
    return "\n".join(out)


def legend_item(style: int | None, label: str) -> Raw:
    """A legend entry showing the line (colour and dash) beside its name; None: a target."""
    stroke = (
        style_attrs(style)
        if style is not None
        else f'stroke="{TARGET_COLOUR}" stroke-width="1.6" stroke-dasharray="6 4"'
    )
    return Raw(
        f'<li><svg class="swatch" viewBox="0 0 36 10" width="36" height="10" aria-hidden="true">'
        f'<line x1="1" x2="35" y1="5" y2="5" {stroke}/></svg> {esc(label)}</li>'
    )
