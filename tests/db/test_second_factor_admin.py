"""Two-factor sign-in, the admin's account and key changes, and retention, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from infoshare_widget.base.access import Refused
from infoshare_widget.auth import resolve, sign_in
from infoshare_widget.auth.accounts import confirm_enrolment, create_user, give_code, redeem_reset, start_enrolment
from infoshare_widget.auth.rules import NOT_RIGHT
from infoshare_widget.admin.service import (
    hand_over_code,
    change_retention,
    create_account,
    create_key,
    list_keys,
    reset_password,
    reset_second_factor,
    revoke_key,
    set_active,
    set_level,
)
from infoshare_widget.auth.api_keys import key_actor
from infoshare_widget.base.access_log import read_log
from infoshare_widget.auth.second_factor import code_at
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.base.models import AccessLog
from infoshare_widget.auth.models import AppUser, RecoveryCode
from infoshare_widget.records.models import DecisionRecord, RecordAmendment
from infoshare_widget.records.retention import due, purge
from infoshare_widget.base.acting import Actor, RecordError
from infoshare_widget.records.service import amend, get_record, list_records, record_decision, verify_chain

CHART = get_chart()
PASSWORD = "a long enough password"
T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
CLIENT = "203.0.113.5"


def at(minutes: float = 0) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def _user(session, username="lee", access="lead", **kw) -> AppUser:
    return create_user(session=session, org_id="trust-a", username=username, name=username.title(), role="DSL",
                       password=PASSWORD, access=access, **kw)


def _first_step(session, username="lee", now=T0):
    return sign_in(session=session, org_id="trust-a", username=username, password=PASSWORD, client=CLIENT, now=now)


def test_a_recorder_needs_no_code_and_a_lead_does(session):
    _user(session, "sam", "recorder")
    _user(session, "lee", "lead", with_second_factor=True)
    assert _first_step(session, "sam").waiting_for is None
    first = _first_step(session, "lee")
    assert first.waiting_for == "code" and first.secret
    # The first step's secret opens nothing but the code step.
    assert resolve(session=session, secret=first.secret, now=T0) is None
    lee = session.exec(select(AppUser).where(AppUser.username == "lee")).one()
    done = give_code(session=session, secret=first.secret, code=code_at(lee.totp_secret, T0), client=CLIENT, now=T0)
    assert done.secret and done.waiting_for is None
    assert resolve(session=session, secret=done.secret, now=T0).actor.access == "lead"
    # The first step's secret is used up.
    assert give_code(session=session, secret=first.secret, code="000000", client=CLIENT, now=T0).secret is None


def test_a_code_works_once_and_wrong_codes_count_toward_the_throttle(session):
    lee = _user(session, with_second_factor=True)
    code = code_at(lee.totp_secret, T0)
    first = _first_step(session)
    assert give_code(session=session, secret=first.secret, code=code, client=CLIENT, now=T0).secret
    again = _first_step(session, now=at(0.1))
    replay = give_code(session=session, secret=again.secret, code=code, client=CLIENT, now=at(0.1))
    assert replay.secret is None and "not right" in replay.message
    for n in range(4):  # with the replay, five wrong codes
        give_code(session=session, secret=again.secret, code="123456", client=CLIENT, now=at(0.2 + n / 100))
    session.refresh(lee)
    blocked = give_code(session=session, secret=again.secret, code=code_at(lee.totp_secret, at(1)), client=CLIENT,
                        now=at(1))
    assert blocked.secret is None and blocked.retry_after is not None
    # The password step is throttled too: wrong codes and wrong passwords share one count.
    assert _first_step(session, now=at(1.5)).retry_after is not None
    outcomes = [e.outcome for e in session.exec(select(AccessLog).where(AccessLog.action == "second factor"))]
    assert outcomes.count("failed") == 5 and outcomes[-1] == "refused"


def test_set_up_by_scanning_then_recovery_codes_work_once(session):
    _user(session)  # a lead with no authenticator yet
    first = _first_step(session)
    assert first.waiting_for == "enrol"
    enrolment = start_enrolment(session=session, secret=first.secret, now=T0)
    assert enrolment.uri.startswith("otpauth://totp/") and enrolment.qr.startswith("data:image/svg+xml;base64,")
    pending = session.exec(select(AppUser)).one().totp_pending
    wrong = confirm_enrolment(session=session, secret=first.secret, code="000000", client=CLIENT, now=T0)
    assert wrong.result.secret is None and wrong.recovery_codes == []
    enrolled = confirm_enrolment(session=session, secret=first.secret, code=code_at(pending, T0), client=CLIENT,
                                 now=T0)
    assert enrolled.result.secret and len(enrolled.recovery_codes) == 10
    stored = [r.code_hash for r in session.exec(select(RecoveryCode))]
    assert len(stored) == 10 and not set(enrolled.recovery_codes) & set(stored)  # kept hashed
    # Sign in again with a recovery code (typed in lower case without dashes): once only.
    spare = enrolled.recovery_codes[0].replace("-", "").lower()
    second = _first_step(session, now=at(5))
    assert second.waiting_for == "code"
    assert give_code(session=session, secret=second.secret, code=spare, client=CLIENT, now=at(5)).secret
    third = _first_step(session, now=at(6))
    assert give_code(session=session, secret=third.secret, code=spare, client=CLIENT, now=at(6)).secret is None


def test_the_admin_manages_accounts_and_every_change_is_logged(session):
    admin_user = _user(session, "ada", "admin", with_second_factor=True)
    admin = Actor("trust-a", "Ada", "Admin", admin_user.id, access="admin", account="ada", client=CLIENT)
    lead = Actor("trust-a", "Lee", "DSL", 99, access="lead", account="lee", client=CLIENT)
    # A recorder's account reads records: the admin is shown no code; a lead makes it for Sam.
    assert create_account(session=session, actor=admin, username="Sam", name="Sam Jones", role="Nurse",
                          access="recorder", now=T0) is None
    sam = session.exec(select(AppUser).where(AppUser.username == "sam")).one()
    code = hand_over_code(session=session, actor=lead, user_id=sam.id, now=T0)
    # No password until Sam sets one with the code (neither the admin nor the lead knows it).
    assert _first_step(session, "sam").secret is None
    assert redeem_reset(session=session, org_id="trust-a", username="sam", code="WRONG-CODE-0000",
                        password=PASSWORD, client=CLIENT, now=T0)
    assert redeem_reset(session=session, org_id="trust-a", username="sam", code=code.lower(), password=PASSWORD,
                        client=CLIENT, now=T0) == ""
    signed = _first_step(session, "sam", now=at(1))
    assert signed.secret and resolve(session=session, secret=signed.secret, now=at(1)).actor.access == "recorder"
    # The code is used up.
    assert redeem_reset(session=session, org_id="trust-a", username="sam", code=code, password=PASSWORD + "!",
                        client=CLIENT, now=at(2))

    set_level(session=session, actor=admin, user_id=sam.id, access="lead")
    assert resolve(session=session, secret=signed.secret, now=at(2)) is None  # sessions end on a change
    assert _first_step(session, "sam", now=at(3)).waiting_for == "enrol"
    set_active(session=session, actor=admin, user_id=sam.id, active=False)
    # Switched off: the same answer as a wrong password, so it does not say the password was right.
    off = _first_step(session, "sam", now=at(4))
    assert off.secret is None and off.message == NOT_RIGHT
    set_active(session=session, actor=admin, user_id=sam.id, active=True)
    assert reset_password(session=session, actor=admin, user_id=sam.id, now=at(5)) is None
    assert _first_step(session, "sam", now=at(6)).secret is None  # the old password no longer works
    new_code = hand_over_code(session=session, actor=lead, user_id=sam.id, now=at(5))
    assert redeem_reset(session=session, org_id="trust-a", username="sam", code=new_code, password=PASSWORD,
                        client=CLIENT, now=at(6)) == ""
    reset_second_factor(session=session, actor=admin, user_id=sam.id)
    with pytest.raises(RecordError):
        set_level(session=session, actor=admin, user_id=admin_user.id, access="recorder")
    with pytest.raises(RecordError):
        set_active(session=session, actor=admin, user_id=admin_user.id, active=False)
    # Nor lock themselves out: their own password and second factor are another admin's to reset.
    with pytest.raises(RecordError):
        reset_password(session=session, actor=admin, user_id=admin_user.id)
    with pytest.raises(RecordError):
        reset_second_factor(session=session, actor=admin, user_id=admin_user.id)
    changes = [e.target for e in session.exec(select(AccessLog).where(AccessLog.action == "admin")
                                              .order_by(AccessLog.id))]
    assert changes == ["created account sam as recorder, its code from a lead", "made a one-time code for sam",
                       "changed sam from recorder to lead", "deactivated sam", "reactivated sam",
                       "reset the password of sam, its code from a lead", "made a one-time code for sam",
                       "reset the second factor of sam"]
    # Nobody else may do any of it.
    with pytest.raises(Refused):
        create_account(session=session, actor=lead, username="x", name="X", role="Y", access="admin")
    # Nor reach another organisation's accounts.
    other = create_user(session=session, org_id="school-b", username="bo", name="Bo", role="Teacher",
                        password=PASSWORD)
    with pytest.raises(RecordError):
        set_active(session=session, actor=admin, user_id=other.id, active=False)


def test_api_keys_are_shown_once_kept_hashed_and_revocable(session):
    lead = Actor("trust-a", "Lee", "DSL", None, access="lead", account="lee")
    admin = Actor("trust-a", "Ada", "Admin", None, access="admin", account="ada")
    key = create_key(session=session, actor=lead, name="Case system")
    rows = list_keys(session=session, actor=admin)
    assert [(r.name, r.revoked, r.last_used_at) for r in rows] == [("Case system", False, None)]
    assert key not in json.dumps([r.__dict__ for r in rows], default=str)
    reader = key_actor(session=session, key=key, client=CLIENT, now=T0)
    assert (reader.org_id, reader.access, reader.name) == ("trust-a", "auditor", "Case system")
    assert list_keys(session=session, actor=admin)[0].last_used_at is not None
    revoke_key(session=session, actor=admin, key_id=rows[0].id)
    assert key_actor(session=session, key=key, client=CLIENT) is None


def test_purge_removes_content_keeps_the_chain_and_says_so(session):
    sam = Actor("trust-a", "Sam Jones", "Nurse", None, access="lead", account="sam")
    old = record_decision(session=session, actor=sam, chart=CHART, answers={"immediate_danger": "no",
                                                                              "significant_harm": "yes"},
                          now=dt.datetime(2018, 1, 5, tzinfo=dt.UTC))
    amend(session=session, actor=sam, record_id=old.id, kind="details", data={"description": "CANARY words"},
          case_reference="CASE-OLD", now=dt.datetime(2019, 3, 1, tzinfo=dt.UTC))
    recent = record_decision(session=session, actor=sam, chart=CHART, answers={"immediate_danger": "yes"},
                             now=dt.datetime(2025, 1, 5, tzinfo=dt.UTC))
    old_ref = old.reference
    assert due(session=session, org_id="trust-a", now=T0) == []  # no period set: nothing is due
    admin = Actor("trust-a", "Ada", "Admin", None, access="admin", account="ada")
    change_retention(session=session, actor=admin, years=7)
    # Seven years after the last entry (March 2019), not after the record (January 2018).
    assert due(session=session, org_id="trust-a", now=dt.datetime(2026, 2, 1, tzinfo=dt.UTC)) == []
    listed = purge(session=session, org_id="trust-a", apply=False, now=T0)
    assert [d.reference for d in listed] == [old_ref]
    assert session.get(DecisionRecord, old.id).removed_at is None  # listing removes nothing
    purge(session=session, org_id="trust-a", apply=True, now=T0)
    assert verify_chain(session=session, org_id="trust-a").ok
    view = get_record(session=session, actor=sam, record_id=old.id)
    assert view.removed_on == dt.date(2026, 12, 7) and view.details == {} and view.case_reference is None
    stored = json.dumps([r.model_dump() for r in session.exec(select(RecordAmendment))], default=str)
    stored += json.dumps(session.get(DecisionRecord, old.id).model_dump(), default=str)
    assert "CANARY" not in stored and "CASE-OLD" not in stored and "Sam Jones" not in stored.split(recent.id)[0]
    assert [v.record.id for v in list_records(session=session, actor=sam).items] == [recent.id, old.id]
    with pytest.raises(RecordError):
        amend(session=session, actor=sam, record_id=old.id, kind="details", data={"purpose": "x"})
    assert purge(session=session, org_id="trust-a", apply=True, now=T0) == []  # done once
    # Marking an entry removed by hand, without a removal in the chain, breaks verification.
    session.exec(update(DecisionRecord).where(DecisionRecord.id == recent.id).values(removed_at=T0))
    session.commit()
    report = verify_chain(session=session, org_id="trust-a")
    assert not report.ok and "no removal" in report.problem


def test_the_log_is_filtered_for_leads_and_auditors_only(session):
    lead = Actor("trust-a", "Lee", "DSL", None, access="lead", account="lee")
    sam = Actor("trust-a", "Sam Jones", "Nurse", None, access="lead", account="sam")
    record = record_decision(session=session, actor=sam, chart=CHART, answers={"immediate_danger": "yes"})
    get_record(session=session, actor=sam, record_id=record.id)
    get_record(session=session, actor=lead, record_id=record.id)
    from infoshare_widget.base.access_log import LogFilter

    rows = read_log(session=session, actor=lead, filters=LogFilter(who="sam"))
    assert [(r.who, r.action, r.target) for r in rows] == [("Sam Jones", "open", record.reference)]
    with pytest.raises(Refused):
        read_log(session=session, actor=Actor("trust-a", "R", "R", None, access="recorder"))


def test_the_commands_create_levels_print_the_uri_once_and_print_the_log(engine, tmp_path):
    url = str(engine.url.render_as_string(hide_password=False))
    env = {"REFLEX_DB_URL": url, "PATH": "/usr/bin:/bin"}

    def run(*args, stdin=""):
        return subprocess.run([sys.executable, "-m", "infoshare_widget", *args], input=stdin, env=env,
                              capture_output=True, text=True, timeout=120)

    made = run("create-user", "trust-a", "lee", "Lee Lead", "DSL", "--access", "lead", stdin=PASSWORD + "\n")
    assert made.returncode == 0 and "otpauth://totp/" in made.stdout
    plain = run("create-user", "trust-a", "sam", "Sam Jones", "Nurse", stdin=PASSWORD + "\n")
    assert plain.returncode == 0 and "otpauth" not in plain.stdout and "as recorder" in plain.stdout
    assert run("create-user", "trust-a", "x", "X", "Y", "--access", "boss", stdin=PASSWORD + "\n").returncode == 2
    with Session(engine) as session:
        _first_step(session, "sam", now=dt.datetime.now(dt.UTC))
    log = run("access-log", "trust-a", "--json")
    entries = json.loads(log.stdout)["entries"]
    assert [(e["account"], e["action"], e["outcome"]) for e in entries] == [("sam", "sign in", "ok")]
    assert run("access-log", "trust-a", "--since", "2999-01-01", "--json").stdout.count('"at"') == 0
    # The operator's way in for an organisation with nobody left who can sign in: a one-time code.
    coded = run("reset-code", "trust-a", "lee")
    assert coded.returncode == 0 and "One-time code for 'lee'" in coded.stdout
    code = coded.stdout.split(": ")[-1].splitlines()[0].strip()
    with Session(engine) as session:
        assert redeem_reset(session=session, org_id="trust-a", username="lee", code=code,
                            password="a new long password", client=CLIENT) == ""
    assert run("reset-code", "trust-a", "nobody").returncode == 1
    assert run("set-retention", "trust-a", "7").returncode == 0
    purged = run("purge", "trust-a")
    assert purged.returncode == 0 and "Due for removal: 0 record(s)." in purged.stdout


def test_the_commands_set_up_an_organisation_verify_its_chain_and_rebuild_the_facts(engine):
    """Each subcommand of the one command line answers with its own words and exit status."""
    url = str(engine.url.render_as_string(hide_password=False))
    env = {"REFLEX_DB_URL": url, "PATH": "/usr/bin:/bin"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "infoshare_widget", *args], env=env, capture_output=True,
                              text=True, timeout=120)

    made = run("create-org", "trust-new", "A new trust")
    assert made.returncode == 0 and made.stdout.strip() == "Organisation 'trust-new' is ready."
    checked = run("verify", "trust-new")
    assert checked.returncode == 0 and json.loads(checked.stdout)["ok"] is True
    rebuilt = run("insight-rebuild")
    assert rebuilt.returncode == 0 and rebuilt.stdout.startswith("Insight facts written again for ")
    applied = run("purge", "trust-new", "--apply")
    assert applied.returncode == 0 and "The chain still verifies." in applied.stdout
    refused = run("set-retention", "trust-new", "seven")
    assert refused.returncode == 1 and refused.stderr.strip() and not refused.stdout
    assert run("no-such-command").returncode == 2
