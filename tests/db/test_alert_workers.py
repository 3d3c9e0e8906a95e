"""The outbox worker as separate processes (`python -m infoshare_widget deliver`), as two servers or
instances run it, against a real SMTP server: two at once send every alert once, and a worker killed
mid-delivery loses nothing and doubles nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from harness.mail import MailServer
from harness.server import ROOT
from infoshare_widget.alerts import service as alerts_service
from infoshare_widget.alerts.mail import SmtpSettings
from infoshare_widget.alerts.models import Delivery
from infoshare_widget.alerts.service import Outbound
from infoshare_widget.auth.accounts import create_user
from infoshare_widget.base.acting import Actor
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.records.service import record_decision

REFER = {"immediate_danger": "no", "significant_harm": "yes"}


@pytest.fixture
def mail():
    with MailServer() as server:
        yield server


def queue(engine, mail, monkeypatch, leads: int, referrals: int) -> int:
    """Referrals recorded with `leads` leads who get email: leads x referrals emails queued."""
    settings = Outbound(mail=SmtpSettings("127.0.0.1", mail.port, False, "alerts@infoshare.example.org"),
                        webhooks=(), origin="https://infoshare.example.org")
    monkeypatch.setattr(alerts_service, "outbound", lambda: settings)
    with Session(engine) as session:
        for n in range(leads):
            create_user(session=session, org_id="trust-a", username=f"lead{n}", name=f"Lead {n}", role="DSL",
                        password=None, access="lead", email=f"lead{n}@trust-a.example.org")
        sam = Actor("trust-a", "Sam", "Health visitor", access="recorder", issuer="https://idp", subject="sam")
        for _ in range(referrals):
            record_decision(session=session, actor=sam, chart=get_chart(), answers=REFER)
    return leads * referrals


def worker(engine, mail, claim_seconds: int = 120) -> subprocess.Popen:
    env = {**os.environ, "REFLEX_DB_URL": engine.url.render_as_string(hide_password=False),
           "INFOSHARE_SMTP_URL": mail.url, "INFOSHARE_MAIL_FROM": "alerts@infoshare.example.org",
           "INFOSHARE_OUTBOX_POLL_SECONDS": "0.2", "INFOSHARE_OUTBOX_CLAIM_SECONDS": str(claim_seconds)}
    env.pop("INFOSHARE_PARTNERSHIP_FILE", None)
    return subprocess.Popen([sys.executable, "-m", "infoshare_widget", "deliver"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        _, err = process.communicate()
    return err.decode(errors="replace")


def statuses(engine) -> dict[str, int]:
    with Session(engine) as session:
        return dict(session.execute(select(Delivery.status, func.count()).group_by(Delivery.status)).all())


def claimed(engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Delivery).where(Delivery.claimed_by.is_not(None)))


@pytest.mark.timeout(120)
def test_two_worker_processes_send_every_alert_once(engine, mail, monkeypatch):
    expected = queue(engine, mail, monkeypatch, leads=3, referrals=20)
    workers = [worker(engine, mail), worker(engine, mail)]
    try:
        messages = mail.wait_for(expected, timeout=60)
        time.sleep(1.0)  # five more rounds each: nothing more arrives
        ids = [m["Message-ID"] for m in mail.messages]
        assert len(ids) == expected and len(set(ids)) == expected, messages[:1]
        assert statuses(engine) == {"sent": expected}
    finally:
        errors = [stop(w) for w in workers]
    assert not any("Traceback" in e for e in errors), errors


@pytest.mark.timeout(120)
def test_a_worker_killed_mid_delivery_loses_nothing_and_doubles_nothing(engine, mail, monkeypatch):
    expected = queue(engine, mail, monkeypatch, leads=2, referrals=3)
    mail.stall_before_data = 30  # the server holds the first message mid-conversation
    first = worker(engine, mail, claim_seconds=3)
    try:
        deadline = time.monotonic() + 30
        while claimed(engine) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert claimed(engine) == expected  # every row claimed by the first worker, which is sending
        time.sleep(0.5)
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # killed mid-delivery
        first.communicate()
    assert mail.messages == [] and statuses(engine) == {"pending": expected}
    mail.stall_before_data = 0
    second = worker(engine, mail, claim_seconds=3)
    try:
        mail.wait_for(expected, timeout=30)  # once the dead worker's claims run out
        time.sleep(1.0)
        ids = [m["Message-ID"] for m in mail.messages]
        assert len(ids) == expected and len(set(ids)) == expected
        assert statuses(engine) == {"sent": expected}
    finally:
        assert "Traceback" not in stop(second)
