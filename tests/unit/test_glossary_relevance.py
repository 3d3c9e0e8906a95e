"""Relevance on the shipped glossary: what practitioners type finds the right entry in the top three."""

import pytest

from infoshare_widget.glossary.search import get_search_index
from tests.support.relevance import FIRST, ROWS

INDEX = get_search_index()


def test_there_are_enough_rows():
    assert len(ROWS) >= 60


@pytest.mark.parametrize(("query", "term"), ROWS, ids=[q for q, _ in ROWS])
def test_the_expected_entry_is_in_the_top_three(query, term):
    found = [hit.entry.term for hit in INDEX.search(query, limit=3)]
    assert term in found, f"{query!r} gave {found}"


@pytest.mark.parametrize(("query", "term"), FIRST, ids=[q for q, _ in FIRST])
def test_the_expected_entry_comes_first(query, term):
    found = [hit.entry.term for hit in INDEX.search(query, limit=3)]
    assert found[:1] == [term], f"{query!r} gave {found}"


AMBIGUOUS = ["SAR", "ICO", "CP", "NFA", "PPO", "ISO", "RO", "PO", "FTE", "Threshold", "Referral", "Consent"]


@pytest.mark.parametrize("term", AMBIGUOUS)
def test_ambiguous_terms_never_show_just_one_meaning(term):
    hit = INDEX.search(term, limit=1)[0]
    assert hit.entry.term.casefold() == term.casefold()
    assert len(hit.entry.meanings) >= 2
    assert len({d for m in hit.entry.meanings for d in m.disciplines}) >= 2


def test_the_glossary_is_large_and_broad_enough():
    entries = INDEX.entries
    assert len(entries) >= 200
    assert len({d for e in entries for d in e.disciplines}) >= 10
