"""Who a records API key speaks for. Takes a session; no Reflex. (Making and revoking keys is the
admin area's: admin/service.py.)"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlmodel import Session, select

from infoshare_widget.auth.models import ApiKey
from infoshare_widget.auth.rules import secret_hash
from infoshare_widget.base.acting import Actor
from infoshare_widget.base.clock import as_utc, utc_now


def key_actor(*, session: Session, key: str, client: str, now: dt.datetime | None = None) -> Actor | None:
    """Who a records API key speaks for (read-only, like an auditor), if it is live; its last-used
    time moves forward (written at most once a minute)."""
    if not key or len(key) > 200:
        return None
    row = session.exec(select(ApiKey).where(ApiKey.key_hash == secret_hash(key), ApiKey.revoked_at.is_(None))).first()
    if row is None:
        return None
    moment = as_utc(now or utc_now())
    if row.last_used_at is None or moment - as_utc(row.last_used_at) >= dt.timedelta(minutes=1):
        session.exec(update(ApiKey).where(ApiKey.id == row.id).values(last_used_at=moment))
        session.commit()
    return Actor(row.org_id, row.name, "API key", access="auditor", account=f"API key: {row.name}", client=client)
