"""Record page states. Thin: the service does the work; State keeps ids, filters and messages.

Record content is never kept in State (which Reflex pickles to disk or Redis): pages read it from
the database through computed vars that are not cached, and the details form's typed values stay in
the browser's form until they are saved.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import reflex as rx
from sqlmodel import Session

from infoshare_widget import routes
from infoshare_widget.flowchart.chart import OUTCOME_KINDS, get_chart
from infoshare_widget.auth import SignedIn, SignInResult, resolve, sign_in, sign_out
from infoshare_widget.records.db import get_engine
from infoshare_widget.records.details import check_details, suggestions
from infoshare_widget.records.export import export_rows, to_csv, to_json
from infoshare_widget.clock import uk_today
from infoshare_widget.records.summary import local_time, summary_rows, summary_text
from infoshare_widget.records.service import (
    NotFound,
    RecordError,
    RecordFilter,
    RecordPage,
    RecordView,
    amend,
    get_record,
    list_records,
    record_decision,
    to_check,
)

PER_PAGE = 20


def _record_for(who: SignedIn | None, record_id: str) -> RecordView | None:
    """The record as it reads now, if it belongs to the signed-in organisation; else None."""
    if who is None or not record_id:
        return None
    with Session(get_engine()) as session:
        try:
            return get_record(session=session, org_id=who.actor.org_id, record_id=record_id)
        except NotFound:
            return None


class AuthState(rx.State):
    """Who is signed in to the standalone widget: a session token, and their name for the header."""

    # The session secret, on the server side of the session only (never sent to the browser).
    _secret: str = ""
    who: str = ""
    sign_in_error: str = ""

    def _signed_in(self) -> SignedIn | None:
        if not self._secret:
            return None
        with Session(get_engine()) as session:
            return resolve(session=session, secret=self._secret)

    def _use_session(self, secret: str, who: SignedIn) -> None:
        """Hold a session: from a password sign-in, or from a partner-signed identity token."""
        self._secret, self.sign_in_error = secret, ""
        self.who = f"{who.actor.name}, {who.organisation_name}"

    def _forget(self) -> None:
        """Forget the session (after sign-out, expiry, or a refused identity token)."""
        self._secret, self.who = "", ""

    async def _try_sign_in(self, form: dict) -> bool:
        org, username, password = (str(form.get(k, "")).strip() for k in ("organisation", "username", "password"))
        if not (org and username and password):
            self.sign_in_error = "Enter your organisation, username and password"
            return False
        client = self.router.session.client_ip

        def check() -> SignInResult:
            with Session(get_engine()) as session:
                return sign_in(session=session, org_id=org[:64], username=username[:120], password=password[:200],
                               client=client)

        # Argon2 takes a quarter of a second: off the event loop, so other users are not held up.
        result = await asyncio.to_thread(check)
        if result.secret is None or result.who is None:
            self.sign_in_error = result.message
            return False
        self._use_session(result.secret, result.who)
        return True

    @rx.event
    async def submit_sign_in(self, form: dict):
        """The sign-in page: on success, go to the records."""
        if await self._try_sign_in(form):
            return rx.redirect(routes.RECORDS)
        return rx.call_script("document.getElementById('sign-in-error')?.focus()")

    @rx.event
    def sign_out(self):
        """End the session on the server and forget it here."""
        with Session(get_engine()) as session:
            sign_out(session=session, secret=self._secret)
        self._forget()
        return rx.redirect(routes.SIGN_IN)

    @rx.event
    def require_sign_in(self):
        """For pages that need it: go to sign in when the session is missing, expired or idle too long."""
        if self._signed_in() is None:
            self._forget()
            return rx.redirect(routes.SIGN_IN)
        return None


class RecordState(rx.State):
    """Recording a decision with one click from an outcome: only ids and the reference are kept."""

    pending: dict[str, str] = {}
    pending_walk: int = -1
    recorded_walk: int = -1
    record_id: str = ""
    reference: str = ""
    error: str = ""
    needs_sign_in: bool = False

    async def _save(self, answers: dict, walk: int):
        auth = await self.get_state(AuthState)
        who = auth._signed_in()
        if who is None:
            # Keep only question ids and yes/no/unsure: nothing else from the browser is stored.
            chart = get_chart()
            clean = {k: v for k, v in answers.items() if k in chart.questions and v in ("yes", "no", "unsure")}
            self.pending, self.pending_walk, self.needs_sign_in = clean, walk, True
            return rx.call_script("document.getElementById('record-sign-in-organisation')?.focus()")
        try:
            with Session(get_engine()) as session:
                record = record_decision(session=session, actor=who.actor, chart=get_chart(), answers=answers)
                self.record_id, self.reference = record.id, record.reference
        except RecordError as exc:
            self.error = str(exc)
            return None
        self.recorded_walk, self.pending, self.needs_sign_in, self.error = walk, {}, False, ""
        # Tell an embedding intranet page (embed-frame.js passes it on; the reference only).
        return rx.call_script(
            "document.getElementById('record-done')?.focus();"
            f"document.dispatchEvent(new CustomEvent('infoshare:recorded', {{detail: {json.dumps(self.reference)}}}))"
        )

    @rx.event
    async def record_decision(self, answers: dict, walk: int):
        """One click: save the decision the answers lead to (the server walks them again)."""
        return await self._save(answers if isinstance(answers, dict) else {}, int(walk))

    @rx.event
    async def sign_in_and_record(self, form: dict):
        """Sign in from the outcome page, then save the decision that was waiting."""
        auth = await self.get_state(AuthState)
        if not await auth._try_sign_in(form):
            return rx.call_script("document.getElementById('record-sign-in-error')?.focus()")
        return await self._save(self.pending, self.pending_walk)


class DetailsState(rx.State):
    """The details form of one record: field errors and hints (never the typed values)."""

    record_id: str = ""
    errors: dict[str, str] = {}
    hints: dict[str, str] = {}

    @rx.var(cache=False)
    async def prefill(self) -> dict[str, str]:
        """Suggestions from the path: the lawful basis for the outcome, and consent where it was given."""
        view = await self._view()
        if view is None:
            return {}
        return suggestions(view.record.outcome_kind, {step["id"]: step["answer"] for step in view.path})

    async def _view(self) -> RecordView | None:
        return _record_for((await self.get_state(AuthState))._signed_in(), self.record_id)

    @rx.var(cache=False)
    async def reference(self) -> str:
        """The record's reference, for the heading ('' when there is no such record)."""
        view = await self._view()
        return view.record.reference if view else ""

    @rx.event
    def reset_form(self):
        """A fresh form on each visit, for the record in the address."""
        self.record_id = str(self.router.page.params.get("record_id", ""))[:32]
        self.errors, self.hints = {}, {}

    @rx.event
    async def save(self, form: dict):
        """Check every field on the server; save all or nothing, keeping what was typed on error."""
        auth = await self.get_state(AuthState)
        who = auth._signed_in()
        if who is None:
            return rx.redirect(routes.SIGN_IN)
        today = uk_today()
        categories = [key.removeprefix("category-") for key, on in form.items() if key.startswith("category-") and on]
        result = check_details({**form, "categories": categories}, today)
        self.hints = result.hints
        if not result.ok:
            self.errors = result.errors
            return rx.call_script("document.getElementById('error-summary')?.focus()")
        record_id = self.record_id
        values = {k: v for k, v in result.values.items() if v not in ("", [], None)}
        try:
            with Session(get_engine()) as session:
                amend(session=session, actor=who.actor, record_id=record_id, kind="details", data=values,
                      case_reference=values.get("case_reference") or None, check_by=result.check_by)
        except NotFound:
            self.errors = {"form": "There is no such record"}
            return None
        self.errors = {}
        return rx.redirect(routes.record(record_id))


class RecordsState(rx.State):
    """The list of the organisation's records: filters and page only; rows are read each time."""

    date_from: str = ""
    date_to: str = ""
    kind: str = ""
    case_reference: str = ""
    awaiting: bool = False
    page: int = 1
    filter_error: str = ""
    # The follow-up buttons in 'To check': which was pressed (the click arrives before the submit).
    result: str = ""
    follow_up_message: str = ""

    def _filters(self) -> RecordFilter:
        def day(text: str) -> dt.date | None:
            return dt.date.fromisoformat(text) if text and _is_date(text) else None

        return RecordFilter(
            date_from=day(self.date_from), date_to=day(self.date_to),
            outcome_kind=self.kind if self.kind in OUTCOME_KINDS else None,
            case_reference=self.case_reference or None, awaiting_follow_up=self.awaiting,
        )

    async def _who(self) -> SignedIn | None:
        return (await self.get_state(AuthState))._signed_in()

    async def _page(self) -> RecordPage | None:
        who = await self._who()
        if who is None:
            return None
        with Session(get_engine()) as session:
            return list_records(session=session, org_id=who.actor.org_id, filters=self._filters(),
                                page=self.page, per_page=PER_PAGE)

    @rx.var(cache=False)
    async def rows(self) -> list[dict[str, str]]:
        """This page of records, read from the database now (not stored in State)."""
        result = await self._page()
        if result is None:
            return []
        chart = get_chart()
        return [
            {
                "id": v.record.id,
                "reference": v.record.reference,
                "when": local_time(v.record.created_at),
                "outcome": chart.outcomes[v.record.outcome_id].title
                if v.record.outcome_id in chart.outcomes
                else v.record.outcome_id,
                "who": v.record.recorded_by,
                "case": v.case_reference or "",
                "follow_up": v.follow_up.replace("_", " "),
                "href": routes.record(v.record.id),
            }
            for v in result.items
        ]

    @rx.var(cache=False)
    async def has_next(self) -> bool:
        """Whether there is a page after this one."""
        result = await self._page()
        return bool(result and result.has_next)

    @rx.var(cache=False)
    async def checks(self) -> list[dict[str, str]]:
        """Records whose follow-up is not yet verified, overdue first."""
        who = await self._who()
        if who is None:
            return []
        today = uk_today()
        with Session(get_engine()) as session:
            views = to_check(session=session, org_id=who.actor.org_id)
        return [
            {
                "id": v.record.id,
                "reference": v.record.reference,
                "check_by": f"{v.check_by:%-d %b %Y}" if v.check_by else "",
                "overdue": "yes" if v.check_by and v.check_by < today else "",
                "action": str(v.details.get("follow_up_action", "")),
                "href": routes.record(v.record.id),
            }
            for v in views
        ]

    @rx.event
    def apply_filters(self, form: dict):
        """Filter the list (bad dates are refused with a message, the other filters kept)."""
        self.date_from, self.date_to = str(form.get("date_from", "")), str(form.get("date_to", ""))
        self.kind = str(form.get("kind", "")) if form.get("kind") in OUTCOME_KINDS else ""
        self.case_reference = str(form.get("case_reference", "")).strip()[:40]
        self.awaiting = bool(form.get("awaiting"))
        self.page = 1
        bad = [name for name, text in (("From", self.date_from), ("To", self.date_to)) if text and not _is_date(text)]
        self.filter_error = f"{' and '.join(bad)} must be a date" if bad else ""

    @rx.event
    def choose_result(self, result: str):
        """Remember which follow-up button was pressed: 'confirmed' or 'not_done'."""
        self.result = result if result in ("confirmed", "not_done") else ""

    @rx.event
    async def mark_follow_up(self, form: dict):
        """One click from 'To check': they acted, or not (which opens the record with who to escalate to)."""
        who = await self._who()
        if who is None:
            return rx.redirect(routes.SIGN_IN)
        record_id = str(form.get("record_id", ""))[:32]
        note = str(form.get("note", "")).strip()
        if self.result not in ("confirmed", "not_done"):
            self.follow_up_message = "Select whether they acted"
            return None
        if len(note) > 500:
            self.follow_up_message = f"Enter a note of no more than 500 characters (you entered {len(note)})"
            return None
        with Session(get_engine()) as session:
            try:
                record = amend(session=session, actor=who.actor, record_id=record_id, kind="follow_up",
                               data={"result": self.result, "note": note})
            except NotFound:
                self.follow_up_message = "There is no such record"
                return None
        if self.result == "not_done":
            self.follow_up_message = ""
            return rx.redirect(routes.record(record.record_id))
        self.follow_up_message = "Marked as done: they acted."
        return None

    @rx.event
    def next_page(self):
        """The next page of the list."""
        self.page += 1

    @rx.event
    def previous_page(self):
        """The previous page of the list."""
        self.page = max(1, self.page - 1)

    @rx.event
    async def export(self, fmt: str):
        """Download the filtered list as CSV or JSON (made now; nothing kept in State)."""
        who = await self._who()
        if who is None:
            return rx.redirect(routes.SIGN_IN)
        with Session(get_engine()) as session:
            rows = export_rows(session=session, org_id=who.actor.org_id, filters=self._filters())
        if fmt == "csv":
            return rx.download(data=to_csv(rows), filename="decision-records.csv")
        return rx.download(data=to_json(rows), filename="decision-records.json")


def _is_date(text: str) -> bool:
    try:
        return 2000 <= dt.date.fromisoformat(text).year <= 2999
    except ValueError:
        return False


class RecordPageState(rx.State):
    """One record: its id comes from the address; its content is read on each render."""

    record_id: str = ""

    async def _view(self) -> RecordView | None:
        return _record_for((await self.get_state(AuthState))._signed_in(), self.record_id)

    @rx.var(cache=False)
    async def rows(self) -> list[dict[str, str]]:
        """The record as label and value rows ([] when there is no such record here)."""
        view = await self._view()
        if view is None:
            return []
        return [{"label": label, "value": value} for label, value in summary_rows(view, get_chart())]

    @rx.var(cache=False)
    async def heading(self) -> str:
        """The record's reference."""
        view = await self._view()
        return view.record.reference if view else ""

    @rx.var(cache=False)
    async def follow_up(self) -> str:
        """none, awaiting, confirmed or not_done."""
        view = await self._view()
        return view.follow_up if view else ""

    @rx.var(cache=False)
    async def summary(self) -> str:
        """The plain-text summary for the clipboard."""
        view = await self._view()
        return summary_text(view, get_chart()) if view else ""

    @rx.event
    def on_open(self):
        """The record in the address."""
        self.record_id = str(self.router.page.params.get("record_id", ""))[:32]
