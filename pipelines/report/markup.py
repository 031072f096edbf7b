"""Small HTML building blocks: escaping, tables, icons and the page frame every page shares."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from pipelines.report import routes
from pipelines.report.i18n import ui


class Raw(str):
    """Markup that is already safe HTML (never escaped again)."""


def esc(value: object) -> Raw:
    """Escaped text. A float or a bool is refused: numbers go through Fmt (locale, unit,
    decimals), so a raw 0.0352693... or True never reaches a page."""
    if isinstance(value, Raw):
        return value
    if isinstance(value, bool | float):
        raise TypeError(f"unformatted {type(value).__name__} {value!r}: format it with Fmt")
    return Raw(html.escape("" if value is None else str(value)))


def join(parts: Iterable[object], sep: str = "\n") -> Raw:
    return Raw(sep.join(esc(p) for p in parts))


def tag(name: str, content: object = "", **attrs: object) -> Raw:
    """<name attrs>content</name>; attribute names use _ for - and a trailing _ for keywords."""
    rendered = "".join(
        f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' if v is not True else f" {k.rstrip('_')}"
        for k, v in attrs.items()
        if v is not None and v is not False
    )
    return Raw(f"<{name}{rendered}>{esc(content)}</{name}>")


def element_id(prefix: str, text: str) -> str:
    """A stable id from a text (the same on every build)."""
    return f"{prefix}-{hashlib.sha1(text.encode()).hexdigest()[:10]}"


def table(
    caption: object,
    head: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    row_headers: bool = True,
    cls: str = "data",
    row_attrs: Iterable[dict] | None = None,
    caption_id: str | None = None,
) -> Raw:
    """A data table: column headers with scope=col, the first cell of each row a row header.

    Each cell carries its column header as data-label (phones show rows as cards). The
    wrapper may scroll sideways on a narrow screen, so it is a focusable, named region.
    """
    labels = [str(h) for h in head]
    head_html = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    attrs_list = list(row_attrs) if row_attrs is not None else None
    body = []
    for i, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row):
            label = labels[j] if j < len(labels) else None
            if j == 0 and row_headers:
                cells.append(f'<th scope="row">{esc(cell)}</th>')
            else:
                cells.append(tag("td", cell, data_label=label))
        extra = attrs_list[i] if attrs_list else {}
        body.append(tag("tr", Raw("".join(cells)), **extra))
    cid = caption_id or element_id("t", f"{caption}|{labels}")
    return Raw(
        f'<div class="table-wrap" role="region" aria-labelledby="{cid}" tabindex="0">'
        f'<table class="{cls}"><caption id="{cid}">{esc(caption)}</caption>'
        f"<thead><tr>{head_html}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


_ICONS = {
    "check": '<path d="M4 8.5l3 3 5-6"/>',
    "cross": '<path d="M4.5 4.5l7 7M11.5 4.5l-7 7"/>',
    "up": '<path d="M8 12.5V3.5M4.5 7L8 3.5 11.5 7"/>',
    "down": '<path d="M8 3.5v9M4.5 9L8 12.5 11.5 9"/>',
    "flat": '<path d="M3.5 8h9M9 4.5L12.5 8 9 11.5"/>',
    "half": '<path d="M3.5 11.5L12.5 4.5M7 4.5h5.5V10"/>',
    "minus": '<path d="M3.5 8h9"/>',
    "question": '<path d="M5.5 6a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .8-1 1.5v.4"/><circle cx="8" cy="12.6" r=".4"/>',
}


def icon(name: str) -> Raw:
    """A 1em line icon; decorative (the word beside it carries the meaning)."""
    return Raw(
        '<svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" '
        f'focusable="false">{_ICONS[name]}</svg>'
    )


@dataclass(frozen=True)
class Frame:
    """What every page shows: the publication and whether it is sample data."""

    publication_id: str
    published_at: datetime
    is_sample: bool
    code_version: str
    db_name: str
    # published figures per delivery label (delivered, sample, synthetic), for the banner
    data_labels: tuple[tuple[str, int], ...] = ()


def page(
    frame: Frame,
    *,
    lang: str,
    path: str,
    title: str,
    body: object,
    nav_key: str | None,
    other_path: str,
    scripts: Sequence[str] = (),
    footer: object = "",
) -> str:
    """The full HTML document: skip link, header with the SAMPLE banner, nav, main, footer
    (`footer`: what this page's figures come from)."""
    from pipelines.report.i18n import moment, sample_text

    other = "en" if lang == "nl" else "nl"
    link = lambda to: routes.href(path, to)  # noqa: E731
    banner = ""
    if frame.is_sample:
        banner = (
            f'<p class="sample-banner"><strong>{ui(lang, "sample")}</strong> '
            f"<span>{esc(sample_text(dict(frame.data_labels), lang))}</span></p>"
        )
    nav_items = "".join(
        f'<li><a href="{link(routes.page(key, lang))}"'
        + (' aria-current="page"' if key == nav_key else "")
        + f">{esc(ui(lang, 'nav_' + key))}</a></li>"
        for key in routes.NAV
    )
    script_tags = "".join(f'<script src="{link(s)}" defer></script>' for s in scripts)
    published = ui(lang, "published", time=moment(frame.published_at, lang))
    built = ui(
        lang, "footer", db=frame.db_name, publication=frame.publication_id, code=frame.code_version
    )
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · {esc(ui(lang, "site"))}{" · SAMPLE DATA" if frame.is_sample else ""}</title>
<link rel="stylesheet" href="{link(routes.CSS)}">
<link rel="alternate" hreflang="{other}" href="{link(other_path)}">
{script_tags}
</head>
<body>
<a class="skip-link" href="#main">{esc(ui(lang, "skip"))}</a>
<header class="site-header">
{banner}
<div class="header-row">
<p class="site-name"><a href="{link(routes.page("overview", lang))}">{esc(ui(lang, "site"))}</a></p>
<p class="publication">{esc(published)} <span class="pub-id">({esc(frame.publication_id)})</span></p>
<p class="lang-switch"><a href="{link(other_path)}" hreflang="{other}" lang="{other}">{esc(ui(lang, "other_lang"))}</a></p>
</div>
<nav aria-label="{esc(ui(lang, "nav"))}"><ul>{nav_items}</ul></nav>
</header>
<main id="main" tabindex="-1">
<h1>{esc(title)}</h1>
{esc(body)}
</main>
<footer class="site-footer">
{esc(footer)}
<p class="build">{esc(built)}</p>
</footer>
</body>
</html>
"""
