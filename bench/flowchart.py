"""Benchmark: the widget's decision helper against a bare Reflex counter app, in one run.

Builds and serves both in production mode, then prints for each, and their ratio:
- in-page step latency: from the click on Continue (or the counter's button) to the changed page
  in the DOM, timed inside the page with performance.now() and a MutationObserver, median and p95;
- bytes to show the first page: every response the browser needed until the page was live,
  as sent on the wire (encoded) and with each body gzip-compressed (level 6).

Measurements alternate between the two apps in rounds, so drift on a shared machine hits both.
"""

from __future__ import annotations

import gzip
import shutil
import statistics
import tempfile
import textwrap
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.flowchart.engine import all_paths
from harness.chromium import CHROMIUM, CHROMIUM_ARGS
from harness.server import ROOT, start_reflex, stop_reflex

ROUNDS = 6
WALKS_PER_ROUND = 3  # 7 steps a walk: 6 * 3 * 7 = 126 widget steps
COUNTER_CLICKS_PER_ROUND = 21  # 126 counter steps
# The longest walk: every question answered, to "share without consent" (taken from the chart).
PATH = next(list(answers.items()) for answers, outcome in all_paths(get_chart()) if outcome == "share_without_consent")

COUNTER_APP = '''
import reflex as rx


class State(rx.State):
    count: int = 0

    @rx.event
    def increment(self):
        self.count += 1

    @rx.event
    def decrement(self):
        self.count -= 1


def index():
    return rx.hstack(
        rx.button("Decrement", on_click=State.decrement),
        rx.heading(State.count, id="count"),
        rx.button("Increment", on_click=State.increment),
    )


app = rx.App()
app.add_page(index)
'''

# The floor: the same counter drawn with plain HTML elements (no component library, as the widget
# is drawn), so the first page's bytes show what Reflex itself costs before any content.
PLAIN_APP = '''
import reflex as rx


class State(rx.State):
    count: int = 0

    @rx.event
    def increment(self):
        self.count += 1


def index():
    return rx.el.div(
        rx.el.p(State.count, id="count"),
        rx.el.button("Increment", type="button", on_click=State.increment),
    )


app = rx.App()
app.add_page(index)
'''

COUNTER_CONFIG = '''
import reflex as rx

config = rx.Config(app_name="counter", telemetry_enabled=False, disable_plugins=[rx.plugins.SitemapPlugin])
'''

# Clicks, waits for the page to show the change, inside the page; returns milliseconds. "Shows"
# means: the DOM changed (seen by a MutationObserver) and the browser has computed the new styles
# and layout (forced by reading the layout), so CSS-driven and DOM-driven updates are timed alike.
TIME_CLICK_JS = """
async ({clickSelector, probe}) => {
  const read = new Function(`return (${probe})`);
  const before = read();
  return await new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (read() !== before) {
        observer.disconnect();
        document.body.getBoundingClientRect();
        resolve(performance.now() - start);
      }
    });
    observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
    const start = performance.now();
    document.querySelector(clickSelector).click();
  });
}
"""
WIDGET_PROBE = "document.querySelector('section.step:not([hidden])').dataset.step"
COUNTER_PROBE = "document.querySelector('#count').textContent"


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def widget_walk(page: Page) -> list[float]:
    """Walk the chart once to an outcome, timing each Continue; then start again (not timed)."""
    times = []
    for qid, value in PATH:
        page.locator(f"#{qid}-{value}").check()
        times.append(
            page.evaluate(
                TIME_CLICK_JS,
                {"clickSelector": f'form[data-question="{qid}"] button[type=submit]', "probe": WIDGET_PROBE},
            )
        )
    page.get_by_role("button", name="Start again").click()
    page.get_by_role("radio", name="Yes").wait_for()
    return times


def counter_clicks(page: Page, n: int) -> list[float]:
    """Click Increment n times, timing each until the count changes."""
    return [
        page.evaluate(
            TIME_CLICK_JS, {"clickSelector": "button:nth-of-type(2)", "probe": COUNTER_PROBE}
        )
        for _ in range(n)
    ]


def first_page_bytes(browser, url: str, ready_selector: str) -> dict[str, int]:
    """Load the page in a fresh context and add up what the browser fetched until it was live."""
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    wire: dict[str, int] = {}
    cdp.on("Network.loadingFinished", lambda e: wire.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    bodies: list[bytes] = []

    def keep(response):
        try:
            bodies.append(response.body())
        except Exception:  # noqa: BLE001 - redirects and websockets have no body
            pass

    page.on("response", keep)
    page.goto(url, wait_until="networkidle")
    page.locator(ready_selector).wait_for(state="attached")
    page.wait_for_timeout(500)
    result = {
        "requests": len(bodies),
        "raw": sum(len(b) for b in bodies),
        "gzip": sum(len(gzip.compress(b, compresslevel=6)) for b in bodies),
        "wire": sum(wire.values()),
    }
    context.close()
    return result


def make_counter_app(where: Path, source: str = COUNTER_APP, folder: str = "counter") -> Path:
    """Write the bare counter app (as in Reflex's own docs) into a folder of its own (or, with
    PLAIN_APP, the same drawn with plain elements)."""
    app_root = where / folder
    (app_root / "counter").mkdir(parents=True, exist_ok=True)
    (app_root / "counter" / "__init__.py").write_text("")
    (app_root / "counter" / "counter.py").write_text(textwrap.dedent(source))
    (app_root / "rxconfig.py").write_text(textwrap.dedent(COUNTER_CONFIG))
    # Reuse the widget's JS lockfile so the bare app installs the same package versions.
    shutil.copytree(ROOT / "reflex.lock", app_root / "reflex.lock", dirs_exist_ok=True)
    return app_root


def fmt(values: list[float]) -> str:
    return f"median {statistics.median(values):6.2f} ms   p95 {percentile(values, 95):6.2f} ms   (n={len(values)})"


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="infoshare-bench-"))
    print("Building and starting both apps in production mode (this takes a minute)...", flush=True)
    widget_url, widget = start_reflex(ROOT, work)
    counter_url, counter = start_reflex(make_counter_app(work), work, migrate=False)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            widget_page = browser.new_page()
            widget_page.goto(widget_url)
            widget_page.locator("#widget-ready").wait_for(state="attached")
            counter_page = browser.new_page()
            counter_page.goto(counter_url)
            counter_page.locator("#count").wait_for()
            counter_page.wait_for_timeout(1000)
            # Warm up both (JIT, socket) before measuring.
            widget_walk(widget_page)
            counter_clicks(counter_page, 10)

            widget_times: list[float] = []
            counter_times: list[float] = []
            for _ in range(ROUNDS):
                for _ in range(WALKS_PER_ROUND):
                    widget_times += widget_walk(widget_page)
                counter_times += counter_clicks(counter_page, COUNTER_CLICKS_PER_ROUND)

            widget_bytes = first_page_bytes(browser, widget_url + "/", "#widget-ready")
            counter_bytes = first_page_bytes(browser, counter_url + "/", "#count")
            browser.close()
    finally:
        stop_reflex(widget)
        stop_reflex(counter)
    # The floor, alone (the timing above is over): Reflex's own first page with plain elements.
    plain_url, plain = start_reflex(make_counter_app(work, PLAIN_APP, "plain"), work, migrate=False)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            plain_bytes = first_page_bytes(browser, plain_url + "/", "#count")
            browser.close()
    finally:
        stop_reflex(plain)
        shutil.rmtree(work, ignore_errors=True)

    w_med, c_med = statistics.median(widget_times), statistics.median(counter_times)
    w_p95, c_p95 = percentile(widget_times, 95), percentile(counter_times, 95)
    print()
    print("Step latency, click to DOM change, timed in the page")
    print(f"  widget (Continue)      {fmt(widget_times)}")
    print(f"  bare counter (click)   {fmt(counter_times)}")
    print(f"  ratio widget/bare      median {w_med / c_med:.2f}   p95 {w_p95 / c_p95:.2f}   (target <= 1.25)")
    print()
    print("First page, everything fetched until the page is live")
    for name, b in (("widget", widget_bytes), ("bare counter", counter_bytes), ("plain counter", plain_bytes)):
        print(
            f"  {name:<14} gzip {b['gzip'] / 1024:7.1f} KiB   on the wire {b['wire'] / 1024:7.1f} KiB   "
            f"raw {b['raw'] / 1024:7.1f} KiB   requests {b['requests']}"
        )
    print(
        f"  ratio widget/bare      gzip {widget_bytes['gzip'] / counter_bytes['gzip']:.2f}   "
        f"wire {widget_bytes['wire'] / counter_bytes['wire']:.2f}   (target, issue 24: gzip <= 0.50)"
    )
    print(
        f"  ratio plain/bare       gzip {plain_bytes['gzip'] / counter_bytes['gzip']:.2f}   (Reflex's own floor: "
        "the same counter with plain elements, no content)"
    )


if __name__ == "__main__":
    main()
