"""Reflex configuration. Every value here can be overridden by a REFLEX_-prefixed environment
variable, for example REFLEX_DB_URL=postgresql+psycopg://user@host/db or REFLEX_FRONTEND_PORT=3001.
The widget's own settings (the partnership file) are read in infoshare_widget/base/settings.py."""

import reflex as rx

from infoshare_widget.base.settings import cors_origins

config = rx.Config(
    app_name="infoshare_widget",
    # SQLite file by default; REFLEX_DB_URL overrides it.
    db_url="sqlite:///infoshare.db",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # No sitemap: the widget is embedded in intranets, not indexed.
    disable_plugins=[rx.plugins.SitemapPlugin],
    plugins=[],
    # CORS, for HTTP and the websocket alike: the widget's own origin (INFOSHARE_PUBLIC_ORIGIN) and
    # the intranets the partnership lists; no one else. Reflex's default is any origin.
    cors_allowed_origins=cors_origins(),
    # The build writes each page, script and style also compressed, Brotli and gzip, and the server
    # sends the one the browser takes first as it is (Brotli is a fifth smaller; browsers ask for it
    # over https). nginx serves the same files (deploy/nginx.conf.template).
    frontend_compression_formats=["brotli", "gzip"],
)
