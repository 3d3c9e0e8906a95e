"""The acting person, the access rules applied to them, and the access log. Takes a session; no
Reflex.

Every feature reads and writes as an `Actor`, scoped to the actor's organisation and level
(access.py). `allow` checks an action and logs a refusal; `log_access` and `logged` write the log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session

from infoshare_widget.base.access import allowed, require
from infoshare_widget.base.clock import as_utc, utc_now
from infoshare_widget.base.fingerprints import fingerprint
from infoshare_widget.base.models import GENESIS, AccessLog, ChainHead, Organisation, ServerKey


class RecordError(ValueError):
    """The request cannot be carried out; the message says why, in plain words."""


@dataclass(frozen=True)
class Actor:
    """Who is recording, and for which organisation.

    An account holder has a user_id; someone vouched for by a partner's token has the token's
    issuer and subject instead (two people may share a name, never an issuer and subject).
    """

    org_id: str
    name: str
    role: str
    user_id: int | None = None
    issuer: str | None = None
    subject: str | None = None
    access: str = "recorder"  # the access level (access.py)
    account: str = ""  # for the access log: username, API key name, or token issuer and subject
    client: str = ""  # the address the request came from, as the server saw it


def log_access(session: Session, actor: Actor, action: str, target: str = "", outcome: str = "ok",
               at: dt.datetime | None = None) -> None:
    """Add an entry to the access log (committed with the caller's next commit; see `logged`)."""
    session.add(AccessLog(org_id=actor.org_id, who=actor.name[:200], account=actor.account[:300],
                          level=actor.access[:16], action=action[:32], target=target[:500],
                          client=actor.client[:64], outcome=outcome, at=as_utc(at or utc_now())))


def allow(session: Session, actor: Actor, action: str, target: str = "", *, logged_as: str = "") -> None:
    """Go on if the actor's level allows the action; otherwise log the refusal (as `logged_as`, or the
    action's own name), commit it, and raise Refused saying who may."""
    if not allowed(actor.access, action):
        log_access(session, actor, logged_as or action, target, outcome="refused")
        session.commit()
        require(actor.access, action)


def logged(session: Session, actor: Actor, action: str, target: str, read: Iterable[object] = ()) -> None:
    """Log a read that has happened, and commit it. The rows already `read` are detached first, so
    the commit does not expire them (they are read once, and stay usable after the session closes)."""
    for row in read:
        if row in session:
            session.expunge(row)
    log_access(session, actor, action, target)
    session.commit()


_LOG_KEYS: dict[str, bytes] = {}


def log_key(session: Session) -> bytes:
    """The key of the access log's fingerprints (made by migration 0008), read once per database."""
    url = str(session.get_bind().url)
    if url not in _LOG_KEYS:
        row = session.get(ServerKey, "log")
        if row is None:
            raise RuntimeError("the database has no access-log key: run the migrations (make migrate)")
        _LOG_KEYS[url] = bytes.fromhex(row.value)
    return _LOG_KEYS[url]


def case_fingerprint(session: Session, case_reference: str) -> str:
    """What the access log keeps of a case reference: its keyed fingerprint (fingerprints.py)."""
    return fingerprint(log_key(session), "case", case_reference)


def ensure_organisation(*, session: Session, org_id: str, name: str) -> Organisation:
    """The organisation, created with an empty chain if it does not exist yet."""
    organisation = session.get(Organisation, org_id)
    if organisation is None:
        organisation = Organisation(id=org_id, name=name)
        session.add(organisation)
        session.flush()
        session.add(ChainHead(org_id=org_id, seq=0, hash=GENESIS))
        session.commit()
    return organisation
