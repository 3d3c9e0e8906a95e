"""Database tables for decision records. One module for every table (SQLModel, no Reflex).

Records and amendments are append-only: rows are inserted, never updated or deleted. Each carries
a SHA-256 hash over its content and the previous entry's hash in its organisation's chain
(`seq` orders the chain across both tables); `ChainHead` holds the last link and is locked while a
link is added, so concurrent writers queue rather than fork the chain.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from infoshare_widget.clock import utc_now




class Organisation(SQLModel, table=True):
    """An organisation whose practitioners record decisions; every record belongs to one."""

    __tablename__ = "organisation"
    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    created_at: dt.datetime = Field(default_factory=utc_now)


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


class ChainHead(SQLModel, table=True):
    """The last link of an organisation's chain: locked while the next link is written."""

    __tablename__ = "chain_head"
    org_id: str = Field(primary_key=True, foreign_key="organisation.id", max_length=64)
    seq: int = 0
    hash: str = Field(max_length=64)


class DecisionRecord(SQLModel, table=True):
    """What was known when the decision was recorded with one click. Never updated."""

    __tablename__ = "decision_record"
    __table_args__ = (
        UniqueConstraint("org_id", "seq"),
        Index("ix_decision_record_org_created", "org_id", "created_at"),
        Index("ix_decision_record_org_kind_created", "org_id", "outcome_kind", "created_at"),
    )
    id: str = Field(primary_key=True, max_length=32)
    reference: str = Field(unique=True, max_length=16)  # IS-XXXX-XXXX
    org_id: str = Field(foreign_key="organisation.id", max_length=64)
    created_at: dt.datetime = Field(default_factory=utc_now)
    recorded_by: str = Field(max_length=200)
    recorded_role: str = Field(max_length=200)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    # Who a partner-signed token said recorded it (iss and sub): names alone are not unique.
    recorded_by_issuer: str | None = Field(default=None, max_length=300)
    recorded_by_subject: str | None = Field(default=None, max_length=200)
    outcome_id: str = Field(max_length=64)
    outcome_kind: str = Field(max_length=32)
    chart_version: str = Field(max_length=32)
    path_json: str = Field(sa_column=Column(Text, nullable=False))
    seq: int
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class RecordAmendment(SQLModel, table=True):
    """Details, corrections and follow-up results added to a record later. Never updated."""

    __tablename__ = "record_amendment"
    __table_args__ = (
        UniqueConstraint("org_id", "seq"),
        Index("ix_record_amendment_record_kind", "record_id", "kind"),
        Index("ix_record_amendment_org_case", "org_id", "case_reference"),
        Index("ix_record_amendment_org_kind", "org_id", "kind", "record_id"),
    )
    id: str = Field(primary_key=True, max_length=32)
    record_id: str = Field(foreign_key="decision_record.id", max_length=32)
    org_id: str = Field(foreign_key="organisation.id", max_length=64)
    kind: str = Field(max_length=32)
    created_at: dt.datetime = Field(default_factory=utc_now)
    author: str = Field(max_length=200)
    author_role: str = Field(max_length=200)
    author_issuer: str | None = Field(default=None, max_length=300)
    author_subject: str | None = Field(default=None, max_length=200)
    data_json: str = Field(sa_column=Column(Text, nullable=False))
    # Copied out of data_json (and covered by the hash) so lists can filter on them with an index.
    case_reference: str | None = Field(default=None, max_length=60)
    check_by: dt.date | None = None
    seq: int
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class UsedToken(SQLModel, table=True):
    """Identity tokens already used, so a token cannot be replayed (kept until it expires)."""

    __tablename__ = "used_token"
    issuer: str = Field(primary_key=True, max_length=300)
    jti: str = Field(primary_key=True, max_length=200)
    expires_at: dt.datetime
