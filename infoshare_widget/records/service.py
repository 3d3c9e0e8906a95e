"""Decision records: create, amend, read, list and verify. Takes a session; knows nothing of Reflex.

Every read and write is made by an Actor and scoped to the actor's organisation (a record of another
organisation is simply not found) and level (base/access.py): a recorder's own records only, none
for an admin. Each read of record content is written to the access log with the record's reference
or the filters used; a refused action is logged too. Records and amendments are only ever
inserted; what a record says now is derived from its amendments (the latest details, whether the
follow-up was checked, and whether the retention policy removed it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from infoshare_widget.base.access import allowed, own_only
from infoshare_widget.base.acting import Actor, RecordError, allow, case_fingerprint, log_access, logged
from infoshare_widget.base.codes import readable_code
from infoshare_widget.flowchart.chart import Chart
from infoshare_widget.flowchart.engine import AnswerError, check_answers, walk
from infoshare_widget.records.insight_store import add_new_fact, refresh_fact
from infoshare_widget.records.follow_up_alerts import alerts_for_entry
from infoshare_widget.records.chain import ChainReport, Link, link_hash, verify
from infoshare_widget.base.clock import UK, as_utc, uk_day_start, utc_now
from infoshare_widget.base.models import ChainHead
from infoshare_widget.records.models import DecisionRecord, RecordAmendment

AMENDMENT_KINDS = ("details", "follow_up", "correction")
# Written by the purge command only, never by a person: the record's content was removed.
REMOVAL = "removal"
MAX_PER_PAGE = 100


class NotFound(RecordError):
    """No such record in this organisation (another organisation's record is not found either)."""


def _rows_of(views: "list[RecordView]") -> list[object]:
    """The rows behind views already read (detached before the access log's commit)."""
    return [row for view in views for row in (view.record, *view.amendments)]


def describe_filters(session: Session, filters: "RecordFilter", extra: str = "") -> str:
    """The filters of a list or export, for the access log: dates, kinds, and a case reference only as
    its fingerprint (the log outlives the records the retention purge removes)."""
    case = case_fingerprint(session, filters.case_reference) if filters.case_reference else None
    parts = [f"{name}={value}" for name, value in (
        ("from", filters.date_from), ("to", filters.date_to), ("kind", filters.outcome_kind),
        ("case", case), ("awaiting", "yes" if filters.awaiting_follow_up else None),
    ) if value]
    return " ".join([*parts, extra]).strip() or "all"


def _owned(actor: Actor):
    """The records the actor made: by account, or by the partner token's issuer and subject."""
    if actor.user_id is not None:
        return DecisionRecord.user_id == actor.user_id
    if actor.issuer and actor.subject:
        return and_(DecisionRecord.recorded_by_issuer == actor.issuer,
                    DecisionRecord.recorded_by_subject == actor.subject)
    return DecisionRecord.id.is_(None)  # nobody to match: nothing is theirs


def _visible(actor: Actor):
    """The records the actor may see: the organisation's, and only their own for a recorder."""
    condition = DecisionRecord.org_id == actor.org_id
    return and_(condition, _owned(actor)) if own_only(actor.access) else condition


def new_reference() -> str:
    """A short reference to read out or write down, like IS-7K3Q-9PXD (30^8 possibilities)."""
    return f"IS-{readable_code(8)}"


def _unused_reference(session: Session) -> str:
    """A reference no record has yet (checked while the chain is locked)."""
    for _ in range(10):
        reference = new_reference()
        taken = session.exec(select(DecisionRecord.id).where(DecisionRecord.reference == reference)).first()
        if taken is None:
            return reference
    raise RecordError("Could not make a new reference: try again.")


def _with_optional(content: dict, optional: Mapping[str, object]) -> dict:
    """The content, plus the fields added since the first records that hold a value.

    A field added later is covered only where it is set, so rows written before it existed hash
    exactly as they did then (and a value set later cannot be removed without breaking the chain).
    """
    return {**content, **{key: value for key, value in optional.items() if value is not None}}


def record_content(record: DecisionRecord) -> dict:
    """Everything stored for a record but its own hash: what the hash covers."""
    return _with_optional({
        "type": "record",
        "id": record.id,
        "reference": record.reference,
        "org_id": record.org_id,
        "created_at": record.created_at,
        "recorded_by": record.recorded_by,
        "recorded_role": record.recorded_role,
        "user_id": record.user_id,
        "outcome_id": record.outcome_id,
        "outcome_kind": record.outcome_kind,
        "chart_version": record.chart_version,
        "path_json": record.path_json,
        "seq": record.seq,
    }, {"recorded_by_issuer": record.recorded_by_issuer, "recorded_by_subject": record.recorded_by_subject,
        "client_key": record.client_key})


def amendment_content(amendment: RecordAmendment) -> dict:
    """Everything stored for an amendment but its own hash."""
    return _with_optional({
        "type": "amendment",
        "id": amendment.id,
        "record_id": amendment.record_id,
        "org_id": amendment.org_id,
        "kind": amendment.kind,
        "created_at": amendment.created_at,
        "author": amendment.author,
        "author_role": amendment.author_role,
        "data_json": amendment.data_json,
        "case_reference": amendment.case_reference,
        "check_by": amendment.check_by,
        "seq": amendment.seq,
    }, {"author_issuer": amendment.author_issuer, "author_subject": amendment.author_subject})


# -- organisations and the chain ------------------------------------------------------------------


def lock_head(session: Session, org_id: str) -> ChainHead:
    """The organisation's chain head, locked until commit (SQLite: the whole write transaction)."""
    head = session.exec(select(ChainHead).where(ChainHead.org_id == org_id).with_for_update()).scalars().first()
    if head is None:
        raise RecordError(f"The organisation '{org_id}' is not set up for records.")
    return head


# -- writing ---------------------------------------------------------------------------------------


def link_and_commit(session: Session, head: ChainHead, entry, content) -> None:
    """Hash the entry onto the chain (its seq and prev_hash are set from the locked head), move
    the head to it, and commit both together."""
    entry.hash = link_hash(content(entry), entry.prev_hash)
    head.seq, head.hash = entry.seq, entry.hash
    session.add(entry)
    session.add(head)
    # The insight page's counts move with the record, in the same transaction.
    if isinstance(entry, RecordAmendment):
        refresh_fact(session, entry.record_id)
    else:
        add_new_fact(session, entry)
    # So are the alerts it causes for the leads (and their emails and webhook calls, queued).
    alerts_for_entry(session, entry)
    session.commit()


def _by_client_key(session: Session, actor: Actor, client_key: str, path_json: str) -> DecisionRecord | None:
    """The record an earlier attempt with this key made, if any (the same decision, by the same person)."""
    found = session.exec(
        select(DecisionRecord).where(DecisionRecord.org_id == actor.org_id, DecisionRecord.client_key == client_key)
    ).scalars().first()
    if found is None:
        return None
    same = (found.path_json == path_json and found.user_id == actor.user_id
            and found.recorded_by_subject == actor.subject and found.recorded_by_issuer == actor.issuer)
    if not same:
        raise RecordError("This decision could not be recorded: reload the page and record it again.")
    return found


def _given_back(session: Session, earlier: DecisionRecord) -> DecisionRecord:
    """The record an earlier attempt made, loaded again after the rollback that ends this attempt (a
    rollback expires what the session read), so it stays readable once the session is closed."""
    session.rollback()
    session.refresh(earlier)
    return earlier


def record_decision(
    *, session: Session, actor: Actor, chart: Chart, answers: Mapping[str, str], now: dt.datetime | None = None,
    client_key: str | None = None,
) -> DecisionRecord:
    """One click: save the outcome the answers lead to, with the path, the chart version, who and when.

    The answers are walked again here, on the server: the outcome stored is the engine's, never a
    value sent by the browser. `client_key` is the browser's key for this attempt: a retry with the
    same key (after an answer that never arrived, or a database that was down) gives back the record
    the first attempt made, if it made one, and never a second.
    """
    allow(session, actor, "record")
    try:
        clean = check_answers(chart, answers)
    except AnswerError as exc:
        raise RecordError("The answers cannot be recorded: " + "; ".join(exc.problems)) from None
    position = walk(chart, clean)
    if not position.finished:
        raise RecordError("There is no decision to record yet: answer the remaining questions first.")
    path = [{"id": step.node, "answer": step.answer} for step in position.path]
    path_json = json.dumps(path, separators=(",", ":"))
    if client_key is not None and (not isinstance(client_key, str) or not 8 <= len(client_key) <= 64):
        client_key = None  # not a key the browser makes: record without one
    try:
        if client_key and (earlier := _by_client_key(session, actor, client_key, path_json)) is not None:
            return _given_back(session, earlier)
        head = lock_head(session, actor.org_id)
        if client_key and (earlier := _by_client_key(session, actor, client_key, path_json)) is not None:
            return _given_back(session, earlier)  # made by a retry that got the lock first
        record = DecisionRecord(
            id=uuid.uuid4().hex,
            reference=_unused_reference(session),
            org_id=actor.org_id,
            created_at=as_utc(now or utc_now()),
            recorded_by=actor.name,
            recorded_role=actor.role,
            user_id=actor.user_id,
            recorded_by_issuer=actor.issuer,
            recorded_by_subject=actor.subject,
            outcome_id=position.outcome,
            outcome_kind=chart.outcomes[position.outcome].kind,
            chart_version=chart.version,
            path_json=path_json,
            seq=head.seq + 1,
            prev_hash=head.hash,
            hash="",
            client_key=client_key,
        )
        link_and_commit(session, head, record, record_content)
    except Exception:
        session.rollback()
        raise
    session.refresh(record)
    return record


def amendment_key(attempt: str, record_id: str, kind: str, data: Mapping[str, object],
                  case_reference: str | None, check_by: dt.date | None) -> str | None:
    """The key of one attempt to save an amendment: the page's attempt token (assets/records.js, new on
    every page load) and everything the amendment would say. The same save sent again (a retry after
    a fault, a double press) has the same key and saves once; anything changed is a new amendment.
    None without a usable token (the save goes ahead without one)."""
    if not isinstance(attempt, str) or not 8 <= len(attempt) <= 64:
        return None
    said = json.dumps([attempt, record_id, kind, dict(data), case_reference, check_by], sort_keys=True, default=str)
    return hashlib.sha256(said.encode()).hexdigest()[:64]


def _amendment_by_key(session: Session, actor: Actor, client_key: str) -> RecordAmendment | None:
    return session.exec(select(RecordAmendment).where(RecordAmendment.org_id == actor.org_id,
                                                      RecordAmendment.client_key == client_key)).scalars().first()


def amend(
    *,
    session: Session,
    actor: Actor,
    record_id: str,
    kind: str,
    data: Mapping[str, object],
    case_reference: str | None = None,
    check_by: dt.date | None = None,
    now: dt.datetime | None = None,
    client_key: str | None = None,
) -> RecordAmendment:
    """Add details, a correction or a follow-up result to a record the actor may see. With the
    `client_key` of an attempt that already saved, that amendment is given back instead."""
    if kind not in AMENDMENT_KINDS:
        raise RecordError(f"Unknown kind of amendment '{kind}'.")
    allow(session, actor, "follow_up" if kind == "follow_up" else "amend", record_id)
    try:
        row = get_record_row(session=session, actor=actor, record_id=record_id)
        if row is None:
            raise NotFound("There is no such record.")
        if row.removed_at is not None:
            raise RecordError("This record was removed under the retention policy: it cannot be changed.")
        head = lock_head(session, actor.org_id)
        if client_key and (earlier := _amendment_by_key(session, actor, client_key)) is not None:
            earlier_id = earlier.id
            session.rollback()  # end this attempt (and release the chain head)
            return session.get(RecordAmendment, earlier_id)
        amendment = RecordAmendment(
            id=uuid.uuid4().hex,
            record_id=record_id,
            org_id=actor.org_id,
            kind=kind,
            created_at=as_utc(now or utc_now()),
            author=actor.name,
            author_role=actor.role,
            author_issuer=actor.issuer,
            author_subject=actor.subject,
            data_json=json.dumps(dict(data), sort_keys=True, separators=(",", ":"), default=str),
            case_reference=case_reference,
            check_by=check_by,
            seq=head.seq + 1,
            prev_hash=head.hash,
            hash="",
            client_key=client_key,
        )
        link_and_commit(session, head, amendment, amendment_content)
    except Exception:
        session.rollback()
        raise
    session.refresh(amendment)
    return amendment


# -- reading ---------------------------------------------------------------------------------------


def get_record_row(*, session: Session, actor: Actor, record_id: str) -> DecisionRecord | None:
    """The record, only if the actor may see it (their organisation's; their own for a recorder)."""
    return session.exec(
        select(DecisionRecord).where(_visible(actor), DecisionRecord.id == record_id)
    ).scalars().first()


@dataclass
class RecordView:
    """A record as it reads now: the one-click facts, the latest details and the follow-up state."""

    record: DecisionRecord
    details: dict = field(default_factory=dict)
    case_reference: str | None = None
    check_by: dt.date | None = None
    follow_up: str = "none"  # none, awaiting, confirmed, not_done
    follow_up_note: str = ""
    amendments: list[RecordAmendment] = field(default_factory=list)
    removed_on: dt.date | None = None  # the day the retention policy removed its content

    @property
    def path(self) -> list[dict]:
        """The answers that led to the outcome, in order."""
        return json.loads(self.record.path_json)

    def as_dict(self) -> dict:
        """JSON-ready, for the API and exports (times in UTC, ISO 8601)."""
        r = self.record
        return {
            "id": r.id,
            "reference": r.reference,
            "created_at": as_utc(r.created_at).isoformat(),
            "recorded_by": r.recorded_by,
            "recorded_role": r.recorded_role,
            "outcome_id": r.outcome_id,
            "outcome_kind": r.outcome_kind,
            "chart_version": r.chart_version,
            "path": self.path,
            "case_reference": self.case_reference,
            "details": self.details,
            "check_by": self.check_by.isoformat() if self.check_by else None,
            "follow_up": self.follow_up,
            "follow_up_note": self.follow_up_note,
            "amendments": len(self.amendments),
            "removed_on": self.removed_on.isoformat() if self.removed_on else None,
        }


def _view(record: DecisionRecord, amendments: list[RecordAmendment]) -> RecordView:
    view = RecordView(record=record, amendments=amendments)
    for amendment in sorted(amendments, key=lambda a: a.seq):
        data = json.loads(amendment.data_json)
        if amendment.kind == "details":
            # Later details add to and correct earlier ones; a question left blank keeps its answer.
            view.details = {**view.details, **data}
            view.case_reference = amendment.case_reference or view.case_reference
            view.check_by = amendment.check_by or view.check_by
            if view.check_by and view.follow_up == "none":
                view.follow_up = "awaiting"
        elif amendment.kind == "follow_up":
            view.follow_up = "confirmed" if data.get("result") == "confirmed" else "not_done"
            view.follow_up_note = str(data.get("note", ""))
        elif amendment.kind == REMOVAL:
            view.removed_on = dt.date.fromisoformat(data["removed_on"])
    if record.removed_at is not None and view.removed_on is None:
        view.removed_on = as_utc(record.removed_at).astimezone(UK).date()
    return view


def get_record(*, session: Session, actor: Actor, record_id: str, purpose: str = "open") -> RecordView:
    """The record as it reads now, logged as read (`purpose`: open, print, copy summary, details
    form); NotFound for a record the actor may not see, which is logged as refused."""
    allow(session, actor, "open", record_id)
    record = get_record_row(session=session, actor=actor, record_id=record_id)
    if record is None:
        log_access(session, actor, purpose, f"id {record_id[:32]}", outcome="not found")
        session.commit()
        raise NotFound("There is no such record.")
    amendments = list(
        session.exec(
            select(RecordAmendment).where(RecordAmendment.org_id == actor.org_id,
                                          RecordAmendment.record_id == record_id)
        ).scalars()
    )
    view = _view(record, amendments)
    logged(session, actor, purpose, record.reference, _rows_of([view]))
    return view


USES_OF_A_SHOWN_RECORD = ("print", "copy summary")


def note_use(*, session: Session, actor: Actor, record_id: str, purpose: str) -> bool:
    """Log printing or copying a record already on the actor's screen as a read of it (nothing is
    read again); False for another purpose or a record the actor may not see."""
    if purpose not in USES_OF_A_SHOWN_RECORD or not allowed(actor.access, "open"):
        return False
    row = get_record_row(session=session, actor=actor, record_id=record_id)
    if row is None:
        return False
    logged(session, actor, purpose, row.reference)
    return True


@dataclass(frozen=True)
class RecordFilter:
    """What a list of records can be narrowed by."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    outcome_kind: str | None = None
    case_reference: str | None = None
    awaiting_follow_up: bool = False


@dataclass
class RecordPage:
    """One page of a list, newest first."""

    items: list[RecordView]
    page: int
    per_page: int
    has_next: bool


def _awaiting(org_id: str):
    """Records with a check-by date and no follow-up result yet (sub-queries use the amendment indexes)."""
    with_check = select(RecordAmendment.record_id).where(
        RecordAmendment.org_id == org_id, RecordAmendment.kind == "details", RecordAmendment.check_by.is_not(None)
    )
    followed_up = select(RecordAmendment.record_id).where(
        RecordAmendment.org_id == org_id, RecordAmendment.kind == "follow_up"
    )
    return and_(DecisionRecord.id.in_(with_check), DecisionRecord.id.not_in(followed_up))


def _matching(actor: Actor, filters: RecordFilter):
    """The records the actor may see that pass the filters (a query to order and limit)."""
    org_id = actor.org_id
    query = select(DecisionRecord).where(_visible(actor))
    if filters.date_from:
        query = query.where(DecisionRecord.created_at >= uk_day_start(filters.date_from))
    if filters.date_to:
        query = query.where(DecisionRecord.created_at < uk_day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.outcome_kind:
        query = query.where(DecisionRecord.outcome_kind == filters.outcome_kind)
    if filters.case_reference:
        # Any case reference the record has carried; the index on (org_id, case_reference) finds them.
        query = query.where(
            DecisionRecord.id.in_(
                select(RecordAmendment.record_id).where(
                    RecordAmendment.org_id == org_id, RecordAmendment.case_reference == filters.case_reference
                )
            )
        )
    if filters.awaiting_follow_up:
        query = query.where(_awaiting(org_id))
    return query


def _views(session: Session, org_id: str, rows: list[DecisionRecord]) -> list[RecordView]:
    """The records as they read now, with all their amendments fetched in one statement."""
    amendments: dict[str, list[RecordAmendment]] = {row.id: [] for row in rows}
    if rows:
        for amendment in session.exec(
            select(RecordAmendment).where(RecordAmendment.org_id == org_id,
                                          RecordAmendment.record_id.in_(list(amendments)))
        ).scalars():
            amendments[amendment.record_id].append(amendment)
    return [_view(row, amendments[row.id]) for row in rows]


NEWEST_FIRST = (DecisionRecord.created_at.desc(), DecisionRecord.seq.desc())


def list_records(
    *, session: Session, actor: Actor, filters: RecordFilter = RecordFilter(), page: int = 1, per_page: int = 20
) -> RecordPage:
    """A page of the records the actor may see, newest first, filtered (logged with the filters)."""
    page = max(1, page)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    allow(session, actor, "list", describe_filters(session, filters))
    query = _matching(actor, filters).order_by(*NEWEST_FIRST)
    rows = list(session.exec(query.offset((page - 1) * per_page).limit(per_page + 1)).scalars())
    has_next = len(rows) > per_page
    views = _views(session, actor.org_id, rows[:per_page])
    logged(session, actor, "list", describe_filters(session, filters, f"page={page}"), _rows_of(views))
    return RecordPage(views, page, per_page, has_next)


def start_export(*, session: Session, actor: Actor, filters: RecordFilter, what: str) -> None:
    """Check that the actor may export (a subject access request is its own action), and log the
    export with its filters, before any row goes. A recorder's export holds only their own records."""
    action = "subject_access" if what == "subject access request" else "export"
    target = describe_filters(session, filters, what)
    allow(session, actor, action, target)
    logged(session, actor, "subject access request" if action == "subject_access" else "export", target)


def records_after(
    *, session: Session, actor: Actor, filters: RecordFilter, after: tuple[dt.datetime, int] | None, limit: int
) -> list[RecordView]:
    """The next `limit` records the actor may see, newest first, after the (created_at, seq) of the
    last one seen. For exports, after start_export has checked and logged.

    Keyset paging: each batch costs the same however deep into the list it is (OFFSET does not).
    """
    query = _matching(actor, filters)
    if after is not None:
        created_at, seq = after
        query = query.where(
            or_(DecisionRecord.created_at < created_at,
                and_(DecisionRecord.created_at == created_at, DecisionRecord.seq < seq))
        )
    rows = list(session.exec(query.order_by(*NEWEST_FIRST).limit(max(1, limit))).scalars())
    return _views(session, actor.org_id, rows)


def to_check(*, session: Session, actor: Actor) -> list[RecordView]:
    """Records the actor may see whose follow-up is not yet verified, overdue first (earliest
    check-by date first): everyone's for a lead, a recorder's own. Logged as a list.

    Two statements however many there are: the records, then all their amendments.
    """
    allow(session, actor, "list", "to check")
    rows = list(session.exec(
        select(DecisionRecord).where(_visible(actor), _awaiting(actor.org_id), DecisionRecord.removed_at.is_(None))
    ).scalars())
    views = _views(session, actor.org_id, rows)
    logged(session, actor, "list", "to check", _rows_of(views))
    return sorted(views, key=lambda v: (v.check_by or dt.date.max, v.record.created_at))


def overdue_follow_ups(*, session: Session, org_id: str, today: dt.date) -> list[DecisionRecord]:
    """The organisation's records awaiting a follow-up whose check-by date is before `today`, content
    not removed, oldest first: for the daily overdue check (overdue_check.py; no actor, no log:
    nothing is shown to anyone, only references queued). The same 'awaiting' and check-by rules as
    to_check, on the same indexed query."""
    rows = list(session.exec(
        select(DecisionRecord).where(DecisionRecord.org_id == org_id, _awaiting(org_id),
                                     DecisionRecord.removed_at.is_(None))
    ).scalars())
    late = [v.record for v in _views(session, org_id, rows) if v.check_by is not None and v.check_by < today]
    return sorted(late, key=lambda r: (r.created_at, r.seq))


def verify_for(*, session: Session, actor: Actor) -> ChainReport:
    """Check the actor's organisation's chain, if their level allows; logged."""
    allow(session, actor, "verify")
    logged(session, actor, "verify", "chain")
    return verify_chain(session=session, org_id=actor.org_id)


def verify_chain(*, session: Session, org_id: str) -> ChainReport:
    """Check every link of the organisation's chain; report the first broken one (for the admin
    command and verify_for: no access check here).

    An entry whose content the retention policy removed is checked by its links only (its hash is
    kept, so the next entry still proves it was there), and only if a removal entry later in the
    chain names its record: marking an entry removed by hand breaks the chain."""
    # Hold the head (FOR SHARE on PostgreSQL) so no link is added while the chain is read.
    head = session.exec(select(ChainHead).where(ChainHead.org_id == org_id).with_for_update(read=True)).scalars().first()
    if head is None:
        return ChainReport(True, 0)
    records = list(session.exec(select(DecisionRecord).where(DecisionRecord.org_id == org_id)).scalars())
    amendments = list(session.exec(select(RecordAmendment).where(RecordAmendment.org_id == org_id)).scalars())
    # Records a removal entry names, with that entry's place in the chain.
    removals = {a.record_id: a.seq for a in amendments if a.kind == REMOVAL and a.removed_at is None}
    links = [
        Link("record", r.id, r.seq, r.prev_hash, r.hash, record_content(r),
             removed=r.removed_at is not None, removal_seq=removals.get(r.id))
        for r in records
    ]
    links += [
        Link("amendment", a.id, a.seq, a.prev_hash, a.hash, amendment_content(a),
             removed=a.removed_at is not None, removal_seq=removals.get(a.record_id))
        for a in amendments
    ]
    links.sort(key=lambda link: link.seq)
    report = verify(links, head_seq=head.seq, head_hash=head.hash)
    session.rollback()  # end the read transaction and release the head
    return report
