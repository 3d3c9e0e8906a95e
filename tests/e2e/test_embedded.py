"""The widget inside a partner's intranet page on another site, in Chromium with default settings
(third-party storage blocked): the loader, resizing, events, the signed identity, refusals, and
origins that are not listed."""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from playwright.sync_api import expect

from tests.support.accounts import TEST_ORG
from tests.support.browser import check_accessibility, open_widget, screenshot
from tests.support.flows import walk_to_refer_now
from tests.support.intranets import serve_intranets
from tests.support.widget import PARTNER_KEY


@pytest.fixture(scope="module")
def intranets(host_ports, base_url):
    """Two intranet sites on 127.0.0.1 (the widget is on localhost): one listed, one not."""
    with serve_intranets(host_ports, base_url) as addresses:
        yield addresses


def token(issuer: str, **changes) -> str:
    now = int(time.time())
    claims = {"iss": issuer, "aud": "infoshare-widget", "sub": "u-42", "name": "Priya Shah",
              "role": "School nurse", "org": TEST_ORG, "iat": now, "exp": now + 600, "jti": uuid.uuid4().hex}
    claims.update(changes)
    return jwt.encode(claims, PARTNER_KEY, algorithm="RS256")


def events(page, kind):
    return page.evaluate(f"window.events.filter(e => e.type === 'infoshare:{kind}')")


def demo_events(page) -> list[dict]:
    return [json.loads(text) for text in page.locator("#events li").all_inner_texts()]


def test_the_demo_intranet_embeds_the_widget_as_its_user(page, intranets):
    """The shipped demo page: loader, resize, events, and a token from the shipped recipe."""
    page.goto(f"{intranets[0]}/")
    frame = page.frame_locator("iframe")
    expect(frame.locator("#widget-ready")).to_be_attached(timeout=30_000)
    expect(page.locator("#events li").first).to_have_text('{"type":"infoshare:ready"}')
    # Storage is blocked in this cross-site frame, and the stand-in took its place.
    assert page.frames[1].evaluate("() => !(window.localStorage instanceof Storage)")
    assert page.frames[1].evaluate("document.documentElement.dataset.compact") == "1"
    walk_to_refer_now(frame)
    expect(page.locator("#events")).to_contain_text('"kind":"refer_now"')
    frame.get_by_role("button", name="Record this decision").click()
    expect(frame.get_by_role("heading", name="Decision recorded")).to_be_visible()
    reference = frame.locator(".reference").inner_text()
    expect(page.locator("#events")).to_contain_text(reference)
    assert {"type": "infoshare:recorded", "reference": reference} in demo_events(page)
    assert page.frames[1].evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    screenshot(page, "embedded-demo-intranet")
    frame.get_by_role("link", name="See the record").click()
    expect(frame.get_by_text("Priya Shah (School nurse)")).to_be_visible()


def test_the_loader_resizes_the_frame_both_ways(page, intranets):
    host = intranets[0]
    page.goto(f"{host}/manual.html")
    frame = page.frame_locator("iframe")
    page.wait_for_function("window.events.some(e => e.type === 'infoshare:resize')", timeout=30_000)
    height = page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
    assert height == events(page, "resize")[-1]["height"]
    walk_to_refer_now(frame)
    page.wait_for_function(f"document.querySelector('iframe').getBoundingClientRect().height > {height}")
    frame.get_by_role("button", name="Start again").click()
    page.wait_for_function(f"document.querySelector('iframe').getBoundingClientRect().height <= {height + 1}")


OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _unsigned(host: str) -> str:
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(jwt.decode(token(host), options={'verify_signature': False}))}."


def _tampered_payload(host: str) -> str:
    head, _, signature = token(host).split(".")
    claims = jwt.decode(token(host), options={"verify_signature": False}) | {"org": TEST_ORG, "name": "Mallory"}
    return f"{head}.{_b64(claims)}.{signature}"


def _tampered_signature(host: str) -> str:
    head, body, signature = token(host).split(".")
    return f"{head}.{body}.{signature[:-6]}AAAAAA"


BAD_TOKENS = [
    ("expired", lambda h: token(h, iat=int(time.time()) - 1200, exp=int(time.time()) - 600), "expired"),
    ("not yet valid", lambda h: token(h, iat=int(time.time()) + 600, exp=int(time.time()) + 900), "not valid yet"),
    ("wrong audience", lambda h: token(h, aud="another-service"), "for another service"),
    ("wrong issuer", lambda h: token(h, iss="https://elsewhere.example"), "not set up here"),
    ("unknown key", lambda h: jwt.encode(jwt.decode(token(h), options={"verify_signature": False}), OTHER_KEY,
                                         algorithm="RS256"), "signature does not match"),
    ("alg none", _unsigned, "Unsigned tokens are not accepted"),
    ("wrong algorithm for the key", lambda h: jwt.encode(
        jwt.decode(token(h), options={"verify_signature": False}), "x" * 40, algorithm="HS256"), "must be signed with RS256"),
    ("tampered payload", _tampered_payload, "signature does not match"),
    ("tampered signature", _tampered_signature, "signature does not match"),
    ("organisation not allowed", lambda h: token(h, org="school-b"), "may not sign in through this partner"),
    ("lasts too long", lambda h: token(h, exp=int(time.time()) + 3600), "more than 15 minutes"),
]


@pytest.mark.parametrize(("case", "make", "message"), BAD_TOKENS, ids=[b[0] for b in BAD_TOKENS])
def test_bad_tokens_are_refused_with_a_clear_message(page, intranets, case, make, message):
    host = intranets[0]
    page.goto(f"{host}/manual.html")
    frame = page.frame_locator("iframe")
    page.wait_for_function("window.events.some(e => e.type === 'infoshare:ready')", timeout=30_000)
    page.evaluate("t => InfoShare.widgets[0].setToken(t)", make(host))
    expect(frame.get_by_role("alert")).to_contain_text(message)
    # Refused means refused: recording still asks for a sign-in.
    frame.get_by_role("radio", name="Yes", exact=True).check()
    frame.get_by_role("button", name="Continue").click()
    frame.get_by_role("button", name="Record this decision").click()
    expect(frame.get_by_role("heading", name="Sign in to record this decision")).to_be_visible()


def test_a_replayed_token_is_refused(page, intranets):
    host = intranets[0]
    used = token(host)
    for attempt in range(2):
        page.goto(f"{host}/manual.html")
        page.wait_for_function("window.events.some(e => e.type === 'infoshare:ready')", timeout=30_000)
        page.evaluate("t => InfoShare.widgets[0].setToken(t)", used)
        if attempt == 0:
            page.wait_for_timeout(1000)
    expect(page.frame_locator("iframe").get_by_role("alert")).to_contain_text("used before")


def test_embedded_back_moves_between_questions_and_exit_blanks_the_frame(page, intranets):
    """The host page's Back steps back through the widget's questions and leaves the host where it
    is; Exit this page tells the host, whose loader blanks the frame."""
    page.goto(f"{intranets[0]}/manual.html")
    frame = page.frame_locator("iframe")
    expect(frame.locator("#widget-ready")).to_be_attached(timeout=30_000)
    host_url = page.url
    step = frame.locator('[data-step="immediate_danger"]')
    step.get_by_role("radio", name="No", exact=True).check()
    step.get_by_role("button", name="Continue").click()
    second = frame.locator('[data-step="significant_harm"]')
    expect(second.get_by_role("heading", level=1)).to_be_visible()
    # The browser's Back from the host page (the frame's steps are in the tab's joint history).
    page.evaluate("history.back()")
    expect(step.get_by_role("heading", level=1)).to_be_visible()
    expect(step.get_by_role("radio", name="No", exact=True)).to_be_checked()
    assert page.url == host_url
    page.evaluate("history.forward()")
    expect(second.get_by_role("heading", level=1)).to_be_visible()
    frame.get_by_role("button", name="Exit this page").click()
    page.wait_for_function("() => window.events.some(e => e.type === 'infoshare:exit')")
    expect(page.locator("iframe")).to_have_attribute("src", "about:blank")
    assert page.url == host_url


def test_an_unlisted_intranet_cannot_frame_the_widget(page, intranets):
    page.goto(f"{intranets[1]}/plain.html")
    page.wait_for_load_state("load")
    page.wait_for_timeout(1500)
    expect(page.frame_locator("#widget").locator("#widget-ready")).to_have_count(0)


def _cors(base_url: str, path: str, origin: str, method: str = "GET") -> dict[str, str]:
    """The access-control headers the running widget sends to a page at `origin`."""
    headers = {"Origin": origin}
    if method == "OPTIONS":
        headers["Access-Control-Request-Method"] = "GET"
    request = urllib.request.Request(base_url + path, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            found = response.headers
    except urllib.error.HTTPError as refused:  # a preflight from an unlisted origin is refused (400)
        assert method == "OPTIONS" and refused.code == 400, refused
        found = refused.headers
    return {k.lower(): v for k, v in found.items() if k.lower().startswith("access-control-")}


@pytest.mark.parametrize("path", ["/ping", "/api/v1/flowchart", "/"])
@pytest.mark.parametrize("method", ["GET", "OPTIONS"])
def test_cors_only_for_listed_origins_on_the_running_widget(base_url, host_ports, path, method):
    """The real composed app, over HTTP: a listed intranet may read responses, any other page may not."""
    listed, unlisted = f"http://127.0.0.1:{host_ports[0]}", f"http://127.0.0.1:{host_ports[1]}"
    assert _cors(base_url, path, listed, method).get("access-control-allow-origin") == listed
    assert _cors(base_url, path, base_url, method).get("access-control-allow-origin") == base_url
    for origin in (unlisted, "https://evil.example", "null"):
        assert _cors(base_url, path, origin, method).get("access-control-allow-origin") is None, origin


def _headers(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return {k.lower(): v for k, v in response.headers.items()}


@pytest.mark.parametrize("path", ["/", "/glossary", "/records", "/records/abc/details", "/sign-in",
                                  "/api/v1/flowchart", "/ping"])
def test_security_headers_on_every_response_of_the_running_widget(base_url, host_ports, path):
    """The real composed app: the policy, referrer, permissions; no-store where records are shown."""
    headers = _headers(base_url + path)
    policy = dict((d.strip().split(" ", 1) + [""])[:2] for d in headers["content-security-policy"].split(";"))
    assert policy["default-src"] == "'self'"
    assert "'unsafe-eval'" not in headers["content-security-policy"]
    assert policy["connect-src"] == f"'self' {base_url.replace('http://', 'ws://')}"
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == f"'self' http://127.0.0.1:{host_ports[0]}"
    assert headers["referrer-policy"] == "no-referrer"
    assert "camera=()" in headers["permissions-policy"] and "geolocation=()" in headers["permissions-policy"]
    assert "strict-transport-security" not in headers  # the test widget is plain http
    assert (headers.get("cache-control") == "no-store") == path.startswith(("/records", "/sign-in"))


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
