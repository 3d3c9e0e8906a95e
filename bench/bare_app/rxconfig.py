"""A bare Reflex app (a counter on two pages), served in the load benchmark beside the widget under
the same driver, so the widget's figures can be read against what Reflex itself costs here."""

import reflex as rx

config = rx.Config(
    app_name="bare",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[rx.plugins.SitemapPlugin],
    plugins=[],
)
