"""Browser tests: start the widget once in production mode, drive Debian's Chromium with Playwright.

Set E2E_BASE_URL to test a widget that is already running instead of starting one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from harness.accounts import INSIGHT_ORG, PARTNERSHIP_VIEWER, TEST_ORG, TEST_PASSWORD, TEST_USER  # noqa: F401
from harness.browser import fill_sign_in, open_widget, sign_in  # noqa: F401
from harness.records import add_records  # noqa: F401
from harness.widget import PARTNER_KEY, Widget, running_widget, write_test_partnership  # noqa: F401
from tests.support import CHROMIUM, CHROMIUM_ARGS, free_port

ROOT = Path(__file__).resolve().parents[2]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = ROOT / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def host_ports() -> tuple[int, int]:
    """Ports for intranet pages on another site (127.0.0.1): one allowed to frame the widget, one not."""
    return free_port(), free_port()


@pytest.fixture(scope="session")
def widget(tmp_path_factory, host_ports) -> Widget:
    if os.environ.get("E2E_BASE_URL"):
        yield Widget(os.environ["E2E_BASE_URL"].rstrip("/"), None)
        return
    with running_widget(tmp_path_factory.mktemp("widget"), f"http://127.0.0.1:{host_ports[0]}") as started:
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


def watch_policy(page: Page) -> list[str]:
    """Collect every Content-Security-Policy violation the page reports (Chromium logs each one).

    A refused frame-ancestors is left out: that is the policy working, seen from a host page that
    may not frame the widget (test_embedded checks those refusals itself).
    """
    violations: list[str] = []

    def seen(message) -> None:
        if "Content Security Policy" in message.text and "frame-ancestors" not in message.text:
            violations.append(message.text)

    page.on("console", seen)
    return violations


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


def check_accessibility(axe: Axe, page: Page, state: str) -> None:
    """Run axe with the WCAG 2.2 AA tags on the page as it is now; fail with the report."""
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, f"axe found problems on {state}:\n{results.generate_report()}"


def screenshot(page: Page, name: str) -> None:
    """Keep a full-page screenshot for people to look at (screenshots/ is not committed)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    # Sections off screen are skipped by content-visibility: auto (for speed); a full-page picture
    # would show them blank, so paint everything for the picture only.
    style = page.add_style_tag(content="* { content-visibility: visible !important; }")
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    style.evaluate("element => element.remove()")
