"""Glossary page state: one entry's page (public reference text, no personal data). The search page
needs no state: it searches in the browser (assets/glossary-search.js); what its results show of
each entry is made here (result_row)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from infoshare_widget.base import routes
from infoshare_widget.glossary.entries import DISCIPLINES, Entry, Glossary
from infoshare_widget.glossary.loading import get_glossary


def _labels(disciplines: tuple[str, ...]) -> str:
    return ", ".join(DISCIPLINES[d] for d in disciplines)


@dataclasses.dataclass
class MeaningView:
    """One meaning, as the page shows it."""

    expansion: str = ""
    meaning: str = ""
    disciplines: str = ""


@dataclasses.dataclass
class ResultRow:
    """What a results list shows of an entry."""

    slug: str = ""
    term: str = ""
    expansion: str = ""
    disciplines: str = ""
    meaning: str = ""
    others: list[MeaningView] = dataclasses.field(default_factory=list)
    local: bool = False


@dataclasses.dataclass
class Link:
    """A labelled link."""

    label: str = ""
    href: str = ""


@dataclasses.dataclass
class EntryView:
    """An entry page: every meaning, variants, related terms and sources."""

    term: str = ""
    expansion: str = ""
    meanings: list[MeaningView] = dataclasses.field(default_factory=list)
    variants: str = ""
    related: list[Link] = dataclasses.field(default_factory=list)
    sources: list[Link] = dataclasses.field(default_factory=list)
    reviewed: str = ""
    local: bool = False


def _meaning_view(meaning) -> MeaningView:
    return MeaningView(meaning.expansion, meaning.meaning, _labels(meaning.disciplines))


def result_row(entry: Entry) -> ResultRow:
    """What a results list shows of an entry."""
    return ResultRow(
        slug=entry.slug,
        term=entry.term,
        expansion=entry.expansion,
        disciplines=_labels(entry.disciplines),
        meaning=entry.meanings[0].meaning,
        others=[_meaning_view(m) for m in entry.meanings[1:]],
        local=entry.local,
    )


class GlossaryEntryState(rx.State):
    """One entry, by the slug in the page's address."""

    found: bool = True
    entry: EntryView = EntryView()

    @rx.event
    def load(self):
        """Look up the entry named in the URL."""
        slug = str(self.router.page.params.get("slug", "")) or self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        glossary = get_glossary()
        entry = glossary.by_slug.get(slug)
        self.found = entry is not None
        self.entry = entry_view(glossary, entry) if entry is not None else EntryView()


def entry_view(glossary: Glossary, entry: Entry) -> EntryView:
    """Everything the entry page shows."""
    terms = {e.term.casefold(): e for e in glossary.entries}
    related = [terms[t.casefold()] for t in entry.related if t.casefold() in terms]
    sources = dict.fromkeys(glossary.sources[m.source] for m in entry.meanings if m.source in glossary.sources)
    return EntryView(
        term=entry.term,
        expansion=entry.expansion,
        meanings=[_meaning_view(m) for m in entry.meanings],
        variants=", ".join(entry.variants),
        related=[Link(r.term, routes.glossary_entry(r.slug)) for r in related],
        sources=[Link(s.title, s.url) for s in sources],
        reviewed=f"{entry.reviewed:%-d %B %Y}" if entry.reviewed else "",
        local=entry.local,
    )
