"""Signing in, the second factor and setting a password: the states behind the sign-in pages, and
`with_session`, which every feature's state uses to act as the person whose session secret came with
the event.

What State keeps (Reflex pickles it to disk or Redis): messages and the signed-in person's name, never
the session secret. The secret lives in the browser tab (assets/records.js, sessionStorage) and comes
with each event that needs it, as an argument (`SESSION`). The server stores only its hash, in the
sessions table. Sign-in hands it to the browser through `AuthState.handoff`, which is not kept.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import TypeVar

import reflex as rx
from sqlmodel import Session

from infoshare_widget.base import routes
from infoshare_widget.auth.accounts import SignInResult, sign_in
from infoshare_widget.auth.sessions import SignedIn, resolve, sign_out
from infoshare_widget.auth.accounts import (
    SIGN_IN_AGAIN,
    confirm_enrolment,
    give_code,
    redeem_reset,
    start_enrolment,
)
from infoshare_widget.compat.not_kept import NotKept, not_kept
from infoshare_widget.components.database_trouble import NotAnswered, ask_database
from infoshare_widget.components.trouble.state import answered
from infoshare_widget.base.client_address import client_address
from infoshare_widget.base.settings import trusted_proxies
from infoshare_widget.base.access import actions_for
from infoshare_widget.base.db import in_database

log = logging.getLogger(__name__)
T = TypeVar("T")


async def with_session(state: rx.State, secret: str, work: Callable[[Session, SignedIn], T]) -> T | None:
    """Resolve who holds the secret and do the work, in one database session, off the event loop. The
    address the event came from (from the state's router) goes with the actor, for the access log.

    None when the session is missing, expired or idle too long (the work is not done).
    """
    client = client_of(state)

    def run(session: Session) -> T | None:
        who = resolve(session=session, secret=secret if isinstance(secret, str) else "")
        if who is None:
            return None
        return work(session, dataclasses.replace(who, actor=dataclasses.replace(who.actor, client=client)))

    return await in_database(run)


def as_text(value: object) -> str:
    """A secret or code from the browser, as text (anything else is empty)."""
    return value if isinstance(value, str) else ""


def _typed_code(form: object) -> str:
    """The code field of a form, cut to a sensible length."""
    return str((form if isinstance(form, dict) else {}).get("code", ""))[:64]


def client_of(state: rx.State) -> str:
    """The address an event came from: the connection's, or behind a trusted proxy the one it
    forwarded (base/client_address.py)."""
    forwarded = state.router.headers.raw_headers.get("x-forwarded-for")
    return client_address(str(state.router.session.client_ip or ""), forwarded, trusted_proxies())


def display_name(who: SignedIn) -> str:
    return f"{who.actor.name}, {who.organisation_name}"


@not_kept("handoff")
class AuthState(NotKept, rx.State):
    """Who is signed in, for the header, and at what level (for which links to show; the server
    checks the level again on every read and write). The session secret is never kept here."""

    who: str = ""
    level: str = ""
    sign_in_error: str = ""
    sign_in_notice: str = ""
    # A new session's secret, on its way to the browser tab (sent once, never kept).
    handoff: str = ""

    @rx.var
    def can(self) -> list[str]:
        """What the level allows (infoshare_widget/base/access.py), so pages show only what the server
        would allow; the server checks again on every read and write."""
        return actions_for(self.level)

    def _hand_over(self, secret: str, who: SignedIn) -> None:
        """Give a new session to the browser tab: from a password sign-in or a partner's token."""
        self.handoff, self.sign_in_error, self.who = secret, "", display_name(who)
        self.level, self.sign_in_notice = who.actor.access, ""

    def _forget(self) -> None:
        """Forget who was signed in (after sign-out, expiry, or a refused identity token)."""
        self.who, self.level = "", ""

    async def _try_sign_in(self, form: dict) -> SignInResult | None:
        """Check the form's organisation, username and password; the result (a full session or a
        second step), or None with a message."""
        org, username, password = (str(form.get(k, "")).strip() for k in ("organisation", "username", "password"))
        if not (org and username and password):
            self.sign_in_error = "Enter your organisation, username and password"
            return None
        client = client_of(self)

        # Argon2 takes a quarter of a second: off the event loop, so other users are not held up.
        result = await ask_database(self, in_database(lambda session: sign_in(
            session=session, org_id=org[:64], username=username[:120], password=password[:200], client=client)),
            show="sign_in_error")
        if isinstance(result, NotAnswered):
            return None  # the caller moves focus to the sign-in error on its page
        if result.secret is None or result.who is None:
            self.sign_in_error = result.message
            return None
        if result.waiting_for:
            # Only the second step opens with this secret; the header still says signed out.
            self.handoff, self.sign_in_error = result.secret, ""
        else:
            self._hand_over(result.secret, result.who)
        return result

    @rx.event
    @answered("resend")
    async def submit_sign_in(self, form: dict):
        """The sign-in page: on success go on (to the second step for an elevated account)."""
        result = await self._try_sign_in(form if isinstance(form, dict) else {})
        if result is None:
            return rx.set_focus("sign-in-error")
        if result.waiting_for:
            return rx.redirect(routes.second_step(result.waiting_for))
        return rx.redirect(routes.home_for(result.who.actor.access))

    @rx.event
    async def sign_out(self, secret: str):
        """End the session on the server (the browser forgets its secret as it sends this)."""
        # Not said when the database does not answer: the browser has forgotten the secret, and the
        # session ends at its idle time.
        await ask_database(self, in_database(lambda session: sign_out(session=session, secret=as_text(secret))),
                           show=None)
        self._forget()
        return rx.redirect(routes.SIGN_IN)

    def _signed_out(self):
        """The session is missing, expired or idle too long: sign in again."""
        self._forget()
        return rx.redirect(routes.SIGN_IN)


@not_kept("qr", "key", "recovery_codes")
class SecondFactorState(NotKept, rx.State):
    """The second step of an elevated sign-in: a code, or setting up an authenticator. The QR code,
    the key and the recovery codes are sent once and never kept."""

    error: str = ""
    qr: str = ""
    key: str = ""
    recovery_codes: list[str] = []
    next_page: str = ""

    async def _signed_in(self, result: SignInResult):
        auth = await self.get_state(AuthState)
        auth._hand_over(result.secret, result.who)
        self.error = ""
        return routes.home_for(result.who.actor.access)

    @rx.event
    @answered("resend")
    async def submit_code(self, secret: str, form: dict):
        """A code from the app, or a recovery code."""
        code, client = _typed_code(form), client_of(self)
        if not code.strip():
            self.error = "Enter the 6-digit code from your authenticator app, or a recovery code"
            return rx.set_focus("code-error")
        result = await ask_database(self, in_database(lambda session: give_code(
            session=session, secret=as_text(secret), code=code, client=client)), show="error", focus="code-error")
        if isinstance(result, NotAnswered):
            return result.reply
        if result.secret is None:
            self.error = result.message
            return rx.set_focus("code-error")
        return rx.redirect(await self._signed_in(result))

    @rx.event
    async def load_set_up(self, secret: str):
        """A new authenticator secret to scan (a fresh one each time the page opens)."""
        self.error, self.recovery_codes = "", []

        enrolment = await ask_database(self, in_database(lambda session: start_enrolment(
            session=session, secret=as_text(secret))), show="error", focus="code-error")
        if isinstance(enrolment, NotAnswered):
            return enrolment.reply
        if enrolment is None:
            auth = await self.get_state(AuthState)
            auth.sign_in_error = SIGN_IN_AGAIN
            return rx.redirect(routes.SIGN_IN)
        self.qr, self.key = enrolment.qr, enrolment.key
        return None

    @rx.event
    @answered("resend")
    async def confirm_set_up(self, secret: str, form: dict):
        """The first code confirms the set-up; then the recovery codes are shown, once."""
        code, client = _typed_code(form), client_of(self)
        if not code.strip():
            self.error = "Enter the 6-digit code your authenticator app shows"
            return rx.set_focus("code-error")
        enrolled = await ask_database(self, in_database(lambda session: confirm_enrolment(
            session=session, secret=as_text(secret), code=code, client=client)), show="error", focus="code-error")
        if isinstance(enrolled, NotAnswered):
            return enrolled.reply
        if enrolled.result.secret is None:
            self.error = enrolled.result.message
            return rx.set_focus("code-error")
        self.next_page = await self._signed_in(enrolled.result)
        self.recovery_codes = enrolled.recovery_codes
        return rx.set_focus("recovery-codes")


class ResetPasswordState(rx.State):
    """Setting a password with a one-time code (nothing typed is kept)."""

    error: str = ""

    @rx.event
    @answered("check")
    async def submit(self, form: dict):
        form = form if isinstance(form, dict) else {}
        org, username, code = (str(form.get(k, "")).strip()[:120] for k in ("organisation", "username", "code"))
        password, again = str(form.get("password", ""))[:300], str(form.get("password_again", ""))[:300]
        if not (org and username and code and password):
            self.error = "Enter your organisation, username, the code you were given and a new password"
            return rx.set_focus("reset-error")
        if password != again:
            self.error = "The two passwords are not the same"
            return rx.set_focus("reset-error")
        client = client_of(self)

        message = await ask_database(self, in_database(lambda session: redeem_reset(
            session=session, org_id=org, username=username, code=code, password=password, client=client)),
            show="error", focus="reset-error")
        if isinstance(message, NotAnswered):
            return message.reply
        if message:
            self.error = message
            return rx.set_focus("reset-error")
        self.error = ""
        auth = await self.get_state(AuthState)
        auth.sign_in_error, auth.sign_in_notice = "", "Your password is set. Sign in with it now."
        return rx.redirect(routes.SIGN_IN)
