"""The vocabulary (registry/vocabulary.yaml): every closed list with Dutch and English labels.

The schema makes `nl` and `en` required on every entry; here a code appears once per list and
a template names the same {fields} in both languages. That every code the registry uses has an
entry is checked with the other cross-file checks (`checks.py`).
"""

from __future__ import annotations

import re
import string
from typing import Any

from pipelines.registry.model import RegistryError

Vocabulary = dict[str, dict[str, dict[str, Any]]]  # list -> code -> entry
AGE_RANGE = re.compile(r"\d+-\d+|\d+\+")  # "20-64", "65+": written as years, no label needed


def index_vocabulary(doc: dict[str, Any]) -> Vocabulary:
    """The lists by name and code; a code twice in a list, or a template whose languages name
    different fields, is an error naming list and code."""
    out: Vocabulary = {}
    for name, body in doc["lists"].items():
        entries: dict[str, dict[str, Any]] = {}
        for entry in body["entries"]:
            where = f"vocabulary.yaml: list {name!r}, code {entry['code']!r}"
            if entry["code"] in entries:
                raise RegistryError(f"{where} appears twice")
            fields = {lang: _fields(entry[lang]) for lang in ("nl", "en")}
            if fields["nl"] != fields["en"]:
                raise RegistryError(
                    f"{where}: the Dutch label fills {sorted(fields['nl'])}, "
                    f"the English one {sorted(fields['en'])}"
                )
            entries[entry["code"]] = entry
        out[name] = entries
    return out


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def bilingual(value: str | dict[str, str] | None) -> tuple[str | None, str | None]:
    """(nl, en) of a registry text: a {nl, en} pair, or a plain string used in both."""
    if value is None:
        return None, None
    if isinstance(value, dict):
        return value["nl"], value["en"]
    return value, value
