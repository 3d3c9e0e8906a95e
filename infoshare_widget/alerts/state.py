"""The "Needs your attention" list and each person's alert setting. Thin: the service does the work.

The list reaches the browser and is never kept on the server (`@not_kept`): references and times
only, as the emails, never record content. The records page fills it as it opens, in the same
database session as the list (records/state.py); marking an alert seen is logged
(alerts/service.py).
"""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from infoshare_widget.alerts.pages_view_model import attention_screen
from infoshare_widget.alerts.service import mark_seen, set_own_alerts
from infoshare_widget.auth import SignedIn
from infoshare_widget.auth.state import with_session
from infoshare_widget.base.acting import RecordError
from infoshare_widget.base.access import Refused
from infoshare_widget.compat.not_kept import NotKept, not_kept
from infoshare_widget.components.database_trouble import NotAnswered, ask_database
from infoshare_widget.components.trouble.state import answered


@not_kept("items")
class AttentionState(NotKept, rx.State):
    """The lead's alerts (sent, never kept) and their own setting."""

    items: list[dict[str, str]] = []
    lead: bool = False
    email: str = ""  # the person's own address, shown so they know where alerts go
    alerts_on: bool = False
    message: str = ""

    def take(self, screen: dict) -> None:
        """Show a screen read by another event in its own database session (the records page's
        opening reads this section with the list, in one session)."""
        self.items, self.lead = screen["items"], screen["lead"]
        self.email, self.alerts_on = screen["email"], screen["on"]

    async def _ask(self, secret: str, work) -> bool:
        """Do the work with the session, then read the section again; False when it was not done."""
        def both(session: Session, who: SignedIn) -> dict:
            work(session, who)
            return attention_screen(session, who)

        screen = await ask_database(self, with_session(self, secret, both), show="message")
        if isinstance(screen, NotAnswered) or screen is None:
            return False
        self.take(screen)
        return True

    @rx.event
    @answered("resend")
    async def mark_seen(self, secret: str, alert_id: str):
        """Mark one alert seen by the signed-in lead (the first mark stands)."""
        alert_id = alert_id[:32] if isinstance(alert_id, str) else ""
        try:
            if await self._ask(secret, lambda session, who: mark_seen(session=session, actor=who.actor,
                                                                      alert_id=alert_id)):
                self.message = "Marked as seen."
        except (RecordError, Refused) as exc:
            self.message = str(exc)

    @rx.event
    @answered("resend")
    async def set_alerts(self, secret: str, on: bool):
        """Turn the signed-in person's own alert emails on or off."""
        try:
            if await self._ask(secret, lambda session, who: set_own_alerts(session=session, actor=who.actor,
                                                                           on=bool(on))):
                self.message = "Alert emails are on." if on else "Alert emails are off."
        except (RecordError, Refused) as exc:
            self.message = str(exc)
