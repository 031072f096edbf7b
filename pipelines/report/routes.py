"""Where each page and file lives in the site (paths relative to the site root)."""

from __future__ import annotations

import posixpath

CSS = "assets/report.css"
JS = "assets/filter.js"

_PAGES = {
    "overview": {"nl": "index.html", "en": "en/index.html"},
    "training": {"nl": "opleiding.html", "en": "en/training.html"},
    "changes": {"nl": "wijzigingen.html", "en": "en/changes.html"},
    "quality": {"nl": "kwaliteit.html", "en": "en/quality.html"},
    "method": {"nl": "methode.html", "en": "en/method.html"},
    "sources": {"nl": "bronnen.html", "en": "en/sources.html"},
}
NAV = ("overview", "training", "changes", "quality", "method", "sources")
DATA_DOCS = "data-docs"  # the Great Expectations Data Docs, copied into the report


def page(name: str, lang: str) -> str:
    return _PAGES[name][lang]


def indicator(indicator_id: str, lang: str) -> str:
    return ("" if lang == "nl" else "en/") + f"indicator/{indicator_id}.html"


def download(name: str) -> str:
    """Downloads are shared by both languages (codes plus Dutch and English labels)."""
    return f"data/{name}"


def href(from_page: str, to_path: str) -> str:
    """A relative link from one site file to another ('indicator/x.html' -> '../index.html')."""
    target, _, fragment = to_path.partition("#")
    rel = posixpath.relpath(target, posixpath.dirname(from_page) or ".")
    return rel + (f"#{fragment}" if fragment else "")
