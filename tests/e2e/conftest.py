"""Browser tests: start the widget once in production mode, drive Debian's Chromium with Playwright.

Set E2E_BASE_URL to test a widget that is already running instead of starting one.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = ROOT / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the widget stopped while starting:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the widget did not answer at {url} within {timeout:.0f} s:\n{log.read_text()[-4000:]}")


def start_widget(tmp: Path, extra_env: dict[str, str] | None = None) -> tuple[str, subprocess.Popen]:
    """Start `reflex run --env prod` on a free port with its own SQLite file; return (url, process)."""
    port = _free_port()
    log = tmp / f"widget-{port}.log"
    env = {
        **os.environ,
        "REFLEX_DB_URL": f"sqlite:///{tmp / 'e2e.db'}",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{Path(sys.executable).parent}:{os.environ['PATH']}",
        **(extra_env or {}),
    }
    subprocess.run([sys.executable, "-m", "reflex", "db", "migrate"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    with log.open("w") as log_file:  # the child keeps its own copy of the handle
        process = subprocess.Popen(
            [sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port",
             "--frontend-port", str(port), "--backend-port", str(port)],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )
    url = f"http://localhost:{port}"
    try:
        _wait_for(f"{url}/ping", process, log)
        _wait_for(f"{url}/", process, log)
    except Exception:
        stop_widget(process)
        raise
    return url, process


def stop_widget(process: subprocess.Popen) -> None:
    """Stop the widget's whole process group."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="session")
def base_url(tmp_path_factory) -> str:
    if os.environ.get("E2E_BASE_URL"):
        yield os.environ["E2E_BASE_URL"].rstrip("/")
        return
    url, process = start_widget(tmp_path_factory.mktemp("widget"))
    yield url
    stop_widget(process)


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
