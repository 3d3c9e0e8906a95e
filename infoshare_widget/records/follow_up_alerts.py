"""The alerts records raise: a decision that needs a lead's eyes, a follow-up marked "Not done",
and, once a day, the follow-ups past their check-by date. Takes a session; no Reflex.

`alerts_for_entry` runs inside the transaction that saves a record or amendment (service.py), so the
alert is saved with it or not at all. `check_overdue` is the outbox worker's daily job
(alerts/delivery.py, composed in the app).
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from infoshare_widget.alerts.events import DECISION_RECORDED, NOT_DONE, OVERDUE, alerts_on_record
from infoshare_widget.alerts.models import DigestDay
from infoshare_widget.alerts.service import Outbound, outbound, queue_digest, raise_alert
from infoshare_widget.base.clock import UK, as_utc, uk_today
from infoshare_widget.base.models import Organisation
from infoshare_widget.records.models import DecisionRecord, RecordAmendment


def alerts_for_entry(session: Session, entry: DecisionRecord | RecordAmendment,
                     settings: Outbound | None = None) -> None:
    """Raise the alert a new record or amendment causes, if any, in the caller's transaction."""
    if isinstance(entry, DecisionRecord):
        if alerts_on_record(entry.outcome_id, entry.outcome_kind):
            raise_alert(session, org_id=entry.org_id, event=DECISION_RECORDED, source_id=entry.id, record_id=entry.id,
                        reference=entry.reference, outcome_kind=entry.outcome_kind, at=entry.created_at,
                        settings=settings)
        return
    if entry.kind == "follow_up" and json.loads(entry.data_json).get("result") != "confirmed":
        record = session.get(DecisionRecord, entry.record_id)
        raise_alert(session, org_id=entry.org_id, event=NOT_DONE, source_id=entry.id, record_id=record.id,
                    reference=record.reference, outcome_kind=record.outcome_kind, at=entry.created_at,
                    settings=settings)


def overdue_records(session: Session, org_id: str, today: dt.date) -> list[DecisionRecord]:
    """The organisation's records whose latest check-by date is before today, with no follow-up
    result yet and their content not removed, oldest first."""
    latest: dict[str, tuple[int, dt.date | None]] = {}
    followed: set[str] = set()
    for record_id, kind, seq, check_by in session.execute(
        select(RecordAmendment.record_id, RecordAmendment.kind, RecordAmendment.seq, RecordAmendment.check_by)
        .where(RecordAmendment.org_id == org_id, RecordAmendment.kind.in_(("details", "follow_up")))
    ):
        if kind == "follow_up":
            followed.add(record_id)
        elif check_by is not None and seq > latest.get(record_id, (-1, None))[0]:
            latest[record_id] = (seq, check_by)
    late = [record_id for record_id, (_, check_by) in latest.items() if record_id not in followed and check_by < today]
    if not late:
        return []
    rows = session.exec(select(DecisionRecord).where(DecisionRecord.org_id == org_id, DecisionRecord.id.in_(late),
                                                     DecisionRecord.removed_at.is_(None))).scalars()
    return sorted(rows, key=lambda r: (r.created_at, r.seq))


def check_overdue(session: Session, now: dt.datetime, settings: Outbound | None = None) -> int:
    """Once a UK day, from the digest hour: alert each follow-up newly past its check-by date, and
    queue each lead's digest of all of them. Each organisation's day is claimed by inserting its
    DigestDay row in the same transaction, so two workers or a restart never do it twice. The
    number of organisations checked by this call."""
    settings = settings or outbound()
    local = as_utc(now).astimezone(UK)
    if local.hour < settings.digest_hour:
        return 0
    today = uk_today(now)
    done = set(session.exec(select(DigestDay.org_id).where(DigestDay.day == today)).scalars())
    organisations = [o for o in session.exec(select(Organisation.id)).scalars() if o not in done]
    session.rollback()
    checked = 0
    for org_id in organisations:
        try:
            session.add(DigestDay(org_id=org_id, day=today, made_at=as_utc(now)))
            session.flush()
        except IntegrityError:
            session.rollback()  # another worker has this day
            continue
        late = overdue_records(session, org_id, today)
        for record in late:
            raise_alert(session, org_id=org_id, event=OVERDUE, source_id=f"overdue:{record.id}", record_id=record.id,
                        reference=record.reference, outcome_kind=record.outcome_kind, at=now, settings=settings)
        queue_digest(session, org_id=org_id, day=today, now=now, settings=settings,
                     overdue=[(r.reference, r.outcome_kind, r.id) for r in late])
        session.commit()
        checked += 1
    return checked
