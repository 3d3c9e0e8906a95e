"""State vars that reach the browser and are never kept on the server.

Reflex pickles every State to disk or Redis between events, backend `_vars` included. A record's
content must not be in those bytes, yet the page needs it. A state that mixes in `NotKept` and names
some of its vars with `@not_kept(...)` keeps them only for the event that sets them: the delta sent to
the browser carries the values, and at that moment the server puts the vars back to their defaults
(without marking them changed, so the browser keeps what it was sent). The pickle is made without
them as well, so even a value set by an event that sent no delta is never written.

The browser holds the values in React's memory for that page only; a reload asks the server again.

The promise "record content never sits in State" (docs/security.md) rests on this. It leans on
Reflex internals: `get_delta` is called on each state as the delta is built (so an override applies),
pickling a state calls its `__getstate__` (through `BaseState._serialize`, which the disk and Redis
state managers use), and a State may redefine its own methods only if they carry the undocumented
`__override_base_method__` marker (what `reflex.state._override_base_method` sets); without it Reflex
would also take `get_delta` for an event handler (upstream: reflex-dev/reflex#6417, fixed before
0.10.1).

Checked against: reflex 0.10.1. Contract tests: tests/unit/test_compat.py
(test_not_kept_a_canary_is_sent_once_and_never_pickled, test_not_kept_reflex_honours_the_override_marker),
and on the running widget tests/e2e/test_privacy.py (no record content in any pickled state, on disk
and in Redis).
"""

from __future__ import annotations

from collections.abc import Callable


def not_kept(*names: str) -> Callable[[type], type]:
    """Class decorator: these vars are sent, never kept (see the module docstring)."""

    def mark(cls: type) -> type:
        missing = [name for name in names if name not in cls.__fields__]
        if missing:
            raise TypeError(f"{cls.__name__} has no vars named {', '.join(missing)}")
        cls.__infoshare_not_kept__ = tuple(names)
        return cls

    return mark


class NotKept:
    """Mix in before rx.State: `class RecordsState(NotKept, rx.State)`."""

    __infoshare_not_kept__: tuple[str, ...] = ()

    def _put_back_defaults(self, fields: dict) -> None:
        for name in type(self).__infoshare_not_kept__:
            if name in fields:
                fields[name] = type(self).__fields__[name].default_value()

    def get_delta(self):
        """The delta as Reflex makes it; then the vars it carried are forgotten here."""
        delta = super().get_delta()
        self._put_back_defaults(vars(self))
        return delta

    def __getstate__(self):
        """What pickle stores: every var but these (which are stored as their defaults)."""
        fields = dict(super().__getstate__())
        self._put_back_defaults(fields)
        return fields

    # Reflex refuses a state that redefines its own methods unless they say so (and would otherwise
    # take get_delta for an event handler).
    get_delta.__override_base_method__ = True
    __getstate__.__override_base_method__ = True
