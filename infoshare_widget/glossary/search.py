"""Glossary search: an index built once, then fast, forgiving look-ups as you type. Pure: no Reflex.

Ranking, in tiers (a higher tier always wins):
  1000 exact term, 950 exact variant or synonym, 900 exact expansion
   800 prefix of a term or variant (shorter completions first), 700 prefix of an expansion
   600 every word found in the term, variants or expansion (the last word may be a prefix)
   450 every word found, some only in the meaning
   ~400 the query, with its typos corrected, is a whole term, variant or expansion ("ECHP" -> EHCP)
   300 every word found, some only with a typo forgiven (rapidfuzz OSA distance: a swap counts 1),
       fewer edits first; a typo may be in any word ("emergancy protection order")
Within a tier, ties break on the term, alphabetically.
Numbers written as words count as digits, in queries and entries alike: "section forty-seven" is
"section 47".
"""

from __future__ import annotations

import bisect
import functools
import heapq
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from infoshare_widget.base.clock import add_months
from infoshare_widget.glossary.entries import DEFAULT_REVIEW_MONTHS, Entry
from infoshare_widget.glossary.loading import get_glossary

STOP_WORDS = frozenset("a an and are as at be by for from in is it of on or the to with".split())
MAX_QUERY_CHARS = 200
# Weights of where a word was found: term or variant, expansion, meaning.
W_NAME, W_EXPANSION, W_MEANING = 3, 2, 1


_SMALL_NUMBERS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
        " sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {word: 10 * value for value, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}


def browser_rules() -> dict:
    """The constants the browser's search (assets/glossary-search.js) ranks with, carried in the
    glossary page's data so that it holds no copy of them."""
    return {
        "stop_words": sorted(STOP_WORDS),
        "max_query_chars": MAX_QUERY_CHARS,
        "weights": {"name": W_NAME, "expansion": W_EXPANSION, "meaning": W_MEANING},
        "small_numbers": dict(_SMALL_NUMBERS),
        "tens": dict(_TENS),
    }


def _number_at(words: list[str], start: int) -> tuple[int, int] | None:
    """The number spelled by the words from `start` (up to 999), and where it ends; None if none."""
    value, at, end = 0, start, len(words)
    if at + 1 < end and 1 <= _SMALL_NUMBERS.get(words[at], 0) <= 9 and words[at + 1] == "hundred":
        value, at = _SMALL_NUMBERS[words[at]] * 100, at + 2
        if at + 1 < end and words[at] == "and" and (words[at + 1] in _TENS or words[at + 1] in _SMALL_NUMBERS):
            at += 1
    if at < end and words[at] in _TENS:
        value, at = value + _TENS[words[at]], at + 1
        if at < end and 1 <= _SMALL_NUMBERS.get(words[at], 0) <= 9:
            value, at = value + _SMALL_NUMBERS[words[at]], at + 1
    elif at < end and words[at] in _SMALL_NUMBERS:
        value, at = value + _SMALL_NUMBERS[words[at]], at + 1
    return (value, at) if at > start else None


def words_to_numbers(text: str) -> str:
    """Numbers written as words, as digits, in normalized text: "section forty seven" -> "section 47"."""
    words = text.split()
    if not any(w in _SMALL_NUMBERS or w in _TENS for w in words):
        return text
    out: list[str] = []
    at = 0
    while at < len(words):
        found = _number_at(words, at)
        if found:
            out.append(str(found[0]))
            at = found[1]
        else:
            out.append(words[at])
            at += 1
    return " ".join(out)


def normalize(text: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed, number words as digits.

    "Children's  Guardian" -> "childrens guardian"; "Section forty-seven" -> "section 47".
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    text = re.sub(r"['’]", "", text)
    return words_to_numbers(" ".join(re.sub(r"[^a-z0-9]+", " ", text).split()))


def words_of(text: str) -> list[str]:
    """The searchable words of a text."""
    return [w for w in normalize(text).split() if w not in STOP_WORDS]


def _typo_budget(word: str) -> int:
    """How many edits a word may have and still match: none for short words."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


@dataclass(frozen=True)
class _TokenMatch:
    """How one query word matched: entries with the weight of where, the edits a typo needed for each
    entry found only by a typo, and the nearest real words it may be a typo of, fewest edits first."""

    found: dict[int, int]
    typos: dict[int, int]
    corrections: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Hit:
    """One search result: the entry, its score, and how it matched."""

    entry: Entry
    score: float
    matched: str


@dataclass(frozen=True)
class Lookup:
    """What a search box shows: hits (scored, unless browsing) and 'did you mean' suggestions."""

    hits: list[Hit]
    suggestions: list[Entry]
    browsing: bool


class SearchIndex:
    """Everything a query needs, built once from the entries."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries: list[Entry] = list(entries)
        # Ties break on the term, alphabetically: the keys, made once rather than per result.
        self._tie_keys: list[str] = [entry.term.casefold() for entry in self.entries]
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

    def _word_matches(self, token: str, last: bool, *, also_typos: bool = False) -> _TokenMatch:
        """Entries holding this word (or, for the word being typed, a word it starts), with weights.

        Falls back to words within a small typo distance when nothing holds the word itself (or, with
        `also_typos`, adds them anyway: a typo can spell another real word).
        """
        found: dict[int, int] = dict(self._words.get(token, {}))
        if last and len(token) >= 2:
            start = bisect.bisect_left(self._vocabulary, token)
            for word in self._vocabulary[start : start + 200]:
                if not word.startswith(token):
                    break
                for index, weight in self._words[word].items():
                    found[index] = max(found.get(index, 0), weight)
        if found and not also_typos:
            return _TokenMatch(found, {}, ())
        budget = _typo_budget(token)
        if budget == 0:
            return _TokenMatch(found, {}, ())
        typos: dict[int, int] = {}
        corrections: list[tuple[int, str]] = []
        for length in range(len(token) - budget, len(token) + budget + 1):
            candidates = self._by_length.get(length)
            if not candidates:
                continue
            for word, distance, _ in process.extract(
                token, candidates, scorer=OSA.distance, score_cutoff=budget, limit=None
            ):
                if distance == 0:
                    continue
                corrections.append((int(distance), word))
                for index, weight in self._words[word].items():
                    if index not in found:
                        typos[index] = min(typos.get(index, budget + 1), int(distance))
                    found[index] = max(found.get(index, 0), weight)
        return _TokenMatch(found, typos, tuple(sorted(corrections)))

    def _corrected_names(self, words: list[str], matches: dict[int, _TokenMatch]) -> dict[int, float]:
        """Entries one of whose names is the query with its typos corrected, scored ~400 less the edits.

        `matches` maps the position of each word that needed a typo forgiven to its match; the
        nearest corrections of each (at most 3) are tried in every combination (at most 27).
        """
        options: list[list[tuple[int, str]]] = []
        for position, word in enumerate(words):
            match = matches.get(position)
            if match is None or not match.corrections:
                options.append([(0, word)])
            else:
                as_typed = [(0, word)] if word in self._words else []
                options.append(as_typed + list(match.corrections[:3]))
        scores: dict[int, float] = {}
        for combination in itertools.islice(itertools.product(*options), 27):
            edits = sum(distance for distance, _ in combination)
            name = " ".join(word for _, word in combination)
            owners = [*self._names.get(name, {}).items(), *self._compact.get(name.replace(" ", ""), {}).items()]
            for index, exact in owners:
                score = 400.0 + (exact - 900.0) / 4 - 5.0 * edits
                scores[index] = max(scores.get(index, 0.0), score)
        return scores

    def _all_words(
        self, tokens: list[str], scores: dict[int, tuple[float, str]], *, also_typos: bool
    ) -> tuple[bool, list[_TokenMatch]]:
        """Score, into `scores`, entries holding every word of the query, by tier; whether any did,
        and each word's match."""
        matches = [
            self._word_matches(token, last=(i == len(tokens) - 1), also_typos=also_typos)
            for i, token in enumerate(tokens)
        ]
        if not all(match.found for match in matches):
            return False, matches
        if len(matches) == 1:
            common: Iterable[int] = matches[0].found
        else:
            common = set.intersection(*(set(match.found) for match in matches))
        if len(matches) == 1 and not matches[0].typos:
            # One word, no typo (most keystrokes: a prefix being typed): no per-entry lists.
            for index, weight in matches[0].found.items():
                score, how = (600.0 + weight, "words") if weight >= W_EXPANSION else (450.0 + weight, "meaning")
                if score > scores.get(index, (0.0, ""))[0]:
                    scores[index] = (score, how)
            return True, matches
        typo_words = [match.typos for match in matches if match.typos]
        any_found = False
        for index in common:
            any_found = True
            weights = [match.found[index] for match in matches]
            edits = sum(typos.get(index, 0) for typos in typo_words) if typo_words else 0
            if edits:
                score, how = 300.0 + sum(weights) - edits, "typo"
            elif min(weights) >= W_EXPANSION:
                score, how = 600.0 + sum(weights), "words"
            else:
                score, how = 450.0 + sum(weights), "meaning"
            if score > scores.get(index, (0.0, ""))[0]:
                scores[index] = (score, how)
        return any_found, matches

    def search(self, query: str, *, discipline: str | None = None, limit: int = 10) -> list[Hit]:
        """Ranked entries for a query, optionally only those used in one discipline."""
        key = normalize(query[:MAX_QUERY_CHARS])
        if not key or limit <= 0:
            return []
        scores: dict[int, tuple[float, str]] = {
            index: (score, "name") for index, score in self._name_scores(key).items()
        }
        words = key.split()
        positions = [i for i, w in enumerate(words) if w not in STOP_WORDS] or list(range(len(words)))
        tokens = [words[i] for i in positions]
        found, matches = self._all_words(tokens, scores, also_typos=False)
        if not found and len(tokens) > 1:
            # A typo may spell another real word ("led" for "lead"): try every word's near misses too.
            found, matches = self._all_words(tokens, scores, also_typos=True)
        typo_matches = {positions[i]: m for i, m in enumerate(matches) if m.corrections}
        if typo_matches:
            for index, score in self._corrected_names(words, typo_matches).items():
                if score > scores.get(index, (0.0, ""))[0]:
                    scores[index] = (score, "typo")
        if discipline:
            scores = {i: s for i, s in scores.items() if discipline in self.entries[i].disciplines}
        tie_keys = self._tie_keys
        best = heapq.nsmallest(limit, scores.items(), key=lambda item: (-item[1][0], tie_keys[item[0]]))
        return [Hit(self.entries[index], score, how) for index, (score, how) in best]

    def browse(self, discipline: str | None = None) -> list[Entry]:
        """Every entry (of one discipline), alphabetically: for browsing without a query."""
        chosen = [e for e in self.entries if discipline is None or discipline in e.disciplines]
        return sorted(chosen, key=lambda e: e.term.casefold())

    def lookup(self, query: str, *, discipline: str | None = None, limit: int = 10) -> Lookup:
        """What a search box shows (the page in the browser does the same, assets/glossary-search.js):
        with words, the ranked entries, and 'did you mean' when none; without words but with a
        discipline, its entries alphabetically; with neither, nothing."""
        if not query.strip():
            entries = self.browse(discipline)[:limit] if discipline else []
            return Lookup([Hit(entry, 0.0, "browse") for entry in entries], [], browsing=True)
        hits = self.search(query, discipline=discipline, limit=limit)
        return Lookup(hits, [] if hits else self.suggestions(query), browsing=False)

    def suggestions(self, query: str, limit: int = 3) -> list[Entry]:
        """'Did you mean': the entries whose names are nearest a query that found nothing (edits for
        the length, at most half), nearest first. The browser does exactly this too
        (assets/glossary-search.js), so the page and the API suggest the same."""
        key = normalize(query[:MAX_QUERY_CHARS])
        if not key:
            return []
        ranked = []
        for name, owners in self._names.items():
            distance = OSA.distance(key, name) / max(len(key), len(name))
            if distance <= 0.5:
                ranked += [(distance, self._tie_keys[index], index) for index in owners]
        ranked.sort(key=lambda item: (item[0], item[1]))
        return [self.entries[index] for index in dict.fromkeys(index for _, _, index in ranked)][:limit]


def _next_review(entry: Entry) -> str | None:
    due = entry.next_review or (add_months(entry.reviewed, DEFAULT_REVIEW_MONTHS) if entry.reviewed else None)
    return due.isoformat() if due else None


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
        # When it must be checked again: its own date, else 12 months after its review.
        "next_review": _next_review(entry),
        "local": entry.local,
    }
    if score is not None:
        body["score"] = score
    return body


@functools.cache
def get_search_index() -> SearchIndex:
    """The index over this process's glossary, built once at start."""
    return SearchIndex(get_glossary().entries)
