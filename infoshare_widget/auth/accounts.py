"""Accounts and password sign-in for the standalone widget, with the throttle. Takes a session; no
Reflex.

Accounts are made by an admin command; passwords are hashed with Argon2. Failed sign-ins are kept
in a table (so every worker process sees the same counts) and a sign-in is refused, without looking
at the password, while the account or the client address is over its limit (rules.py). Failed and
refused sign-ins are logged with the organisation, username, client address and reason: never the
password or the session secret.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete
from sqlmodel import Session, select

from infoshare_widget.auth.rules import (
    ACCOUNT_LIMIT,
    CLIENT_LIMIT,
    NOT_RIGHT,
    SESSION_LIFETIME,
    THROTTLE_WINDOW,
    blocked_until,
    for_log,
    try_again_message,
)
from infoshare_widget.auth.sessions import SignedIn, open_session, purge_expired
from infoshare_widget.clock import as_utc, utc_now
from infoshare_widget.records.models import AppUser, Organisation, SignInFailure
from infoshare_widget.records.service import Actor, RecordError

log = logging.getLogger(__name__)

MIN_PASSWORD_CHARS = 12
_hasher = PasswordHasher()
# Compared against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password")


@dataclass(frozen=True)
class SignInResult:
    """What a sign-in attempt gives: a secret for the browser and who it is, or a message."""

    secret: str | None  # the raw session secret for the browser; None when refused
    who: SignedIn | None
    message: str  # "" on success; otherwise plain words for the sign-in form
    retry_after: dt.datetime | None  # when a throttled sign-in may be tried again


def create_user(*, session: Session, org_id: str, username: str, name: str, role: str, password: str) -> AppUser:
    """An account for a practitioner of an organisation that exists."""
    if session.get(Organisation, org_id) is None:
        raise RecordError(f"There is no organisation '{org_id}': create it first.")
    if len(password) < MIN_PASSWORD_CHARS:
        raise RecordError(f"Use a password of at least {MIN_PASSWORD_CHARS} characters.")
    username = username.strip().lower()
    exists = session.exec(select(AppUser).where(AppUser.org_id == org_id, AppUser.username == username)).first()
    if exists is not None:
        raise RecordError(f"'{username}' already has an account in '{org_id}'.")
    user = AppUser(org_id=org_id, username=username, name=name.strip(), role=role.strip(),
                   password_hash=_hasher.hash(password))
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def _throttled_until(session: Session, org_id: str, username: str, client: str,
                     moment: dt.datetime) -> dt.datetime | None:
    """When this account, or this client address, may try again; None when neither is over its limit."""
    since = moment - THROTTLE_WINDOW
    account = session.exec(
        select(SignInFailure.failed_at)
        .where(SignInFailure.org_id == org_id, SignInFailure.username == username, SignInFailure.failed_at > since)
        .order_by(SignInFailure.failed_at.desc())
        .limit(ACCOUNT_LIMIT)
    ).all()
    times = [blocked_until(account, limit=ACCOUNT_LIMIT, now=moment)]
    if client:  # an unknown address is not throttled as one, or everyone without one would share it
        by_client = session.exec(
            select(SignInFailure.failed_at)
            .where(SignInFailure.client == client, SignInFailure.failed_at > since)
            .order_by(SignInFailure.failed_at.desc())
            .limit(CLIENT_LIMIT)
        ).all()
        times.append(blocked_until(by_client, limit=CLIENT_LIMIT, now=moment))
    blocked = [t for t in times if t is not None]
    return max(blocked) if blocked else None


def sign_in(
    *, session: Session, org_id: str, username: str, password: str, client: str, now: dt.datetime | None = None
) -> SignInResult:
    """A new session for the right organisation, username and password, unless throttled.

    `client` is the address the attempt came from (as the server saw it, never as the browser says).
    """
    moment = as_utc(now or utc_now())
    org_id = org_id.strip()[:64]
    username = username.strip().lower()[:120]
    client = (client or "").strip()[:64]
    purge_expired(session=session, now=moment)
    retry_after = _throttled_until(session, org_id, username, client, moment)
    if retry_after is not None:
        log.warning("sign-in refused: org=%s username=%s client=%s reason=throttled until=%s",
                    for_log(org_id), for_log(username), for_log(client), retry_after.isoformat(timespec="seconds"))
        return SignInResult(None, None, try_again_message(retry_after), retry_after)
    user = session.exec(select(AppUser).where(AppUser.org_id == org_id, AppUser.username == username)).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        good = user is not None
    except (VerificationError, InvalidHashError):
        good = False
    if not good:
        session.add(SignInFailure(org_id=org_id, username=username, client=client, failed_at=moment))
        session.commit()
        log.warning("sign-in failed: org=%s username=%s client=%s reason=%s", for_log(org_id), for_log(username),
                    for_log(client), "no_such_account" if user is None else "wrong_password")
        return SignInResult(None, None, NOT_RIGHT, None)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        session.add(user)
    # A good sign-in clears the account's own failures (not other accounts' from the same address).
    session.exec(delete(SignInFailure).where(SignInFailure.org_id == org_id, SignInFailure.username == username))
    expires_at = moment + SESSION_LIFETIME
    organisation = session.get(Organisation, user.org_id)
    who = SignedIn(Actor(user.org_id, user.name, user.role, user.id), organisation.name, expires_at)
    secret = open_session(session=session, org_id=user.org_id, user_id=user.id, now=moment, expires_at=expires_at)
    return SignInResult(secret, who, "", None)
