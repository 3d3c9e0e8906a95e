"""What docs/security.md promises about State ("Privacy by design"), tested on the running widget:
record content and the session secret never reach Reflex's pickled states, on disk or in Redis.

A record gets a canary in every free-text field; the practitioner opens the list, the record, its
details form and its print view, copies the summary and marks the follow-up. Then every pickled
state is read, byte by byte: neither the canary nor the session secret may be in any of them.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser, expect

from tests.support import require
from tests.support.browser import fill_sign_in, open_widget, watch_policy
from tests.support.flows import walk_to_refer_now
from tests.support.redis import REDIS, REDIS_DB, redis_is_up
from tests.support.states import disk_states, redis_states
from tests.support.widget import Widget, running_widget

CANARY = "QZXCANARY7Q4"
# An intranet's credentials that come with every request, the websocket's handshake included: a
# single sign-on cookie, an Authorization header, and the intranet's own header (the test widgets
# name it in INFOSHARE_PRIVATE_HEADERS). And a marker in the user agent, a header that is kept:
# finding it shows the search looks where the handshake's headers are pickled.
SSO_CANARY = "SSOCANARY5K2"
UA_MARKER = "UAMARKER9P3"
# Each free-text field of the details form, with its own canary so a find names the field.
FIELDS = {
    "Describe what you shared": "description",
    "If other, the organisation's name": "recipient_org",
    "Their role": "recipient_role",
    "What was it for?": "purpose",
    "If consent was not sought or was overridden, why?": "consent_reason",
    "If not, why not?": "told_reason",
    "What did you do to protect identities?": "identity_protection",
    "Who did you ask for advice?": "advice_from",
    "What did they advise?": "advice_said",
    "What did the other agency say they would do?": "follow_up_action",
    "Case reference": "case_reference",
}


def canary(field: str) -> str:
    return f"{CANARY}{field.replace('_', '')}"


def use_the_record_everywhere(browser: Browser, base_url: str) -> str:
    """Record a decision with canaries, then open every page that shows it; the session's secret."""
    context = browser.new_context(viewport={"width": 1024, "height": 800},
                                  permissions=["clipboard-read", "clipboard-write"],
                                  user_agent=f"Mozilla/5.0 (X11; Linux x86_64) {UA_MARKER}",
                                  extra_http_headers={"Authorization": f"Bearer {SSO_CANARY}a",
                                                      "X-Intranet-SSO": f"{SSO_CANARY}b"})
    context.add_cookies([{"name": "intranet_sso", "value": f"{SSO_CANARY}c", "url": base_url}])
    page = context.new_page()
    violations = watch_policy(page)
    try:
        open_widget(page, base_url)
        walk_to_refer_now(page)
        page.get_by_role("button", name="Record this decision").click()
        panel = page.locator(".record-panel")
        # The form moves focus to its first field as it appears: type after that, as a person does.
        expect(panel.get_by_label("Organisation")).to_be_focused()
        fill_sign_in(panel)
        panel.get_by_role("button", name="Sign in and record").click()
        expect(page.get_by_role("heading", name="Decision recorded")).to_be_visible()
        reference = page.locator(".reference").inner_text()

        page.get_by_role("link", name="Add details").click()
        expect(page.get_by_role("status").filter(has_text=reference)).to_be_visible()
        page.get_by_label("Health, including mental health").check()
        for label, field in FIELDS.items():
            page.get_by_label(label, exact=True).fill(canary(field))
        page.get_by_label("No", exact=True).check()
        page.get_by_label("Day", exact=True).fill("1")
        page.get_by_label("Month", exact=True).fill("3")
        page.get_by_label("Year", exact=True).fill("2027")
        page.get_by_role("button", name="Save details").click()

        # The record, its print view, and the summary on the clipboard.
        expect(page.get_by_role("heading", level=1)).to_have_text(reference)
        for field in FIELDS.values():
            expect(page.locator(".summary-list")).to_contain_text(canary(field))
        page.emulate_media(media="print")
        expect(page.locator(".summary-list")).to_contain_text(canary("description"))
        page.emulate_media(media="screen")
        page.get_by_role("button", name="Copy summary").click()
        expect(page.get_by_text("Summary copied")).to_be_visible()
        assert canary("advice_said") in page.evaluate("navigator.clipboard.readText()")
        # The details form again (its suggestions come from the record).
        page.get_by_role("link", name="Add or correct details").click()
        expect(page.get_by_role("status").filter(has_text=reference)).to_be_visible()

        # The list, where 'To check' shows what the other agency said, and the follow-up's note.
        page.get_by_role("link", name="Records", exact=True).click()
        expect(page.locator(".checks")).to_contain_text(canary("follow_up_action"))
        expect(page.locator("tbody")).to_contain_text(canary("case_reference"))
        page.get_by_label(f"Note about {reference} (optional)").fill(canary("note"))
        page.locator(".checks").get_by_role("button", name="Not done").click()
        expect(page.locator(".summary-list")).to_contain_text(canary("note"))

        secret = page.evaluate("window.infoshareSession.get()")
        assert len(secret) >= 32
        assert violations == []
        return secret
    finally:
        context.close()


def assert_nowhere(pickles: dict[str, bytes], secret: str) -> None:
    """No canary, no secret and no intranet credential in any pickled state; and the search looked
    where states are, and where the handshake's headers are kept."""
    assert any(b"Sam Jones" in data for data in pickles.values()), (
        f"no pickled state holds the signed-in name: the search is not looking where states are ({list(pickles)[:5]})")
    assert any(UA_MARKER.encode() in data for data in pickles.values()), (
        "no pickled state holds the handshake's user agent: the headers are not where the search looks")
    found = {name: [word for word in (CANARY, secret, SSO_CANARY)
                    if word.encode() in data or word.encode() in name.encode()]
             for name, data in pickles.items()}
    found = {name: words for name, words in found.items() if words}
    assert found == {}, f"record content, the session secret or an intranet credential was pickled: {found}"


def settled(read, secret: str, timeout: float = 10.0) -> None:
    """Search once this walk's states are written (the disk manager writes shortly after each event).
    The user agent's marker is this test's alone: the states of other tests' tabs, already on disk
    and holding the same signed-in name, do not count."""
    deadline = time.monotonic() + timeout
    while True:
        pickles = read()
        if any(UA_MARKER.encode() in data for data in pickles.values()) or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    assert_nowhere(pickles, secret)


def test_no_record_content_or_session_secret_in_the_pickled_states_on_disk(browser, widget: Widget):
    if widget.folder is None:
        pytest.fail("this test reads the widget's state files: run it without E2E_BASE_URL")
    secret = use_the_record_everywhere(browser, widget.url)
    settled(lambda: disk_states(widget.folder), secret)


def test_no_record_content_or_session_secret_in_the_pickled_states_in_redis(browser, tmp_path, host_ports):
    # CI machines run Redis at 127.0.0.1:6379, and .ci/run requires it (INFOSHARE_REQUIRE_REDIS=1);
    # elsewhere, without Redis, this test is skipped with a notice.
    if not redis_is_up():
        require("REDIS", "Redis is not running at 127.0.0.1:6379")
    import redis

    redis.Redis(*REDIS, db=REDIS_DB).flushdb()
    redis_url = f"redis://{REDIS[0]}:{REDIS[1]}/{REDIS_DB}"
    # A second widget beside the session's one (which keeps serving its own build).
    with running_widget(tmp_path, f"http://127.0.0.1:{host_ports[0]}", {"REFLEX_REDIS_URL": redis_url},
                        own_build=True) as started:
        secret = use_the_record_everywhere(browser, started.url)
        settled(redis_states, secret)
