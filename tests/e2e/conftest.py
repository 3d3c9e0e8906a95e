"""Browser tests: start the widget once in production mode, drive Debian's Chromium with Playwright.

Set E2E_BASE_URL to test a widget that is already running instead of starting one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.support import CHROMIUM, CHROMIUM_ARGS, free_port, run_records_command, start_reflex, stop_reflex

ROOT = Path(__file__).resolve().parents[2]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = ROOT / "screenshots"
# The practitioner the browser tests sign in as (made in a throw-away database).
TEST_ORG, TEST_USER, TEST_PASSWORD = "example-trust", "sam", "a long test password"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def host_ports() -> tuple[int, int]:
    """Ports for intranet pages on another site (127.0.0.1): one allowed to frame the widget, one not."""
    return free_port(), free_port()


@pytest.fixture(scope="session")
def base_url(tmp_path_factory, host_ports) -> str:
    if os.environ.get("E2E_BASE_URL"):
        yield os.environ["E2E_BASE_URL"].rstrip("/")
        return
    tmp = tmp_path_factory.mktemp("widget")
    url, process = start_reflex(ROOT, tmp, {"INFOSHARE_EMBED_ORIGINS": f"http://127.0.0.1:{host_ports[0]}"})
    try:
        run_records_command(tmp, "create-org", TEST_ORG, "Example Trust")
        run_records_command(tmp, "create-user", TEST_ORG, TEST_USER, "Sam Jones", "Health visitor",
                            stdin=TEST_PASSWORD + "\n")
        yield url
    finally:
        stop_reflex(process)


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
    yield page
    context.close()
    assert not errors, f"the page raised errors: {errors}"


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def check_accessibility(axe: Axe, page: Page, state: str) -> None:
    """Run axe with the WCAG 2.2 AA tags on the page as it is now; fail with the report."""
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, f"axe found problems on {state}:\n{results.generate_report()}"


def open_widget(page: Page, base_url: str, path: str = "/") -> None:
    """Open a page and wait until it is live (hydrated and connected)."""
    page.goto(base_url + path)
    expect(page.locator("#widget-ready")).to_be_attached(timeout=30_000)


def screenshot(page: Page, name: str) -> None:
    """Keep a full-page screenshot for people to look at (screenshots/ is not committed)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
