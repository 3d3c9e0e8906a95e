"""When an event cannot be carried out: the state store (Redis) down, or the server failing. Pure
core: which failures these are, and the short signal the browser is sent for each.

Each event the browser sends carries a number of its own (`router_data["infoshare_seq"]`, added by
assets/trouble.js as it is sent). When the event fails, the browser hears, within the time of one
Redis connection attempt, which event it was and what it may do:

- "retry": the state store did not answer before the event's handler ran, so nothing was done; the
  browser sends the same event again, with a growing pause, until the store is back;
- "unsure": the store failed after the state had been loaded, so the handler may have run; nothing is
  sent again by itself (a record's retry is safe by its client key, but the browser cannot tell which);
- "failed": any other server error; the action was not completed;
- "ok": a retried event got through (sent by the server as the retry is taken up);
- "done": an event the page waits on (a save, a sign-in, an admin action) has been answered: the
  browser's watchdog stops waiting for it. One that hears nothing within 8 seconds (a worker killed
  mid-save, a store that hangs) says so, and sends a save again by itself (its key makes it save
  once) or, for an action that cannot be repeated blindly, asks the person to check first.
"""

from __future__ import annotations

from collections.abc import Mapping

SEQ_KEY = "infoshare_seq"
RETRY_KEY = "infoshare_retry"
LOADED_KEY = "infoshare_loaded"
KINDS = ("retry", "unsure", "failed", "ok", "done")
# What the browser's watchdog may do with an event of each kind that is not answered in time.
WATCH_MODES = ("resend", "check")


def _chain(exc: BaseException):
    """The exception, its cause and its context, each once."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def is_store_failure(exc: BaseException) -> bool:
    """Whether the failure is the state store not answering (refused, timed out, still loading)."""
    try:
        from redis.exceptions import BusyLoadingError, ConnectionError, TimeoutError
    except ImportError:  # pragma: no cover - redis is a pinned dependency
        return False
    return any(isinstance(e, (ConnectionError, TimeoutError, BusyLoadingError)) for e in _chain(exc))


def event_seq(router_data: Mapping[str, object] | None) -> int | None:
    """The browser's number for the event, if it sent a sensible one."""
    value = (router_data or {}).get(SEQ_KEY)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2 ** 53:
        return None
    return value


def kind_of(exc: BaseException, router_data: Mapping[str, object] | None) -> str:
    """What the browser may do about a failed event (see the module docstring)."""
    if not is_store_failure(exc):
        return "failed"
    return "unsure" if (router_data or {}).get(LOADED_KEY) else "retry"


def signal(seq: int | None, kind: str) -> str:
    """The value the browser is sent: "<seq>:<kind>" ("0" when the event had no number)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    return f"{seq or 0}:{kind}"
