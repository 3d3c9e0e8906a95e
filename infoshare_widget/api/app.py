"""The JSON API for integrations, as a Starlette app mounted at /api/v1 in front of Reflex."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Mount, Route

from infoshare_widget.api.flowchart import flowchart_routes
from infoshare_widget.api.glossary import glossary_routes
from infoshare_widget.api.insight import insight_routes
from infoshare_widget.api.records import records_routes, session_export_routes
from infoshare_widget.api.http import ApiError, error_response
from infoshare_widget.flowchart.chart import Chart
from infoshare_widget.glossary.entries import Glossary
from infoshare_widget.glossary.search import SearchIndex
from infoshare_widget.base.db import get_engine
from infoshare_widget.base.clock import utc_now
from infoshare_widget.base.settings import Partnership, get_api_keys, get_partnership

API_PREFIX = "/api/v1"
log = logging.getLogger(__name__)


def _fallback(routes: list[BaseRoute]):
    """A catch-all: 405 with Allow for a known path and the wrong method, else 404; always JSON."""
    allowed: dict[str, set[str]] = {}
    for route in routes:
        if isinstance(route, Route):
            allowed.setdefault(route.path, set()).update(route.methods or ())

    async def not_found(request: Request) -> JSONResponse:
        path = "/" + request.path_params["rest"]
        if path in allowed:
            methods = ", ".join(sorted(allowed[path]))
            exc = ApiError(405, f"{request.method} is not allowed here; use {methods}.")
            response = error_response(exc)
            response.headers["Allow"] = methods
            return response
        return error_response(ApiError(404, f"There is no API endpoint at {API_PREFIX}{path}."))

    return Route("/{rest:path}", not_found, methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])


async def _server_error(request: Request, exc: Exception) -> JSONResponse:
    # Log the type only: request bodies may hold personal data.
    log.error("API error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return error_response(ApiError(500, "Something went wrong on the server. Try again."))


def build_api(
    chart: Chart,
    glossary: Glossary,
    index: SearchIndex,
    *,
    engine: Callable[[], Engine] = get_engine,
    api_keys: Callable[[], dict[str, str]] = get_api_keys,
    partnership: Partnership | None = None,
    clock: Callable[[], dt.datetime] = utc_now,
) -> Starlette:
    """The /api/v1 application: every route, a JSON 404/405 fallback, and a JSON 500 guard.

    `clock` gives "now" for whether contacts are open (tests pass a fixed one).
    """
    routes: list[BaseRoute] = [
        *flowchart_routes(chart, partnership or get_partnership(), clock),
        *glossary_routes(glossary, index),
        *records_routes(engine, api_keys),
        *session_export_routes(engine),
        *insight_routes(engine, api_keys, chart, lambda: partnership or get_partnership(), clock),
    ]
    routes.append(_fallback(routes))
    inner = Starlette(routes=routes, exception_handlers={Exception: _server_error})
    return Starlette(routes=[Mount(API_PREFIX, app=inner)])
