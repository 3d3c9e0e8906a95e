"""Browser tests: start the widget once in production mode, drive Debian's Chromium with Playwright.

Set E2E_BASE_URL to test a widget that is already running instead of starting one.

The fixtures are here; the helpers the tests use (pages, the walk, accounts, the widget) are in
tests/support.
"""

from __future__ import annotations

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from tests.support import CHROMIUM, CHROMIUM_ARGS, free_port
from tests.support.browser import watch_policy
from tests.support.widget import Widget, running_widget
from harness.mail import MailServer


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def host_ports() -> tuple[int, int]:
    """Ports for intranet pages on another site (127.0.0.1): one allowed to frame the widget, one not."""
    return free_port(), free_port()


@pytest.fixture(scope="session")
def mail_server() -> MailServer:
    """The SMTP server the widget under test emails its alerts to (aiosmtpd, kept for the session)."""
    with MailServer() as server:
        yield server


@pytest.fixture(scope="session")
def widget(tmp_path_factory, host_ports, mail_server) -> Widget:
    if os.environ.get("E2E_BASE_URL"):
        yield Widget(os.environ["E2E_BASE_URL"].rstrip("/"), None)
        return
    with running_widget(tmp_path_factory.mktemp("widget"), f"http://127.0.0.1:{host_ports[0]}",
                        {"INFOSHARE_SMTP_URL": mail_server.url, "INFOSHARE_MAIL_FROM": "alerts@infoshare.example.org",
                         # The overdue check at any hour, so the test of it passes at night too.
                         "INFOSHARE_OUTBOX_POLL_SECONDS": "0.5", "INFOSHARE_DIGEST_HOUR": "0"}) as started:
        yield started


@pytest.fixture(scope="session")
def base_url(widget) -> str:
    return widget.url


@pytest.fixture(scope="session")
def browser() -> Browser:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    violations = watch_policy(page)
    yield page
    context.close()
    assert not errors, f"the page raised errors: {errors}"
    assert not violations, f"the page broke its Content-Security-Policy: {violations}"


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()
