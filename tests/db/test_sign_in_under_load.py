"""Signing in when many attempts arrive at once, on SQLite and a real PostgreSQL (December security
review): Argon2 runs with no database transaction open, so records stay readable while sign-ins
fail; parallel attempts cannot slip past the throttle; a code or recovery code works once however
many arrive together; a flood of throttled attempts leaves one log entry a minute; and what was
typed for an account that does not exist is never stored as typed."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher
from sqlmodel import Session, select

from infoshare_widget.auth import accounts, sign_in
from infoshare_widget.auth.accounts import create_user, give_code, redeem_reset
from infoshare_widget.admin.service import reset_password
from infoshare_widget.auth.rules import ACCOUNT_LIMIT, NOT_RIGHT
from infoshare_widget.auth.second_factor import code_at, new_recovery_codes
from infoshare_widget.auth import second_factor
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.base.models import AccessLog
from infoshare_widget.auth.models import AppUser, RecoveryCode, SignInFailure
from infoshare_widget.base.acting import Actor
from infoshare_widget.records.service import list_records, record_decision

PASSWORD = "a long enough password"
CLIENT = "203.0.113.5"
# Long enough that a database held by a sign-in would show (SQLite's busy timeout is 30 s); short
# enough that the test fails in seconds, not minutes.
HELD = 10


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", hasher)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", hasher.hash("not a real password"))
    return hasher


class HeldHasher:
    """Argon2 that waits inside verify and hash until released: a sign-in caught mid-check."""

    def __init__(self, real: PasswordHasher):
        self.real, self.inside, self.release = real, threading.Semaphore(0), threading.Event()

    def _hold(self):
        self.inside.release()
        assert self.release.wait(60), "never released"

    def verify(self, hashed, password):
        self._hold()
        return self.real.verify(hashed, password)

    def hash(self, password):
        self._hold()
        return self.real.hash(password)

    def __getattr__(self, name):
        return getattr(self.real, name)


def _in_own_session(engine, work):
    def run():
        with Session(engine) as session:
            return work(session)
    return run


@pytest.fixture
def sam(engine):
    with Session(engine) as session:
        return create_user(session=session, org_id="trust-a", username="sam", name="Sam Jones", role="Nurse",
                           password=PASSWORD)


def test_records_stay_readable_while_many_sign_ins_check_passwords(engine, sam, monkeypatch, cheap_hashes):
    """Eight failed sign-ins, all caught inside Argon2 at once: a records list (which writes its access
    log entry) and a new record both complete meanwhile. Before, each sign-in checked the password
    inside its transaction, and on SQLite that held the whole database."""
    held = HeldHasher(cheap_hashes)
    monkeypatch.setattr(accounts, "_hasher", held)
    lead = Actor("trust-a", "Lee", "DSL", access="lead", account="lee")
    with ThreadPoolExecutor(10) as pool:
        signing = [pool.submit(_in_own_session(engine, lambda s, n=n: sign_in(
            session=s, org_id="trust-a", username="sam" if n % 2 else f"nobody{n}", password="wrong password",
            client=f"192.0.2.{n}"))) for n in range(8)]
        for _ in signing:
            assert held.inside.acquire(timeout=HELD), "every sign-in reaches the password check"
        try:
            listed = pool.submit(_in_own_session(engine, lambda s: list_records(session=s, actor=lead)))
            recorded = pool.submit(_in_own_session(engine, lambda s: record_decision(
                session=s, actor=lead, chart=get_chart(), answers={"immediate_danger": "yes"})))
            assert listed.result(timeout=HELD).items == []
            assert recorded.result(timeout=HELD).reference.startswith("IS-")
        finally:
            held.release.set()
        assert {future.result(timeout=HELD).message for future in signing} == {NOT_RIGHT}


def test_a_new_password_is_hashed_with_no_transaction_open(engine, sam, monkeypatch, cheap_hashes):
    admin = Actor("trust-a", "Ada", "Admin", access="admin", account="ada")
    with Session(engine) as session:
        session.exec(select(AppUser)).all()
        admin_user = create_user(session=session, org_id="trust-a", username="ada", name="Ada", role="Admin",
                                 password=PASSWORD, access="admin")
        other = create_user(session=session, org_id="trust-a", username="al", name="Al", role="Admin",
                            password=PASSWORD, access="admin")
        code = reset_password(session=session, actor=Actor("trust-a", "Ada", "Admin", admin_user.id,
                                                           access="admin"), user_id=other.id)
    held = HeldHasher(cheap_hashes)
    monkeypatch.setattr(accounts, "_hasher", held)
    with ThreadPoolExecutor(2) as pool:
        resetting = pool.submit(_in_own_session(engine, lambda s: redeem_reset(
            session=s, org_id="trust-a", username="al", code=code, password="a brand new password", client=CLIENT)))
        assert held.inside.acquire(timeout=HELD)
        try:
            lead = Actor("trust-a", "Lee", "DSL", access="lead", account="lee")
            assert pool.submit(_in_own_session(engine, lambda s: list_records(session=s, actor=lead))).result(
                timeout=HELD).items == []
        finally:
            held.release.set()
        assert resetting.result(timeout=HELD) == ""
    del admin


def test_parallel_attempts_cannot_slip_past_the_throttle(engine, sam):
    start = threading.Barrier(12)

    def attempt(session):
        start.wait(timeout=HELD)
        return sign_in(session=session, org_id="trust-a", username="sam", password="wrong password",
                       client=CLIENT).message

    with ThreadPoolExecutor(12) as pool:
        messages = [f.result(timeout=60) for f in [pool.submit(_in_own_session(engine, attempt)) for _ in range(12)]]
    assert messages.count(NOT_RIGHT) == ACCOUNT_LIMIT
    assert all(m.startswith("Too many attempts") for m in messages if m != NOT_RIGHT)


def _lead_waiting(engine, count: int) -> tuple[AppUser, list[str]]:
    """A lead with an authenticator, and `count` first steps waiting for its code."""
    with Session(engine) as session:
        lee = create_user(session=session, org_id="trust-a", username="lee", name="Lee", role="DSL",
                          password=PASSWORD, access="lead", with_second_factor=True)
        secrets = [sign_in(session=session, org_id="trust-a", username="lee", password=PASSWORD,
                           client=CLIENT).secret for _ in range(count)]
    return lee, secrets


@pytest.mark.parametrize("which", ["authenticator code", "recovery code"])
def test_a_code_sent_many_times_at_once_works_once(engine, which):
    lee, waiting = _lead_waiting(engine, 6)
    if which == "recovery code":
        code = new_recovery_codes()[0]
        with Session(engine) as session:
            session.add(RecoveryCode(user_id=lee.id, code_hash=second_factor.code_hash(code)))
            session.commit()
    else:
        code = code_at(lee.totp_secret, dt.datetime.now(dt.UTC))
    start = threading.Barrier(len(waiting))

    def attempt(secret):
        def run(session):
            start.wait(timeout=HELD)
            return give_code(session=session, secret=secret, code=code, client=CLIENT).secret
        return run

    with ThreadPoolExecutor(len(waiting)) as pool:
        opened = [f.result(timeout=60) for f in [pool.submit(_in_own_session(engine, attempt(s))) for s in waiting]]
    assert len([secret for secret in opened if secret]) == 1


def test_a_flood_of_throttled_attempts_leaves_one_log_entry_a_minute(engine, sam):
    t0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    with Session(engine) as session:
        for n in range(ACCOUNT_LIMIT):
            sign_in(session=session, org_id="trust-a", username="sam", password="wrong", client=CLIENT,
                    now=t0 + dt.timedelta(seconds=n))
        for n in range(50):
            refused = sign_in(session=session, org_id="trust-a", username="sam", password="wrong", client=CLIENT,
                              now=t0 + dt.timedelta(seconds=10 + n))
            assert refused.retry_after is not None
        sign_in(session=session, org_id="trust-a", username="sam", password="wrong", client=CLIENT,
                now=t0 + dt.timedelta(minutes=2))
        refusals = session.exec(select(AccessLog).where(AccessLog.outcome == "refused")).all()
    assert len(refusals) == 2


def test_what_was_typed_for_no_account_is_never_stored_as_typed(engine, sam):
    typed = "Tr0ub4dor&3-typed-in-the-wrong-box"
    with Session(engine) as session:
        for org in ("trust-a", "no-such-org"):
            sign_in(session=session, org_id=org, username=typed, password="x", client=CLIENT)
        stored = [str(v) for row in session.exec(select(SignInFailure)).all() for v in row.model_dump().values()]
        stored += [str(v) for row in session.exec(select(AccessLog)).all() for v in row.model_dump().values()]
        logged = session.exec(select(AccessLog)).all()
    assert not [value for value in stored if typed.lower() in value.lower()]
    # The organisation that exists sees the attempt (under a fingerprint); a made-up one logs nothing.
    assert [(e.org_id, e.who, e.outcome) for e in logged] == [("trust-a", "unknown account", "failed")]
    assert logged[0].account.startswith("#")
