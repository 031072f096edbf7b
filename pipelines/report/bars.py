"""Bar charts in HTML and CSS: a table whose last column draws the value as a bar.

The text is real page text (readable at any width, read by screen readers as a table);
the bars are decoration (aria-hidden) beside the number they show. Used for the ranking of
the member states, the breakdowns of an indicator and the regiekamer's budget; an interval
table draws an estimate with its 95% interval around a zero line (the microdata gaps).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipelines.report.markup import Raw, element_id, esc


@dataclass(frozen=True)
class BarRow:
    cells: tuple[object, ...]  # the row's text cells; the first is its header
    value: float | None
    mark: str = ""  # "focus" (Flanders), "peer" (Belgium), "reference" (EU-27, a total)


def _head(head: Sequence[str], drawing_head: str) -> str:
    """The header row: the text columns, then the drawing's column (named for screen readers)."""
    cells = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    return cells + (
        f'<th scope="col" class="bar-head"><span class="visually-hidden">{esc(drawing_head)}</span></th>'
    )


def _text_cells(head: Sequence[str], cells: Sequence[object]) -> list[str]:
    """A row's text cells: the first its header, each other labelled with its column."""
    out = [f'<th scope="row">{esc(cells[0])}</th>']
    return out + [
        f'<td data-label="{esc(h)}">{esc(c)}</td>' for h, c in zip(head[1:], cells[1:], strict=True)
    ]


def _table(kind: str, cls: str, caption: str, head: Sequence[str], head_html: str, body) -> Raw:
    cid = element_id(kind, f"{caption}|{head}")
    return Raw(
        f'<div class="table-wrap" role="region" aria-labelledby="{cid}" tabindex="0">'
        f'<table class="{cls}"><caption id="{cid}">{esc(caption)}</caption>'
        f"<thead><tr>{head_html}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def bar_table(
    caption: str, head: Sequence[str], rows: Sequence[BarRow], bar_head: str, cls: str = ""
) -> Raw:
    """One row per bar; bars scale from zero to the largest absolute value."""
    top = max((abs(r.value) for r in rows if r.value is not None), default=0) or 1
    body = []
    for row in rows:
        cells = _text_cells(head, row.cells)
        width = 0.0 if row.value is None else max(abs(row.value) / top * 100, 0.5)
        cells.append(
            f'<td class="bar-cell" aria-hidden="true"><span class="bar" '
            f'style="width: {width:.1f}%"></span></td>'
        )
        mark = f' class="mark-{row.mark}"' if row.mark else ""
        body.append(f"<tr{mark}>{''.join(cells)}</tr>")
    return _table("bars", f"data bars {cls}", caption, head, _head(head, bar_head), body)


@dataclass(frozen=True)
class IntervalRow:
    cells: tuple[object, ...]  # the row's text cells; the first is its header
    value: float | None
    low: float | None = None  # the interval, where the data carries one
    high: float | None = None


def interval_table(
    caption: str, head: Sequence[str], rows: Sequence[IntervalRow], drawing_head: str
) -> Raw:
    """One row per estimate; the last column draws it as a dot with its interval as a
    whisker, on one scale symmetric around zero (a dashed line) for every row."""
    ends = [abs(v) for r in rows for v in (r.value, r.low, r.high) if v is not None]
    top = max(ends, default=0) or 1
    x = lambda v: 50 + v / top * 48  # noqa: E731  (percent of the cell, 1% margin each side)
    body = []
    for row in rows:
        cells = _text_cells(head, row.cells)
        marks = ['<span class="zero"></span>']
        if row.low is not None and row.high is not None:
            left, right = x(min(row.low, row.high)), x(max(row.low, row.high))
            marks.append(
                f'<span class="whisker" style="left: {left:.1f}%; width: {right - left:.1f}%"></span>'
            )
        if row.value is not None:
            marks.append(f'<span class="dot" style="left: {x(row.value):.1f}%"></span>')
        cells.append(f'<td class="interval-cell" aria-hidden="true">{"".join(marks)}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    head_html = _head(head, drawing_head)
    return _table("intervals", "data bars intervals", caption, head, head_html, body)


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    value: float
    text: str  # the amount as written in the legend


def stacked_bar(label: str, segments: Sequence[Segment]) -> Raw:
    """One horizontal bar split into segments (each with its own colour and pattern), with a
    legend that names every segment and its amount in the same order."""
    total = sum(s.value for s in segments if s.value > 0) or 1
    parts = "".join(
        f'<span class="segment seg-{i}" data-key="{esc(s.key)}" '
        f'style="width: {s.value / total * 100:.2f}%"></span>'
        for i, s in enumerate(segments)
        if s.value > 0
    )
    legend = "".join(
        f'<li><span class="swatch-box seg-{i}" aria-hidden="true"></span> '
        f"{esc(s.label)}: <strong>{esc(s.text)}</strong></li>"
        for i, s in enumerate(segments)
        if s.value > 0
    )
    return Raw(
        f'<figure class="stacked"><div class="stacked-bar" aria-hidden="true">{parts}</div>'
        f'<figcaption><span class="visually-hidden">{esc(label)}</span>'
        f'<ul class="stacked-legend">{legend}</ul></figcaption></figure>'
    )
