"""Offline use in a real Chromium (Playwright's offline mode): after one visit online, a reload or a
new visit with no network shows the decision helper working from the first tap, every outcome with
its contacts and who is open now, the glossary's search, and the line saying the widget is offline;
and a new version of the content replaces the offline copy at once (assets/sw.js, assets/offline.js,
infoshare_widget/web/offline.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from infoshare_widget.base.settings import get_partnership

from tests.support import free_port
from tests.support.browser import check_accessibility, open_widget, screenshot, watch_policy
from tests.support.accounts import make_account, password_step
from tests.support.flows import CHART, answer, expect_outcome, heading, outcome_routes, walk_to_refer_now

UK = ZoneInfo("Europe/London")
WEEKDAY_MORNING = dt.datetime(2026, 12, 1, 10, 0, tzinfo=UK)
OFFLINE_LINE = "You are offline."
EXIT_PAGE = get_partnership().exit_page


@contextmanager
def offline_ready(browser: Browser, base_url: str, width: int = 1024):
    """A context whose page has visited the widget online and is controlled by the offline worker:
    (context, page, errors, violations). The browser's clock is a weekday morning."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-GB")
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(str(error.error)))
    try:
        context.clock.set_fixed_time(WEEKDAY_MORNING)
        page = context.new_page()
        violations = watch_policy(page)
        open_widget(page, base_url)
        controlled(page)
        yield context, page, errors, violations
    finally:
        context.close()
    assert not errors, f"the page raised errors: {errors}"
    assert not violations, f"the page broke its Content-Security-Policy: {violations}"


def wait_until(page: Page, expression: str, what: str, timeout: float = 30, arg=None) -> None:
    """Poll an expression in the page until it is true (Playwright's wait_for_function evaluates a
    string the page's Content-Security-Policy forbids, as it should)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression, arg):
        assert time.monotonic() < deadline, f"not within {timeout:.0f} s: {what}"
        page.wait_for_timeout(100)


def controlled(page: Page) -> None:
    wait_until(page, "() => navigator.serviceWorker.controller !== null", "the offline worker controls the page")


def offline_line(page: Page):
    return page.get_by_role("status").filter(has_text=OFFLINE_LINE)


def test_online_the_offline_line_is_not_shown(page, base_url):
    open_widget(page, base_url)
    expect(page.locator(".offline-line")).to_be_hidden()
    # Online, the record panel offers to record now, not later.
    walk_to_refer_now(page)
    panel = page.locator(".record-panel")
    expect(panel.get_by_role("button", name="Record this decision")).to_be_visible()
    expect(panel.get_by_role("button", name="Record when back online")).to_be_hidden()
    expect(panel.get_by_text("This tab can hold the decision")).to_be_hidden()


def test_a_reload_with_no_network_walks_to_refer_now_with_the_contacts_open_now(browser, base_url, axe):
    with offline_ready(browser, base_url, width=360) as (context, page, _, _):
        context.set_offline(True)
        page.reload()
        expect(heading(page)).to_have_text(CHART.questions[CHART.start].text)
        expect(offline_line(page)).to_be_visible()
        expect(offline_line(page)).to_contain_text("recording a decision needs a connection, and this tab can hold one")
        check_accessibility(axe, page, "the first question, offline")
        walk_to_refer_now(page)
        step = page.locator("section.step:visible")
        expect(step.get_by_role("link", name="01632 960 001").first).to_have_attribute("href", "tel:01632960001")
        expect(step.locator('[data-contact="front_door"] .contact__status')).to_have_text("Open now")
        expect(step.get_by_role("status")).to_contain_text("Open now: Example Borough Children's Front Door")
        expect(offline_line(page)).to_be_visible()
        screenshot(page, "offline-refer-now-360")
        check_accessibility(axe, page, "refer now, offline, at 360 px")


def test_a_new_visit_with_no_network_still_says_call_999(browser, base_url, axe):
    with offline_ready(browser, base_url) as (context, _, _, _):
        context.set_offline(True)
        page = context.new_page()
        page.goto(base_url + "/")
        expect(offline_line(page)).to_be_visible()
        answer(page, "immediate_danger", "yes")
        expect_outcome(page, "emergency")
        expect(page.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
        check_accessibility(axe, page, "the emergency outcome, offline")


def test_the_glossary_searches_with_no_network(browser, base_url, axe):
    with offline_ready(browser, base_url) as (context, page, _, _):
        context.set_offline(True)
        page.goto(base_url + "/glossary")
        expect(offline_line(page)).to_be_visible()
        page.get_by_role("searchbox", name="Search the glossary").press_sequentially("s47", delay=20)
        first = page.locator("#glossary-results .result:not([hidden])").first
        expect(first.locator(".result__term")).to_have_text("s47")
        check_accessibility(axe, page, "glossary results, offline")


def test_the_line_comes_and_goes_with_the_network(browser, base_url):
    with offline_ready(browser, base_url) as (context, page, _, _):
        context.set_offline(True)
        expect(offline_line(page)).to_be_visible()
        context.set_offline(False)
        expect(page.locator(".offline-line")).to_be_hidden()


def _front_door(page: Page):
    """The front door's card on the refer-now outcome on screen."""
    expect(heading(page)).to_have_text(CHART.outcomes["refer_now"].title)
    return page.locator('section.step:visible [data-contact="front_door"]')


def test_new_content_deployed_replaces_the_offline_copy_at_once(browser, tmp_path, host_ports):
    """The widget at one address with content A, then deployed again there with a new front door
    number (B): after one visit online, the offline page shows B, never A, and only B's copy is kept."""
    from tests.support.widget import running_widget, write_test_partnership

    port = free_port()
    host = f"http://127.0.0.1:{host_ports[0]}"
    new = tmp_path / "b"
    new.mkdir()
    data = yaml.safe_load(write_test_partnership(new, host).read_text(encoding="utf-8"))
    data["front_door"]["phone"] = "01632 960 999"
    (new / "changed.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    (tmp_path / "a").mkdir()

    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="en-GB")
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(str(error.error)))
    try:
        context.clock.set_fixed_time(WEEKDAY_MORNING)
        page = context.new_page()
        with running_widget(tmp_path / "a", host, own_build=True, port=port) as first:
            open_widget(page, first.url)
            controlled(page)
            version_a = page.evaluate("window.INFOSHARE_OFFLINE_VERSION")
            walk_to_refer_now(page)
            context.set_offline(True)
            page.reload()  # the answers are kept in the tab: back at refer now
            expect(_front_door(page)).to_contain_text("01632 960 001")
            context.set_offline(False)
        with running_widget(new, host, {"INFOSHARE_PARTNERSHIP_FILE": str(new / "changed.yaml")},
                            own_build=True, port=port) as second:
            assert second.url == first.url
            open_widget(page, second.url)
            version_b = page.evaluate("window.INFOSHARE_OFFLINE_VERSION")
            assert version_b != version_a
            wait_until(page, "v => navigator.serviceWorker.controller?.scriptURL.endsWith('?v=' + v) === true",
                       "the new version's worker controls the page", arg=version_b)
            wait_until(page, "v => caches.keys().then((names) => names.join() === 'infoshare-offline-' + v)",
                       "only the new version's copy is kept", arg=version_b, timeout=10)
        # The new widget stopped as well: nothing answers at the address now.
        context.set_offline(True)
        page.reload()
        expect(offline_line(page)).to_be_visible()
        door = _front_door(page)
        expect(door).to_contain_text("01632 960 999")
        expect(door).not_to_contain_text("01632 960 001")
        fresh = context.new_page()  # a new tab: a new visit, no answers yet
        fresh.goto(second.url + "/")
        walk_to_refer_now(fresh)
        expect(_front_door(fresh)).to_contain_text("01632 960 999")
    finally:
        context.close()
    assert not errors, f"the pages raised errors: {errors}"


def test_the_page_names_its_manifest_and_the_browser_reads_it(page, base_url):
    """The manifest a phone's "Add to Home screen" reads: named from the partnership file, its icons
    served as the images they say."""
    from infoshare_widget.base.settings import get_partnership

    open_widget(page, base_url)
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    response = page.request.get(base_url + href)
    assert response.ok and response.headers["content-type"] == "application/manifest+json"
    data = response.json()
    assert data["name"] == f"InfoShare: {get_partnership().name}" and data["display"] == "standalone"
    for icon in data["icons"]:
        image = page.request.get(base_url + icon["src"])
        assert image.ok and image.headers["content-type"].startswith(icon["type"]), icon


# -- Recording with no network: held in the tab, recorded once when the connection comes back --------

OFFLINE_RECORDER = "olive"  # her own account: her records are counted, and nobody else's lists change


def _share_route() -> tuple[str, dict[str, str]]:
    """A walk to an outcome that shares (one that raises no alert, so no lead's list changes)."""
    return next((oid, answers) for oid, answers in outcome_routes() if CHART.outcomes[oid].kind == "share")


def _walk(page: Page, answers: dict[str, str]) -> None:
    for qid, value in answers.items():
        answer(page, qid, value)


def _records_of(widget, username: str) -> list[tuple[str, str]]:
    """(reference, outcome) of each record the user made, read from the widget's database."""
    from sqlmodel import Session, select

    from infoshare_widget.auth.models import AppUser
    from infoshare_widget.base.db import make_engine
    from infoshare_widget.records.models import DecisionRecord

    engine = make_engine(f"sqlite:///{widget.folder / 'e2e.db'}")
    try:
        with Session(engine) as session:
            rows = session.exec(select(DecisionRecord.reference, DecisionRecord.outcome_id)
                                .join(AppUser, AppUser.id == DecisionRecord.user_id)
                                .where(AppUser.username == username)).all()
            return [tuple(row) for row in rows]
    finally:
        engine.dispose()


def _held(page: Page):
    return page.evaluate("() => window.sessionStorage.getItem('infoshare-held')")


@pytest.fixture(scope="module")
def offline_recorder(widget) -> str:
    make_account(widget, OFFLINE_RECORDER, "Olive Offline", "recorder")
    return OFFLINE_RECORDER


def test_a_decision_held_offline_is_recorded_once_when_the_connection_returns(browser, widget, axe,
                                                                             offline_recorder):
    oid, answers = _share_route()
    with offline_ready(browser, widget.url, width=360) as (context, page, _, _):
        password_step(page, widget.url, offline_recorder)
        expect(page.get_by_role("heading", name="Decision records")).to_be_visible(timeout=60_000)
        assert _records_of(widget, offline_recorder) == []
        page.goto(widget.url + "/")
        controlled(page)

        context.set_offline(True)
        page.reload()
        _walk(page, answers)
        expect_outcome(page, oid)
        panel = page.locator(".record-panel")
        expect(panel.get_by_role("button", name="Record this decision")).to_be_hidden()
        expect(panel).to_contain_text("This tab can hold the decision and record it once")
        panel.get_by_role("button", name="Record when back online").click()
        expect(panel.get_by_role("status")).to_contain_text("Held in this tab: this decision will be recorded once")
        # Pressed again (the same answers): still one decision held.
        panel.get_by_role("button", name="Record when back online").click()
        held = json.loads(_held(page))
        assert len(held) == 1 and set(held[0]) == {"answers", "key"}
        assert held[0]["answers"] == answers
        screenshot(page, "offline-record-held-360")
        check_accessibility(axe, page, "a decision held offline, at 360 px")

        # A reload with no network keeps it (the tab's storage), and nothing has reached the server.
        page.reload()
        expect(heading(page)).to_have_text(CHART.outcomes[oid].title)
        expect(page.locator(".record-panel").get_by_role("status")).to_contain_text("Held in this tab")
        assert _records_of(widget, offline_recorder) == []

        context.set_offline(False)
        done = page.locator("#record-done")
        expect(done).to_be_visible(timeout=30_000)
        reference = done.locator(".reference").inner_text()
        expect(page.locator(".record-panel [data-record-held-status]")).to_contain_text(
            f"Recorded when the connection came back. Your reference is {reference}.")
        assert _records_of(widget, offline_recorder) == [(reference, oid)]
        assert _held(page) is None

        # The network drops and comes back again, and the page reloads: still one record.
        context.set_offline(True)
        context.set_offline(False)
        page.reload()
        expect(page.locator("#widget-ready")).to_be_attached(timeout=30_000)
        page.wait_for_timeout(2500)
        assert _records_of(widget, offline_recorder) == [(reference, oid)]
        check_accessibility(axe, page, "the held decision recorded, back online")


def test_exit_this_page_forgets_a_decision_held_offline(browser, widget, offline_recorder):
    oid, answers = _share_route()
    before = _records_of(widget, offline_recorder)
    with offline_ready(browser, widget.url) as (context, page, _, _):
        page.route(f"{EXIT_PAGE}**", lambda route: route.fulfill(body="<title>Weather</title><h1>Weather</h1>",
                                                                  content_type="text/html"))
        context.set_offline(True)
        page.reload()
        _walk(page, answers)
        expect_outcome(page, oid)
        page.get_by_role("button", name="Record when back online").click()
        assert _held(page) is not None
        page.get_by_role("button", name="Exit this page").first.click()
        page.wait_for_url(f"{EXIT_PAGE}**")
        context.set_offline(False)
        page.goto(widget.url + "/")
        expect(page.locator("#widget-ready")).to_be_attached(timeout=30_000)
        assert _held(page) is None
        page.wait_for_timeout(2500)
        assert _records_of(widget, offline_recorder) == before


def test_the_real_widget_keeps_hashed_files_and_checks_its_pages(base_url):
    """The running widget: a page may be kept but is checked each time (a current copy is confirmed
    with no bytes: a repeat visit costs one round trip); the build's hashed files are kept a year;
    Brotli is sent to a browser that takes it, pages and files alike."""
    import httpx

    page = httpx.get(base_url + "/", headers={"accept-encoding": "br"})
    assert page.headers["cache-control"] == "no-cache"
    assert page.headers["content-encoding"] == "br" and "data-inlined=" in page.text
    tag = page.headers["etag"]
    assert tag.endswith('-inlined"')
    again = httpx.get(base_url + "/", headers={"accept-encoding": "br", "if-none-match": tag})
    assert again.status_code == 304 and again.content == b""
    asset = re.search(r'rel="modulepreload" href="(/assets/[^"]+\.js)"', page.text)[1]
    kept = httpx.get(base_url + asset, headers={"accept-encoding": "br"})
    assert kept.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert kept.headers["content-encoding"] == "br"
    gzipped = httpx.get(base_url + asset, headers={"accept-encoding": "gzip"})
    assert gzipped.headers["content-encoding"] == "gzip" and gzipped.content == kept.content
