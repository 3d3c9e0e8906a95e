"""The alerts records raise: a decision that needs a lead's eyes, a follow-up marked "Not done",
and, once a day, the follow-ups past their check-by date. Takes a session; no Reflex.

`alerts_for_entry` runs inside the transaction that saves a record or amendment (service.py), so the
alert is saved with it or not at all. The daily overdue check is overdue_check.py.
"""

from __future__ import annotations

import json

from sqlmodel import Session

from infoshare_widget.alerts.events import DECISION_RECORDED, NOT_DONE, alerts_on_record
from infoshare_widget.alerts.service import Outbound, raise_alert
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
