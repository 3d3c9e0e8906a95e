"""Database tables for decision records. One module for every table (SQLModel, no Reflex).

Records and amendments are append-only: rows are inserted, never updated or deleted. Each carries
a SHA-256 hash over its content and the previous entry's hash in its organisation's chain
(`seq` orders the chain across both tables); `ChainHead` holds the last link and is locked while a
link is added, so concurrent writers queue rather than fork the chain.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from infoshare_widget.clock import utc_now




class Organisation(SQLModel, table=True):
    """An organisation whose practitioners record decisions; every record belongs to one."""

    __tablename__ = "organisation"
    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    created_at: dt.datetime = Field(default_factory=utc_now)
    # Years after a record's last entry that its content is kept; None keeps records until a
    # period is set (the purge command removes nothing then).
    retention_years: int | None = None


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
    # What the account may do (access.py), apart from the job title in `role`.
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
    # moved up by an admin (who never learns a password that reads records: auth/admin.py).
    code_from_lead: bool = False


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
        Index("uq_decision_record_org_id_client_key", "org_id", "client_key", unique=True),
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
    # Set when the retention policy removed the content (not covered by the hash, which is kept).
    removed_at: dt.datetime | None = None
    # Made by the browser for one attempt to record one decision, and sent again with a retry: the
    # same key never makes a second record (a retry after a lost answer saves exactly once).
    client_key: str | None = Field(default=None, max_length=64)


class RecordAmendment(SQLModel, table=True):
    """Details, corrections and follow-up results added to a record later. Never updated."""

    __tablename__ = "record_amendment"
    __table_args__ = (
        UniqueConstraint("org_id", "seq"),
        Index("ix_record_amendment_record_kind", "record_id", "kind"),
        Index("ix_record_amendment_org_case", "org_id", "case_reference"),
        Index("ix_record_amendment_org_kind", "org_id", "kind", "record_id"),
        Index("uq_record_amendment_org_id_client_key", "org_id", "client_key", unique=True),
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
    removed_at: dt.datetime | None = None
    # The key of the attempt that saved it (records/service.amendment_key): a retry of the same save
    # gives this amendment back instead of adding a second. Not in the hash (it says nothing of the
    # content), like decision_record.client_key.
    client_key: str | None = Field(default=None, max_length=64)


class UsedToken(SQLModel, table=True):
    """Identity tokens already used, so a token cannot be replayed (kept until it expires)."""

    __tablename__ = "used_token"
    issuer: str = Field(primary_key=True, max_length=300)
    jti: str = Field(primary_key=True, max_length=200)
    expires_at: dt.datetime


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


class ServerKey(SQLModel, table=True):
    """Keys the server makes for itself once, shared by every worker and instance on the database:
    `log` keys the fingerprints in the access log (infoshare_widget/fingerprints.py)."""

    __tablename__ = "server_key"
    name: str = Field(primary_key=True, max_length=32)
    value: str = Field(max_length=128)  # hex


class AccessLog(SQLModel, table=True):
    """Who read which record content, signed in, or changed an account: when, who, at what level,
    what (a record reference or the filters used) and from where. Never the content itself.
    Rows are only inserted (the database refuses updates and deletes: migration 0005)."""

    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_org_at", "org_id", "at"),
        Index("ix_access_log_org_target", "org_id", "target"),
        Index("ix_access_log_client_at", "client", "at"),  # refusals logged at most once a minute an address
    )
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utc_now)
    org_id: str = Field(max_length=64)  # as given: a failed sign-in names an organisation that may not exist
    who: str = Field(max_length=200)  # the person's name, or the API key's name
    account: str = Field(max_length=300)  # username, key, or the partner token's issuer and subject
    level: str = Field(max_length=16)
    action: str = Field(max_length=32)
    target: str = Field(default="", max_length=500)  # case references only as fingerprints
    client: str = Field(default="", max_length=64)
    outcome: str = Field(default="ok", max_length=16)  # ok, refused, failed


class InsightFact(SQLModel, table=True):
    """What the insight page counts about one record: codes and dates only, never free text, names,
    references or case references. Derived from the record and its amendments (insight/facts.py) in
    the same transaction as each change, so it is rebuilt rather than trusted: `python -m
    infoshare_widget.records insight-rebuild` writes it again from the chain. Removed with the
    record's content by the retention policy. No foreign keys: it is derived data, kept in step by the
    service, and must never stand in the way of reading (or checking) the chain itself."""

    __tablename__ = "insight_fact"
    __table_args__ = (
        # One covering index per question the insight page asks, so each is answered from an index.
        Index("ix_insight_fact_outcomes", "org_id", "day", "week", "outcome_kind"),
        Index("ix_insight_fact_basis", "org_id", "day", "consent", "consent_why", "lawful_basis"),
        # Only the records with a check-by date (a partial index), for the follow-up figures, in the
        # order they are grouped in, so grouping needs no sort.
        Index("ix_insight_fact_follow_up", "org_id", "agency", "follow_up", "days_to_result", "day", "check_by",
              sqlite_where=text("check_by IS NOT NULL"), postgresql_where=text("check_by IS NOT NULL")),
    )
    record_id: str = Field(primary_key=True, max_length=32)
    org_id: str = Field(max_length=64)
    day: dt.date  # the UK day the decision was recorded
    week: dt.date  # the Monday of that day's week
    outcome_kind: str = Field(max_length=32)
    agency: str | None = Field(default=None, max_length=64)  # a partnership agency id, or "other"
    lawful_basis: str | None = Field(default=None, max_length=32)
    consent: str | None = Field(default=None, max_length=32)
    consent_why: str | None = Field(default=None, max_length=32)
    after_advice: str | None = Field(default=None, max_length=32)
    check_by: dt.date | None = None
    follow_up: str | None = Field(default=None, max_length=16)  # confirmed, not_done, or none yet
    days_to_result: int | None = None  # UK days from the record to the follow-up result


class InsightUnsure(SQLModel, table=True):
    """A question answered "Not sure" on a recorded path (one row per such answer), with what the
    advice led to, for the insight page. Derived like InsightFact."""

    __tablename__ = "insight_unsure"
    __table_args__ = (Index("ix_insight_unsure_org_day", "org_id", "day", "question", "after_advice"),)
    record_id: str = Field(primary_key=True, max_length=32)
    question: str = Field(primary_key=True, max_length=64)
    org_id: str = Field(max_length=64)
    day: dt.date
    after_advice: str | None = Field(default=None, max_length=32)


class WalkCount(SQLModel, table=True):
    """Walks through the decision helper that ended, counted by UK day, outcome kind and the question
    answered "Not sure" ("" for the walk itself): only where the partnership opts in, and with no
    identity, no organisation and no time finer than the day."""

    __tablename__ = "walk_count"
    day: dt.date = Field(primary_key=True)
    outcome_kind: str = Field(primary_key=True, max_length=32)
    question: str = Field(primary_key=True, max_length=64)
    count: int = 0


class InsightWeek(SQLModel, table=True):
    """Counts of the facts by organisation, week and facet, kept in step with InsightFact (each
    change adds the new fact and takes away the old in the same transaction), so a view of two years
    reads a few rows a week rather than every record. Facets: kind (k1 the outcome kind), consent
    (k1 consent, k2 why not sought), basis (k1 the lawful basis), unsure (k1 the question, k2 what
    the advice led to); "" where a value was not given."""

    __tablename__ = "insight_week"
    # Facet first, in the order the counts are summed in, so summing needs no sort.
    __table_args__ = (Index("ix_insight_week_facet", "org_id", "facet", "k1", "k2", "week", "n"),)
    org_id: str = Field(primary_key=True, max_length=64)
    week: dt.date = Field(primary_key=True)
    facet: str = Field(primary_key=True, max_length=16)
    k1: str = Field(primary_key=True, max_length=64)
    k2: str = Field(primary_key=True, max_length=64)
    n: int = 0
