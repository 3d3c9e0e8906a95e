"""Accounts in the running widget: the test organisation and practitioner (from harness.accounts),
accounts made at an access level with the command line, an authenticator app for their second
factor, and the two steps of signing in with it."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from urllib.parse import parse_qs, urlparse

import pyotp
from playwright.sync_api import Page, expect

from harness.accounts import INSIGHT_ORG, PARTNERSHIP_VIEWER, TEST_ORG, TEST_PASSWORD, TEST_USER
from infoshare_widget.auth.second_factor import code_at
from tests.support.browser import open_widget

__all__ = [
    "INSIGHT_ORG", "PARTNERSHIP_VIEWER", "TEST_ORG", "TEST_PASSWORD", "TEST_USER", "Authenticator",
    "code_step", "make_account", "password_step",
]


def make_account(widget, username: str, name: str, level: str, org: str = TEST_ORG,
                 email: str | None = None) -> str | None:
    """An account made with the command; the authenticator secret it prints for elevated levels."""
    out = subprocess.run([sys.executable, "-m", "infoshare_widget", "create-user", org, username, name,
                          "Designated safeguarding lead", "--access", level, *(["--email", email] if email else [])],
                         env={"REFLEX_DB_URL": f"sqlite:///{widget.folder / 'e2e.db'}", "PATH": "/usr/bin:/bin"},
                         input=TEST_PASSWORD + "\n", capture_output=True, text=True, check=True).stdout
    uri = next((line for line in out.splitlines() if line.startswith("otpauth://")), None)
    return parse_qs(urlparse(uri).query)["secret"][0] if uri else None


class Authenticator:
    """An authenticator app: a fresh code each time, never one already used (codes are one-use)."""

    def __init__(self, secret: str):
        self.secret, self.last = secret, -1

    def code(self) -> str:
        while True:
            now = dt.datetime.now(dt.UTC)
            step = pyotp.TOTP(self.secret).timecode(now)
            for candidate in (step, step + 1):  # the server takes the step either side of now
                if candidate > self.last:
                    self.last = candidate
                    return code_at(self.secret, now + dt.timedelta(seconds=30 * (candidate - step)))
            time.sleep(1)


def password_step(page: Page, base_url: str, username: str, org: str = TEST_ORG) -> None:
    """Sign in's first step: organisation, username and the test password."""
    open_widget(page, base_url, "/sign-in")
    page.get_by_label("Organisation").fill(org)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def code_step(page: Page, code: str) -> None:
    """Sign in's second step: the code from the authenticator app."""
    expect(page.get_by_role("heading", name="Enter the code from your authenticator app")).to_be_visible()
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()
