"""A demo intranet page on another site that embeds the widget and signs its user's identity.

    .venv/bin/python examples/demo_intranet.py --setup        # once: demo keys and partnership file
    INFOSHARE_PARTNERSHIP_FILE=examples/demo/partnership.yaml make run
    .venv/bin/python examples/demo_intranet.py                # then open http://127.0.0.1:8080

The intranet (127.0.0.1:8080) and the widget (localhost:3000) are different sites, as in real use.
The page's server signs a token for a made-up practitioner (GET /token); the page passes it to the
widget with InfoShare.widgets[0].setToken(token).
"""

from __future__ import annotations

import argparse
import http.server
import json
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sign_token import make_keys, sign_identity  # noqa: E402

HERE = Path(__file__).resolve().parent
DEMO = HERE / "demo"
INTRANET = "http://127.0.0.1:8080"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Example Trust intranet</title>
<style>body{font-family:Arial,sans-serif;margin:0;display:flex;gap:2rem}main{flex:1;padding:1rem}
aside{width:360px;border-left:1px solid #ccc}</style></head>
<body><main><h1>Example Trust intranet</h1><p>Signed in as Priya Shah, School nurse.</p>
<ol id="events"></ol></main>
<aside><div data-infoshare-widget data-compact data-accent="#005eb8"></div></aside>
<script>
  document.addEventListener("infoshare:loaded", async (event) => {
    const widget = event.detail.widgets[0];
    for (const name of ["ready", "outcome", "recorded"]) {
      widget.on(name, (data) => {
        const item = document.createElement("li");
        item.textContent = JSON.stringify(data);
        document.getElementById("events").append(item);
      });
    }
    const response = await fetch("/token");
    widget.setToken((await response.json()).token);
  });
</script>
<script src="WIDGET/embed.js"></script>
</body></html>"""


def setup(widget: str) -> None:
    """Demo keys, and a partnership file that trusts them for the example organisation."""
    make_keys(DEMO / "keys")
    data = yaml.safe_load((HERE.parent / "partnership.example.yaml").read_text(encoding="utf-8"))
    data["embed_partners"] = [{
        "issuer": INTRANET, "algorithm": "RS256", "public_key_file": "keys/demo-partner.pub.pem",
        "organisations": ["example-trust"], "origins": [INTRANET],
    }]
    (DEMO / "partnership.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    print(f"Wrote {DEMO}/partnership.yaml and demo keys. The demo organisation is example-trust.")


def serve(widget: str) -> None:
    private = (DEMO / "keys" / "demo-partner.pem").read_text()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/token":
                token = sign_identity(private_key_pem=private, issuer=INTRANET, org="example-trust",
                                      sub="u-42", name="Priya Shah", role="School nurse")
                body, kind = json.dumps({"token": token}).encode(), "application/json"
            else:
                body, kind = PAGE.replace("WIDGET", widget).encode(), "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    print(f"Demo intranet on {INTRANET} (embedding {widget})")
    http.server.ThreadingHTTPServer(("127.0.0.1", 8080), Handler).serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--setup", action="store_true")
    parser.add_argument("--widget", default="http://localhost:3000")
    args = parser.parse_args()
    setup(args.widget) if args.setup else serve(args.widget)
