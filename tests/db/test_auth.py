"""Signing in on SQLite and a real PostgreSQL: passwords with the throttle, sessions that end when
idle or old, sign-out and purging, partner tokens (only from their own pages), and records that
keep a token's issuer and subject."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

import jwt
from argon2 import PasswordHasher
import pytest
from sqlalchemy import event, func, update
from sqlmodel import Session, select

from infoshare_widget.embed.tokens import TokenRejected
from infoshare_widget.embed.identity import accept_identity_token
from infoshare_widget.auth import create_user, purge_expired, resolve, sign_in, sign_out
from infoshare_widget.auth import accounts
from infoshare_widget.auth.sessions import open_session
from infoshare_widget.embed.tokens import Partner
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.base.models import AccessLog
from infoshare_widget.records.models import DecisionRecord, RecordAmendment
from infoshare_widget.auth.models import SignInFailure, UserSession
from infoshare_widget.records.service import (
    NotFound,
    amend,
    get_record,
    record_content,
    record_decision,
    verify_chain,
)
from infoshare_widget.base.acting import Actor, RecordError

LEAD_A = Actor("trust-a", "Lee Lead", "Designated safeguarding lead", access="lead")
LEAD_B = Actor("school-b", "Bo Lead", "Designated safeguarding lead", access="lead")


T0 = dt.datetime(2026, 11, 26, 21, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"
NOT_RIGHT = "The organisation, username or password is not right"
CHART = get_chart()
REFER = {"immediate_danger": "no", "significant_harm": "yes"}


def at(minutes: float = 0, seconds: float = 0) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes, seconds=seconds)


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """Argon2 with the least work, so the throttle's many attempts take milliseconds, not seconds."""
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", hasher)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", hasher.hash("not a real password"))


@pytest.fixture
def sam(engine):
    # Made in a session of its own, so no test's session starts with a transaction open.
    with Session(engine) as session:
        return create_user(session=session, org_id="trust-a", username="Sam", name="Sam Jones",
                           role="Health visitor", password=PASSWORD)


def attempt(session, password=PASSWORD, *, username="sam", org_id="trust-a", client="203.0.113.7", now=T0):
    return sign_in(session=session, org_id=org_id, username=username, password=password, client=client, now=now)


def session_row(session, secret) -> UserSession | None:
    session.expire_all()
    return session.get(UserSession, hashlib.sha256(secret.encode()).hexdigest())


# -- accounts and sign-in --------------------------------------------------------------------------


def test_accounts_need_an_organisation_a_long_password_and_a_new_name(session, sam):
    for org_id, username, password, problem in [
        ("nowhere", "pat", PASSWORD, "no organisation"),
        ("trust-a", "pat", "short", "at least 12"),
        ("trust-a", " SAM ", PASSWORD, "already has an account"),
    ]:
        with pytest.raises(RecordError, match=problem):
            create_user(session=session, org_id=org_id, username=username, name="Pat", role="Nurse", password=password)
    assert sam.username == "sam" and sam.password_hash.startswith("$argon2") and PASSWORD not in sam.password_hash


def test_sign_in_gives_a_secret_whose_hash_alone_is_stored(session, sam):
    result = attempt(session, username=" SAM ", org_id=" trust-a ")
    assert result.message == "" and result.retry_after is None and len(result.secret) == 43
    assert (result.who.actor.name, result.who.actor.user_id, result.who.organisation_name) == ("Sam Jones", sam.id,
                                                                                                "Trust A")
    assert result.who.expires_at == at(8 * 60)
    stored = session.exec(select(UserSession)).all()
    assert [row.token_hash for row in stored] == [hashlib.sha256(result.secret.encode()).hexdigest()]
    assert resolve(session=session, secret=result.secret, now=at(1)) == result.who


@pytest.mark.parametrize(
    ("org_id", "username", "password"),
    [("trust-a", "sam", "wrong password!"), ("trust-a", "nobody", PASSWORD), ("school-b", "sam", PASSWORD),
     ("nowhere", "sam", PASSWORD), ("trust-a", "sam", "")],
)
def test_a_wrong_organisation_username_or_password_gets_one_message(session, sam, org_id, username, password):
    result = attempt(session, password, username=username, org_id=org_id)
    assert (result.secret, result.who, result.message, result.retry_after) == (None, None, NOT_RIGHT, None)
    assert session.exec(select(func.count()).select_from(UserSession)).one() == 0
    assert session.exec(select(func.count()).select_from(SignInFailure)).one() == 1


def test_an_unknown_username_costs_a_password_check_too(session, sam, monkeypatch):
    checked = []
    real = accounts._hasher

    class Spy:
        def verify(self, stored, password):
            checked.append(stored)
            return real.verify(stored, password)

    monkeypatch.setattr(accounts, "_hasher", Spy())
    attempt(session, username="nobody")
    assert checked == [accounts._DUMMY_HASH]


def test_long_typed_values_are_cut_to_the_columns_not_an_error(session, sam):
    result = attempt(session, "x" * 300, username="u" * 500, org_id="o" * 500, client="c" * 500)
    assert result.message == NOT_RIGHT


# -- the throttle ----------------------------------------------------------------------------------


def test_five_failures_lock_the_account_without_looking_at_the_password(session, sam, monkeypatch):
    for n in range(5):
        assert attempt(session, "wrong password!", now=at(seconds=n)).message == NOT_RIGHT

    class MustNotVerify:
        def verify(self, *_args):
            raise AssertionError("the password was checked during a lock")

    monkeypatch.setattr(accounts, "_hasher", MustNotVerify())
    locked = attempt(session, PASSWORD, now=at(1))  # the right password is refused too
    assert locked.secret is None and locked.who is None
    assert locked.retry_after == at(15) and locked.message == "Too many attempts. Try again after 21:15."
    monkeypatch.undo()
    # Refused attempts do not count, so trying again does not push the time back.
    assert attempt(session, PASSWORD, now=at(14, 59)).retry_after == at(15)
    opened = attempt(session, PASSWORD, now=at(15))
    assert opened.secret and opened.who.actor.user_id == sam.id


def test_a_good_sign_in_clears_the_account_s_failures(session, sam):
    for n in range(4):
        attempt(session, "wrong password!", now=at(seconds=n))
    assert attempt(session, now=at(1)).secret
    for n in range(4):
        assert attempt(session, "wrong password!", now=at(2, n)).message == NOT_RIGHT
    assert attempt(session, now=at(3)).secret


@pytest.mark.parametrize(
    ("other", "locked"),
    [
        ({}, True),  # the same account from another address: the account is locked
        ({"org_id": "school-b"}, False),  # the same username in another organisation
        ({"username": "alex"}, False),  # another account
    ],
)
def test_the_account_lock_is_per_organisation_and_username(session, sam, other, locked):
    create_user(session=session, org_id="school-b", username="sam", name="Sam Brown", role="Teacher", password=PASSWORD)
    create_user(session=session, org_id="trust-a", username="alex", name="Alex Lee", role="Nurse", password=PASSWORD)
    for n in range(5):
        attempt(session, "wrong password!", now=at(seconds=n))
    result = attempt(session, **{"client": "198.51.100.9", "now": at(1), **other})
    assert (result.retry_after is not None) is locked and (result.secret is None) is locked


def test_failures_older_than_the_window_do_not_count(session, sam):
    for n in range(5):
        attempt(session, "wrong password!", now=at(seconds=n))
    assert attempt(session, now=at(15, 4)).secret  # the last of the five is more than 15 minutes old


def test_twenty_failures_from_one_address_lock_that_address_for_every_account(session, sam):
    for n in range(20):
        result = attempt(session, "wrong password!", username=f"guess{n}", now=at(seconds=n))
        assert result.message == NOT_RIGHT
    refused = attempt(session, PASSWORD, now=at(1))
    assert refused.secret is None and refused.retry_after == at(15)
    assert attempt(session, PASSWORD, client="198.51.100.9", now=at(1)).secret  # another address
    assert attempt(session, PASSWORD, now=at(15)).secret


def test_the_limits_hold_across_sessions_and_processes(engine, sam):
    # Each attempt in its own database session: the counts live in the database, not in memory.
    for n in range(5):
        with Session(engine) as session:
            attempt(session, "wrong password!", now=at(seconds=n))
    with Session(engine) as session:
        assert attempt(session, now=at(1)).retry_after == at(15)


def test_failed_and_refused_sign_ins_are_logged_without_passwords_or_secrets(session, sam, caplog):
    caplog.set_level(logging.INFO, logger="infoshare_widget.auth")
    secret = attempt(session, now=at(0)).secret
    for n in range(5):
        attempt(session, f"wrong password {n}!", now=at(1, n))
    attempt(session, PASSWORD, now=at(2))
    attempt(session, "wrong password!", username="nobody\nforged line", now=at(3))
    lines = [r.getMessage() for r in caplog.records]
    assert len([line for line in lines if "sign-in failed" in line]) == 6
    refused = [line for line in lines if "sign-in refused" in line]
    assert refused == [f"sign-in refused: org='trust-a' account='sam' client='203.0.113.7' reason=throttled "
                       f"until={at(16).isoformat()}"]
    assert "reason=wrong_password" in lines[0] and "reason=no_such_account" in lines[-1]
    assert all("\n" not in line for line in lines)
    text = caplog.text
    assert "wrong password" not in text and PASSWORD not in text and secret not in text
    # A username that belongs to no account (perhaps a password typed in the wrong box) is logged
    # only as its fingerprint.
    assert "nobody" not in text and "forged" not in text


# -- sessions --------------------------------------------------------------------------------------


def test_an_unused_session_ends_after_the_idle_time(session, sam):
    live = attempt(session).secret
    assert resolve(session=session, secret=live, now=at(29, 59)) is not None
    idle = attempt(session).secret
    assert resolve(session=session, secret=idle, now=at(30)) is None


def test_the_idle_time_is_configurable(session, sam, monkeypatch):
    monkeypatch.setenv("INFOSHARE_SESSION_IDLE_MINUTES", "5")
    secret = attempt(session).secret
    assert resolve(session=session, secret=secret, now=at(4, 59)) is not None
    assert resolve(session=session, secret=secret, now=at(9, 58)) is not None  # counted from the last use
    assert resolve(session=session, secret=secret, now=at(14, 59)) is None


def test_a_session_in_use_still_ends_eight_hours_after_sign_in(session, sam):
    secret = attempt(session).secret
    for minutes in range(20, 8 * 60, 20):
        assert resolve(session=session, secret=secret, now=at(minutes)) is not None, minutes
    assert resolve(session=session, secret=secret, now=at(8 * 60 - 1)) is not None
    assert resolve(session=session, secret=secret, now=at(8 * 60)) is None


def test_use_moves_last_seen_at_most_once_a_minute(session, sam):
    secret = attempt(session).secret
    resolve(session=session, secret=secret, now=at(0, 59))
    assert session_row(session, secret).last_seen_at == T0
    resolve(session=session, secret=secret, now=at(1, 30))
    assert session_row(session, secret).last_seen_at == at(1, 30)


def test_resolving_takes_one_statement_or_two_when_last_seen_moves(engine, sam):
    with Session(engine) as session:
        secret = attempt(session).secret
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        with Session(engine) as session:
            assert resolve(session=session, secret=secret, now=at(0, 30)) is not None
        quiet = [s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "PRAGMA"))]
        assert len(quiet) == 1 and "JOIN" in quiet[0]
        statements.clear()
        with Session(engine) as session:
            assert resolve(session=session, secret=secret, now=at(5)) is not None
        moved = [s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "PRAGMA"))]
        assert len(moved) == 2 and moved[1].lstrip().upper().startswith("UPDATE")
    finally:
        event.remove(engine, "before_cursor_execute", listener)


@pytest.mark.parametrize("secret", ["", "not a session", "x" * 5000, None])
def test_unknown_secrets_resolve_to_no_one(session, sam, secret):
    attempt(session)
    assert resolve(session=session, secret=secret, now=at(1)) is None


def test_sign_out_deletes_the_server_session(session, sam):
    secret = attempt(session).secret
    other = attempt(session).secret
    sign_out(session=session, secret=secret)
    assert session_row(session, secret) is None and resolve(session=session, secret=secret, now=at(1)) is None
    assert resolve(session=session, secret=other, now=at(1)) is not None
    sign_out(session=session, secret=secret)  # twice, or an unknown one: nothing happens
    sign_out(session=session, secret="")


def test_purge_deletes_expired_and_idle_sessions_only(session, sam):
    def opened(*, used: dt.datetime, expires: dt.datetime) -> str:
        secret = open_session(session=session, org_id="trust-a", user_id=sam.id, now=used, expires_at=expires)
        return secret

    old = opened(used=at(-5), expires=T0)  # past its 8 hours, though used lately
    idle = opened(used=at(-30), expires=at(60))  # unused for the idle time
    live = opened(used=at(-29, -59), expires=at(60))
    assert purge_expired(session=session, now=T0) == 2
    assert session_row(session, old) is None and session_row(session, idle) is None
    assert session_row(session, live) is not None
    assert purge_expired(session=session, now=T0) == 0


def test_sign_in_purges_as_it_goes(session, sam):
    old = attempt(session, now=at(-9 * 60)).secret
    attempt(session, "wrong password!", now=at(-20))
    attempt(session, now=T0)
    assert session_row(session, old) is None
    assert session.exec(select(func.count()).select_from(SignInFailure)).one() == 0


# -- partner tokens --------------------------------------------------------------------------------

SECRET = "s" * 40
ISSUER = "https://intranet.trust.example"
PAGE = "https://intranet.trust.example"
PARTNERS = {
    ISSUER: Partner(ISSUER, "HS256", SECRET, ("trust-a",), (PAGE,)),
    "https://school.example": Partner("https://school.example", "HS256", "t" * 40, ("school-b",)),
}
AUDIENCE = "infoshare-widget"


def token(sub="u-1", name="Priya Shah", jti="jti-1", issuer=ISSUER, org="trust-a", key=SECRET, lasts=600):
    return jwt.encode({"iss": issuer, "aud": AUDIENCE, "sub": sub, "name": name, "role": "Health visitor",
                       "org": org, "iat": int(T0.timestamp()), "exp": int(T0.timestamp()) + lasts, "jti": jti},
                      key, algorithm="HS256")


def accept(session, raw, origin=PAGE, now=T0):
    return accept_identity_token(session=session, token=raw, origin=origin, partners=PARTNERS, audience=AUDIENCE,
                                 now=now)


def test_a_partner_token_opens_a_session_resolved_like_a_password_one(session):
    secret, who = accept(session, token())
    assert len(secret) == 43
    assert (who.actor.org_id, who.actor.name, who.actor.user_id, who.actor.issuer, who.actor.subject) == (
        "trust-a", "Priya Shah", None, ISSUER, "u-1")
    assert who.organisation_name == "Trust A" and who.expires_at == at(10)
    row = session_row(session, secret)
    assert (row.user_id, row.issuer, row.subject, row.org_id) == (None, ISSUER, "u-1", "trust-a")
    assert resolve(session=session, secret=secret, now=at(9, 59)) == who
    assert resolve(session=session, secret=secret, now=at(10)) is None  # ends when the token does
    sign_out(session=session, secret=secret)
    assert session_row(session, secret) is None


def test_a_partner_s_token_from_another_site_s_page_is_refused(session, caplog):
    raw = token()
    for origin in ("https://evil.example", "https://school.example", "", "null"):
        with pytest.raises(TokenRejected) as caught:
            accept(session, raw, origin=origin)
        assert caught.value.reason == "wrong_origin"
    assert session.exec(select(func.count()).select_from(UserSession)).one() == 0
    assert raw not in caplog.text and "origin='https://evil.example' reason=wrong_origin" in caplog.text
    accept(session, raw)  # still good from its own page, once


def test_a_partner_without_listed_origins_is_accepted_from_any_page(session):
    _, who = accept(session, token(issuer="https://school.example", org="school-b", key="t" * 40),
                    origin="https://anywhere.example")
    assert who.actor.org_id == "school-b"


def test_a_token_is_used_once(session):
    raw = token()
    accept(session, raw)
    with pytest.raises(TokenRejected) as caught:
        accept(session, raw, now=at(1))
    assert caught.value.reason == "replayed"


def test_a_token_for_an_organisation_not_yet_set_up_creates_it(session):
    partners = {ISSUER: Partner(ISSUER, "HS256", SECRET, ("new-trust",), (PAGE,))}
    _, who = accept_identity_token(session=session, token=token(org="new-trust"), origin=PAGE, partners=partners,
                                   audience=AUDIENCE, now=T0)
    assert who.organisation_name == "new-trust"


# -- records keep who, by issuer and subject -------------------------------------------------------


def test_two_people_with_one_name_stay_apart_in_their_records(session):
    first, _ = accept(session, token(sub="u-1", jti="a"))
    second, _ = accept(session, token(sub="u-2", jti="b"))
    one = resolve(session=session, secret=first, now=at(1)).actor
    two = resolve(session=session, secret=second, now=at(1)).actor
    assert one.name == two.name and one != two
    mine = record_decision(session=session, actor=one, chart=CHART, answers=REFER)
    theirs = record_decision(session=session, actor=two, chart=CHART, answers=REFER)
    # Recorders: each sees and amends only their own, though the names match.
    with pytest.raises(NotFound):
        amend(session=session, actor=two, record_id=mine.id, kind="details", data={"purpose": "Referral"})
    note = amend(session=session, actor=two, record_id=theirs.id, kind="details", data={"purpose": "Referral"})
    assert (mine.recorded_by_issuer, mine.recorded_by_subject) == (ISSUER, "u-1")
    assert (theirs.recorded_by_issuer, theirs.recorded_by_subject) == (ISSUER, "u-2")
    assert (note.author_issuer, note.author_subject) == (ISSUER, "u-2")
    assert verify_chain(session=session, org_id="trust-a").ok


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        (DecisionRecord, "recorded_by_subject", "u-2"),
        (DecisionRecord, "recorded_by_subject", None),
        (DecisionRecord, "recorded_by_issuer", "https://evil.example"),
        (RecordAmendment, "author_subject", "u-2"),
        (RecordAmendment, "author_issuer", None),
    ],
)
def test_the_chain_covers_the_issuer_and_subject(session, table, column, value):
    actor = Actor("trust-a", "Priya Shah", "Health visitor", None, ISSUER, "u-1")
    record = record_decision(session=session, actor=actor, chart=CHART, answers=REFER)
    amend(session=session, actor=actor, record_id=record.id, kind="details", data={"purpose": "Referral"})
    assert verify_chain(session=session, org_id="trust-a").ok
    session.exec(update(table).values({column: value}))
    session.commit()
    assert not verify_chain(session=session, org_id="trust-a").ok


def test_records_of_account_holders_hash_as_before(session, sam):
    who = attempt(session).who
    record = record_decision(session=session, actor=who.actor, chart=CHART, answers=REFER)
    view = get_record(session=session, actor=LEAD_A, record_id=record.id)
    assert view.record.recorded_by_issuer is None and view.record.user_id == sam.id
    assert "recorded_by_issuer" not in record_content(record) and "recorded_by_subject" not in record_content(record)
    assert verify_chain(session=session, org_id="trust-a").ok


@pytest.mark.parametrize(
    ("claims", "trusted", "level"),
    [
        ({"groups": ["dsl"], "amr": ["pwd", "mfa"]}, True, "lead"),
        ({"groups": ["dsl"], "amr": ["pwd"]}, True, "recorder"),  # no second factor: recorder only
        ({"groups": ["dsl"], "amr": ["mfa"]}, False, "recorder"),  # a partner not trusted for it
        ({"groups": ["staff"], "amr": ["mfa"]}, True, "recorder"),  # unmapped
    ],
)
def test_a_partner_token_gives_its_mapped_level_only_with_a_trusted_second_factor(session, claims, trusted, level):
    partners = {ISSUER: Partner(ISSUER, "HS256", SECRET, ("trust-a",), (PAGE,), "groups", (("dsl", "lead"),),
                                trusted)}
    body = jwt.decode(token(), options={"verify_signature": False})
    raw = jwt.encode({**body, **claims}, SECRET, algorithm="HS256")
    secret, who = accept_identity_token(session=session, token=raw, origin=PAGE, partners=partners,
                                        audience=AUDIENCE, now=T0, client="198.51.100.4")
    assert who.actor.access == level
    assert resolve(session=session, secret=secret, now=T0).actor.access == level
    entry = session.exec(select(AccessLog)).one()
    assert (entry.action, entry.level, entry.client, entry.outcome) == ("sign in", level, "198.51.100.4", "ok")
    if level == "recorder" and claims["groups"] == ["dsl"]:
        assert "needs a second factor" in entry.target


def test_a_refused_token_reaches_an_organisation_s_log_only_when_its_partner_signed_it(session, caplog):
    # Anyone can write an organisation's name into a token: a forged one (wrong key) and one that
    # names an organisation its partner may not vouch for leave nothing in that organisation's log.
    for forged in (token(key="w" * 40, jti="f-1"), token(org="school-b", jti="f-2")):
        with pytest.raises(TokenRejected):
            accept(session, forged)
    assert session.exec(select(AccessLog)).all() == []
    # A token the partner did sign, refused (here: used twice), is the organisation's business.
    accept(session, token(jti="twice"))
    with pytest.raises(TokenRejected):
        accept(session, token(jti="twice"))
    refused = session.exec(select(AccessLog).where(AccessLog.outcome == "refused")).one()
    assert (refused.org_id, refused.action, refused.target) == ("trust-a", "sign in", "replayed")


def test_forged_tokens_from_one_address_are_logged_once_a_minute(session, caplog):
    from infoshare_widget.embed import identity

    identity.refusals_logged.clear()
    caplog.set_level(logging.WARNING, logger="infoshare_widget.embed.identity")
    for n in range(30):
        with pytest.raises(TokenRejected):
            accept_identity_token(session=session, token=token(key="w" * 40, jti=f"f-{n}"), origin=PAGE,
                                  partners=PARTNERS, audience=AUDIENCE, now=at(seconds=n), client="192.0.2.66")
    with pytest.raises(TokenRejected):
        accept_identity_token(session=session, token=token(key="w" * 40, jti="later"), origin=PAGE,
                              partners=PARTNERS, audience=AUDIENCE, now=at(2), client="192.0.2.66")
    assert len([r for r in caplog.records if "identity token refused" in r.getMessage()]) == 2
