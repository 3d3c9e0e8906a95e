"""The embedded widget's state: take the identity token the intranet page passes in."""

from __future__ import annotations


import reflex as rx

from infoshare_widget.embed.identity import accept_identity_token
from infoshare_widget.embed.tokens import TokenRejected
from infoshare_widget.auth.state import AuthState, client_of
from infoshare_widget.base.db import Unavailable, in_database
from infoshare_widget.embed.partners import EMBED_AUDIENCE, get_embed_partners


class EmbedState(rx.State):
    """Whether the last identity token was refused, and why (the token itself is never kept)."""

    token_error: str = ""

    @rx.event
    async def accept_token(self, form: dict):
        """Check the token from the intranet page; on success, records carry its identity."""
        token, origin = str(form.get("token", "")), str(form.get("origin", ""))[:300]
        auth = await self.get_state(AuthState)
        client = client_of(self)

        try:
            secret, who = await in_database(lambda session: accept_identity_token(
                session=session, token=token, origin=origin, partners=get_embed_partners(), audience=EMBED_AUDIENCE,
                client=client))
        except Unavailable:
            self.token_error = "Your intranet's sign-in could not be checked just now: reload the page in a moment."
            auth._forget()
            return None
        except TokenRejected as exc:
            self.token_error = f"Your intranet's sign-in was not accepted: {exc.message}"
            auth._forget()
            return None
        self.token_error = ""
        auth._hand_over(secret, who)
        return None
