"""How often one address may do something, counted in this process. Pure: no Reflex, no database.

For what costs an attacker nothing to send and the widget something to keep: logging a refused
token, counting walks. A per-worker count is enough here (several workers allow a few times the
limit); the sign-in throttle, which must hold across workers, is counted in the database instead.
"""

from __future__ import annotations

import datetime as dt
from collections import deque


class PerAddress:
    """At most `limit` times in any `window` for one address; the table forgets everyone when it
    holds `max_addresses` (a flood from many addresses cannot grow it without end)."""

    def __init__(self, limit: int, window: dt.timedelta, max_addresses: int = 10_000):
        self.limit, self.window, self.max_addresses = limit, window, max_addresses
        self._seen: dict[str, deque[dt.datetime]] = {}

    def allow(self, address: str, now: dt.datetime) -> bool:
        """Whether `address` may go ahead at `now` (and, if so, count it)."""
        times = self._seen.get(address)
        if times is None:
            if len(self._seen) >= self.max_addresses:
                self._seen.clear()
            times = self._seen[address] = deque()
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        return True

    def clear(self) -> None:
        self._seen.clear()
