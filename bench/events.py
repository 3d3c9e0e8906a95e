"""Benchmark: what one event costs the running widget, and whether sign-ins hold up other users.

Serves the widget in production mode with INFOSHARE_SQL_LOG (each SQL statement's first word, one
a line) and prints:
- SQL statements per event, driven in a real Chromium by a signed-in practitioner: a glossary
  keystroke (target 0), opening the records list with 1 record and with a full page of 20 out of 60
  (target: the same small number), opening one record, saving its details, marking a follow-up;
- the event loop's longest stall during a burst of sign-ins: while SIGN_INS tabs sign in at once
  (each an Argon2 check of about a quarter of a second), a prober asks GET /ping every 5 ms on a
  kept-alive connection; /ping is answered by the same event loop, so the longest wait is the
  longest time the loop could not run. Printed beside the same prober's figures with no sign-ins.
"""

from __future__ import annotations

import datetime as dt
import http.client
import statistics
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect, sync_playwright

from bench.flowchart import percentile
from harness.browser import fill_sign_in, sign_in
from harness.chromium import CHROMIUM, CHROMIUM_ARGS
from harness.records import add_records
from harness.widget import running_widget

SIGN_INS = 12


class Statements:
    """Counts the lines of the widget's statement log."""

    def __init__(self, path: Path):
        self.path = path

    def now(self) -> dict[str, int]:
        words = self.path.read_text().split() if self.path.exists() else []
        return {"SELECT": words.count("SELECT"), "all": len(words)}

    def settled(self) -> dict[str, int]:
        last, since = self.now(), time.monotonic()
        while time.monotonic() - since < 0.6:
            time.sleep(0.1)
            current = self.now()
            if current != last:
                last, since = current, time.monotonic()
        return last

    def cost(self, action) -> dict[str, int]:
        before = self.settled()
        action()
        after = self.settled()
        return {k: after[k] - before[k] for k in after}


def sql_per_event(page: Page, url: str, folder: Path) -> list[tuple[str, dict[str, int]]]:
    log = Statements(folder / "sql.log")
    sign_in(page, url)
    figures = []
    page.get_by_role("link", name="Glossary", exact=True).click()
    search = page.get_by_role("searchbox", name="Search the glossary")
    expect(search).to_be_visible()
    keys = log.cost(lambda: (search.press_sequentially("marac", delay=60),
                             expect(page.get_by_role("link", name="MARAC").first).to_be_visible()))
    figures.append(("glossary keystroke (each of 5)", {k: v / 5 for k, v in keys.items()}))

    def open_list() -> None:
        page.get_by_role("link", name="Records", exact=True).click()
        expect(page.get_by_role("heading", name="Decision records")).to_be_visible()
        expect(page.locator("tbody tr").first).to_be_attached()

    def away_and_back() -> dict[str, int]:
        page.get_by_role("link", name="Glossary", exact=True).click()
        expect(search).to_be_visible()
        return log.cost(open_list)

    ids = add_records(folder, 1)
    figures.append(("open the records list, 1 record", away_and_back()))
    ids += add_records(folder, 59)
    figures.append(("open the records list, a page of 20 of 60", away_and_back()))

    def open_record() -> None:
        page.locator("tbody a").first.click()
        expect(page.get_by_role("button", name="Copy summary")).to_be_visible()

    figures.append(("open one record", log.cost(open_record)))

    def open_details() -> None:
        page.get_by_role("link", name="Add or correct details").click()
        expect(page.get_by_role("status").filter(has_text="Record IS-")).to_be_visible()

    figures.append(("open its details form", log.cost(open_details)))

    def save_details() -> None:
        page.get_by_label("What did the other agency say they would do?").fill("Visit within 2 days")
        page.get_by_label("Day").fill("1")
        page.get_by_label("Month").fill("3")
        page.get_by_label("Year").fill(str(dt.date.today().year + 1))
        page.get_by_role("button", name="Save details").click()
        expect(page.get_by_role("button", name="Copy summary")).to_be_visible()

    figures.append(("save details (then the record opens)", log.cost(save_details)))
    return figures


def probe(url: str, stop: threading.Event, waits: list[float]) -> None:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    while not stop.is_set():
        start = time.perf_counter()
        connection.request("GET", "/ping")
        connection.getresponse().read()
        waits.append((time.perf_counter() - start) * 1000)
        time.sleep(0.005)
    connection.close()


def probed(url: str, seconds: float | None = None, during=None) -> list[float]:
    waits: list[float] = []
    stop = threading.Event()
    prober = threading.Thread(target=probe, args=(url, stop, waits))
    prober.start()
    try:
        if during is not None:
            during()
        else:
            time.sleep(seconds or 0)
    finally:
        stop.set()
        prober.join()
    return waits


def sign_in_burst(browser, url: str) -> tuple[list[float], list[float], float]:
    contexts = [browser.new_context() for _ in range(SIGN_INS)]
    pages = [context.new_page() for context in contexts]
    for page in pages:
        page.goto(url + "/sign-in")
        expect(page.locator("#widget-ready")).to_be_attached(timeout=30_000)
        fill_sign_in(page)
    idle = probed(url, seconds=3)
    took = {}

    def burst() -> None:
        start = time.perf_counter()
        for page in pages:
            page.get_by_role("button", name="Sign in").click(no_wait_after=True)
        for page in pages:
            expect(page.get_by_role("heading", name="Decision records")).to_be_visible(timeout=60_000)
        took["s"] = time.perf_counter() - start

    busy = probed(url, during=burst)
    for context in contexts:
        context.close()
    return idle, busy, took["s"]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, running_widget(Path(tmp), "http://127.0.0.1:9") as widget:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            print("SQL statements per event (SELECT / all, including the session check and its commit):")
            for name, cost in sql_per_event(page, widget.url, widget.folder):
                print(f"  {name:44s} {cost['SELECT']:5.1f} / {cost['all']:5.1f}")
            page.close()
            idle, busy, took = sign_in_burst(browser, widget.url)
            print(f"Event loop, GET /ping every 5 ms ({len(idle)} probes idle, {len(busy)} during the burst):")
            print(f"  idle:                        median {statistics.median(idle):6.1f} ms, "
                  f"p95 {percentile(idle, 95):6.1f} ms, longest {max(idle):6.1f} ms")
            print(f"  {SIGN_INS} sign-ins at once ({took:.1f} s): median {statistics.median(busy):6.1f} ms, "
                  f"p95 {percentile(busy, 95):6.1f} ms, longest {max(busy):6.1f} ms")
            browser.close()
