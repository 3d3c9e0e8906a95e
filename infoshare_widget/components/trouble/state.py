"""The Reflex side of trouble/: the state var the browser watches, the function that notes when an
event's state was loaded, and the backend exception handler that tells the browser about a failure.

Nothing here needs the state store: the signal goes to the browser as a delta emitted straight to
its socket (compat/event_context.py), so it arrives when Redis is down (that is when it matters). The
server's own copy of `signal` stays empty; the browser's copy changes with each signal, which is what
assets/trouble.js watches for.
"""

from __future__ import annotations

import functools
import logging
import time

import reflex as rx

from infoshare_widget.compat.event_context import Tab, current_tab, handlers_marked, log_like_reflex
from infoshare_widget.components.trouble import LOADED_KEY, RETRY_KEY, WATCH_MODES, event_seq, kind_of, signal

log = logging.getLogger("infoshare.trouble")
# When this worker first saw the state store fail, in the outage under way (None: it answers).
_outage_since: float | None = None


class TroubleState(rx.State):
    """The last trouble signal, as the browser holds it (see the module docstring)."""

    signal: str = ""


def _send(tab: Tab, value: str) -> None:
    """Emit the signal to the event's browser tab, without touching the state store (the server's
    copy of TroubleState.signal stays empty)."""
    tab.send_soon(TroubleState, "signal", value)


def answered(mode: str):
    """For an event the page waits on (assets/trouble.js watches those named in watched_events()): when
    the handler returns, the browser hears that the event was answered, and stops waiting. `mode`
    says what the watchdog does when no answer comes: "resend" the event (safe: a save carries its
    key), or ask the person to "check" before doing it again."""
    if mode not in WATCH_MODES:
        raise ValueError(f"unknown watch mode {mode!r}")

    def decorate(handler):
        @functools.wraps(handler)
        async def wrapper(self, *args, **kwargs):
            # A handler that raises is answered by the backend exception handler's own signal
            # (failed, retry or unsure), which the watchdog takes as an answer too.
            result = await handler(self, *args, **kwargs)
            tab = current_tab()
            if tab is not None:
                # Sent now, so it always comes just before the handler's own update (which Reflex
                # sends once the handler has returned): "done", then what was done.
                await tab.send(TroubleState, "signal", signal(event_seq(tab.router_data), "done"))
            return result

        wrapper.infoshare_watch = mode
        return wrapper

    return decorate


def watched_events() -> dict[str, str]:
    """Every handler marked @answered, by the name the browser sends it under, with its mode."""
    return handlers_marked("infoshare_watch")


def _store_failed() -> None:
    """The store failed an event: said once an outage (each failed event is told to its browser)."""
    global _outage_since
    if _outage_since is None:
        _outage_since = time.monotonic()
        log.warning("The state store (Redis) is not answering: events fail and browsers are told to retry "
                    "until it does. Said once until it answers again.")


def _store_answers() -> None:
    global _outage_since
    if _outage_since is not None:
        log.warning("The state store (Redis) answers again, after %.1f s.", time.monotonic() - _outage_since)
        _outage_since = None


def state_loaded(router_data: dict) -> None:
    """Runs once an event's state has been loaded from the store (compat/event_context.py's
    when_state_loaded): marks that (so a later store failure is 'unsure', not 'retry'), and tells the
    browser when a retried event has got through."""
    _store_answers()
    router_data[LOADED_KEY] = True
    if router_data.get(RETRY_KEY):
        tab = current_tab()
        if tab is not None:
            _send(tab, signal(event_seq(router_data), "ok"))


def handle_backend_exception(exception: Exception):
    """Reflex's backend exception handler: tell the browser which event failed and how. A store
    failure is logged in one line (it says nothing of the event's content); any other error is
    logged as Reflex's default handler logs it, without its own reply (a toast run by eval): the
    page's Content-Security-Policy would refuse it."""
    tab = current_tab()
    router_data = tab.router_data if tab is not None else {}
    kind = kind_of(exception, router_data)
    if kind == "failed":
        log_like_reflex(exception)
    else:
        _store_failed()
        log.debug("The state store did not answer (%s): the browser is told to %s.", type(exception).__name__,
                  "send the event again" if kind == "retry" else "check before trying again")
    if tab is not None:
        _send(tab, signal(event_seq(router_data), kind))
    return None
