"""Search behaviour on a small, fixed glossary: tiers, prefixes, typos, filters, ambiguity."""

import pytest

from infoshare_widget.glossary.entries import Entry
from infoshare_widget.glossary.search import SearchIndex, normalize


def entry(term, expansion, meaning, disciplines=("social-care",), variants=(), others=()):
    meanings = [{"expansion": expansion, "meaning": meaning, "disciplines": list(disciplines), "source": "X"}]
    meanings += [{"expansion": e, "meaning": m, "disciplines": list(d), "source": "X"} for e, m, d in others]
    return Entry.model_validate({"term": term, "variants": list(variants), "meanings": meanings})


ENTRIES = [
    entry("s47", "Section 47 enquiry", "An enquiry into suspected significant harm.", ("social-care", "police"),
          variants=("section 47", "sec 47")),
    entry("CAMHS", "Child and Adolescent Mental Health Services", "NHS mental health help for children.", ("health",)),
    entry("Caldicott Guardian", "Caldicott Guardian", "A senior person who protects patient confidentiality.",
          ("health", "social-care")),
    entry("Gillick competence", "Gillick competence", "Whether a child can consent to their own treatment.",
          ("health", "legal")),
    entry("SAR", "Subject access request", "A person's request to see the data held about them.",
          ("information-governance",),
          others=[("Safeguarding Adults Review", "A review after an adult at risk died or was seriously harmed.",
                   ("adult-safeguarding",))]),
    entry("CP", "Child protection", "Action to protect a child from significant harm."),
    entry("CP plan", "Child protection plan", "The plan agreed at a conference."),
    entry("CPOMS", "CPOMS", "A school system for recording safeguarding concerns.", ("education",)),
    entry("MASH", "Multi-Agency Safeguarding Hub", "Where agencies share information about referrals.",
          ("multi-agency",), variants=("front door",)),
    entry("Strategy discussion", "Strategy discussion", "A multi-agency discussion that decides on a s47 enquiry.",
          ("social-care", "police", "health")),
]
INDEX = SearchIndex(ENTRIES)


def top(query, **kwargs):
    return [hit.entry.term for hit in INDEX.search(query, **kwargs)]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("s47", "s47"),
        ("S47", "s47"),
        ("section 47", "s47"),
        ("sec 47", "s47"),
        ("s 47", "s47"),
        ("camhs", "CAMHS"),
        ("cahms", "CAMHS"),
        ("caldicot", "Caldicott Guardian"),
        ("gilick", "Gillick competence"),
        ("mental health", "CAMHS"),
        ("multi agency safeguarding", "MASH"),
        ("front door", "MASH"),
        ("strat", "Strategy discussion"),
        ("confidentiality", "Caldicott Guardian"),
        ("subject access", "SAR"),
        ("safeguarding adults review", "SAR"),
    ],
)
def test_queries_find_the_expected_entry_first(query, first):
    assert top(query)[0] == first


def test_exact_term_beats_prefix_beats_words():
    results = INDEX.search("cp")
    assert [h.entry.term for h in results[:3]] == ["CP", "CP plan", "CPOMS"]
    assert results[0].score > results[1].score > results[2].score


def test_prefix_as_you_type():
    assert top("cpo")[0] == "CPOMS"
    assert top("gil")[0] == "Gillick competence"


def test_word_match_outranks_meaning_match_and_typos_rank_last():
    scores = {h.entry.term: h for h in INDEX.search("protection")}
    assert scores["CP"].matched == "words"
    typo = INDEX.search("cahms")[0]
    assert typo.matched == "typo" and typo.score < 450


def test_discipline_filter():
    assert top("s47", discipline="health") == ["Strategy discussion"]
    assert "s47" in top("s47", discipline="police")


def test_an_ambiguous_acronym_returns_one_entry_with_every_meaning():
    hit = INDEX.search("SAR")[0]
    assert [m.expansion for m in hit.entry.meanings] == ["Subject access request", "Safeguarding Adults Review"]
    assert hit.entry.ambiguous


@pytest.mark.parametrize("query", ["", "   ", "!!!", "the", "x" * 5000, "\x00\x01", "zzzzzzzz"])
def test_odd_queries_give_nothing_or_something_but_never_fail(query):
    assert isinstance(INDEX.search(query), list)


def test_limit_and_suggestions():
    assert len(INDEX.search("c", limit=2)) == 2
    assert INDEX.search("anything", limit=0) == []
    assert INDEX.suggestions("stratgey discusion")[0].term == "Strategy discussion"


def test_normalize():
    assert normalize("Children’s  Guardian!") == "childrens guardian"
    assert normalize("Café") == "cafe"
