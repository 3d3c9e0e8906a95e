"""Who may frame the widget and open its websocket: an ASGI wrapper around the whole app.

Every HTTP response gets `Content-Security-Policy: frame-ancestors 'self' <allowed origins>`, so
browsers refuse to show the widget inside any other site. A websocket handshake whose Origin is not
the widget's own (INFOSHARE_PUBLIC_ORIGIN, from configuration, never the request's Host header) or
an allowed one is refused before it is accepted (browsers always send Origin; other clients are not
the threat this guards against). CORS itself is Reflex's, configured in rxconfig.py with the same
origins.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

ASGIApp = object


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, lower case."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}" if parts.scheme and parts.netloc else ""


def frame_ancestors(origins: Iterable[str]) -> str:
    """The CSP header value for these origins (and the widget itself)."""
    return " ".join(["frame-ancestors", "'self'", *sorted(set(origins))])


class EmbedGuard:
    """Adds frame-ancestors to HTTP responses and checks the Origin of websocket handshakes."""

    def __init__(self, app, allowed_origins: Iterable[str], own_origins: Iterable[str]):
        self.app = app
        framers = {origin_of(o) for o in allowed_origins} - {""}
        self.allowed = frozenset(framers | {origin_of(o) for o in own_origins} - {""})
        self.csp = frame_ancestors(framers).encode()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            origin = dict(scope.get("headers") or []).get(b"origin")
            if origin is not None and origin.decode("latin-1").lower() not in self.allowed:
                await receive()  # the websocket.connect message
                await send({"type": "websocket.close", "code": 1008})
                return
            return await self.app(scope, receive, send)
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-security-policy"]
                headers.append((b"content-security-policy", self.csp))
                headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def guard(allowed_origins: Iterable[str], own_origins: Iterable[str]):
    """An api_transformer for rx.App: wraps the whole app in EmbedGuard."""
    allowed, own = tuple(allowed_origins), tuple(own_origins)
    return lambda app: EmbedGuard(app, allowed, own)
