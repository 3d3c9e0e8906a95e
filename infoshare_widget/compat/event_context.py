"""The event being handled, as components/trouble/ needs it: its router data, and sending one State
var's new value straight to its browser tab; and logging an error as Reflex's default handler does.

Why: when the state store (Redis) is down, the browser must still hear which of its events failed,
and how (components/trouble/). Reflex's public ways to update the browser (returning from a handler,
`yield`, `async with self`) all load and save the tab's state in the store, so they fail too.
Reflex 0.10.1 keeps the event's context in `reflex_base.event.context.EventContext` (a context
variable, set for event handlers, middleware and the backend exception handler), whose
`emit_delta` sends an update to the tab's socket without the store. An update is keyed by the
state's full name and each var's name followed by `FIELD_MARKER` (`reflex_base.constants.state`),
as the browser's copy of State is. The event's `router_data` (what the browser sent with the event,
including the number assets/trouble.js gives it) is the same dict in the event and in its context,
so a mark made by middleware is read by the exception handler.

`when_state_loaded` runs a function for each event once Reflex has loaded its tab's state from the
store, and before the handler: Reflex's middleware (`app.add_middleware`, `reflex.middleware`), whose
`preprocess` Reflex 0.10.1 calls inside its hold on the loaded state. Reflex documents neither the
middleware nor that moment.

`handlers_marked` finds the event handlers whose function carries a mark (components/trouble/'s
`@answered`), by the name the browser sends their events under: Reflex 0.10.1 keeps each state's
handlers in `event_handlers` (an `EventHandler` whose `fn` is the function as written) and names an
event `<state's full name>.<handler's name>`, none of it documented.

`log_like_reflex` logs an error with its traceback as Reflex's default backend exception handler
(`reflex.app.default_backend_exception_handler`) does, dropping its reply: a toast run by eval, which
the page's Content-Security-Policy would refuse.

Checked against: reflex 0.10.1 (reflex_base 0.10.1). No upstream issue: there is no public API for
an update that needs no state store. Contract tests: tests/unit/test_compat.py
(test_event_context_sends_a_var_to_the_tab_without_the_store, test_event_context_router_data_is_the_event_s,
test_event_context_middleware_runs_once_the_state_is_loaded,
test_event_context_handlers_marked_by_the_names_the_browser_sends,
test_event_context_reflex_s_default_handler_logs_and_returns_its_toast).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import reflex as rx
from reflex.app import default_backend_exception_handler
from reflex.middleware import Middleware
from reflex_base.constants.state import FIELD_MARKER
from reflex_base.event.context import EventContext

_sending: set[asyncio.Task] = set()


def var_update(state: type, var: str, value: Any) -> dict:
    """The update that sets the browser's copy of `state`'s var `var` to `value`."""
    return {state.get_full_name(): {var + FIELD_MARKER: value}}


class Tab:
    """The browser tab of the event being handled."""

    def __init__(self, context: EventContext):
        self._context = context

    @property
    def router_data(self) -> dict:
        """What the browser sent with the event (the same dict the middleware saw in the event)."""
        return self._context.router_data

    def send(self, state: type, var: str, value: Any) -> Coroutine:
        """Set the tab's copy of a var, straight through its socket (the server's copy is untouched)."""
        return self._context.emit_delta(var_update(state, var, value))

    def send_soon(self, state: type, var: str, value: Any) -> None:
        """As `send`, in a task of its own (from code that cannot wait, such as an exception handler)."""
        task = asyncio.get_running_loop().create_task(self.send(state, var, value))
        _sending.add(task)
        task.add_done_callback(_sending.discard)


def current_tab() -> Tab | None:
    """The tab of the event being handled, or None outside an event."""
    try:
        return Tab(EventContext.get())
    except LookupError:
        return None


class _WhenStateLoaded(Middleware):
    def __init__(self, callback: Callable[[dict], None]):
        self.callback = callback

    async def preprocess(self, app, state, event):
        self.callback(event.router_data)
        return None


def when_state_loaded(app, callback: Callable[[dict], None]) -> None:
    """Call `callback(router_data)` for each event, once its tab's state has been loaded from the store
    and before its handler runs. The router data may be marked: the exception handler sees the mark."""
    app.add_middleware(_WhenStateLoaded(callback))


def handlers_marked(attribute: str) -> dict[str, Any]:
    """Every event handler of every state whose function has `attribute`, by the name the browser
    sends its events under, with the attribute's value (sorted by name)."""
    found: dict[str, Any] = {}
    pending = [rx.State]
    while pending:
        state = pending.pop()
        pending.extend(state.get_substates())
        for name, handler in state.event_handlers.items():
            value = getattr(handler.fn, attribute, None)
            if value:
                found[f"{handler.state_full_name}.{name}"] = value
    return dict(sorted(found.items()))


def log_like_reflex(exception: Exception) -> None:
    """Log the error with its traceback, as Reflex's default backend exception handler does (its
    reply, a toast the page could not run, is dropped)."""
    default_backend_exception_handler(exception)
