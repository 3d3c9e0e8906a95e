"""Standalone sign-in: accounts made by an admin command, passwords hashed with Argon2, sessions
held on the server. The browser's state keeps only a random session token; the table keeps its
SHA-256, so a leaked database does not leak live sessions. Takes a session; no Reflex.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from infoshare_widget.records.models import AppUser, Organisation, UserSession, utc_now
from infoshare_widget.records.service import Actor, RecordError

SESSION_HOURS = 8
_hasher = PasswordHasher()
# Compared against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password")


@dataclass(frozen=True)
class SignedIn:
    """Who a session belongs to."""

    actor: Actor
    organisation_name: str
    expires_at: dt.datetime


def create_user(*, session: Session, org_id: str, username: str, name: str, role: str, password: str) -> AppUser:
    """An account for a practitioner of an organisation that exists."""
    if session.get(Organisation, org_id) is None:
        raise RecordError(f"There is no organisation '{org_id}': create it first.")
    if len(password) < 12:
        raise RecordError("Use a password of at least 12 characters.")
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


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(*, session: Session, org_id: str, username: str, password: str) -> str | None:
    """A new session token for the right organisation, name and password; None otherwise."""
    user = session.exec(
        select(AppUser).where(AppUser.org_id == org_id.strip(), AppUser.username == username.strip().lower())
    ).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    token = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=_token_hash(token), user_id=user.id,
                            expires_at=utc_now() + dt.timedelta(hours=SESSION_HOURS)))
    session.commit()
    return token


def signed_in(*, session: Session, token: str) -> SignedIn | None:
    """Who holds this session token, if it is live."""
    if not token:
        return None
    held = session.get(UserSession, _token_hash(token))
    if held is None or held.expires_at.astimezone(dt.UTC) <= utc_now():
        return None
    user = session.get(AppUser, held.user_id)
    organisation = session.get(Organisation, user.org_id) if user else None
    if user is None or organisation is None:
        return None
    return SignedIn(Actor(user.org_id, user.name, user.role, user.id), organisation.name, held.expires_at)


def sign_out(*, session: Session, token: str) -> None:
    """End a session (ending a session deletes its row: sessions are not records)."""
    held = session.get(UserSession, _token_hash(token)) if token else None
    if held is not None:
        session.delete(held)
        session.commit()
