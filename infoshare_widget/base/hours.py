"""Opening hours in UK time, and whether a service is open at a given moment. Pure: no Reflex.

A partnership file gives each contact's hours as day names with ranges, for example
`monday: "08:45-17:15"` or `saturday: ["00:00-09:00", "17:00-24:00"]`, plus `bank_holiday` for the
dates listed in the file's `bank_holidays`. A day that is not listed is closed. Times are UK local
time (Europe/London, so British Summer Time is handled), whatever the server's own zone.

assets/hours.js answers the same question in the browser from the table `hours_table` writes; the
browser tests compare the two.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

from infoshare_widget.base.clock import UK
DAYS: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
BANK_HOLIDAY = "bank_holiday"
HOURS_KEYS: tuple[str, ...] = (*DAYS, BANK_HOLIDAY)
_RANGE = re.compile(r"^([0-9]{2}):([0-9]{2})-([0-9]{2}):([0-9]{2})$")

# A day's opening: (start, end) in minutes after midnight, end exclusive, 0 <= start < end <= 1440.
Ranges = tuple[tuple[int, int], ...]


def parse_ranges(value: object) -> Ranges:
    """'08:45-17:15', a list of such, or 'all day'; raise ValueError with a plain message otherwise."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not items:
        raise ValueError('write times like "08:45-17:15", a list of them, or "all day"')
    ranges: list[tuple[int, int]] = []
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"{item!r} is not a time range: write it in quotes, like \"08:45-17:15\"")
        text = item.strip().lower()
        if text == "all day":
            ranges.append((0, 1440))
            continue
        match = _RANGE.match(text)
        if not match:
            raise ValueError(f"{item!r} is not a time range like \"08:45-17:15\" (24-hour clock)")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
            raise ValueError(f"{item!r} has a time that does not exist (use 00:00 to 24:00)")
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if start >= end:
            raise ValueError(f"{item!r} ends before it starts; split a range that runs past midnight "
                             "into two days")
        ranges.append((start, end))
    ranges.sort()
    for (_, end), (start, _) in zip(ranges, ranges[1:]):
        if start < end:
            raise ValueError(f"the ranges {value!r} overlap")
    return tuple(ranges)


def open_at(hours: Mapping[str, Ranges] | None, at: dt.datetime, bank_holidays: Iterable[dt.date],
            until: dt.date | None = None) -> bool | None:
    """Whether a service with these hours is open at `at` (an aware time); None when no hours are given.

    On a listed bank holiday only the `bank_holiday` entry counts (none listed: closed). `until` is
    the last day the bank-holiday list is known to cover: after it, the answer is None (unknown),
    never a guess that the day is an ordinary one.
    """
    if hours is None:
        return None
    if at.tzinfo is None:
        raise ValueError("give an aware time: opening hours are UK time")
    local = at.astimezone(UK)
    if until is not None and local.date() > until:
        return None
    key = BANK_HOLIDAY if local.date() in set(bank_holidays) else DAYS[local.weekday()]
    minute = local.hour * 60 + local.minute
    return any(start <= minute < end for start, end in hours.get(key, ()))


def format_ranges(ranges: Ranges) -> list[str]:
    """A day's opening as written in the partnership file: [(525, 1035)] -> ["08:45-17:15"]."""
    return [f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}" for start, end in ranges]


def uncovered(*hours: Mapping[str, Ranges] | None, keys: Iterable[str] = HOURS_KEYS) -> dict[str, Ranges]:
    """The times, by day (and bank_holiday), when none of these services is open: {day: ((start, end),)}.

    A day no service lists is a gap all day. Services without hours (None) are left out; the caller
    decides what that means.
    """
    gaps: dict[str, Ranges] = {}
    for key in keys:
        ranges = sorted(r for h in hours if h is not None for r in h.get(key, ()))
        missing, reached = [], 0
        for start, end in ranges:
            if start > reached:
                missing.append((reached, start))
            reached = max(reached, end)
        if reached < 1440:
            missing.append((reached, 1440))
        if missing:
            gaps[key] = tuple(missing)
    return gaps

