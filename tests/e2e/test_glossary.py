"""The glossary in a real Chromium: search as you type, typos, ambiguity, keyboard, entry pages, axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.support import assert_rows_agree
from tests.support.browser import check_accessibility, open_widget, screenshot


def search(page: Page):
    return page.get_by_role("searchbox", name="Search the glossary")


def results(page: Page):
    """The results shown (every entry is in the page; those not found are hidden)."""
    return page.locator("#glossary-results .result:not([hidden])")


def type_query(page: Page, text: str) -> None:
    search(page).fill("")
    search(page).press_sequentially(text, delay=20)


def test_search_as_you_type_finds_the_term_first(page, base_url, axe):
    open_widget(page, base_url, "/glossary")
    check_accessibility(axe, page, "the glossary before a search")
    type_query(page, "s47")
    expect(results(page).first.locator(".result__term")).to_have_text("s47")
    expect(page.get_by_role("status")).to_contain_text("found")
    screenshot(page, "glossary-search")
    check_accessibility(axe, page, "glossary results")


def test_typos_are_forgiven(page, base_url):
    open_widget(page, base_url, "/glossary")
    type_query(page, "cahms")
    expect(results(page).first.locator(".result__term")).to_have_text("CAMHS")


def test_an_ambiguous_acronym_shows_every_meaning(page, base_url, axe):
    open_widget(page, base_url, "/glossary")
    type_query(page, "SAR")
    first = results(page).first
    expect(first.locator(".result__term")).to_have_text("SAR")
    expect(first.get_by_text("Also means:")).to_be_visible()
    expect(first).to_contain_text("Safeguarding Adults Review")
    expect(first).to_contain_text("Subject access request")
    check_accessibility(axe, page, "an ambiguous term")


def test_keyboard_slash_arrows_and_enter_open_the_entry_page(page, base_url, axe):
    open_widget(page, base_url, "/glossary")
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(search(page)).to_be_focused()
    page.keyboard.type("MARAC", delay=20)
    expect(results(page).first.locator(".result__term")).to_have_text("MARAC")
    page.keyboard.press("ArrowDown")
    expect(results(page).first.locator(".result__link")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(search(page)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base_url}/glossary/marac")
    expect(page.get_by_role("heading", level=1)).to_have_text("MARAC")
    expect(page.get_by_text("Sources")).to_be_visible()
    screenshot(page, "glossary-entry")
    check_accessibility(axe, page, "a glossary entry page")


def test_nothing_found_helps(page, base_url, axe):
    open_widget(page, base_url, "/glossary")
    type_query(page, "strategee discushun")
    expect(page.get_by_role("heading", name="No entries match")).to_be_visible()
    expect(page.get_by_text("Did you mean:")).to_be_visible()
    expect(page.get_by_role("button", name="Strategy discussion")).to_be_visible()
    check_accessibility(axe, page, "the empty state")
    page.get_by_role("button", name="Strategy discussion").click()
    expect(results(page).first.locator(".result__term")).to_have_text("Strategy discussion")


def test_discipline_filter_and_browse(page, base_url):
    open_widget(page, base_url, "/glossary")
    page.get_by_label("Discipline").select_option("police")
    expect(results(page).first).to_be_visible()
    for item in results(page).locator(".result__disciplines").all()[:10]:
        expect(item).to_contain_text("Police")


def test_entry_pages_have_stable_links_and_unknown_ones_say_so(page, base_url):
    open_widget(page, base_url, "/glossary/s47")
    expect(page.get_by_role("heading", level=1)).to_have_text("s47")
    open_widget(page, base_url, "/glossary/no-such-term")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")


@pytest.mark.parametrize("path", ["/glossary", "/glossary/ico"])
def test_glossary_at_360px_does_not_scroll_sideways(browser, base_url, path):
    context = browser.new_context(viewport={"width": 360, "height": 700})
    page = context.new_page()
    try:
        open_widget(page, base_url, path)
        if path == "/glossary":
            type_query(page, "ICO")
            expect(results(page).first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
        screenshot(page, f"glossary{path.replace('/', '-')}-360px")
    finally:
        context.close()


def test_terms_in_the_decision_helper_explain_themselves(page, base_url, axe):
    open_widget(page, base_url)
    page.get_by_role("radio", name="No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    term = page.locator("section.step:visible").get_by_role("button", name="significant harm").first
    expect(term).to_be_visible()
    term.click()
    popover = page.locator(".term__pop:popover-open")
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("Significant harm")
    expect(popover.get_by_role("link")).to_have_attribute("href", "/glossary/significant-harm")
    screenshot(page, "decide-term-popover")
    check_accessibility(axe, page, "a term explained in the decision helper")
    page.keyboard.press("Escape")
    expect(popover).to_have_count(0)


def test_the_browser_ranks_exactly_as_the_server_and_typing_sends_nothing(page, base_url):
    from infoshare_widget.glossary.search import get_search_index
    from tests.support.relevance import ROWS

    index = get_search_index()
    assert len({e.term.casefold() for e in index.entries}) == len(index.entries)  # ties break by term alone
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(str(payload))))
    open_widget(page, base_url, "/glossary")
    before = len(sent)
    queries = [query for query, _ in ROWS] + [
        "", "   ", "a", "s", "st", "the of", "section forty seven", "section forty-seven", "CHILDREN'S guardian",
        "emergancy protection order", "led", "desginated safeguarding led", "c a m h s", "sar", "front", "x" * 300,
        "café", "zzzz", "strategy discusion", "child in", "one hundred and one", "Q4 2026",
    ]
    disciplines = ["", "health", "police", "education"]
    cases = [(q, d) for q in queries for d in disciplines[:1]] + [(q, d) for q in queries[:40:5] for d in disciplines]
    got = page.evaluate("cases => cases.map(([q, d]) => window.infoshareGlossary.search(q, d, 20))", cases)
    python = [[[hit.entry.slug, hit.score] for hit in index.search(query, discipline=discipline or None, limit=20)]
              for query, discipline in cases]
    assert_rows_agree(cases, got, python, what="results for (query, discipline)",
                      got_name="glossary-search.js", expected_name="glossary/search.py")
    # "Did you mean" for queries that find nothing: the same entries, in the same order.
    misses = ["stratgey discusion", "marrac", "camhss", "lado officer xyz", "zzzz", "qwertyuiop", "sgo order"]
    got = page.evaluate("queries => queries.map((q) => window.infoshareGlossary.suggestions(q))", misses)
    assert_rows_agree(misses, got, [[e.slug for e in index.suggestions(q)] for q in misses],
                      what="suggestions for a query", got_name="glossary-search.js", expected_name="glossary/search.py")
    assert got[0][0] == index.search("Strategy discussion")[0].entry.slug
    # Typing a query shows it and sends nothing over the websocket.
    search(page).press_sequentially("marac", delay=30)
    expect(results(page).first.locator(".result__term")).to_have_text("MARAC")
    assert len(sent) == before, sent[before:]


def test_the_search_comes_back_after_opening_an_entry(page, base_url):
    open_widget(page, base_url, "/glossary")
    type_query(page, "lado")
    results(page).first.locator(".result__link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("LADO")
    page.go_back()
    expect(search(page)).to_have_value("lado")
    expect(results(page).first.locator(".result__term")).to_have_text("LADO")


def test_a_very_large_glossary_is_searched_through_the_api_as_you_type(browser, tmp_path, host_ports):
    """Above INFOSHARE_GLOSSARY_BROWSER_MAX entries the page does not carry the glossary: it asks
    the search API over HTTP (never the websocket), with the same results and did-you-mean."""
    from infoshare_widget.glossary.search import get_search_index
    from tests.support.widget import running_widget

    index = get_search_index()
    with running_widget(tmp_path, f"http://127.0.0.1:{host_ports[0]}", {"INFOSHARE_GLOSSARY_BROWSER_MAX": "10"},
                        own_build=True) as started:
        context = browser.new_context(viewport={"width": 1024, "height": 800})
        page = context.new_page()
        try:
            sent: list[str] = []
            asked: list[str] = []
            page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(str(payload))))
            page.on("request", lambda request: asked.append(request.url) if "/api/v1/glossary/search" in request.url
                    else None)
            open_widget(page, started.url, "/glossary")
            assert page.locator("#glossary-index").count() == 0
            before = len(sent)
            type_query(page, "strategy meeting")
            expected = [hit.entry.term for hit in index.search("strategy meeting", limit=20)]
            expect(results(page)).to_have_count(len(expected))
            assert results(page).locator(".result__term").all_inner_texts() == expected
            expect(page.get_by_role("status")).to_have_text(f"{len(expected)} found")
            assert asked and len(sent) == before
            type_query(page, "zzzzqqq")
            expect(page.get_by_role("heading", name="No entries match")).to_be_visible()
            search(page).fill("")
            page.get_by_label("Discipline").select_option("police")
            expect(results(page).first).to_be_visible()
            assert results(page).count() == min(20, len(index.browse("police")))
            results(page).first.locator(".result__link").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(index.browse("police")[0].term)
        finally:
            context.close()
