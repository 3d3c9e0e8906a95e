"""When the records database does not answer an event: the one message, and the one way an event
handler shows it.

`in_database` (base/db.py) raises Unavailable when the database is down, restarting or has no
connection free. Each write is one transaction, so nothing was saved or done, and the person can
simply try again. Every handler asks the database through `ask_database`, so every page says the
same thing, in the place it shows its errors, and moves focus there as that page does. Only that one
message var is set: what the person typed or chose stays in the browser, untouched.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, TypeVar

import reflex as rx

from infoshare_widget.base.db import NOT_ANSWERED, Unavailable

T = TypeVar("T")

MESSAGE = NOT_ANSWERED


@dataclass(frozen=True)
class NotAnswered:
    """The database did not answer. `reply` is what the handler returns: focus on the page's error
    (where the page moves focus to its errors), or None."""

    reply: Any = None


async def ask_database(state: object, work: Awaitable[T], *, show: str | None, under: str = "",
                       focus: str = "") -> T | NotAnswered:
    """The work's answer; or, when the database does not answer, NotAnswered, with MESSAGE put in the
    state's var `show` (in its dict under the key `under`, for a page with an error summary: the
    message replaces the errors shown) and, with `focus`, focus moved to that element's id.

    `show=None` is for work whose failure the person need not hear of (the thing itself happened
    in the browser); nothing is set."""
    try:
        return await work
    except Unavailable:
        if show is not None:
            setattr(state, show, {under: MESSAGE} if under else MESSAGE)
        return NotAnswered(rx.set_focus(focus) if focus else None)
