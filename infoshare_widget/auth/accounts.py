"""Accounts and password sign-in for the standalone widget, with the throttle and the second
factor. Takes a session; no Reflex.

Accounts are made by an admin (in the admin area or by command); passwords are hashed with Argon2.
An account at an elevated level (lead, admin, auditor) signs in in two steps: the password opens a
short session that can only take a code from an authenticator app (or a recovery code), or set one
up; the code opens the real session. Wrong codes count toward the same throttle as wrong passwords.
Every sign-in, failed or refused, goes to the access log. Failed sign-ins are kept
in a table (so every worker process sees the same counts) and a sign-in is refused, without looking
at the password, while the account or the client address is over its limit (rules.py). Failed and
refused sign-ins are logged with the organisation, username, client address and reason: never the
password or the session secret.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, text, update
from sqlmodel import Session, select

from infoshare_widget.base.addresses import checked_address
from infoshare_widget.base.access import DEFAULT_LEVEL, LEVELS, needs_second_factor
from infoshare_widget.auth import second_factor
from infoshare_widget.auth.rules import (
    ACCOUNT_LIMIT,
    CLIENT_LIMIT,
    NOT_RIGHT,
    SESSION_LIFETIME,
    THROTTLE_WINDOW,
    blocked_until,
    for_log,
    secret_hash,
    try_again_message,
)
from infoshare_widget.auth.sessions import SignedIn, end_sessions_of, open_session, purge_expired, resolve
from infoshare_widget.base.clock import as_utc, utc_now
from infoshare_widget.base.fingerprints import fingerprint
from infoshare_widget.base.models import AccessLog, Organisation
from infoshare_widget.auth.models import AppUser, RecoveryCode, SignInFailure, UserSession
from infoshare_widget.base.acting import Actor, RecordError, log_access, log_key

log = logging.getLogger(__name__)

MIN_PASSWORD_CHARS = 12
# How long the first step of a two-step sign-in waits for its code.
SECOND_STEP_TIME = dt.timedelta(minutes=10)
WRONG_NEW_CODE = "The code is not right. Enter the 6-digit code your authenticator app shows now"
WRONG_CODE = WRONG_NEW_CODE + ", or a recovery code"
_hasher = PasswordHasher()
# Stands in for a password until the person sets theirs with a one-time code (Argon2 never matches it).
NO_PASSWORD = "!no password yet"
# Compared against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password")


@dataclass(frozen=True)
class SignInResult:
    """What a sign-in attempt gives: a secret for the browser and who it is, or a message."""

    secret: str | None  # the raw session secret for the browser; None when refused
    who: SignedIn | None
    message: str  # "" on success; otherwise plain words for the sign-in form
    retry_after: dt.datetime | None  # when a throttled sign-in may be tried again
    # The next step, when the secret opens only that: "code" (give a second factor) or "enrol" (set
    # one up). None when the secret opens the session.
    waiting_for: str | None = None


def check_password_rules(password: str) -> None:
    """Raise RecordError when a new password is too short or too long."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise RecordError(f"Use a password of at least {MIN_PASSWORD_CHARS} characters.")
    if len(password) > 200:
        raise RecordError("Use a password of no more than 200 characters.")


def checked_email(email: str | None) -> str | None:
    """An account's email address in its normal form, None for none; RecordError when it is not one."""
    if email is None or not email.strip():
        return None
    try:
        return checked_address(email)
    except ValueError as exc:
        raise RecordError(f"{exc}.") from None


def create_user(*, session: Session, org_id: str, username: str, name: str, role: str, password: str | None,
                access: str = DEFAULT_LEVEL, with_second_factor: bool = False, email: str | None = None) -> AppUser:
    """An account for a practitioner of an organisation that exists, at an access level; with no
    password (None), nobody can sign in to it until a one-time code sets one.

    With `with_second_factor`, the account's authenticator secret is made now (for an admin setting
    up someone else: show them provisioning_uri once); otherwise an elevated account sets one up at
    its first sign-in.
    """
    if access not in LEVELS:
        raise RecordError(f"The access level must be one of {', '.join(LEVELS)}.")
    email = checked_email(email)
    if password is not None:
        check_password_rules(password)
    # Hashed before the first statement: no transaction is open while Argon2 runs.
    password_hash = NO_PASSWORD if password is None else _hasher.hash(password)
    if session.get(Organisation, org_id) is None:
        raise RecordError(f"There is no organisation '{org_id}': create it first.")
    username = username.strip().lower()
    if not username or len(username) > 120 or not name.strip() or len(name) > 200 or len(role) > 200:
        raise RecordError("Give a username (up to 120 characters), a name and a job title (up to 200).")
    exists = session.exec(select(AppUser).where(AppUser.org_id == org_id, AppUser.username == username)).first()
    if exists is not None:
        raise RecordError(f"'{username}' already has an account in '{org_id}'.")
    user = AppUser(org_id=org_id, username=username, name=name.strip(), role=role.strip(),
                   password_hash=password_hash, access=access, email=email,
                   totp_secret=second_factor.new_secret() if with_second_factor else None)
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def provisioning_uri(session: Session, user: AppUser, secret: str | None = None) -> str:
    """The otpauth:// address for the account's authenticator secret (or a pending one)."""
    organisation = session.get(Organisation, user.org_id)
    return second_factor.provisioning_uri(secret or user.totp_secret or "", account=user.username,
                                          organisation=organisation.name if organisation else user.org_id)


def _attempt(org_id: str, account: str, client: str, user: AppUser | None = None) -> Actor:
    """Who is trying to sign in, for the access log (the account's own details where it exists; else
    `account` is the typed username's fingerprint, never the typed text)."""
    if user is not None:
        return _actor(user, client)
    return Actor(org_id, "unknown account", "", None, access="", account=account, client=client)


@dataclass(frozen=True)
class _Attempt:
    """One sign-in attempt as the throttle counts it: the organisation as typed, the account key (the
    username of an account that exists, else the typed username's keyed fingerprint, so nothing typed
    into the username box is stored as typed) and the client address."""

    org_id: str
    account: str
    client: str
    user_id: int | None
    org_exists: bool
    at: dt.datetime


def _lock_attempts(session: Session, attempt: _Attempt) -> None:
    """Serialise attempts on the same account and from the same address until the transaction ends,
    so parallel attempts cannot all pass the throttle's count (SQLite's BEGIN IMMEDIATE already
    serialises every transaction; PostgreSQL takes transaction-scoped advisory locks)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in sorted({f"account {attempt.org_id} {attempt.account}", f"client {attempt.client}"}):
        session.exec(text("SELECT pg_advisory_xact_lock(hashtext(:name))").bindparams(name=name))


def _identify(session: Session, org_id: str, username: str, client: str,
              moment: dt.datetime) -> tuple[_Attempt, AppUser | None]:
    user = session.exec(select(AppUser).where(AppUser.org_id == org_id, AppUser.username == username)).first()
    account = username if user is not None else fingerprint(log_key(session), "username", username)
    org_exists = user is not None or session.get(Organisation, org_id) is not None
    attempt = _Attempt(org_id, account, client, user.id if user else None, org_exists, moment)
    _lock_attempts(session, attempt)
    return attempt, user


def _log_attempt(session: Session, attempt: _Attempt, action: str, target: str, outcome: str,
                 user: AppUser | None = None, until: dt.datetime | None = None) -> None:
    """An attempt in the organisation's access log, if the organisation exists (a name typed for one
    that does not is no organisation's business), and in the server log."""
    if attempt.org_exists:
        log_access(session, _attempt(attempt.org_id, attempt.account, attempt.client, user), action, target,
                   outcome=outcome, at=attempt.at)
    log.warning("%s %s: org=%s account=%s client=%s reason=%s%s", action.replace(" ", "-"), outcome,
                for_log(attempt.org_id), for_log(attempt.account), for_log(attempt.client), target.replace(" ", "_"),
                f" until={until.isoformat(timespec='seconds')}" if until else "")


def _reserve(session: Session, attempt: _Attempt, moment: dt.datetime) -> SignInFailure:
    """Count the attempt as failed before the password is checked (it is forgotten if it succeeds):
    parallel attempts each take a place under the limit, and none can slip past it."""
    failure = SignInFailure(org_id=attempt.org_id, username=attempt.account, client=attempt.client, failed_at=moment)
    session.add(failure)
    return failure


def _throttled_until(session: Session, attempt: _Attempt, moment: dt.datetime) -> dt.datetime | None:
    """When this account, or this client address, may try again; None when neither is over its limit."""
    since = moment - THROTTLE_WINDOW
    account = session.exec(
        select(SignInFailure.failed_at)
        .where(SignInFailure.org_id == attempt.org_id, SignInFailure.username == attempt.account,
               SignInFailure.failed_at > since)
        .order_by(SignInFailure.failed_at.desc())
        .limit(ACCOUNT_LIMIT)
    ).all()
    times = [blocked_until(account, limit=ACCOUNT_LIMIT, now=moment)]
    if attempt.client:  # an unknown address is not throttled as one, or everyone without one would share it
        by_client = session.exec(
            select(SignInFailure.failed_at)
            .where(SignInFailure.client == attempt.client, SignInFailure.failed_at > since)
            .order_by(SignInFailure.failed_at.desc())
            .limit(CLIENT_LIMIT)
        ).all()
        times.append(blocked_until(by_client, limit=CLIENT_LIMIT, now=moment))
    blocked = [t for t in times if t is not None]
    return max(blocked) if blocked else None


# A throttled attempt goes to the logs at most this often for one address (and action): refusals
# cost nothing to send, and each would otherwise add a row to an append-only log.
REFUSAL_LOG_STEP = dt.timedelta(minutes=1)


def _refusal_logged_lately(session: Session, attempt: _Attempt, action: str, moment: dt.datetime) -> bool:
    if not attempt.client:
        return False
    return session.exec(
        select(AccessLog.id).where(AccessLog.client == attempt.client, AccessLog.at > moment - REFUSAL_LOG_STEP,
                                   AccessLog.action == action, AccessLog.target == "throttled",
                                   AccessLog.outcome == "refused").limit(1)
    ).first() is not None


def _refused_if_throttled(session: Session, attempt: _Attempt, moment: dt.datetime, action: str,
                          user: AppUser | None = None) -> dt.datetime | None:
    """When the attempt is throttled: log the refusal (at most once a minute for an address) and say
    until when; None when it may go ahead."""
    retry_after = _throttled_until(session, attempt, moment)
    if retry_after is not None:
        if not _refusal_logged_lately(session, attempt, action, moment):
            _log_attempt(session, attempt, action, "throttled", "refused", user, until=retry_after)
        session.commit()
    return retry_after


def _fail(session: Session, attempt: _Attempt, reason: str, user: AppUser | None = None,
          action: str = "sign in") -> None:
    """Log a failed attempt (its reserved failure already counts toward the throttle) and commit."""
    _log_attempt(session, attempt, action, reason, "failed", user)
    session.commit()


def _clear_failures(session: Session, org_id: str, account: str) -> None:
    """A good password or code clears the account's own failures (not other accounts' from the same
    address)."""
    session.exec(delete(SignInFailure).where(SignInFailure.org_id == org_id, SignInFailure.username == account))


def _password_matches(password_hash: str | None, password: str) -> bool:
    """Argon2, with no database transaction open: it is slow on purpose, and on SQLite an open
    transaction holds the whole database."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def sign_in(
    *, session: Session, org_id: str, username: str, password: str, client: str, now: dt.datetime | None = None
) -> SignInResult:
    """A new session for the right organisation, username and password, unless throttled.

    `client` is the address the attempt came from (as the server saw it, never as the browser says).
    Three short transactions: who is trying and whether the throttle allows it (the attempt counted
    as failed from here); the password check, with no transaction open; then the outcome. A
    switched-off account gets the same answer as a wrong password.
    """
    moment = as_utc(now or utc_now())
    org_id = org_id.strip()[:64]
    username = username.strip().lower()[:120]
    client = (client or "").strip()[:64]
    purge_expired(session=session, now=moment)
    attempt, user = _identify(session, org_id, username, client, moment)
    retry_after = _refused_if_throttled(session, attempt, moment, "sign in", user)
    if retry_after is not None:
        return SignInResult(None, None, try_again_message(retry_after), retry_after)
    _reserve(session, attempt, moment)
    stored_hash = user.password_hash if user is not None else None
    session.commit()
    good = _password_matches(stored_hash, password)
    user = session.get(AppUser, attempt.user_id) if attempt.user_id is not None else None
    if not good or user is None or user.password_hash != stored_hash:
        _fail(session, attempt, "no such account" if user is None else "wrong password", user)
        return SignInResult(None, None, NOT_RIGHT, None)
    if not user.active:
        _fail(session, attempt, "account switched off", user)
        return SignInResult(None, None, NOT_RIGHT, None)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        session.add(user)
    _clear_failures(session, org_id, username)
    organisation = session.get(Organisation, user.org_id)
    if needs_second_factor(user.access):
        waiting = "code" if user.totp_secret else "enrol"
        expires_at = moment + SECOND_STEP_TIME
        log_access(session, _attempt(org_id, username, client, user), "sign in", f"password right, {waiting} next")
        secret = open_session(session=session, org_id=user.org_id, user_id=user.id, now=moment,
                              expires_at=expires_at, access=user.access, waiting_for=waiting)
        who = SignedIn(_actor(user), organisation.name, expires_at)
        return SignInResult(secret, who, "", None, waiting)
    return _open(session, user, organisation, client, moment, "password")


def _actor(user: AppUser, client: str = "") -> Actor:
    return Actor(user.org_id, user.name, user.role, user.id, access=user.access, account=user.username,
                 client=client)


def _open(session: Session, user: AppUser, organisation: Organisation, client: str, moment: dt.datetime,
          how: str) -> SignInResult:
    """The full session, logged as a sign-in."""
    expires_at = moment + SESSION_LIFETIME
    log_access(session, _actor(user, client), "sign in", how)
    secret = open_session(session=session, org_id=user.org_id, user_id=user.id, now=moment, expires_at=expires_at,
                          access=user.access)
    return SignInResult(secret, SignedIn(_actor(user), organisation.name, expires_at), "", None)


def _waiting(session: Session, secret: str, step: str, moment: dt.datetime) -> tuple[AppUser, Organisation] | None:
    who = resolve(session=session, secret=secret, now=moment, waiting_for=step)
    if who is None or who.actor.user_id is None:
        return None
    user = session.get(AppUser, who.actor.user_id)
    organisation = session.get(Organisation, user.org_id) if user else None
    return (user, organisation) if user and organisation and user.active else None


def _end(session: Session, secret: str) -> None:
    session.exec(delete(UserSession).where(UserSession.token_hash == secret_hash(secret)))


SIGN_IN_AGAIN = "Your sign-in has timed out. Sign in again with your password"


def _code_attempt(session: Session, user: AppUser, client: str, moment: dt.datetime) -> _Attempt:
    """A second-factor attempt for an account: attempts on the account are serialised until the
    transaction ends, so a code (or recovery code) is used once and the throttle counts every try."""
    attempt = _Attempt(user.org_id, user.username, (client or "").strip()[:64], user.id, True, moment)
    _lock_attempts(session, attempt)
    session.refresh(user)  # read again under the lock
    return attempt


def _failed(session: Session, attempt: _Attempt, moment: dt.datetime, reason: str, user: AppUser,
            action: str) -> None:
    _reserve(session, attempt, moment)
    _fail(session, attempt, reason, user, action)


def _use_recovery_code(session: Session, user: AppUser, typed: str, moment: dt.datetime) -> bool:
    """Use up one of the account's recovery codes, if `typed` is one not used yet (a conditional
    update: two attempts with one code cannot both use it)."""
    if len(typed) != 16:
        return False
    used = session.exec(update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == second_factor.code_hash(typed),
        RecoveryCode.used_at.is_(None)).values(used_at=moment))
    return used.rowcount == 1


def give_code(*, session: Session, secret: str, code: str, client: str,
              now: dt.datetime | None = None) -> SignInResult:
    """The second step: a code from the authenticator app, or a recovery code (used up). On success
    the waiting session ends and the full one opens."""
    moment = as_utc(now or utc_now())
    found = _waiting(session, secret, "code", moment)
    if found is None:
        return SignInResult(None, None, SIGN_IN_AGAIN, None)
    user, organisation = found
    attempt = _code_attempt(session, user, client, moment)
    retry_after = _refused_if_throttled(session, attempt, moment, "second factor", user)
    if retry_after is not None:
        return SignInResult(None, None, try_again_message(retry_after), retry_after)
    typed = second_factor.clean_code(code)
    step = second_factor.matching_step(user.totp_secret or "", typed, last_step=user.totp_last_step, now=moment)
    how = "password and authenticator code"
    if step is not None:
        user.totp_last_step = step
    elif _use_recovery_code(session, user, typed, moment):
        how = "password and recovery code"
    else:
        _failed(session, attempt, moment, "wrong code", user, "second factor")
        return SignInResult(None, None, WRONG_CODE, None, "code")
    session.add(user)
    _clear_failures(session, user.org_id, user.username)
    _end(session, secret)
    return _open(session, user, organisation, attempt.client, moment, how)


@dataclass(frozen=True)
class Enrolment:
    """What the set-up page shows: the address for the app, as a QR code and as text."""

    uri: str
    qr: str  # an SVG data: URI
    key: str  # the secret, grouped in fours, for typing into an app by hand


def start_enrolment(*, session: Session, secret: str, now: dt.datetime | None = None) -> Enrolment | None:
    """A new authenticator secret for the account waiting to set one up (replacing any unconfirmed one)."""
    moment = as_utc(now or utc_now())
    found = _waiting(session, secret, "enrol", moment)
    if found is None:
        return None
    user, _ = found
    user.totp_pending = second_factor.new_secret()
    session.add(user)
    session.commit()
    uri = provisioning_uri(session, user, user.totp_pending)
    key = " ".join(user.totp_pending[i:i + 4] for i in range(0, len(user.totp_pending), 4))
    return Enrolment(uri, second_factor.qr_svg_data_uri(uri), key)


@dataclass(frozen=True)
class Enrolled:
    """The set-up is done: the full session, and the recovery codes to show once."""

    result: SignInResult
    recovery_codes: list[str]


def confirm_enrolment(*, session: Session, secret: str, code: str, client: str,
                      now: dt.datetime | None = None) -> Enrolled:
    """The first code from the app confirms the set-up: the secret is kept, ten recovery codes are
    made (kept hashed), and the full session opens."""
    moment = as_utc(now or utc_now())
    found = _waiting(session, secret, "enrol", moment)
    if found is None:
        return Enrolled(SignInResult(None, None, SIGN_IN_AGAIN, None), [])
    user, organisation = found
    attempt = _code_attempt(session, user, client, moment)
    retry_after = _refused_if_throttled(session, attempt, moment, "second factor", user)
    if retry_after is not None:
        return Enrolled(SignInResult(None, None, try_again_message(retry_after), retry_after, "enrol"), [])
    step = second_factor.matching_step(user.totp_pending or "", code, last_step=None, now=moment)
    if step is None:
        _failed(session, attempt, moment, "wrong code at set-up", user, "second factor")
        return Enrolled(SignInResult(None, None, WRONG_NEW_CODE, None, "enrol"), [])
    user.totp_secret, user.totp_pending, user.totp_last_step = user.totp_pending, None, step
    session.add(user)
    session.exec(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = second_factor.new_recovery_codes()
    for plain in codes:
        session.add(RecoveryCode(user_id=user.id, code_hash=second_factor.code_hash(plain)))
    log_access(session, _actor(user, attempt.client), "second factor", "set up")
    _end(session, secret)
    return Enrolled(_open(session, user, organisation, attempt.client, moment, "password and new authenticator"),
                    codes)


WRONG_RESET = "The organisation, username or reset code is not right, or the code has expired"


def _reset_code_good(user: AppUser | None, code: str, moment: dt.datetime) -> bool:
    return (user is not None and user.reset_hash is not None and user.reset_expires_at is not None
            and as_utc(user.reset_expires_at) > moment
            and secrets.compare_digest(user.reset_hash, second_factor.code_hash(code)))


def redeem_reset(*, session: Session, org_id: str, username: str, code: str, password: str, client: str,
                 now: dt.datetime | None = None) -> str:
    """Set a new password with a one-time code (from an admin, or a lead); "" when done, else the
    message. Wrong codes count toward the sign-in throttle. The new password is hashed with no
    transaction open, and the code is checked again after, so it is used once."""
    moment = as_utc(now or utc_now())
    org_id, username, client = org_id.strip()[:64], username.strip().lower()[:120], (client or "").strip()[:64]
    try:
        check_password_rules(password)
    except RecordError as exc:
        return str(exc)
    attempt, user = _identify(session, org_id, username, client, moment)
    retry_after = _refused_if_throttled(session, attempt, moment, "reset password", user)
    if retry_after is not None:
        return try_again_message(retry_after)
    failure = _reserve(session, attempt, moment)
    if not _reset_code_good(user, code, moment):
        _fail(session, attempt, "wrong reset code", user, "reset password")
        return WRONG_RESET
    session.commit()
    new_hash = _hasher.hash(password)
    _lock_attempts(session, attempt)
    user = session.get(AppUser, attempt.user_id, with_for_update=True)
    if not _reset_code_good(user, code, moment):  # used meanwhile by another attempt
        _fail(session, attempt, "reset code used meanwhile", user, "reset password")
        return WRONG_RESET
    user.password_hash, user.reset_hash, user.reset_expires_at = new_hash, None, None
    user.code_from_lead = False
    session.add(user)
    session.exec(delete(SignInFailure).where(SignInFailure.id == failure.id))
    end_sessions_of(session=session, user_id=user.id)
    log_access(session, _attempt(org_id, username, client, user), "reset password", "new password set")
    session.commit()
    return ""
