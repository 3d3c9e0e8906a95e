"""Glossary terms explained in place: a button on the term opens a popover with its meaning."""

from __future__ import annotations

import reflex as rx

from infoshare_widget.base import routes
from infoshare_widget.glossary.entries import DISCIPLINES
from infoshare_widget.glossary.inline import TermFinder, TermMark
from infoshare_widget.glossary.loading import get_glossary

_finder: TermFinder | None = None


def _term_finder() -> TermFinder:
    global _finder
    if _finder is None:
        _finder = TermFinder(get_glossary().entries)
    return _finder


class Popovers:
    """The meanings of the terms a page explains: one popover per term for the whole page, however
    many of its steps mention it (they all open the same one)."""

    def __init__(self) -> None:
        self.by_slug: dict[str, rx.Component] = {}

    @property
    def all(self) -> list[rx.Component]:
        """Every popover, to render once, outside any part of the page that may be hidden."""
        return list(self.by_slug.values())


class Explained:
    """The terms one page state explains (each marked once in it), and where their popovers go.

    Without a shared `Popovers`, the state keeps its own (render `popovers` after the block)."""

    def __init__(self, shared: Popovers | None = None) -> None:
        self.own = shared is None
        self.registry = shared if shared is not None else Popovers()
        self.slugs: set[str] = set()

    @property
    def popovers(self) -> list[rx.Component]:
        """Popovers to render with this state: its own, or none where the page renders them once."""
        return self.registry.all if self.own else []

    def part(self) -> Explained:
        """For a block shown on its own (one of several alternatives): its own terms, same popovers."""
        part = Explained(self.registry)
        part.own = False
        return part


def _term(mark: TermMark, registry: Popovers) -> rx.Component:
    """The term as a button in the text; its popover (one per page) goes to `registry`."""
    entry = mark.entry
    pop_id = f"term-{entry.slug}"
    first = entry.meanings[0]
    words = rx.el.abbr(mark.text, title=first.expansion) if mark.text.replace("-", "").isupper() else mark.text
    if entry.slug not in registry.by_slug:
        registry.by_slug[entry.slug] = rx.el.div(
            rx.el.strong(entry.term),
            f" ({first.expansion}): " if first.expansion.casefold() != entry.term.casefold() else ": ",
            first.meaning,
            *(
                [
                    rx.el.span(
                        " Also means "
                        + "; ".join(
                            f"{m.expansion} in {', '.join(DISCIPLINES[d] for d in m.disciplines)}"
                            for m in entry.meanings[1:]
                        )
                        + ".",
                        class_name="term__also",
                    )
                ]
                if entry.ambiguous
                else []
            ),
            " ",
            rx.el.a(
                f"More about {entry.term} (opens in a new tab)",
                href=routes.glossary_entry(entry.slug),
                target="_blank",
                rel="noopener",
            ),
            id=pop_id,
            class_name="term__pop",
            role="note",
            custom_attrs={"popover": "auto"},
        )
    return rx.el.button(words, type="button", class_name="term", custom_attrs={"popoverTarget": pop_id})


def with_terms(text: str, explained: Explained) -> rx.Component:
    """Text with each glossary term in it as a button, at its first appearance on the page.

    The popovers that explain them go to `explained`'s registry: render them after the block (or
    once for the page), so headings and labels hold only their own words.
    """
    pieces = _term_finder().split(text, explained.slugs)
    if len(pieces) == 1 and isinstance(pieces[0], str):
        return rx.fragment(text)
    return rx.fragment(*[_term(p, explained.registry) if isinstance(p, TermMark) else p for p in pieces])
