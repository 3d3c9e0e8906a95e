"""Reading the access log: the admin area's page, the command line, and "who has read this record"
on a record's page. Takes a session; no Reflex. (Writing it: acting.py.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from infoshare_widget.base.acting import Actor, allow, case_fingerprint, log_access
from infoshare_widget.base.clock import is_record_date, uk_day_start
from infoshare_widget.base.models import AccessLog


MAX_LOG_ROWS = 500


@dataclass(frozen=True)
class LogFilter:
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    who: str | None = None  # part of a name or account
    target: str | None = None  # a record reference
    case: str | None = None  # a case reference, as typed (the log holds only its fingerprint)


def log_filter(form: dict) -> tuple[LogFilter, str]:
    """The access log page's filters from its form (UK dates, inclusive), and a message for a date
    that is not one (that filter is then left out, the others kept)."""
    since, until = (str(form.get(name, ""))[:10] for name in ("from", "to"))
    bad = [label for label, text in (("From", since), ("To", until)) if text and not is_record_date(text)]
    since_day = dt.date.fromisoformat(since) if since and "From" not in bad else None
    until_day = dt.date.fromisoformat(until) if until and "To" not in bad else None
    filters = LogFilter(
        since=uk_day_start(since_day) if since_day else None,
        until=uk_day_start(until_day + dt.timedelta(days=1)) if until_day else None,
        who=str(form.get("who", "")).strip()[:100] or None,
        target=str(form.get("reference", "")).strip().upper()[:20] or None,
        case=str(form.get("case_reference", "")).strip()[:40] or None,
    )
    return filters, f"{' and '.join(bad)} must be a date" if bad else ""


def log_fields(entry: AccessLog) -> dict[str, str]:
    """An entry's fields as text, its time apart (each reader shows or writes that as it needs)."""
    return {"who": entry.who, "account": entry.account, "level": entry.level, "action": entry.action,
            "target": entry.target, "client": entry.client, "outcome": entry.outcome}


def _log_query(session: Session, org_id: str, filters: LogFilter, newest_first: bool = True):
    query = select(AccessLog).where(AccessLog.org_id == org_id)
    if filters.case:
        query = query.where(AccessLog.target.contains(f"case={case_fingerprint(session, filters.case)}"))
    if filters.since:
        query = query.where(AccessLog.at >= filters.since)
    if filters.until:
        query = query.where(AccessLog.at < filters.until)
    if filters.who:
        pattern = f"%{filters.who.lower()}%"
        query = query.where((AccessLog.who.ilike(pattern)) | (AccessLog.account.ilike(pattern)))
    if filters.target:
        query = query.where(AccessLog.target == filters.target)
    if newest_first:
        return query.order_by(AccessLog.at.desc(), AccessLog.id.desc())
    return query.order_by(AccessLog.at, AccessLog.id)


def read_log(*, session: Session, actor: Actor, filters: LogFilter = LogFilter(),
             limit: int = MAX_LOG_ROWS) -> list[AccessLog]:
    """The organisation's access log, newest first, for a level that may read it (itself logged)."""
    allow(session, actor, "read_access_log", logged_as="read access log")
    rows = list(session.exec(_log_query(session, actor.org_id, filters).limit(max(1, min(limit, MAX_LOG_ROWS)))).all())
    for row in rows:  # keep them readable after the commit below
        session.expunge(row)
    said = {**filters.__dict__, "case": case_fingerprint(session, filters.case) if filters.case else None}
    log_access(session, actor, "read access log", " ".join(f"{k}={v}" for k, v in said.items() if v) or "all")
    session.commit()
    return rows


def log_for_command(*, session: Session, org_id: str, since: dt.datetime | None = None) -> list[AccessLog]:
    """The whole log since a time, oldest first, for the admin command (a shell is trusted)."""
    return list(session.exec(_log_query(session, org_id, LogFilter(since=since), newest_first=False)).all())


READ_ACTIONS = ("open", "print", "copy summary", "details form", "subject access request")


def readers_of(*, session: Session, actor: Actor, reference: str, limit: int = 50) -> list[AccessLog]:
    """Who has read a record (its page, print view, summary, details form or an export naming it),
    newest first: shown on the record's page to anyone who may open it."""
    rows = session.exec(
        select(AccessLog).where(AccessLog.org_id == actor.org_id, AccessLog.target == reference,
                                AccessLog.action.in_(READ_ACTIONS), AccessLog.outcome == "ok")
        .order_by(AccessLog.at.desc(), AccessLog.id.desc()).limit(limit)
    ).all()
    return list(rows)
