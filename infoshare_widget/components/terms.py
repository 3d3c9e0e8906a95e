"""Glossary terms explained in place: a button on the term opens a popover with its meaning."""

from __future__ import annotations

import itertools

import reflex as rx

from infoshare_widget import routes
from infoshare_widget.glossary.entries import DISCIPLINES
from infoshare_widget.glossary.inline import TermFinder, TermMark
from infoshare_widget.glossary.loading import get_glossary

_ids = itertools.count(1)
_finder: TermFinder | None = None


def _term_finder() -> TermFinder:
    global _finder
    if _finder is None:
        _finder = TermFinder(get_glossary().entries)
    return _finder


class Explained:
    """The popovers of one page state, and which terms they explain (each term once per page)."""

    def __init__(self, popovers: list[rx.Component] | None = None) -> None:
        self.popovers: list[rx.Component] = popovers if popovers is not None else []
        self.slugs: set[str] = set()

    def part(self) -> Explained:
        """For a block shown on its own (one of several alternatives): its own terms, same popovers."""
        return Explained(self.popovers)


def _term(mark: TermMark, popovers: list[rx.Component]) -> rx.Component:
    """The term as a button in the text; its popover goes to `popovers`, for outside the text."""
    entry = mark.entry
    pop_id = f"term-{entry.slug}-{next(_ids)}"
    first = entry.meanings[0]
    words = rx.el.abbr(mark.text, title=first.expansion) if mark.text.replace("-", "").isupper() else mark.text
    popovers.append(
        rx.el.div(
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
    )
    return rx.el.button(words, type="button", class_name="term", custom_attrs={"popoverTarget": pop_id})


def with_terms(text: str, explained: Explained) -> rx.Component:
    """Text with each glossary term in it as a button, at its first appearance on the page.

    The popovers that explain them are added to `explained.popovers`: render those after the
    block, so headings and labels hold only their own words.
    """
    pieces = _term_finder().split(text, explained.slugs)
    if len(pieces) == 1 and isinstance(pieces[0], str):
        return rx.fragment(text)
    return rx.fragment(*[_term(p, explained.popovers) if isinstance(p, TermMark) else p for p in pieces])
