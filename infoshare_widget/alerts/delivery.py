"""The outbox worker: claims due deliveries, sends them, and records how it went. No Reflex.

Started with the app (a lifespan task in every server process) or alone (`python -m infoshare_widget
deliver`). Any number of workers may run against one database: a worker claims a batch of rows with
one UPDATE that only takes rows nobody holds (claimed_by, claimed_until), so no row is sent by two
workers. A claim lasts CLAIM_SECONDS; a worker killed mid-send leaves its rows to be claimed again
when the claim runs out. Each row is marked sent in its own commit straight after the server
accepted it. A message sent again after a crash in the moment between the two keeps its
identity (the email's Message-ID, the webhook's `webhook-id`), so the receiver can tell it is a
repeat: see docs/operations.md, "Alerts".

The daily jobs (the overdue check, records/overdue_check.py) run from the same loop; each claims
its day in the database, so it runs once a day across workers and restarts.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import time
import uuid
from collections.abc import Callable, Sequence

import httpx
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from infoshare_widget.alerts.events import email_for, next_try
from infoshare_widget.alerts.mail import Mailer
from infoshare_widget.alerts.models import Delivery
from infoshare_widget.alerts.service import Outbound, due, outbound
from infoshare_widget.alerts.signing import headers, secret_bytes
from infoshare_widget.auth.models import AppUser
from infoshare_widget.base.clock import utc_now
from infoshare_widget.base.settings import whole_number

log = logging.getLogger(__name__)

POLL_ENV = "INFOSHARE_OUTBOX_POLL_SECONDS"
CLAIM_ENV = "INFOSHARE_OUTBOX_CLAIM_SECONDS"
# How long a claim holds a row: longer than any send can take (SMTP and webhook time-outs are 20 and
# 15 seconds), so a live worker never loses its row; a dead worker's rows wait this long.
CLAIM_SECONDS = 120
BATCH = 100
WEBHOOK_TIMEOUT = 15.0

DailyJob = Callable[[Session, dt.datetime], object]


def poll_seconds(environ: dict[str, str] | None = None) -> float:
    """How often a worker looks for due deliveries (INFOSHARE_OUTBOX_POLL_SECONDS, default 5)."""
    environ = os.environ if environ is None else environ
    value = environ.get(POLL_ENV, "").strip()
    try:
        seconds = float(value) if value else 5.0
    except ValueError:
        raise ValueError(f"{POLL_ENV}: {value!r} is not a number of seconds") from None
    if not 0.05 <= seconds <= 3600:
        raise ValueError(f"{POLL_ENV}: {value!r} is not from 0.05 to 3600 seconds")
    return seconds


def claim_seconds(environ: dict[str, str] | None = None) -> int:
    """How long a claim holds its rows (INFOSHARE_OUTBOX_CLAIM_SECONDS, default 120, at least 2)."""
    return whole_number(environ, CLAIM_ENV, CLAIM_SECONDS, 2, 3600, "whole number of seconds")


class Worker:
    """One worker's claims and senders."""

    def __init__(self, engine: Engine, settings: Outbound | None = None, *, name: str | None = None,
                 daily: Sequence[DailyJob] = (), clock: Callable[[], dt.datetime] = utc_now):
        self.engine = engine
        self.settings = settings or outbound()
        self.name = (name or f"{os.getpid()}-{uuid.uuid4().hex[:8]}")[:40]
        self.daily = tuple(daily)
        self.clock = clock
        self.claim_for = dt.timedelta(seconds=claim_seconds())
        self._keys = {hook.url: hook.secret_env for hook in self.settings.webhooks}

    # -- claiming --------------------------------------------------------------------------------

    def claim(self, now: dt.datetime, limit: int = BATCH) -> list[Delivery]:
        """Take up to `limit` due rows for this worker, in one UPDATE, and read them back."""
        token = f"{self.name}:{uuid.uuid4().hex[:16]}"
        with Session(self.engine) as session:
            ids = select(Delivery.id).where(due(now)).order_by(Delivery.next_try_at, Delivery.id).limit(limit)
            session.execute(update(Delivery).where(Delivery.id.in_(ids), due(now))
                            .values(claimed_by=token, claimed_until=now + self.claim_for),
                            execution_options={"synchronize_session": False})
            session.commit()
            rows = list(session.exec(select(Delivery).where(Delivery.claimed_by == token)
                                     .order_by(Delivery.next_try_at, Delivery.id)).scalars())
            for row in rows:
                session.expunge(row)
            return rows

    def _finish(self, row: Delivery, *, sent: bool, error: str = "", status: str | None = None) -> None:
        now = self.clock()
        values: dict = {"tries": row.tries + 1, "claimed_by": None, "claimed_until": None}
        if sent:
            values.update(status="sent", sent_at=now, last_error=None)
        elif status is not None:
            values.update(status=status, last_error=error[:300])
        else:
            again = next_try(row.tries + 1, row.created_at, now)
            values.update(last_error=error[:300], **({"next_try_at": again} if again else {"status": "failed"}))
            if again is None:
                log.warning("an alert %s could not be delivered for 24 hours and is marked failed (%s)",
                            row.channel, error[:100])
        with Session(self.engine) as session:
            session.execute(update(Delivery).where(Delivery.id == row.id, Delivery.claimed_by == row.claimed_by)
                            .values(**values), execution_options={"synchronize_session": False})
            session.commit()

    # -- sending ---------------------------------------------------------------------------------

    def _address(self, row: Delivery) -> str | None:
        """A lead's address as it is now, or None if they have since turned alerts off or left."""
        user_id = int(row.target.split(":", 1)[1])
        with Session(self.engine) as session:
            user = session.get(AppUser, user_id)
            ok = user is not None and user.active and user.email and user.alerts_by_email and user.org_id == row.org_id
            return user.email if ok else None

    def _send_email(self, row: Delivery, mailer: Mailer) -> None:
        address = self._address(row)
        if address is None:
            self._finish(row, sent=False, status="cancelled", error="the lead no longer gets alerts by email")
            return
        message = email_for(json.loads(row.payload_json), to=address, sender=self.settings.mail.sender,
                            message_id=f"<{row.id}@infoshare.invalid>")
        mailer.send(message)
        self._finish(row, sent=True)

    def _send_webhook(self, row: Delivery, client: httpx.Client) -> None:
        url = row.target.split(":", 2)[2]
        if url not in self._keys:
            self._finish(row, sent=False, status="cancelled", error="the webhook is no longer in the partnership file")
            return
        key = secret_bytes(os.environ.get(self._keys[url], ""))  # checked at start-up; a secret removed since fails the try
        stamp = int(time.time())
        response = client.post(url, content=row.payload_json.encode(), headers=headers(key, row.id, stamp, row.payload_json))
        if not 200 <= response.status_code < 300:
            raise OSError(f"the receiver answered {response.status_code}")
        self._finish(row, sent=True)

    def send(self, rows: list[Delivery]) -> int:
        """Send claimed rows; each failure is recorded and tried again later. The number sent."""
        sent = 0
        mailer = Mailer(self.settings.mail) if self.settings.mail else None
        with httpx.Client(timeout=WEBHOOK_TIMEOUT, follow_redirects=False) as client:
            try:
                for row in rows:
                    try:
                        if row.channel == "email":
                            if mailer is None:
                                self._finish(row, sent=False, error="no SMTP server is set (INFOSHARE_SMTP_URL)")
                                continue
                            self._send_email(row, mailer)
                        else:
                            self._send_webhook(row, client)
                        sent += 1
                    except Exception as exc:  # noqa: BLE001 - any failure is a failed try, tried again
                        self._finish(row, sent=False, error=_describe(exc))
            finally:
                if mailer is not None:
                    mailer.close()
        return sent

    # -- the loop --------------------------------------------------------------------------------

    def run_daily(self, now: dt.datetime) -> None:
        for job in self.daily:
            try:
                with Session(self.engine) as session:
                    job(session, now)
            except Exception:  # noqa: BLE001 - logged; tried again on the next round
                log.exception("a daily alerts job failed; it is tried again shortly")

    def tick(self) -> int:
        """One round: the daily jobs, then every due row, batch by batch. The number sent."""
        self.run_daily(self.clock())
        sent = 0
        while rows := self.claim(self.clock()):
            sent += self.send(rows)
            if len(rows) < BATCH:
                break
        return sent


def _describe(exc: Exception) -> str:
    """A failure in a few words, for the admin area: never a message's content."""
    name = type(exc).__name__
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{name}: {text}" if text else name


async def run_forever(worker: Worker, poll: float | None = None) -> None:
    """Send as deliveries fall due, until cancelled; a database or network fault waits for the next round."""
    poll = poll_seconds() if poll is None else poll
    while True:
        try:
            await asyncio.to_thread(worker.tick)
        except Exception:  # noqa: BLE001 - the database may be down for a while: keep going
            log.warning("the outbox worker could not reach the database; trying again in %.0f s", poll, exc_info=True)
        await asyncio.sleep(poll)
