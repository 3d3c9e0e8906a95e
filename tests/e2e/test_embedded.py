"""The widget inside a partner's intranet page on another site, in Chromium with default settings
(third-party storage blocked): the loader, resizing, events, the signed identity, refusals, and
origins that are not listed."""

from __future__ import annotations

import functools
import http.server
import threading
import time
import uuid

import jwt
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PARTNER_KEY, TEST_ORG, check_accessibility, open_widget, screenshot

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Example Trust intranet</title></head>
<body><h1>Example Trust intranet</h1>
<aside style="width:360px">
  <div data-infoshare-widget data-compact data-accent="#005eb8"></div>
</aside>
<script>
  window.events = [];
  document.addEventListener("infoshare:loaded", (event) => {
    for (const name of ["ready", "resize", "outcome", "recorded"]) {
      event.detail.widgets[0].on(name, (data) => window.events.push(data));
    }
  });
</script>
<script src="{widget}/embed.js"></script>
</body></html>"""

PLAIN_FRAME = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Another intranet</title></head>
<body><iframe id="widget" title="InfoShare" src="{widget}/" style="width:360px;height:600px"></iframe></body></html>"""


@pytest.fixture(scope="module")
def intranets(tmp_path_factory, host_ports, base_url):
    """Two intranet sites on 127.0.0.1 (the widget is on localhost): one listed, one not."""
    folder = tmp_path_factory.mktemp("intranet")
    (folder / "index.html").write_text(HOST_PAGE.replace("{widget}", base_url), encoding="utf-8")
    (folder / "plain.html").write_text(PLAIN_FRAME.replace("{widget}", base_url), encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) for port in host_ports]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield [f"http://127.0.0.1:{port}" for port in host_ports]
    for server in servers:
        server.shutdown()
        server.server_close()


def token(issuer: str, **changes) -> str:
    now = int(time.time())
    claims = {"iss": issuer, "aud": "infoshare-widget", "sub": "u-42", "name": "Priya Shah",
              "role": "School nurse", "org": TEST_ORG, "iat": now, "exp": now + 600, "jti": uuid.uuid4().hex}
    claims.update(changes)
    return jwt.encode(claims, PARTNER_KEY, algorithm="RS256")


def events(page, kind):
    return page.evaluate(f"window.events.filter(e => e.type === 'infoshare:{kind}')")


def test_loader_resize_events_and_a_signed_identity_that_records_carry(page, intranets):
    host = intranets[0]
    page.goto(f"{host}/index.html")
    frame = page.frame_locator("iframe")
    expect(frame.locator("#widget-ready")).to_be_attached(timeout=30_000)
    page.wait_for_function("window.events.some(e => e.type === 'infoshare:ready')")
    page.wait_for_function("window.events.some(e => e.type === 'infoshare:resize')")
    height = page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
    assert height == events(page, "resize")[-1]["height"]
    # Storage is blocked in this cross-site frame, and the stand-in took its place.
    assert page.frames[1].evaluate("() => !(window.localStorage instanceof Storage)")
    assert page.frames[1].evaluate("document.documentElement.dataset.compact") == "1"

    page.evaluate("t => InfoShare.widgets[0].setToken(t)", token(host))
    for qid, label in (("immediate_danger", "No"), ("significant_harm", "Yes")):
        frame.locator(f'[data-step="{qid}"]').get_by_role("radio", name=label, exact=True).check()
        frame.locator(f'[data-step="{qid}"]').get_by_role("button", name="Continue").click()
    page.wait_for_function("window.events.some(e => e.type === 'infoshare:outcome')")
    assert events(page, "outcome")[-1] == {"type": "infoshare:outcome", "kind": "refer_now"}
    frame.get_by_role("button", name="Record this decision").click()
    expect(frame.get_by_role("heading", name="Decision recorded")).to_be_visible()
    reference = frame.locator(".reference").inner_text()
    page.wait_for_function("window.events.some(e => e.type === 'infoshare:recorded')")
    assert events(page, "recorded")[-1]["reference"] == reference
    assert page.frames[1].evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    screenshot(page, "embedded-recorded")
    tall = page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
    frame.get_by_role("link", name="See the record").click()
    expect(frame.get_by_text("Priya Shah (School nurse)")).to_be_visible()
    # The frame follows its content both ways: the shorter record page makes it shorter.
    page.wait_for_function(f"document.querySelector('iframe').getBoundingClientRect().height < {tall}")


@pytest.mark.parametrize(
    ("case", "changes", "message"),
    [
        ("expired", {"iat": int(time.time()) - 1200, "exp": int(time.time()) - 600}, "expired"),
        ("wrong audience", {"aud": "another-service"}, "for another service"),
        ("organisation not allowed", {"org": "school-b"}, "may not sign in through this partner"),
        ("lasts too long", {"exp": int(time.time()) + 3600}, "more than 15 minutes"),
    ],
)
def test_bad_tokens_are_refused_with_a_clear_message(page, intranets, case, changes, message):
    host = intranets[0]
    page.goto(f"{host}/index.html")
    frame = page.frame_locator("iframe")
    page.wait_for_function("window.events.some(e => e.type === 'infoshare:ready')", timeout=30_000)
    page.evaluate("t => InfoShare.widgets[0].setToken(t)", token(host, **changes))
    expect(frame.get_by_role("alert")).to_contain_text(message)


def test_a_replayed_token_is_refused(page, intranets):
    host = intranets[0]
    used = token(host)
    for attempt in range(2):
        page.goto(f"{host}/index.html")
        page.wait_for_function("window.events.some(e => e.type === 'infoshare:ready')", timeout=30_000)
        page.evaluate("t => InfoShare.widgets[0].setToken(t)", used)
        if attempt == 0:
            page.wait_for_timeout(1000)
    expect(page.frame_locator("iframe").get_by_role("alert")).to_contain_text("used before")


def test_an_unlisted_intranet_cannot_frame_the_widget(page, intranets):
    page.goto(f"{intranets[1]}/plain.html")
    page.wait_for_load_state("load")
    page.wait_for_timeout(1500)
    expect(page.frame_locator("#widget").locator("#widget-ready")).to_have_count(0)


def test_compact_layout_in_a_360_by_600_sidebar_passes_axe(browser, base_url, axe):
    context = browser.new_context(viewport={"width": 360, "height": 600})
    page = context.new_page()
    try:
        open_widget(page, base_url, "/?compact=1")
        assert page.evaluate("document.documentElement.dataset.compact") == "1"
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
        check_accessibility(axe, page, "the compact layout")
        screenshot(page, "compact-360x600")
    finally:
        context.close()
