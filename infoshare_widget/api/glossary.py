"""JSON routes for the glossary, mounted under /api/v1: GET /glossary/search, GET /glossary/<slug>."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from infoshare_widget.api.http import ApiError, error_response
from infoshare_widget.glossary.entries import DISCIPLINES, Glossary
from infoshare_widget.glossary.search import MAX_QUERY_CHARS, SearchIndex, entry_dict

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_LIMIT = 50


def _query_params(request: Request) -> dict[str, str]:
    """Query parameters decoded strictly: bytes that are not UTF-8 are an error, not replaced."""
    raw = request.scope.get("query_string", b"").decode("latin-1")
    params: dict[str, str] = {}
    # Unquote to latin-1 (one character per byte), then decode the bytes as UTF-8, strictly.
    for key, value in parse_qsl(raw, keep_blank_values=True, encoding="latin-1"):
        try:
            key, value = key.encode("latin-1").decode("utf-8"), value.encode("latin-1").decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "The query is not valid UTF-8.") from None
        params.setdefault(key, value)
    return params


def glossary_routes(glossary: Glossary, index: SearchIndex) -> list[Route]:
    """The glossary's routes, bound to one loaded glossary and its index."""

    async def search(request: Request) -> JSONResponse:
        try:
            params = _query_params(request)
            query = params.get("q", "")
            if len(query) > MAX_QUERY_CHARS:
                raise ApiError(422, f"The query is too long: at most {MAX_QUERY_CHARS} characters.")
            if _CONTROL.search(query):
                raise ApiError(422, "The query has control characters; send plain text.")
            discipline = params.get("discipline") or None
            if discipline is not None and discipline not in DISCIPLINES:
                raise ApiError(422, f"Unknown discipline {discipline!r}; use one of {', '.join(DISCIPLINES)}.")
            limit_text = params.get("limit", "10")
            if not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_LIMIT:
                raise ApiError(422, f"limit must be a whole number from 1 to {MAX_LIMIT}.")
            found = index.lookup(query, discipline=discipline, limit=int(limit_text))
            results = [entry_dict(hit.entry, None if found.browsing else hit.score) for hit in found.hits]
            body = {"query": query, "discipline": discipline, "results": results}
            if query.strip() and not found.hits:
                body["did_you_mean"] = [entry_dict(e) for e in found.suggestions]
            return JSONResponse(body)
        except ApiError as exc:
            return error_response(exc)

    async def entry(request: Request) -> JSONResponse:
        slug = request.path_params["slug"]
        found = glossary.by_slug.get(slug)
        if found is None:
            return error_response(ApiError(404, f"There is no glossary entry '{slug[:80]}'."))
        body = entry_dict(found)
        body["sources"] = {
            m.source: glossary.sources[m.source].model_dump() for m in found.meanings if m.source in glossary.sources
        }
        return JSONResponse(body)

    return [
        Route("/glossary/search", search, methods=["GET"]),
        Route("/glossary/{slug}", entry, methods=["GET"]),
    ]
