"""The app: wiring only. Content is validated here, at start-up, so a broken file stops the app."""

import reflex as rx

from infoshare_widget import routes
from infoshare_widget.api.app import build_api
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.flowchart.pages import decide_page
from infoshare_widget.flowchart import client
from infoshare_widget.settings import get_partnership

# Fail fast, naming the file and the problem, before anything is served.
chart = get_chart()
get_partnership()
client.write_flow_table(chart)

app = rx.App(
    stylesheets=["/infoshare.css"],
    html_lang="en-GB",
    toaster=None,
    api_transformer=build_api(chart),
)
# The document title is rendered by the page itself, so it follows the question on screen.
app.add_page(decide_page, route=routes.DECIDE, title=client.first_title(chart))
