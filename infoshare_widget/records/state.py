"""Record page states. Thin: the service and the view model (pages_view_model.py) do the work.

What State keeps (Reflex pickles it to disk or Redis): ids, messages, and the signed-in person's
name. What it never keeps: record content, and the session secret.

- The session secret lives in the browser tab (assets/records.js, sessionStorage) and comes with
  each event that needs it, as an argument (`SESSION`, auth/state.py).
- Record content is read from the database in a worker thread by the event that needs it (one
  database session and one actor lookup per event) and sent in that event's delta through vars
  marked `@not_kept`, which go back to their defaults on the server as soon as they are sent.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TypeVar

import reflex as rx
from sqlmodel import Session

from infoshare_widget.base import routes
from infoshare_widget.auth import SignedIn
from infoshare_widget.base.clock import is_record_date, uk_today
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.compat.not_kept import NotKept, not_kept
from infoshare_widget.components.database_trouble import NotAnswered, ask_database
from infoshare_widget.components.trouble.state import answered
from infoshare_widget.records.details import check_details
from infoshare_widget.base.settings import get_partnership
from infoshare_widget.records.pages_view_model import (
    clean_filters,
    details_screen,
    record_filter,
    record_screen,
    records_screen,
)
from infoshare_widget.base.access import Refused
from infoshare_widget.records.service import NotFound, amend, amendment_key, note_use, record_decision
from infoshare_widget.base.acting import RecordError
from infoshare_widget.auth.state import AuthState, display_name, as_text, with_session
from infoshare_widget.alerts.pages_view_model import attention_screen
from infoshare_widget.alerts.state import AttentionState


PER_PAGE = 20
log = logging.getLogger(__name__)
T = TypeVar("T")


_HELD_KEY = re.compile(r"[A-Za-z0-9-]{8,64}")


def held_decision(held: object) -> tuple[dict, int, str]:
    """(answers, walk, key) of a decision held in the tab while offline, as the browser sends it
    ({answers, walk, key}); the key is "" when the value is not one (nothing is then recorded)."""
    if not isinstance(held, dict):
        return {}, -1, ""
    answers, key, walk = held.get("answers"), held.get("key"), held.get("walk")
    if not isinstance(answers, dict) or not isinstance(key, str) or not _HELD_KEY.fullmatch(key):
        return {}, -1, ""
    return answers, walk if isinstance(walk, int) and not isinstance(walk, bool) else -1, key


class RecordState(rx.State):
    """Recording a decision with one click from an outcome: only ids and the reference are kept."""

    pending: dict[str, str] = {}
    pending_walk: int = -1
    pending_key: str = ""
    recorded_walk: int = -1
    record_id: str = ""
    reference: str = ""
    error: str = ""
    needs_sign_in: bool = False
    # "<key> <reference>" of the last decision saved with a key (the key is a random token the tab made).
    saved: str = ""

    async def _save(self, secret: str, answers: dict, walk: int, key: str):
        chart = get_chart()
        key = key[:64] if isinstance(key, str) else ""

        def save(session: Session, who: SignedIn):
            return record_decision(session=session, actor=who.actor, chart=chart, answers=answers,
                                   client_key=key or None)

        try:
            record = await ask_database(self, with_session(self, secret, save), show="error")
        except (RecordError, Refused) as exc:
            self.error = str(exc)
            return None
        if isinstance(record, NotAnswered):
            # Nothing was saved, and the same key makes the retry record once.
            return record.reply
        if record is None:
            # Keep only question ids and yes/no/unsure: nothing else from the browser is stored.
            clean = {k: v for k, v in answers.items() if k in chart.questions and v in ("yes", "no", "unsure")}
            self.pending, self.pending_walk, self.needs_sign_in = clean, walk, True
            self.pending_key = key
            return rx.set_focus("record-sign-in-organisation")
        self.record_id, self.reference, self.pending_key = record.id, record.reference, ""
        self.recorded_walk, self.pending, self.needs_sign_in, self.error = walk, {}, False, ""
        # A decision held in the tab while offline is forgotten there once saved (assets/records.js,
        # told by the record panel when this changes).
        self.saved = f"{key} {record.reference}" if key else ""
        # An embedding intranet page hears of the reference from embed-frame.js, which watches for it.
        return rx.set_focus("record-done")

    @rx.event
    @answered("resend")
    async def record_decision(self, answers: dict, walk: int, secret: str, key: str = ""):
        """One click: save the decision the answers lead to (the server walks them again)."""
        try:
            walk = int(walk)
        except (TypeError, ValueError):
            walk = -1
        return await self._save(secret, answers if isinstance(answers, dict) else {}, walk, key)

    @rx.event
    @answered("resend")
    async def record_held(self, held: dict, secret: str):
        """Back online: record a decision held in the tab while offline (assets/records.js), with the
        key it was held under, so it is recorded once however often it arrives."""
        answers, walk, key = held_decision(held)
        if not key:
            return None
        return await self._save(secret, answers, walk, key)

    @rx.event
    @answered("resend")
    async def sign_in_and_record(self, form: dict):
        """Sign in from the outcome page, then save the decision that was waiting."""
        auth = await self.get_state(AuthState)
        signed_in = await auth._try_sign_in(form if isinstance(form, dict) else {})
        if signed_in is None:
            return rx.set_focus("record-sign-in-error")
        if signed_in.waiting_for:
            # An elevated account gives its second factor first; the answers stay in the tab, so the
            # outcome is there to record when they come back.
            return rx.redirect(routes.second_step(signed_in.waiting_for))
        return await self._save(signed_in.secret, self.pending, self.pending_walk, self.pending_key)


def _amending(record_id: str, kind: str, data: dict, attempt: str = "", *, case_reference: str | None = None,
              check_by=None) -> Callable[[Session, SignedIn], bool | str]:
    """The work of one amendment, for with_session: True when saved (or saved before by the same
    attempt: see service.amendment_key), False when there is no such record (for this person), or the
    refusal's message."""
    key = amendment_key(attempt, record_id, kind, data, case_reference, check_by)

    def work(session: Session, who: SignedIn) -> bool | str:
        try:
            amend(session=session, actor=who.actor, record_id=record_id, kind=kind, data=data,
                  case_reference=case_reference, check_by=check_by, client_key=key)
        except NotFound:
            return False
        except (Refused, RecordError) as exc:
            return str(exc)
        return True

    return work


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
        screen = await with_session(self, secret, lambda session, who: details_screen(
            session=session, who=who, record_id=record_id))
        if screen is None:
            return (await self.get_state(AuthState))._signed_out()
        self.shown_id, self.reference, self.prefill = record_id, screen.reference, screen.prefill
        return None

    @rx.event
    @answered("resend")
    async def save(self, secret: str, record_id: str, attempt: str, form: dict):
        """Check every field on the server; save all or nothing, keeping what was typed on error. The
        same save sent again (the page's watchdog, or a second press) saves once."""
        form = form if isinstance(form, dict) else {}
        record_id = _record_id(record_id)
        categories = [key.removeprefix("category-") for key, on in form.items() if key.startswith("category-") and on]
        agencies = {a.id: a.name for a in get_partnership().agencies}
        result = check_details({**form, "categories": categories}, uk_today(), agencies)
        self.hints = result.hints
        if not result.ok:
            self.errors = result.errors
            return rx.set_focus("error-summary")
        values = {k: v for k, v in result.values.items() if v not in ("", [], None)}
        saved = await ask_database(self, with_session(self, secret, _amending(
            record_id, "details", values, as_text(attempt), case_reference=values.get("case_reference") or None,
            check_by=result.check_by)), show="errors", under="form", focus="error-summary")
        if isinstance(saved, NotAnswered):
            return saved.reply
        if isinstance(saved, str):
            self.errors = {"form": saved}
            return rx.set_focus("error-summary")
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
    refused: str = ""  # the level may not list records (an admin): why
    # The follow-up buttons in 'To check': which was pressed (the click arrives before the submit).
    result: str = ""
    follow_up_message: str = ""
    # Sent with each load, never kept.
    rows: list[dict[str, str]] = []
    has_next: bool = False
    checks: list[dict[str, str]] = []
    filters: dict[str, str] = {}
    page: int = 1

    async def _show(self, secret: str, filters: dict, page: int, opening: bool = False):
        filters = clean_filters(filters if isinstance(filters, dict) else {})
        try:
            page = max(1, min(int(page), 100_000))
        except (TypeError, ValueError):
            page = 1
        chart = get_chart()
        screen = await ask_database(self, with_session(self, secret, lambda session, who: (
            records_screen(session=session, who=who, chart=chart, filters=record_filter(filters), page=page,
                           per_page=PER_PAGE), display_name(who), who.actor.access,
            # As the page opens, a lead's "Needs your attention" too, in the same session.
            attention_screen(session, who) if opening else None)), show="filter_error")
        if isinstance(screen, NotAnswered):
            return screen.reply
        if screen is None:
            return (await self.get_state(AuthState))._signed_out()
        listing, name, level, attention = screen
        if attention is not None:
            (await self.get_state(AttentionState)).take(attention)
        auth = await self.get_state(AuthState)
        auth.who, auth.level = name, level
        self.refused = listing.refused
        self.rows, self.has_next, self.checks = listing.rows, listing.has_next, listing.checks
        self.filters, self.page = filters, page
        return None

    @rx.event
    async def load(self, secret: str):
        """The first page, unfiltered (the page opening)."""
        self.filter_error, self.follow_up_message = "", ""
        (await self.get_state(AttentionState)).message = ""
        return await self._show(secret, {}, 1, opening=True)

    @rx.event
    async def apply_filters(self, secret: str, form: dict):
        """Filter the list (bad dates are refused with a message, the other filters kept)."""
        filters = clean_filters(form if isinstance(form, dict) else {})
        bad = [name for name, key in (("From", "date_from"), ("To", "date_to"))
               if filters[key] and not is_record_date(filters[key])]
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
    @answered("resend")
    async def mark_follow_up(self, secret: str, filters: dict, page: int, attempt: str, form: dict):
        """One click from 'To check': they acted, or not (which opens the record with who to escalate to).
        The same press sent again saves once."""
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
        marked = await ask_database(self, with_session(self, secret, _amending(
            record_id, "follow_up", {"result": result, "note": note}, as_text(attempt))), show="follow_up_message")
        if isinstance(marked, NotAnswered):
            return marked.reply
        if marked is None:
            return (await self.get_state(AuthState))._signed_out()
        if isinstance(marked, str):
            self.follow_up_message = marked
            return None
        if not marked:
            self.follow_up_message = "There is no such record"
            return None
        if result == "not_done":
            self.follow_up_message = ""
            return rx.redirect(routes.record(record_id))
        self.follow_up_message = "Marked as done: they acted."
        return await self._show(secret, filters, page)


@not_kept("shown_id", "heading", "rows", "follow_up", "summary", "readers")
class RecordPageState(NotKept, rx.State):
    """One record, from the address; its content is sent on each load and never kept."""

    shown_id: str = ""
    heading: str = ""
    rows: list[dict[str, str]] = []
    follow_up: str = ""
    summary: str = ""
    readers: list[dict[str, str]] = []
    refused: str = ""
    removed: bool = False

    @rx.event
    async def note_use(self, secret: str, record_id: str, purpose: str):
        """Print and Copy summary use what is already on the page: log them as reads of the record."""
        record_id, purpose = _record_id(record_id), as_text(purpose)
        # Not said to the person when the database does not answer: the print or copy itself happened in
        # the browser; only its log line is missing.
        await ask_database(self, with_session(self, secret, lambda session, who: note_use(
            session=session, actor=who.actor, record_id=record_id, purpose=purpose)), show=None)
        return None

    @rx.event
    async def load(self, secret: str, record_id: str):
        """The record in the address, as it reads now."""
        record_id = _record_id(record_id)
        chart = get_chart()
        screen = await with_session(self, secret, lambda session, who: record_screen(
            session=session, who=who, chart=chart, record_id=record_id))
        if screen is None:
            return (await self.get_state(AuthState))._signed_out()
        self.shown_id, self.heading, self.rows = record_id, screen.reference, screen.rows
        self.follow_up, self.summary, self.readers = screen.follow_up, screen.summary, screen.readers
        self.refused, self.removed = screen.refused, screen.removed
        return None
