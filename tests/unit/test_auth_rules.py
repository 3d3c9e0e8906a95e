"""The sign-in rules without a database: the throttle's arithmetic, messages, secrets, idle setting."""

import datetime as dt
import hashlib

import pytest

from infoshare_widget.auth.rules import (
    ACCOUNT_LIMIT,
    CLIENT_LIMIT,
    THROTTLE_WINDOW,
    blocked_until,
    for_log,
    needs_touch,
    new_secret,
    secret_hash,
    try_again_message,
)
from infoshare_widget.base.settings import SettingsError, session_idle_minutes

NOW = dt.datetime(2026, 11, 26, 21, 30, tzinfo=dt.UTC)


def ago(minutes: float) -> dt.datetime:
    return NOW - dt.timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("failures", "limit", "expected"),
    [
        ([], 5, None),
        ([ago(1), ago(2), ago(3), ago(4)], 5, None),  # four: not yet
        ([ago(1), ago(2), ago(3), ago(4), ago(5)], 5, ago(5) + THROTTLE_WINDOW),  # five: until the oldest leaves
        ([ago(5), ago(4), ago(3), ago(2), ago(1)], 5, ago(5) + THROTTLE_WINDOW),  # order does not matter
        ([ago(1), ago(2), ago(3), ago(4), ago(5), ago(6)], 5, ago(5) + THROTTLE_WINDOW),  # the 5th newest counts
        ([ago(1), ago(2), ago(3), ago(4), ago(15)], 5, None),  # one just out of the window
        ([ago(1), ago(2), ago(3), ago(4), ago(14.9)], 5, ago(14.9) + THROTTLE_WINDOW),
        ([ago(20)] * 10, 5, None),  # all old
        ([ago(1)] * 19, 20, None),
        ([ago(1)] * 20, 20, ago(1) + THROTTLE_WINDOW),
        ([ago(1).replace(tzinfo=None)] * 5, 5, ago(1) + THROTTLE_WINDOW),  # naive times are UTC (SQLite)
    ],
)
def test_blocked_until_the_limit_th_newest_failure_leaves_the_window(failures, limit, expected):
    assert blocked_until(failures, limit=limit, now=NOW) == expected


def test_limits_follow_asvs_and_nist():
    assert (ACCOUNT_LIMIT, CLIENT_LIMIT, THROTTLE_WINDOW) == (5, 20, dt.timedelta(minutes=15))


@pytest.mark.parametrize(
    ("retry_after", "message"),
    [
        (dt.datetime(2026, 11, 26, 21, 47, tzinfo=dt.UTC), "Too many attempts. Try again after 21:47."),  # GMT
        (dt.datetime(2026, 11, 26, 21, 46, 1, tzinfo=dt.UTC), "Too many attempts. Try again after 21:47."),  # up
        (dt.datetime(2026, 7, 1, 20, 47, tzinfo=dt.UTC), "Too many attempts. Try again after 21:47."),  # BST
        (dt.datetime(2026, 7, 1, 22, 59, 30, tzinfo=dt.UTC), "Too many attempts. Try again after 00:00."),
    ],
)
def test_the_message_gives_the_uk_time_rounded_up(retry_after, message):
    assert try_again_message(retry_after) == message


@pytest.mark.parametrize(
    ("last_seen", "now", "touch"),
    [
        (NOW, NOW, False),
        (NOW, NOW + dt.timedelta(seconds=59), False),
        (NOW, NOW + dt.timedelta(minutes=1), True),
        (NOW.replace(tzinfo=None), NOW + dt.timedelta(minutes=5), True),
    ],
)
def test_last_seen_is_written_at_most_once_a_minute(last_seen, now, touch):
    assert needs_touch(last_seen, now) is touch


def test_secrets_are_random_urlsafe_32_bytes_and_only_their_hash_is_kept():
    secrets = {new_secret() for _ in range(100)}
    assert len(secrets) == 100
    secret = secrets.pop()
    assert len(secret) == 43 and set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert secret_hash(secret) == hashlib.sha256(secret.encode()).hexdigest() != secret


@pytest.mark.parametrize(
    ("value", "shown"),
    [("sam", "'sam'"), ("sam\nFAKE LINE", "'sam\\nFAKE LINE'"), ("x" * 500, repr("x" * 120))],
)
def test_typed_values_are_logged_on_one_line(value, shown):
    assert for_log(value) == shown


@pytest.mark.parametrize(
    ("environ", "minutes"),
    [({}, 30), ({"INFOSHARE_SESSION_IDLE_MINUTES": ""}, 30), ({"INFOSHARE_SESSION_IDLE_MINUTES": "45"}, 45),
     ({"INFOSHARE_SESSION_IDLE_MINUTES": " 5 "}, 5), ({"INFOSHARE_SESSION_IDLE_MINUTES": "480"}, 480)],
)
def test_idle_minutes_come_from_the_environment(environ, minutes):
    assert session_idle_minutes(environ) == minutes


@pytest.mark.parametrize("value", ["0", "-5", "abc", "30m", "481", "1.5"])
def test_bad_idle_minutes_stop_start_up_with_the_setting_named(value):
    with pytest.raises(SettingsError, match="INFOSHARE_SESSION_IDLE_MINUTES"):
        session_idle_minutes({"INFOSHARE_SESSION_IDLE_MINUTES": value})
