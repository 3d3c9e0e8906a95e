"""JSON routes for decision records, mounted under /api/v1, for an organisation's own systems.

Authenticated with a per-organisation key (Authorization: Bearer KEY, or X-API-Key: KEY) and scoped
to that organisation: another organisation's record id is simply not found.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from infoshare_widget.api.http import ApiError, error_response
from infoshare_widget.flowchart.chart import OUTCOME_KINDS
from infoshare_widget.auth import resolve
from infoshare_widget.clock import FIRST_YEAR, LAST_YEAR, in_record_years
from infoshare_widget.records.screens import clean_filters, record_filter
from infoshare_widget.records.export import csv_chunks, iter_rows, json_chunks
from infoshare_widget.records.service import (
    MAX_PER_PAGE,
    NotFound,
    RecordFilter,
    get_record,
    list_records,
    verify_chain,
)



def _organisation(request: Request, keys: dict[str, str]) -> str:
    """The organisation whose key came with the request, or ApiError 401."""
    header = request.headers.get("authorization", "")
    key = header[7:].strip() if header.lower().startswith("bearer ") else request.headers.get("x-api-key", "")
    for known, org in keys.items():
        if key and hmac.compare_digest(key.encode(), known.encode()):
            return org
    raise ApiError(401, "Send your organisation's API key as 'Authorization: Bearer <key>'.")


def _date(params, name: str) -> dt.date | None:
    value = params.get(name)
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, f"{name} must be a date like 2026-11-26.") from None
    if not in_record_years(day):
        raise ApiError(422, f"{name} must be a date between the years {FIRST_YEAR} and {LAST_YEAR}.")
    return day


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
        date_from=_date(params, "from"), date_to=_date(params, "to"), outcome_kind=kind,
        case_reference=reference, awaiting_follow_up=awaiting in ("true", "1"),
    )
    return filters, int(page_text), int(per_page_text)


def records_routes(engine: Callable[[], Engine], keys: Callable[[], dict[str, str]]) -> list[Route]:
    """The records routes; the engine and keys are looked up when a request comes."""

    def guarded(handler):
        async def endpoint(request: Request) -> Response:
            try:
                org = _organisation(request, keys())
                return await run_in_threadpool(handler, request, org)
            except ApiError as exc:
                return error_response(exc)

        return endpoint

    def list_json(request: Request, org: str) -> Response:
        filters, page, per_page = _filters(request)
        with Session(engine()) as session:
            result = list_records(session=session, org_id=org, filters=filters, page=page, per_page=per_page)
        return JSONResponse(
            {"items": [v.as_dict() for v in result.items], "page": result.page, "per_page": result.per_page,
             "has_next": result.has_next},
            headers={"Cache-Control": "no-store"},
        )

    def list_csv(request: Request, org: str) -> Response:
        filters, _, _ = _filters(request)
        return export_response("csv", iter_rows(sessions=lambda: Session(engine()), org_id=org, filters=filters))

    def one(request: Request, org: str) -> Response:
        with Session(engine()) as session:
            try:
                view = get_record(session=session, org_id=org, record_id=request.path_params["record_id"])
            except NotFound:
                raise ApiError(404, "There is no such record.") from None
        return JSONResponse(view.as_dict(), headers={"Cache-Control": "no-store"})

    def verify(request: Request, org: str) -> Response:
        with Session(engine()) as session:
            report = verify_chain(session=session, org_id=org)
        return JSONResponse(report.as_dict(), status_code=200, headers={"Cache-Control": "no-store"})

    return [
        Route("/records", guarded(list_json), methods=["GET"]),
        Route("/records.csv", guarded(list_csv), methods=["GET"]),
        Route("/records/verify", guarded(verify), methods=["GET"]),
        Route("/records/{record_id}", guarded(one), methods=["GET"]),
    ]


EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
# The records page's filters, as the export form posts them.
FILTER_FIELDS = ("date_from", "date_to", "kind", "case_reference", "awaiting")


def export_response(fmt: str, rows) -> StreamingResponse:
    """The rows as a download, streamed as they are read (CSV or JSON)."""
    chunks = csv_chunks(rows) if fmt == "csv" else json_chunks(rows)
    return StreamingResponse(
        (chunk.encode() for chunk in chunks), media_type=EXPORT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="decision-records.{fmt}"',
                 "Cache-Control": "no-store"},
    )


def session_export_routes(engine: Callable[[], Engine]) -> list[Route]:
    """The records page's export buttons: a form POST carrying the tab's session secret (never in the
    URL), answered with the file as it streams from the database."""

    async def export(request: Request) -> Response:
        form = await request.form()
        fmt = str(form.get("format", ""))
        if fmt not in EXPORT_TYPES:
            raise ApiError(422, "format must be csv or json.")
        secret = str(form.get("session", ""))
        filters = record_filter(clean_filters({k: str(v) for k, v in form.items() if k in FILTER_FIELDS}))

        def who():
            with Session(engine()) as session:
                return resolve(session=session, secret=secret)

        signed_in = await run_in_threadpool(who)
        if signed_in is None:
            # The session ended: sign in again (a page, since a person pressed the button).
            return RedirectResponse("/sign-in", status_code=303)
        return export_response(fmt, iter_rows(sessions=lambda: Session(engine()), org_id=signed_in.actor.org_id,
                                              filters=filters))

    async def endpoint(request: Request) -> Response:
        try:
            return await export(request)
        except ApiError as exc:
            return error_response(exc)

    return [Route("/session/records/export", endpoint, methods=["POST"])]

