"""What the admin area lists, as text for the page: pure mapping from the admin service's rows
(no Reflex here; admin/state.py sends it)."""

from __future__ import annotations

import datetime as dt
import dataclasses
from dataclasses import dataclass

from sqlmodel import Session

from infoshare_widget.base.access import allowed
from infoshare_widget.auth import SignedIn
from infoshare_widget.admin import service as admin
from infoshare_widget.alerts.service import delivery_log
from infoshare_widget.records.summary import local_time


@dataclass(frozen=True)
class AdminScreen:
    """What one level sees in the admin area: an admin the accounts, keys (to revoke) and retention;
    a lead the accounts waiting for a code, and keys (to make and revoke)."""

    accounts: list[dict[str, str]]
    keys: list[dict[str, str]]
    retention: str
    waiting: list[dict[str, str]]
    deliveries: list[dict[str, str]] = dataclasses.field(default_factory=list)
    failed: int = 0  # alerts that could not be delivered for 24 hours


def _when(moment: dt.datetime | None) -> str:
    return local_time(moment) if moment else "never"


def _account(a: admin.AccountRow, who: SignedIn) -> dict[str, str]:
    note = ("Waiting for a code from a lead" if a.code_from_lead and not a.reset_pending else
            "Waiting for a password" if a.reset_pending else "")
    return {"id": str(a.id), "username": a.username, "name": a.name, "role": a.role, "access": a.access,
            "status": "Active" if a.active else "Switched off", "active": "yes" if a.active else "",
            "second_factor": "Set up" if a.second_factor else "Not set up", "note": note,
            "self": "yes" if a.id == who.actor.user_id else "", "email": a.email,
            # Only leads are alerted; for them, whether their emails are on.
            "alerts": ("Off (turned off by them)" if not a.alerts_by_email else "On") if a.email and a.access == "lead"
            else ""}


def admin_screen(session: Session, who: SignedIn) -> AdminScreen:
    """Everything the admin area lists for this level, in one go (Refused for a level that may use
    no part of it)."""
    level = who.actor.access
    if not any(allowed(level, action) for action in ("manage_accounts", "hand_over", "manage_keys")):
        admin.list_accounts(session=session, actor=who.actor)  # refuses, and logs the refusal
    manages = allowed(level, "manage_accounts")
    accounts = admin.list_accounts(session=session, actor=who.actor) if manages else []
    waiting = admin.waiting_for_a_code(session=session, actor=who.actor) if allowed(level, "hand_over") else []
    keys = admin.list_keys(session=session, actor=who.actor)
    organisation = admin.organisation_settings(session=session, actor=who.actor) if manages else None
    deliveries = delivery_log(session=session, actor=who.actor) if manages else []
    return AdminScreen(
        accounts=[_account(a, who) for a in accounts],
        keys=[
            {"id": str(k.id), "name": k.name, "created": f"{_when(k.created_at)} by {k.created_by}",
             "last_used": _when(k.last_used_at), "status": "Revoked" if k.revoked else "Live",
             "live": "" if k.revoked else "yes"}
            for k in keys
        ],
        retention=str(organisation.retention_years or "") if organisation else "",
        waiting=[{**_account(a, who), "code_given": "yes" if a.reset_pending else ""} for a in waiting],
        deliveries=[{"channel": "Email" if d.channel == "email" else "Webhook", "to": d.to, "what": d.what,
                     "status": DELIVERY_STATUS.get(d.status, d.status), "failed": "yes" if d.status == "failed" else "",
                     "tries": str(d.tries), "queued": d.queued, "error": d.last_error} for d in deliveries],
        failed=sum(1 for d in deliveries if d.status == "failed"),
    )


DELIVERY_STATUS = {"pending": "Waiting to be sent", "sent": "Sent", "failed": "Failed after 24 hours",
                   "cancelled": "Not sent (alerts turned off or the webhook removed)"}
