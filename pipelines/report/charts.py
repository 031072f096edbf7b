"""Line charts as inline SVG, drawn in Python (no JavaScript, no chart library).

Each series is a `<g class="series">` with one path and a marker per point; a marker's
`<title>` gives its value and flags. Points with a flag are hollow, breaks in series are
diamonds, break years of the first series get a vertical line, targets a dashed line up to
their year, confidence intervals a vertical bar with caps. Colour is never the only cue:
every series also has its own dash pattern and a label at its end. End labels and target
labels are placed by `labels.place` so they never overlap; a label pushed away from its
line gets a thin leader line to it.

Every chart is drawn twice, at two sizes (`WIDE`, `NARROW`); the stylesheet shows the
narrow one on small screens, so text stays readable at 400 px.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from pipelines.report import labels as lbl
from pipelines.report.markup import Raw, esc


@dataclass(frozen=True)
class Size:
    name: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    font: float


WIDE = Size("wide", 760, 380, 64, 140, 40, 40, 13)
NARROW = Size("narrow", 400, 330, 46, 110, 40, 36, 12)

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
LEADER_COLOUR = "#6b6b6b"


@dataclass(frozen=True)
class Point:
    x: int
    y: float
    flags: str = ""
    low: float | None = None  # confidence interval, where the data carries one
    high: float | None = None


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


@dataclass(frozen=True)
class _Frame:
    size: Size
    x0: int
    x1: int
    d0: float
    d1: float

    def sx(self, x: float) -> float:
        s = self.size
        return round(s.left + (x - self.x0) / (self.x1 - self.x0) * (s.width - s.left - s.right), 1)

    def sy(self, y: float) -> float:
        s = self.size
        plot_h = s.height - s.top - s.bottom
        return round(s.top + (self.d1 - y) / (self.d1 - self.d0) * plot_h, 1)


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
    size: Size = WIDE,
) -> Raw:
    """One chart; `fmt` formats axis values, `point_text` gives each marker's title."""
    xs = [p.x for line in lines for p in line.points] + [t.year for t in targets if t.year]
    ys = [p.y for line in lines for p in line.points] + [t.level for t in targets]
    ys += [v for line in lines for p in line.points for v in (p.low, p.high) if v is not None]
    ys += [0.0] if zero_line else []
    x0, x1 = (min(xs), max(xs)) if xs else (0, 1)
    if x0 == x1:
        x0, x1 = x0 - 1, x1 + 1
    ticks = nice_ticks(min(ys), max(ys)) if ys else [0.0, 1.0]
    widest = max(lbl.text_width(fmt(t), size.font) for t in ticks)
    if widest + 12 > size.left:  # long axis numbers (12,500): a wider left margin
        size = replace(size, left=math.ceil(widest + 12))
    frame = _Frame(size, x0, x1, ticks[0], ticks[-1])
    parts = [
        f'<svg class="chart chart-{size.name}" id="{chart_id}" viewBox="0 0 {size.width} '
        f'{size.height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'data-series-count="{len(lines)}" font-size="{size.font}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{esc(title)}</title>',
        f'<desc id="{chart_id}-desc">{esc(desc)}</desc>',
        _grid(ticks, frame, fmt),
    ]
    parts += _breaks(breaks, frame, break_label)
    parts.append(_target_lines(targets, frame))
    parts += [_series(line, frame, point_text) for line in lines]
    parts.append(_labels(lines if end_labels else [], targets, frame, fmt))
    parts.append("</svg>")
    return Raw("\n".join(parts))


def _year_step(frame: _Frame) -> int:
    """Every year, or every 2nd, 5th, 10th: year labels at least ~3 label widths apart."""
    s = frame.size
    per_year = (s.width - s.left - s.right) / (frame.x1 - frame.x0)
    need = lbl.text_width("2030", s.font) + 10
    return next(step for step in (1, 2, 5, 10, 20, 50) if step * per_year >= need)


def _grid(ticks, frame: _Frame, fmt) -> str:
    s = frame.size
    out = ['<g class="grid" aria-hidden="true">']
    for t in ticks:
        y = frame.sy(t)
        out.append(f'<line x1="{s.left}" x2="{s.width - s.right}" y1="{y}" y2="{y}"/>')
        out.append(f'<text x="{s.left - 6}" y="{y + 4}" text-anchor="end">{esc(fmt(t))}</text>')
    step = _year_step(frame)
    first = frame.x0 + (-frame.x0) % step if step > 1 else frame.x0
    years = list(range(first, frame.x1 + 1, step))
    min_gap = lbl.text_width("2030", s.font) + 6
    if frame.x1 not in years and frame.sx(frame.x1) - frame.sx(years[-1]) >= min_gap:
        years.append(frame.x1)
    for year in years:
        out.append(
            f'<text x="{frame.sx(year)}" y="{s.height - s.bottom + s.font + 8}" text-anchor="middle">'
            f"{year}</text>"
        )
    out.append("</g>")
    return "\n".join(out)


def _breaks(breaks: Sequence[int], frame: _Frame, label: str) -> list[str]:
    """A dotted vertical line per break year; labels that would touch go one row higher."""
    s = frame.size
    out, rows = [], []  # rows: right edge of the last label in each row
    for year in sorted(set(breaks)):
        x = frame.sx(year)
        text = f"{label} {year}"
        width = lbl.text_width(text, s.font)
        left = x - width / 2
        row = next((i for i, edge in enumerate(rows) if left > edge + 4), None)
        if row is None:
            rows.append(0.0)
            row = len(rows) - 1
        rows[row] = left + width
        y = s.top - 8 - row * (s.font + 4)
        out.append(
            f'<g class="break-line" aria-hidden="true"><line x1="{x}" x2="{x}" y1="{y + 3}" '
            f'y2="{s.height - s.bottom}"/><text x="{x}" y="{y}" text-anchor="middle">'
            f"{esc(text)}</text></g>"
        )
    return out


def _target_lines(targets: Sequence[Target], frame: _Frame) -> str:
    """A dashed line up to the target year with a diamond on it (labels come later)."""
    out = ['<g class="target-lines" aria-hidden="true">']
    for t in targets:
        y = frame.sy(t.level)
        end = frame.sx(t.year) if t.year else frame.size.width - frame.size.right
        out.append(
            f'<g class="target"><line x1="{frame.sx(frame.x0)}" x2="{end}" y1="{y}" y2="{y}" '
            f'stroke="{TARGET_COLOUR}" stroke-dasharray="6 4" stroke-width="1.6"/>'
            f'<path d="M{end} {y - 6}l6 6-6 6-6-6z" fill="{TARGET_COLOUR}"/></g>'
        )
    out.append("</g>")
    return "\n".join(out)


def _series(line: Line, frame: _Frame, point_text) -> str:
    colour = STYLES[line.style % len(STYLES)][0]
    d = " ".join(
        f"{'M' if i == 0 else 'L'}{frame.sx(p.x)} {frame.sy(p.y)}"
        for i, p in enumerate(line.points)
    )
    out = [
        f'<g class="series" data-key="{esc(line.key)}">',
        f'<path class="line" d="{d}" fill="none" {style_attrs(line.style)}/>',
    ]
    for p in line.points:
        if p.low is not None and p.high is not None:
            x, lo, hi = frame.sx(p.x), frame.sy(p.low), frame.sy(p.high)
            out.append(
                f'<path class="interval" d="M{x} {lo}V{hi}M{x - 4} {lo}h8M{x - 4} {hi}h8" '
                f'stroke="{colour}" stroke-width="1.3" fill="none" aria-hidden="true"/>'
            )
    for p in line.points:
        x, y, tip = frame.sx(p.x), frame.sy(p.y), f"<title>{esc(point_text(line, p))}</title>"
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
    out.append("</g>")
    return "\n".join(out)


def _labels(lines: Sequence[Line], targets: Sequence[Target], frame: _Frame, fmt) -> str:
    """End labels of the series and the target labels, placed together without overlap.

    Series labels stand in one column right of the latest year any series reaches; target
    labels right of their diamond. A label moved more than a few pixels from its point, or
    standing right of a series that ends earlier, gets a leader line to its point.
    """
    s = frame.size
    font, height = s.font, s.font + 3
    ends = [ln for ln in lines if ln.points]
    column_x = max((frame.sx(ln.points[-1].x) for ln in ends), default=0) + 9
    wanted: list[lbl.Label] = []
    info: dict[str, tuple[str, str, str, float, float]] = {}
    for ln in ends:
        last = ln.points[-1]
        bold = ln.style == 0
        key = f"series:{ln.key}"
        wanted.append(
            lbl.Label(key, column_x, frame.sy(last.y), lbl.text_width(ln.label, font, bold))
        )
        colour = STYLES[ln.style % len(STYLES)][0]
        info[key] = (ln.label, colour, "700" if bold else "400", frame.sx(last.x), frame.sy(last.y))
    for i, t in enumerate(targets):
        x = (frame.sx(t.year) if t.year else s.width - s.right) + 9
        if ends and x < column_x:  # a past target: its label joins the series' column
            x = column_x
        text = f"{t.label} {fmt(t.level)}"
        key = f"target:{i}"
        width = lbl.text_width(text, font, True)
        x = min(x, s.width - 3 - width)  # inside the chart; joins the series' column if need be
        wanted.append(lbl.Label(key, x, frame.sy(t.level), width))
        info[key] = (text, TARGET_COLOUR, "600", x - 9, frame.sy(t.level))
    placed = lbl.place(wanted, height, s.top - 2 + height / 2, s.height - s.bottom)
    boxes = [(p.x, p.y - height / 2, p.x + p.width, p.y + height / 2) for p in placed]
    out = ['<g class="end-labels" aria-hidden="true">']
    for p in placed:
        text, colour, weight, px, py = info[p.key]
        kind = p.key.split(":")[0]
        if kind == "series" and (p.moved > 4 or p.x - px > 12):
            out.append(
                f'<path class="leader" d="M{px + 4} {py}L{p.x - 2} {round(p.y, 1)}" '
                f'stroke="{LEADER_COLOUR}" stroke-width="1" fill="none"/>'
            )
        out.append(
            f'<text class="label label-{kind}" x="{p.x}" y="{round(p.y + font * 0.35, 1)}" '
            f'fill="{colour}" font-weight="{weight}" data-for="{esc(p.key)}">{esc(text)}</text>'
        )
    out += _flag_marks(lines[:1] if lines and lines[0].style == 0 else [], frame, boxes)
    out.append("</g>")
    return "\n".join(out)


def _flag_marks(lines: Sequence[Line], frame: _Frame, taken: list[tuple]) -> list[str]:
    """The flag letters of the focus series above its points (below when above is taken by
    a label; left out when neither is free: the marker is still hollow, the data table and
    the tooltip still say it)."""
    s = frame.size
    size = s.font
    out = []
    for line in lines:
        colour = STYLES[line.style % len(STYLES)][0]
        for p in line.points:
            if not p.flags:
                continue
            x, y = frame.sx(p.x), frame.sy(p.y)
            w = lbl.text_width(p.flags, size) + 2
            for cx, cy in ((x, y - 10), (x, y + 10 + size * 0.7)):
                box = (cx - w / 2, cy - size * 0.8, cx + w / 2, cy + size * 0.2)
                if box[1] >= s.top - 4 and not any(lbl.overlaps(box, b) for b in taken):
                    taken.append(box)
                    out.append(
                        f'<text class="flag" x="{cx}" y="{round(cy, 1)}" text-anchor="middle" '
                        f'fill="{colour}">{esc(p.flags)}</text>'
                    )
                    break
    return out


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
