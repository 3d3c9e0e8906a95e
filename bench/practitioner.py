"""What a simulated practitioner does in the widget over the socket.io driver (bench/sio.py): sign
in with the test account, and record a refer-now decision. Shared by the load and fault benchmarks."""

from __future__ import annotations

from bench.sio import Client, field_of
from harness.accounts import TEST_ORG, TEST_PASSWORD, TEST_USER

HANDLERS = ("submit_sign_in", "record_decision")
REFER_NOW = {"immediate_danger": "no", "significant_harm": "yes"}


class NotDone(Exception):
    """The widget answered, but not with what was asked for (its message, or "signed out")."""


async def sign_in(client: Client, timeout: float) -> tuple[float, str]:
    """Sign in with the test account's password; (seconds, the session secret the tab keeps)."""
    seconds, delta = await client.call(
        "submit_sign_in", {"form": {"organisation": TEST_ORG, "username": TEST_USER, "password": TEST_PASSWORD}},
        lambda d: field_of(d, "auth_state", "handoff") or field_of(d, "auth_state", "sign_in_error"), timeout)
    secret = field_of(delta, "auth_state", "handoff")
    if not secret:
        raise NotDone(field_of(delta, "auth_state", "sign_in_error"))
    return seconds, secret


async def record(client: Client, secret: str, key: str, timeout: float, walk: int = 1) -> float:
    """Record a refer-now decision with the tab's secret and a client key; seconds until the reference
    came back (NotDone with the widget's message, or "signed out")."""
    seconds, delta = await client.call(
        "record_decision", {"answers": REFER_NOW, "walk": walk, "secret": secret, "key": key},
        lambda d: (field_of(d, "record_state", "reference") or field_of(d, "record_state", "error")
                   or field_of(d, "record_state", "needs_sign_in")), timeout)
    if not field_of(delta, "record_state", "reference"):
        raise NotDone(field_of(delta, "record_state", "error") or "signed out")
    return seconds
