"""Glossary search: an index built once, then fast, forgiving look-ups as you type. Pure: no Reflex.

Ranking, in tiers (a higher tier always wins):
  1000 exact term, 950 exact variant or synonym, 900 exact expansion
   800 prefix of a term or variant (shorter completions first), 700 prefix of an expansion
   600 every word found in the term, variants or expansion (the last word may be a prefix)
   450 every word found, some only in the meaning
   300 every word found, some only with a typo forgiven (rapidfuzz OSA distance: a swap counts 1)
Within a tier, ties break on the term, alphabetically.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from infoshare_widget.glossary.entries import Entry
from infoshare_widget.glossary.loading import get_glossary

STOP_WORDS = frozenset("a an and are as at be by for from in is it of on or the to with".split())
MAX_QUERY_CHARS = 200
# Weights of where a word was found: term or variant, expansion, meaning.
W_NAME, W_EXPANSION, W_MEANING = 3, 2, 1


def normalize(text: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed: "Children's  Guardian" -> "childrens guardian"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    text = re.sub(r"['’]", "", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def words_of(text: str) -> list[str]:
    """The searchable words of a text."""
    return [w for w in normalize(text).split() if w not in STOP_WORDS]


def _typo_budget(word: str) -> int:
    """How many edits a word may have and still match: none for short words."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


@dataclass(frozen=True)
class Hit:
    """One search result: the entry, its score, and how it matched."""

    entry: Entry
    score: float
    matched: str


class SearchIndex:
    """Everything a query needs, built once from the entries."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries: list[Entry] = list(entries)
        # Whole names: normalized term / variant / expansion -> {entry index: score if exact}.
        self._names: dict[str, dict[int, float]] = {}
        # Names without spaces, so "s 47" finds "s47" and "camhs" finds "c a m h s".
        self._compact: dict[str, dict[int, float]] = {}
        # Word -> {entry index: best weight of where the word appears}.
        self._words: dict[str, dict[int, int]] = {}
        for index, entry in enumerate(self.entries):
            names = [(entry.term, 1000.0, 800.0)]
            names += [(variant, 950.0, 800.0) for variant in entry.variants]
            names += [(meaning.expansion, 900.0, 700.0) for meaning in entry.meanings]
            for name, exact, _ in names:
                key = normalize(name)
                if key:
                    self._add(self._names, key, index, exact)
                    self._add(self._compact, key.replace(" ", ""), index, exact - 5)
            for text, weight in [(entry.term, W_NAME), *((v, W_NAME) for v in entry.variants)]:
                self._add_words(text, index, weight)
            for meaning in entry.meanings:
                self._add_words(meaning.expansion, index, W_EXPANSION)
                self._add_words(meaning.meaning, index, W_MEANING)
        self._prefix_names: list[tuple[str, int, float]] = sorted(
            (key, index, 800.0 if exact >= 950 else 700.0)
            for key, owners in self._names.items()
            for index, exact in owners.items()
        )
        self._prefix_keys = [key for key, _, _ in self._prefix_names]
        self._vocabulary = sorted(self._words)
        self._by_length: dict[int, list[str]] = {}
        for word in self._vocabulary:
            self._by_length.setdefault(len(word), []).append(word)

    @staticmethod
    def _add(table: dict[str, dict[int, float]], key: str, index: int, score: float) -> None:
        owners = table.setdefault(key, {})
        owners[index] = max(owners.get(index, 0.0), score)

    def _add_words(self, text: str, index: int, weight: int) -> None:
        for word in words_of(text):
            owners = self._words.setdefault(word, {})
            owners[index] = max(owners.get(index, 0), weight)

    # -- matching -------------------------------------------------------------------------------

    def _name_scores(self, key: str) -> dict[int, float]:
        """Exact and prefix matches on whole names."""
        scores: dict[int, float] = {}
        exact = [*self._names.get(key, {}).items(), *self._compact.get(key.replace(" ", ""), {}).items()]
        for index, score in exact:
            scores[index] = max(scores.get(index, 0.0), score)
        start = bisect.bisect_left(self._prefix_keys, key)
        for position in range(start, min(start + 400, len(self._prefix_keys))):
            name, index, base = self._prefix_names[position]
            if not name.startswith(key):
                break
            if name != key:
                # Whole-word completions first ("cp" -> "cp plan" before "cpoms"), then shorter ones.
                whole_word = 50.0 if name[len(key)] == " " else 0.0
                score = base - min(len(name) - len(key), 49) + whole_word
                scores[index] = max(scores.get(index, 0.0), score)
        return scores

    def _word_matches(self, token: str, last: bool) -> tuple[dict[int, int], bool]:
        """Entries holding this word (or, for the word being typed, a word it starts), with weights.

        Falls back to words within a small typo distance; the flag says a typo was forgiven.
        """
        found: dict[int, int] = dict(self._words.get(token, {}))
        if last and len(token) >= 2:
            start = bisect.bisect_left(self._vocabulary, token)
            for word in self._vocabulary[start : start + 200]:
                if not word.startswith(token):
                    break
                for index, weight in self._words[word].items():
                    found[index] = max(found.get(index, 0), weight)
        if found:
            return found, False
        budget = _typo_budget(token)
        if budget == 0:
            return {}, False
        for length in range(len(token) - budget, len(token) + budget + 1):
            candidates = self._by_length.get(length)
            if not candidates:
                continue
            for word, _, _ in process.extract(
                token, candidates, scorer=OSA.distance, score_cutoff=budget, limit=None
            ):
                for index, weight in self._words[word].items():
                    found[index] = max(found.get(index, 0), weight)
        return found, bool(found)

    def search(self, query: str, *, discipline: str | None = None, limit: int = 10) -> list[Hit]:
        """Ranked entries for a query, optionally only those used in one discipline."""
        key = normalize(query[:MAX_QUERY_CHARS])
        if not key or limit <= 0:
            return []
        scores: dict[int, tuple[float, str]] = {
            index: (score, "name") for index, score in self._name_scores(key).items()
        }
        tokens = [t for t in key.split() if t not in STOP_WORDS] or key.split()
        per_token: list[tuple[dict[int, int], bool]] = [
            self._word_matches(token, last=(i == len(tokens) - 1)) for i, token in enumerate(tokens)
        ]
        if all(found for found, _ in per_token):
            common = set.intersection(*(set(found) for found, _ in per_token))
            typo = any(fuzzy for _, fuzzy in per_token)
            for index in common:
                weakest = min(found[index] for found, _ in per_token)
                total = sum(found[index] for found, _ in per_token)
                if typo:
                    score, how = 300.0 + total, "typo"
                elif weakest >= W_EXPANSION:
                    score, how = 600.0 + total, "words"
                else:
                    score, how = 450.0 + total, "meaning"
                if score > scores.get(index, (0.0, ""))[0]:
                    scores[index] = (score, how)
        if discipline:
            scores = {i: s for i, s in scores.items() if discipline in self.entries[i].disciplines}
        best = heapq.nsmallest(
            limit, scores.items(), key=lambda item: (-item[1][0], self.entries[item[0]].term.casefold())
        )
        return [Hit(self.entries[index], score, how) for index, (score, how) in best]

    def browse(self, discipline: str | None = None) -> list[Entry]:
        """Every entry (of one discipline), alphabetically: for browsing without a query."""
        chosen = [e for e in self.entries if discipline is None or discipline in e.disciplines]
        return sorted(chosen, key=lambda e: e.term.casefold())

    def suggestions(self, query: str, limit: int = 3) -> list[Entry]:
        """'Did you mean': the entries whose names are closest to a query that found nothing."""
        key = normalize(query[:MAX_QUERY_CHARS])
        if not key:
            return []
        names = list(self._names)
        picked: list[Entry] = []
        for name, _, _ in process.extract(key, names, limit=limit * 3):
            for index in self._names[name]:
                entry = self.entries[index]
                if entry not in picked:
                    picked.append(entry)
        return picked[:limit]


def entry_dict(entry: Entry, score: float | None = None) -> dict:
    """An entry as JSON-ready data (the API and exports use this shape)."""
    body = {
        "slug": entry.slug,
        "term": entry.term,
        "expansion": entry.expansion,
        "disciplines": list(entry.disciplines),
        "meanings": [
            {
                "expansion": m.expansion,
                "meaning": m.meaning,
                "disciplines": list(m.disciplines),
                "source": m.source,
            }
            for m in entry.meanings
        ],
        "variants": list(entry.variants),
        "related": list(entry.related),
        "reviewed": entry.reviewed.isoformat() if entry.reviewed else None,
        "local": entry.local,
    }
    if score is not None:
        body["score"] = score
    return body


@functools.cache
def get_search_index() -> SearchIndex:
    """The index over this process's glossary, built once at start."""
    return SearchIndex(get_glossary().entries)
