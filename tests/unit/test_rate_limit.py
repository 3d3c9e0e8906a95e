"""At most so many times a window for one address (rate_limit.py)."""

import datetime as dt

from infoshare_widget.base.rate_limit import PerAddress

T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_a_window_of_a_minute_for_each_address():
    limit = PerAddress(limit=3, window=dt.timedelta(minutes=1))
    assert [limit.allow("a", at(s)) for s in (0, 1, 2, 3)] == [True, True, True, False]
    assert limit.allow("b", at(3))  # another address has its own count
    assert not limit.allow("a", at(59.9))
    assert limit.allow("a", at(60))  # the first has left the window
    assert not limit.allow("a", at(60.5))


def test_refusals_are_not_counted():
    limit = PerAddress(limit=1, window=dt.timedelta(minutes=1))
    assert limit.allow("a", at(0))
    for s in range(1, 60):
        assert not limit.allow("a", at(s))
    assert limit.allow("a", at(60))


def test_many_addresses_cannot_grow_the_table_without_end():
    limit = PerAddress(limit=1, window=dt.timedelta(minutes=1), max_addresses=100)
    for n in range(1000):
        assert limit.allow(f"192.0.2.{n}", at(0))
    assert len(limit._seen) <= 100
