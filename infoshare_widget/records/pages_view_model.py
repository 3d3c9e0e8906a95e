"""What each records page shows, read in one go from the database. No Reflex.

The states call these in a worker thread (one database session, one actor lookup per event) and
send the result to the browser without keeping it (see infoshare_widget/compat/not_kept.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session

from infoshare_widget.base import routes
from infoshare_widget.base.access import Refused
from infoshare_widget.auth import SignedIn
from infoshare_widget.base.access_log import readers_of
from infoshare_widget.base.clock import is_record_date, uk_today
from infoshare_widget.flowchart.chart import OUTCOME_KINDS, Chart
from infoshare_widget.records.details import suggestions
from infoshare_widget.records.service import NotFound, RecordFilter, get_record, list_records, to_check
from infoshare_widget.records.summary import local_time, summary_rows, summary_text


@dataclass(frozen=True)
class RecordsScreen:
    """The list page: a page of records, whether there is another, and the follow-ups to check."""

    rows: list[dict[str, str]]
    has_next: bool
    checks: list[dict[str, str]]
    refused: str = ""  # the level may not list records: why, in plain words


@dataclass(frozen=True)
class RecordScreen:
    """One record: its reference, its rows, the follow-up state and the text to copy."""

    reference: str = ""
    rows: list[dict[str, str]] = field(default_factory=list)
    follow_up: str = ""
    summary: str = ""
    readers: list[dict[str, str]] = field(default_factory=list)  # who has read it, from the access log
    refused: str = ""
    removed: bool = False


@dataclass(frozen=True)
class DetailsScreen:
    """The details form: the record's reference and the answers suggested from its path."""

    reference: str = ""
    prefill: dict[str, str] = field(default_factory=dict)


def records_screen(*, session: Session, who: SignedIn, chart: Chart, filters: RecordFilter, page: int,
                   per_page: int, today: dt.date | None = None) -> RecordsScreen:
    """The list page for the signed-in organisation (a fixed number of statements for any page size)."""
    try:
            result = list_records(session=session, actor=who.actor, filters=filters, page=page, per_page=per_page)
    except Refused as exc:
        return RecordsScreen([], False, [], str(exc))
    rows = [
        {
            "id": v.record.id,
            "reference": v.record.reference,
            "when": local_time(v.record.created_at),
            "outcome": chart.outcomes[v.record.outcome_id].title
            if v.record.outcome_id in chart.outcomes
            else v.record.outcome_id,
            "who": v.record.recorded_by or "(removed)",
            "case": v.case_reference or "",
            "follow_up": "removed" if v.removed_on else v.follow_up.replace("_", " "),
            "href": routes.record(v.record.id),
        }
        for v in result.items
    ]
    day = today or uk_today()
    checks = [
        {
            "id": v.record.id,
            "reference": v.record.reference,
            "check_by": f"{v.check_by:%-d %b %Y}" if v.check_by else "",
            "overdue": "yes" if v.check_by and v.check_by < day else "",
            "action": str(v.details.get("follow_up_action", "")),
            "href": routes.record(v.record.id),
        }
        for v in to_check(session=session, actor=who.actor)
    ]
    return RecordsScreen(rows, result.has_next, checks)


def record_screen(*, session: Session, who: SignedIn, chart: Chart, record_id: str) -> RecordScreen:
    """One record of the signed-in organisation; empty when there is no such record there."""
    try:
        view = get_record(session=session, actor=who.actor, record_id=record_id)
    except NotFound:
        return RecordScreen()
    except Refused as exc:
        return RecordScreen(refused=str(exc))
    readers = [
        {"when": local_time(entry.at), "who": entry.who, "level": entry.level, "what": entry.action}
        for entry in readers_of(session=session, actor=who.actor, reference=view.record.reference)
    ]
    return RecordScreen(
        reference=view.record.reference,
        rows=[{"label": label, "value": value} for label, value in summary_rows(view, chart)],
        follow_up="removed" if view.removed_on else view.follow_up,
        summary=summary_text(view, chart),
        readers=readers,
        removed=view.removed_on is not None,
    )


def details_screen(*, session: Session, who: SignedIn, record_id: str) -> DetailsScreen:
    """The details form's heading and suggestions; empty when there is no such record there."""
    try:
        view = get_record(session=session, actor=who.actor, record_id=record_id, purpose="details form")
    except (NotFound, Refused):
        return DetailsScreen()
    answers = {step["id"]: step["answer"] for step in view.path}
    return DetailsScreen(view.record.reference, suggestions(view.record.outcome_kind, answers, view.record.outcome_id))


def clean_filters(form: dict) -> dict[str, str]:
    """The filter form's values as strings, each one checked or dropped."""
    kind = str(form.get("kind", ""))
    return {
        "date_from": str(form.get("date_from", ""))[:10],
        "date_to": str(form.get("date_to", ""))[:10],
        "kind": kind if kind in OUTCOME_KINDS else "",
        "case_reference": str(form.get("case_reference", "")).strip()[:40],
        "awaiting": "yes" if form.get("awaiting") in (True, "yes", "on") else "",
    }


def record_filter(filters: dict[str, str]) -> RecordFilter:
    """The filters as the service takes them (a date that is not a date is left out)."""

    def day(name: str) -> dt.date | None:
        text = filters.get(name, "")
        return dt.date.fromisoformat(text) if text and is_record_date(text) else None

    return RecordFilter(date_from=day("date_from"), date_to=day("date_to"),
                        outcome_kind=filters.get("kind") or None,
                        case_reference=filters.get("case_reference") or None,
                        awaiting_follow_up=filters.get("awaiting") == "yes")
