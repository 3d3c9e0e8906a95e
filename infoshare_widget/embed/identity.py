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
from infoshare_widget.base.rate_limit import PerAddress
from infoshare_widget.auth.sessions import SignedIn, open_session, purge_expired
from infoshare_widget.embed.tokens import Partner, TokenRejected, describe_for_log, verify_token
from infoshare_widget.base.clock import as_utc, utc_now
from infoshare_widget.embed.models import UsedToken
from infoshare_widget.base.access import DEFAULT_LEVEL, needs_second_factor
from infoshare_widget.base.acting import Actor, ensure_organisation, log_access

log = logging.getLogger(__name__)


# A token refused before its signature checked out goes to the server log at most once a minute
# from one address (per worker): such refusals cost an attacker nothing to send.
refusals_logged = PerAddress(limit=1, window=dt.timedelta(minutes=1))


def accept_identity_token(
    *,
    session: Session,
    token: str,
    origin: str,
    partners: dict[str, Partner],
    audience: str,
    now: dt.datetime | None = None,
    client: str = "",
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
        session.rollback()
        if exc.org is not None:
            # Signed by the partner, for an organisation it vouches for: that organisation's log.
            log_access(session, Actor(exc.org, "partner token", "", account=describe_for_log(token), access="",
                                      client=client), "sign in", exc.reason, outcome="refused", at=moment)
            session.commit()
        if exc.org is not None or refusals_logged.allow(client, moment):
            log.warning("identity token refused: %s origin=%s reason=%s", describe_for_log(token), for_log(origin),
                        exc.reason)
        raise
    organisation = ensure_organisation(session=session, org_id=identity.org, name=identity.org)
    purge_expired(session=session, now=moment)
    level, note = identity.level, "partner token"
    if needs_second_factor(level) and not identity.second_factor:
        # An elevated level needs a second factor this partner vouches for; without it, the
        # person records as a recorder (and the log says why).
        level, note = DEFAULT_LEVEL, f"partner token: {identity.level} needs a second factor, recorder given"
    secret = open_session(session=session, org_id=identity.org, issuer=identity.issuer, subject=identity.subject,
                          name=identity.name, role=identity.role, now=moment, expires_at=identity.expires_at,
                          access=level)
    actor = Actor(identity.org, identity.name, identity.role, None, identity.issuer, identity.subject, access=level,
                  account=f"{identity.issuer} {identity.subject}", client=client)
    log_access(session, actor, "sign in", note)
    session.commit()
    return secret, SignedIn(actor, organisation.name, as_utc(identity.expires_at))
