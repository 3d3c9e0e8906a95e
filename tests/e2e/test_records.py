"""Recording a decision in a real Chromium: one click, details with an error fixed, the list,
the follow-up, export, copy and print, with axe on every page state."""

from __future__ import annotations

import csv
import io
import re
import time

from playwright.sync_api import expect

from infoshare_widget.base.settings import get_partnership
from tests.support.accounts import TEST_ORG, TEST_USER
from tests.support.browser import check_accessibility, fill_sign_in, open_widget, screenshot, sign_in, watch_policy
from tests.support.flows import walk_to_refer_now
from tests.support.widget import add_records

# Where Exit this page goes (the partnership's choice).
EXIT_PAGE = get_partnership().exit_page


def test_record_a_decision_then_details_list_follow_up_export_and_copy(browser, base_url, axe):
    context = browser.new_context(viewport={"width": 1024, "height": 800}, accept_downloads=True,
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    # The whole walk (decide, sign in, record, details, list, export, follow-up, copy, print) breaks
    # no rule of the Content-Security-Policy, which allows no 'unsafe-eval'.
    violations = watch_policy(page)
    try:
        open_widget(page, base_url)
        walk_to_refer_now(page)
        page.get_by_role("button", name="Record this decision").click()
        # Not signed in yet: sign in right there, without losing the answers.
        expect(page.get_by_role("heading", name="Sign in to record this decision")).to_be_visible()
        check_accessibility(axe, page, "sign in to record")
        panel = page.locator(".record-panel")
        # Focus moves to the first field as the form appears.
        expect(panel.get_by_label("Organisation")).to_be_focused()
        fill_sign_in(panel)
        panel.get_by_role("button", name="Sign in and record").click()
        expect(page.get_by_role("heading", name="Decision recorded")).to_be_visible()
        reference = page.locator(".reference").inner_text()
        assert reference.startswith("IS-")
        screenshot(page, "record-confirmation")
        check_accessibility(axe, page, "the recorded confirmation")

        # Details, with a mistake fixed on the way; what was typed is kept.
        page.get_by_role("link", name="Add details").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add the details")
        expect(page.get_by_label("Public task: our own organisation's official work (UK GDPR Article 6(1)(e))")).to_be_checked()
        page.get_by_label("Health, including mental health").check()
        page.get_by_label("Describe what you shared").fill("Bruising seen twice; what the child said, word for word")
        page.get_by_label("Children's social care (front door or allocated worker)").check()
        page.get_by_label("What did the other agency say they would do?").fill("A social worker will visit within 2 days")
        page.get_by_label("Day", exact=True).fill("31")
        page.get_by_label("Month", exact=True).fill("2")
        page.get_by_label("Year", exact=True).fill("2030")
        page.get_by_label("Case reference").fill("CR-2026/114")
        page.get_by_role("button", name="Save details").click()
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text("There is a problem")
        expect(summary).to_contain_text("The check-by date must be a real date")
        expect(page.get_by_label("Describe what you shared")).to_have_value(
            "Bruising seen twice; what the child said, word for word")
        check_accessibility(axe, page, "the details form with an error")
        summary.get_by_role("link", name="The check-by date must be a real date, like 27 3 2027").click()
        expect(page.get_by_label("Day", exact=True)).to_be_focused()
        screenshot(page, "record-details-error")
        page.get_by_label("Year", exact=True).fill("2027")
        page.get_by_label("Month", exact=True).fill("3")
        page.get_by_label("Day", exact=True).fill("1")
        page.get_by_role("button", name="Save details").click()

        # The record, then the list, where it is found and awaiting follow-up.
        expect(page.get_by_role("heading", level=1)).to_have_text(reference)
        expect(page.get_by_text("CR-2026/114")).to_be_visible()
        # Choices read as words, and the answers that led here are shown.
        expect(page.locator(".summary-list")).to_contain_text("Public task: our own organisation's official work")
        expect(page.locator(".summary-list")).to_contain_text("Is anyone in immediate danger?")
        expect(page.locator(".summary-list")).to_contain_text("Children's social care (front door or allocated worker)")
        check_accessibility(axe, page, "the record page")
        page.get_by_role("link", name="Records", exact=True).click()
        expect(page.get_by_role("heading", name="To check")).to_be_visible()
        expect(page.locator(".checks")).to_contain_text(reference)
        page.get_by_label("Case reference").fill("CR-2026/114")
        page.get_by_role("button", name="Apply filters").click()
        expect(page.locator("tbody tr")).to_have_count(1)
        expect(page.locator("tbody")).to_contain_text(reference)
        check_accessibility(axe, page, "the records list")
        screenshot(page, "records-list")

        with page.expect_download() as download:
            page.get_by_role("button", name="Export CSV").click()
        rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
        assert [r["reference"] for r in rows] == [reference]

        # Follow-up, with one click from 'To check': not done, which opens the record with who to
        # escalate to.
        page.get_by_label(f"Note about {reference} (optional)").fill("No visit after 3 days")
        page.locator(".checks").get_by_role("button", name="Not done").click()
        expect(page.get_by_role("heading", name="Escalate: they have not done what they said")).to_be_visible()
        expect(page.locator(".summary-list")).to_contain_text("not done")
        escalation = page.locator(".escalation")
        expect(escalation.get_by_text("Example Borough Emergency Duty Team", exact=True)).to_be_visible()
        expect(escalation.get_by_role("status")).to_contain_text("Open now:")  # which is open, in UK time
        check_accessibility(axe, page, "the escalation contacts")
        page.get_by_role("button", name="Copy summary").click()
        expect(page.get_by_text("Summary copied")).to_be_visible()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith(f"Information sharing decision {reference}")
        assert "Case reference: CR-2026/114" in copied
        page.emulate_media(media="print")
        expect(page.get_by_role("heading", level=1)).to_have_text(reference)
        expect(page.get_by_role("button", name="Copy summary")).to_be_hidden()
        assert violations == []
    finally:
        context.close()


def test_records_need_a_sign_in_and_a_wrong_password_is_refused(page, base_url, axe):
    open_widget(page, base_url, "/records")
    expect(page).to_have_url(f"{base_url}/sign-in")
    page.get_by_label("Organisation").fill(TEST_ORG)
    page.get_by_label("Username").fill(TEST_USER)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("not right")
    check_accessibility(axe, page, "a refused sign-in")


def test_five_wrong_passwords_lock_the_account_with_a_time_to_try_again(page, base_url):
    """The throttle on the running widget: the sixth try is refused without checking the password."""
    open_widget(page, base_url, "/sign-in")
    for attempt in range(6):
        page.get_by_label("Organisation").fill(TEST_ORG)
        page.get_by_label("Username").fill("someone-guessing")
        page.get_by_label("Password").fill(f"guess number {attempt}")
        page.get_by_role("button", name="Sign in").click()
        expected = "not right" if attempt < 5 else "Too many attempts. Try again after"
        expect(page.get_by_role("alert")).to_contain_text(expected)
    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"Try again after [0-2][0-9]:[0-5][0-9]\."))


def test_what_is_typed_before_the_record_loads_is_kept(browser, widget):
    """On a slow line the details form is usable before the record arrives; when it does, its
    suggestions fill only what is still empty, and nothing typed is lost."""
    record_id = add_records(widget.folder, 1)[0]

    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    held: list[str] = []
    holding = {"on": False}

    def route(ws):
        server = ws.connect_to_server()
        ws.on_message(server.send)

        def from_server(message):
            # The record's suggestions (refer now: public task) wait until the test lets them go.
            if holding["on"] and isinstance(message, str) and "prefill" in message and "public_task" in message:
                held.append(message)
            else:
                ws.send(message)

        server.on_message(from_server)
        routes.append(ws)

    routes: list = []
    page.route_web_socket(re.compile(r".*/_event.*"), route)
    try:
        sign_in(page, widget.url)
        holding["on"] = True
        open_widget(page, widget.url, f"/records/{record_id}/details")
        expect(page.get_by_role("heading", level=1)).to_have_text("Add the details")
        expect(page.get_by_text("Loading the record")).to_be_visible()
        deadline = time.monotonic() + 10
        while not held and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        assert held, "the record's suggestions never came"
        page.get_by_label("Describe what you shared").fill("Typed while the record was on its way")
        page.get_by_label("Given", exact=True).check()
        page.get_by_label("If consent was not sought or was overridden, why?").fill("My own words")
        holding["on"] = False
        for message in held:
            routes[-1].send(message)
        expect(page.get_by_role("status").filter(has_text="Record IS-")).to_be_visible()
        # The suggestion fills the empty question; the practitioner's answers stay as they were.
        expect(page.get_by_label("Public task: our own organisation's official work (UK GDPR Article 6(1)(e))")).to_be_checked()
        expect(page.get_by_label("Given", exact=True)).to_be_checked()
        expect(page.get_by_label("Describe what you shared")).to_have_value("Typed while the record was on its way")
        expect(page.get_by_label("If consent was not sought or was overridden, why?")).to_have_value("My own words")
    finally:
        context.close()


def _live_sessions(widget) -> int:
    from sqlalchemy import func
    from sqlmodel import Session, select

    from infoshare_widget.base.db import make_engine
    from infoshare_widget.auth.models import UserSession

    engine = make_engine(f"sqlite:///{widget.folder / 'e2e.db'}")
    try:
        with Session(engine) as session:
            return session.exec(select(func.count()).select_from(UserSession)).one()
    finally:
        engine.dispose()


def test_exit_this_page_signs_out_and_back_shows_nothing_of_the_records(browser, widget):
    """Exit exists for the moment someone walks in: the session ends on the server, the tab forgets
    it, and neither Back nor opening the records again shows the list."""
    if widget.folder is None:
        return
    add_records(widget.folder, 1)
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.route(f"{EXIT_PAGE}**", lambda route: route.fulfill(body="<title>Weather</title><h1>Weather</h1>",
                                                              content_type="text/html"))
    try:
        before = _live_sessions(widget)
        sign_in(page, widget.url)
        assert _live_sessions(widget) == before + 1
        expect(page.locator("tbody tr").first).to_be_visible()
        listed = page.locator("tbody").inner_text()
        assert re.search(r"IS-[A-Z0-9]{4}-[A-Z0-9]{4}", listed)
        page.locator("tbody tr").first.get_by_role("link").first.click()
        expect(page).to_have_url(re.compile(r"/records/[0-9a-f]+$"))
        expect(page.get_by_text("Who has read this record")).to_be_visible()
        page.get_by_role("button", name="Exit this page").click()
        expect(page).to_have_url(re.compile("^" + re.escape(EXIT_PAGE)))
        deadline = time.monotonic() + 10
        while _live_sessions(widget) != before and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _live_sessions(widget) == before, "the session ended on the server"
        # Back: the records page, loaded afresh, asks for a sign-in and shows no reference.
        page.go_back()
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible(timeout=30_000)
        assert not re.search(r"IS-[A-Z0-9]{4}-[A-Z0-9]{4}", page.locator("main").inner_text())
        assert page.evaluate("window.infoshareSession.get()") == ""
        open_widget(page, widget.url, "/records")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        assert not re.search(r"IS-[A-Z0-9]{4}-[A-Z0-9]{4}", page.locator("main").inner_text())
    finally:
        context.close()
