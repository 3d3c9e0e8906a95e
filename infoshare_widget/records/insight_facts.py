"""What the insight page counts about one record. Pure: no Reflex, no database.

A record's fact holds codes and dates only (the outcome kind, the receiving agency's id, the lawful
basis, consent, what advice led to, the check-by date, the follow-up result and how many days it
took), and the questions answered "Not sure" on its path. Free text, names, references and case
references are never copied, so nothing built on facts can show them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from infoshare_widget.base.clock import UK, as_utc
from infoshare_widget.records.details import AFTER_ADVICE, CONSENT_WHY, OTHER_AGENCY  # noqa: F401 - used here and by the report



@dataclass(frozen=True)
class Fact:
    """One record's countable facts."""

    day: dt.date
    week: dt.date
    outcome_kind: str
    agency: str | None = None
    lawful_basis: str | None = None
    consent: str | None = None
    consent_why: str | None = None
    after_advice: str | None = None
    check_by: dt.date | None = None
    follow_up: str | None = None  # confirmed, not_done, or None while there is no result
    days_to_result: int | None = None
    unsure: tuple[str, ...] = ()

    def columns(self) -> dict:
        """The values of an InsightFact row (without its ids)."""
        return {name: getattr(self, name) for name in (
            "day", "week", "outcome_kind", "agency", "lawful_basis", "consent", "consent_why", "after_advice",
            "check_by", "follow_up", "days_to_result")}


def uk_day(moment: dt.datetime) -> dt.date:
    """The day in the UK at a moment (stored times are UTC)."""
    return as_utc(moment).astimezone(UK).date()


def week_of(day: dt.date) -> dt.date:
    """The Monday of the day's week."""
    return day - dt.timedelta(days=day.weekday())


def _code(value: object, allowed: Iterable[str] | None = None) -> str | None:
    """A short code kept as it is; anything else (free text, wrong types) is dropped."""
    if not isinstance(value, str) or not value or len(value) > 64:
        return None
    if allowed is not None and value not in allowed:
        return None
    return value


def fact_of(*, created_at: dt.datetime, outcome_kind: str, path: list[Mapping],
            amendments: Iterable[tuple[str, dt.datetime, Mapping, dt.date | None]],
            lawful_bases: Iterable[str], consents: Iterable[str]) -> Fact:
    """A record's fact from its one-click facts and its amendments (kind, when, data, check-by date),
    oldest first: later details add to and correct earlier ones, as on the record page; the last
    follow-up counts."""
    day = uk_day(created_at)
    details: dict = {}
    check_by: dt.date | None = None
    follow_up, result_day = None, None
    for kind, when, data, check_by_given in amendments:
        if kind == "details":
            details.update({k: v for k, v in data.items() if v not in ("", None, [])})
            check_by = check_by_given or check_by
        elif kind == "follow_up":
            follow_up = "confirmed" if data.get("result") == "confirmed" else "not_done"
            result_day = uk_day(when)
    agency = _code(details.get("recipient_agency"))
    if agency is not None and not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", agency):
        agency = None  # not an agency id (ids are checked when the form is saved; this is a second guard)
    unsure = tuple(dict.fromkeys(str(step["id"]) for step in path if step.get("answer") == "unsure"))
    return Fact(
        day=day, week=week_of(day), outcome_kind=outcome_kind, agency=agency,
        lawful_basis=_code(details.get("lawful_basis"), lawful_bases),
        consent=_code(details.get("consent"), consents),
        consent_why=_code(details.get("consent_why"), CONSENT_WHY),
        after_advice=_code(details.get("after_advice"), AFTER_ADVICE),
        check_by=check_by, follow_up=follow_up,
        days_to_result=(result_day - day).days if result_day is not None else None,
        unsure=unsure,
    )


def parse_path(path_json: str) -> list[dict]:
    """A stored path, or none when it cannot be read (a removed record's path is [])."""
    try:
        path = json.loads(path_json)
    except ValueError:
        return []
    return [step for step in path if isinstance(step, dict)] if isinstance(path, list) else []
