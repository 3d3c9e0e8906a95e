"""The web app manifest, so the widget can be added to a phone's home screen: named from the
partnership file, with its icons, opening standalone at the decide page.

Served by a small ASGI wrapper (`app_manifest`, an api_transformer) at /manifest.webmanifest with
the manifest's own content type, and the PNG icons it names (drawn here at start-up, so no image
library and no binary files are needed). The SVG icon is a static file (assets/icon.svg). The
offline worker keeps all of them with the pages (assets/sw.js).
"""

from __future__ import annotations

import json
import struct
import zlib

from infoshare_widget.base import routes

MANIFEST_PATH = "/manifest.webmanifest"
SVG_ICON = "/icon.svg"
PNG_SIZES = (192, 512)
BRAND = (0x1D, 0x70, 0xB8)  # the header's accent (assets/infoshare.css --brand)
WHITE = (0xFF, 0xFF, 0xFF)
DARK = "#0b0c0c"  # the header's background


def png_path(size: int) -> str:
    return f"/icon-{size}.png"


def manifest(name: str, area: str) -> dict:
    """The manifest for a partnership (its name, and its area as the short description)."""
    return {
        "name": f"InfoShare: {name}",
        "short_name": "InfoShare",
        "description": f"Deciding whether to share information to keep a child safe, in {area}.",
        "lang": "en-GB",
        "start_url": routes.DECIDE,
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": DARK,
        "icons": [
            {"src": SVG_ICON, "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
            *({"src": png_path(size), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any maskable"}
              for size in PNG_SIZES),
        ],
    }


def _inside_letter_i(x: float, y: float) -> bool:
    """The white "i" on the icon, in units of the icon's side (0 to 1): a dot and a stem, kept inside
    the middle 60% so a round mask (maskable icons) never cuts it."""
    dot = (x - 0.5) ** 2 + (y - 0.31) ** 2 <= 0.075 ** 2
    stem = 0.43 <= x <= 0.57 and 0.43 <= y <= 0.76
    return dot or stem


def icon_png(size: int) -> bytes:
    """A square PNG icon: the white "i" on the brand's blue (RGB, 8 bits, no alpha)."""
    rows = bytearray()
    for py in range(size):
        rows.append(0)  # filter: none
        y = (py + 0.5) / size
        for px in range(size):
            rows.extend(WHITE if _inside_letter_i((px + 0.5) / size, y) else BRAND)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
            + chunk(b"IEND", b""))


class AppManifest:
    """ASGI middleware: answer GET and HEAD for the manifest and the PNG icons; pass the rest on."""

    def __init__(self, app, name: str, area: str):
        self.app = app
        self.files = {
            MANIFEST_PATH: (b"application/manifest+json",
                            json.dumps(manifest(name, area), ensure_ascii=False, indent=1).encode("utf-8")),
            **{png_path(size): (b"image/png", icon_png(size)) for size in PNG_SIZES},
        }

    async def __call__(self, scope, receive, send):
        found = self.files.get(scope.get("path", "")) if scope["type"] == "http" else None
        if found is None or scope.get("method") not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        content_type, body = found
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", content_type), (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-cache"),
        ]})
        await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})


def app_manifest(name: str, area: str):
    """An api_transformer for rx.App: serves the manifest and the icons in front of the app."""
    return lambda app: AppManifest(app, name, area)
