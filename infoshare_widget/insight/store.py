"""Keeping the insight facts in step with the records. Takes a session; knows nothing of Reflex.

`refresh_fact` is called inside every transaction that adds to a record's chain (a new record, an
amendment, a removal), just before it commits, so a fact never disagrees with its record for long
enough to be read. `rebuild` writes every fact again from the records (after the migration that adds
them, or to check them).
"""

from __future__ import annotations

import json

from sqlalchemy import delete, select
from sqlmodel import Session

from infoshare_widget.insight.facts import fact_of, parse_path
from infoshare_widget.records.details import CONSENT, LAWFUL_BASES
from infoshare_widget.records.models import DecisionRecord, InsightFact, InsightUnsure, RecordAmendment


# Only the columns a fact needs, named, so the migration that first builds the facts keeps working
# when later versions add columns to these tables.
_RECORD = (DecisionRecord.id, DecisionRecord.org_id, DecisionRecord.created_at, DecisionRecord.outcome_kind,
           DecisionRecord.path_json, DecisionRecord.removed_at)
_AMENDMENT = (RecordAmendment.record_id, RecordAmendment.seq, RecordAmendment.kind, RecordAmendment.created_at,
              RecordAmendment.data_json, RecordAmendment.check_by)


def _write(session: Session, record, amendments: list) -> None:
    """Replace one record's fact rows (`record` and `amendments` as rows of _RECORD and _AMENDMENT)."""
    session.execute(delete(InsightUnsure).where(InsightUnsure.record_id == record.id))
    session.execute(delete(InsightFact).where(InsightFact.record_id == record.id))
    if record.removed_at is not None:
        return  # the retention policy removed the content: nothing derived from it is kept either
    fact = fact_of(
        created_at=record.created_at, outcome_kind=record.outcome_kind, path=parse_path(record.path_json),
        amendments=[(a.kind, a.created_at, json.loads(a.data_json or "{}"), a.check_by)
                    for a in sorted(amendments, key=lambda a: a.seq)],
        lawful_bases=LAWFUL_BASES, consents=CONSENT,
    )
    session.add(InsightFact(record_id=record.id, org_id=record.org_id, **fact.columns()))
    for question in fact.unsure:
        session.add(InsightUnsure(record_id=record.id, question=question, org_id=record.org_id, day=fact.day,
                                  after_advice=fact.after_advice))


def refresh_fact(session: Session, record_id: str) -> None:
    """Derive one record's fact again (within the caller's transaction; the caller commits)."""
    session.flush()
    record = session.execute(select(*_RECORD).where(DecisionRecord.id == record_id)).first()
    if record is None:
        return
    amendments = list(session.execute(select(*_AMENDMENT).where(
        RecordAmendment.org_id == record.org_id, RecordAmendment.record_id == record_id)))
    _write(session, record, amendments)
    session.flush()


def rebuild(session: Session, batch: int = 2000) -> int:
    """Write every record's fact again from the records and their amendments; the number written."""
    session.execute(delete(InsightUnsure))
    session.execute(delete(InsightFact))
    written, after = 0, ""
    while True:
        records = list(session.execute(
            select(*_RECORD).where(DecisionRecord.id > after).order_by(DecisionRecord.id).limit(batch)))
        if not records:
            break
        by_record: dict[str, list] = {r.id: [] for r in records}
        for amendment in session.execute(select(*_AMENDMENT).where(RecordAmendment.record_id.in_(list(by_record)))):
            by_record[amendment.record_id].append(amendment)
        for record in records:
            _write(session, record, by_record[record.id])
            written += record.removed_at is None
        session.flush()
        session.expunge_all()
        after = records[-1].id
    session.commit()
    return written
