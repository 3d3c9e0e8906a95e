"""The daily overdue check, the outbox worker's daily job (alerts/delivery.py; composed in
infoshare_widget/outbox.py): each follow-up newly past its check-by date is alerted, and each lead's
digest of all of them queued. Takes a session; no Reflex."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from infoshare_widget.alerts.events import OVERDUE
from infoshare_widget.alerts.models import DigestDay
from infoshare_widget.alerts.service import Outbound, outbound, queue_digest, raise_alert
from infoshare_widget.base.clock import UK, as_utc, uk_today
from infoshare_widget.base.models import Organisation
from infoshare_widget.records.service import overdue_follow_ups


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
        late = overdue_follow_ups(session=session, org_id=org_id, today=today)
        for record in late:
            raise_alert(session, org_id=org_id, event=OVERDUE, source_id=f"overdue:{record.id}", record_id=record.id,
                        reference=record.reference, outcome_kind=record.outcome_kind, at=now, settings=settings)
        queue_digest(session, org_id=org_id, day=today, now=now, settings=settings,
                     overdue=[(r.reference, r.outcome_kind, r.id) for r in late])
        session.commit()
        checked += 1
    return checked
