"""Small bridges to the browser, compiled into the page (nothing the server sends is evaluated, so
the Content-Security-Policy needs no 'unsafe-eval')."""

from __future__ import annotations

from pathlib import Path

import reflex as rx
import rjsmin

from infoshare_widget.compat import browser_values


ASSETS = Path(__file__).resolve().parents[2] / "assets"


def inline_script(source: str) -> rx.Component:
    """A script written into the page's HTML: no request, so nothing to wait for before it runs
    ('</' is escaped so the text cannot end the element early)."""
    return rx.el.script(source.replace("</", "<\\/"))


def page_script(name: str) -> str:
    """One of assets/*.js as the page has it: without its comments and spare white space (rjsmin only
    takes out, never renames or rewrites; tests/unit/test_js_cases.py runs the shared cases on both)."""
    return rjsmin.jsmin((ASSETS / name).read_text(encoding="utf-8"))


def inline_asset(name: str) -> rx.Component:
    """One of assets/*.js written into the page (read at start-up), minified (page_script): each such
    script is in the page and again in the bundle React draws the page with, and the comments were
    half its bytes."""
    return inline_script(page_script(name))


def loader(key: rx.Var, on_mount) -> rx.Component:
    """Loads a page's data when it opens, and again when `key` (such as the record in the address)
    changes: React mounts the element afresh for a new key."""
    return rx.el.span(key=key, on_mount=on_mount, hidden=True)


def on_change(function: str, value: rx.Var, *, add_events: bool = False) -> rx.Component:
    """A hidden element that calls window.`function`(value) in the browser whenever value changes;
    with add_events, Reflex's addEvents goes along as a second argument (to send an event)."""
    call = f"window.{function}?.({value!s}{', addEvents' if add_events else ''});"
    return rx.el.span(hidden=True, data_effect=browser_values.effect_marker(call, value, add_events=add_events))


def trouble_watcher() -> rx.Component:
    """Hands each trouble signal (infoshare_widget/components/trouble/) to assets/trouble.js, with Reflex's
    addEvents so a failed event can be sent again."""
    from infoshare_widget.components.trouble.state import TroubleState

    return on_change("infoshareTrouble.signal", TroubleState.signal, add_events=True)


