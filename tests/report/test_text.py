"""The visible text of every page as a reader sees it: no Python values (None, nan, True,
False, raw floats), numbers in the page's notation, no rank above the number ranked, no
English on Dutch pages outside text marked lang="en", no developer notes."""

from __future__ import annotations

import re

import pytest

from tests.report.htmlscan import Node

SKIP_TAGS = {"script", "style", "head"}
# the header's publication id and the footer's build line hold code versions and ids
SKIP_CLASSES = {"pub-id", "build"}

# unambiguous English words (none of them is also Dutch)
ENGLISH = [
    "the", "and", "with", "from", "which", "would", "rank", "target", "targets", "rising",
    "falling", "favourable", "unfavourable", "provisional", "estimated", "source", "sources",
    "licence", "survey", "between", "member", "states", "verdict", "progress", "achieved",
    "points", "thousand", "persons", "none", "yes", "break", "series", "figures",
    "growth", "year", "years", "since", "value", "reached", "compared", "poverty",
]  # fmt: skip
ENGLISH_RE = re.compile(r"\b(" + "|".join(ENGLISH) + r")\b", re.I)
PYTHON_RE = re.compile(r"\b(None|nan|NaN|True|False|null)\b")
RAW_FLOAT_RE = re.compile(r"\d[.,]\d{4,}")
NAMES_RE = re.compile(r"CC BY \d\.\d")  # a licence's name, not a number
DEV_RE = re.compile(r"registry/|wording to verify|TODO|FIXME|seed \d{3}|lines ~", re.I)
DECIMAL = {
    "nl": re.compile(r"(?<![\d.])\d+\.\d{1,2}(?![\d.])"),
    "en": re.compile(r"(?<![\d,])\d+,\d{1,2}(?![\d,])"),
}
RANKS = {
    "nl": re.compile(r"(\d+)e (?:zijn )?van (\d+) lidstaten|plaats (\d+) van (\d+)"),
    "en": re.compile(r"(\d+)(?:st|nd|rd|th) of (\d+) member states|rank (\d+) of (\d+)"),
}


def visible_text(node: Node, lang: str, out: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(text, language) pieces a reader sees, each with the language it is marked with."""
    if node.tag in SKIP_TAGS or SKIP_CLASSES & set(node.attrs.get("class", "").split()):
        return out
    lang = "zxx" if node.tag == "code" else node.attrs.get("lang", lang)  # identifiers
    out.extend((t, lang) for t in node.texts if t.strip())
    for child in node.children:
        visible_text(child, lang, out)
    return out


def _pages_text(pages):
    for rel, page in pages.items():
        lang = page.html.attrs["lang"]
        pieces = visible_text(page.root.find("body"), lang, [])
        yield rel, lang, pieces


def test_no_python_values_or_raw_floats(pages):
    found = []
    for rel, _, pieces in _pages_text(pages):
        for text, _ in pieces:
            for pattern in (PYTHON_RE, RAW_FLOAT_RE, DEV_RE):
                match = pattern.search(text)
                if match:
                    found.append(f"{rel}: {match.group(0)!r} in {text.strip()[:80]!r}")
    assert not found, found[:15]


def test_numbers_are_written_in_the_page_language(pages):
    found = []
    for rel, lang, pieces in _pages_text(pages):
        for text, piece_lang in pieces:
            text = NAMES_RE.sub("", text)
            match = DECIMAL[lang].search(text) if piece_lang == lang else None
            if match:
                found.append(f"{rel}: {match.group(0)!r} in {text.strip()[:80]!r}")
    assert not found, found[:15]


def test_no_rank_above_the_number_ranked(pages):
    ranks = 0
    for rel, lang, pieces in _pages_text(pages):
        for text, _ in pieces:
            for match in RANKS[lang].finditer(text):
                numbers = [int(g) for g in match.groups() if g]
                assert numbers[0] <= numbers[1], f"{rel}: {match.group(0)}"
                ranks += 1
    assert ranks >= 50


def test_dutch_pages_have_no_english_outside_marked_text(pages):
    found = []
    for rel, lang, pieces in _pages_text(pages):
        if lang != "nl":
            continue
        for text, piece_lang in pieces:
            if piece_lang != "nl":
                continue
            for match in ENGLISH_RE.finditer(text):
                found.append(f"{rel}: {match.group(0)!r} in {text.strip()[:80]!r}")
    assert not found, found[:20]


@pytest.mark.parametrize("rel", ["index.html", "indicator/neet_rate.html", "opleiding.html"])
def test_the_scan_would_catch_what_it_looks_for(pages, rel):
    """The scan is not vacuous: the same pages with a planted defect fail it."""
    body = pages[rel].root.find("body")
    planted = Node(
        "p", {}, body, [], ["gaat achteruit (None) 0.035269398168 plaats 28 van 27 the target"]
    )
    body.children.append(planted)
    try:
        texts = [t for t, _ in visible_text(body, "nl", [])]
        joined = " ".join(texts)
        assert PYTHON_RE.search(joined) and RAW_FLOAT_RE.search(joined)
        assert ENGLISH_RE.search(joined)
        bad = [
            m for m in RANKS["nl"].finditer(joined) if int(m.group(3) or 0) > int(m.group(4) or 99)
        ]
        assert bad
    finally:
        body.children.remove(planted)
