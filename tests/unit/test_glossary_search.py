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


@pytest.mark.parametrize(("query", "discipline", "terms", "suggested", "browsing"), [
    ("", "health", ["Caldicott Guardian", "CAMHS", "Gillick competence", "Strategy discussion"], [], True),
    ("   ", None, [], [], True),  # no words and no discipline: nothing, not everything
    ("s47", None, ["s47", "Strategy discussion"], [], False),
    ("stratgey discusion zzz", None, [], ["Strategy discussion"], False),  # nothing found: did you mean
])
def test_what_a_search_box_shows(query, discipline, terms, suggested, browsing):
    found = INDEX.lookup(query, discipline=discipline)
    assert [hit.entry.term for hit in found.hits] == terms
    assert [entry.term for entry in found.suggestions][:1] == suggested
    assert found.browsing is browsing


def test_normalize():
    assert normalize("Children’s  Guardian!") == "childrens guardian"
    assert normalize("Café") == "cafe"


# -- numbers written as words, and typos in any word ------------------------------------------

from infoshare_widget.glossary.search import words_to_numbers  # noqa: E402


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("section seventeen", "section 17"),
        ("section forty seven", "section 47"),
        ("section twenty", "section 20"),
        ("section thirty one", "section 31"),
        ("one hundred and fifteen", "115"),
        ("section one hundred fifteen", "section 115"),
        ("seventy two hours", "72 hours"),
        ("seven golden rules", "7 golden rules"),
        ("section 47", "section 47"),
        ("part seven", "part 7"),
        ("hundred", "hundred"),
        ("and twenty", "and 20"),
        ("twenty and", "20 and"),
        ("", ""),
    ],
)
def test_number_words_become_digits(text, expected):
    assert words_to_numbers(text) == expected


def test_hyphenated_number_words_are_numbers_too():
    assert words_to_numbers(normalize("Section forty-seven")) == "section 47"


MORE = SearchIndex([
    entry("EHCP", "Education, Health and Care Plan", "A legal plan for a child with special educational needs.",
          ("send",), variants=("education health and care plan",)),
    entry("Annual review", "Annual review of an EHCP", "The yearly review of an EHCP.", ("send",),
          variants=("EHCP review",)),
    entry("Article 8", "Article 8 ECHR", "The right to respect for private and family life.", ("legal",),
          variants=("ECHR article 8",)),
    entry("s17", "Section 17 (child in need)", "Help for a child in need.", variants=("section 17",)),
    entry("s47", "Section 47 enquiry", "An enquiry into suspected significant harm.", variants=("section 47",)),
    entry("Section 20", "Section 20 accommodation", "Care by agreement with the parents."),
    entry("EPO", "Emergency Protection Order", "A short court order to keep a child safe.", ("legal",),
          variants=("emergency protection order",)),
    entry("Public law", "Public law", "Cases where the council asks the court for an order to protect a child.",
          ("legal",)),
    entry("DSL", "Designated Safeguarding Lead", "The school's safeguarding lead.", ("education",),
          variants=("designated safeguarding lead",)),
    entry("Designated doctor", "Designated doctor", "A senior doctor who leads on safeguarding.", ("health",)),
    entry("CPC", "Child protection conference", "A meeting that decides on a child protection plan."),
    entry("ICPC", "Initial child protection conference", "The first child protection conference."),
])


def first_in(index, query):
    hits = index.search(query)
    return hits[0].entry.term if hits else None


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("ECHP", "EHCP"),  # two letters swapped in an acronym
        ("echp", "EHCP"),
        ("emergancy protection order", "EPO"),
        ("emergency protecton order", "EPO"),
        ("emergency protection ordr", "EPO"),
        ("designated safegaurding lead", "DSL"),
        ("desginated safeguarding lead", "DSL"),
        ("child protection confernce", "CPC"),
        ("chlid protection conference", "CPC"),
        ("section seventeen", "s17"),
        ("section forty seven", "s47"),
        ("section forty-seven", "s47"),
        ("Section Forty Seven", "s47"),
        ("section twenty", "Section 20"),
    ],
)
def test_typos_in_any_word_and_number_words_find_the_entry_first(query, first):
    assert first_in(MORE, query) == first


def test_a_typo_that_spells_a_whole_name_outranks_typos_in_single_words():
    hits = MORE.search("ECHP")
    assert hits[0].entry.term == "EHCP" and hits[0].matched == "typo"
    assert hits[0].score > hits[1].score
    assert hits[0].score < 450  # typos still rank below any match without one


def test_an_exact_name_still_beats_any_typo_match():
    assert first_in(MORE, "EHCP") == "EHCP" and MORE.search("EHCP")[0].score >= 1000
