"""Pages in Chromium for the browser tests: opening one until it is live and signing in (from
harness.browser), Content-Security-Policy violations, axe's WCAG 2.2 AA check, screenshots, and a
fresh context whose page errors are collected. The browser and page fixtures are in
tests/e2e/conftest.py."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from harness.browser import fill_sign_in, open_widget, sign_in
from harness.chromium import CHROMIUM, CHROMIUM_ARGS
from harness.server import ROOT

__all__ = [
    "CHROMIUM", "CHROMIUM_ARGS", "SCREENSHOTS", "WCAG_22_AA", "check_accessibility", "fill_sign_in",
    "open_widget", "screenshot", "sign_in", "watch_policy", "watched_context",
]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = ROOT / "screenshots"


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


def watched_context(browser: Browser, width: int = 1024):
    """A new context (downloads allowed) and its page, with the page's errors and its
    Content-Security-Policy violations collected: (context, page, errors, violations)."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-GB", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors, watch_policy(page)


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
