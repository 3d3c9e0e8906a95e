"""What the "Needs your attention" section shows, as plain dicts for the page. No Reflex."""

from __future__ import annotations

import dataclasses

from sqlmodel import Session

from infoshare_widget.alerts.service import needs_attention
from infoshare_widget.auth import SignedIn
from infoshare_widget.auth.models import AppUser
from infoshare_widget.base import routes


def attention_screen(session: Session, who: SignedIn) -> dict:
    """The alerts (for a lead) and the person's own email setting; nothing, and no statement, for
    anyone else."""
    if who.actor.access != "lead":
        return {"items": [], "lead": False, "email": "", "on": False}
    items = [{**dataclasses.asdict(item), "href": routes.record(item.record_id)}
             for item in needs_attention(session=session, actor=who.actor)]
    user = session.get(AppUser, who.actor.user_id) if who.actor.user_id is not None else None
    return {"items": items, "lead": True, "email": (user.email or "") if user else "",
            "on": bool(user and user.email and user.alerts_by_email)}
