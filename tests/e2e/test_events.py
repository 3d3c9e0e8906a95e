"""What one event costs the running widget in SQL: a glossary keystroke by a signed-in
practitioner costs none, and opening the records list costs the same for one record or a full page.

The widget under test logs the first word of every statement it runs (INFOSHARE_SQL_LOG).
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect
from tests.support.browser import sign_in
from tests.support.widget import Widget, add_records


def selects(widget: Widget) -> int:
    log = widget.folder / "sql.log"
    return log.read_text().split().count("SELECT") if log.exists() else 0


def quiet(widget: Widget) -> int:
    """The count once nothing more arrives (the server logs as it runs)."""
    last, same_since = selects(widget), time.monotonic()
    while time.monotonic() - same_since < 0.5:
        time.sleep(0.1)
        now = selects(widget)
        if now != last:
            last, same_since = now, time.monotonic()
    return last


def test_sql_statements_per_event(page: Page, widget: Widget):
    if widget.folder is None:
        pytest.fail("this test reads the widget's statement log: run it without E2E_BASE_URL")
    sign_in(page, widget.url)

    # Signed in, on the glossary: keystrokes run no SQL at all.
    page.get_by_role("link", name="Glossary", exact=True).click()
    search = page.get_by_role("searchbox", name="Search the glossary")
    before = quiet(widget)
    search.press_sequentially("marac", delay=80)
    expect(page.get_by_role("link", name="MARAC").first).to_be_visible()
    assert quiet(widget) - before == 0

    # The records list: the same statements for a nearly empty list and a full page with more.
    def open_list() -> int:
        page.get_by_role("link", name="Glossary", exact=True).click()
        expect(search).to_be_visible()
        start = quiet(widget)
        page.get_by_role("link", name="Records", exact=True).click()
        expect(page.get_by_role("heading", name="Decision records")).to_be_visible()
        expect(page.locator("tbody tr").first.or_(page.locator("tbody:empty"))).to_be_attached()
        return quiet(widget) - start

    add_records(widget.folder, 1)
    few = open_list()
    add_records(widget.folder, 25)
    many = open_list()
    expect(page.locator("tbody tr")).to_have_count(20)
    # The session (1), a page and its amendments (2), 'To check' (1; and its amendments when there
    # are some to check).
    assert few == many <= 5
