"""Faults as a practitioner meets them: the widget on a PostgreSQL of its own, which is stopped at
once (as a crash) in the middle of recording. The widget says the decision was not saved and keeps
the answers and what was typed; once the database is back, pressing the button again saves it
exactly once, and the chain verifies."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import func
from sqlmodel import Session, select

from infoshare_widget.records.db import make_engine
from infoshare_widget.records.models import DecisionRecord, RecordAmendment
from infoshare_widget.records.service import verify_chain
from tests.db.test_faults import PrivatePostgres
from tests.e2e.conftest import (SCREENSHOTS, TEST_ORG, check_accessibility, open_widget, running_widget, sign_in,
                                watch_policy)
from tests.e2e.test_records import walk_to_refer_now
from tests.support import free_port


def test_a_database_crash_while_recording_loses_nothing_and_the_retry_saves_once(browser: Browser, tmp_path,
                                                                                   host_ports, axe):
    database = PrivatePostgres()
    database.start()
    try:
        with running_widget(tmp_path, f"http://127.0.0.1:{host_ports[0]}", {"REFLEX_DB_URL": database.url},
                            own_build=True) as started:
            context = browser.new_context(viewport={"width": 1024, "height": 800})
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            violations = watch_policy(page)
            try:
                sign_in(page, started.url)
                open_widget(page, started.url)
                walk_to_refer_now(page)

                database.crash()
                page.get_by_role("button", name="Record this decision").click()
                expect(page.get_by_text("Not saved: the records database did not answer")).to_be_visible()
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
                expect(page.get_by_role("alert")).to_contain_text("Not saved: the records database did not answer")
                expect(page.get_by_label("Describe what you shared")).to_have_value(
                    "Told the front door about the bruising")
                database.start()
                page.get_by_role("button", name="Save details").click()
                expect(page.get_by_role("heading", level=1)).to_have_text(reference)
                assert not errors and not violations
            finally:
                context.close()

            engine = make_engine(database.url)
            try:
                with Session(engine) as session:
                    assert session.exec(select(func.count()).select_from(DecisionRecord)).one() == 1
                    assert session.exec(select(func.count()).select_from(RecordAmendment)).one() == 1
                    assert verify_chain(session=session, org_id=TEST_ORG).ok
            finally:
                engine.dispose()
    finally:
        database.remove()


def _children(pid: int) -> set[int]:
    """The processes whose parent is pid (Granian's workers, under its supervisor)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def test_a_worker_killed_is_replaced_the_other_keeps_serving_and_nobody_is_signed_out(browser: Browser, tmp_path,
                                                                                       host_ports):
    from tests.e2e.test_privacy import REDIS, REDIS_DB, _redis_is_up

    if not _redis_is_up():
        message = "Redis is not running at 127.0.0.1:6379 (two workers share their states there)"
        if os.environ.get("INFOSHARE_REQUIRE_REDIS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    redis_url = f"redis://{REDIS[0]}:{REDIS[1]}/{REDIS_DB + 1}"
    env = {"REFLEX_REDIS_URL": redis_url, "GRANIAN_WORKERS": "2"}
    with running_widget(tmp_path, f"http://127.0.0.1:{host_ports[0]}", env, own_build=True) as started:
        supervisor = started.process.pid
        workers = _children(supervisor)
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
            while time.monotonic() < deadline and len(_children(supervisor) - {victim}) < 2:
                if httpx.get(started.url + "/ping", timeout=5).status_code == 200:
                    answered += 1
                time.sleep(0.2)
            now = _children(supervisor)
            assert victim not in now and len(now) == 2, f"the worker was not replaced: {now}"
            assert answered > 0 and httpx.get(started.url + "/ping", timeout=5).status_code == 200
            # The page reconnects by itself and is still signed in: the records list loads again.
            page.get_by_role("link", name="Glossary", exact=True).click()
            page.get_by_role("link", name="Records", exact=True).click()
            expect(page.get_by_role("heading", name="Decision records")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Signed in as")).to_be_visible()
            expect(page.get_by_role("heading", name="Sign in to record decisions")).to_have_count(0)
        finally:
            context.close()


class PrivateRedis:
    """A Redis of the test's own on a free port, without persistence: killed, it comes back empty."""

    def __init__(self):
        self.server = shutil.which("redis-server")
        if self.server is None:
            message = "redis-server is not installed"
            if os.environ.get("INFOSHARE_REQUIRE_REDIS") == "1":
                pytest.fail(message)
            pytest.skip(message)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([self.server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def test_a_redis_restart_loses_every_state_and_signs_nobody_out(browser: Browser, tmp_path, host_ports):
    """A Redis of the test's own, killed and started again empty: Reflex's states are gone, but the
    sign-in lives in the page (its secret in the tab, the session in the database), so the next
    records page loads as before."""
    redis = PrivateRedis()
    redis.start()
    try:
        with running_widget(tmp_path, f"http://127.0.0.1:{host_ports[0]}", {"REFLEX_REDIS_URL": redis.url},
                            own_build=True) as started:
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
    finally:
        redis.kill()


def test_redis_down_fails_fast_with_a_message_and_the_retry_records_once(browser: Browser, tmp_path, host_ports,
                                                                          axe):
    """Redis killed as a practitioner presses "Record this decision": within 5 seconds the widget says
    the server could not do it and that it will try again; the answers stay on the page. Redis comes
    back (empty) and the same event, sent again by the page, records the decision once; the chain
    verifies."""
    redis = PrivateRedis()
    redis.start()
    try:
        with running_widget(tmp_path, f"http://127.0.0.1:{host_ports[0]}", {"REFLEX_REDIS_URL": redis.url},
                            own_build=True) as started:
            context = browser.new_context(viewport={"width": 1024, "height": 800})
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            violations = watch_policy(page)
            try:
                sign_in(page, started.url)
                open_widget(page, started.url)
                walk_to_refer_now(page)

                redis.kill()
                pressed = time.monotonic()
                page.get_by_role("button", name="Record this decision").click()
                alert = page.get_by_role("alert").filter(has_text="The server could not do that just now")
                expect(alert).to_be_visible(timeout=5_000)
                assert time.monotonic() - pressed < 5
                expect(alert).to_contain_text("It will try again by itself")
                expect(page.get_by_role("heading", level=1)).to_have_text("Refer to children's social care now")
                check_accessibility(axe, page, "the state store down")
                # Seen where the practitioner is: the banner stays at the top of the screen by the button.
                page.set_viewport_size({"width": 360, "height": 740})
                page.get_by_role("button", name="Record this decision").scroll_into_view_if_needed()
                box = alert.bounding_box()
                assert box is not None and 0 <= box["y"] < 5, box
                SCREENSHOTS.mkdir(exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / "trouble-retry-360.png"))
                assert page.evaluate("document.documentElement.scrollWidth") <= 360
                # It keeps trying while Redis is down, and says how often.
                expect(alert).to_contain_text("Tried 2 times so far", timeout=15_000)

                redis.start()
                expect(page.get_by_role("heading", name="Decision recorded")).to_be_visible(timeout=20_000)
                expect(page.get_by_role("alert").filter(has_text="Back to normal")).to_be_visible()
                assert not errors and not violations
            finally:
                context.close()

            engine = make_engine(f"sqlite:///{tmp_path / 'e2e.db'}")
            try:
                with Session(engine) as session:
                    assert session.exec(select(func.count()).select_from(DecisionRecord)).one() == 1
                    assert verify_chain(session=session, org_id=TEST_ORG).ok
            finally:
                engine.dispose()
    finally:
        redis.kill()
