"""Who an API request speaks for: the organisation key it presents, checked for the records and the
insight routes alike."""

from __future__ import annotations

import hmac

from sqlmodel import Session
from starlette.requests import Request

from infoshare_widget.api.http import ApiError, client_of_request
from infoshare_widget.auth.api_keys import key_actor
from infoshare_widget.base.acting import Actor
from infoshare_widget.base.settings import API_KEYS_ENV


def presented_key(request: Request) -> str:
    """The key that came with the request: Authorization: Bearer KEY, or X-API-Key: KEY."""
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else request.headers.get("x-api-key", "")


def actor_of_request(request: Request, keys: dict[str, str], session: Session) -> Actor:
    """Who the key that came with the request speaks for (a key from the environment, then one a
    lead made), or ApiError 401."""
    key = presented_key(request)
    for known, org in keys.items():
        if key and hmac.compare_digest(key.encode(), known.encode()):
            return Actor(org, "API key (environment)", "API key", access="auditor",
                         account=f"API key: {API_KEYS_ENV}", client=client_of_request(request))
    actor = key_actor(session=session, key=key, client=client_of_request(request))
    if actor is None:
        raise ApiError(401, "Send your organisation's API key as 'Authorization: Bearer <key>'.")
    return actor
