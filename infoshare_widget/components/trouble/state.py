"""The Reflex side of trouble/: the state var the browser watches, the middleware that notes when an
event's state was loaded, and the backend exception handler that tells the browser about a failure.

Nothing here needs the state store: the signal goes to the browser as a delta emitted straight to
its socket, so it arrives when Redis is down (that is when it matters). The server's own copy of
`signal` stays empty; the browser's copy changes with each signal, which is what assets/trouble.js
watches for.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time

import reflex as rx
from reflex.app import default_backend_exception_handler
from reflex.middleware import Middleware
from reflex_base.constants.state import FIELD_MARKER
from reflex_base.event.context import EventContext

from infoshare_widget.components.trouble import LOADED_KEY, RETRY_KEY, WATCH_MODES, event_seq, kind_of, signal

log = logging.getLogger("infoshare.trouble")
_sending: set[asyncio.Task] = set()
# When this worker first saw the state store fail, in the outage under way (None: it answers).
_outage_since: float | None = None


class TroubleState(rx.State):
    """The last trouble signal, as the browser holds it (see the module docstring)."""

    signal: str = ""


def _signal_delta(value: str) -> dict:
    """The update that sets the browser's copy of TroubleState.signal (the server's stays empty)."""
    return {TroubleState.get_full_name(): {"signal" + FIELD_MARKER: value}}


def _send(ctx: EventContext, value: str) -> None:
    """Emit the signal to the event's browser tab, without touching the state store."""
    task = asyncio.get_running_loop().create_task(ctx.emit_delta(_signal_delta(value)))
    _sending.add(task)
    task.add_done_callback(_sending.discard)


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
            try:
                ctx = EventContext.get()
            except LookupError:
                ctx = None
            if ctx is not None:
                # Sent now, so it always comes just before the handler's own update (which Reflex
                # sends once the handler has returned): "done", then what was done.
                await ctx.emit_delta(_signal_delta(signal(event_seq(ctx.router_data), "done")))
            return result

        wrapper.infoshare_watch = mode
        return wrapper

    return decorate


def watched_events() -> dict[str, str]:
    """Every handler marked @answered, by the name the browser sends it under, with its mode."""
    found: dict[str, str] = {}
    pending = [rx.State]
    while pending:
        state = pending.pop()
        pending.extend(state.get_substates())
        for name, handler in state.event_handlers.items():
            mode = getattr(handler.fn, "infoshare_watch", None)
            if mode:
                found[f"{handler.state_full_name}.{name}"] = mode
    return dict(sorted(found.items()))


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


class TroubleMiddleware(Middleware):
    """Runs once an event's state has been loaded from the store: marks that (so a later store failure
    is 'unsure', not 'retry'), and tells the browser when a retried event has got through."""

    async def preprocess(self, app, state, event):
        _store_answers()
        router_data = event.router_data
        router_data[LOADED_KEY] = True
        if router_data.get(RETRY_KEY):
            try:
                _send(EventContext.get(), signal(event_seq(router_data), "ok"))
            except LookupError:
                pass
        return None


def handle_backend_exception(exception: Exception):
    """Reflex's backend exception handler: tell the browser which event failed and how. A store
    failure is logged in one line (it says nothing of the event's content); any other error is
    logged by Reflex's default handler, whose own reply (a toast run by eval) is dropped: the page's
    Content-Security-Policy would refuse it."""
    try:
        ctx = EventContext.get()
    except LookupError:
        ctx = None
    router_data = ctx.router_data if ctx is not None else {}
    kind = kind_of(exception, router_data)
    if kind == "failed":
        default_backend_exception_handler(exception)
    else:
        _store_failed()
        log.debug("The state store did not answer (%s): the browser is told to %s.", type(exception).__name__,
                  "send the event again" if kind == "retry" else "check before trying again")
    if ctx is not None:
        _send(ctx, signal(event_seq(router_data), kind))
    return None
