"""Everything a page writes about a value, in one language: numbers with their unit, flags,
labels of codes and the reasons of a verdict. One `Fmt` per page; it remembers the flags it
wrote so the page can show their legend."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from datetime import datetime

from pipelines.report import i18n
from pipelines.report.markup import Raw, esc
from pipelines.report.vocab import Vocabulary

DECIMALS = {"pps": 0, "eur": 0, "persons": 0, "count": 0, "ratio": 2, "index": 1}
SYMBOL_UNITS = ("pct",)  # written as a symbol right after the number ("78,0 %")


@dataclass
class Fmt:
    vocab: Vocabulary
    lang: str
    flags_seen: set[str] = field(default_factory=set)

    # -- words ------------------------------------------------------------------
    def pick(self, pair: tuple[str, str]) -> str:
        return i18n.pick(pair, self.lang)

    def label(self, list_name: str, code: str) -> str:
        return self.vocab.label(list_name, code, self.lang)

    def help(self, list_name: str, code: str) -> str | None:
        return self.vocab.help(list_name, code, self.lang)

    def ui(self, key: str, **values: object) -> str:
        return i18n.ui(self.lang, key, **values)

    # -- numbers ----------------------------------------------------------------
    def num(self, value: float | None, decimals: int = 1) -> str:
        return i18n.number(value, self.lang, decimals)

    def decimals(self, unit: str | None) -> int:
        return DECIMALS.get(unit or "", 1)

    def unit(self, unit: str) -> str:
        """The unit's name ('procent', 'duizend personen')."""
        return self.label("units", unit)

    def value(self, value: float | None, unit: str | None, with_unit: bool = True) -> str:
        """A value with its unit's decimals and symbol: '78,0 %', '1.868 duizend personen'."""
        text = self.num(value, self.decimals(unit))
        if value is None or not with_unit or not unit:
            return text
        short = self.vocab.short("units", unit, self.lang)
        if not short:
            return text
        if unit in SYMBOL_UNITS:
            return text + ("\u00a0" + short if self.lang == "nl" else short)
        return f"{text}\u00a0{short}"

    def change(self, value: float | None, unit: str | None, whole: bool = False) -> str:
        """A difference between two values: percentages change in percentage points
        (`whole`: no decimals when the value is a whole number, as in a target)."""
        if value is None:
            return "–"
        decimals = 0 if whole and float(value).is_integer() else self.decimals(unit)
        text = i18n.signed(value, self.lang, decimals)
        if unit in ("pct", "pp"):
            return f"{text}\u00a0{self.vocab.short('units', 'pp', self.lang)}"
        short = self.vocab.short("units", unit, self.lang) if unit else ""
        return f"{text}\u00a0{short}" if short else text

    def growth(self, rate: float | None) -> str:
        """A yearly growth rate (a fraction) as a relative percentage: '+1,2 % per jaar'."""
        if rate is None:
            return "–"
        per = self.pick(("per jaar", "a year"))
        sym = "\u00a0%" if self.lang == "nl" else "%"
        return f"{i18n.signed(rate * 100, self.lang, 2)}{sym} {per}"

    def percent(self, fraction: float | None, decimals: int = 1) -> str:
        if fraction is None:
            return "–"
        return self.num(fraction * 100, decimals) + ("\u00a0%" if self.lang == "nl" else "%")

    def money_m(self, eur: float | None, decimals: int = 1) -> str:
        """Euro in millions: '616,0'."""
        return "–" if eur is None else self.num(eur / 1e6, decimals)

    def moment(self, value: datetime | None) -> str:
        return "–" if value is None else i18n.moment(value, self.lang)

    # -- flags ------------------------------------------------------------------
    def flags_text(self, flags: str | None) -> str:
        """'pb' -> 'voorlopig, breuk in de reeks' (and remembered for the legend)."""
        letters = list(dict.fromkeys(flags or ""))
        self.flags_seen.update(letters)
        return ", ".join(self.label("flags", f) for f in letters)

    def confidential(
        self, value: float | None, flags: str | None, conf_status: str | None
    ) -> str | None:
        """The confidentiality status of a cell without a value ('C', 'D', ...; the older
        files' flag c reads as C), None when the cell is not confidential."""
        if value is not None:
            return None
        if conf_status and conf_status != "F":
            return conf_status
        return "C" if "c" in (flags or "") else None

    def flagged(
        self,
        value: float | None,
        flags: str | None,
        unit: str | None,
        with_unit: bool = True,
        conf_status: str | None = None,
    ) -> Raw:
        """A value with its flags as abbreviations ('78,0 % p'); the page shows the legend. A
        confidential cell shows its status from the vocabulary ('vertrouwelijk c')."""
        secret = self.confidential(value, flags, conf_status)
        if secret:
            text = esc(self.label("confidentiality", secret))
        else:
            text = esc(self.value(value, unit, with_unit))
        letters = list(dict.fromkeys(flags or ""))
        if not letters:
            return text
        self.flags_seen.update(letters)
        marks = "".join(
            f'<abbr title="{esc(self.label("flags", f))}">{esc(f)}</abbr>' for f in letters
        )
        return Raw(f'{text}\u00a0<span class="flags">{marks}</span>')

    # -- templates --------------------------------------------------------------
    def template(self, list_name: str, code: str, values: dict[str, str]) -> str:
        """A vocabulary label with {fields} filled from `values` (already formatted)."""
        text = self.label(list_name, code)
        fields = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        missing = fields - set(values)
        if missing:
            raise KeyError(f"{list_name}.{code} needs {sorted(missing)}")
        return text.format(**{k: values[k] for k in fields})
