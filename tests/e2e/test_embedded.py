"""The widget inside a partner's intranet page on another site, in Chromium with default settings
(third-party storage blocked): it works where the origin is listed, and is refused where it is not."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Example Trust intranet</title></head>
<body><h1>Example Trust intranet</h1>
<iframe id="widget" title="InfoShare: may I share this information?" src="{src}"
        style="width:360px;height:600px;border:1px solid #888"></iframe>
</body></html>"""


@pytest.fixture(scope="module")
def intranets(tmp_path_factory, host_ports, base_url):
    """Two intranet pages on the 127.0.0.1 site (the widget is on localhost): allowed, and not listed."""
    folder = tmp_path_factory.mktemp("intranet")
    (folder / "index.html").write_text(HOST_PAGE.format(src=base_url + "/"), encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) for port in host_ports]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield [f"http://127.0.0.1:{port}/index.html" for port in host_ports]
    for server in servers:
        server.shutdown()
        server.server_close()


def test_the_widget_works_in_a_cross_site_frame_with_storage_blocked(page, intranets):
    page.goto(intranets[0])
    frame = page.frame_locator("#widget")
    expect(frame.locator("#widget-ready")).to_be_attached(timeout=30_000)
    # The browser blocked the frame's storage, and the stand-in took its place.
    assert page.frames[1].evaluate("() => !(window.localStorage instanceof Storage)")
    frame.get_by_role("radio", name="No", exact=True).check()
    frame.get_by_role("button", name="Continue").click()
    expect(frame.get_by_role("heading", level=1)).to_contain_text("significant harm")
    assert page.frames[1].evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    screenshot(page, "embedded-cross-site")


def test_an_unlisted_intranet_cannot_frame_the_widget(page, intranets):
    page.goto(intranets[1])
    page.wait_for_load_state("load")
    page.wait_for_timeout(1500)
    expect(page.frame_locator("#widget").locator("#widget-ready")).to_have_count(0)
