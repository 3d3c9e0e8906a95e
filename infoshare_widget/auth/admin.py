"""The admin area's work: accounts, records API keys and the organisation's settings, for an actor
whose level may manage accounts; and reading the access log. Takes a session; no Reflex.

Every change is checked against the actor's level and organisation here (not only in the page),
and written to the access log: who, when, what. Passwords are never chosen by an admin: a new
account, and a reset, get a one-time code the person uses to set their own (shown once, kept as
its SHA-256, valid for three days). API keys are shown once and kept as their SHA-256.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, update
from sqlmodel import Session, select

from infoshare_widget.access import LEVELS
from infoshare_widget.auth import second_factor
from infoshare_widget.auth.accounts import create_user
from infoshare_widget.auth.rules import secret_hash
from infoshare_widget.auth.sessions import end_sessions_of
from infoshare_widget.codes import readable_code
from infoshare_widget.clock import as_utc, is_record_date, uk_day_start, utc_now
from infoshare_widget.records.models import AccessLog, ApiKey, AppUser, Organisation, RecoveryCode
from infoshare_widget.records.retention import set_retention
from infoshare_widget.records.service import Actor, RecordError, allow, log_access

RESET_LIFETIME = dt.timedelta(days=3)
RESET_LASTS = f"{RESET_LIFETIME.days} days"  # what the pages say of it
KEY_PREFIX = "isk_"
MAX_LOG_ROWS = 500
# Stands in for a password until the person sets theirs with the code (Argon2 never matches it).
NO_PASSWORD = "!no password yet"


def _admin(session: Session, actor: Actor, what: str) -> None:
    """Go on only for an actor who may manage accounts; otherwise log the refusal and raise."""
    allow(session, actor, "manage_accounts", what, logged_as="admin")


def _changed(session: Session, actor: Actor, what: str) -> None:
    log_access(session, actor, "admin", what)
    session.commit()


@dataclass(frozen=True)
class AccountRow:
    """An account as the admin area lists it (no password, no secrets)."""

    id: int
    username: str
    name: str
    role: str
    access: str
    active: bool
    second_factor: bool
    reset_pending: bool


def list_accounts(*, session: Session, actor: Actor) -> list[AccountRow]:
    """The organisation's accounts, by username."""
    _admin(session, actor, "list accounts")
    users = session.exec(select(AppUser).where(AppUser.org_id == actor.org_id).order_by(AppUser.username)).all()
    return [AccountRow(u.id, u.username, u.name, u.role, u.access, u.active, u.totp_secret is not None,
                       u.reset_hash is not None) for u in users]


def _account(session: Session, actor: Actor, user_id: int) -> AppUser:
    user = session.get(AppUser, user_id) if isinstance(user_id, int) else None
    if user is None or user.org_id != actor.org_id:
        raise RecordError("There is no such account in your organisation.")
    return user


def _give_reset(user: AppUser, moment: dt.datetime) -> str:
    code = readable_code(12)
    user.reset_hash, user.reset_expires_at = second_factor.code_hash(code), moment + RESET_LIFETIME
    return code


def create_account(*, session: Session, actor: Actor, username: str, name: str, role: str, access: str,
                   now: dt.datetime | None = None) -> str:
    """A new account with no password yet; returns the one-time code to set one (show it once)."""
    _admin(session, actor, f"create account {username[:60]}")
    moment = as_utc(now or utc_now())
    # A random placeholder passes the length rule; it is replaced straight away by NO_PASSWORD.
    user = create_user(session=session, org_id=actor.org_id, username=username, name=name, role=role,
                       password=secrets.token_urlsafe(24), access=access)
    user.password_hash = NO_PASSWORD
    code = _give_reset(user, moment)
    session.add(user)
    _changed(session, actor, f"created account {user.username} as {access}")
    return code


def set_level(*, session: Session, actor: Actor, user_id: int, access: str) -> None:
    """Change an account's level; its sessions end, so the new level applies at once."""
    _admin(session, actor, f"change level of account {user_id}")
    if access not in LEVELS:
        raise RecordError(f"The access level must be one of {', '.join(LEVELS)}.")
    user = _account(session, actor, user_id)
    if user.id == actor.user_id:
        raise RecordError("You cannot change your own level: ask another admin.")
    before, user.access = user.access, access
    session.add(user)
    end_sessions_of(session=session, user_id=user.id)
    _changed(session, actor, f"changed {user.username} from {before} to {access}")


def set_active(*, session: Session, actor: Actor, user_id: int, active: bool) -> None:
    """Switch an account off (its sessions end and it cannot sign in) or on again."""
    _admin(session, actor, f"{'reactivate' if active else 'deactivate'} account {user_id}")
    user = _account(session, actor, user_id)
    if user.id == actor.user_id and not active:
        raise RecordError("You cannot switch off your own account.")
    user.active = bool(active)
    session.add(user)
    if not active:
        end_sessions_of(session=session, user_id=user.id)
    _changed(session, actor, f"{'reactivated' if active else 'deactivated'} {user.username}")


def reset_password(*, session: Session, actor: Actor, user_id: int, now: dt.datetime | None = None) -> str:
    """Replace the password with a one-time code (show it once); the old password and sessions end."""
    _admin(session, actor, f"reset password of account {user_id}")
    user = _account(session, actor, user_id)
    if user.id == actor.user_id:
        raise RecordError("You cannot reset your own password here: ask another admin.")
    code = _give_reset(user, as_utc(now or utc_now()))
    user.password_hash = NO_PASSWORD
    session.add(user)
    end_sessions_of(session=session, user_id=user.id)
    _changed(session, actor, f"reset the password of {user.username}")
    return code


def reset_second_factor(*, session: Session, actor: Actor, user_id: int) -> None:
    """Forget a lost authenticator and its recovery codes: the next sign-in sets up a new one."""
    _admin(session, actor, f"reset second factor of account {user_id}")
    user = _account(session, actor, user_id)
    if user.id == actor.user_id:
        raise RecordError("You cannot reset your own second factor: ask another admin.")
    user.totp_secret = user.totp_pending = user.totp_last_step = None
    session.add(user)
    session.exec(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_sessions_of(session=session, user_id=user.id)
    _changed(session, actor, f"reset the second factor of {user.username}")


# -- API keys --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyRow:
    id: int
    name: str
    created_at: dt.datetime
    created_by: str
    last_used_at: dt.datetime | None
    revoked: bool


def list_keys(*, session: Session, actor: Actor) -> list[KeyRow]:
    _admin(session, actor, "list API keys")
    keys = session.exec(select(ApiKey).where(ApiKey.org_id == actor.org_id).order_by(ApiKey.created_at.desc())).all()
    return [KeyRow(k.id, k.name, k.created_at, k.created_by, k.last_used_at, k.revoked_at is not None) for k in keys]


def create_key(*, session: Session, actor: Actor, name: str) -> str:
    """A new records API key for the organisation; returns it (show it once: only its hash is kept)."""
    _admin(session, actor, "create API key")
    name = " ".join(str(name).split())
    if not name or len(name) > 80:
        raise RecordError("Give the key a name of up to 80 characters, such as the system that will use it.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiKey(org_id=actor.org_id, name=name, key_hash=secret_hash(key), created_by=actor.name[:200]))
    _changed(session, actor, f"created API key {name}")
    return key


def revoke_key(*, session: Session, actor: Actor, key_id: int, now: dt.datetime | None = None) -> None:
    _admin(session, actor, f"revoke API key {key_id}")
    key = session.get(ApiKey, key_id) if isinstance(key_id, int) else None
    if key is None or key.org_id != actor.org_id:
        raise RecordError("There is no such key in your organisation.")
    if key.revoked_at is None:
        key.revoked_at = as_utc(now or utc_now())
        session.add(key)
    _changed(session, actor, f"revoked API key {key.name}")


def key_actor(*, session: Session, key: str, client: str, now: dt.datetime | None = None) -> Actor | None:
    """Who a records API key speaks for (read-only, like an auditor), if it is live; its last-used
    time moves forward (written at most once a minute)."""
    if not key or len(key) > 200:
        return None
    row = session.exec(select(ApiKey).where(ApiKey.key_hash == secret_hash(key), ApiKey.revoked_at.is_(None))).first()
    if row is None:
        return None
    moment = as_utc(now or utc_now())
    if row.last_used_at is None or moment - as_utc(row.last_used_at) >= dt.timedelta(minutes=1):
        session.exec(update(ApiKey).where(ApiKey.id == row.id).values(last_used_at=moment))
        session.commit()
    return Actor(row.org_id, row.name, "API key", access="auditor", account=f"API key: {row.name}", client=client)


# -- the organisation's settings -------------------------------------------------------------------


def organisation_settings(*, session: Session, actor: Actor) -> Organisation:
    _admin(session, actor, "read settings")
    return session.get(Organisation, actor.org_id)


def change_retention(*, session: Session, actor: Actor, years: int | None) -> None:
    _admin(session, actor, "change retention")
    set_retention(session=session, org_id=actor.org_id, years=years)
    _changed(session, actor, f"set retention to {years} years" if years else "cleared the retention period")


# -- the access log --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogFilter:
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    who: str | None = None  # part of a name or account
    target: str | None = None  # a record reference


def log_filter(form: dict) -> tuple[LogFilter, str]:
    """The access log page's filters from its form (UK dates, inclusive), and a message for a date
    that is not one (that filter is then left out, the others kept)."""
    since, until = (str(form.get(name, ""))[:10] for name in ("from", "to"))
    bad = [label for label, text in (("From", since), ("To", until)) if text and not is_record_date(text)]
    since_day = dt.date.fromisoformat(since) if since and "From" not in bad else None
    until_day = dt.date.fromisoformat(until) if until and "To" not in bad else None
    filters = LogFilter(
        since=uk_day_start(since_day) if since_day else None,
        until=uk_day_start(until_day + dt.timedelta(days=1)) if until_day else None,
        who=str(form.get("who", "")).strip()[:100] or None,
        target=str(form.get("reference", "")).strip().upper()[:20] or None,
    )
    return filters, f"{' and '.join(bad)} must be a date" if bad else ""


def log_fields(entry: AccessLog) -> dict[str, str]:
    """An entry's fields as text, its time apart (each reader shows or writes that as it needs)."""
    return {"who": entry.who, "account": entry.account, "level": entry.level, "action": entry.action,
            "target": entry.target, "client": entry.client, "outcome": entry.outcome}


def _log_query(org_id: str, filters: LogFilter, newest_first: bool = True):
    query = select(AccessLog).where(AccessLog.org_id == org_id)
    if filters.since:
        query = query.where(AccessLog.at >= filters.since)
    if filters.until:
        query = query.where(AccessLog.at < filters.until)
    if filters.who:
        pattern = f"%{filters.who.lower()}%"
        query = query.where((AccessLog.who.ilike(pattern)) | (AccessLog.account.ilike(pattern)))
    if filters.target:
        query = query.where(AccessLog.target == filters.target)
    if newest_first:
        return query.order_by(AccessLog.at.desc(), AccessLog.id.desc())
    return query.order_by(AccessLog.at, AccessLog.id)


def read_log(*, session: Session, actor: Actor, filters: LogFilter = LogFilter(),
             limit: int = MAX_LOG_ROWS) -> list[AccessLog]:
    """The organisation's access log, newest first, for a level that may read it (itself logged)."""
    allow(session, actor, "read_access_log", logged_as="read access log")
    rows = list(session.exec(_log_query(actor.org_id, filters).limit(max(1, min(limit, MAX_LOG_ROWS)))).all())
    for row in rows:  # keep them readable after the commit below
        session.expunge(row)
    log_access(session, actor, "read access log", " ".join(
        f"{k}={v}" for k, v in filters.__dict__.items() if v) or "all")
    session.commit()
    return rows


def log_for_command(*, session: Session, org_id: str, since: dt.datetime | None = None) -> list[AccessLog]:
    """The whole log since a time, oldest first, for the admin command (a shell is trusted)."""
    return list(session.exec(_log_query(org_id, LogFilter(since=since), newest_first=False)).all())


READ_ACTIONS = ("open", "print", "copy summary", "details form", "subject access request")


def readers_of(*, session: Session, actor: Actor, reference: str, limit: int = 50) -> list[AccessLog]:
    """Who has read a record (its page, print view, summary, details form or an export naming it),
    newest first: shown on the record's page to anyone who may open it."""
    rows = session.exec(
        select(AccessLog).where(AccessLog.org_id == actor.org_id, AccessLog.target == reference,
                                AccessLog.action.in_(READ_ACTIONS), AccessLog.outcome == "ok")
        .order_by(AccessLog.at.desc(), AccessLog.id.desc()).limit(limit)
    ).all()
    return list(rows)

