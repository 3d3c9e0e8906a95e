"""Signing in with a partner-signed identity token: checked, used once, and turned into a session
like a password sign-in's. Takes a session; no Reflex.

A partner's tokens are accepted only from the pages of that partner's listed origins (where it
lists any). A log line names the issuer, the token id, the origin and the reason, never the token.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from infoshare_widget.auth.rules import for_log
from infoshare_widget.auth.sessions import SignedIn, open_session, purge_expired
from infoshare_widget.embed.tokens import Partner, TokenRejected, describe_for_log, verify_token
from infoshare_widget.clock import as_utc, utc_now
from infoshare_widget.records.models import UsedToken
from infoshare_widget.records.service import Actor, ensure_organisation

log = logging.getLogger(__name__)


def accept_identity_token(
    *,
    session: Session,
    token: str,
    origin: str,
    partners: dict[str, Partner],
    audience: str,
    now: dt.datetime | None = None,
) -> tuple[str, SignedIn]:
    """Check the token from the page at `origin` and open a session that ends when the token does.

    Returns (secret, who), the secret for the browser as a password sign-in gives. Raises
    TokenRejected with the reason: a bad token, a second use of one, or a page the partner does not
    list.
    """
    moment = as_utc(now or utc_now())

    def seen(issuer: str, jti: str, expires_at: dt.datetime) -> bool:
        session.exec(delete(UsedToken).where(UsedToken.expires_at < moment - dt.timedelta(minutes=5)))
        session.add(UsedToken(issuer=issuer, jti=jti, expires_at=expires_at))
        try:
            session.commit()
            return False
        except IntegrityError:
            session.rollback()
            return True

    origin = origin if isinstance(origin, str) else ""
    try:
        identity = verify_token(token, partners=partners, audience=audience, seen=seen, now=moment, origin=origin)
    except TokenRejected as exc:
        log.warning("identity token refused: %s origin=%s reason=%s", describe_for_log(token), for_log(origin),
                    exc.reason)
        raise
    organisation = ensure_organisation(session=session, org_id=identity.org, name=identity.org)
    purge_expired(session=session, now=moment)
    secret = open_session(session=session, org_id=identity.org, issuer=identity.issuer, subject=identity.subject,
                          name=identity.name, role=identity.role, now=moment, expires_at=identity.expires_at)
    actor = Actor(identity.org, identity.name, identity.role, None, identity.issuer, identity.subject)
    return secret, SignedIn(actor, organisation.name, as_utc(identity.expires_at))
