"""Only listed origins may frame the widget or open its websocket."""

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from infoshare_widget.web.headers import EmbedGuard, frame_ancestors, origin_of
from infoshare_widget.base.settings import SettingsError, cors_origins, embed_origins, public_origins


async def page(request):
    return PlainTextResponse("hello", headers={"Content-Security-Policy": "frame-ancestors *"})


async def socket(websocket):
    await websocket.accept()
    await websocket.send_text("connected")
    await websocket.close()


async def html_page(request):
    return HTMLResponse("<p>hello</p>", headers={"Cache-Control": "max-age=600"})


async def missing(request):
    return PlainTextResponse("not found", status_code=404, headers={"Cache-Control": "max-age=60"})


APP = Starlette(routes=[Route("/", page), Route("/records/{rest:path}", page), Route("/assets/gone.js", missing),
                        Route("/assets/{rest:path}", page), Route("/glossary", html_page), WebSocketRoute("/_event", socket)])
CLIENT = TestClient(EmbedGuard(APP, ["https://intranet.example-trust.nhs.uk", "http://127.0.0.1:8123/"],
                               ["https://infoshare.example.org"]))


def policy(response) -> dict[str, str]:
    directives = [d.strip().split(" ", 1) for d in response.headers["content-security-policy"].split(";")]
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


def test_every_response_says_who_may_frame_it():
    response = CLIENT.get("/")
    assert policy(response)["frame-ancestors"] == "'self' http://127.0.0.1:8123 https://intranet.example-trust.nhs.uk"
    assert response.headers["x-content-type-options"] == "nosniff"
    # The app's own policy header is replaced, not sent twice.
    assert response.headers.get_list("content-security-policy") == [response.headers["content-security-policy"]]


def test_the_policy_allows_only_the_widgets_own_code_and_connections():
    csp = policy(CLIENT.get("/"))
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self' 'unsafe-inline'"  # never 'unsafe-eval'
    assert csp["connect-src"] == "'self' wss://infoshare.example.org"
    assert csp["object-src"] == "'none'" and csp["base-uri"] == "'none'" and csp["form-action"] == "'self'"


def test_referrer_permissions_and_transport_headers():
    response = CLIENT.get("/")
    assert response.headers["referrer-policy"] == "no-referrer"
    assert {"camera=()", "microphone=()", "geolocation=()"} <= set(response.headers["permissions-policy"].split(", "))
    assert response.headers["strict-transport-security"] == "max-age=31536000"
    plain = TestClient(EmbedGuard(APP, [], ["http://localhost:3000"])).get("/")
    assert "strict-transport-security" not in plain.headers
    assert policy(plain)["connect-src"] == "'self' ws://localhost:3000"


def test_records_pages_are_never_stored():
    assert CLIENT.get("/records/abc").headers["cache-control"] == "no-store"
    assert "cache-control" not in CLIENT.get("/").headers


def test_the_builds_hashed_files_are_kept_a_year_and_nothing_else_is():
    kept = CLIENT.get("/assets/entry.client-ByXnQf4V.js").headers.get_list("cache-control")
    assert kept == ["public, max-age=31536000, immutable"]
    # A name the build does not have is not kept (the next build may have it).
    assert CLIENT.get("/assets/gone.js").headers.get_list("cache-control") == ["max-age=60"]
    assert "cache-control" not in CLIENT.get("/hours.js").headers


def test_pages_are_checked_with_the_server_every_time():
    """A page may be kept, but the browser asks each time whether it is current: nobody is shown advice
    older than what is deployed."""
    assert CLIENT.get("/glossary").headers.get_list("cache-control") == ["no-cache"]


@pytest.mark.parametrize("origin", ["https://intranet.example-trust.nhs.uk", "http://127.0.0.1:8123",
                                    "https://infoshare.example.org"])
def test_listed_and_own_origins_may_open_the_websocket(origin):
    with CLIENT.websocket_connect("/_event", headers={"origin": origin}) as ws:
        assert ws.receive_text() == "connected"


# http://testserver is the request's own Host: the widget's origin comes from configuration, not Host.
@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:9999", "null", "http://testserver"])
def test_other_origins_are_refused_before_the_handshake(origin):
    with pytest.raises(WebSocketDisconnect) as caught:
        with CLIENT.websocket_connect("/_event", headers={"origin": origin}) as ws:
            ws.receive_text()
    assert caught.value.code == 1008


def test_origins_are_normalised_and_checked():
    assert origin_of("HTTPS://Intranet.Example.org/path?q") == "https://intranet.example.org"
    assert frame_ancestors([]) == "frame-ancestors 'self'"
    assert embed_origins({"INFOSHARE_EMBED_ORIGINS": "http://127.0.0.1:8123"})[-1] == "http://127.0.0.1:8123"
    with pytest.raises(SettingsError, match="not an origin"):
        embed_origins({"INFOSHARE_EMBED_ORIGINS": "javascript:alert(1)"})


def test_the_public_origin_comes_from_configuration():
    assert public_origins({}) == ("http://localhost:3000",)
    assert public_origins({"REFLEX_FRONTEND_PORT": "8080"}) == ("http://localhost:8080",)
    assert public_origins({"INFOSHARE_PUBLIC_ORIGIN": "https://infoshare.example.org"}) == ("https://infoshare.example.org",)
    with pytest.raises(SettingsError, match="INFOSHARE_PUBLIC_ORIGIN: 'infoshare.example.org' is not an origin"):
        public_origins({"INFOSHARE_PUBLIC_ORIGIN": "infoshare.example.org"})
    assert cors_origins({"INFOSHARE_PUBLIC_ORIGIN": "https://a.example", "INFOSHARE_EMBED_ORIGINS": "https://b.example"})[:1] \
        == ["https://a.example"]
    assert "https://b.example" in cors_origins({"INFOSHARE_EMBED_ORIGINS": "https://b.example"})


async def headers_seen(websocket):
    await websocket.accept()
    await websocket.send_json(sorted(k.decode() for k, _ in websocket.scope["headers"]))
    await websocket.close()


def test_a_handshake_s_credentials_never_reach_the_app():
    """Reflex pickles a handshake's headers with every state: cookies, Authorization and sign-on token
    headers (and any named in INFOSHARE_PRIVATE_HEADERS) are dropped before it sees them."""
    app = Starlette(routes=[WebSocketRoute("/_event", headers_seen)])
    client = TestClient(EmbedGuard(app, [], ["https://infoshare.example.org"], private_headers=["X-Intranet-SSO"]))
    sent = {"origin": "https://infoshare.example.org", "cookie": "sso=CANARY", "authorization": "Bearer CANARY",
            "x-goog-iap-jwt-assertion": "CANARY", "x-intranet-sso": "CANARY", "user-agent": "test"}
    with client.websocket_connect("/_event", headers=sent) as ws:
        seen = ws.receive_json()
    assert "user-agent" in seen and "origin" in seen
    assert not {"cookie", "authorization", "x-goog-iap-jwt-assertion", "x-intranet-sso"} & set(seen)


def test_private_headers_are_read_and_checked():
    from infoshare_widget.base.settings import private_headers

    assert private_headers({"INFOSHARE_PRIVATE_HEADERS": "X-Intranet-SSO, x-other"}) == ("x-intranet-sso", "x-other")
    assert private_headers({}) == ()
    with pytest.raises(SettingsError, match="not a header name"):
        private_headers({"INFOSHARE_PRIVATE_HEADERS": "bad header:"})
