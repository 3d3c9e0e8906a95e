"""The insight figures: aggregate queries over the facts, for one organisation or the partnership.
Takes a session; knows nothing of Reflex.

Every query here groups and counts; none selects a row of a record, so nothing that names a child,
a practitioner or a case can come out of it. Who may look is checked on the server (a lead or an
auditor for their own organisation; the partnership view for accounts the partnership file names,
or the partnership's insight key) and every look is written to the access log.
"""

from __future__ import annotations

from collections import Counter

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlmodel import Session

from infoshare_widget.records.models import InsightFact, InsightUnsure, InsightWeek
from infoshare_widget.base.models import Organisation
from infoshare_widget.insight.models import WalkCount
from infoshare_widget.base.access import Refused
from infoshare_widget.base.acting import Actor, logged, allow, log_access
from infoshare_widget.base.settings import InsightSettings

class PeriodError(ValueError):
    """The period asked for cannot be shown; the message says why."""


class NoSuchOrganisation(PeriodError):
    """The organisation asked for is not in the view (another organisation's id is simply not found)."""


def _two_years_on(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 2)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 2, day=28)


def check_period(start: dt.date, end: dt.date) -> None:
    """A period runs forwards and covers at most two years (from a date to the day before it, two
    years on)."""
    if end < start:
        raise PeriodError("The end date must be the same as or after the start date")
    if end >= _two_years_on(start):
        raise PeriodError("The period must be 2 years or shorter")


ONE_DAY = dt.timedelta(days=1)


def ended_weeks(start: dt.date, end: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period widened to whole weeks (Monday to Sunday) and cut at last Sunday: figures for a
    single day, or for a week still under way, would let one decision be told from the next."""
    first = start - dt.timedelta(days=start.weekday())
    last = min(end + dt.timedelta(days=6 - end.weekday()), today - dt.timedelta(days=today.weekday() + 1))
    if last < first:
        raise PeriodError("The figures cover whole weeks that have ended, up to last Sunday: choose a period "
                          "that includes one")
    return first, last


@dataclass
class Raw:
    """Grouped counts for a period, before any suppression (never leaves the server as it is)."""

    organisations: list[tuple[str, str]]  # (id, name) of every organisation in view
    outcomes: list[tuple] = field(default_factory=list)  # (org, week, kind, n)
    unsure: list[tuple] = field(default_factory=list)  # (org, question, after_advice, n)
    follow_up: list[tuple] = field(default_factory=list)  # (org, agency, result, days, n)
    consent: list[tuple] = field(default_factory=list)  # (org, consent, consent_why, n)
    basis: list[tuple] = field(default_factory=list)  # (org, lawful_basis, n)
    walks: list[tuple] | None = None  # (kind, question, n): only where the partnership opts in


def is_partnership_viewer(actor: Actor, settings: InsightSettings) -> bool:
    """Whether the partnership file names this account for the partnership view."""
    for viewer in settings.partnership_viewers:
        if viewer.username is not None and actor.user_id is not None:
            if viewer.organisation == actor.org_id and viewer.username == actor.account:
                return True
        elif viewer.issuer is not None and (viewer.issuer, viewer.subject) == (actor.issuer, actor.subject):
            return True
    return False


def organisations(session: Session, only: str | None = None) -> list[tuple[str, str]]:
    """Every organisation's id and name (or one), by name."""
    query = select(Organisation.id, Organisation.name).order_by(Organisation.name, Organisation.id)
    if only is not None:
        query = query.where(Organisation.id == only)
    return [(row.id, row.name) for row in session.execute(query)]


def _whole_weeks(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last Mondays of the weeks that lie wholly inside the period, if any."""
    first = start + dt.timedelta(days=-start.weekday() % 7)
    last = end - dt.timedelta(days=(end.weekday() + 1) % 7) - dt.timedelta(days=6)
    return (first, last) if first <= last else None


def _from_weeks(session: Session, raw: Raw, org_ids: list[str], first: dt.date, last: dt.date) -> None:
    """Add the weekly counts of whole weeks (a few rows a week, whatever the number of records)."""
    w = InsightWeek
    whole = (w.org_id.in_(org_ids), w.week >= first, w.week <= last)
    # Outcomes week by week; the other facets summed over the weeks in the database.
    raw.outcomes += [tuple(r) for r in session.execute(
        select(w.org_id, w.week, w.k1, w.n).where(*whole, w.facet == "kind", w.n != 0))]
    rows = session.execute(select(w.org_id, w.facet, w.k1, w.k2, func.sum(w.n)).where(*whole, w.facet != "kind")
                           .group_by(w.org_id, w.facet, w.k1, w.k2))
    for org, facet, k1, k2, n in rows:
        if not n:
            continue
        if facet == "consent":
            raw.consent.append((org, k1 or None, k2 or None, n))
        elif facet == "basis":
            raw.basis.append((org, k1 or None, n))
        elif facet == "unsure":
            raw.unsure.append((org, k1, k2 or None, n))


def _from_facts(session: Session, raw: Raw, org_ids: list[str], start: dt.date, end: dt.date) -> None:
    """Add the counts of the days from start to end, grouped from the facts (the period's part weeks)."""
    f, n = InsightFact, func.count()
    in_view = (f.org_id.in_(org_ids), f.day >= start, f.day <= end)
    raw.outcomes += [tuple(r) for r in session.execute(
        select(f.org_id, f.week, f.outcome_kind, n).where(*in_view).group_by(f.org_id, f.week, f.outcome_kind))]
    raw.consent += [tuple(r) for r in session.execute(
        select(f.org_id, f.consent, f.consent_why, n).where(*in_view).group_by(f.org_id, f.consent, f.consent_why))]
    raw.basis += [tuple(r) for r in session.execute(
        select(f.org_id, f.lawful_basis, n).where(*in_view).group_by(f.org_id, f.lawful_basis))]
    raw.unsure += [tuple(r) for r in session.execute(
        select(InsightUnsure.org_id, InsightUnsure.question, InsightUnsure.after_advice, n)
        .where(InsightUnsure.org_id.in_(org_ids), InsightUnsure.day >= start, InsightUnsure.day <= end)
        .group_by(InsightUnsure.org_id, InsightUnsure.question, InsightUnsure.after_advice))]


def follow_ups_as_at(session: Session, org_ids: Sequence[str], start: dt.date, end: dt.date) -> list[tuple]:
    """Follow-ups of the period's decisions as they stood at its last day: due if the check-by date
    had passed by then (the day itself is still in time), with a result only if it was recorded by
    then; the rest still open, and so overdue. A past period's figures are the same whatever the day
    they are read: differences between two looks cannot single out one decision's later result.
    (Read from the facts with a check-by date: a partial index.)"""
    f, n = InsightFact, func.count()
    rows = session.execute(
        select(f.org_id, f.agency, f.follow_up, f.days_to_result, f.day, n)
        .where(f.org_id.in_(org_ids), f.day >= start, f.day <= end, f.check_by.is_not(None), f.check_by < end + ONE_DAY)
        .group_by(f.org_id, f.agency, f.follow_up, f.days_to_result, f.day))
    counted: Counter = Counter()
    for org, agency, result, to_result, day, count in rows:
        known = result is not None and to_result is not None and day + dt.timedelta(days=to_result) <= end
        counted[(org, agency, result if known else None, to_result if known else None)] += count
    return [(*key, count) for key, count in counted.items()]


def gather(*, session: Session, org_ids: Sequence[str], start: dt.date, end: dt.date, today: dt.date,
           walks: bool = False) -> Raw:
    """The grouped counts for the organisations and UK days from start to end, inclusive: whole weeks
    from the weekly counts, the days of part weeks at either end from the facts."""
    if end < start or (end - start).days > 760:
        raise PeriodError("The period must run forwards and cover at most 2 years")
    raw, org_ids = Raw(organisations=[]), list(org_ids)
    whole = _whole_weeks(start, end)
    if whole is None:
        _from_facts(session, raw, org_ids, start, end)
    else:
        first, last = whole
        _from_weeks(session, raw, org_ids, first, last)
        if start < first:
            _from_facts(session, raw, org_ids, start, first - dt.timedelta(days=1))
        if end > last + dt.timedelta(days=6):
            _from_facts(session, raw, org_ids, last + dt.timedelta(days=7), end)
    raw.follow_up = follow_ups_as_at(session, org_ids, start, end)
    if walks:
        raw.walks = [tuple(r) for r in session.execute(
            select(WalkCount.outcome_kind, WalkCount.question, func.sum(WalkCount.count))
            .where(WalkCount.day >= start, WalkCount.day <= end)
            .group_by(WalkCount.outcome_kind, WalkCount.question))]
    return raw


@dataclass(frozen=True)
class Scope:
    """Whose figures a view shows: one organisation, or the partnership (every organisation)."""

    partnership: bool
    org_id: str  # the viewer's organisation ("" for the partnership key)


def scope_for(*, session: Session, actor: Actor, settings: InsightSettings, partnership: bool) -> Scope:
    """The scope an account may see, or Refused (logged): the partnership view only for named accounts."""
    allow(session, actor, "insight", "partnership" if partnership else "")
    if partnership and not is_partnership_viewer(actor, settings):
        log_access(session, actor, "insight", "partnership", outcome="refused")
        session.commit()
        raise Refused("The partnership view is for the accounts the partnership file names: ask your "
                      "partnership's business manager.")
    return Scope(partnership=partnership, org_id=actor.org_id)


def look(*, session: Session, actor: Actor, scope: Scope, start: dt.date, end: dt.date, today: dt.date,
         organisation: str | None, walks: bool) -> Raw:
    """The raw figures a scope allows, logged as an insight view with the period and the organisation
    chosen (the partnership view may narrow to one organisation; another organisation's id in an
    organisation's own view is not found)."""
    # Every figure from one snapshot, so the tables add up: PostgreSQL's default would let each query
    # see records committed since the last one (SQLite's read transaction is a snapshot already).
    session.commit()
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    if scope.partnership:
        in_view = organisations(session)
        missing = organisation is not None and organisation not in dict(in_view)
    else:
        in_view = organisations(session, scope.org_id)
        missing = organisation not in (None, scope.org_id)
    if missing or not in_view:
        log_access(session, actor, "insight", f"org={(organisation or scope.org_id)[:64]}", outcome="not found")
        session.commit()
        raise NoSuchOrganisation("There is no such organisation in your view" if missing else
                                 "There is no organisation to show: none is set up for records yet")
    ids = [org for org, _ in in_view]
    raw = gather(session=session, org_ids=ids, start=start, end=end, today=today, walks=walks and scope.partnership)
    raw.organisations = in_view
    target = f"from={start.isoformat()} to={end.isoformat()} " + (
        f"partnership{' org=' + organisation if organisation else ''}" if scope.partnership else f"org={scope.org_id}")
    logged(session, actor, "insight", target)
    return raw
