"""The glossary in a real Chromium: search as you type, typos, ambiguity, keyboard, entry pages, axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import check_accessibility, open_widget, screenshot


def search(page: Page):
    return page.get_by_role("searchbox", name="Search the glossary")


def results(page: Page):
    return page.locator("#glossary-results .result")


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
