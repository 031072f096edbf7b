"""The Great Expectations Data Docs, copied into the report so the folder is self-contained.

GX's pages load Bootstrap, jQuery and Vega from CDNs and a logo from S3 (with the data
context id in the URL). In the copy those references are removed and links to other hosts
lose their href: the pages still show every validation result, unstyled, offline, and
nothing in the report folder points outside it.
"""

from __future__ import annotations

import re
from pathlib import Path

LOCAL_SITE = Path("gx") / "uncommitted" / "data_docs" / "local_site"
_REMOTE = r"""(?:https?:)?//"""
_SCRIPT = re.compile(rf"""<script\b[^>]*\bsrc=["']{_REMOTE}[^"']*["'][^>]*>\s*</script>""", re.I)
_LINK = re.compile(rf"""<link\b[^>]*\bhref=["']{_REMOTE}[^"']*["'][^>]*/?>""", re.I)
_IMG = re.compile(rf"""<img\b[^>]*\bsrc=["']{_REMOTE}[^"']*["'][^>]*/?>""", re.I)
_HREF = re.compile(rf"""\s(?:href|action|src)=["']{_REMOTE}[^"']*["']""", re.I)
_STATIC = re.compile(r"""\b(href|src)=["'](?:\.\./)*static/""", re.I)
_CSS_URL = re.compile(rf"""url\(\s*['"]?{_REMOTE}[^)]*\)""", re.I)


def strip_remote(html: str) -> str:
    """The page without anything that would load from, or link to, another host."""
    for pattern in (_SCRIPT, _LINK, _IMG):
        html = pattern.sub("", html)
    html = _CSS_URL.sub("none", html)
    return _HREF.sub("", html)


def _static_links(html: str, depth: int) -> str:
    """Links to the site's static/ folder from a page `depth` folders down (GX writes a wrong
    number of ../ on validation pages whose suite name has dots)."""
    return _STATIC.sub(lambda m: f'{m.group(1)}="{"../" * depth}static/', html)


def copy(quality_dir: Path | None, target: str) -> dict[str, str | bytes]:
    """Every file of the Data Docs site under `target/` (empty when there are none)."""
    site = quality_dir / LOCAL_SITE if quality_dir else None
    if site is None or not (site / "index.html").is_file():
        return {}
    files: dict[str, str | bytes] = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        name = f"{target}/{path.relative_to(site).as_posix()}"
        if path.suffix == ".html":
            depth = len(path.relative_to(site).parts) - 1
            files[name] = _static_links(strip_remote(path.read_text(encoding="utf-8")), depth)
        elif path.suffix == ".css":
            files[name] = strip_remote(path.read_text(encoding="utf-8"))
        else:
            files[name] = path.read_bytes()
    return files
