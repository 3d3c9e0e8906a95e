"""Alerts: raising them (in the caller's transaction), the leads' "Needs your attention" list,
marking one seen, and what admins see of the outbox. Takes a session; no Reflex.

`raise_alert` adds the alert and its deliveries to the session without committing: the records
service calls it before it commits the record or amendment that causes the alert, so both are saved
together or neither is.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, or_, select, update
from sqlmodel import Session

from infoshare_widget.alerts.events import alert_payload, digest_payload, outcome_words, to_json, uk_time, EVENT_WORDS
from infoshare_widget.alerts.mail import SmtpSettings, smtp_settings
from infoshare_widget.alerts.models import Alert, Delivery
from infoshare_widget.alerts.signing import SecretError, secret_bytes
from infoshare_widget.auth.models import AppUser
from infoshare_widget.base import routes
from infoshare_widget.base.acting import Actor, RecordError, allow, log_access
from infoshare_widget.base.clock import as_utc, utc_now
from infoshare_widget.base.models import Organisation
from infoshare_widget.base.settings import Webhook, get_partnership, public_origins, whole_number

MAX_LISTED = 50


@dataclass(frozen=True)
class Outbound:
    """Where alerts go besides the widget: email (when an SMTP server is set) and webhooks, and the
    widget's address for the links in them."""

    mail: SmtpSettings | None
    webhooks: tuple[Webhook, ...]
    origin: str
    # The UK hour from which the day's overdue follow-ups are looked for and the digest is sent.
    digest_hour: int = 7

    @property
    def email_on(self) -> bool:
        return self.mail is not None


class AlertSettingsError(ValueError):
    """The alerts' settings are wrong; the message names the variable and the problem (never a secret)."""


def check_webhook_secrets(webhooks: tuple[Webhook, ...], environ: dict[str, str] | None = None) -> None:
    """Each webhook's secret is set and usable; AlertSettingsError naming the variable otherwise."""
    environ = os.environ if environ is None else environ
    for hook in webhooks:
        value = environ.get(hook.secret_env, "").strip()
        if not value:
            raise AlertSettingsError(f"{hook.secret_env}: set the signing secret of the webhook {hook.url}")
        try:
            secret_bytes(value)
        except SecretError as exc:
            raise AlertSettingsError(f"{hook.secret_env}: {exc}") from None


@functools.cache
def outbound() -> Outbound:
    """This process's settings, from the environment and the partnership file; a wrong one stops
    start-up naming it."""
    check_webhook_secrets(get_partnership().notify.webhooks)
    return Outbound(mail=smtp_settings(), webhooks=get_partnership().notify.webhooks, origin=public_origins()[0],
                    digest_hour=digest_hour())


DIGEST_HOUR_ENV = "INFOSHARE_DIGEST_HOUR"


def digest_hour(environ: dict[str, str] | None = None) -> int:
    """The UK hour (0 to 23) the daily overdue check runs from (INFOSHARE_DIGEST_HOUR, default 7)."""
    return whole_number(environ, DIGEST_HOUR_ENV, 7, 0, 23, "whole hour")


def emailed_leads(session: Session, org_id: str) -> list[AppUser]:
    """The organisation's leads who get alerts by email: active, with an address, alerts not turned off."""
    return list(session.exec(select(AppUser).where(
        AppUser.org_id == org_id, AppUser.access == "lead", AppUser.active.is_(True),
        AppUser.email.is_not(None), AppUser.alerts_by_email.is_(True),
    ).order_by(AppUser.id)).scalars())


def _organisation_name(session: Session, org_id: str) -> str:
    organisation = session.get(Organisation, org_id)
    return organisation.name if organisation is not None else org_id


def raise_alert(session: Session, *, org_id: str, event: str, source_id: str, record_id: str, reference: str,
                outcome_kind: str, at: dt.datetime, settings: Outbound | None = None) -> Alert | None:
    """Add an alert, one email per lead who gets them and one call per webhook that asks for the
    event, to the session (the caller commits). None when this cause has alerted already."""
    settings = settings or outbound()
    if session.exec(select(Alert.id).where(Alert.event == event, Alert.source_id == source_id)).first() is not None:
        return None
    alert = Alert(id=uuid.uuid4().hex, org_id=org_id, event=event, source_id=source_id, record_id=record_id,
                  reference=reference, outcome_kind=outcome_kind, created_at=as_utc(at))
    session.add(alert)
    payload = to_json(alert_payload(event=event, alert_id=alert.id, organisation=_organisation_name(session, org_id),
                                    org_id=org_id, reference=reference, outcome_kind=outcome_kind, at=at,
                                    link=settings.origin + routes.record(record_id)))
    topic = f"alert:{alert.id}"
    targets: list[tuple[str, str]] = []
    if settings.email_on and event != "follow_up.overdue":  # overdue ones go in the daily digest
        targets += [("email", f"user:{lead.id}") for lead in emailed_leads(session, org_id)]
    targets += [("webhook", f"webhook:{n}:{hook.url}") for n, hook in enumerate(settings.webhooks)
                if event in hook.events]
    for channel, target in targets:
        session.add(Delivery(id=uuid.uuid4().hex, org_id=org_id, channel=channel, target=target[:400], topic=topic,
                             alert_id=alert.id, event=event, payload_json=payload, created_at=as_utc(at),
                             next_try_at=as_utc(at)))
    return alert


def queue_digest(session: Session, *, org_id: str, day: dt.date, overdue: Iterable[tuple[str, str, str]],
                 now: dt.datetime, settings: Outbound | None = None) -> int:
    """Add the day's digest of the follow-ups past their check-by date (reference, outcome kind and
    record id of each), one email per lead who gets alerts by email (the caller commits). The number
    queued."""
    settings = settings or outbound()
    overdue = list(overdue)
    if not settings.email_on or not overdue:
        return 0
    payload = to_json(digest_payload(
        organisation=_organisation_name(session, org_id), org_id=org_id, day=day, link=settings.origin + routes.RECORDS,
        items=[{"reference": reference, "outcome": outcome_words(kind), "link": settings.origin + routes.record(record_id)}
               for reference, kind, record_id in overdue]))
    leads = emailed_leads(session, org_id)
    for lead in leads:
        session.add(Delivery(id=uuid.uuid4().hex, org_id=org_id, channel="email", target=f"user:{lead.id}",
                             topic=f"digest:{day.isoformat()}", event="digest.overdue", payload_json=payload,
                             created_at=as_utc(now), next_try_at=as_utc(now)))
    return len(leads)


# -- the leads' list --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttentionItem:
    """One line of "Needs your attention", as plain text for the page."""

    id: str
    what: str
    reference: str
    record_id: str
    outcome: str
    when: str
    seen: str  # "" when nobody has marked it seen yet


def needs_attention(*, session: Session, actor: Actor, limit: int = MAX_LISTED) -> list[AttentionItem]:
    """The organisation's alerts, newest first, for a lead (the same level that follows records up)."""
    allow(session, actor, "list", "needs attention")
    if actor.access != "lead":
        return []
    rows = session.exec(select(Alert).where(Alert.org_id == actor.org_id)
                        .order_by(Alert.created_at.desc(), Alert.id).limit(limit)).scalars()
    return [AttentionItem(id=a.id, what=EVENT_WORDS[a.event], reference=a.reference, record_id=a.record_id,
                          outcome=outcome_words(a.outcome_kind), when=uk_time(a.created_at),
                          seen=f"Seen by {a.seen_by} at {uk_time(a.seen_at)}" if a.seen_at else "")
            for a in rows]


def mark_seen(*, session: Session, actor: Actor, alert_id: str, now: dt.datetime | None = None) -> bool:
    """Mark an alert of the actor's organisation seen (the first mark stands), logged with the
    record's reference. False when there is no such alert for this organisation."""
    allow(session, actor, "follow_up", f"alert {alert_id[:32]}")
    if actor.access != "lead":
        raise RecordError("Only a lead marks alerts as seen.")
    alert = session.exec(select(Alert).where(Alert.org_id == actor.org_id, Alert.id == alert_id)).scalars().first()
    if alert is None:
        log_access(session, actor, "mark seen", f"alert {alert_id[:32]}", outcome="not found")
        session.commit()
        return False
    session.execute(update(Alert).where(Alert.id == alert.id, Alert.seen_at.is_(None))
                    .values(seen_at=as_utc(now or utc_now()), seen_by=actor.name[:200]))
    log_access(session, actor, "mark seen", alert.reference)
    session.commit()
    return True


def set_own_alerts(*, session: Session, actor: Actor, on: bool) -> None:
    """A person turns their own alert emails on or off (logged)."""
    if actor.user_id is None:
        raise RecordError("Alerts by email need an account with an email address.")
    user = session.get(AppUser, actor.user_id)
    if user is None or user.org_id != actor.org_id:
        raise RecordError("There is no such account.")
    user.alerts_by_email = on
    session.add(user)
    log_access(session, actor, "alerts on" if on else "alerts off", user.username)
    session.commit()


# -- the outbox, for admins -------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryLine:
    """One message in the admin area's delivery log: never its content, only where and how it went."""

    channel: str
    to: str
    what: str
    status: str
    tries: int
    queued: str
    last_error: str


def delivery_log(*, session: Session, actor: Actor, failed_only: bool = False, limit: int = 100) -> list[DeliveryLine]:
    """The organisation's latest deliveries (or only those that failed), newest first, for an admin."""
    allow(session, actor, "manage_accounts", "delivery log")
    query = select(Delivery).where(Delivery.org_id == actor.org_id)
    if failed_only:
        query = query.where(Delivery.status == "failed")
    rows = list(session.exec(query.order_by(Delivery.created_at.desc(), Delivery.id).limit(limit)).scalars())
    users = {f"user:{u.id}": u.username for u in session.exec(
        select(AppUser).where(AppUser.org_id == actor.org_id)).scalars()}
    return [DeliveryLine(channel=row.channel, to=users.get(row.target, row.target.split(":", 2)[-1]),
                         what=EVENT_WORDS.get(row.event, row.event), status=row.status, tries=row.tries,
                         queued=uk_time(row.created_at), last_error=row.last_error or "") for row in rows]


def due(now: dt.datetime):
    """Deliveries a worker may claim now: waiting, due, and not claimed by a live worker."""
    return and_(Delivery.status == "pending", Delivery.next_try_at <= now,
                or_(Delivery.claimed_until.is_(None), Delivery.claimed_until < now))
