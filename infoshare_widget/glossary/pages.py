"""Glossary pages: search as you type, browse by discipline, and one page per entry."""

from __future__ import annotations

import json

import reflex as rx
from infoshare_widget.compat.react_router import router_link

from infoshare_widget.base import routes
from infoshare_widget.components.layout import page_layout
from infoshare_widget.glossary.entries import DISCIPLINES
from infoshare_widget.glossary.loading import get_glossary
from infoshare_widget.glossary.search import MAX_QUERY_CHARS, browser_rules, get_search_index
from infoshare_widget.base.settings import glossary_browser_max
from infoshare_widget.glossary.state import GlossaryEntryState, MeaningView, ResultRow, result_row


def _also_means(others: list[MeaningView]) -> rx.Component:
    """For ambiguous terms: every other meaning, labelled with who uses it."""
    if not others:
        return rx.fragment()
    return rx.el.div(
        rx.el.p(rx.el.strong("Also means:"), class_name="also__title"),
        rx.el.ul(
            *[rx.el.li(rx.el.strong(m.expansion), rx.el.span(" in ", m.disciplines, class_name="also__where"), ": ",
                       m.meaning) for m in others],
            class_name="list list--bullet",
        ),
        class_name="also",
    )


def _result(index: int, row: ResultRow) -> rx.Component:
    """One entry's result, in the page from the start and hidden until a search finds it."""
    return rx.el.li(
        router_link(
            rx.el.span(row.term, class_name="result__term"),
            rx.el.span(row.expansion, class_name="result__expansion"),
            to=routes.glossary_entry(row.slug),
            class_name="result__link",
        ),
        rx.el.p(row.disciplines, rx.el.span("Local term", class_name="tag") if row.local else rx.fragment(),
                class_name="result__disciplines"),
        rx.el.p(row.meaning, class_name="result__meaning"),
        _also_means(row.others),
        class_name="result",
        hidden=True,
        data_i=str(index),
    )


def _discipline_buttons() -> rx.Component:
    return rx.el.ul(
        *[
            rx.el.li(rx.el.button(label, type="button", class_name="link-button", data_glossary_discipline=key))
            for key, label in DISCIPLINES.items()
        ],
        class_name="disciplines",
    )


def search_data(entries) -> str:
    """What the browser builds its search index from (assets/glossary-search.js): the constants it
    ranks with (search.browser_rules), and each entry's term, variants, meanings (expansion and
    text), disciplines and slug, in the index's order."""
    rows = [[e.term, list(e.variants), [[m.expansion, m.meaning] for m in e.meanings], list(e.disciplines), e.slug]
            for e in entries]
    data = {"rules": browser_rules(), "entries": rows}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def glossary_page() -> rx.Component:
    """Search box, discipline filter, results (or did you mean, or browse by discipline). The search
    runs in the browser (assets/glossary-search.js): typing sends nothing to the server."""
    glossary = get_glossary()
    entries = get_search_index().entries
    # A glossary of ordinary size is searched in the browser; a very large one through the API.
    in_browser = len(entries) <= glossary_browser_max()
    return page_layout(
        rx.script(src="/glossary-keys.js"),
        rx.script(src="/glossary-search.js"),
        rx.el.script(search_data(entries), type="application/json", id="glossary-index") if in_browser
        else rx.fragment(),
        # Shown by assets/flow.js while a decision is under way: back to the same question.
        router_link("Back to your question", to=routes.DECIDE, class_name="back-link", hidden=True,
                               data_flow_return="",
                               on_mount=rx.run_script("window.infoshareFlow?.mounted()")),
        rx.el.h1("Glossary", class_name="heading-l"),
        rx.el.p(
            f"Jargon from every agency in plain English: {len(glossary.entries)} terms. "
            "Type a term, an acronym or words from its meaning.",
            class_name="lead",
        ),
        rx.el.form(
            rx.el.div(
                rx.el.label("Search the glossary", html_for="glossary-search", class_name="label"),
                rx.el.div(
                    "For example: s47, MARAC, strategy, front door. Press / to come back here.",
                    id="glossary-search-hint",
                    class_name="hint",
                ),
                rx.el.input(
                    type="search",
                    id="glossary-search",
                    name="q",
                    auto_complete="off",
                    spell_check=False,
                    max_length=MAX_QUERY_CHARS,
                    aria_describedby="glossary-search-hint",
                    aria_controls="glossary-results",
                    class_name="input",
                    # The search starts (and what was searched before comes back) once it is on screen.
                    on_mount=rx.run_script("window.infoshareGlossary?.mount()"),
                ),
                class_name="form-group",
            ),
            rx.el.div(
                rx.el.label("Discipline", html_for="glossary-discipline", class_name="label"),
                rx.el.select(
                    rx.el.option("All disciplines", value=""),
                    *[rx.el.option(label, value=key) for key, label in DISCIPLINES.items()],
                    id="glossary-discipline",
                    class_name="select",
                ),
                class_name="form-group",
            ),
            on_submit=rx.prevent_default,
            role="search",
            class_name="glossary-search",
        ),
        rx.el.p(id="glossary-count", role="status", class_name="result-count"),
        rx.el.ul(*[_result(i, result_row(e)) for i, e in enumerate(entries)], id="glossary-results",
                 class_name="results")
        if in_browser
        else rx.el.ul(id="glossary-results", class_name="results", data_search_api="/api/v1/glossary/search",
                      data_discipline_labels=json.dumps(DISCIPLINES)),
        rx.el.div(
            rx.el.h2("No entries match", class_name="heading-m"),
            rx.el.div(
                rx.el.p("Did you mean:"),
                rx.el.ul(id="glossary-suggestions", class_name="list list--bullet"),
                id="glossary-did-you-mean",
                hidden=True,
            ),
            rx.el.p("Check the spelling, try fewer words, or browse by discipline."),
            _discipline_buttons(),
            id="glossary-empty",
            class_name="empty",
            hidden=True,
        ),
        rx.el.section(rx.el.h2("Browse by discipline", class_name="heading-m"), _discipline_buttons(),
                      id="glossary-browse"),
        current="glossary",
        footer_note=f"Glossary version {glossary.version}, last reviewed {glossary.last_reviewed:%-d %B %Y}.",
        contacts_notice=False,
    )


def entry_page() -> rx.Component:
    """One entry at its stable link, with every meaning, variants, related terms and sources."""
    entry = GlossaryEntryState.entry
    return page_layout(
        router_link("Back to the glossary", to=routes.GLOSSARY, class_name="back-link"),
        rx.cond(
            GlossaryEntryState.found,
            rx.el.article(
                rx.el.h1(entry.term, class_name="heading-l"),
                rx.el.p(entry.expansion, class_name="lead"),
                rx.cond(entry.local, rx.el.p(rx.el.span("Local term", class_name="tag"))),
                rx.cond(
                    entry.meanings.length() > 1,
                    rx.el.div(
                        "This term means different things in different disciplines. Check which one is meant.",
                        class_name="inset",
                    ),
                ),
                rx.foreach(
                    entry.meanings,
                    lambda m: rx.el.section(
                        rx.el.h2(m.expansion, class_name="heading-m"),
                        rx.el.p("Used in: ", m.disciplines, class_name="result__disciplines"),
                        rx.el.p(m.meaning),
                        class_name="meaning",
                    ),
                ),
                rx.el.dl(
                    rx.cond(
                        entry.variants != "",
                        rx.el.div(rx.el.dt("Also written as"), rx.el.dd(entry.variants), class_name="facts__row"),
                    ),
                    rx.cond(
                        entry.related.length() > 0,
                        rx.el.div(
                            rx.el.dt("Related"),
                            rx.el.dd(
                                rx.foreach(
                                    entry.related,
                                    lambda r: router_link(r.label, to=r.href, class_name="related"),
                                )
                            ),
                            class_name="facts__row",
                        ),
                    ),
                    rx.el.div(
                        rx.el.dt("Sources"),
                        rx.el.dd(
                            rx.cond(
                                entry.sources.length() > 0,
                                rx.el.ul(
                                    rx.foreach(
                                        entry.sources,
                                        lambda s: rx.el.li(
                                            rx.el.a(s.label, href=s.href, target="_blank", rel="noopener noreferrer")
                                        ),
                                    ),
                                    class_name="list",
                                ),
                                rx.el.span("Written by your partnership"),
                            )
                        ),
                        class_name="facts__row",
                    ),
                    rx.cond(
                        entry.reviewed != "",
                        rx.el.div(rx.el.dt("Last reviewed"), rx.el.dd(entry.reviewed), class_name="facts__row"),
                    ),
                    class_name="facts",
                ),
            ),
            rx.el.div(
                rx.el.h1("Page not found", class_name="heading-l"),
                rx.el.p("There is no glossary entry at this address. Search the glossary instead."),
            ),
        ),
        current="glossary",
        contacts_notice=False,
    )
