"""React Router, as the pages use it: links that navigate inside the app, and a dynamic route segment
read from the router.

Why: a link inside the widget must navigate without reloading the page (the decision helper's walk,
the websocket and the session secret in the tab's memory all survive it), on a plain <a> styled by
the widget's own stylesheet. Reflex's public `rx.link` is Radix Themes' link (its own classes and
styles); the plain React Router link it wraps is `ReactRouterLink` in reflex_components_core, which
`reflex` does not export. A dynamic segment (the record id in /records/<id>) is read in the browser
with React Router's `useParams` hook, so the page asks for its data with the id the address has now;
Reflex's own `State.router` is the server's copy, sent a round trip later.

Checked against: reflex 0.10.1 (reflex_components_core 0.10.1, React Router 8.4.0 as reflex.lock pins it).
Contract tests: tests/unit/test_compat.py (test_react_router_link_renders_react_router_s_link,
test_react_router_route_param_reads_use_params).
"""

from __future__ import annotations

import reflex as rx
from reflex.vars.base import Var
from reflex_components_core.react_router.dom import ReactRouterLink

from infoshare_widget.compat.browser_values import js_value


def router_link(*children, to: str | Var[str], **props) -> rx.Component:
    """A link that navigates inside the app (React Router's Link, rendered as a plain <a>)."""
    return ReactRouterLink.create(*children, to=to, **props)


def route_param(name: str) -> Var[str]:
    """A dynamic route segment as the browser's router has it now (e.g. the record id)."""
    return js_value(f"(infoshareRouteParams[{name!r}] ?? '')", hooks=["const infoshareRouteParams = useParams();"],
                    imports={"react-router": ["useParams"]}).to(str)
