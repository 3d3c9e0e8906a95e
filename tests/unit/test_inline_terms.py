"""Glossary terms in the decision helper are explained in place, from the glossary, not by hand."""

import re

import pytest

from infoshare_widget.flowchart.chart import DEFAULT_CHART_PATH, get_chart
from infoshare_widget.flowchart.pages import outcome_view, question_view
from infoshare_widget.glossary.inline import TermFinder, TermMark
from infoshare_widget.glossary.loading import get_glossary
from infoshare_widget.base.settings import get_partnership

CHART = get_chart()
GLOSSARY = get_glossary()
FINDER = TermFinder(GLOSSARY.entries)


def terms_in(text: str) -> set[str]:
    """Slugs of every entry the finder marks in the text."""
    return {piece.entry.slug for piece in FINDER.split(text) if isinstance(piece, TermMark)}


def texts_of_question(qid):
    q = CHART.questions[qid]
    return [q.text, q.hint]


def texts_of_outcome(oid):
    o = CHART.outcomes[oid]
    texts = [o.decision, *o.why, *o.how, *(s.text for s in o.next_steps)]
    if o.kind == "seek_advice":
        texts += [q.unsure_note for q in CHART.questions.values()]
    return texts


def _independent_patterns():
    patterns = []
    for entry in GLOSSARY.entries:
        for name in (entry.term, *entry.variants):
            if len(name) < 2:
                continue
            code = any(c.isdigit() for c in name) or sum(c.isupper() for c in name) >= 2
            flags = 0 if code else re.IGNORECASE
            patterns.append((re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", flags), entry.slug))
    return patterns


PATTERNS = _independent_patterns()


def occurrences(text):
    """Every (start, end, slug) where a glossary name appears, found independently of TermFinder."""
    return [(m.start(), m.end(), slug) for pattern, slug in PATTERNS for m in pattern.finditer(text)]


def marked_spans(text):
    spans, position = [], 0
    for piece in FINDER.split(text):
        length = len(piece.text) if isinstance(piece, TermMark) else len(piece)
        if isinstance(piece, TermMark):
            spans.append((position, position + length, piece.entry.slug))
        position += length
    return spans


ALL_TEXTS = [t for qid in CHART.questions for t in texts_of_question(qid)]
ALL_TEXTS += [t for oid in CHART.outcomes for t in texts_of_outcome(oid)]


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_every_glossary_term_in_the_chart_text_is_marked(text):
    spans = marked_spans(text)
    marked = {slug for _, _, slug in spans}
    for start, end, slug in occurrences(text):
        covered = any(s <= start and end <= e for s, e, _ in spans)
        assert slug in marked or covered, f"{slug!r} at {start} in {text!r} has no hint"


def test_the_chart_uses_glossary_terms_at_all():
    assert {"significant-harm", "caldicott-guardian", "consent", "public-task"} <= {
        slug for text in ALL_TEXTS for slug in terms_in(text)
    }


@pytest.mark.parametrize("qid", list(CHART.questions))
def test_each_question_page_carries_a_popover_for_each_marked_term(qid):
    rendered = str(question_view(CHART, qid, CHART.questions[qid]))
    for text in texts_of_question(qid):
        for slug in terms_in(text):
            assert f"id:\"term-{slug}\"" in rendered and f"popoverTarget:\"term-{slug}\"" in rendered, (qid, slug)
            assert f"/glossary/{slug}" in rendered


@pytest.mark.parametrize("oid", list(CHART.outcomes))
def test_each_outcome_page_carries_a_popover_for_each_marked_term(oid):
    rendered = str(outcome_view(CHART, oid, CHART.outcomes[oid], get_partnership()))
    for text in texts_of_outcome(oid):
        for slug in terms_in(text):
            assert f"id:\"term-{slug}\"" in rendered and f"popoverTarget:\"term-{slug}\"" in rendered, (oid, slug)


def test_the_chart_file_has_no_hand_written_definitions_of_glossary_terms():
    """Meanings come from the glossary: no glossary meaning is copied into the chart file."""
    chart_text = DEFAULT_CHART_PATH.read_text(encoding="utf-8")
    for entry in GLOSSARY.entries:
        for meaning in entry.meanings:
            assert meaning.meaning not in chart_text, entry.term


def test_the_decide_page_carries_each_meaning_once_outside_the_steps():
    """One popover per term for the whole page (so the page stays small), opened by every mention."""
    import re

    from infoshare_widget.infoshare_widget import decide

    rendered = str(decide())
    ids = re.findall(r'id:"(term-[a-z0-9-]+)"', rendered)
    assert ids and len(ids) == len(set(ids))
    targets = set(re.findall(r'popoverTarget:"(term-[a-z0-9-]+)"', rendered))
    assert targets == set(ids)
