"""Small HTML building blocks: escaping, tables, icons and the page frame every page shares."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from pipelines.report import routes
from pipelines.report.i18n import ui


class Raw(str):
    """Markup that is already safe HTML (never escaped again)."""


def esc(value: object) -> Raw:
    if isinstance(value, Raw):
        return value
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


def table(
    caption: object,
    head: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    row_headers: bool = True,
    cls: str = "data",
    row_attrs: Iterable[dict] | None = None,
) -> Raw:
    """A data table: column headers with scope=col, the first cell of each row a row header."""
    head_html = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    attrs_list = list(row_attrs) if row_attrs is not None else None
    body = []
    for i, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row):
            cells.append(
                f'<th scope="row">{esc(cell)}</th>' if j == 0 and row_headers else tag("td", cell)
            )
        extra = attrs_list[i] if attrs_list else {}
        body.append(tag("tr", Raw("".join(cells)), **extra))
    return Raw(
        f'<div class="table-wrap"><table class="{cls}"><caption>{esc(caption)}</caption>'
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
) -> str:
    """The full HTML document: skip link, header with the SAMPLE banner, nav, main, footer."""
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
<p>{esc(ui(lang, "footer", db=frame.db_name))} {esc(frame.publication_id)} · code {esc(frame.code_version)}</p>
</footer>
</body>
</html>
"""
