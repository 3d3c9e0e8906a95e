"""Finding glossary terms in running text, so pages can explain them in place. Pure: no Reflex.

Terms and variants written in capitals or with digits (MASH, s47, DPO) match only as written;
other terms (significant harm, consent) match in any case. Whole words only; the longest name wins
where names overlap. Each term is marked once per text, at its first appearance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from infoshare_widget.glossary.entries import Entry

MIN_NAME_CHARS = 2


@dataclass(frozen=True)
class TermMark:
    """A glossary term found in text: the words as written, and the entry they stand for."""

    text: str
    entry: Entry


def _is_code(name: str) -> bool:
    """Acronyms and codes (MASH, s47, CP-IS) must match exactly as written."""
    return any(c.isdigit() for c in name) or sum(c.isupper() for c in name) >= 2


class TermFinder:
    """Matches every term and variant of a glossary in text."""

    def __init__(self, entries: Iterable[Entry]):
        self._exact: dict[str, Entry] = {}
        self._folded: dict[str, Entry] = {}
        for entry in entries:
            for name in (entry.term, *entry.variants):
                if len(name) < MIN_NAME_CHARS:
                    continue
                if _is_code(name):
                    self._exact.setdefault(name, entry)
                else:
                    self._folded.setdefault(name.casefold(), entry)
        names = sorted({*self._exact, *self._folded}, key=len, reverse=True)
        alternation = "|".join(re.escape(n) for n in names) or r"(?!x)x"
        self._pattern = re.compile(rf"(?<![\w-])({alternation})(?![\w-])", re.IGNORECASE)

    def _entry_for(self, found: str) -> Entry | None:
        return self._exact.get(found) or self._folded.get(found.casefold())

    def split(self, text: str, already: set[str] | None = None) -> list[str | TermMark]:
        """The text as plain pieces and marked terms, each term marked at its first appearance.

        `already` holds slugs explained earlier on the same page; they are not marked again, and
        the slugs marked here are added to it.
        """
        pieces: list[str | TermMark] = []
        seen: set[str] = already if already is not None else set()
        position = 0
        for match in self._pattern.finditer(text):
            entry = self._entry_for(match.group(1))
            if entry is None or entry.slug in seen:
                continue
            seen.add(entry.slug)
            if match.start() > position:
                pieces.append(text[position : match.start()])
            pieces.append(TermMark(match.group(1), entry))
            position = match.end()
        if position < len(text):
            pieces.append(text[position:])
        return pieces
