"""Tables more than one feature uses: organisations (each made with the head of its chain of records,
so whoever sets one up, it is ready for records), the access log, and the server's own keys.
SQLModel, no Reflex. Each feature keeps its own tables in its models.py.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from infoshare_widget.base.clock import utc_now

# The hash before an organisation's first record: where its chain starts (records/chain.py).
GENESIS = "0" * 64


class Organisation(SQLModel, table=True):
    """An organisation whose practitioners record decisions; every record belongs to one."""

    __tablename__ = "organisation"
    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    created_at: dt.datetime = Field(default_factory=utc_now)
    # Years after a record's last entry that its content is kept; None keeps records until a
    # period is set (the purge command removes nothing then).
    retention_years: int | None = None


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


class ServerKey(SQLModel, table=True):
    """Keys the server makes for itself once, shared by every worker and instance on the database:
    `log` keys the fingerprints in the access log (infoshare_widget/base/fingerprints.py)."""

    __tablename__ = "server_key"
    name: str = Field(primary_key=True, max_length=32)
    value: str = Field(max_length=128)  # hex


class ChainHead(SQLModel, table=True):
    """The last link of an organisation's chain: locked while the next link is written."""

    __tablename__ = "chain_head"
    org_id: str = Field(primary_key=True, foreign_key="organisation.id", max_length=64)
    seq: int = 0
    hash: str = Field(max_length=64)
