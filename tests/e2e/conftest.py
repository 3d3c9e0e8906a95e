"""Browser tests: start the widget once in production mode, drive Debian's Chromium with Playwright.

Set E2E_BASE_URL to test a widget that is already running instead of starting one.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

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


# The intranet partner the embedding tests sign identity tokens as.
PARTNER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


# An organisation of the insight tests' own (its figures are theirs alone), and the account there
# that the partnership file names for the insight page's partnership view.
INSIGHT_ORG, PARTNERSHIP_VIEWER = "insight-trust", "pat"


def write_test_partnership(folder: Path, host_origin: str, insight: dict | None = None) -> Path:
    """The example partnership, plus one embedding partner whose intranet is at host_origin, and the
    insight organisation's `pat` as a partnership viewer (with `insight` settings added)."""
    data = yaml.safe_load((ROOT / "partnership.example.yaml").read_text(encoding="utf-8"))
    data["insight"] = {**data["insight"], "partnership_viewers": [
        {"organisation": INSIGHT_ORG, "username": PARTNERSHIP_VIEWER}], **(insight or {})}
    public = PARTNER_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    (folder / "partner.pub.pem").write_bytes(public)
    data["embed_partners"] = [
        {"issuer": host_origin, "algorithm": "RS256", "public_key_file": "partner.pub.pem",
         "organisations": [TEST_ORG], "origins": [host_origin]}
    ]
    path = folder / "partnership.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def host_ports() -> tuple[int, int]:
    """Ports for intranet pages on another site (127.0.0.1): one allowed to frame the widget, one not."""
    return free_port(), free_port()


@dataclass(frozen=True)
class Widget:
    """A running widget: its address, and the folder with its database and pickled states (None
    for a widget started elsewhere, E2E_BASE_URL)."""

    url: str
    folder: Path | None
    process: object = None  # the server process (its supervisor), for tests that kill its workers


@contextmanager
def running_widget(folder: Path, host_origin: str, extra_env: dict[str, str] | None = None, *,
                   own_build: bool = False, insight: dict | None = None):
    """Start the widget in production mode with the test partnership and practitioner; stop it after.
    A second widget, started while the session's runs, needs its own build (see start_reflex)."""
    partnership = write_test_partnership(folder, host_origin, insight)
    # Every SQL statement's first word, one a line, so tests can count statements per event.
    url, process = start_reflex(ROOT, folder, {"INFOSHARE_PARTNERSHIP_FILE": str(partnership),
                                               "INFOSHARE_SQL_LOG": str(folder / "sql.log"),
                                               # The test intranet's own sign-on header (test_privacy).
                                               "INFOSHARE_PRIVATE_HEADERS": "X-Intranet-SSO",
                                               **(extra_env or {})},
                                own_build=own_build)
    db_url = (extra_env or {}).get("REFLEX_DB_URL")
    try:
        run_records_command(folder, "create-org", TEST_ORG, "Example Trust", db_url=db_url)
        run_records_command(folder, "create-user", TEST_ORG, TEST_USER, "Sam Jones", "Health visitor",
                            stdin=TEST_PASSWORD + "\n", db_url=db_url)
        yield Widget(url, folder, process)
    finally:
        stop_reflex(process)


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


def open_widget(page: Page, base_url: str, path: str = "/") -> None:
    """Open a page and wait until it is live (hydrated and connected)."""
    page.goto(base_url + path)
    expect(page.locator("#widget-ready")).to_be_attached(timeout=30_000)


def screenshot(page: Page, name: str) -> None:
    """Keep a full-page screenshot for people to look at (screenshots/ is not committed)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    # Sections off screen are skipped by content-visibility: auto (for speed); a full-page picture
    # would show them blank, so paint everything for the picture only.
    style = page.add_style_tag(content="* { content-visibility: visible !important; }")
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    style.evaluate("element => element.remove()")


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


def add_records(folder: Path, n: int) -> list[str]:
    """Record n refer-now decisions for the test organisation straight into the widget's database
    (one a minute from 1 January 2026); their ids."""
    import datetime as dt

    from sqlmodel import Session

    from infoshare_widget.flowchart.chart import get_chart
    from infoshare_widget.base.db import make_engine
    from sqlmodel import select

    from infoshare_widget.auth.models import AppUser
    from infoshare_widget.base.acting import Actor
    from infoshare_widget.records.service import record_decision

    engine = make_engine(f"sqlite:///{folder / 'e2e.db'}")
    try:
        with Session(engine) as session:
            # Made by the test practitioner, so they see them at the recorder level too.
            user = session.exec(select(AppUser).where(AppUser.org_id == TEST_ORG,
                                                      AppUser.username == TEST_USER)).first()
            actor = Actor(TEST_ORG, user.name, user.role, user.id)
            return [record_decision(session=session, actor=actor, chart=get_chart(),
                                    answers={"immediate_danger": "no", "significant_harm": "yes"},
                                    now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=i)).id
                    for i in range(n)]
    finally:
        engine.dispose()
