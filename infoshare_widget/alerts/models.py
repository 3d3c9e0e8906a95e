"""The alerts' tables: what needs a lead's attention, the outbox of emails and webhook calls that
tell people about it, and the days whose overdue digest has been made. SQLModel, no Reflex.

An alert and its deliveries are written in the same transaction as the record or amendment that
causes them (records/service.py), so a record is never saved without its alert, nor an alert without
its record. Deliveries are sent by the outbox worker (alerts/delivery.py), one claim per row.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from infoshare_widget.base.clock import utc_now
from infoshare_widget.base import models as _base  # noqa: F401 - the organisation table these point at


class Alert(SQLModel, table=True):
    """Something a lead should see: a decision that needed protection now, a follow-up marked "Not
    done", or a follow-up past its check-by date. Holds no record content: the record's reference and
    outcome kind only, as the emails do."""

    __tablename__ = "alert"
    __table_args__ = (
        # One alert per cause: a record, a follow-up amendment, or (for overdue) the record again.
        UniqueConstraint("event", "source_id"),
        Index("ix_alert_org_created", "org_id", "created_at"),
    )
    id: str = Field(primary_key=True, max_length=32)
    org_id: str = Field(foreign_key="organisation.id", max_length=64)
    # decision.recorded, follow_up.not_done or follow_up.overdue (alerts/events.py)
    event: str = Field(max_length=32)
    # The row that caused it (a record's or an amendment's id), so the same cause never alerts twice.
    source_id: str = Field(max_length=64)
    record_id: str = Field(max_length=32)
    reference: str = Field(max_length=16)
    outcome_kind: str = Field(max_length=32)
    created_at: dt.datetime = Field(default_factory=utc_now)
    seen_at: dt.datetime | None = None
    seen_by: str | None = Field(default=None, max_length=200)


class Delivery(SQLModel, table=True):
    """One message to send: an email to one lead about one alert, a daily digest to one lead, or a
    call to one webhook. The outbox: a worker claims a row (claimed_by, until claimed_until) before
    sending it, so two workers never send the same row; a failed try is tried again later, for 24
    hours, then the row is marked failed and shown to admins."""

    __tablename__ = "delivery"
    __table_args__ = (
        # One email per event per lead, one digest per lead per day, one call per webhook per event.
        UniqueConstraint("channel", "target", "topic"),
        Index("ix_delivery_due", "status", "next_try_at"),
        Index("ix_delivery_org_created", "org_id", "created_at"),
    )
    id: str = Field(primary_key=True, max_length=32)
    org_id: str = Field(foreign_key="organisation.id", max_length=64)
    channel: str = Field(max_length=16)  # email or webhook
    # Who or where: "user:<id>" for an email, "webhook:<n>:<url>" for a webhook (n its place in the file).
    target: str = Field(max_length=400)
    # What it is about: "alert:<alert id>" or "digest:<UK day>".
    topic: str = Field(max_length=64)
    alert_id: str | None = Field(default=None, max_length=32)
    event: str = Field(max_length=32)
    # The whole message as it will be sent (no record content: alerts/events.py builds it).
    payload_json: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=16)  # pending, sent, failed
    tries: int = 0
    next_try_at: dt.datetime = Field(default_factory=utc_now)
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_until: dt.datetime | None = None
    last_error: str | None = Field(default=None, max_length=300)
    created_at: dt.datetime = Field(default_factory=utc_now)
    sent_at: dt.datetime | None = None


class DigestDay(SQLModel, table=True):
    """A UK day whose overdue check has been made for an organisation: the row is inserted in the
    transaction that makes the day's overdue alerts and digests, so a second worker, instance or
    restart finds it and makes none."""

    __tablename__ = "digest_day"
    org_id: str = Field(primary_key=True, max_length=64)
    day: dt.date = Field(primary_key=True)
    made_at: dt.datetime = Field(default_factory=utc_now)
