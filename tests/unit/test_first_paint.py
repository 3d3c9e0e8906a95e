"""The pages' stylesheet is inlined and its link no longer blocks the first paint; nothing else
changes (other responses stream as they were)."""

from __future__ import annotations

import gzip

import brotli
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from infoshare_widget.web.first_paint import FirstPaint, inline_stylesheets

LINK = '<link href="/assets/__reflex_global_styles-AB12.css" rel="stylesheet" type="text/css"/>'
PAGE = f'<html><head><link as="style" href="/assets/__reflex_global_styles-AB12.css" rel="preload"/>{LINK}' \
       "</head><body><main>Hello</main></body></html>"
CSS = "body{color:#0b0c0c}.x::after{content:'</style><script>alert(1)</script>'}"


def test_the_stylesheet_goes_into_the_page_and_its_link_stops_blocking():
    out = inline_stylesheets(PAGE, {"/assets/__reflex_global_styles-AB12.css": CSS}.get)
    assert out.count("<style") == 1 and "body{color:#0b0c0c}" in out
    assert "</style><script>" not in out  # the text cannot end the element
    assert 'media="print" onload="this.media=\'all\'"' in out
    assert out.index("<style") < out.index('rel="stylesheet"')
    assert LINK not in out and 'rel="preload"' in out  # the preload still starts the fetch early


def test_an_unknown_or_unreadable_stylesheet_is_left_alone():
    assert inline_stylesheets(PAGE, lambda href: None) == PAGE
    odd = PAGE.replace("/assets/__reflex_global_styles-AB12.css", "https://elsewhere.example/x.css")
    assert inline_stylesheets(odd, lambda href: "x{}") == odd


def _app(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "__reflex_global_styles-AB12.css").write_text(CSS)

    def page(request):
        if request.headers.get("if-none-match") == '"abc"':
            return Response(status_code=304, headers={"etag": '"abc"'})
        if "br" in request.headers.get("accept-encoding", ""):
            return Response(brotli.compress(PAGE.encode()), media_type="text/html",
                            headers={"content-encoding": "br", "etag": '"abc"'})
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(gzip.compress(PAGE.encode()), media_type="text/html",
                            headers={"content-encoding": "gzip", "etag": '"abc"'})
        return HTMLResponse(PAGE, headers={"etag": '"abc"'})

    def stream(request):
        return StreamingResponse(iter([b"<html>", LINK.encode(), b"</html>"]), media_type="text/html")

    inner = Starlette(routes=[
        Route("/", page), Route("/records/{anything}", page), Route("/gone", lambda r: HTMLResponse(PAGE, status_code=404)),
        Route("/api/v1/page", page), Route("/data", lambda r: JSONResponse({"link": LINK})),
        Route("/stream", stream),
    ])
    return TestClient(FirstPaint(inner, lambda: tmp_path))


def test_served_pages_are_rewritten_in_every_encoding_and_nothing_else_is(tmp_path):
    client = _app(tmp_path)
    plain = client.get("/", headers={"accept-encoding": "identity"})
    assert "body{color:#0b0c0c}" in plain.text and int(plain.headers["content-length"]) == len(plain.content)
    assert plain.headers["etag"] == '"abc-inlined"'
    zipped = client.get("/", headers={"accept-encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and "body{color:#0b0c0c}" in zipped.text
    squeezed = client.get("/", headers={"accept-encoding": "br, gzip"})
    assert squeezed.headers["content-encoding"] == "br"
    assert "body{color:#0b0c0c}" in squeezed.text  # the test client decodes Brotli as browsers do
    with client.stream("GET", "/", headers={"accept-encoding": "br"}) as response:
        raw = b"".join(response.iter_raw())
    assert int(response.headers["content-length"]) == len(raw)
    assert "body{color:#0b0c0c}" in brotli.decompress(raw).decode()
    assert client.get("/gone").text == PAGE  # errors as they were
    assert client.get("/api/v1/page", headers={"accept-encoding": "identity"}).text == PAGE  # the API's own
    assert client.get("/data").json() == {"link": LINK}
    assert "body{color" in client.get("/stream").text  # a streamed page is gathered, then rewritten
    assert client.head("/").status_code in (200, 405)


def test_a_browser_s_copy_of_a_rewritten_page_is_confirmed_with_no_bytes(tmp_path):
    client = _app(tmp_path)
    tag = client.get("/", headers={"accept-encoding": "gzip"}).headers["etag"]
    assert tag == '"abc-inlined"'
    again = client.get("/", headers={"accept-encoding": "gzip", "if-none-match": tag})
    assert again.status_code == 304 and again.headers["etag"] == tag and again.content == b""
    # Another tag (an older build's page): the page itself, rewritten.
    other = client.get("/", headers={"accept-encoding": "gzip", "if-none-match": '"old-inlined"'})
    assert other.status_code == 200 and "body{color:#0b0c0c}" in other.text


def test_the_rewritten_pages_are_kept_by_file_not_by_address(tmp_path):
    """Every address of a dynamic route gets the same page: one rewrite kept, however many addresses
    are asked for (an address in the key would let anyone grow the cache without end)."""
    client = _app(tmp_path)
    for n in range(300):
        assert "body{color" in client.get(f"/records/{n}", headers={"accept-encoding": "gzip"}).text
    pages = client.app._pages
    assert len(pages) == 1


def test_a_server_that_sends_files_by_path_is_asked_for_the_bytes(tmp_path):
    import asyncio

    seen = {}

    async def inner(scope, receive, send):
        seen["extensions"] = scope["extensions"]
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.body", "body": PAGE.encode()})

    sent = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "headers": [],
             "extensions": {"http.response.pathsend": {}, "other": {}}}
    # In a thread of its own: the browser tests leave an event loop running in this one.
    import threading

    worker = threading.Thread(target=lambda: asyncio.run(FirstPaint(inner, lambda: tmp_path)(scope, None, send)))
    worker.start()
    worker.join()
    assert seen["extensions"] == {"other": {}}
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
