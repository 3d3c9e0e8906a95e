"""The load benchmark's socket.io driver (bench/sio.py) against the real widget: it reads what to send
from the build, and a handful of simulated practitioners load, hydrate, change page, sign in and
record, with nothing failing. Keeps `make bench`'s load figures honest as Reflex or the widget change."""

from __future__ import annotations

import asyncio
import os
import threading

from bench import browser_http, load, practitioner
from bench.sio import Build, Client, field_of
from tests.support import ROOT


def _in_thread(coroutine):
    """Run a coroutine on a loop of its own (the browser tests keep one running in this thread)."""
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("result", asyncio.run(coroutine)))
    thread.start()
    thread.join()
    return box["result"]


def test_the_driver_hydrates_changes_page_signs_in_and_records_like_a_browser(widget):
    build = Build.read(ROOT / ".web", practitioner.HANDLERS)
    assert build.namespace == "/_event" and build.boot_event.endswith(".hydrate_and_load")
    target = load.Target("widget", widget.url, os.getpgid(widget.process.pid), build,
                         ("/", "/glossary", "/sign-in"), True)
    figures = _in_thread(load._load(target, 10, 2))
    assert (figures.page_fail, figures.connect_fail, figures.event_fail, figures.record_fail) == (0, 0, 0, 0)
    assert len(figures.hydrate) == 10 and len(figures.event) == 30
    assert len(figures.page) == 10 and all(seconds > 0 for seconds in figures.page)
    assert len(figures.sign_in) == len(figures.record) == 2
    assert all(size > 500 for size in figures.hydrate_bytes)
    assert figures.pages == 10 and figures.socket_events == 10 + 30 + 2  # hydrates, page changes, records
    assert figures.sign_in_cpu_ms > 0
    assert figures.page_cpu_ms > 0  # the server's processes were found and read


def test_a_cold_page_load_fetches_every_script_and_style_the_page_names(widget):
    """The burst's page load is the page and its assets, as a browser on a cold cache fetches them
    (over keep-alive connections, each answer read to its end: bench/browser_http.py)."""
    build = Build.read(ROOT / ".web", practitioner.HANDLERS)
    target = load.Target("widget", widget.url, os.getpgid(widget.process.pid), build, ("/",), False)
    import httpx

    page = httpx.get(widget.url + "/", headers={"Accept-Encoding": "gzip"}, timeout=30).text
    assets = set(load.ASSET.findall(page))
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets), assets
    seen: list[str] = []

    async def timed() -> float:
        started = asyncio.get_running_loop().time()
        await browser_http.cold_visit(target.url, "/", 30, seen)
        return asyncio.get_running_loop().time() - started

    assert _in_thread(timed()) > 0
    assert seen[0] == "/" and set(seen[1:]) == assets


def test_a_failed_event_is_named_in_the_trouble_signal(widget):
    """An event the server cannot carry out (here a record event with an argument its handler does not
    take) is answered with the trouble signal naming its number, not silence."""
    build = Build.read(ROOT / ".web")

    async def run() -> tuple[str, int]:
        client = Client(build, widget.url, widget.url)
        await client.connect(30)
        seq = await client.emit("reflex___state____state.infoshare_widget___records___state____record_state."
                                "record_decision", {"answers": [], "walk": "x", "secret": 5, "key": {}, "extra": 1})
        deadline = asyncio.get_running_loop().time() + 10
        while True:
            update = await client.next_update(max(0.01, deadline - asyncio.get_running_loop().time()))
            value = field_of(update.get("delta") or {}, "trouble_state", "signal")
            if value:
                await client.close()
                return value, seq

    value, seq = _in_thread(run())
    assert value == f"{seq}:failed"
