"""Record page states. Thin: the service and the screens do the work.

What State keeps (Reflex pickles it to disk or Redis): ids, messages, and the signed-in person's
name. What it never keeps: record content, and the session secret.

- The session secret lives in the browser tab (assets/session.js, sessionStorage) and comes with
  each event that needs it, as an argument (`SESSION`). The server stores only its hash, in the
  sessions table. Sign-in hands it to the browser through `AuthState.handoff`, which is not kept.
- Record content is read from the database in a worker thread by the event that needs it (one
  database session and one actor lookup per event) and sent in that event's delta through vars
  marked `@not_kept`, which go back to their defaults on the server as soon as they are sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

import reflex as rx
from reflex.vars.base import Var
from sqlmodel import Session

from infoshare_widget import routes
from infoshare_widget.auth import SignedIn, SignInResult, resolve, sign_in, sign_out
from infoshare_widget.clock import uk_today
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.not_kept import NotKept, not_kept
from infoshare_widget.records.db import get_engine
from infoshare_widget.records.details import check_details
from infoshare_widget.records.screens import (
    clean_filters,
    details_screen,
    is_date,
    record_filter,
    record_screen,
    records_screen,
)
from infoshare_widget.records.service import NotFound, RecordError, amend, record_decision

PER_PAGE = 20
T = TypeVar("T")

# The session secret, read from the browser tab when an event is sent (assets/session.js).
SESSION: Var[str] = Var(_js_expr="(window.infoshareSession?.get() ?? '')").to(str)


async def with_session(secret: str, work: Callable[[Session, SignedIn], T]) -> T | None:
    """Resolve who holds the secret and do the work, in one database session, off the event loop.

    None when the session is missing, expired or idle too long (the work is not done).
    """
    def run() -> T | None:
        with Session(get_engine()) as session:
            who = resolve(session=session, secret=secret if isinstance(secret, str) else "")
            return None if who is None else work(session, who)

    return await asyncio.to_thread(run)


def _display_name(who: SignedIn) -> str:
    return f"{who.actor.name}, {who.organisation_name}"


@not_kept("handoff")
class AuthState(NotKept, rx.State):
    """Who is signed in, for the header. The session secret is never kept here."""

    who: str = ""
    sign_in_error: str = ""
    # A new session's secret, on its way to the browser tab (sent once, never kept).
    handoff: str = ""

    def _hand_over(self, secret: str, who: SignedIn) -> None:
        """Give a new session to the browser tab: from a password sign-in or a partner's token."""
        self.handoff, self.sign_in_error, self.who = secret, "", _display_name(who)

    def _forget(self) -> None:
        """Forget who was signed in (after sign-out, expiry, or a refused identity token)."""
        self.who = ""

    async def _try_sign_in(self, form: dict) -> tuple[str, SignedIn] | None:
        """Check the form's organisation, username and password; the new session, or None with a message."""
        org, username, password = (str(form.get(k, "")).strip() for k in ("organisation", "username", "password"))
        if not (org and username and password):
            self.sign_in_error = "Enter your organisation, username and password"
            return None
        client = self.router.session.client_ip

        def check() -> SignInResult:
            with Session(get_engine()) as session:
                return sign_in(session=session, org_id=org[:64], username=username[:120], password=password[:200],
                               client=client)

        # Argon2 takes a quarter of a second: off the event loop, so other users are not held up.
        result = await asyncio.to_thread(check)
        if result.secret is None or result.who is None:
            self.sign_in_error = result.message
            return None
        self._hand_over(result.secret, result.who)
        return result.secret, result.who

    @rx.event
    async def submit_sign_in(self, form: dict):
        """The sign-in page: on success, go to the records."""
        if await self._try_sign_in(form if isinstance(form, dict) else {}):
            return rx.redirect(routes.RECORDS)
        return rx.set_focus("sign-in-error")

    @rx.event
    async def sign_out(self, secret: str):
        """End the session on the server (the browser forgets its secret as it sends this)."""
        def end() -> None:
            with Session(get_engine()) as session:
                sign_out(session=session, secret=secret if isinstance(secret, str) else "")

        await asyncio.to_thread(end)
        self._forget()
        return rx.redirect(routes.SIGN_IN)

    def _signed_out(self):
        """The session is missing, expired or idle too long: sign in again."""
        self._forget()
        return rx.redirect(routes.SIGN_IN)


class RecordState(rx.State):
    """Recording a decision with one click from an outcome: only ids and the reference are kept."""

    pending: dict[str, str] = {}
    pending_walk: int = -1
    recorded_walk: int = -1
    record_id: str = ""
    reference: str = ""
    error: str = ""
    needs_sign_in: bool = False

    async def _save(self, secret: str, answers: dict, walk: int):
        chart = get_chart()

        def save(session: Session, who: SignedIn):
            return record_decision(session=session, actor=who.actor, chart=chart, answers=answers)

        try:
            record = await with_session(secret, save)
        except RecordError as exc:
            self.error = str(exc)
            return None
        if record is None:
            # Keep only question ids and yes/no/unsure: nothing else from the browser is stored.
            clean = {k: v for k, v in answers.items() if k in chart.questions and v in ("yes", "no", "unsure")}
            self.pending, self.pending_walk, self.needs_sign_in = clean, walk, True
            return rx.set_focus("record-sign-in-organisation")
        self.record_id, self.reference = record.id, record.reference
        self.recorded_walk, self.pending, self.needs_sign_in, self.error = walk, {}, False, ""
        # An embedding intranet page hears of the reference from embed-frame.js, which watches for it.
        return rx.set_focus("record-done")

    @rx.event
    async def record_decision(self, answers: dict, walk: int, secret: str):
        """One click: save the decision the answers lead to (the server walks them again)."""
        try:
            walk = int(walk)
        except (TypeError, ValueError):
            walk = -1
        return await self._save(secret, answers if isinstance(answers, dict) else {}, walk)

    @rx.event
    async def sign_in_and_record(self, form: dict):
        """Sign in from the outcome page, then save the decision that was waiting."""
        auth = await self.get_state(AuthState)
        signed_in = await auth._try_sign_in(form if isinstance(form, dict) else {})
        if signed_in is None:
            return rx.set_focus("record-sign-in-error")
        return await self._save(signed_in[0], self.pending, self.pending_walk)


def _record_id(value: object) -> str:
    """A record id from the browser, as text of a sensible length."""
    return value[:32] if isinstance(value, str) else ""


@not_kept("shown_id", "reference", "prefill")
class DetailsState(NotKept, rx.State):
    """The details form of one record: field errors and hints (never the typed values)."""

    errors: dict[str, str] = {}
    hints: dict[str, str] = {}
    # Sent once per load, never kept: which record, its reference, the suggestions from its path.
    shown_id: str = ""
    reference: str = ""
    prefill: dict[str, str] = {}

    @rx.event
    async def load(self, secret: str, record_id: str):
        """A fresh form for the record in the address, with suggestions from its path."""
        record_id = _record_id(record_id)
        self.errors, self.hints = {}, {}
        screen = await with_session(secret, lambda session, who: details_screen(session=session, who=who,
                                                                                 record_id=record_id))
        if screen is None:
            return (await self.get_state(AuthState))._signed_out()
        self.shown_id, self.reference, self.prefill = record_id, screen.reference, screen.prefill
        return None

    @rx.event
    async def save(self, secret: str, record_id: str, form: dict):
        """Check every field on the server; save all or nothing, keeping what was typed on error."""
        form = form if isinstance(form, dict) else {}
        record_id = _record_id(record_id)
        categories = [key.removeprefix("category-") for key, on in form.items() if key.startswith("category-") and on]
        result = check_details({**form, "categories": categories}, uk_today())
        self.hints = result.hints
        if not result.ok:
            self.errors = result.errors
            return rx.set_focus("error-summary")
        values = {k: v for k, v in result.values.items() if v not in ("", [], None)}

        def save(session: Session, who: SignedIn) -> bool:
            try:
                amend(session=session, actor=who.actor, record_id=record_id, kind="details", data=values,
                      case_reference=values.get("case_reference") or None, check_by=result.check_by)
            except NotFound:
                return False
            return True

        saved = await with_session(secret, save)
        if saved is None:
            # Signed out meanwhile: say so here, so what was typed stays on the page.
            self.errors = {"form": "Your session has ended. Sign in again in another tab, then save again"}
            return rx.set_focus("error-summary")
        if not saved:
            self.errors = {"form": "There is no such record"}
            return rx.set_focus("error-summary")
        self.errors = {}
        return rx.redirect(routes.record(record_id))


@not_kept("rows", "has_next", "checks", "filters", "page")
class RecordsState(NotKept, rx.State):
    """The list of the organisation's records. Rows, filters and page go to the browser and come
    back with the next event; only messages are kept."""

    filter_error: str = ""
    # The follow-up buttons in 'To check': which was pressed (the click arrives before the submit).
    result: str = ""
    follow_up_message: str = ""
    # Sent with each load, never kept.
    rows: list[dict[str, str]] = []
    has_next: bool = False
    checks: list[dict[str, str]] = []
    filters: dict[str, str] = {}
    page: int = 1

    async def _show(self, secret: str, filters: dict, page: int):
        filters = clean_filters(filters if isinstance(filters, dict) else {})
        try:
            page = max(1, min(int(page), 100_000))
        except (TypeError, ValueError):
            page = 1
        chart = get_chart()
        screen = await with_session(secret, lambda session, who: (
            records_screen(session=session, who=who, chart=chart, filters=record_filter(filters), page=page,
                           per_page=PER_PAGE), _display_name(who)))
        if screen is None:
            return (await self.get_state(AuthState))._signed_out()
        listing, name = screen
        (await self.get_state(AuthState)).who = name
        self.rows, self.has_next, self.checks = listing.rows, listing.has_next, listing.checks
        self.filters, self.page = filters, page
        return None

    @rx.event
    async def load(self, secret: str):
        """The first page, unfiltered (the page opening)."""
        self.filter_error, self.follow_up_message = "", ""
        return await self._show(secret, {}, 1)

    @rx.event
    async def apply_filters(self, secret: str, form: dict):
        """Filter the list (bad dates are refused with a message, the other filters kept)."""
        filters = clean_filters(form if isinstance(form, dict) else {})
        bad = [name for name, key in (("From", "date_from"), ("To", "date_to"))
               if filters[key] and not is_date(filters[key])]
        self.filter_error = f"{' and '.join(bad)} must be a date" if bad else ""
        return await self._show(secret, filters, 1)

    @rx.event
    async def go_to_page(self, secret: str, filters: dict, page: int):
        """Another page of the same list."""
        return await self._show(secret, filters, page)

    @rx.event
    def choose_result(self, result: str):
        """Remember which follow-up button was pressed: 'confirmed' or 'not_done'."""
        self.result = result if result in ("confirmed", "not_done") else ""

    @rx.event
    async def mark_follow_up(self, secret: str, filters: dict, page: int, form: dict):
        """One click from 'To check': they acted, or not (which opens the record with who to escalate to)."""
        form = form if isinstance(form, dict) else {}
        record_id = str(form.get("record_id", ""))[:32]
        note = str(form.get("note", "")).strip()
        result = self.result
        if result not in ("confirmed", "not_done"):
            self.follow_up_message = "Select whether they acted"
            return None
        if len(note) > 500:
            self.follow_up_message = f"Enter a note of no more than 500 characters (you entered {len(note)})"
            return None

        def mark(session: Session, who: SignedIn) -> bool:
            try:
                amend(session=session, actor=who.actor, record_id=record_id, kind="follow_up",
                      data={"result": result, "note": note})
            except NotFound:
                return False
            return True

        marked = await with_session(secret, mark)
        if marked is None:
            return (await self.get_state(AuthState))._signed_out()
        if not marked:
            self.follow_up_message = "There is no such record"
            return None
        if result == "not_done":
            self.follow_up_message = ""
            return rx.redirect(routes.record(record_id))
        self.follow_up_message = "Marked as done: they acted."
        return await self._show(secret, filters, page)


@not_kept("shown_id", "heading", "rows", "follow_up", "summary")
class RecordPageState(NotKept, rx.State):
    """One record, from the address; its content is sent on each load and never kept."""

    shown_id: str = ""
    heading: str = ""
    rows: list[dict[str, str]] = []
    follow_up: str = ""
    summary: str = ""

    @rx.event
    async def load(self, secret: str, record_id: str):
        """The record in the address, as it reads now."""
        record_id = _record_id(record_id)
        chart = get_chart()
        screen = await with_session(secret, lambda session, who: record_screen(session=session, who=who, chart=chart,
                                                                                record_id=record_id))
        if screen is None:
            return (await self.get_state(AuthState))._signed_out()
        self.shown_id, self.heading, self.rows = record_id, screen.reference, screen.rows
        self.follow_up, self.summary = screen.follow_up, screen.summary
        return None
