"""What one event costs the running widget in SQL: a glossary keystroke by a signed-in
practitioner costs none, and opening the records list costs the same for one record or a full page.

The widget under test logs the first word of every statement it runs (INFOSHARE_SQL_LOG).
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.records.db import make_engine
from infoshare_widget.records.service import Actor, record_decision
from tests.e2e.conftest import TEST_ORG, TEST_PASSWORD, TEST_USER, Widget, open_widget


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


def sign_in(page: Page, widget: Widget) -> None:
    open_widget(page, widget.url, "/sign-in")
    page.get_by_label("Organisation").fill(TEST_ORG)
    page.get_by_label("Username").fill(TEST_USER)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Decision records")).to_be_visible()


def add_records(widget: Widget, n: int) -> None:
    engine = make_engine(f"sqlite:///{widget.folder / 'e2e.db'}")
    actor = Actor(TEST_ORG, "Sam Jones", "Health visitor", None)
    with Session(engine) as session:
        for i in range(n):
            record_decision(session=session, actor=actor, chart=get_chart(),
                            answers={"immediate_danger": "no", "significant_harm": "yes"},
                            now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=i))
    engine.dispose()


def test_sql_statements_per_event(page: Page, widget: Widget):
    if widget.folder is None:
        pytest.fail("this test reads the widget's statement log: run it without E2E_BASE_URL")
    sign_in(page, widget)

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

    add_records(widget, 1)
    few = open_list()
    add_records(widget, 25)
    many = open_list()
    expect(page.locator("tbody tr")).to_have_count(20)
    # The session (1), a page and its amendments (2), 'To check' (1; and its amendments when there
    # are some to check).
    assert few == many <= 5
