"""Small bridges to the browser, compiled into the page (nothing the server sends is evaluated, so
the Content-Security-Policy needs no 'unsafe-eval')."""

from __future__ import annotations

import reflex as rx
from reflex.vars.base import Var, VarData
from reflex_base.utils.imports import ImportVar


def route_param(name: str) -> Var[str]:
    """A dynamic route segment as the browser's router has it now (e.g. the record id)."""
    hook = "const infoshareRouteParams = useParams();"
    return Var(
        _js_expr=f"(infoshareRouteParams[{name!r}] ?? '')",
        _var_data=VarData(hooks={hook: None}, imports={"react-router": [ImportVar(tag="useParams")]}),
    ).to(str)


def on_change(function: str, value: Var) -> rx.Component:
    """A hidden element that calls window.`function`(value) in the browser whenever value changes."""
    hook = (f"useEffect(() => {{ window.{function}?.({value!s}); }}, "
            f"[JSON.stringify({value!s})]);")
    marker = Var(
        _js_expr="''",
        _var_type=str,
        _var_data=VarData.merge(value._get_all_var_data(),
                                VarData(hooks={hook: None}, imports={"react": [ImportVar(tag="useEffect")]})),
    )
    return rx.el.span(hidden=True, data_effect=marker)


def session_keeper() -> rx.Component:
    """Puts a new session's secret in the tab's storage (assets/session.js) the moment it arrives."""
    from infoshare_widget.records.state import AuthState

    return on_change("infoshareSession.keep", AuthState.handoff)
