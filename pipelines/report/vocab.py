"""The published vocabulary (dim_vocabulary): labels of every closed-list code, looked up
strictly. A code without a label stops the build (MissingLabel) instead of showing a raw
code or an English word on a Dutch page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Row = dict[str, Any]


class MissingLabel(LookupError):
    """A code the report must show has no entry (or no label in a language) in the vocabulary."""


@dataclass(frozen=True)
class Vocabulary:
    entries: dict[str, dict[str, Row]]  # list -> code -> dim_vocabulary row

    @classmethod
    def from_rows(cls, rows: list[Row]) -> Vocabulary:
        entries: dict[str, dict[str, Row]] = {}
        for row in sorted(rows, key=lambda r: (r["list_name"], r["position"])):
            entries.setdefault(row["list_name"], {})[row["code"]] = row
        return cls(entries)

    def _row(self, list_name: str, code: str) -> Row:
        known = self.entries.get(list_name)
        if known is None:
            raise MissingLabel(f"vocabulary list {list_name!r} is not published (dim_vocabulary)")
        row = known.get(code)
        if row is None:
            raise MissingLabel(
                f"code {code!r} has no label in vocabulary list {list_name!r} "
                "(add it to registry/vocabulary.yaml)"
            )
        return row

    def label(self, list_name: str, code: str, lang: str) -> str:
        text = self._row(list_name, code)[f"label_{lang}"]
        if not text:
            raise MissingLabel(f"{list_name}.{code} has no {lang} label")
        return text

    def short(self, list_name: str, code: str, lang: str) -> str:
        """The compact form (a unit's symbol); the label when there is none."""
        row = self._row(list_name, code)
        short = row[f"short_{lang}"]
        return self.label(list_name, code, lang) if short is None else short

    def help(self, list_name: str, code: str, lang: str) -> str | None:
        return self._row(list_name, code)[f"help_{lang}"]

    def codes(self, list_name: str) -> list[str]:
        """Every code of a list in the order of registry/vocabulary.yaml."""
        if list_name not in self.entries:
            raise MissingLabel(f"vocabulary list {list_name!r} is not published (dim_vocabulary)")
        return list(self.entries[list_name])

    def has(self, list_name: str, code: str) -> bool:
        return code in self.entries.get(list_name, {})
