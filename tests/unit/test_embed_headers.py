"""Only listed origins may frame the widget or open its websocket."""

import pytest
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from infoshare_widget.embed.headers import EmbedGuard, frame_ancestors, origin_of
from infoshare_widget.settings import SettingsError, embed_origins


async def page(request):
    return PlainTextResponse("hello", headers={"Content-Security-Policy": "frame-ancestors *"})


async def socket(websocket):
    await websocket.accept()
    await websocket.send_text("connected")
    await websocket.close()


APP = Starlette(routes=[Route("/", page), WebSocketRoute("/_event", socket)])
# As Reflex does by default: CORS from anywhere, with credentials.
APP.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True, allow_methods=["*"])
CLIENT = TestClient(EmbedGuard(APP, ["https://intranet.example-trust.nhs.uk", "http://127.0.0.1:8123/"]))


def test_every_response_says_who_may_frame_it():
    response = CLIENT.get("/")
    assert response.headers["content-security-policy"] == (
        "frame-ancestors 'self' http://127.0.0.1:8123 https://intranet.example-trust.nhs.uk"
    )
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("origin", ["https://intranet.example-trust.nhs.uk", "http://127.0.0.1:8123", "http://testserver"])
def test_listed_and_own_origins_may_open_the_websocket(origin):
    with CLIENT.websocket_connect("/_event", headers={"origin": origin}) as ws:
        assert ws.receive_text() == "connected"


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:9999", "null"])
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


def test_cors_is_only_for_listed_origins():
    listed = CLIENT.get("/", headers={"origin": "https://intranet.example-trust.nhs.uk"})
    assert listed.headers["access-control-allow-origin"] == "https://intranet.example-trust.nhs.uk"
    other = CLIENT.get("/", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    assert "access-control-allow-credentials" not in other.headers
    preflight = CLIENT.options("/", headers={"origin": "https://evil.example", "access-control-request-method": "GET"})
    assert "access-control-allow-origin" not in preflight.headers


def test_the_widgets_own_host_is_its_own_origin_behind_a_tls_proxy():
    # The app sees http; the browser, talking to the proxy, says https.
    with CLIENT.websocket_connect("/_event", headers={"origin": "https://testserver"}) as ws:
        assert ws.receive_text() == "connected"
