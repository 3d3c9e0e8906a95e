"""What causes an alert, what its messages say, and when a failed message is tried again. Pure: no
Reflex, no database.

Every message (email, digest or webhook call) is built here from a few fields, so none can carry
record content: the organisation, the record's reference, the outcome kind in words, the time and a
link to the record (which asks for sign-in). Never the answers, a name, the details or a case
reference.
"""

from __future__ import annotations

import datetime as dt
import json
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from infoshare_widget.base.clock import UK, as_utc

DECISION_RECORDED = "decision.recorded"
NOT_DONE = "follow_up.not_done"
OVERDUE = "follow_up.overdue"
EVENTS = (DECISION_RECORDED, NOT_DONE, OVERDUE)
DIGEST = "digest.overdue"  # the daily email listing overdue follow-ups (never sent to webhooks)

# Decisions that need a lead's eyes at once: protection now (999, refer now), and the front door's
# consultation (its advice shapes what happens next).
ALERTING_KINDS = frozenset({"emergency", "refer_now"})
ALERTING_OUTCOMES = frozenset({"consult_front_door"})

OUTCOME_WORDS = {
    "emergency": "Emergency: call 999",
    "refer_now": "Refer to the front door now",
    "share": "Share",
    "share_with_consent": "Share with consent",
    "share_without_consent": "Share without consent",
    "do_not_share": "Do not share",
    "seek_advice": "Seek advice",
}
EVENT_WORDS = {
    DECISION_RECORDED: "A decision was recorded",
    NOT_DONE: "A follow-up was marked \"Not done\"",
    OVERDUE: "A follow-up is past its check-by date",
    DIGEST: "Follow-ups past their check-by date",
}

# Tried again after 30 seconds, then twice as long each time up to an hour, for 24 hours in all.
FIRST_WAIT = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(hours=1)
GIVE_UP_AFTER = dt.timedelta(hours=24)


def alerts_on_record(outcome_id: str, outcome_kind: str) -> bool:
    """Whether recording this outcome alerts the organisation's leads."""
    return outcome_kind in ALERTING_KINDS or outcome_id in ALERTING_OUTCOMES


def outcome_words(kind: str) -> str:
    """The outcome kind as people read it."""
    return OUTCOME_WORDS.get(kind, kind.replace("_", " ").capitalize())


def next_try(tries: int, created_at: dt.datetime, now: dt.datetime) -> dt.datetime | None:
    """When to try again after `tries` failed tries, or None once 24 hours have passed since the
    message was queued (it is then marked failed)."""
    wait = min(FIRST_WAIT * (2 ** max(0, tries - 1)), LONGEST_WAIT)
    at = as_utc(now) + wait
    return None if at - as_utc(created_at) > GIVE_UP_AFTER else at


def uk_time(at: dt.datetime) -> str:
    """A time as people in the UK read it: 16:50 on Friday 4 December 2026."""
    local = as_utc(at).astimezone(UK)
    return f"{local:%H:%M} on {local:%A} {local.day} {local:%B %Y}"


def alert_payload(*, event: str, alert_id: str, organisation: str, org_id: str, reference: str,
                  outcome_kind: str, at: dt.datetime, link: str) -> dict:
    """The message about one alert, for an email or a webhook: the Standard Webhooks shape (type,
    timestamp, data), holding only what is safe to leave the widget."""
    return {
        "type": event,
        "timestamp": as_utc(at).isoformat(),
        "data": {
            "alert_id": alert_id,
            "organisation": organisation,
            "organisation_id": org_id,
            "reference": reference,
            "outcome_kind": outcome_kind,
            "outcome": outcome_words(outcome_kind),
            "link": link,
        },
    }


def digest_payload(*, organisation: str, org_id: str, day: dt.date, items: list[dict], link: str) -> dict:
    """The daily message listing follow-ups past their check-by date: references, outcome kinds and
    links only (`items` as alert_payload's data)."""
    return {
        "type": DIGEST,
        "timestamp": dt.datetime.combine(day, dt.time(), tzinfo=UK).astimezone(dt.UTC).isoformat(),
        "data": {"organisation": organisation, "organisation_id": org_id, "day": day.isoformat(),
                 "link": link, "items": [{key: item[key] for key in ("reference", "outcome", "link")}
                                         for item in items]},
    }


def to_json(payload: dict) -> str:
    """The bytes sent and signed, in one fixed form."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def email_for(payload: dict, *, to: str, sender: str, message_id: str | None = None) -> EmailMessage:
    """The email for a message built above. Its Message-ID is the delivery's, so a copy sent twice
    after a fault is recognised as the same message."""
    data = payload["data"]
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    message["Message-ID"] = message_id or make_msgid(domain="infoshare.invalid")
    message["Auto-Submitted"] = "auto-generated"
    if payload["type"] == DIGEST:
        count = len(data["items"])
        message["Subject"] = f"{count} follow-up{'s' if count != 1 else ''} past the check-by date ({data['organisation']})"
        lines = [
            f"These records of {data['organisation']} have a follow-up past its check-by date that nobody has "
            "confirmed. Check that the other agency did what it said it would, and record the result.",
            "",
            *[f"- {item['reference']} ({item['outcome']}): {item['link']}" for item in data["items"]],
            "",
            f"All records waiting for a follow-up: {data['link']}",
        ]
    else:
        message["Subject"] = f"{EVENT_WORDS[payload['type']]}: {data['reference']} ({data['organisation']})"
        when = uk_time(dt.datetime.fromisoformat(payload["timestamp"]))
        lines = [
            f"{EVENT_WORDS[payload['type']]} at {data['organisation']}.",
            "",
            f"Reference: {data['reference']}",
            f"Outcome: {data['outcome']}",
            f"When: {when}",
            "",
            f"Open the record (you will be asked to sign in): {data['link']}",
        ]
    lines += ["", "This email holds no details of the child or family: they stay in the widget. You get it because "
              "you are a safeguarding lead with email alerts on; you can turn them off on the records page."]
    message.set_content("\n".join(lines))
    return message
