"""The app: composition only. It joins the features (the decide page and the record panel; the page
frame and what every page carries) and wires the web layer around them. Content is validated here,
at start-up, so a broken file stops the app."""

import json

import reflex as rx

from infoshare_widget.base import routes
from infoshare_widget.api.app import build_api
from infoshare_widget.flowchart import client
from infoshare_widget.flowchart.chart import DEFAULT_CHART_PATH, get_chart
from infoshare_widget.flowchart.chart_view_model import hours_table
from infoshare_widget.flowchart.review import check_at_start
from infoshare_widget.base.clock import uk_today
from infoshare_widget.flowchart.pages import decide_page
from infoshare_widget.flowchart.contact_cards import where_and_when_text
from infoshare_widget.components import layout
from infoshare_widget.components.browser import trouble_watcher
from infoshare_widget.auth.pages import session_keeper
from infoshare_widget.embed.pages import token_form
from infoshare_widget.glossary.loading import get_glossary
from infoshare_widget.glossary.pages import entry_page, glossary_page
from infoshare_widget.glossary.search import get_search_index
from infoshare_widget.glossary.state import GlossaryEntryState
from infoshare_widget.admin.pages import access_log_page, admin_page
from infoshare_widget.insight.pages import insight_page
from infoshare_widget.records.pages import details_page, record_page, record_panel, records_page
from infoshare_widget.auth.pages import sign_in_page
from infoshare_widget.auth.pages import code_page, reset_password_page, set_up_page
from infoshare_widget.components.browser import ASSETS, inline_asset
from infoshare_widget.web.first_paint import first_paint
from infoshare_widget.web.headers import guard
from infoshare_widget.web.offline import content_version
from infoshare_widget.web import app_manifest
from infoshare_widget.web.storage import STORAGE_SHIM
from infoshare_widget.components.trouble.state import handle_backend_exception, state_loaded, watched_events
from infoshare_widget.compat import event_context, redis_bounds
from infoshare_widget.compat.redis_listeners import keep_redis_listeners
from infoshare_widget.base.settings import (
    embed_origins,
    get_api_keys,
    get_partnership,
    insight_key,
    private_headers,
    public_origins,
    trusted_proxies,
)
from infoshare_widget.embed.partners import get_embed_partners
from infoshare_widget.alerts.service import outbound
from infoshare_widget.outbox import serve_outbox

# Fail fast, naming the file and the problem, before anything is served.
chart = get_chart()
partnership = get_partnership()
# A partnership that asks for strict review refuses to start with content long past its review date.
check_at_start(chart, strict=partnership.content_review.strict, grace_days=partnership.content_review.grace_days,
               today=uk_today(), source=str(DEFAULT_CHART_PATH))
get_api_keys()
insight_key(partnership)
get_embed_partners()
trusted_proxies()
outbound()  # the mail server's URL and the webhooks' secrets
glossary = get_glossary()
search_index = get_search_index()
# The offline copy's version (web/offline.py): changes with the content, the partnership file and the
# page scripts, so a deployment of any of them replaces the copy kept on devices.
offline_version = content_version(chart=chart, glossary=glossary, partnership=partnership, assets=ASSETS)
# A Redis that hangs fails an event in seconds, not never (compat/redis_bounds.py): before the app
# makes its state manager.
redis_bounds.install()



def every_page_carries() -> rx.Component:
    """In every page: the session keeper, the trouble watcher, and the form that takes an intranet's
    identity token."""
    return rx.fragment(session_keeper(), trouble_watcher(), token_form())


layout.compose(layout.Frame(footer_line=where_and_when_text(), parts=every_page_carries))


def decide() -> rx.Component:
    """The decision helper, with the records feature's panel for recording an outcome."""
    return decide_page(record_panel())


app = rx.App(
    stylesheets=["/infoshare.css"],
    html_lang="en-GB",
    toaster=None,
    # A failed event is reported to the browser, which says so and, where nothing was done (the state
    # store down), sends it again (infoshare_widget/components/trouble/, assets/trouble.js).
    backend_exception_handler=handle_backend_exception,
    # The API in front of Reflex; the pages with their stylesheet inlined (web/first_paint.py); the web
    # app manifest and its icons, named from the partnership file (web/app_manifest.py); then the
    # embedding guard around everything (pages included).
    api_transformer=[build_api(chart, glossary, search_index), first_paint(),
                     app_manifest.app_manifest(partnership.name, partnership.area),
                     guard(embed_origins(), public_origins(), private_headers())],
    # First in the head: keeps the widget working where the browser blocks storage (cross-site frames).
    # Then the origins allowed to embed it, and the script that talks to the embedding page.
    head_components=[
        rx.el.script(STORAGE_SHIM),
        # Where the page's scripts meet Reflex's frontend (the events it sends, its tab token), before
        # any script that uses it (assets/compat/reflex.js).
        inline_asset("compat/reflex.js"),
        # The decision helper and the safety controls (Exit this page, contrast), inlined so they
        # work from the first paint, before React and the websocket (flowchart/client.py).
        *client.head_scripts(chart),
        # Offline use: the offline line, and the worker that keeps the decide page and the glossary
        # for when the network is gone, under this content's version (assets/offline.js, assets/sw.js).
        rx.el.script(f"window.INFOSHARE_OFFLINE_VERSION = {json.dumps(offline_version)};"),
        inline_asset("offline.js"),
        # So the widget can be added to a phone's home screen (web/app_manifest.py).
        rx.el.link(rel="manifest", href=app_manifest.MANIFEST_PATH),
        rx.el.link(rel="icon", href=app_manifest.SVG_ICON, type="image/svg+xml"),
        rx.el.link(rel="apple-touch-icon", href=app_manifest.png_path(192)),
        rx.el.meta(name="theme-color", content=app_manifest.DARK),
        rx.el.script(f"window.INFOSHARE_EMBED_ORIGINS = {json.dumps(list(embed_origins()))};"),
        rx.el.script(src="/embed-frame.js", defer=True),
        # Who is open now, in UK time (assets/hours.js), from the partnership's hours.
        rx.el.script(f"window.INFOSHARE_HOURS = {json.dumps(hours_table(partnership))};"),
        rx.el.script(src="/hours.js", defer=True),
        # The session secret's home in the tab, and the details form's suggestions (assets/records.js),
        # inlined: a script fetched here would hold up the first paint on a slow line.
        inline_asset("records.js"),
        # Numbers each event as it is sent and shows the banner when one fails, or when an event the
        # page waits on is not answered in time (the handlers marked @answered): inlined, so it is in
        # place before the first event.
        rx.el.script(f"window.INFOSHARE_WATCHED = {json.dumps(watched_events())};"),
        inline_asset("trouble.js"),
        # Only where the partnership opts in: the count of walks that end, recorded or not
        # (docs/insight.md).
        *([inline_asset("walks.js")] if partnership.insight.count_unrecorded_walks else []),
    ],
)
# Marks each event whose state has loaded, so a later store failure is 'unsure' (components/trouble/).
event_context.when_state_loaded(app, state_loaded)
# Reflex's Redis listeners, started again if they stop after repeated errors (compat/redis_listeners.py).
app.register_lifespan_task(keep_redis_listeners)
# Every server process sends the alerts' queued emails and webhook calls, one claim per row
# (alerts/delivery.py), and runs the daily overdue check (infoshare_widget/outbox.py).
app.register_lifespan_task(serve_outbox)
# The decide page's title follows the question on screen (assets/flow.js sets it).
app.add_page(decide, route=routes.DECIDE, title=client.first_title(chart))
app.add_page(glossary_page, route=routes.GLOSSARY, title="Glossary - InfoShare")
app.add_page(
    entry_page,
    route=routes.GLOSSARY_ENTRY,
    title=GlossaryEntryState.entry.term.to(str) + " - InfoShare glossary",
    on_load=GlossaryEntryState.load,
)
app.add_page(sign_in_page, route=routes.SIGN_IN, title="Sign in - InfoShare")
app.add_page(code_page, route=routes.SIGN_IN_CODE, title="Enter your code - InfoShare")
app.add_page(set_up_page, route=routes.SIGN_IN_SET_UP, title="Set up your authenticator app - InfoShare")
app.add_page(reset_password_page, route=routes.RESET_PASSWORD, title="Set your password - InfoShare")
app.add_page(admin_page, route=routes.ADMIN, title="Manage accounts and keys - InfoShare")
app.add_page(access_log_page, route=routes.ACCESS_LOG, title="Access log - InfoShare")
app.add_page(insight_page, route=routes.INSIGHT, title="Insight - InfoShare")
# The records pages load their data themselves, with the tab's session (records/state.py).
app.add_page(records_page, route=routes.RECORDS, title="Decision records - InfoShare")
app.add_page(record_page, route=routes.RECORD, title="Decision record - InfoShare")
app.add_page(details_page, route=routes.RECORD_DETAILS, title="Record details - InfoShare")
