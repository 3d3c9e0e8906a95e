"""JSON routes for decision records, mounted under /api/v1, for an organisation's own systems.

Authenticated with a key (Authorization: Bearer KEY, or X-API-Key: KEY; checked in keys.py): one a
safeguarding lead made in the admin area (kept hashed, with a name and last-used time; admins may
list and revoke keys but never make one, as a key reads records), or one from INFOSHARE_API_KEYS
for automation. A key reads like an auditor, scoped to its organisation (another organisation's
record id is simply not found), and every read is in the access log under the key's name.
"""

from __future__ import annotations

from dataclasses import replace
from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from infoshare_widget.api.http import ApiError, client_of_request, error_response, query_date
from infoshare_widget.flowchart.chart import OUTCOME_KINDS
from infoshare_widget.auth import resolve, sign_out
from infoshare_widget.auth.rules import MAX_SECRET_CHARS
from infoshare_widget.records.pages_view_model import clean_filters, record_filter
from infoshare_widget.base.access import Refused
from infoshare_widget.api.keys import actor_of_request
from infoshare_widget.records.export import begin, csv_chunks, iter_rows, json_chunks, printable_chunks
from infoshare_widget.records.service import (
    MAX_PER_PAGE,
    NotFound,
    RecordFilter,
    get_record,
    list_records,
    verify_for,
)
from infoshare_widget.base.acting import Actor


def _whole(text: str) -> bool:
    """Plain ASCII digits only ('²' passes str.isdigit but not int())."""
    return text.isascii() and text.isdigit() and len(text) <= 9


def _filters(request: Request) -> tuple[RecordFilter, int, int]:
    params = request.query_params
    kind = params.get("kind") or None
    if kind is not None and kind not in OUTCOME_KINDS:
        raise ApiError(422, f"kind must be one of {', '.join(OUTCOME_KINDS)}.")
    awaiting = params.get("awaiting", "").lower()
    if awaiting not in ("", "true", "false", "1", "0"):
        raise ApiError(422, "awaiting must be true or false.")
    reference = params.get("case_reference") or None
    if reference is not None and len(reference) > 40:
        raise ApiError(422, "case_reference is at most 40 characters.")
    page_text, per_page_text = params.get("page", "1"), params.get("per_page", "20")
    if not _whole(page_text) or not 1 <= int(page_text) <= 1_000_000:
        raise ApiError(422, "page must be a whole number from 1.")
    if not _whole(per_page_text) or not 1 <= int(per_page_text) <= MAX_PER_PAGE:
        raise ApiError(422, f"per_page must be a whole number from 1 to {MAX_PER_PAGE}.")
    filters = RecordFilter(
        date_from=query_date(params, "from"), date_to=query_date(params, "to"), outcome_kind=kind,
        case_reference=reference, awaiting_follow_up=awaiting in ("true", "1"),
    )
    return filters, int(page_text), int(per_page_text)


def records_routes(engine: Callable[[], Engine], keys: Callable[[], dict[str, str]]) -> list[Route]:
    """The records routes; the engine and keys are looked up when a request comes."""

    def guarded(handler):
        def checked(request: Request) -> Response:
            with Session(engine()) as session:
                actor = actor_of_request(request, keys(), session)
            try:
                return handler(request, actor)
            except Refused as exc:
                raise ApiError(403, str(exc)) from None

        async def endpoint(request: Request) -> Response:
            try:
                return await run_in_threadpool(checked, request)
            except ApiError as exc:
                return error_response(exc)

        return endpoint

    def list_json(request: Request, actor: Actor) -> Response:
        filters, page, per_page = _filters(request)
        with Session(engine()) as session:
            result = list_records(session=session, actor=actor, filters=filters, page=page, per_page=per_page)
        return JSONResponse(
            {"items": [v.as_dict() for v in result.items], "page": result.page, "per_page": result.per_page,
             "has_next": result.has_next},
            headers={"Cache-Control": "no-store"},
        )

    def list_csv(request: Request, actor: Actor) -> Response:
        filters, _, _ = _filters(request)
        sessions = lambda: Session(engine())  # noqa: E731
        begin(sessions=sessions, actor=actor, filters=filters, what="csv (API)")
        return export_response("csv", iter_rows(sessions=sessions, actor=actor, filters=filters))

    def one(request: Request, actor: Actor) -> Response:
        with Session(engine()) as session:
            try:
                view = get_record(session=session, actor=actor, record_id=request.path_params["record_id"][:32])
            except NotFound:
                raise ApiError(404, "There is no such record.") from None
        return JSONResponse(view.as_dict(), headers={"Cache-Control": "no-store"})

    def verify(request: Request, actor: Actor) -> Response:
        with Session(engine()) as session:
            report = verify_for(session=session, actor=actor)
        return JSONResponse(report.as_dict(), status_code=200, headers={"Cache-Control": "no-store"})

    return [
        Route("/records", guarded(list_json), methods=["GET"]),
        Route("/records.csv", guarded(list_csv), methods=["GET"]),
        Route("/records/verify", guarded(verify), methods=["GET"]),
        Route("/records/{record_id}", guarded(one), methods=["GET"]),
    ]


EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
# A subject access request: every record with one case reference, as JSON or a printable page.
SUBJECT_ACCESS_TYPES = ("sar-json", "sar-html")
# The records page's filters, as the export form posts them.
FILTER_FIELDS = ("date_from", "date_to", "kind", "case_reference", "awaiting")


def _safe_name(text: str | None) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in (text or ""))[:40] or "case"


def export_response(fmt: str, rows, name: str | None = None) -> StreamingResponse:
    """The rows as a download, streamed as they are read (CSV or JSON)."""
    chunks = csv_chunks(rows) if fmt == "csv" else json_chunks(rows)
    return StreamingResponse(
        (chunk.encode() for chunk in chunks), media_type=EXPORT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name or "decision-records"}.{fmt}"',
                 "Cache-Control": "no-store"},
    )


def printable_response(case_reference: str, rows) -> StreamingResponse:
    """The records of one case as a plain page to print for a subject access request."""
    return StreamingResponse((chunk.encode() for chunk in printable_chunks(case_reference, rows)),
                             media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-store"})


def session_export_routes(engine: Callable[[], Engine]) -> list[Route]:
    """The records page's export buttons: a form POST carrying the tab's session secret (never in the
    URL), answered with the file as it streams from the database."""

    async def export(request: Request) -> Response:
        form = await request.form()
        fmt = str(form.get("format", ""))
        if fmt not in EXPORT_TYPES and fmt not in SUBJECT_ACCESS_TYPES:
            raise ApiError(422, "format must be csv, json, sar-json or sar-html.")
        secret = str(form.get("session", ""))
        filters = record_filter(clean_filters({k: str(v) for k, v in form.items() if k in FILTER_FIELDS}))
        subject_access = fmt in SUBJECT_ACCESS_TYPES
        if subject_access and not filters.case_reference:
            raise ApiError(422, "A subject access request export needs a case reference.")
        sessions = lambda: Session(engine())  # noqa: E731

        def who():
            with sessions() as session:
                signed_in = resolve(session=session, secret=secret)
            if signed_in is None:
                return None
            actor = replace(signed_in.actor, client=client_of_request(request))
            if subject_access:
                # Every record with the case reference, whatever else the form said.
                only_case = RecordFilter(case_reference=filters.case_reference)
                begin(sessions=sessions, actor=actor, filters=only_case, what="subject access request")
                return actor, only_case
            begin(sessions=sessions, actor=actor, filters=filters, what=fmt)
            return actor, filters

        try:
            found = await run_in_threadpool(who)
        except Refused as exc:
            raise ApiError(403, str(exc)) from None
        if found is None:
            # The session ended: sign in again (a page, since a person pressed the button).
            return RedirectResponse("/sign-in", status_code=303)
        actor, chosen = found
        rows = iter_rows(sessions=sessions, actor=actor, filters=chosen)
        if fmt == "sar-html":
            return printable_response(chosen.case_reference or "", rows)
        return export_response("json" if subject_access else fmt, rows,
                               f"subject-access-{_safe_name(chosen.case_reference)}" if subject_access else None)

    async def endpoint(request: Request) -> Response:
        try:
            return await export(request)
        except ApiError as exc:
            return error_response(exc)

    async def end(request: Request) -> Response:
        """Exit this page: the tab sends its session secret (a beacon, as the page goes) and the session
        ends on the server, so nothing opened with it can be opened again. Always 204: it says nothing
        of whether the secret was a live one."""
        body = b""
        async for chunk in request.stream():  # read no more than a secret can be
            body += chunk
            if len(body) > MAX_SECRET_CHARS:
                break
        if 0 < len(body) <= MAX_SECRET_CHARS:
            secret = body.decode("utf-8", "replace").strip()

            def run():
                with Session(engine()) as session:
                    sign_out(session=session, secret=secret)

            await run_in_threadpool(run)
        return Response(status_code=204)

    return [Route("/session/records/export", endpoint, methods=["POST"]),
            Route("/session/end", end, methods=["POST"])]

