"""Server-side sessions for both kinds of sign-in (a password, or a partner's token). Takes a
session; no Reflex.

The browser keeps a random secret; the table keeps its SHA-256. A session ends at its absolute
expiry (8 hours after a password sign-in; the token's own expiry for a partner's token), or once it
has gone unused for the idle time (INFOSHARE_SESSION_IDLE_MINUTES, default 30). Using it moves
last-seen forward, written at most once a minute, so the idle time is counted from a moment at most
a minute before the last use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, or_, update
from sqlmodel import Session, select

from infoshare_widget.auth.rules import (
    MAX_SECRET_CHARS,
    THROTTLE_WINDOW,
    needs_touch,
    new_secret,
    secret_hash,
)
from infoshare_widget.base.clock import as_utc, utc_now
from infoshare_widget.auth.models import AppUser, SignInFailure, UserSession
from infoshare_widget.base.models import Organisation
from infoshare_widget.base.acting import Actor
from infoshare_widget.base.settings import session_idle_minutes


@dataclass(frozen=True)
class SignedIn:
    """Who a session belongs to (nothing secret: the session's secret stays with the caller)."""

    actor: Actor
    organisation_name: str
    expires_at: dt.datetime


def idle_time() -> dt.timedelta:
    """How long a session may go unused."""
    return dt.timedelta(minutes=session_idle_minutes())


def open_session(
    *,
    session: Session,
    org_id: str,
    expires_at: dt.datetime,
    now: dt.datetime,
    user_id: int | None = None,
    issuer: str | None = None,
    subject: str | None = None,
    name: str | None = None,
    role: str | None = None,
    access: str = "recorder",
    waiting_for: str | None = None,
) -> str:
    """Store a new session and return its secret for the browser (committed). A session
    `waiting_for` a second factor ("code") or its set-up ("enrol") opens nothing else."""
    secret = new_secret()
    session.add(UserSession(token_hash=secret_hash(secret), user_id=user_id, org_id=org_id, issuer=issuer,
                            subject=subject, name=name, role=role, access=access, waiting_for=waiting_for,
                            created_at=now, last_seen_at=now, expires_at=as_utc(expires_at)))
    session.commit()
    return secret


def resolve(*, session: Session, secret: str, now: dt.datetime | None = None,
            waiting_for: str | None = None) -> SignedIn | None:
    """Who holds this secret, if the session is live and ready (or, with `waiting_for`, waiting for
    that step of the sign-in); None otherwise. A switched-off account's sessions resolve to None.

    One query joins the session, its user (if any) and its organisation; a second statement moves
    last-seen forward when a minute or more has passed since it was written.
    """
    if not isinstance(secret, str) or not secret or len(secret) > MAX_SECRET_CHARS:
        return None
    moment = as_utc(now or utc_now())
    token_hash = secret_hash(secret)
    row = session.exec(
        select(
            UserSession.user_id, UserSession.org_id, UserSession.issuer, UserSession.subject, UserSession.name,
            UserSession.role, UserSession.last_seen_at, UserSession.expires_at, UserSession.access,
            UserSession.waiting_for, AppUser.id, AppUser.name, AppUser.role, AppUser.username, AppUser.active,
            Organisation.name,
        )
        .join(Organisation, Organisation.id == UserSession.org_id)
        .outerjoin(AppUser, AppUser.id == UserSession.user_id)
        .where(
            UserSession.token_hash == token_hash,
            UserSession.expires_at > moment,
            UserSession.last_seen_at > moment - idle_time(),
        )
    ).first()
    if row is None:
        return None
    (user_id, org_id, issuer, subject, token_name, token_role, last_seen_at, expires_at, access, waiting,
     account_id, account_name, account_role, username, active, organisation_name) = row
    if waiting != waiting_for:
        return None
    if user_id is not None:
        if account_id is None or not active:
            return None
        actor = Actor(org_id, account_name, account_role, user_id, access=access, account=username)
    else:
        actor = Actor(org_id, token_name, token_role, None, issuer, subject, access=access,
                      account=f"{issuer} {subject}")
    if needs_touch(last_seen_at, moment):
        session.exec(update(UserSession).where(UserSession.token_hash == token_hash).values(last_seen_at=moment))
        session.commit()
    return SignedIn(actor, organisation_name, as_utc(expires_at))


def sign_out(*, session: Session, secret: str) -> None:
    """End a session: its row is deleted (sessions are not records)."""
    if isinstance(secret, str) and secret and len(secret) <= MAX_SECRET_CHARS:
        session.exec(delete(UserSession).where(UserSession.token_hash == secret_hash(secret)))
        session.commit()


def end_sessions_of(*, session: Session, user_id: int) -> None:
    """End every session of an account (its level changed, it was switched off or reset)."""
    session.exec(delete(UserSession).where(UserSession.user_id == user_id))


def purge_expired(*, session: Session, now: dt.datetime | None = None) -> int:
    """Delete sessions past their expiry or idle time, and failed sign-ins older than the throttle's
    window; return how many sessions went."""
    moment = as_utc(now or utc_now())
    ended = session.exec(
        delete(UserSession).where(
            or_(UserSession.expires_at <= moment, UserSession.last_seen_at <= moment - idle_time())
        )
    )
    session.exec(delete(SignInFailure).where(SignInFailure.failed_at <= moment - THROTTLE_WINDOW))
    session.commit()
    return ended.rowcount
