"""Alerts to leads on SQLite and a real PostgreSQL, delivered to a real SMTP server (aiosmtpd) and a
real HTTP receiver: raised with the record that causes them, delivered exactly once whatever fails,
the daily digest once a day, and no record content in any message."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
import standardwebhooks
from sqlalchemy import func, select
from sqlmodel import Session

from harness.mail import MailServer, WebhookReceiver
from infoshare_widget.alerts import delivery as delivery_module
from infoshare_widget.alerts import service as alerts_service
from infoshare_widget.alerts.delivery import Worker
from infoshare_widget.alerts.mail import SmtpSettings
from infoshare_widget.alerts.models import Alert, Delivery, DigestDay
from infoshare_widget.alerts.service import Outbound, delivery_log, mark_seen, needs_attention
from infoshare_widget.admin import service as admin_service
from infoshare_widget.auth.accounts import create_user
from infoshare_widget.auth.models import AppUser
from infoshare_widget.base.acting import Actor, RecordError, ensure_organisation
from infoshare_widget.base.db import make_engine, upgrade
from infoshare_widget.base.access import Refused
from infoshare_widget.base.models import AccessLog
from infoshare_widget.base.settings import Webhook
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.records import follow_up_alerts, overdue_check
from infoshare_widget.records.overdue_check import check_overdue
from infoshare_widget.records.service import amend, record_decision
from tests.support.scenarios import ALL_PATHS

CHART = get_chart()
REFER = {"immediate_danger": "no", "significant_harm": "yes"}
SHARE = {"immediate_danger": "no", "significant_harm": "no", "asked_for_information": "no",
         "legitimate_purpose": "yes", "identifiable": "no"}
CANARY = "Canary-Zebra-Ashworth-4471"
SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # 24 bytes, base64
ORIGIN = "https://infoshare.example.org"


@pytest.fixture
def mail():
    with MailServer() as server:
        yield server


@pytest.fixture
def hook():
    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture
def settings(mail, hook, monkeypatch):
    """Email through the test SMTP server and one webhook for every event, as the app would read them."""
    monkeypatch.setenv("TEST_HOOK_SECRET", SECRET)
    chosen = Outbound(mail=SmtpSettings("127.0.0.1", mail.port, False, "alerts@infoshare.example.org"),
                      webhooks=(Webhook(url=hook.url, secret_env="TEST_HOOK_SECRET",
                                        events=("decision.recorded", "follow_up.not_done", "follow_up.overdue")),),
                      origin=ORIGIN)
    monkeypatch.setattr(alerts_service, "outbound", lambda: chosen)
    monkeypatch.setattr(overdue_check, "outbound", lambda: chosen)
    return chosen


@pytest.fixture
def people(engine):
    """Two leads with addresses (one has turned alerts off), a lead with none, a recorder, and a lead
    of another organisation."""
    with Session(engine) as session:
        made = {name: create_user(session=session, org_id=org, username=name, name=name.title(), role="DSL",
                                  password=None, access=access, email=email)
                for name, org, access, email in [
                    ("lee", "trust-a", "lead", "lee@trust-a.example.org"),
                    ("lou", "trust-a", "lead", "lou@trust-a.example.org"),
                    ("nomail", "trust-a", "lead", None),
                    ("sam", "trust-a", "recorder", "sam@trust-a.example.org"),
                    ("bo", "school-b", "lead", "bo@school-b.example.org"),
                ]}
        made["lou"].alerts_by_email = False
        session.add(made["lou"])
        session.commit()
        return {name: Actor(u.org_id, u.name, "DSL", u.id, access=u.access) for name, u in made.items()}


def recorded(engine, actor, answers=REFER, **kw):
    with Session(engine) as session:
        return record_decision(session=session, actor=actor, chart=CHART, answers=answers, **kw)


def worker(engine, settings, **kw) -> Worker:
    return Worker(engine, settings, **kw)


def rows(engine, model, *where):
    with Session(engine) as session:
        return list(session.exec(select(model).where(*where)).scalars())


# -- raised with the record -------------------------------------------------------------------------


def test_only_protection_now_and_the_front_door_consultation_alert(tmp_path, monkeypatch):
    """Every path of the chart, recorded: only emergencies, referrals and the front door's
    consultation raise an alert (the rule is the same on any database: SQLite only)."""
    monkeypatch.setattr(alerts_service, "outbound", lambda: Outbound(mail=None, webhooks=(), origin=ORIGIN))
    engine = make_engine(f"sqlite:///{tmp_path / 'paths.db'}")
    upgrade(engine)
    with Session(engine) as session:
        ensure_organisation(session=session, org_id="trust-a", name="Trust A")
    sam = Actor("trust-a", "Sam", "Health visitor", access="recorder", issuer="https://idp", subject="sam")
    alerting = set()
    for scenario, answers, outcome, kind in ALL_PATHS:
        record = recorded(engine, sam, answers)
        if kind in ("emergency", "refer_now") or outcome == "consult_front_door":
            alerting.add(record.id)
    assert {a.record_id for a in rows(engine, Alert)} == alerting
    assert len(alerting) == len([p for p in ALL_PATHS if p[3] in ("emergency", "refer_now")
                                 or p[2] == "consult_front_door"]) >= 4
    engine.dispose()


def test_a_referral_alerts_each_lead_who_gets_email_once_and_every_webhook(engine, settings, people, mail, hook):
    record = recorded(engine, people["sam"])
    [alert] = rows(engine, Alert)
    assert (alert.org_id, alert.record_id, alert.reference, alert.event) == ("trust-a", record.id, record.reference,
                                                                             "decision.recorded")
    queued = rows(engine, Delivery)
    # lee only: lou turned alerts off, nomail has no address, sam is no lead, bo is another organisation's.
    assert sorted(d.target for d in queued) == [f"user:{people['lee'].user_id}", f"webhook:0:{hook.url}"]
    assert worker(engine, settings).tick() == 2
    [email] = mail.wait_for(1)
    assert email["To"] == "lee@trust-a.example.org" and record.reference in email["Subject"]
    body = email.get_content()
    assert f"{ORIGIN}/records/{record.id}" in body and "Refer to the front door now" in body and "Trust A" in body
    assert worker(engine, settings).tick() == 0  # nothing is sent twice
    assert len(mail.messages) == 1 and len(hook.accepted()) == 1


def test_the_alert_is_saved_with_the_record_or_not_at_all(engine, settings, people, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the outbox could not be written")

    monkeypatch.setattr(follow_up_alerts, "raise_alert", broken)
    with pytest.raises(RuntimeError):
        recorded(engine, people["sam"])
    from infoshare_widget.records.models import DecisionRecord

    assert rows(engine, DecisionRecord) == [] and rows(engine, Alert) == [] and rows(engine, Delivery) == []


def test_no_message_holds_record_content(engine, settings, people, mail, hook):
    """A canary in every free-text field of the details, the follow-up note and the case reference
    reaches no stored message, no email and no webhook call."""
    record = recorded(engine, people["sam"])
    with Session(engine) as session:
        amend(session=session, actor=people["sam"], record_id=record.id, kind="details",
              data={"purpose": CANARY, "what_shared": CANARY, "shared_with": CANARY, "child_name": CANARY},
              case_reference=CANARY[:20], check_by=dt.date(2026, 12, 1))
        amend(session=session, actor=people["lee"], record_id=record.id, kind="follow_up",
              data={"result": "not_done", "note": CANARY})
    worker(engine, settings).tick()
    with Session(engine) as session:
        check_overdue(session, dt.datetime(2026, 12, 8, 9, tzinfo=dt.UTC), settings)
    worker(engine, settings).tick()
    assert len(mail.messages) == 2 and len(hook.accepted()) == 2  # the referral and the "Not done"
    stored = [d.payload_json for d in rows(engine, Delivery)] + [repr(a) for a in rows(engine, Alert)]
    sent = [raw.decode() for raw in mail.raw] + [call.body.decode() for call in hook.calls]
    for text in stored + sent:
        assert CANARY not in text and CANARY[:20] not in text and "Canary" not in text


# -- the leads' list --------------------------------------------------------------------------------


def test_needs_attention_is_the_organisation_s_newest_first_and_marked_seen_once(engine, settings, people):
    first = recorded(engine, people["sam"], now=dt.datetime(2026, 12, 4, 16, 50, tzinfo=dt.UTC))
    second = recorded(engine, people["sam"], {"immediate_danger": "yes"},
                      now=dt.datetime(2026, 12, 4, 17, 5, tzinfo=dt.UTC))
    recorded(engine, people["bo"])
    with Session(engine) as session:
        listed = needs_attention(session=session, actor=people["lee"])
        assert [item.reference for item in listed] == [second.reference, first.reference]
        assert listed[1].when == "16:50 on Friday 4 December 2026" and listed[1].seen == ""
        assert mark_seen(session=session, actor=people["lee"], alert_id=listed[1].id,
                         now=dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC))
        # A second mark, by someone else, does not move the first.
        assert mark_seen(session=session, actor=people["nomail"], alert_id=listed[1].id)
        again = needs_attention(session=session, actor=people["lee"])
        assert again[1].seen == "Seen by Lee at 09:00 on Monday 7 December 2026"
        # Another organisation's alert is not found, and a recorder cannot mark one.
        [theirs] = needs_attention(session=session, actor=people["bo"])
        assert not mark_seen(session=session, actor=people["lee"], alert_id=theirs.id)
        with pytest.raises(RecordError):
            mark_seen(session=session, actor=people["sam"], alert_id=listed[0].id)
        assert needs_attention(session=session, actor=people["sam"]) == []
        logged = session.exec(select(AccessLog.action, AccessLog.target, AccessLog.outcome)
                              .where(AccessLog.action == "mark seen")).all()
        assert (("mark seen", first.reference, "ok") in logged and ("mark seen", f"alert {theirs.id}", "not found")
                in logged)


def test_not_done_alerts_and_so_does_an_overdue_follow_up_once_a_day(engine, settings, people, mail, hook):
    done = recorded(engine, people["sam"], SHARE)
    late = recorded(engine, people["sam"], SHARE)
    not_done = recorded(engine, people["sam"], SHARE)
    with Session(engine) as session:
        for record, check_by in ((done, dt.date(2026, 12, 1)), (late, dt.date(2026, 12, 1)),
                                 (not_done, dt.date(2026, 12, 20))):
            amend(session=session, actor=people["sam"], record_id=record.id, kind="details", data={}, check_by=check_by)
        amend(session=session, actor=people["sam"], record_id=done.id, kind="follow_up", data={"result": "confirmed"})
        amend(session=session, actor=people["sam"], record_id=not_done.id, kind="follow_up",
              data={"result": "not_done", "note": "x"})
    assert [a.event for a in rows(engine, Alert)] == ["follow_up.not_done"]
    early = dt.datetime(2026, 12, 8, 6, 59, tzinfo=dt.UTC)  # before 07:00 UK: not yet today's check
    morning = dt.datetime(2026, 12, 8, 7, 1, tzinfo=dt.UTC)
    with Session(engine) as session:
        assert check_overdue(session, early, settings) == 0
        assert check_overdue(session, morning, settings) == 2  # both organisations checked
        assert check_overdue(session, morning + dt.timedelta(hours=3), settings) == 0  # the same day: nothing
    overdue = [a for a in rows(engine, Alert) if a.event == "follow_up.overdue"]
    assert [a.record_id for a in overdue] == [late.id]
    worker(engine, settings, clock=lambda: morning + dt.timedelta(minutes=1)).tick()
    subjects = sorted(m["Subject"] for m in mail.wait_for(2))
    assert subjects == ["1 follow-up past the check-by date (Trust A)",
                        f"A follow-up was marked \"Not done\": {not_done.reference} (Trust A)"]
    digest = next(m for m in mail.messages if "past the check-by" in m["Subject"]).get_content()
    assert late.reference in digest and done.reference not in digest and not_done.reference not in digest
    # The next day, still not confirmed: a new digest lists it again, but it is not alerted twice.
    with Session(engine) as session:
        check_overdue(session, morning + dt.timedelta(days=1), settings)
    worker(engine, settings, clock=lambda: morning + dt.timedelta(days=1, minutes=1)).tick()
    assert len(mail.wait_for(3)) == 3
    assert len([a for a in rows(engine, Alert) if a.event == "follow_up.overdue"]) == 1
    assert sorted(json.loads(c.body)["type"] for c in hook.accepted()) == ["follow_up.not_done", "follow_up.overdue"]


def test_two_workers_make_the_day_s_digest_once(engine, settings, people, mail):
    record = recorded(engine, people["sam"], SHARE)
    with Session(engine) as session:
        amend(session=session, actor=people["sam"], record_id=record.id, kind="details", data={},
              check_by=dt.date(2026, 12, 1))
    morning = dt.datetime(2026, 12, 8, 8, tzinfo=dt.UTC)
    barrier = threading.Barrier(4)
    results = []

    def check():
        barrier.wait()
        with Session(engine) as session:
            results.append(check_overdue(session, morning, settings))

    threads = [threading.Thread(target=check) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 2  # each organisation's day made by exactly one of the four
    assert len(rows(engine, DigestDay)) == 2
    assert len(rows(engine, Delivery, Delivery.event == "digest.overdue")) == 1


# -- delivered exactly once -------------------------------------------------------------------------


def test_smtp_down_then_up_is_delivered_once(engine, settings, people, mail):
    mail.stop()
    recorded(engine, people["sam"])
    clock = [dt.datetime.now(dt.UTC)]
    down = worker(engine, settings, clock=lambda: clock[0])
    down.tick()
    [row] = rows(engine, Delivery, Delivery.channel == "email")
    assert row.status == "pending" and row.tries == 1 and "Connection" in row.last_error
    assert row.next_try_at.replace(tzinfo=dt.UTC) - clock[0] == dt.timedelta(seconds=30)
    down.tick()  # not due yet: not tried again
    assert rows(engine, Delivery, Delivery.channel == "email")[0].tries == 1
    mail.start()
    clock[0] += dt.timedelta(seconds=31)
    down.tick()
    assert len(mail.wait_for(1)) == 1
    clock[0] += dt.timedelta(hours=2)
    down.tick()
    assert len(mail.messages) == 1
    assert rows(engine, Delivery, Delivery.channel == "email")[0].status == "sent"


def test_a_message_that_fails_for_24_hours_is_marked_failed_and_shown_to_admins(engine, settings, people, mail):
    mail.stop()
    recorded(engine, people["sam"])
    start = dt.datetime.now(dt.UTC)
    clock = [start]
    stuck = worker(engine, settings, clock=lambda: clock[0])
    tries = 0
    while clock[0] - start < dt.timedelta(hours=25):
        stuck.tick()
        tries += 1
        clock[0] += dt.timedelta(minutes=10)
    [row] = rows(engine, Delivery, Delivery.channel == "email")
    assert row.status == "failed" and 24 <= row.tries <= 32
    with Session(engine) as session:
        admin = create_user(session=session, org_id="trust-a", username="ada", name="Ada", role="IT",
                            password=None, access="admin")
        as_admin = Actor("trust-a", "Ada", "IT", admin.id, access="admin")
        [line] = delivery_log(session=session, actor=as_admin, failed_only=True)
        assert (line.channel, line.to, line.status) == ("email", "lee", "failed")
        with pytest.raises(Refused):
            delivery_log(session=session, actor=people["lee"])


def test_a_webhook_receiver_that_fails_twice_gets_it_once_signed(engine, settings, people, hook):
    hook.fail_first = 2
    record = recorded(engine, people["sam"])
    clock = [dt.datetime.now(dt.UTC)]
    sender = worker(engine, settings, clock=lambda: clock[0])
    for _ in range(3):
        sender.tick()
        clock[0] += dt.timedelta(minutes=5)
    assert [c.answered for c in hook.calls] == [500, 500, 204]
    # The same id on every try, so a receiver could drop a repeat; a valid signature each time.
    assert len({c.headers["webhook-id"] for c in hook.calls}) == 1
    verifier = standardwebhooks.Webhook(SECRET)
    for call in hook.calls:
        payload = verifier.verify(call.body, call.headers)
        assert payload["type"] == "decision.recorded" and payload["data"]["reference"] == record.reference
    with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
        standardwebhooks.Webhook("whsec_" + "A" * 32).verify(hook.calls[-1].body, hook.calls[-1].headers)


def test_two_workers_never_send_the_same_message(engine, settings, people, mail, monkeypatch):
    monkeypatch.setattr(delivery_module, "BATCH", 5)
    for _ in range(30):
        recorded(engine, people["sam"])
    workers = [worker(engine, settings, name=f"w{n}") for n in range(3)]
    barrier = threading.Barrier(len(workers))

    def run(w):
        barrier.wait()
        w.tick()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    messages = mail.wait_for(30)
    ids = [m["Message-ID"] for m in messages]
    assert len(ids) == 30 and len(set(ids)) == 30
    assert all(d.status == "sent" for d in rows(engine, Delivery))


def test_a_restart_between_queueing_and_sending_loses_nothing(engine, settings, people, mail):
    record = recorded(engine, people["sam"])
    engine.dispose()  # the process that queued it is gone; a new one starts
    assert worker(engine, settings).tick() == 2
    assert record.reference in mail.wait_for(1)[0]["Subject"]


def test_a_claim_left_by_a_worker_that_died_is_taken_once_it_runs_out(engine, settings, people, mail):
    recorded(engine, people["sam"])
    now = dt.datetime.now(dt.UTC)
    died = worker(engine, settings, name="died")
    claimed = died.claim(now)  # claimed, then the process died before sending
    assert len(claimed) == 2
    other = worker(engine, settings, clock=lambda: now + dt.timedelta(seconds=10))
    assert other.tick() == 0  # still held
    later = worker(engine, settings, clock=lambda: now + dt.timedelta(seconds=delivery_module.CLAIM_SECONDS + 1))
    assert later.tick() == 2
    assert len(mail.wait_for(1)) == 1


def test_a_lead_who_turns_alerts_off_before_sending_is_not_emailed(engine, settings, people, mail):
    recorded(engine, people["sam"])
    with Session(engine) as session:
        alerts_service.set_own_alerts(session=session, actor=people["lee"], on=False)
    worker(engine, settings).tick()
    [row] = rows(engine, Delivery, Delivery.channel == "email")
    assert row.status == "cancelled" and mail.messages == []


def test_without_smtp_alerts_stay_in_the_widget(engine, people, monkeypatch):
    quiet = Outbound(mail=None, webhooks=(), origin=ORIGIN)
    monkeypatch.setattr(alerts_service, "outbound", lambda: quiet)
    recorded(engine, people["sam"])
    assert len(rows(engine, Alert)) == 1 and rows(engine, Delivery) == []


def test_outbox_counts_stay_in_step(engine, settings, people):
    """One email per event per lead: the unique key refuses a second."""
    recorded(engine, people["sam"])
    [row] = rows(engine, Delivery, Delivery.channel == "email")
    with Session(engine) as session:
        session.add(Delivery(id="x" * 32, org_id=row.org_id, channel=row.channel, target=row.target, topic=row.topic,
                             event=row.event, payload_json="{}"))
        with pytest.raises(Exception):
            session.commit()
        session.rollback()
        assert session.scalar(select(func.count()).select_from(Delivery)) == 2


# -- addresses ------------------------------------------------------------------------------------


def test_create_user_takes_an_email_and_refuses_a_bad_one_before_the_password(engine):
    import subprocess
    import sys

    env = {"REFLEX_DB_URL": engine.url.render_as_string(hide_password=False), "PATH": "/usr/bin:/bin"}

    def run(*args, stdin=""):
        return subprocess.run([sys.executable, "-m", "infoshare_widget", *args], input=stdin, env=env,
                              capture_output=True, text=True, timeout=120)

    bad = run("create-user", "trust-a", "lee", "Lee Lead", "DSL", "--access", "lead", "--email", "lee@@trust")
    assert bad.returncode == 1 and "'lee@@trust' is not an email address" in bad.stderr
    made = run("create-user", "trust-a", "lee", "Lee Lead", "DSL", "--access", "lead", "--email",
               "Lee@Trust-A.example.org", stdin="a long test password\n")
    assert made.returncode == 0, made.stderr
    with Session(engine) as session:
        [lee] = session.exec(select(AppUser).where(AppUser.username == "lee")).scalars().all()
        assert lee.email == "Lee@trust-a.example.org" and lee.alerts_by_email


def test_an_admin_sets_and_clears_an_address_and_a_bad_one_changes_nothing(engine, people):
    with Session(engine) as session:
        admin = create_user(session=session, org_id="trust-a", username="ada", name="Ada", role="IT",
                            password=None, access="admin")
        ada = Actor("trust-a", "Ada", "IT", admin.id, access="admin")
        lee_id = people["lee"].user_id
        with pytest.raises(RecordError, match="is not an email address"):
            admin_service.set_email(session=session, actor=ada, user_id=lee_id, email="not-an-address")
        assert session.get(AppUser, lee_id).email == "lee@trust-a.example.org"
        admin_service.set_email(session=session, actor=ada, user_id=lee_id, email="lee.new@trust-a.example.org")
        session.expire_all()
        assert session.get(AppUser, lee_id).email == "lee.new@trust-a.example.org"
        admin_service.set_email(session=session, actor=ada, user_id=lee_id, email="")
        session.expire_all()
        assert session.get(AppUser, lee_id).email is None
        # Another organisation's account is not found, and a lead may not set addresses.
        with pytest.raises(RecordError):
            admin_service.set_email(session=session, actor=ada, user_id=people["bo"].user_id, email="x@y.example.org")
        with pytest.raises(Refused):
            admin_service.set_email(session=session, actor=people["lee"], user_id=lee_id, email="x@y.example.org")
        admin_service.create_account(session=session, actor=ada, username="new.lead", name="New", role="DSL",
                                     access="lead", email="new.lead@trust-a.example.org")
        made = session.exec(select(AppUser).where(AppUser.username == "new.lead")).scalars().one()
        assert made.email == "new.lead@trust-a.example.org"
        logged = [t for (t,) in session.execute(select(AccessLog.target).where(AccessLog.action == "admin"))]
        assert "set the email address of lee" in logged and not any("lee.new@" in t for t in logged)
