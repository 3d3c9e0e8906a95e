"""The Reflex side of trouble/: the state var the browser watches, the middleware that notes when an
event's state was loaded, and the backend exception handler that tells the browser about a failure.

Nothing here needs the state store: the signal goes to the browser as a delta emitted straight to
its socket, so it arrives when Redis is down (that is when it matters). The server's own copy of
`signal` stays empty; the browser's copy changes with each signal, which is what assets/trouble.js
watches for.
"""

from __future__ import annotations

import asyncio
import logging

import reflex as rx
from reflex.app import default_backend_exception_handler
from reflex.middleware import Middleware
from reflex_base.constants.state import FIELD_MARKER
from reflex_base.event.context import EventContext

from infoshare_widget.trouble import LOADED_KEY, RETRY_KEY, event_seq, kind_of, signal

log = logging.getLogger("infoshare.trouble")
_sending: set[asyncio.Task] = set()


class TroubleState(rx.State):
    """The last trouble signal, as the browser holds it (see the module docstring)."""

    signal: str = ""


def _send(ctx: EventContext, value: str) -> None:
    """Emit the signal to the event's browser tab, without touching the state store."""
    delta = {TroubleState.get_full_name(): {"signal" + FIELD_MARKER: value}}
    task = asyncio.get_running_loop().create_task(ctx.emit_delta(delta))
    _sending.add(task)
    task.add_done_callback(_sending.discard)


class TroubleMiddleware(Middleware):
    """Runs once an event's state has been loaded from the store: marks that (so a later store failure
    is 'unsure', not 'retry'), and tells the browser when a retried event has got through."""

    async def preprocess(self, app, state, event):
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
        log.warning("The state store did not answer (%s): the browser is told to %s.", type(exception).__name__,
                    "send the event again" if kind == "retry" else "check before trying again")
    if ctx is not None:
        _send(ctx, signal(event_seq(router_data), kind))
    return None
