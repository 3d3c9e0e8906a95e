"""Binding a partner-signed identity to the widget's session. Takes a session; no Reflex."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from infoshare_widget.embed.tokens import Identity, Partner, TokenRejected, describe_for_log, verify_token
from infoshare_widget.records.models import UsedToken, utc_now
from infoshare_widget.records.service import ensure_organisation

log = logging.getLogger(__name__)


def accept_identity_token(*, session: Session, token: str, partners: dict[str, Partner], audience: str) -> Identity:
    """Verify the token and note its id (a second use is refused); raise TokenRejected otherwise.

    A log line names the issuer, the token id and the reason, never the token.
    """

    def seen(issuer: str, jti: str, expires_at: dt.datetime) -> bool:
        session.exec(delete(UsedToken).where(UsedToken.expires_at < utc_now() - dt.timedelta(minutes=5)))
        session.add(UsedToken(issuer=issuer, jti=jti, expires_at=expires_at))
        try:
            session.commit()
            return False
        except IntegrityError:
            session.rollback()
            return True

    try:
        identity = verify_token(token, partners=partners, audience=audience, seen=seen)
    except TokenRejected as exc:
        log.warning("identity token refused: %s reason=%s", describe_for_log(token), exc.reason)
        raise
    ensure_organisation(session=session, org_id=identity.org, name=identity.org)
    return identity
