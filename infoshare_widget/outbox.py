"""The outbox worker as the app runs it: the alerts' worker (alerts/delivery.py) with records' daily
overdue check, composed here so neither feature needs the other's worker. App level.

Every server process runs one as a lifespan task (infoshare_widget.py); `python -m infoshare_widget
deliver` runs one alone. Any number may run against one database: each row is claimed by one.
"""

from __future__ import annotations

import logging

from infoshare_widget.alerts.delivery import Worker, poll_seconds, run_forever
from infoshare_widget.alerts.mail import SMTP_URL_ENV
from infoshare_widget.alerts.service import outbound
from infoshare_widget.base.db import database_url, make_engine
from infoshare_widget.records.overdue_check import check_overdue

log = logging.getLogger("infoshare_widget.alerts")


def make_worker() -> Worker:
    """A worker for this process's database and settings, with the daily overdue check. Its own
    engine (its own connections, and left out of the SQL log, which counts what events cost)."""
    return Worker(make_engine(database_url(), for_events=False), outbound(), daily=(check_overdue,))


def say_how_alerts_go() -> None:
    """Once, at start-up: where alerts go besides the widget."""
    settings = outbound()
    if settings.mail is None:
        log.warning("alerts: %s is not set, so alerts stay in the widget (\"Needs your attention\" on /records) "
                    "and no email is sent", SMTP_URL_ENV)
    else:
        log.warning("alerts: emailed to leads through %r", settings.mail)
    if settings.webhooks:
        log.warning("alerts: %d webhook%s in the partnership file", len(settings.webhooks),
                    "" if len(settings.webhooks) == 1 else "s")


async def serve_outbox() -> None:
    """The lifespan task: deliver alerts until the server stops."""
    await run_forever(make_worker(), poll_seconds())
