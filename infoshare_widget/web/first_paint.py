"""The first paint without waiting for the stylesheet: each page's stylesheet is written into the
page itself, and its <link> no longer holds up rendering.

On a phone's line (150 ms round trip, 1.6 Mbit/s), the page could not be painted until the
stylesheet it links had been asked for and had arrived, behind the React bundle's module
preloads: about a fifth of a second after the page itself. The build's HTML is rewritten once per
file as it is served (then kept): the stylesheet's text goes into a <style> in the head, and the
<link> stays (React expects it when it takes over the page) but with media="print" until it has
loaded, so it no longer blocks the first paint. React 19 skips the extra <style> in the head when it
hydrates, and does not compare attributes in production. The Content-Security-Policy already
allows inline styles and scripts.

The links are found by their text as React Router writes it, and the build's folder where Reflex
keeps it (compat/web_build.py). `inline_stylesheets` is the pure rewrite (tested on its own);
`FirstPaint` is the ASGI wrapper,
which touches only successful GET responses that are HTML, leaves every other response streaming
as it was, and keeps the precompressed form (Brotli or gzip: the build writes both, rxconfig.py, and
Reflex serves the one the browser takes first). A rewritten page is compressed again once and kept:
Brotli at quality 9 (about 20 ms for the decide page, a fifth smaller than gzip; 11 takes 15 times as
long for 2 % less), gzip at 6.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import brotli

from infoshare_widget.compat.web_build import MODULE_PRELOAD, STYLESHEET_LINK, static_dir

MAX_CSS_BYTES = 200_000
MAX_HTML_BYTES = 2_000_000
MAX_PAGES = 128
ENCODINGS = ("", "gzip", "br")
INLINED_TAG = b'-inlined"'  # the end of a rewritten page's ETag
SKIP_PREFIXES = ("/api/", "/assets/", "/_", "/ping", "/embed")


def inline_stylesheets(html: str, read: Callable[[str], str | None]) -> str:
    """The page with each linked stylesheet's text inlined before its link, and the link made
    non-blocking. `read(href)` gives a stylesheet's text, or None to leave that link alone."""

    def rewrite(match: re.Match) -> str:
        css = read(match["href"])
        if css is None:
            return match[0]
        css = css.replace("</", "<\\/")  # the text cannot end the <style> element early
        return (f'<style data-inlined="{match["href"]}">{css}</style>'
                f'<link href="{match["href"]}" rel="stylesheet" type="text/css" media="print" '
                "onload=\"this.media='all'\"/>")

    html = STYLESHEET_LINK.sub(rewrite, html, count=4)
    # The React bundle is not needed for the first tap (flow.js answers without it): its preloads
    # wait behind the page itself rather than share the line with it.
    return MODULE_PRELOAD.sub(lambda m: f'<link rel="modulepreload" href="{m["href"]}" fetchpriority="low"/>', html)


class FirstPaint:
    """ASGI middleware: serve the build's HTML pages with their stylesheets inlined."""

    def __init__(self, app, static_dir: Callable[[], Path]):
        self.app = app
        self.static_dir = static_dir
        self._css: dict[str, str | None] = {}
        self._pages: dict[tuple, bytes] = {}

    def _read(self, href: str) -> str | None:
        if href not in self._css:
            root = self.static_dir().resolve()
            path = (root / href.lstrip("/")).resolve()
            try:
                text = path.read_text(encoding="utf-8") if path.is_relative_to(root) else None
            except OSError:
                text = None
            self._css[href] = text if text is not None and len(text) <= MAX_CSS_BYTES else None
        return self._css[href]

    def _rewritten(self, key: tuple, body: bytes, encoding: str) -> bytes:
        if key not in self._pages:
            if len(self._pages) >= MAX_PAGES:  # a build has a few dozen pages; more means files changed
                self._pages.clear()
            raw = gzip.decompress(body) if encoding == "gzip" else brotli.decompress(body) if encoding == "br" else body
            page = inline_stylesheets(raw.decode("utf-8"), self._read).encode("utf-8")
            self._pages[key] = (gzip.compress(page, 6, mtime=0) if encoding == "gzip"
                                else brotli.compress(page, quality=9) if encoding == "br" else page)
        return self._pages[key]

    async def __call__(self, scope, receive, send):
        if (scope["type"] != "http" or scope.get("method") != "GET"
                or str(scope.get("path", "")).startswith(SKIP_PREFIXES)):
            return await self.app(scope, receive, send)
        # Ask for the file's bytes as body messages (not handed to the server by path), so they can
        # be read here: pages are small.
        extensions = {k: v for k, v in (scope.get("extensions") or {}).items()
                      if k not in ("http.response.pathsend", "http.response.zerocopysend")}
        # A browser asking whether its copy of a rewritten page is still current names the rewritten
        # page's tag: ask the server about the file it was made from, and answer "not modified" with
        # the rewritten tag (a repeat visit then costs one round trip and no page bytes).
        asked_inlined = False
        headers_in = []
        for name, value in scope.get("headers") or []:
            if name.lower() == b"if-none-match" and INLINED_TAG in value:
                asked_inlined = True
                value = value.replace(INLINED_TAG, b'"')
            headers_in.append((name, value))
        scope = {**scope, "extensions": extensions, "headers": headers_in}
        start: dict | None = None
        chunks: list[bytes] = []
        passing = False

        async def capture(message):
            nonlocal start, passing
            if passing:
                return await send(message)
            if message["type"] == "http.response.start" and message.get("status") == 304 and asked_inlined:
                passing = True
                return await send({**message, "headers": [
                    (k, v.rstrip(b'"') + INLINED_TAG if k.lower() == b"etag" else v)
                    for k, v in message.get("headers", [])]})
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                html = headers.get(b"content-type", b"").startswith(b"text/html")
                encoding = headers.get(b"content-encoding", b"").decode("latin-1")
                if message.get("status") != 200 or not html or encoding not in ENCODINGS:
                    passing = True
                    return await send(message)
                start = message
                return None
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if sum(map(len, chunks)) > MAX_HTML_BYTES:  # not a page of ours: let it through as it is
                    passing = True
                    await send(start)
                    await send({"type": "http.response.body", "body": b"".join(chunks),
                                "more_body": message.get("more_body", False)})
                    return None
                if message.get("more_body"):
                    return None
                await self._answer(scope, start, b"".join(chunks), send)
                return None
            if start is not None:  # anything else after a held start: let the start go first
                passing = True
                await send(start)
            return await send(message)

        return await self.app(scope, receive, capture)

    async def _answer(self, scope, start: dict, body: bytes, send) -> None:
        headers = [(k, v) for k, v in start.get("headers", [])]
        found = {k.lower(): v for k, v in headers}
        encoding = found.get(b"content-encoding", b"").decode("latin-1")
        # Keyed by the file served, not the address: every address of a dynamic route (/records/<any>)
        # is served the same page, and an address in the key would let anyone grow the cache without end.
        key = (encoding, found.get(b"etag") or hashlib.blake2b(body, digest_size=16).digest(), len(body))
        try:
            new = self._rewritten(key, body, encoding)
        except (OSError, UnicodeDecodeError, EOFError, gzip.BadGzipFile, brotli.error):
            new = body
        headers = [(k, v) for k, v in headers if k.lower() not in (b"content-length", b"etag")]
        headers.append((b"content-length", str(len(new)).encode()))
        if b"etag" in found and new is not body:
            headers.append((b"etag", found[b"etag"].rstrip(b'"') + INLINED_TAG))
        elif b"etag" in found:
            headers.append((b"etag", found[b"etag"]))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": new, "more_body": False})


def first_paint():
    """An api_transformer for rx.App: wraps the whole app in FirstPaint (the build's pages, found
    where compat/web_build.py says Reflex keeps them)."""
    return lambda app: FirstPaint(app, static_dir)
