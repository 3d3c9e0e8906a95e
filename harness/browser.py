"""Pages of the running widget in Playwright: open one until it is live, and sign in as the test
practitioner."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from harness.accounts import TEST_ORG, TEST_PASSWORD, TEST_USER


def open_widget(page: Page, base_url: str, path: str = "/") -> None:
    """Open a page and wait until it is live (hydrated and connected)."""
    page.goto(base_url + path)
    expect(page.locator("#widget-ready")).to_be_attached(timeout=30_000)


def fill_sign_in(scope) -> None:
    """Type the test practitioner's organisation, username and password into a sign-in form."""
    scope.get_by_label("Organisation").fill(TEST_ORG)
    scope.get_by_label("Username").fill(TEST_USER)
    scope.get_by_label("Password").fill(TEST_PASSWORD)


def sign_in(page: Page, url: str) -> None:
    """Sign in on the sign-in page and wait for the records list."""
    open_widget(page, url, "/sign-in")
    fill_sign_in(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Decision records")).to_be_visible(timeout=60_000)
