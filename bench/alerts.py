"""Benchmark: the alerts' outbox, delivered to a real SMTP server (aiosmtpd, on this machine).

Prints, on SQLite (and PostgreSQL where INFOSHARE_TEST_POSTGRES_URL, default the local server's
`test` database, can be reached):
- throughput: 10,000 queued alert emails drained by one worker process, then by two at once
  (`python -m infoshare_widget deliver`), in messages a second, with every message counted once;
- latency: referrals recorded through the records service one at a time (4 a second for 10 s) while a
  worker runs with the default poll of 5 s, from the moment the record was saved to the moment the
  SMTP server accepted the email: median and p95.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlmodel import Session

from bench.flowchart import percentile
from harness.mail import MailServer
from harness.server import ROOT
from infoshare_widget.alerts import service as alerts_service
from infoshare_widget.alerts.events import alert_payload, to_json
from infoshare_widget.alerts.mail import SmtpSettings
from infoshare_widget.alerts.models import Delivery
from infoshare_widget.alerts.service import Outbound
from infoshare_widget.auth.accounts import create_user
from infoshare_widget.base.acting import Actor, ensure_organisation
from infoshare_widget.base.db import make_engine, upgrade
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.records.service import record_decision

QUEUED = 10_000
POSTGRES_URL = os.environ.get("INFOSHARE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SENDER = "alerts@infoshare.example.org"


def fresh(url: str):
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    upgrade(engine)
    with Session(engine) as session:
        ensure_organisation(session=session, org_id="bench", name="Bench Trust")
        lead = create_user(session=session, org_id="bench", username="lead", name="Bench Lead", role="DSL",
                           password=None, access="lead", email="lead@bench.example.org")
        return engine, lead.id


def queue_many(engine, lead_id: int, n: int) -> None:
    now = dt.datetime.now(dt.UTC)
    rows = []
    for _ in range(n):
        alert_id = uuid.uuid4().hex
        payload = to_json(alert_payload(event="decision.recorded", alert_id=alert_id, organisation="Bench Trust",
                                        org_id="bench", reference="IS-BNCH-0000", outcome_kind="refer_now", at=now,
                                        link="https://infoshare.example.org/records/x"))
        rows.append({"id": uuid.uuid4().hex, "org_id": "bench", "channel": "email", "target": f"user:{lead_id}",
                     "topic": f"alert:{alert_id}", "alert_id": alert_id, "event": "decision.recorded",
                     "payload_json": payload, "status": "pending", "tries": 0, "next_try_at": now, "created_at": now})
    with engine.begin() as connection:
        for start in range(0, n, 2000):
            connection.execute(insert(Delivery), rows[start:start + 2000])


def workers(engine, mail: MailServer, count: int, poll: str) -> list[subprocess.Popen]:
    env = {**os.environ, "REFLEX_DB_URL": engine.url.render_as_string(hide_password=False),
           "INFOSHARE_SMTP_URL": mail.url, "INFOSHARE_MAIL_FROM": SENDER, "INFOSHARE_OUTBOX_POLL_SECONDS": poll}
    env.pop("INFOSHARE_PARTNERSHIP_FILE", None)
    return [subprocess.Popen([sys.executable, "-m", "infoshare_widget", "deliver"], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            for _ in range(count)]


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        process.wait(timeout=30)


def sent(engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Delivery).where(Delivery.status == "sent"))


def throughput(url: str, count: int) -> str:
    engine, lead_id = fresh(url)
    queue_many(engine, lead_id, QUEUED)
    with MailServer() as mail:
        start = time.perf_counter()
        running = workers(engine, mail, count, "0.5")
        try:
            mail.wait_for(QUEUED, timeout=900)
            seconds = time.perf_counter() - start
        finally:
            stop(running)
        ids = {m["Message-ID"] for m in mail.messages}
        once = len(mail.messages) == QUEUED == len(ids) == sent(engine)
    engine.dispose()
    return (f"{QUEUED:,} queued, {count} worker{'s' if count > 1 else ''}: {seconds:.1f} s, "
            f"{QUEUED / seconds:.0f} emails a second, each once: {'yes' if once else 'NO'}")


def latency(url: str) -> str:
    engine, _ = fresh(url)
    with MailServer() as mail:
        settings = Outbound(mail=SmtpSettings("127.0.0.1", mail.port, False, SENDER), webhooks=(),
                            origin="https://infoshare.example.org")
        alerts_service.outbound = lambda: settings  # this process queues as a server with mail would
        running = workers(engine, mail, 1, "5")
        saved: dict[str, float] = {}
        try:
            time.sleep(2)  # the worker started
            actor = Actor("bench", "Bench recorder", "Bench", issuer="https://bench", subject="r")
            with Session(engine) as session:
                for _ in range(40):
                    record = record_decision(session=session, actor=actor, chart=get_chart(),
                                             answers={"immediate_danger": "no", "significant_harm": "yes"})
                    saved[record.reference] = time.time()
                    time.sleep(0.25)
            mail.wait_for(len(saved), timeout=60)
        finally:
            stop(running)
        waits = [(at - saved[str(m["Subject"]).split(": ")[1].split(" ")[0]]) * 1000
                 for m, at in zip(mail.messages, mail.received_at)]
    engine.dispose()
    return (f"40 referrals, 4 a second, poll 5 s: record to inbox median {statistics.median(waits):.0f} ms, "
            f"p95 {percentile(waits, 95):.0f} ms")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        targets = [("SQLite", f"sqlite:///{Path(folder) / 'alerts.db'}")]
        try:
            make_engine(POSTGRES_URL).connect().close()
            targets.append(("PostgreSQL", POSTGRES_URL))
        except Exception:  # noqa: BLE001 - reported, and the SQLite figures still printed
            print("PostgreSQL not reachable: its figures are skipped")
        for name, url in targets:
            for count in (1, 2):
                if name == "SQLite":
                    url = f"sqlite:///{Path(folder) / f'alerts-{count}.db'}"
                print(f"{name}: {throughput(url, count)}", flush=True)
            if name == "SQLite":
                url = f"sqlite:///{Path(folder) / 'latency.db'}"
            print(f"{name}: {latency(url)}", flush=True)
    print(json.dumps({"queued": QUEUED}))


if __name__ == "__main__":
    main()
