"""Faults as a practitioner meets them, with real processes killed: the widget's own PostgreSQL
crashed in the middle of recording (not saved, everything typed kept, the retry saves once); one of
two workers killed (replaced, nobody signed out); its own Redis restarted empty (nobody signed out),
or killed as a decision is recorded (a message within 5 seconds, and the page's retry records it once
when Redis is back). After each, the records in the database are counted and the chain verified."""

from __future__ import annotations

import os
import signal
import time
from contextlib import contextmanager

import httpx
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy import func
from sqlmodel import Session, select

from infoshare_widget.base.db import make_engine
from infoshare_widget.components.database_trouble import MESSAGE as NOT_ANSWERED
from infoshare_widget.records.models import RecordAmendment
from tests.support import children, holding_connections, private_redis, records_and_chain, require
from tests.support.accounts import TEST_ORG
from tests.support.browser import SCREENSHOTS, check_accessibility, fill_sign_in, open_widget, sign_in, watch_policy
from tests.support.databases import PrivatePostgres
from tests.support.flows import walk_to_refer_now
from tests.support.intranets import serve_intranets
from tests.support.redis import REDIS, REDIS_DB, redis_is_up
from tests.support.widget import running_widget


@contextmanager
def signed_in_at_refer_now(browser: Browser, url: str):
    """A signed-in practitioner's page at the refer-now outcome; on leaving, no page error and no
    Content-Security-Policy violation."""
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    violations = watch_policy(page)
    try:
        sign_in(page, url)
        open_widget(page, url)
        walk_to_refer_now(page)
        yield page
        assert not errors and not violations, (errors, violations)
    finally:
        context.close()


def test_a_database_crash_while_recording_loses_nothing_and_the_retry_saves_once(browser: Browser, tmp_path,
                                                                                   host_ports, axe):
    database = PrivatePostgres()
    database.start()
    try:
        with running_widget(tmp_path, f"http://127.0.0.1:{host_ports[0]}", {"REFLEX_DB_URL": database.url},
                            own_build=True) as started:
            with signed_in_at_refer_now(browser, started.url) as page:
                database.crash()
                page.get_by_role("button", name="Record this decision").click()
                expect(page.get_by_text(NOT_ANSWERED)).to_be_visible()
                # The answers are still there: the outcome and its button.
                expect(page.get_by_role("heading", level=1)).to_have_text("Refer to children's social care now")
                check_accessibility(axe, page, "a decision not saved")

                database.start()
                page.get_by_role("button", name="Record this decision").click()
                expect(page.get_by_role("heading", name="Decision recorded")).to_be_visible()
                reference = page.locator(".reference").inner_text()

                # The details form: typed, then the database goes; what was typed stays.
                page.get_by_role("link", name="Add details").click()
                expect(page.get_by_role("status").filter(has_text=reference)).to_be_visible()
                page.get_by_label("Describe what you shared").fill("Told the front door about the bruising")
                database.crash()
                page.get_by_role("button", name="Save details").click()
                expect(page.get_by_role("alert")).to_contain_text(NOT_ANSWERED)
                expect(page.get_by_label("Describe what you shared")).to_have_value(
                    "Told the front door about the bruising")
                database.start()
                page.get_by_role("button", name="Save details").click()
                expect(page.get_by_role("heading", level=1)).to_have_text(reference)

            assert records_and_chain(database.url, TEST_ORG) == (1, True)
            engine = make_engine(database.url)
            try:
                with Session(engine) as session:
                    assert session.exec(select(func.count()).select_from(RecordAmendment)).one() == 1
            finally:
                engine.dispose()
    finally:
        database.remove()



def test_a_worker_killed_is_replaced_the_other_keeps_serving_and_nobody_is_signed_out(browser: Browser, tmp_path,
                                                                                       host_ports):
    if not redis_is_up():
        require("REDIS", "Redis is not running at 127.0.0.1:6379 (two workers share their states there)")
    redis_url = f"redis://{REDIS[0]}:{REDIS[1]}/{REDIS_DB + 1}"
    env = {"REFLEX_REDIS_URL": redis_url, "GRANIAN_WORKERS": "2"}
    with running_widget(tmp_path, f"http://127.0.0.1:{host_ports[0]}", env, own_build=True) as started:
        supervisor = started.process.pid
        workers = children(supervisor)
        assert len(workers) == 2, workers
        context = browser.new_context(viewport={"width": 1024, "height": 800})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            sign_in(page, started.url)
            # Kill one worker outright, then ask the server all through: the other answers.
            victim = sorted(workers)[0]
            os.kill(victim, signal.SIGKILL)
            answered, deadline = 0, time.monotonic() + 15
            while time.monotonic() < deadline and len(children(supervisor) - {victim}) < 2:
                if httpx.get(started.url + "/ping", timeout=5).status_code == 200:
                    answered += 1
                time.sleep(0.2)
            now = children(supervisor)
            # The contract test of compat/server.py's respawn_failed_workers, on the real server.
            assert victim not in now and len(now) == 2, (
                f"compat/server.py (respawn_failed_workers): the killed worker was not replaced: {now}")
            assert answered > 0 and httpx.get(started.url + "/ping", timeout=5).status_code == 200
            # The page reconnects by itself and is still signed in: the records list loads again.
            page.get_by_role("link", name="Glossary", exact=True).click()
            page.get_by_role("link", name="Records", exact=True).click()
            expect(page.get_by_role("heading", name="Decision records")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Signed in as")).to_be_visible()
            expect(page.get_by_role("heading", name="Sign in to record decisions")).to_have_count(0)
        finally:
            context.close()



def test_a_redis_restart_loses_every_state_and_signs_nobody_out(browser: Browser, tmp_path, host_ports):
    """A Redis of the test's own, killed and started again empty: Reflex's states are gone, but the
    sign-in lives in the page (its secret in the tab, the session in the database), so the next
    records page loads as before."""
    with private_redis() as redis, running_widget(tmp_path, f"http://127.0.0.1:{host_ports[0]}",
                                                  {"REFLEX_REDIS_URL": redis.url}, own_build=True) as started:
        context = browser.new_context(viewport={"width": 1024, "height": 800})
        page = context.new_page()
        try:
            sign_in(page, started.url)
            redis.kill()
            redis.start()  # empty: every state is gone
            page.get_by_role("link", name="Glossary", exact=True).click()
            page.get_by_role("link", name="Records", exact=True).click()
            expect(page.get_by_role("heading", name="Decision records")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Signed in as")).to_be_visible(timeout=30_000)
            expect(page.get_by_role("heading", name="Sign in to record decisions")).to_have_count(0)
        finally:
            context.close()


def test_redis_down_fails_fast_with_a_message_and_the_retry_records_once(browser: Browser, tmp_path, host_ports,
                                                                          axe):
    """Redis killed as a practitioner presses "Record this decision": within 5 seconds the widget says
    the server could not do it and that it will try again; the answers stay on the page. Redis comes
    back (empty) and the same event, sent again by the page, records the decision once; the chain
    verifies."""
    with private_redis() as redis, running_widget(tmp_path, f"http://127.0.0.1:{host_ports[0]}",
                                                  {"REFLEX_REDIS_URL": redis.url}, own_build=True) as started:
        with signed_in_at_refer_now(browser, started.url) as page:
            redis.kill()
            pressed = time.monotonic()
            page.get_by_role("button", name="Record this decision").click()
            alert = page.get_by_role("alert").filter(has_text="The server could not do that just now")
            expect(alert).to_be_visible(timeout=5_000)
            assert time.monotonic() - pressed < 5
            expect(alert).to_contain_text("It will try again by itself")
            expect(page.get_by_role("heading", level=1)).to_have_text("Refer to children's social care now")
            check_accessibility(axe, page, "the state store down")
            banner_where_the_practitioner_is(page, alert, "trouble-retry-360.png")
            # It keeps trying while Redis is down, and says how often.
            expect(alert).to_contain_text("Tried 2 times so far", timeout=15_000)

            redis.start()
            expect(page.get_by_role("heading", name="Decision recorded")).to_be_visible(timeout=20_000)
            expect(page.get_by_role("alert").filter(has_text="Back to normal")).to_be_visible()

        assert records_and_chain(f"sqlite:///{tmp_path / 'e2e.db'}", TEST_ORG) == (1, True)


def banner_where_the_practitioner_is(page: Page, alert, picture: str) -> None:
    """At 360 px, scrolled to the button just pressed, the banner is at the top of the screen, and
    nothing is wider than the screen."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.get_by_role("button", name="Record this decision").scroll_into_view_if_needed()
    box = alert.bounding_box()
    assert box is not None and 0 <= box["y"] < 5, box
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / picture))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_server_error_says_the_action_was_not_completed_and_the_page_keeps_its_place(browser: Browser,
                                                                                         base_url, axe):
    """An event the server fails on says so at once (Reflex's own error message is run by eval, which
    the page's policy refuses, so before this nothing showed): here the record event is given an
    argument its handler does not take, as the page sends it. The answers stay, and pressing again
    records the decision and clears the banner."""
    with signed_in_at_refer_now(browser, base_url) as page:
        page.evaluate("""() => {
            const hook = window.__reflex_otel, send = hook.onEventSend;
            let spoiled = false;
            hook.onEventSend = (event) => {
                send(event);
                if (!spoiled && event.name.endsWith(".record_decision")) {
                    spoiled = true;
                    event.payload = { ...event.payload, unexpected: 1 };
                }
            };
        }""")
        page.get_by_role("button", name="Record this decision").click()
        alert = page.get_by_role("alert").filter(has_text="Something went wrong on the server")
        expect(alert).to_be_visible(timeout=5_000)
        expect(alert).to_contain_text("your last action was not completed")
        expect(page.get_by_role("heading", level=1)).to_have_text("Refer to children's social care now")
        check_accessibility(axe, page, "a server error")
        banner_where_the_practitioner_is(page, alert, "trouble-failed-360.png")
        page.get_by_role("button", name="Record this decision").click()
        expect(page.get_by_role("heading", name="Decision recorded")).to_be_visible()
        expect(alert).to_be_hidden()  # the banner was about the earlier press


def test_in_a_cross_site_frame_a_worker_killed_and_redis_restarted_sign_nobody_out(browser: Browser, tmp_path,
                                                                                   host_ports):
    """The demo intranet on another site frames the widget, whose storage is blocked there, so the
    session's secret lives in the page's memory (the storage stand-in). One of two workers is killed
    and Redis started again empty: the frame reconnects by itself and opens the record it made, still
    signed in as the intranet's user, and the decision is recorded once."""
    with (private_redis() as redis,
          running_widget(tmp_path, f"http://127.0.0.1:{host_ports[0]}",
                         {"REFLEX_REDIS_URL": redis.url, "GRANIAN_WORKERS": "2"}, own_build=True) as started,
          serve_intranets(host_ports, started.url) as intranets):
        context = browser.new_context(viewport={"width": 1024, "height": 800})
        page = context.new_page()
        try:
            page.goto(f"{intranets[0]}/")
            frame = page.frame_locator("iframe")
            expect(frame.locator("#widget-ready")).to_be_attached(timeout=30_000)
            assert page.frames[1].evaluate("() => !(window.sessionStorage instanceof Storage)")  # the stand-in
            walk_to_refer_now(frame)
            frame.get_by_role("button", name="Record this decision").click()
            expect(frame.get_by_role("heading", name="Decision recorded")).to_be_visible()

            os.kill(sorted(children(started.process.pid))[0], signal.SIGKILL)
            redis.kill()
            redis.start()  # empty: every state is gone

            # Once the frame has reconnected, its outcome may show "Record this decision" again (Reflex's
            # state went with Redis); pressing it gives the same record back (the tab's key), signed
            # in. Either way the record opens, as the intranet's user.
            see = frame.get_by_role("link", name="See the record")
            again = frame.get_by_role("button", name="Record this decision")
            deadline = time.monotonic() + 30
            while True:
                try:
                    if again.is_visible():
                        again.click(timeout=2_000)
                    see.click(timeout=2_000)
                    break
                except PlaywrightTimeoutError:
                    if time.monotonic() > deadline:
                        raise
            expect(frame.get_by_text("Priya Shah (School nurse)")).to_be_visible(timeout=30_000)
            expect(frame.get_by_role("heading", name="Sign in to record decisions")).to_have_count(0)
        finally:
            context.close()
        assert records_and_chain(f"sqlite:///{tmp_path / 'e2e.db'}", TEST_ORG) == (1, True)



@contextmanager
def two_workers_on_postgres_and_a_private_redis(tmp_path, host_ports):
    """The widget as an operator runs it: PostgreSQL (a throw-away database), a Redis of the test's
    own, two workers; (the widget, the Redis, the database URL)."""
    from tests.support.databases import postgres_database

    db_url, drop = postgres_database()
    try:
        with private_redis() as redis, running_widget(
                tmp_path, f"http://127.0.0.1:{host_ports[0]}",
                {"REFLEX_REDIS_URL": redis.url, "GRANIAN_WORKERS": "2", "REFLEX_DB_URL": db_url},
                own_build=True) as started:
            yield started, redis, db_url
    finally:
        drop()


def _told_within(page: Page, text: str, seconds: float) -> float:
    """The banner with `text` appears within `seconds` of now; how long it took."""
    started = time.monotonic()
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible(timeout=seconds * 1000)
    return time.monotonic() - started


def test_a_frozen_redis_is_said_within_seconds_and_the_retries_sign_in_and_record_once(browser: Browser, tmp_path,
                                                                                       host_ports):
    """Redis that hangs instead of refusing (SIGSTOP): a sign-in and a record each say within 10 s that
    the server could not do it and will try again (compat/redis_bounds.py bounds each command), and the
    health endpoint reports Redis down; once Redis answers again (SIGCONT) the page's own retries sign
    in and record, once."""
    with two_workers_on_postgres_and_a_private_redis(tmp_path, host_ports) as (started, redis, db_url):
        context = browser.new_context(viewport={"width": 1024, "height": 800})
        page = context.new_page()
        try:
            open_widget(page, started.url, "/sign-in")
            fill_sign_in(page)
            redis.freeze()
            try:
                page.get_by_role("button", name="Sign in").click()
                assert _told_within(page, "The server could not do that just now", 10) < 10
                # The health endpoint a proxy asks says so too, within seconds.
                asked = time.monotonic()
                health = httpx.get(started.url + "/_health", timeout=15)
                assert time.monotonic() - asked < 10
                assert health.status_code == 503 and health.json()["redis"] is False
            finally:
                redis.thaw()
            expect(page.get_by_role("heading", name="Decision records")).to_be_visible(timeout=30_000)

            open_widget(page, started.url)
            walk_to_refer_now(page)
            redis.freeze()
            try:
                page.get_by_role("button", name="Record this decision").click()
                assert _told_within(page, "The server could not do that just now", 10) < 10
                expect(page.get_by_role("heading", level=1)).to_have_text("Refer to children's social care now")
            finally:
                redis.thaw()
            expect(page.get_by_role("heading", name="Decision recorded")).to_be_visible(timeout=30_000)
            assert page.locator(".reference").inner_text().startswith("IS-")
        finally:
            context.close()
        assert records_and_chain(db_url, TEST_ORG) == (1, True)
        health = httpx.get(started.url + "/_health", timeout=10)
        assert health.status_code == 200 and health.json()["redis"] is True


def test_a_worker_killed_as_a_record_is_pressed_is_said_and_the_page_s_retry_records_once(browser: Browser,
                                                                                         tmp_path, host_ports):
    """The worker holding the page's websocket is killed a moment after "Record this decision" is
    pressed: the page says within 10 s that the server has not answered, sends the press again by
    itself, and shows the reference of whichever attempt saved; the database holds exactly one."""
    with two_workers_on_postgres_and_a_private_redis(tmp_path, host_ports) as (started, redis, db_url):
        with signed_in_at_refer_now(browser, started.url) as page:
            port = int(started.url.rsplit(":", 1)[1])
            workers = children(started.process.pid)
            page.wait_for_timeout(500)  # the page's requests settle on its websocket
            holders = holding_connections(workers, port)
            assert holders, "the page's websocket is on one of the workers"
            # Every banner the page shows, with when (the "not answered" one may give way to "Back to
            # normal" within moments, once the page's own retry is answered).
            page.evaluate("""() => {
                window.banners = [];
                new MutationObserver(() => {
                    const box = document.getElementById("infoshare-trouble");
                    const text = box && !box.hidden ? box.textContent : "";
                    if (text && window.banners.at(-1)?.text !== text) window.banners.push({text, at: performance.now()});
                }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
            }""")
            pressed = page.evaluate("performance.now()")
            page.get_by_role("button", name="Record this decision").click()
            for pid in holders:
                os.kill(pid, signal.SIGKILL)
            expect(page.get_by_role("heading", name="Decision recorded")).to_be_visible(timeout=30_000)
            reference = page.locator(".reference").inner_text()
            assert reference.startswith("IS-")
            banners = page.evaluate("window.banners")
            late = [b for b in banners if "The server has not answered yet" in b["text"]]
            assert late and (late[0]["at"] - pressed) / 1000 < 10, banners
            expect(page.get_by_role("alert").filter(has_text="Back to normal")).to_be_visible()
        assert records_and_chain(db_url, TEST_ORG) == (1, True)
        engine = make_engine(db_url)
        try:
            with Session(engine) as session:
                from infoshare_widget.records.models import DecisionRecord

                assert session.exec(select(DecisionRecord.reference)).all() == [reference]
        finally:
            engine.dispose()
