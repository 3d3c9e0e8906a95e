"""Database tables for decision records, and the facts the insight page counts from them. SQLModel,
no Reflex.

Records and amendments are append-only: rows are inserted, never updated or deleted. Each carries
a SHA-256 hash over its content and the previous entry's hash in its organisation's chain
(`seq` orders the chain across both tables); `ChainHead` (base/models.py) holds the last link and is locked while a
link is added, so concurrent writers queue rather than fork the chain.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from infoshare_widget.base.clock import utc_now
from infoshare_widget.auth import models as _auth  # noqa: F401 - the app_user table records point at


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

class InsightFact(SQLModel, table=True):
    """What the insight page counts about one record: codes and dates only, never free text, names,
    references or case references. Derived from the record and its amendments (records/insight_facts.py) in
    the same transaction as each change, so it is rebuilt rather than trusted: `python -m
    infoshare_widget insight-rebuild` writes it again from the chain. Removed with the
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
