"""Intranet sites on 127.0.0.1 that frame the widget (on localhost): a page with the loader, a plain
frame, and the shipped demo intranet (examples/demo_intranet.py), whose /token signs an identity
with the shipped recipe (examples/sign_token.py) as the test embedding partner."""

from __future__ import annotations

import http.server
import json
import sys
import threading
from contextlib import contextmanager

from cryptography.hazmat.primitives import serialization

from harness.accounts import TEST_ORG
from harness.server import ROOT
from harness.widget import PARTNER_KEY

sys.path.insert(0, str(ROOT / "examples"))
import demo_intranet  # noqa: E402 - the shipped demo intranet page
from sign_token import sign_identity  # noqa: E402 - the shipped token recipe

PARTNER_PEM = PARTNER_KEY.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
).decode()

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Example Trust intranet</title></head>
<body><h1>Example Trust intranet</h1>
<aside style="width:360px">
  <div data-infoshare-widget data-compact data-accent="#005eb8"></div>
</aside>
<script>
  window.events = [];
  document.addEventListener("infoshare:loaded", (event) => {
    for (const name of ["ready", "resize", "outcome", "recorded", "exit"]) {
      event.detail.widgets[0].on(name, (data) => window.events.push(data));
    }
  });
</script>
<script src="{widget}/embed.js"></script>
</body></html>"""

PLAIN_FRAME = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Another intranet</title></head>
<body><iframe id="widget" title="InfoShare" src="{widget}/" style="width:360px;height:600px"></iframe></body></html>"""


@contextmanager
def serve_intranets(host_ports, base_url: str):
    """Two intranet sites on 127.0.0.1 for the widget at base_url (on localhost): one listed, one not.

    "/" is the shipped demo intranet page, whose server signs a token with the shipped recipe.
    """
    pages = {
        "/manual.html": HOST_PAGE.replace("{widget}", base_url),
        "/plain.html": PLAIN_FRAME.replace("{widget}", base_url),
        "/": demo_intranet.PAGE.replace("WIDGET", base_url),
    }

    class Intranet(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/token":
                body = json.dumps({"token": sign_identity(
                    private_key_pem=PARTNER_PEM, issuer=issuer, org=TEST_ORG, sub="u-42", name="Priya Shah",
                    role="School nurse")}).encode()
                kind = "application/json"
            elif self.path in pages:
                body, kind = pages[self.path].encode(), "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", port), Intranet) for port in host_ports]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield [f"http://127.0.0.1:{port}" for port in host_ports]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
