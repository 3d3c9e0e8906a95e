"""The embedded widget's state: take the identity token the intranet page passes in."""

from __future__ import annotations


import reflex as rx

from infoshare_widget.embed.identity import accept_identity_token
from infoshare_widget.embed.tokens import TokenRejected
from infoshare_widget.auth.state import AuthState, client_of
from infoshare_widget.base.db import in_database
from infoshare_widget.components.database_trouble import NotAnswered, ask_database
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
            accepted = await ask_database(self, in_database(lambda session: accept_identity_token(
                session=session, token=token, origin=origin, partners=get_embed_partners(), audience=EMBED_AUDIENCE,
                client=client)), show="token_error")
        except TokenRejected as exc:
            self.token_error = f"Your intranet's sign-in was not accepted: {exc.message}"
            auth._forget()
            return None
        if isinstance(accepted, NotAnswered):
            auth._forget()
            return accepted.reply
        secret, who = accepted
        self.token_error = ""
        auth._hand_over(secret, who)
        return None
