"""The accounts' tables: people, their recovery codes, sessions, the sign-in throttle and API keys.
SQLModel, no Reflex.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from infoshare_widget.base.clock import utc_now
from infoshare_widget.base import models as _base  # noqa: F401 - the organisation table these point at


class AppUser(SQLModel, table=True):
    """A practitioner who signs in to the standalone widget (accounts are made by an admin command)."""

    __tablename__ = "app_user"
    __table_args__ = (UniqueConstraint("org_id", "username"),)
    id: int | None = Field(default=None, primary_key=True)
    org_id: str = Field(foreign_key="organisation.id", index=True, max_length=64)
    username: str = Field(max_length=120)
    name: str = Field(max_length=200)
    role: str = Field(max_length=200)
    password_hash: str = Field(max_length=255)
    created_at: dt.datetime = Field(default_factory=utc_now)
    # What the account may do (base/access.py), apart from the job title in `role`.
    access: str = Field(default="recorder", max_length=16)
    active: bool = True
    # The second factor (RFC 6238): the base32 secret, set once the first code confirms it, and the
    # last time step used, so a code cannot be used twice.
    totp_secret: str | None = Field(default=None, max_length=64)
    totp_pending: str | None = Field(default=None, max_length=64)  # being set up, not yet confirmed
    totp_last_step: int | None = None
    # A new account or a reset: the SHA-256 of the one-time code, until it is used or expires.
    reset_hash: str | None = Field(default=None, max_length=64)
    reset_expires_at: dt.datetime | None = None
    # Waiting for a lead to make its one-time code: an account that reads records, made, reset or
    # moved up by an admin (who never learns a password that reads records: admin/service.py).
    code_from_lead: bool = False
    # Where alerts are emailed (alerts/), validated when set; and whether the person wants them.
    email: str | None = Field(default=None, max_length=254)
    alerts_by_email: bool = True

class RecoveryCode(SQLModel, table=True):
    """A one-time code that stands in for a lost authenticator (kept as its SHA-256)."""

    __tablename__ = "recovery_code"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    code_hash: str = Field(max_length=64)
    used_at: dt.datetime | None = None

class UserSession(SQLModel, table=True):
    """A signed-in session, held on the server; the browser holds only its random secret.

    A password session has a user_id; a session from a partner-signed token has none, and keeps the
    token's issuer, subject, name and role instead. Both name their organisation. A session ends at
    expires_at, or when it has not been used for the idle time (last_seen_at is moved forward as it
    is used).
    """

    __tablename__ = "user_session"
    token_hash: str = Field(primary_key=True, max_length=64)  # SHA-256 of the browser's secret
    user_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    org_id: str = Field(foreign_key="organisation.id", max_length=64)
    issuer: str | None = Field(default=None, max_length=300)
    subject: str | None = Field(default=None, max_length=200)
    name: str | None = Field(default=None, max_length=200)
    role: str | None = Field(default=None, max_length=200)
    # The access level this session acts with, and what it still waits for: None when it is ready,
    # "code" for a second factor, "enrol" to set one up (such a session opens nothing else).
    access: str = Field(default="recorder", max_length=16)
    waiting_for: str | None = Field(default=None, max_length=16)
    created_at: dt.datetime = Field(default_factory=utc_now)
    last_seen_at: dt.datetime = Field(default_factory=utc_now)
    expires_at: dt.datetime = Field(index=True)

class SignInFailure(SQLModel, table=True):
    """A failed sign-in, kept for the throttle's window (shared by every worker process)."""

    __tablename__ = "sign_in_failure"
    __table_args__ = (
        Index("ix_sign_in_failure_account", "org_id", "username", "failed_at"),
        Index("ix_sign_in_failure_client", "client", "failed_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    org_id: str = Field(max_length=64)  # as typed: not a foreign key, a wrong one counts too
    username: str = Field(max_length=120)
    client: str = Field(max_length=64)
    failed_at: dt.datetime = Field(default_factory=utc_now)

class ApiKey(SQLModel, table=True):
    """A key for an organisation's own systems to read its records through the API (kept hashed)."""

    __tablename__ = "api_key"
    id: int | None = Field(default=None, primary_key=True)
    org_id: str = Field(foreign_key="organisation.id", index=True, max_length=64)
    name: str = Field(max_length=80)
    key_hash: str = Field(unique=True, max_length=64)  # SHA-256 of the key
    created_at: dt.datetime = Field(default_factory=utc_now)
    created_by: str = Field(max_length=200)
    last_used_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
