"""The admin area's work: accounts, records API keys and the organisation's settings, for an actor
whose level may manage accounts. Takes a session; no Reflex. (Reading the access log:
base/access_log.py; who an API key speaks for: auth/api_keys.py.)

Every change is checked against the actor's level and organisation here, not only in the page, so
no page or API can get round it; and written to the access log (who, when, what). Who may make which
code or key (an admin never holds a credential that reads records) is in docs/security.md ("The
admin area"); the functions below keep those rules, and tests/db/test_second_factor_admin.py and
tests/db/test_access_levels.py check them.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, select

from infoshare_widget.base.access import LEVELS, READS_RECORDS, allowed
from infoshare_widget.auth import second_factor
from infoshare_widget.auth.accounts import NO_PASSWORD, checked_email, create_user
from infoshare_widget.auth.rules import secret_hash
from infoshare_widget.auth.sessions import end_sessions_of
from infoshare_widget.auth.rules import RESET_LIFETIME
from infoshare_widget.base.codes import readable_code
from infoshare_widget.base.clock import as_utc, utc_now
from infoshare_widget.base.models import Organisation
from infoshare_widget.auth.models import ApiKey, AppUser, RecoveryCode
from infoshare_widget.records.retention import set_retention
from infoshare_widget.base.acting import Actor, RecordError, allow, log_access

KEY_PREFIX = "isk_"


def _admin(session: Session, actor: Actor, what: str) -> None:
    """Go on only for an actor who may manage accounts; otherwise log the refusal and raise."""
    allow(session, actor, "manage_accounts", what, logged_as="admin")


def _changed(session: Session, actor: Actor, what: str) -> None:
    log_access(session, actor, "admin", what)
    session.commit()


@dataclass(frozen=True)
class AccountRow:
    """An account as the admin area lists it (no password, no secrets)."""

    id: int
    username: str
    name: str
    role: str
    access: str
    active: bool
    second_factor: bool
    reset_pending: bool
    code_from_lead: bool = False  # waiting for a lead to hand over its one-time code
    email: str = ""  # where alerts are emailed, if anywhere
    alerts_by_email: bool = True


def list_accounts(*, session: Session, actor: Actor) -> list[AccountRow]:
    """The organisation's accounts, by username."""
    _admin(session, actor, "list accounts")
    users = session.exec(select(AppUser).where(AppUser.org_id == actor.org_id).order_by(AppUser.username)).all()
    return [_row(u) for u in users]


def _row(user: AppUser) -> AccountRow:
    return AccountRow(user.id, user.username, user.name, user.role, user.access, user.active,
                      user.totp_secret is not None, user.reset_hash is not None, user.code_from_lead,
                      user.email or "", user.alerts_by_email)


def _account(session: Session, actor: Actor, user_id: int) -> AppUser:
    user = session.get(AppUser, user_id) if isinstance(user_id, int) else None
    if user is None or user.org_id != actor.org_id:
        raise RecordError("There is no such account in your organisation.")
    return user


def _give_reset(user: AppUser, moment: dt.datetime) -> str:
    code = readable_code(12)
    user.reset_hash, user.reset_expires_at = second_factor.code_hash(code), moment + RESET_LIFETIME
    return code


def _starts_again(session: Session, user: AppUser) -> None:
    """Nobody can sign in as the account until its person sets a new password with a one-time code:
    the password, any code not yet used, the second factor and every session end. For an account that
    reads records the code must come from a lead."""
    user.password_hash, user.reset_hash, user.reset_expires_at = NO_PASSWORD, None, None
    user.code_from_lead = user.access in READS_RECORDS
    session.add(user)
    end_sessions_of(session=session, user_id=user.id)


def _code_for_admin(user: AppUser, moment: dt.datetime) -> str | None:
    """The one-time code for the admin to give, for an account that reads no records; None (a lead
    makes the code) for one that does."""
    return None if user.code_from_lead else _give_reset(user, moment)


def create_account(*, session: Session, actor: Actor, username: str, name: str, role: str, access: str,
                   now: dt.datetime | None = None, email: str | None = None) -> str | None:
    """A new account with no password yet. Returns the one-time code to set one (show it once) for
    an admin account; None for an account that reads records, whose code a lead makes."""
    _admin(session, actor, f"create account {username[:60]}")
    moment = as_utc(now or utc_now())
    user = create_user(session=session, org_id=actor.org_id, username=username, name=name, role=role,
                       password=None, access=access, email=email)
    _starts_again(session, user)
    code = _code_for_admin(user, moment)
    _changed(session, actor, f"created account {user.username} as {access}"
             + (", its code from a lead" if code is None else ""))
    return code


def set_level(*, session: Session, actor: Actor, user_id: int, access: str) -> None:
    """Change an account's level; its sessions end, so the new level applies at once. An account
    moved from a level that reads no records to one that does starts again (its password may be
    known to an admin who made it), with its code from a lead."""
    _admin(session, actor, f"change level of account {user_id}")
    if access not in LEVELS:
        raise RecordError(f"The access level must be one of {', '.join(LEVELS)}.")
    user = _account(session, actor, user_id)
    if user.id == actor.user_id:
        raise RecordError("You cannot change your own level: ask another admin.")
    before, user.access = user.access, access
    session.add(user)
    end_sessions_of(session=session, user_id=user.id)
    note = ""
    if before not in READS_RECORDS and access in READS_RECORDS:
        _starts_again(session, user)
        _forget_second_factor(session, user)
        note = ": it starts again, with a code from a lead"
    elif access not in READS_RECORDS:
        user.code_from_lead = False  # an admin account's code comes from an admin
    _changed(session, actor, f"changed {user.username} from {before} to {access}{note}")


def set_email(*, session: Session, actor: Actor, user_id: int, email: str | None) -> None:
    """Set or clear the address an account's alerts are emailed to (RecordError when it is not an
    address); logged without the address."""
    _admin(session, actor, f"change email of account {user_id}")
    user = _account(session, actor, user_id)
    user.email = checked_email(email)
    session.add(user)
    _changed(session, actor, f"{'set' if user.email else 'cleared'} the email address of {user.username}")


def set_active(*, session: Session, actor: Actor, user_id: int, active: bool) -> None:
    """Switch an account off (its sessions end and it cannot sign in) or on again."""
    _admin(session, actor, f"{'reactivate' if active else 'deactivate'} account {user_id}")
    user = _account(session, actor, user_id)
    if user.id == actor.user_id and not active:
        raise RecordError("You cannot switch off your own account.")
    user.active = bool(active)
    session.add(user)
    if not active:
        end_sessions_of(session=session, user_id=user.id)
    _changed(session, actor, f"{'reactivated' if active else 'deactivated'} {user.username}")


def reset_password(*, session: Session, actor: Actor, user_id: int, now: dt.datetime | None = None) -> str | None:
    """Replace the password with a one-time code; the old password and sessions end. Returns the code
    (show it once) for an admin account; None for an account that reads records, whose code a lead
    makes."""
    _admin(session, actor, f"reset password of account {user_id}")
    user = _account(session, actor, user_id)
    if user.id == actor.user_id:
        raise RecordError("You cannot reset your own password here: ask another admin.")
    _starts_again(session, user)
    code = _code_for_admin(user, as_utc(now or utc_now()))
    _changed(session, actor, f"reset the password of {user.username}" + (", its code from a lead" if code is None else ""))
    return code


def _forget_second_factor(session: Session, user: AppUser) -> None:
    user.totp_secret = user.totp_pending = user.totp_last_step = None
    session.add(user)
    session.exec(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def reset_second_factor(*, session: Session, actor: Actor, user_id: int) -> None:
    """Forget a lost authenticator and its recovery codes: the next sign-in sets up a new one."""
    _admin(session, actor, f"reset second factor of account {user_id}")
    user = _account(session, actor, user_id)
    if user.id == actor.user_id:
        raise RecordError("You cannot reset your own second factor: ask another admin.")
    _forget_second_factor(session, user)
    end_sessions_of(session=session, user_id=user.id)
    _changed(session, actor, f"reset the second factor of {user.username}")


# -- one-time codes a lead hands over --------------------------------------------------------------


def waiting_for_a_code(*, session: Session, actor: Actor) -> list[AccountRow]:
    """The organisation's accounts that read records and wait for a lead to make their one-time code
    (made or reset by an admin, or moved up from admin), by username."""
    allow(session, actor, "hand_over", "list accounts waiting for a code", logged_as="admin")
    users = session.exec(select(AppUser).where(AppUser.org_id == actor.org_id, AppUser.code_from_lead.is_(True))
                         .order_by(AppUser.username)).all()
    return [_row(u) for u in users if u.access in READS_RECORDS]


def hand_over_code(*, session: Session, actor: Actor, user_id: int, now: dt.datetime | None = None) -> str:
    """A one-time code for an account waiting for one from a lead (show it once, give it to the
    person); a code made before for it stops working."""
    allow(session, actor, "hand_over", f"make a code for account {user_id}", logged_as="admin")
    user = _account(session, actor, user_id)
    if not user.code_from_lead or user.access not in READS_RECORDS:
        raise RecordError(f"{user.username} is not waiting for a code from a lead.")
    code = _give_reset(user, as_utc(now or utc_now()))
    session.add(user)
    _changed(session, actor, f"made a one-time code for {user.username}")
    return code


def code_for_command(*, session: Session, org_id: str, username: str, now: dt.datetime | None = None) -> str:
    """For the server's operator (a shell is trusted): a one-time code for any account, for an
    organisation with no lead or admin left who can sign in. The account starts again; logged."""
    user = session.exec(select(AppUser).where(AppUser.org_id == org_id,
                                              AppUser.username == username.strip().lower())).first()
    if user is None:
        raise RecordError(f"There is no account '{username}' in '{org_id}'.")
    _starts_again(session, user)
    code = _give_reset(user, as_utc(now or utc_now()))
    operator = Actor(org_id, "server operator", "", None, access="", account="command line")
    _changed(session, operator, f"made a one-time code for {user.username} (command line)")
    return code


# -- API keys --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyRow:
    id: int
    name: str
    created_at: dt.datetime
    created_by: str
    last_used_at: dt.datetime | None
    revoked: bool


def _keys(session: Session, actor: Actor, what: str) -> None:
    """Go on for a lead (who makes keys) or an admin (who may list and revoke them)."""
    if not allowed(actor.access, "manage_keys"):
        _admin(session, actor, what)


def list_keys(*, session: Session, actor: Actor) -> list[KeyRow]:
    _keys(session, actor, "list API keys")
    keys = session.exec(select(ApiKey).where(ApiKey.org_id == actor.org_id).order_by(ApiKey.created_at.desc())).all()
    return [KeyRow(k.id, k.name, k.created_at, k.created_by, k.last_used_at, k.revoked_at is not None) for k in keys]


def create_key(*, session: Session, actor: Actor, name: str) -> str:
    """A new records API key for the organisation; returns it (show it once: only its hash is kept).
    Leads only: a key reads records, and admins never hold what reads records."""
    allow(session, actor, "manage_keys", "create API key", logged_as="admin")
    name = " ".join(str(name).split())
    if not name or len(name) > 80:
        raise RecordError("Give the key a name of up to 80 characters, such as the system that will use it.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiKey(org_id=actor.org_id, name=name, key_hash=secret_hash(key), created_by=actor.name[:200]))
    _changed(session, actor, f"created API key {name}")
    return key


def revoke_key(*, session: Session, actor: Actor, key_id: int, now: dt.datetime | None = None) -> None:
    _keys(session, actor, f"revoke API key {key_id}")
    key = session.get(ApiKey, key_id) if isinstance(key_id, int) else None
    if key is None or key.org_id != actor.org_id:
        raise RecordError("There is no such key in your organisation.")
    if key.revoked_at is None:
        key.revoked_at = as_utc(now or utc_now())
        session.add(key)
    _changed(session, actor, f"revoked API key {key.name}")


# -- the organisation's settings -------------------------------------------------------------------


def organisation_settings(*, session: Session, actor: Actor) -> Organisation:
    _admin(session, actor, "read settings")
    return session.get(Organisation, actor.org_id)


def change_retention(*, session: Session, actor: Actor, years: int | None) -> None:
    _admin(session, actor, "change retention")
    set_retention(session=session, org_id=actor.org_id, years=years)
    _changed(session, actor, f"set retention to {years} years" if years else "cleared the retention period")


# -- the access log --------------------------------------------------------------------------------


