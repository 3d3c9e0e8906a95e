"""Small helpers for the JSON API: bounded JSON bodies and clear error responses."""

from __future__ import annotations

import datetime as dt
import json

from starlette.requests import Request
from starlette.responses import JSONResponse

from infoshare_widget.base.client_address import client_address
from infoshare_widget.base.clock import FIRST_YEAR, LAST_YEAR, in_record_years, iso_day
from infoshare_widget.base.settings import trusted_proxies

MAX_BODY_BYTES = 16 * 1024


def query_date(params, name: str, *, required: bool = False) -> dt.date | None:
    """A date in the query string (YYYY-MM-DD, in the years records can have), None when it is not
    given (or ApiError 422 when it is `required`), ApiError 422 when it is not such a date."""
    value = params.get(name) or ""
    if not value:
        if required:
            raise ApiError(422, f"{name} is needed: a date like 2026-11-26 (UK days, inclusive).")
        return None
    day = iso_day(value)
    if day is None:
        raise ApiError(422, f"{name} must be a date like 2026-11-26.")
    if not in_record_years(day):
        raise ApiError(422, f"{name} must be a date between the years {FIRST_YEAR} and {LAST_YEAR}.")
    return day


def client_of_request(request: Request) -> str:
    """The address a request came from (behind a trusted proxy, the one it forwarded)."""
    return client_address(request.client.host if request.client else "", request.headers.get("x-forwarded-for"),
                          trusted_proxies())


class ApiError(Exception):
    """An error to send to the caller as JSON with an HTTP status."""

    def __init__(self, status: int, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems or []


def error_response(exc: ApiError) -> JSONResponse:
    """The JSON body every API error uses: {"error": {"status", "message", "problems"}}."""
    body = {"error": {"status": exc.status, "message": exc.message, "problems": exc.problems}}
    return JSONResponse(body, status_code=exc.status, headers={"Cache-Control": "no-store"})


async def read_json(request: Request, limit: int = MAX_BODY_BYTES) -> object:
    """Read a JSON body of at most `limit` bytes, or raise ApiError (400, 413 or 415)."""
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise ApiError(415, "Send the body as JSON with Content-Type: application/json.")
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise ApiError(400, "The Content-Length header is not a number.")
        if int(declared) > limit:
            raise ApiError(413, f"The body is too large: the limit is {limit} bytes.")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise ApiError(413, f"The body is too large: the limit is {limit} bytes.")
    try:
        return json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError(400, "The body is not UTF-8 text.") from None
    except (json.JSONDecodeError, RecursionError) as exc:
        detail = getattr(exc, "msg", "too deeply nested")
        raise ApiError(400, f"The body is not valid JSON ({detail}).") from None
