"""The chart and walk results as plain JSON-ready dicts, for the API. Pure: no Reflex import."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from infoshare_widget.base.clock import UK
from infoshare_widget.flowchart.chart import ANSWER_LABELS, ANSWERS, Chart, Duty, Outcome, Review, WatchItem
from infoshare_widget.flowchart.engine import Position
from infoshare_widget.base.hours import BANK_HOLIDAY, DAYS, format_ranges, open_at
from infoshare_widget.base.settings import Area, Contact, Partnership

# How each kind of contact is labelled, on pages and in the API.
CONTACT_LABELS: dict[str, str] = {
    "front_door": "Children's social care front door",
    "consultation": "Front door consultation line",
    "out_of_hours": "Out of hours",
    "advice": "Ask for advice",
    "escalation": "Escalation",
    "lado": "Local authority designated officer (LADO)",
}
# How each status of a personal duty is shown.
DUTY_STATUS_LABELS: dict[str, str] = {
    "in force": "In force",
    "not in force": "Not in force yet",
    "to be confirmed": "To be confirmed",
}


class ShownContact(NamedTuple):
    """A contact as an outcome shows it: its key (as in contacts_by_key), kind, label and details."""

    key: str
    kind: str
    label: str
    contact: Contact


def outcome_contacts(kinds: tuple[str, ...], partnership: Partnership) -> list[ShownContact]:
    """The contacts for these kinds, in order; a line listed twice (as consultation and advice) once."""
    shown: list[ShownContact] = []
    for kind in kinds:
        for key, contact in partnership.contacts_by_key().items():
            if (key == kind or key.startswith(f"{kind}-")) and all(contact != s.contact for s in shown):
                shown.append(ShownContact(key, kind, CONTACT_LABELS[kind], contact))
    return shown


# The contacts that send someone to a service: an outcome showing any of them (or a duty of its showing
# the LADO) offers "The child lives in another area?" with the other areas' contacts.
SERVICE_CONTACTS = frozenset({"front_door", "consultation", "out_of_hours", "lado"})
# Where to find the council for an address when its area is not listed (GOV.UK's postcode search).
FIND_COUNCIL_URL = "https://www.gov.uk/find-local-council"


def offers_other_areas(chart: Chart, outcome: Outcome) -> bool:
    """Whether the outcome sends someone to a service, so it offers other areas' contacts too."""
    kinds = set(outcome.contacts).union(*(chart.duties[did].contacts for did in outcome.duties))
    return bool(kinds & SERVICE_CONTACTS)


def area_contacts(area: Area) -> list[ShownContact]:
    """Another area's contacts as an outcome shows them: front door, out-of-hours team, LADO."""
    return [ShownContact(area.key(kind), kind, CONTACT_LABELS[kind], contact) for kind, contact in area.contacts().items()]


def _contact_dict(shown: ShownContact, partnership: Partnership, at: dt.datetime | None) -> dict:
    key, kind, label, contact = shown
    hours = {day: format_ranges(ranges) for day, ranges in contact.open.items()} if contact.open else None
    item = {"key": key, "kind": kind, "label": label, **contact.model_dump(exclude={"open"}), "open": hours}
    if at is not None:
        item["open_now"] = open_now(contact, partnership, at)
    return item


def contacts_dict(kinds: tuple[str, ...], partnership: Partnership, at: dt.datetime | None) -> list[dict]:
    """The contacts with their details; with `at`, whether each is open then (None: no hours given)."""
    return [_contact_dict(shown, partnership, at) for shown in outcome_contacts(kinds, partnership)]


def areas_dict(partnership: Partnership, at: dt.datetime | None) -> list[dict]:
    """The other areas with their contacts (with `at`, whether each is open then)."""
    return [{"id": area.id, "name": area.name, "website": area.website, "note": area.note,
             "contacts": [_contact_dict(shown, partnership, at) for shown in area_contacts(area)]}
            for area in partnership.areas]


def open_now(contact: Contact, partnership: Partnership, at: dt.datetime) -> bool | None:
    """Whether the contact is open at `at`; None where it has no hours, or where the partnership's
    bank-holiday list does not reach that day (unknown, not a guess)."""
    until = partnership.bank_holidays_known_until
    return open_at(contact.open, at, partnership.bank_holidays, until=until or dt.date.min)


def hours_table(partnership: Partnership) -> dict:
    """What assets/hours.js needs to say who is open now: the zone and day names open_at uses, bank
    holidays (and the last day the list covers: after it, null), and each contact's hours."""
    until = partnership.bank_holidays_known_until
    return {
        "time_zone": UK.key,
        "days": list(DAYS),  # Monday first, as date.weekday()
        "bank_holiday": BANK_HOLIDAY,
        "bank_holidays": [day.isoformat() for day in partnership.bank_holidays],
        "bank_holidays_until": until.isoformat() if until else None,
        "contacts": {
            key: {"name": c.name, "phone": c.phone, "open": c.open}  # ranges as [start, end] minutes
            for key, c in partnership.contacts_by_key().items()
        },
    }


def _review(review: Review) -> dict:
    return {"source": review.source, "reviewed": review.reviewed.isoformat(),
            "next_review": review.next_review.isoformat()}


def duty_dict(did: str, duty: Duty, partnership: Partnership, at: dt.datetime | None = None) -> dict:
    """A personal duty: who, when, whom to tell, by when, its status (as checked), and its contacts."""
    return {
        "id": did,
        "title": duty.title,
        "who": duty.who,
        "applies_when": duty.applies_when,
        "tell": duty.tell,
        "by_when": duty.by_when,
        "status": duty.status,
        "status_label": DUTY_STATUS_LABELS.get(duty.status, duty.status),
        "status_note": duty.status_note,
        "checked": duty.review.reviewed.isoformat(),
        "contacts": contacts_dict(duty.contacts, partnership, at),
        "legal": list(duty.legal),
        "review": _review(duty.review),
    }


def watch_dict(wid: str, item: WatchItem) -> dict:
    """A watched change in the law or guidance: what it would change, and when to look again."""
    return {"id": wid, **item.model_dump(mode="json")}


def question_dict(chart: Chart, qid: str) -> dict:
    """One question with its answers and where each leads."""
    question = chart.questions[qid]
    return {
        "id": qid,
        "stage": question.stage,
        "role": question.role,
        "text": question.text,
        "hint": question.hint,
        "answers": [
            {"value": a, "label": ANSWER_LABELS[a], "next": question.answers[a]} for a in ANSWERS
        ],
        "unsure_note": question.unsure_note,
        "rules": list(question.rules),
        "legal": list(question.legal),
        "review": _review(question.review),
    }


def outcome_dict(chart: Chart, oid: str, partnership: Partnership, at: dt.datetime | None = None) -> dict:
    """One outcome: the decision, why, how, next steps, and who to contact (open now, given `at`)."""
    outcome = chart.outcomes[oid]
    return {
        "id": oid,
        "kind": outcome.kind,
        "title": outcome.title,
        "decision": outcome.decision,
        "note": outcome.note,
        "why": list(outcome.why),
        "how": list(outcome.how),
        "next_steps": [step.model_dump() for step in outcome.next_steps],
        "contacts": contacts_dict(outcome.contacts, partnership, at),
        # Where the child lives in another area: the areas listed, and where to find any other council.
        "other_areas": ({"areas": areas_dict(partnership, at), "find_council": FIND_COUNCIL_URL}
                        if offers_other_areas(chart, outcome) else None),
        "duties": [duty_dict(did, chart.duties[did], partnership, at) for did in outcome.duties],
        "shares": outcome.passes_on,
        "rules": list(outcome.rules),
        "legal": list(outcome.legal),
        "review": _review(outcome.review),
    }


def chart_dict(chart: Chart, partnership: Partnership) -> dict:
    """The whole chart, questions in reading order (contacts without open_now: that needs a moment)."""
    return {
        "version": chart.version,
        "last_reviewed": chart.last_reviewed.isoformat(),
        "next_review": chart.next_review.isoformat(),
        "owner": partnership.name,
        "title": chart.title,
        # Where the content applies, and the date its law is stated at.
        "jurisdiction": chart.jurisdiction,
        "law_as_at": chart.law_as_at.isoformat(),
        "start": chart.start,
        "sources": {sid: s.model_dump() for sid, s in chart.sources.items()},
        "based_on": list(chart.based_on),
        "questions": [question_dict(chart, qid) for qid in chart.question_order()],
        "outcomes": [outcome_dict(chart, oid, partnership) for oid in chart.outcomes],
        "rules": {rid: r.model_dump(mode="json") for rid, r in chart.rules.items()},
        "legal": {lid: ref.model_dump(mode="json") for lid, ref in chart.legal.items()},
        "duties": {did: duty_dict(did, duty, partnership) for did, duty in chart.duties.items()},
        "watch": [watch_dict(wid, item) for wid, item in chart.watch.items()],
    }


def position_dict(chart: Chart, position: Position, partnership: Partnership, at: dt.datetime) -> dict:
    """A walk's result: the next question, or the outcome; with the path taken."""
    body: dict = {
        "version": chart.version,
        "jurisdiction": chart.jurisdiction,
        "law_as_at": chart.law_as_at.isoformat(),
        "path": [
            {
                "id": step.node,
                "question": chart.questions[step.node].text,
                "answer": step.answer,
                "label": ANSWER_LABELS[step.answer],
            }
            for step in position.path
        ],
    }
    if position.outcome is not None:
        outcome = outcome_dict(chart, position.outcome, partnership, at)
        if position.about is not None:
            outcome["about"] = position.about
            outcome["about_note"] = chart.questions[position.about].unsure_note
        body["outcome"] = outcome
    else:
        assert position.question is not None
        body["next"] = question_dict(chart, position.question)
    if position.ignored:
        body["ignored"] = list(position.ignored)
    return body
