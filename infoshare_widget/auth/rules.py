"""The rules of signing in, apart from the database: session secrets, the throttle's arithmetic,
and what the form says. Pure: no Reflex, no database.

Limits follow OWASP ASVS (V2.2) and NIST SP 800-63B (5.2.2): at most 5 failed sign-ins per account
and 20 per client address in any 15 minutes; refused attempts are not counted, so a lock lasts at
most 15 minutes and nobody can keep another person locked out for longer by trying again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from infoshare_widget.base.clock import UK, as_utc

SESSION_LIFETIME = dt.timedelta(hours=8)  # absolute: a session ends this long after sign-in
LAST_SEEN_STEP = dt.timedelta(minutes=1)  # last-seen is written at most this often
THROTTLE_WINDOW = dt.timedelta(minutes=15)
ACCOUNT_LIMIT = 5
CLIENT_LIMIT = 20
SECRET_BYTES = 32
MAX_SECRET_CHARS = 100

NOT_RIGHT = "The organisation, username or password is not right"


def new_secret() -> str:
    """A session secret for the browser: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(SECRET_BYTES)


def secret_hash(secret: str) -> str:
    """What the table keeps of a session secret: its SHA-256, so a copy of the table opens nothing."""
    return hashlib.sha256(secret.encode()).hexdigest()


def blocked_until(
    failures: Iterable[dt.datetime], *, limit: int, now: dt.datetime, window: dt.timedelta = THROTTLE_WINDOW
) -> dt.datetime | None:
    """When attempts may start again, if `limit` or more failures fall in the window before `now`.

    That is when the limit-th most recent failure leaves the window; None when not blocked.
    """
    moment = as_utc(now)
    recent = sorted((as_utc(f) for f in failures if as_utc(f) > moment - window), reverse=True)
    if len(recent) < limit:
        return None
    return recent[limit - 1] + window


def try_again_message(retry_after: dt.datetime) -> str:
    """The form's message for a throttled sign-in, with the UK time rounded up to the minute."""
    local = as_utc(retry_after).astimezone(UK)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    return f"Too many attempts. Try again after {local:%H:%M}."


def needs_touch(last_seen_at: dt.datetime, now: dt.datetime) -> bool:
    """Whether to write a session's last-seen time now (at most once a minute, to keep reads cheap)."""
    return as_utc(now) - as_utc(last_seen_at) >= LAST_SEEN_STEP


def for_log(value: object, limit: int = 120) -> str:
    """A value typed by someone, safe for one log line: quoted, escaped, and cut short."""
    return repr(str(value)[:limit])
# How long a one-time code for setting a password lasts.
RESET_LIFETIME = dt.timedelta(days=3)


RESET_LASTS = f"{RESET_LIFETIME.days} days"  # what the pages say of it
