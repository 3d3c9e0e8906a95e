"""Access levels in the browser, against the running widget and its database: a recorder cannot find
or open a colleague's record (list, address, export, API), a lead can, an admin sees no content;
two-factor set-up, a code, a wrong code, a recovery code and a reset; and the access log shows the
reads these tests made."""

from __future__ import annotations

import csv
import io
import re
import time

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.support.accounts import TEST_ORG, Authenticator, code_step, make_account, password_step
from tests.support.browser import check_accessibility, open_widget, screenshot, sign_in, watched_context
from tests.support.states import disk_states
from tests.support.widget import add_records


# Everything shown once in these tests (one-time codes, keys, recovery codes, authenticator keys):
# the last test looks for each in the pickled states.
SHOWN_ONCE: list[str] = []


@pytest.fixture(scope="module")
def people(widget):
    if widget.folder is None:
        pytest.skip("needs the widget's database (not E2E_BASE_URL)")
    # One app per person for the whole module: a code once used is refused, so each test goes on
    # from the last step the app used.
    apps = {
        "lead": Authenticator(make_account(widget, "lee", "Lee Lead", "lead")),
        "admin": Authenticator(make_account(widget, "ada", "Ada Admin", "admin")),
    }
    make_account(widget, "rae", "Rae Recorder", "recorder")
    return apps


def _sam_secret(page: Page) -> str:
    return page.evaluate("window.infoshareSession.get()")


def test_a_recorder_sees_only_their_own_a_lead_everything_and_the_log_shows_it(browser, widget, people, axe):
    base_url = widget.url
    add_records(widget.folder, 1)  # one of Sam's own, so his export is not empty
    # A colleague's record (Rae, another recorder), made through the widget's own service.
    from sqlmodel import Session, select

    from infoshare_widget.flowchart.chart import get_chart
    from infoshare_widget.base.db import make_engine
    from infoshare_widget.auth.models import AppUser
    from infoshare_widget.base.acting import Actor
    from infoshare_widget.records.service import record_decision

    engine = make_engine(f"sqlite:///{widget.folder / 'e2e.db'}")
    with Session(engine) as session:
        rae = session.exec(select(AppUser).where(AppUser.username == "rae")).one()
        colleague = record_decision(session=session, actor=Actor(TEST_ORG, rae.name, rae.role, rae.id),
                                    chart=get_chart(), answers={"immediate_danger": "yes"})
        theirs, their_reference = colleague.id, colleague.reference
    engine.dispose()

    context, page, errors, violations = watched_context(browser)
    try:
        sign_in(page, base_url)  # Sam, a recorder
        expect(page.get_by_text("(recorder)")).to_be_visible()
        shown = page.locator("tbody").inner_text()
        assert their_reference not in shown
        # By address: not found, exactly like a record that does not exist.
        open_widget(page, base_url, f"/records/{theirs}")
        expect(page.get_by_role("heading", name="Record not found")).to_be_visible()
        check_accessibility(axe, page, "a colleague's record, to a recorder")
        # By export: only Sam's own.
        open_widget(page, base_url, "/records")
        expect(page.get_by_role("heading", name="Decision records")).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("button", name="Export CSV").click()
        references = [r["reference"] for r in csv.DictReader(io.StringIO(download.value.path().read_text()))]
        assert their_reference not in references and references
        # By the API: the session export refuses a subject access request, and the records API
        # needs a key, which a recorder does not have.
        secret = _sam_secret(page)
        refused = httpx.post(base_url + "/api/v1/session/records/export",
                             data={"format": "sar-json", "case_reference": "ANY", "session": secret})
        assert refused.status_code == 403
        assert httpx.get(base_url + f"/api/v1/records/{theirs}", headers={"X-API-Key": secret}).status_code == 401
        assert not errors and not violations
    finally:
        context.close()

    lead = people["lead"]
    context, page, errors, violations = watched_context(browser)
    try:
        password_step(page, base_url, "lee")
        check_accessibility(axe, page, "the code step")
        page.get_by_label("Code").fill("000000")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("alert")).to_contain_text("The code is not right")
        expect(page.get_by_label("Code")).to_have_value("000000")  # what was typed stays
        check_accessibility(axe, page, "a wrong code")
        screenshot(page, "sign-in-wrong-code")
        page.get_by_label("Code").fill(lead.code())
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="Decision records")).to_be_visible()
        expect(page.get_by_text("(lead)")).to_be_visible()
        body = page.locator("tbody")
        expect(body).to_contain_text(their_reference)
        open_widget(page, base_url, f"/records/{theirs}")
        expect(page.get_by_role("heading", level=1)).to_have_text(their_reference)
        # Who has read it: the lead, just now.
        readers = page.locator(".readers")
        expect(readers).to_contain_text("Lee Lead")
        check_accessibility(axe, page, "a record with who has read it")
        open_widget(page, base_url, "/records")
        with page.expect_download() as download:
            page.get_by_role("button", name="Export CSV").click()
        references = [r["reference"] for r in csv.DictReader(io.StringIO(download.value.path().read_text()))]
        assert their_reference in references
        # The access log shows the reads these tests made, Sam's and the lead's.
        page.get_by_role("link", name="Access log: who read what").click()
        expect(page.get_by_role("heading", name="Access log")).to_be_visible()
        log = page.locator("tbody")
        expect(log).to_contain_text(their_reference)
        for expected in ("Sam Jones", "Lee Lead", "export", "open", "list", "sign in", "second factor"):
            expect(log).to_contain_text(expected)
        # Each read these tests made, with its result: Sam's try at the colleague's record was
        # logged as not found; the lead's open of it, by reference.
        rows = [" | ".join(cells) for cells in page.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))")]
        assert any("Sam Jones" in r and f"id {theirs}" in r and "not found" in r for r in rows), rows
        assert any("Lee Lead" in r and "| open |" in r and their_reference in r for r in rows), rows
        assert any("Sam Jones" in r and "| export |" in r and "csv" in r for r in rows), rows
        assert any("Lee Lead" in r and "| sign in |" in r and "password and authenticator code" in r for r in rows)
        assert any("Lee Lead" in r and "| second factor |" in r and "failed" in r for r in rows), rows
        check_accessibility(axe, page, "the access log")
        page.set_viewport_size({"width": 360, "height": 640})
        screenshot(page, "access-log-360")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert not errors and not violations
    finally:
        context.close()


def test_an_admin_manages_accounts_a_lead_hands_over_codes_and_keys_and_the_admin_sees_no_records(
        browser, widget, people, axe):
    """The admin makes accounts and sees no record; an account that reads records gets its one-time
    code from a lead, never from the admin; records API keys are made by a lead."""
    base_url = widget.url
    admin = people["admin"]
    context, page, errors, violations = watched_context(browser)
    try:
        password_step(page, base_url, "ada")
        code_step(page, admin.code())
        expect(page.get_by_role("heading", name="Manage accounts and keys")).to_be_visible()
        expect(page.get_by_role("table", name="Accounts")).to_contain_text("rae")
        check_accessibility(axe, page, "the admin area")
        # No content: the records list and a record say so.
        open_widget(page, base_url, "/records")
        expect(page.get_by_text("Only", exact=False).first).to_be_visible()
        expect(page.locator("tbody tr")).to_have_count(0)
        open_widget(page, base_url, "/admin")
        # A new recorder reads records: no code for the admin, who is told a lead gives it.
        page.get_by_label("Username").fill("newbie")
        page.get_by_label("Full name").fill("New Person")
        page.get_by_label("Job title").fill("Youth worker")
        page.get_by_label("Access level").select_option("recorder")
        page.get_by_role("button", name="Add account").click()
        expect(page.locator("#admin-message")).to_contain_text("a safeguarding lead of your organisation makes its "
                                                               "one-time code")
        expect(page.locator("#shown-secret")).to_have_count(0)
        expect(page.get_by_role("table", name="Accounts").get_by_role("row").filter(has_text="newbie")).to_contain_text(
            "Waiting for a code from a lead")
        # A new admin account reads nothing: its code is the admin's to give, shown once.
        page.get_by_label("Username").fill("adam")
        page.get_by_label("Full name").fill("Adam Admin")
        page.get_by_label("Job title").fill("IT")
        page.get_by_label("Access level").select_option("admin")
        page.get_by_role("button", name="Add account").click()
        shown = page.locator("#shown-secret")
        expect(shown).to_contain_text("One-time code for adam")
        admin_code = shown.locator("code").inner_text()
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", admin_code)
        SHOWN_ONCE.append(admin_code)
        check_accessibility(axe, page, "a one-time code shown once")
        page.set_viewport_size({"width": 360, "height": 640})
        screenshot(page, "admin-360")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.set_viewport_size({"width": 1024, "height": 800})
        page.get_by_role("button", name="I have noted it").click()
        expect(shown).to_be_hidden()
        # Keys read records: an admin is not offered one to make.
        expect(page.get_by_role("button", name="Make a key")).to_have_count(0)
        expect(page.get_by_text("A key reads records, so a safeguarding lead makes it")).to_be_visible()
        # Keyboard only: switch Rae off with the keyboard.
        button = page.get_by_role("button", name="Switch off rae")
        button.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name="Switch on rae")).to_be_visible()
        page.get_by_role("button", name="Switch on rae").click()
        assert not errors and not violations
    finally:
        context.close()

    # The lead makes newbie's code, and a records API key (shown once, then revoked).
    context, page, errors, violations = watched_context(browser)
    try:
        password_step(page, base_url, "lee")
        code_step(page, people["lead"].code())
        expect(page.get_by_role("heading", name="Decision records")).to_be_visible()
        page.get_by_role("link", name="Sign-in codes and records API keys").click()
        expect(page.get_by_role("heading", name="Sign-in codes and records API keys")).to_be_visible()
        waiting = page.get_by_role("table", name="Waiting for a code")
        expect(waiting).to_contain_text("newbie")
        expect(page.get_by_role("table", name="Accounts")).to_have_count(0)  # accounts are the admin's
        check_accessibility(axe, page, "a lead's codes and keys")
        page.get_by_role("button", name="Make a one-time code for newbie").click()
        shown = page.locator("#shown-secret")
        expect(shown).to_contain_text("One-time code for newbie")
        code = shown.locator("code").inner_text()
        SHOWN_ONCE.append(code)
        page.get_by_role("button", name="I have noted it").click()
        page.get_by_label("Name of the new key").fill("Case system")
        page.get_by_role("button", name="Make a key").click()
        key = page.locator("#shown-secret code").inner_text()
        assert key.startswith("isk_")
        SHOWN_ONCE.append(key)
        assert httpx.get(base_url + "/api/v1/records", headers={"Authorization": f"Bearer {key}"}).status_code == 200
        page.get_by_role("button", name="Revoke key Case system").click()
        expect(page.get_by_role("table", name="API keys")).to_contain_text("Revoked")
        assert httpx.get(base_url + "/api/v1/records", headers={"Authorization": f"Bearer {key}"}).status_code == 401
        assert not errors and not violations
    finally:
        context.close()

    # The new person sets their password with the code, and signs in (a recorder: no second step).
    context, page, errors, violations = watched_context(browser)
    try:
        open_widget(page, base_url, "/sign-in")
        page.get_by_role("link", name="Set your password with the code you were given").click()
        expect(page.get_by_role("heading", name="Set your password")).to_be_visible()
        page.get_by_label("Organisation").fill(TEST_ORG)
        page.get_by_label("Username").fill("newbie")
        page.get_by_label("One-time code").fill(code.lower())
        page.get_by_label("New password", exact=True).fill("my own long password")
        page.get_by_label("New password again").fill("my own long password!")
        page.get_by_role("button", name="Set password").click()
        expect(page.get_by_role("alert")).to_contain_text("not the same")
        check_accessibility(axe, page, "set your password with an error")
        page.get_by_label("New password again").fill("my own long password")
        page.get_by_role("button", name="Set password").click()
        expect(page.get_by_text("Your password is set")).to_be_visible()
        page.get_by_label("Organisation").fill(TEST_ORG)
        page.get_by_label("Username").fill("newbie")
        page.get_by_label("Password").fill("my own long password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Decision records")).to_be_visible()
        assert not errors and not violations
    finally:
        context.close()


def test_set_up_a_second_factor_then_a_recovery_code_then_a_reset(browser, widget, people, axe):
    base_url = widget.url
    make_account(widget, "aud", "Aud Auditor", "auditor")
    # Made by the command with a secret; forget it as an admin would, so the next sign-in sets up.
    admin = people["admin"]

    def reset_second_factor(username: str) -> None:
        context, page, _, _ = watched_context(browser)
        try:
            password_step(page, base_url, "ada")
            code_step(page, admin.code())
            page.get_by_role("button", name=f"Reset second factor of {username}").click()
            expect(page.get_by_role("status").filter(has_text="Second factor reset")).to_be_visible()
        finally:
            context.close()

    reset_second_factor("aud")
    context, page, errors, violations = watched_context(browser, width=360)
    try:
        password_step(page, base_url, "aud")
        expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
        expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
        check_accessibility(axe, page, "setting up an authenticator")
        screenshot(page, "second-factor-set-up-360")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        key = page.locator("#totp-key").inner_text().replace(" ", "")
        SHOWN_ONCE.append(key)
        page.get_by_label("Code").fill("123456")
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_role("alert")).to_contain_text("The code is not right")
        app = Authenticator(key)
        page.get_by_label("Code").fill(app.code())
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_role("heading", name="Keep your recovery codes")).to_be_visible()
        codes = page.get_by_role("list", name="Recovery codes").locator("code").all_inner_texts()
        assert len(codes) == 10
        SHOWN_ONCE.extend(codes)
        check_accessibility(axe, page, "the recovery codes")
        page.get_by_role("link", name="Continue").click()
        expect(page.get_by_role("heading", name="Decision records")).to_be_visible()
        expect(page.get_by_text("(auditor)")).to_be_visible()
        assert not errors and not violations
    finally:
        context.close()

    # Lost phone: a recovery code signs in once.
    for attempt in range(2):
        context, page, errors, violations = watched_context(browser)
        try:
            password_step(page, base_url, "aud")
            code_step(page, codes[0])
            if attempt == 0:
                expect(page.get_by_role("heading", name="Decision records")).to_be_visible()
            else:
                expect(page.get_by_role("alert")).to_contain_text("The code is not right")
        finally:
            context.close()

    # Reset by the admin: the next sign-in sets up a new app.
    reset_second_factor("aud")
    context, page, errors, violations = watched_context(browser)
    try:
        password_step(page, base_url, "aud")
        expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    finally:
        context.close()


def test_nothing_shown_once_is_kept_in_the_pickled_states(widget):
    assert len(SHOWN_ONCE) >= 13, "the tests above ran and showed their codes"
    time.sleep(1)  # the disk state manager writes shortly after each event
    pickles = disk_states(widget.folder)
    assert any(b"Ada Admin" in data for data in pickles.values()), "the search looks where the states are"
    found = {name: [s for s in SHOWN_ONCE if s.encode() in data] for name, data in pickles.items()}
    assert {name: words for name, words in found.items() if words} == {}
