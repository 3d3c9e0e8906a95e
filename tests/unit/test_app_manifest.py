"""The web app manifest (web/app_manifest.py): named from the partnership file, served with its own
content type, and every icon it names reachable and a real image of the size it says."""

import json
import struct
import zlib

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from infoshare_widget.base.settings import get_partnership
from infoshare_widget.components.browser import ASSETS
from infoshare_widget.web.app_manifest import AppManifest, icon_png, manifest
from infoshare_widget.web.headers import EmbedGuard


async def page(request):
    return PlainTextResponse("the rest of the widget")


PARTNERSHIP = get_partnership()
CLIENT = TestClient(EmbedGuard(AppManifest(Starlette(routes=[Route("/{rest:path}", page, methods=["GET", "POST"])]), PARTNERSHIP.name, PARTNERSHIP.area),
                               [], ["https://infoshare.example.org"]))


def _png_size_and_pixels(data: bytes) -> tuple[int, int, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        assert struct.unpack(">I", data[at + 8 + length:at + 12 + length])[0] == zlib.crc32(kind + body)
        chunks[kind] = chunks.get(kind, b"") + body
        at += 12 + length
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    return width, height, zlib.decompress(chunks[b"IDAT"])


def test_the_manifest_is_named_from_the_partnership_file_and_opens_standalone():
    response = CLIENT.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/manifest+json"
    data = json.loads(response.text)
    assert data["name"] == f"InfoShare: {PARTNERSHIP.name}"
    assert PARTNERSHIP.area in data["description"]
    assert data["short_name"] == "InfoShare" and len(data["short_name"]) <= 12  # fits under a home-screen icon
    assert (data["display"], data["start_url"], data["scope"]) == ("standalone", "/", "/")
    # The security headers are on it like any other response.
    assert "manifest-src 'self'" in response.headers["content-security-policy"]


def test_another_partnership_gets_its_own_name():
    data = manifest("Northvale Safeguarding Partnership", "Northvale")
    assert data["name"] == "InfoShare: Northvale Safeguarding Partnership" and "Northvale." in data["description"]


def test_every_icon_named_is_reachable_and_of_the_size_it_says():
    data = json.loads(CLIENT.get("/manifest.webmanifest").text)
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512", "any"} <= sizes
    for icon in data["icons"]:
        if icon["type"] == "image/svg+xml":
            svg = (ASSETS / icon["src"].lstrip("/")).read_text(encoding="utf-8")  # served by Reflex from assets/
            assert svg.startswith("<svg") and 'viewBox="0 0 100 100"' in svg
            continue
        response = CLIENT.get(icon["src"])
        assert response.status_code == 200 and response.headers["content-type"] == "image/png"
        width, height, pixels = _png_size_and_pixels(response.content)
        assert f"{width}x{height}" == icon["sizes"]
        assert len(pixels) == height * (1 + width * 3)


def test_the_icon_is_the_white_i_on_the_brand_blue():
    width, _, pixels = _png_size_and_pixels(icon_png(100))

    def pixel(x: int, y: int) -> tuple[int, ...]:
        start = y * (1 + width * 3) + 1 + x * 3  # each row starts with its filter byte
        return tuple(pixels[start:start + 3])

    assert pixel(5, 5) == (0x1D, 0x70, 0xB8)  # a corner: the blue
    assert pixel(50, 31) == (255, 255, 255)  # the dot
    assert pixel(50, 60) == (255, 255, 255)  # the stem
    assert pixel(50, 38) == (0x1D, 0x70, 0xB8)  # the gap between them


def test_anything_else_goes_on_to_the_widget():
    assert CLIENT.get("/").text == "the rest of the widget"
    assert CLIENT.post("/manifest.webmanifest").text == "the rest of the widget"
