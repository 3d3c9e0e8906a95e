"""Alerts to leads in a real Chromium against the running widget, whose outbox worker emails a real
SMTP server (aiosmtpd, started by the tests): a recorder's referral reaches the lead once by email and
under "Needs your attention"; the lead marks it seen; "Not done" and an overdue follow-up alert too.
No email holds a word of the record's details."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete
from sqlmodel import Session

from infoshare_widget.alerts.models import DigestDay
from infoshare_widget.base.acting import Actor
from infoshare_widget.base.clock import uk_today
from infoshare_widget.base.db import make_engine
from infoshare_widget.records.service import amend
from tests.support.accounts import TEST_ORG, TEST_PASSWORD, Authenticator, code_step, make_account, password_step
from tests.support.browser import check_accessibility, open_widget, screenshot
from tests.support.flows import walk_to_refer_now

CANARY = "Canary-Heron-Lockwood-5813"
LEAD_EMAIL = "lena.lead@example-trust.example.org"


def emails_about(mail_server, reference: str) -> list:
    return [m for m in list(mail_server.messages) if reference in str(m["Subject"]) or reference in m.get_content()]


def wait_for_email(mail_server, reference: str, count: int = 1, timeout: float = 30.0) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = emails_about(mail_server, reference)
        if len(found) >= count:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{len(emails_about(mail_server, reference))} emails about {reference}, not {count}")


RECORDER = "rita"  # a recorder of her own, so the other tests' "To check" lists stay as they expect


def record_a_referral(page: Page, base_url: str) -> tuple[str, str]:
    """A recorder records a referral, then adds details holding the canary."""
    open_widget(page, base_url)
    walk_to_refer_now(page)
    page.get_by_role("button", name="Record this decision").click()
    panel = page.locator(".record-panel")
    panel.get_by_label("Organisation").fill(TEST_ORG)
    panel.get_by_label("Username").fill(RECORDER)
    panel.get_by_label("Password").fill(TEST_PASSWORD)
    panel.get_by_role("button", name="Sign in and record").click()
    expect(page.get_by_role("heading", name="Decision recorded")).to_be_visible()
    reference = page.locator(".reference").inner_text()
    page.get_by_role("link", name="Add details").click()
    page.get_by_label("Describe what you shared").fill(f"What the child said: {CANARY}")
    page.get_by_label("Case reference").fill("CR-" + CANARY[-4:])
    # A check-by date to come, so the follow-up waits in "To check".
    page.get_by_label("Day", exact=True).fill("1")
    page.get_by_label("Month", exact=True).fill("3")
    page.get_by_label("Year", exact=True).fill(str(uk_today().year + 1))
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(reference)
    record_id = page.url.rstrip("/").split("/")[-1]
    return reference, record_id


def sign_in_as_lead(page: Page, base_url: str, app: Authenticator) -> None:
    password_step(page, base_url, "lena")
    code_step(page, app.code())
    expect(page.get_by_role("heading", name="Decision records")).to_be_visible(timeout=60_000)


@pytest.fixture(scope="module")
def lead(widget) -> Authenticator:
    """A lead of the test organisation with an email address (alerts on, as by default), and the
    recorder whose referrals alert her."""
    make_account(widget, RECORDER, "Rita Recorder", "recorder")
    return Authenticator(make_account(widget, "lena", "Lena Lead", "lead", email=LEAD_EMAIL))


def test_a_referral_reaches_the_lead_once_by_email_and_in_the_widget(browser, widget, mail_server, axe, lead):
    app = lead
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="en-GB")
    page = context.new_page()
    try:
        reference, record_id = record_a_referral(page, widget.url)
        [email] = wait_for_email(mail_server, reference)
        assert email["To"] == LEAD_EMAIL
        body = email.get_content()
        assert f"/records/{record_id}" in body and "Refer to the front door now" in body
        time.sleep(2)  # four more rounds of the worker: still once
        assert len(emails_about(mail_server, reference)) == 1
        for raw in mail_server.raw:
            assert CANARY.encode() not in raw and CANARY[-4:].encode() not in raw
    finally:
        context.close()

    # The lead, at 360 px: the alert at the top of the records, marked seen.
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-GB")
    page = context.new_page()
    try:
        sign_in_as_lead(page, widget.url, app)
        section = page.get_by_role("region", name="Needs your attention")
        item = section.get_by_role("listitem").filter(has_text=reference)
        expect(item).to_contain_text("A decision was recorded")
        expect(item).to_contain_text("Refer to the front door now")
        check_accessibility(axe, page, "needs your attention, unseen")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(page, "alerts-needs-attention-360")
        item.get_by_role("button", name=f"Mark as seen {reference}").click()
        expect(item).to_contain_text(re.compile(r"Seen by Lena Lead at \d\d:\d\d on"))
        expect(section.get_by_role("status")).to_have_text("Marked as seen.")
        check_accessibility(axe, page, "needs your attention, seen")
        expect(section).to_contain_text(f"Alerts are emailed to {LEAD_EMAIL}")

        # "Not done" on the follow-up alerts too.
        page.get_by_label(f"Note about {reference} (optional)").fill("No visit")
        page.locator(".checks").get_by_role("button", name="Not done").click()
        expect(page.get_by_role("heading", name="Escalate: they have not done what they said")).to_be_visible()
        not_done = [m for m in wait_for_email(mail_server, reference, 2) if "Not done" in str(m["Subject"])]
        assert len(not_done) == 1 and CANARY not in not_done[0].get_content()
        page.get_by_role("link", name="Records", exact=True).click()
        expect(page.get_by_role("region", name="Needs your attention").get_by_role("listitem")
               .filter(has_text="A follow-up was marked \"Not done\"").filter(has_text=reference)).to_be_visible()
    finally:
        context.close()


def test_an_overdue_follow_up_alerts_the_lead_and_is_in_the_daily_digest(browser, widget, mail_server, axe, lead):
    """A follow-up past its check-by date: the morning's check (run by the server's own worker) alerts
    the lead in the widget and in one digest email."""
    engine = make_engine(f"sqlite:///{widget.folder / 'e2e.db'}")
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="en-GB")
    page = context.new_page()
    try:
        reference, record_id = record_a_referral(page, widget.url)
        with Session(engine) as session:
            # The check-by date was yesterday (the details form takes only dates to come).
            amend(session=session, actor=Actor(TEST_ORG, "Rita Recorder", "Health visitor", access="lead"),
                  record_id=record_id, kind="details", data={}, check_by=uk_today() - dt.timedelta(days=1))
            # A new day for the organisation: its check has not run yet.
            session.execute(delete(DigestDay).where(DigestDay.org_id == TEST_ORG, DigestDay.day == uk_today()))
            session.commit()
        digests = []
        deadline = time.monotonic() + 30
        while not digests and time.monotonic() < deadline:
            digests = [m for m in mail_server.messages if "past the check-by date" in str(m["Subject"])
                       and reference in m.get_content()]
            time.sleep(0.2)
        assert len(digests) == 1 and digests[0]["To"] == LEAD_EMAIL
        assert CANARY not in digests[0].get_content()
        sign_in_as_lead(page, widget.url, lead)
        item = page.get_by_role("region", name="Needs your attention").get_by_role("listitem").filter(
            has_text="A follow-up is past its check-by date").filter(has_text=reference)
        expect(item).to_be_visible()
        check_accessibility(axe, page, "an overdue follow-up in needs your attention")
    finally:
        context.close()
        engine.dispose()


def test_an_admin_sets_addresses_and_sees_how_alerts_were_delivered(browser, widget, mail_server, axe, lead):
    """The admin area: a bad address is refused with what was typed kept; a good one saved; the
    delivery log lists the emails sent to the lead, with no record content."""
    admin = Authenticator(make_account(widget, "adele", "Adele Admin", "admin"))
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="en-GB")
    try:
        record_a_referral(context.new_page(), widget.url)  # something to deliver
    finally:
        context.close()
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="en-GB")
    page = context.new_page()
    try:
        password_step(page, widget.url, "adele")
        code_step(page, admin.code())
        expect(page.get_by_role("heading", name="Manage accounts and keys")).to_be_visible()
        field = page.get_by_label("Email address of rita", exact=True)
        field.fill("rita@@example-trust")
        page.get_by_role("button", name="Save email address of rita").click()
        expect(page.get_by_role("alert")).to_contain_text("is not an email address")
        expect(field).to_have_value("rita@@example-trust")
        check_accessibility(axe, page, "the admin area with a bad address")
        field.fill("rita@example-trust.example.org")
        page.get_by_role("button", name="Save email address of rita").click()
        expect(page.locator("#admin-message")).to_have_text("Email address saved.")
        expect(page.get_by_label("Email address of rita", exact=True)).to_have_value(
            "rita@example-trust.example.org")
        # Only leads are alerted: the lead's row says whether hers are on, the recorder's nothing.
        accounts = page.get_by_role("table", name="Accounts")
        expect(accounts.get_by_role("row").filter(has_text="lena")).to_contain_text("Alerts: On")
        expect(accounts.get_by_role("row").filter(has_text="Rita Recorder")).not_to_contain_text("Alerts:")
        deliveries = page.get_by_role("table", name="Latest alert deliveries")
        deadline = time.monotonic() + 20
        while "Sent" not in deliveries.inner_text() and time.monotonic() < deadline:
            page.reload()
            expect(page.get_by_role("heading", name="Manage accounts and keys")).to_be_visible()
            deliveries = page.get_by_role("table", name="Latest alert deliveries")
        expect(deliveries.get_by_role("row").filter(has_text="lena").filter(has_text="Sent").first).to_be_visible()
        assert CANARY not in deliveries.inner_text()
        check_accessibility(axe, page, "the admin area's alert deliveries")
        page.set_viewport_size({"width": 360, "height": 780})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(page, "admin-deliveries-360")
    finally:
        context.close()
