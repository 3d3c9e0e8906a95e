"""Small bridges to the browser, compiled into the page (nothing the server sends is evaluated, so
the Content-Security-Policy needs no 'unsafe-eval')."""

from __future__ import annotations

from pathlib import Path

import reflex as rx
from reflex.vars.base import Var, VarData
from reflex_base.constants.compiler import Imports
from reflex_base.utils.imports import ImportVar


ASSETS = Path(__file__).resolve().parents[2] / "assets"


def inline_script(source: str) -> rx.Component:
    """A script written into the page's HTML: no request, so nothing to wait for before it runs
    ('</' is escaped so the text cannot end the element early)."""
    return rx.el.script(source.replace("</", "<\\/"))


def inline_asset(name: str) -> rx.Component:
    """One of assets/*.js written into the page (read at start-up)."""
    return inline_script((ASSETS / name).read_text(encoding="utf-8"))


def loader(key: Var, on_mount) -> rx.Component:
    """Loads a page's data when it opens, and again when `key` (such as the record in the address)
    changes: React mounts the element afresh for a new key."""
    return rx.el.span(key=key, on_mount=on_mount, hidden=True)


def route_param(name: str) -> Var[str]:
    """A dynamic route segment as the browser's router has it now (e.g. the record id)."""
    hook = "const infoshareRouteParams = useParams();"
    return Var(
        _js_expr=f"(infoshareRouteParams[{name!r}] ?? '')",
        _var_data=VarData(hooks={hook: None}, imports={"react-router": [ImportVar(tag="useParams")]}),
    ).to(str)


def on_change(function: str, value: Var, *, add_events: bool = False) -> rx.Component:
    """A hidden element that calls window.`function`(value) in the browser whenever value changes;
    with add_events, Reflex's addEvents goes along as a second argument (to send an event)."""
    call = f"window.{function}?.({value!s}{', addEvents' if add_events else ''});"
    hook = f"useEffect(() => {{ {call} }}, [JSON.stringify({value!s})]);"
    imports = {"react": [ImportVar(tag="useEffect")], **(Imports.EVENTS if add_events else {})}
    marker = Var(
        _js_expr="''",
        _var_type=str,
        _var_data=VarData.merge(value._get_all_var_data(), VarData(hooks={hook: None}, imports=imports)),
    )
    return rx.el.span(hidden=True, data_effect=marker)


def trouble_watcher() -> rx.Component:
    """Hands each trouble signal (infoshare_widget/components/trouble/) to assets/trouble.js, with Reflex's
    addEvents so a failed event can be sent again."""
    from infoshare_widget.components.trouble.state import TroubleState

    return on_change("infoshareTrouble.signal", TroubleState.signal, add_events=True)


