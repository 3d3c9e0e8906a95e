"""What the admin area lists, as text for the page: pure mapping from the admin service's rows
(no Reflex here; admin/state.py sends it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from infoshare_widget.auth import SignedIn, admin
from infoshare_widget.records.summary import local_time


@dataclass(frozen=True)
class AdminScreen:
    accounts: list[dict[str, str]]
    keys: list[dict[str, str]]
    retention: str


def _when(moment: dt.datetime | None) -> str:
    return local_time(moment) if moment else "never"


def admin_screen(session: Session, who: SignedIn) -> AdminScreen:
    """Everything the admin area lists, in one go (Refused for a level that may not manage accounts)."""
    accounts = admin.list_accounts(session=session, actor=who.actor)
    keys = admin.list_keys(session=session, actor=who.actor)
    organisation = admin.organisation_settings(session=session, actor=who.actor)
    return AdminScreen(
        accounts=[
            {"id": str(a.id), "username": a.username, "name": a.name, "role": a.role, "access": a.access,
             "status": "Active" if a.active else "Switched off", "active": "yes" if a.active else "",
             "second_factor": "Set up" if a.second_factor else "Not set up",
             "note": "Waiting for a password" if a.reset_pending else "",
             "self": "yes" if a.id == who.actor.user_id else ""}
            for a in accounts
        ],
        keys=[
            {"id": str(k.id), "name": k.name, "created": f"{_when(k.created_at)} by {k.created_by}",
             "last_used": _when(k.last_used_at), "status": "Revoked" if k.revoked else "Live",
             "live": "" if k.revoked else "yes"}
            for k in keys
        ],
        retention=str(organisation.retention_years or ""),
    )
