"""Keeping the insight facts in step with the records. Takes a session; knows nothing of Reflex.

`refresh_fact` is called inside every transaction that adds to a record's chain (a new record, an
amendment, a removal), just before it commits, so a fact never disagrees with its record for long
enough to be read. `rebuild` writes every fact again from the records (after the migration that adds
them, or to check them).
"""

from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import delete, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from infoshare_widget.records.insight_facts import fact_of, parse_path
from infoshare_widget.records.details import CONSENT, LAWFUL_BASES
from infoshare_widget.records.models import (
    DecisionRecord,
    InsightFact,
    InsightUnsure,
    InsightWeek,
    RecordAmendment,
)


# Only the columns a fact needs, named, so the migration that first builds the facts keeps working
# when later versions add columns to these tables.
_RECORD = (DecisionRecord.id, DecisionRecord.org_id, DecisionRecord.created_at, DecisionRecord.outcome_kind,
           DecisionRecord.path_json, DecisionRecord.removed_at)
_AMENDMENT = (RecordAmendment.record_id, RecordAmendment.seq, RecordAmendment.kind, RecordAmendment.created_at,
              RecordAmendment.data_json, RecordAmendment.check_by)


def _facets(org_id: str, week, kind: str, consent, why, basis, after, unsure) -> Counter:
    """The weekly counts one fact adds to (insight_week's keys)."""
    keys = Counter({(org_id, week, "kind", kind, ""): 1, (org_id, week, "consent", consent or "", why or ""): 1,
                    (org_id, week, "basis", basis or "", ""): 1})
    for question in unsure:
        keys[(org_id, week, "unsure", question, after or "")] += 1
    return keys


def _stored_facets(session: Session, record_id: str) -> Counter:
    """What the record's stored fact adds to the weekly counts now (nothing when it has none)."""
    fact = session.execute(select(InsightFact).where(InsightFact.record_id == record_id)).scalars().first()
    if fact is None:
        return Counter()
    unsure = session.execute(select(InsightUnsure.question).where(InsightUnsure.record_id == record_id)).scalars()
    return _facets(fact.org_id, fact.week, fact.outcome_kind, fact.consent, fact.consent_why, fact.lawful_basis,
                   fact.after_advice, list(unsure))


def _add_to_weeks(session: Session, change: Counter) -> None:
    """Add each change to its weekly count (an upsert, so the first record of a week makes the row)."""
    rows = [{"org_id": o, "week": w, "facet": f, "k1": k1, "k2": k2, "n": n}
            for (o, w, f, k1, k2), n in sorted(change.items(), key=repr) if n]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(InsightWeek).values(rows)
    session.execute(statement.on_conflict_do_update(
        index_elements=["org_id", "week", "facet", "k1", "k2"], set_={"n": InsightWeek.n + statement.excluded.n}))


def _write(session: Session, record, amendments: list, weeks: bool = True, earlier: bool = True) -> None:
    """Replace one record's fact rows (`record` and `amendments` as rows of _RECORD and _AMENDMENT),
    and move the weekly counts from the old fact to the new (unless `weeks` is False: a rebuild
    counts them afterwards). `earlier` False: the record has no fact yet (it is being made)."""
    before = _stored_facets(session, record.id) if weeks and earlier else Counter()
    if earlier:
        session.execute(delete(InsightUnsure).where(InsightUnsure.record_id == record.id))
        session.execute(delete(InsightFact).where(InsightFact.record_id == record.id))
    after = Counter()
    if record.removed_at is None:  # removed under the retention policy: nothing derived from it is kept
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
        after = _facets(record.org_id, fact.week, fact.outcome_kind, fact.consent, fact.consent_why,
                        fact.lawful_basis, fact.after_advice, fact.unsure)
    if weeks:
        change = Counter(after)
        change.subtract(before)
        _add_to_weeks(session, change)


def count_weeks(session: Session) -> None:
    """Write every weekly count again from the facts (after a rebuild)."""
    session.execute(delete(InsightWeek))
    f, u = InsightFact, InsightUnsure
    blank = literal("")
    consent, why, basis = (func.coalesce(c, "") for c in (f.consent, f.consent_why, f.lawful_basis))
    after = func.coalesce(u.after_advice, "")
    grouped = [
        select(f.org_id, f.week, literal("kind"), f.outcome_kind, blank, func.count())
        .group_by(f.org_id, f.week, f.outcome_kind),
        select(f.org_id, f.week, literal("consent"), consent, why, func.count()).group_by(f.org_id, f.week, consent, why),
        select(f.org_id, f.week, literal("basis"), basis, blank, func.count()).group_by(f.org_id, f.week, basis),
        select(u.org_id, f.week, literal("unsure"), u.question, after, func.count())
        .join(f, f.record_id == u.record_id).group_by(u.org_id, f.week, u.question, after),
    ]
    for query in grouped:
        session.execute(InsightWeek.__table__.insert().from_select(["org_id", "week", "facet", "k1", "k2", "n"], query))


def add_new_fact(session: Session, record: DecisionRecord) -> None:
    """The fact of a record being made (no amendments yet, no fact before it): nothing to read back."""
    _write(session, record, [], earlier=False)


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
    """Write every record's fact again from the records and their amendments, then the weekly
    counts from the facts; the number of facts written. Run it with the widget stopped (the
    migration and the insight-rebuild command): a record saved meanwhile would clash with it."""
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
            _write(session, record, by_record[record.id], weeks=False, earlier=False)  # all deleted above
            written += record.removed_at is None
        session.flush()
        session.expunge_all()
        after = records[-1].id
    count_weeks(session)
    session.commit()
    return written
