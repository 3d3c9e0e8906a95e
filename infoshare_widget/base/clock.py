"""Time, once: times are stored in UTC and shown, and reasoned about, in UK time. Pure: no Reflex.

The widget serves England, so "today", opening hours, date filters and the times people read are UK
local time (Europe/London, with British Summer Time), whatever the server's own zone.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

UK = zoneinfo.ZoneInfo("Europe/London")


def utc_now() -> dt.datetime:
    """Now, aware, in UTC: the default clock (tests pass their own moment instead)."""
    return dt.datetime.now(dt.UTC)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """An aware UTC time (a naive one, as SQLite gives back, is taken to be UTC already)."""
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# The years a record's dates may fall in (filters and the API refuse others with a clear message).
FIRST_YEAR, LAST_YEAR = 2000, 2999


def in_record_years(day: dt.date) -> bool:
    """Whether a date is in the years records can have."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def uk_today(now: dt.datetime | None = None) -> dt.date:
    """The date in the UK at `now` (default: this moment)."""
    return as_utc(now or utc_now()).astimezone(UK).date()


def iso_day(text: str) -> dt.date | None:
    """The date written as YYYY-MM-DD (exactly: not 20261126 or 2026-W48-4, which Python also reads),
    or None."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def is_record_date(text: str) -> bool:
    """Whether the text is an ISO date (2026-11-26) in the years the records can have."""
    day = iso_day(text)
    return day is not None and in_record_years(day)


def uk_day_start(day: dt.date) -> dt.datetime:
    """The start of a day in UK time, as UTC (dates in filters are the dates people see)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=UK).astimezone(dt.UTC)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day where it is shorter: 31 January + 1 is 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")
