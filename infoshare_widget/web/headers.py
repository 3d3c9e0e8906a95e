"""Who may frame the widget and open its websocket, and the security headers: an ASGI wrapper around
the whole app.

Every HTTP response gets a Content-Security-Policy (see `content_security_policy`) whose
frame-ancestors lists the allowed origins, so browsers refuse to show the widget inside any other
site; Referrer-Policy no-referrer; a Permissions-Policy that turns off camera, microphone and
geolocation; nosniff; Strict-Transport-Security when the widget's own origin is https;
Cache-Control no-store on the records pages; no-cache on every other page (a browser may keep it
but must ask each time whether it is still current, so nobody is shown advice older than what is
deployed; the answer is "not modified" when it is, see first_paint.py); and Cache-Control immutable
for a year on the build's
files under /assets/, whose names carry a hash of their content (a new build names its files anew),
so a repeat visit takes them from the browser's cache without asking (nginx says the same, deploy/). A websocket handshake whose Origin is not
the widget's own (INFOSHARE_PUBLIC_ORIGIN, from configuration, never the request's Host header) or
an allowed one is refused before it is accepted (browsers always send Origin; other clients are not
the threat this guards against). CORS itself is Reflex's, configured in rxconfig.py with the same
origins.

A websocket handshake's credentials (cookies, Authorization, single sign-on token headers, and any
named in INFOSHARE_PRIVATE_HEADERS) are removed before Reflex sees the handshake: Reflex keeps the
handshake's headers in every state's router data, and states are pickled to disk or Redis, so an
intranet's sign-on cookie would otherwise sit there. The widget needs none of them (its own session
secret travels in each event).
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
    """The CSP frame-ancestors directive for these origins (and the widget itself)."""
    return " ".join(["frame-ancestors", "'self'", *sorted(set(origins))])


def _websocket_origin(origin: str) -> str:
    return "wss://" + origin.removeprefix("https://") if origin.startswith("https://") else (
        "ws://" + origin.removeprefix("http://"))


def content_security_policy(framers: Iterable[str], own_origins: Iterable[str]) -> str:
    """The policy: only the widget's own scripts, styles, images and connections.

    Scripts need 'unsafe-inline' (the build's inline hydration scripts and the head's settings) but
    not 'unsafe-eval': the widget never has the browser evaluate code sent by the server. Styles need
    'unsafe-inline' for React's style attributes. The websocket is the widget's own origin.
    """
    sockets = sorted({_websocket_origin(o) for o in own_origins if o})
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        " ".join(["connect-src", "'self'", *sockets]),
        # The offline copy's worker (assets/sw.js) and the web app manifest: the widget's own only.
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        frame_ancestors(framers),
    ])


PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Headers that carry someone's credentials: never passed on with a websocket handshake.
PRIVATE_HEADERS = frozenset({
    b"cookie", b"authorization", b"proxy-authorization", b"cf-access-jwt-assertion",
    b"x-auth-request-access-token", b"x-forwarded-access-token", b"x-amzn-oidc-accesstoken",
    b"x-amzn-oidc-data", b"x-goog-iap-jwt-assertion",
})
# Pages whose responses no browser or proxy may keep: the records, and the API they use.
NO_STORE_PREFIXES = ("/records", "/sign-in", "/reset-password", "/admin", "/access-log", "/api/v1/session/",
                     "/api/v1/records")
# The build's content-hashed files (Vite names each after a hash of its content).
IMMUTABLE_PREFIX = "/assets/"
IMMUTABLE = b"public, max-age=31536000, immutable"


class EmbedGuard:
    """Adds the security headers to HTTP responses and checks the Origin of websocket handshakes."""

    def __init__(self, app, allowed_origins: Iterable[str], own_origins: Iterable[str],
                 private_headers: Iterable[str] = ()):
        self.app = app
        self.private = PRIVATE_HEADERS | {name.strip().lower().encode("latin-1") for name in private_headers}
        framers = {origin_of(o) for o in allowed_origins} - {""}
        own = {origin_of(o) for o in own_origins} - {""}
        self.allowed = frozenset(framers | own)
        self.headers = [
            (b"content-security-policy", content_security_policy(framers, own).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"permissions-policy", PERMISSIONS_POLICY.encode()),
        ]
        if any(o.startswith("https://") for o in own):
            self.headers.append((b"strict-transport-security", b"max-age=31536000"))

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            headers = scope.get("headers") or []
            origin = dict(headers).get(b"origin")
            if origin is not None and origin.decode("latin-1").lower() not in self.allowed:
                await receive()  # the websocket.connect message
                await send({"type": "websocket.close", "code": 1008})
                return
            kept = [(name, value) for name, value in headers if name.lower() not in self.private]
            return await self.app({**scope, "headers": kept}, receive, send)
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        mine = {name for name, _ in self.headers}
        path = str(scope.get("path", ""))
        no_store = path.startswith(NO_STORE_PREFIXES)
        hashed = path.startswith(IMMUTABLE_PREFIX)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                immutable = hashed and message.get("status") in (200, 304)
                page = any(k.lower() == b"content-type" and v.startswith(b"text/html")
                           for k, v in message.get("headers", []))
                drop = mine | ({b"cache-control"} if no_store or immutable or page else set())
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in drop]
                headers += self.headers
                if no_store:
                    headers.append((b"cache-control", b"no-store"))
                elif immutable:
                    headers.append((b"cache-control", IMMUTABLE))
                elif page:
                    headers.append((b"cache-control", b"no-cache"))
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def guard(allowed_origins: Iterable[str], own_origins: Iterable[str], private_headers: Iterable[str] = ()):
    """An api_transformer for rx.App: wraps the whole app in EmbedGuard."""
    allowed, own, private = tuple(allowed_origins), tuple(own_origins), tuple(private_headers)
    return lambda app: EmbedGuard(app, allowed, own, private)
