"""Admin area and access log states. Thin: admin/service.py checks the level and logs every change.

What State keeps: messages only. Lists of accounts, keys and log entries, and a one-time code or a
new key, are sent once and never kept (see infoshare_widget/compat/not_kept.py).
"""

from __future__ import annotations

import dataclasses

import reflex as rx
from sqlmodel import Session

from infoshare_widget.base.access import LEVELS, READS_RECORDS, Refused
from infoshare_widget.auth import SignedIn
from infoshare_widget.admin import service as admin
from infoshare_widget.base import access_log
from infoshare_widget.auth.rules import RESET_LASTS
from infoshare_widget.compat.not_kept import NotKept, not_kept
from infoshare_widget.records.retention import parse_years
from infoshare_widget.base.acting import RecordError
from infoshare_widget.admin.pages_view_model import AdminScreen, admin_screen
from infoshare_widget.auth.state import AuthState, with_session
from infoshare_widget.components.database_trouble import NotAnswered, ask_database
from infoshare_widget.components.trouble.state import answered
from infoshare_widget.records.summary import local_time


def _id(value: object) -> int | None:
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


@dataclasses.dataclass(frozen=True)
class Outcome:
    """One admin action and the lists after it: its error, what to show once (a label and a code or
    key), the lists (None for a level that may not see them), and that refusal's message."""

    error: str
    shown: tuple[str, str] | None
    screen: AdminScreen | None
    refused: str


# Said to an admin who made or reset an account that reads records: the code is not theirs to give.
FROM_A_LEAD = ("It reads records, so a safeguarding lead of your organisation makes its one-time code and gives "
               "it to the person (admins never see it).")


@not_kept("accounts", "keys", "retention", "waiting", "deliveries", "shown_label", "shown_secret")
class AdminState(NotKept, rx.State):
    """The admin area: accounts, records API keys and the retention period for an admin; accounts
    waiting for a one-time code, and keys, for a lead."""

    message: str = ""
    error: str = ""
    refused: str = ""
    loaded: bool = False
    accounts: list[dict[str, str]] = []
    keys: list[dict[str, str]] = []
    retention: str = ""
    waiting: list[dict[str, str]] = []
    deliveries: list[dict[str, str]] = []
    failed_deliveries: int = 0
    # A one-time code or a new key, shown once with what it is for.
    shown_label: str = ""
    shown_secret: str = ""

    async def _run(self, secret: str, work=None, done: str = "", clear: tuple[str, ...] = ()):
        """Do one admin action (if any), then list everything, in one database session: a refused
        or bad action leaves a message and changes nothing, and what was typed stays; after a
        success, the fields in `clear` are emptied. A refused level sees no lists."""
        def run(session: Session, who: SignedIn):
            error, result = "", None
            if work is not None:
                try:
                    result = work(session, who)
                except (RecordError, Refused) as exc:
                    session.rollback()
                    error = str(exc)
            try:
                return Outcome(error, result, admin_screen(session, who), "")
            except Refused as exc:
                return Outcome("", None, None, str(exc))

        outcome = await ask_database(self, with_session(self, secret, run), show="error", focus="admin-error")
        if isinstance(outcome, NotAnswered):
            self.message = ""
            return outcome.reply
        self.loaded = True
        if outcome is None:
            return (await self.get_state(AuthState))._signed_out()
        self.refused, self.error = outcome.refused, outcome.error
        failed = bool(outcome.error or outcome.refused)
        self.message = done if work is not None and not failed else ""
        if outcome.screen is not None:
            self.accounts, self.keys, self.retention, self.waiting = (
                outcome.screen.accounts, outcome.screen.keys, outcome.screen.retention, outcome.screen.waiting)
            self.deliveries, self.failed_deliveries = outcome.screen.deliveries, outcome.screen.failed
        emptied = [rx.set_value(field, "") for field in clear] if not failed else []
        if isinstance(outcome.shown, tuple) and outcome.shown[1]:
            self.shown_label, self.shown_secret = outcome.shown
            return [*emptied, rx.set_focus("shown-secret")]
        if outcome.error:
            return rx.set_focus("admin-error")
        return rx.set_focus("admin-message") if self.message else None

    @rx.event
    async def load(self, secret: str):
        return await self._run(secret)

    @rx.event
    @answered("check")
    async def create_account(self, secret: str, form: dict):
        form = form if isinstance(form, dict) else {}
        username, name, role, access, email = (str(form.get(k, "")).strip()[:254] for k in
                                               ("username", "name", "role", "access", "email"))
        if not (username and name and role):
            self.error, self.message = "Enter a username, the person's name and their job title", ""
            return rx.set_focus("admin-error")
        if access not in LEVELS:
            self.error, self.message = "Choose an access level", ""
            return rx.set_focus("admin-error")
        return await self._run(secret, lambda session, who: (
            f"One-time code for {username.lower()} to set their password (shown once; it lasts {RESET_LASTS})",
            admin.create_account(session=session, actor=who.actor, username=username, name=name, role=role,
                                 access=access, email=email or None)), f"Account {username.lower()} made as {access}."
            + ("" if access not in READS_RECORDS else f" {FROM_A_LEAD}"),
            clear=("new-username", "new-name", "new-role", "new-email"))

    @rx.event
    @answered("check")
    async def set_email(self, secret: str, form: dict):
        """Set or clear the address an account's alerts are emailed to (a bad address is refused, and
        what was typed stays)."""
        form = form if isinstance(form, dict) else {}
        user_id, email = _id(form.get("user_id")), str(form.get("email", "")).strip()[:254]
        return await self._run(secret, lambda session, who: admin.set_email(
            session=session, actor=who.actor, user_id=user_id, email=email or None),
            "Email address saved." if email else "Email address removed.")

    @rx.event
    @answered("check")
    async def change_level(self, secret: str, form: dict):
        form = form if isinstance(form, dict) else {}
        user_id, access = _id(form.get("user_id")), str(form.get("access", ""))
        return await self._run(secret, lambda session, who: admin.set_level(
            session=session, actor=who.actor, user_id=user_id, access=access), f"Level changed to {access}.")

    @rx.event
    @answered("check")
    async def set_active(self, secret: str, user_id: str, active: bool):
        return await self._run(secret, lambda session, who: admin.set_active(
            session=session, actor=who.actor, user_id=_id(user_id), active=bool(active)),
            "Account switched on." if active else "Account switched off: its sessions have ended.")

    @rx.event
    @answered("check")
    async def reset_password(self, secret: str, user_id: str, username: str, access: str):
        return await self._run(secret, lambda session, who: (
            f"One-time code for {str(username)[:120]} to set a new password (shown once; it lasts {RESET_LASTS})",
            admin.reset_password(session=session, actor=who.actor, user_id=_id(user_id))),
            "Password reset: the old one no longer works." + ("" if access not in READS_RECORDS else
                                                                f" {FROM_A_LEAD}"))

    @rx.event
    @answered("check")
    async def hand_over_code(self, secret: str, user_id: str, username: str):
        """A lead makes the one-time code for an account that waits for one (shown once)."""
        return await self._run(secret, lambda session, who: (
            f"One-time code for {str(username)[:120]} to set their password (shown once; it lasts "
            f"{RESET_LASTS}). Give it to them yourself, in person or by phone",
            admin.hand_over_code(session=session, actor=who.actor, user_id=_id(user_id))),
            "Code made: an earlier code for this account no longer works.")

    @rx.event
    @answered("check")
    async def reset_second_factor(self, secret: str, user_id: str):
        return await self._run(secret, lambda session, who: admin.reset_second_factor(
            session=session, actor=who.actor, user_id=_id(user_id)),
            "Second factor reset: they set up a new app at their next sign-in.")

    @rx.event
    @answered("check")
    async def create_key(self, secret: str, form: dict):
        name = str((form if isinstance(form, dict) else {}).get("key_name", ""))[:200]
        return await self._run(secret, lambda session, who: (
            f"New records API key '{' '.join(name.split())}' (shown once: copy it into the system now)",
            admin.create_key(session=session, actor=who.actor, name=name)), "Key made.", clear=("new-key_name",))

    @rx.event
    @answered("check")
    async def revoke_key(self, secret: str, key_id: str):
        return await self._run(secret, lambda session, who: admin.revoke_key(
            session=session, actor=who.actor, key_id=_id(key_id)), "Key revoked: it no longer works.")

    @rx.event
    @answered("check")
    async def set_retention(self, secret: str, form: dict):
        try:
            years = parse_years(str((form if isinstance(form, dict) else {}).get("years", ""))[:10])
        except RecordError as exc:
            self.error, self.message = str(exc), ""
            return rx.set_focus("admin-error")
        return await self._run(secret, lambda session, who: admin.change_retention(
            session=session, actor=who.actor, years=years),
            f"Records are kept {years} years after their last entry." if years else
            "Records are kept until a retention period is set.")

    @rx.event
    def forget_secret(self):
        """The person has noted the code or key: take it off the screen."""
        self.shown_label, self.shown_secret = "", ""


@not_kept("rows")
class AccessLogState(NotKept, rx.State):
    """The access log page for leads and auditors: filters, then the entries (never kept)."""

    error: str = ""
    refused: str = ""
    loaded: bool = False
    rows: list[dict[str, str]] = []

    @rx.event
    async def load(self, secret: str, form: dict):
        filters, self.error = access_log.log_filter(form if isinstance(form, dict) else {})

        def read(session: Session, who: SignedIn):
            try:
                return access_log.read_log(session=session, actor=who.actor, filters=filters)
            except Refused as exc:
                return str(exc)

        result = await ask_database(self, with_session(self, secret, read), show="error")
        if isinstance(result, NotAnswered):
            return result.reply
        self.loaded = True
        if result is None:
            return (await self.get_state(AuthState))._signed_out()
        if isinstance(result, str):
            self.refused, self.rows = result, []
            return None
        self.refused = ""
        self.rows = [{"when": local_time(e.at), **access_log.log_fields(e)} for e in result]
        return None
