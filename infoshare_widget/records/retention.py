"""Retention: removing the content of records kept longer than the organisation's period. Takes a
session; no Reflex.

A record is due when its last entry (the record or its latest amendment) is older than the
organisation's retention period in years. Removing it appends a removal entry to the chain (when,
and under which period), then blanks the content of the record and its amendments, keeping each
entry's id, place, time, outcome kind and hash: `verify` still passes, and the record reads "removed
under the retention policy on DATE". Nothing else is ever deleted.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlmodel import Session

from infoshare_widget.base.clock import UK, as_utc, utc_now
from infoshare_widget.records.models import DecisionRecord, RecordAmendment
from infoshare_widget.base.models import Organisation
from infoshare_widget.records.service import REMOVAL, amendment_content, link_and_commit, lock_head
from infoshare_widget.base.acting import RecordError

MAX_RETENTION_YEARS = 100


@dataclass(frozen=True)
class Due:
    """A record whose retention period has passed."""

    record_id: str
    reference: str
    last_entry_at: dt.datetime


def _years_before(moment: dt.datetime, years: int) -> dt.datetime:
    """The same moment `years` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def parse_years(text: str) -> int | None:
    """A retention period as typed (the admin area, the command): whole years, or none when empty or
    "none"; RecordError for anything else (its range is checked by set_retention)."""
    text = text.strip()
    if not text or text.lower() == "none":
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 6):
        raise RecordError("The retention period must be a whole number of years, like 7, or none.")
    return int(text)


def set_retention(*, session: Session, org_id: str, years: int | None) -> Organisation:
    """Set (or, with None, clear) how many years records are kept after their last entry."""
    if years is not None and not (isinstance(years, int) and 1 <= years <= MAX_RETENTION_YEARS):
        raise RecordError(f"The retention period must be a whole number of years from 1 to {MAX_RETENTION_YEARS}.")
    organisation = session.get(Organisation, org_id)
    if organisation is None:
        raise RecordError(f"There is no organisation '{org_id}'.")
    organisation.retention_years = years
    session.add(organisation)
    session.commit()
    session.refresh(organisation)
    return organisation


def due(*, session: Session, org_id: str, now: dt.datetime | None = None) -> list[Due]:
    """The organisation's records past their retention period, oldest first (none without a period)."""
    organisation = session.get(Organisation, org_id)
    if organisation is None:
        raise RecordError(f"There is no organisation '{org_id}'.")
    if not organisation.retention_years:
        return []
    cutoff = _years_before(as_utc(now or utc_now()), organisation.retention_years)
    latest = (
        select(RecordAmendment.record_id, func.max(RecordAmendment.created_at).label("at"))
        .where(RecordAmendment.org_id == org_id)
        .group_by(RecordAmendment.record_id)
        .subquery()
    )
    rows = session.execute(
        select(DecisionRecord.id, DecisionRecord.reference, DecisionRecord.created_at, latest.c.at)
        .outerjoin(latest, latest.c.record_id == DecisionRecord.id)
        .where(DecisionRecord.org_id == org_id, DecisionRecord.removed_at.is_(None))
    ).all()
    found = []
    for record_id, reference, created_at, amended_at in rows:
        last = max(as_utc(created_at), as_utc(amended_at)) if amended_at else as_utc(created_at)
        if last < cutoff:
            found.append(Due(record_id, reference, last))
    return sorted(found, key=lambda d: d.last_entry_at)


def remove(*, session: Session, org_id: str, record_id: str, now: dt.datetime | None = None) -> None:
    """Remove one due record's content: the removal entry and the blanking are one transaction."""
    moment = as_utc(now or utc_now())
    organisation = session.get(Organisation, org_id)
    try:
        head = lock_head(session, org_id)
        record = session.execute(
            select(DecisionRecord).where(DecisionRecord.org_id == org_id, DecisionRecord.id == record_id)
        ).scalars().first()
        if record is None or record.removed_at is not None:
            session.rollback()
            return
        entry = RecordAmendment(
            id=uuid.uuid4().hex, record_id=record_id, org_id=org_id, kind=REMOVAL, created_at=moment,
            author="Retention policy", author_role="",
            data_json=json.dumps({"removed_on": moment.astimezone(UK).date().isoformat(),
                                  "retention_years": organisation.retention_years}, sort_keys=True,
                                 separators=(",", ":")),
            seq=head.seq + 1, prev_hash=head.hash, hash="",
        )
        session.execute(
            update(DecisionRecord).where(DecisionRecord.id == record_id).values(
                recorded_by="", recorded_role="", path_json="[]", recorded_by_issuer=None,
                recorded_by_subject=None, removed_at=moment)
        )
        session.execute(
            update(RecordAmendment).where(RecordAmendment.org_id == org_id, RecordAmendment.record_id == record_id)
            .values(author="", author_role="", author_issuer=None, author_subject=None, data_json="{}",
                    case_reference=None, check_by=None, removed_at=moment)
        )
        link_and_commit(session, head, entry, amendment_content)
    except Exception:
        session.rollback()
        raise


def purge(*, session: Session, org_id: str, apply: bool, now: dt.datetime | None = None) -> list[Due]:
    """What is due; with apply, remove each (each in its own transaction, so a stop part-way leaves
    every record either whole or removed)."""
    found = due(session=session, org_id=org_id, now=now)
    if apply:
        for item in found:
            remove(session=session, org_id=org_id, record_id=item.record_id, now=now)
    return found
