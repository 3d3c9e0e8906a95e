"""Opening hours: parsing with clear errors, and who is open at a moment in UK time (clock injected)."""

import datetime as dt

import pytest

from infoshare_widget.base.clock import UK
from infoshare_widget.base.hours import open_at, parse_ranges
from infoshare_widget.base.settings import EXAMPLE_PARTNERSHIP_FILE, load_partnership

PARTNERSHIP = load_partnership(EXAMPLE_PARTNERSHIP_FILE)
BANK_HOLIDAYS = PARTNERSHIP.bank_holidays


def uk(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UK)


# (moment, front door open, out-of-hours open). 1 Dec 2026 is a Tuesday; 25 Dec 2026 a Friday.
MOMENTS = [
    ("weekday 10:00", uk(2026, 12, 1, 10, 0), True, False),
    ("weekday 20:00", uk(2026, 12, 1, 20, 0), False, True),
    ("Sunday 11:00", uk(2026, 12, 6, 11, 0), False, True),
    ("bank holiday 11:00", uk(2026, 12, 25, 11, 0), False, True),
    ("weekday opening minute", uk(2026, 12, 1, 8, 45), True, False),
    ("weekday closing minute", uk(2026, 12, 1, 17, 15), False, True),
    ("Friday 17:00 (front door shuts at 16:45)", uk(2026, 12, 4, 17, 0), False, True),
    ("weekday 03:00", uk(2026, 12, 2, 3, 0), False, True),
    ("summer time 09:00 UK (08:00 UTC)", dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC), True, False),
    ("summer time 08:30 UK (07:30 UTC)", dt.datetime(2026, 7, 1, 7, 30, tzinfo=dt.UTC), False, True),
]


@pytest.mark.parametrize(("name", "moment", "front_door", "out_of_hours"), MOMENTS, ids=[m[0] for m in MOMENTS])
def test_who_is_open(name, moment, front_door, out_of_hours):
    assert open_at(PARTNERSHIP.front_door.open, moment, BANK_HOLIDAYS) is front_door
    assert open_at(PARTNERSHIP.out_of_hours.open, moment, BANK_HOLIDAYS) is out_of_hours


def test_someone_is_always_open_in_the_example():
    moment = uk(2026, 12, 1, 0, 0)
    while moment < uk(2027, 1, 5, 0, 0):
        assert open_at(PARTNERSHIP.front_door.open, moment, BANK_HOLIDAYS) or open_at(
            PARTNERSHIP.out_of_hours.open, moment, BANK_HOLIDAYS
        ), moment
        moment += dt.timedelta(minutes=15)


def test_no_hours_means_unknown_not_closed():
    assert open_at(None, uk(2026, 12, 1, 10, 0), ()) is None


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="aware"):
        open_at({"monday": ((0, 1440),)}, dt.datetime(2026, 12, 1, 10, 0), ())


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("08:45-17:15", ((525, 1035),)),
        (["17:15-24:00", "00:00-08:45"], ((0, 525), (1035, 1440))),
        ("all day", ((0, 1440),)),
    ],
)
def test_ranges_parse(value, expected):
    assert parse_ranges(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9 till 5", "not a time range"),
        ("17:00-09:00", "ends before it starts"),
        ("25:00-26:00", "does not exist"),
        ("08:60-09:00", "does not exist"),
        (["08:00-12:00", "11:00-13:00"], "overlap"),
        ([], "write times like"),
        (900, "write times like"),
        ([900], "in quotes"),
    ],
)
def test_bad_ranges_say_what_is_wrong(value, message):
    with pytest.raises(ValueError, match=message):
        parse_ranges(value)


def test_past_the_end_of_the_bank_holiday_list_open_is_unknown_not_a_guess():
    until = PARTNERSHIP.bank_holidays_known_until
    last = uk(until.year, until.month, until.day, 10, 0)
    after = last + dt.timedelta(days=5)
    assert open_at(PARTNERSHIP.front_door.open, last, BANK_HOLIDAYS, until=until) is not None
    assert open_at(PARTNERSHIP.front_door.open, after, BANK_HOLIDAYS, until=until) is None
    assert open_at(PARTNERSHIP.out_of_hours.open, after, BANK_HOLIDAYS, until=until) is None


def test_the_api_says_unknown_when_no_bank_holidays_are_listed():
    from infoshare_widget.flowchart.chart_view_model import hours_table, open_now

    none_listed = PARTNERSHIP.model_copy(update={"bank_holidays": (), "bank_holidays_until": None})
    assert open_now(none_listed.front_door, none_listed, uk(2026, 12, 1, 10, 0)) is None
    assert hours_table(none_listed)["bank_holidays_until"] is None
    assert hours_table(PARTNERSHIP)["bank_holidays_until"] == PARTNERSHIP.bank_holidays_known_until.isoformat()


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        ([{"monday": ((0, 1440),)}], {"monday": ()}),
        ([{"monday": ((0, 600),)}, {"monday": ((600, 1440),)}], {"monday": ()}),
        ([{"monday": ((0, 540),)}, {"monday": ((600, 1440),)}], {"monday": ((540, 600),)}),
        ([{"monday": ((60, 1380),)}, None], {"monday": ((0, 60), (1380, 1440))}),
        ([{}], {"monday": ((0, 1440),)}),
    ],
)
def test_uncovered_names_the_gaps(hours, expected):
    from infoshare_widget.base.hours import uncovered

    gaps = uncovered(*hours, keys=["monday"])
    assert gaps.get("monday", ()) == expected["monday"]


def test_the_example_covers_every_hour_of_the_week():
    from infoshare_widget.base.hours import uncovered

    assert uncovered(PARTNERSHIP.front_door.open, PARTNERSHIP.out_of_hours.open) == {}


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2026, 12, 7), 12, dt.date(2027, 12, 7)),
    (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),
    (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),
    (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
])
def test_add_months(day, months, expected):
    from infoshare_widget.base.clock import add_months

    assert add_months(day, months) == expected
