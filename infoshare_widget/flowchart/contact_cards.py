"""Contacts as the decision helper shows them: cards with who, whether open now, how to reach them;
and the line on where and when the decision content applies."""

from __future__ import annotations

import reflex as rx

from infoshare_widget.base.settings import Contact
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.flowchart.chart_view_model import ShownContact


def contact_card(label: str, contact: Contact, key: str = "") -> rx.Component:
    """A contact from the partnership file: who, whether open now, a phone link, hours and a note.

    With structured hours, assets/hours.js fills in "Open now" or "Closed now" in UK time.
    """
    return rx.el.div(
        rx.el.p(label, class_name="contact__label"),
        rx.el.p(rx.el.strong(contact.name), class_name="contact__name"),
        rx.el.p(class_name="contact__status", data_open_key=key, hidden=True) if key and contact.open else rx.fragment(),
        rx.el.p(rx.el.a(contact.phone, href=contact.tel_href), class_name="contact__phone") if contact.phone else rx.fragment(),
        rx.el.p(rx.el.a(contact.email, href=f"mailto:{contact.email}")) if contact.email else rx.fragment(),
        rx.el.p(contact.hours, class_name="contact__hours") if contact.hours else rx.fragment(),
        rx.el.p(contact.note, class_name="contact__note") if contact.note else rx.fragment(),
        class_name="contact",
        data_contact=key,
    )


def contacts_list(cards: list[ShownContact]) -> rx.Component:
    """Contact cards, with a line that names the first one open now.

    The line is filled in by assets/hours.js (who is open depends on the moment, not the build).
    """
    keys = " ".join(card.key for card in cards if card.contact.open)
    return rx.el.div(
        rx.el.p(class_name="open-now", data_open_first=keys, role="status", hidden=True) if keys else rx.fragment(),
        rx.el.div(*[contact_card(card.label, card.contact, card.key) for card in cards], class_name="contacts"),
    )


UK_NATIONS = ("England", "Wales", "Scotland", "Northern Ireland")


def where_and_when_text() -> str:
    """Which nation the decision content covers, the date its law is stated at, and that the other
    nations have their own law and procedures."""
    chart = get_chart()
    others = [nation for nation in UK_NATIONS if nation != chart.jurisdiction]
    listed = ", ".join(others[:-1]) + " and " + others[-1] if len(others) > 1 else "".join(others)
    return (f"This content covers {chart.jurisdiction} only, with the law as it stood on {chart.law_as_at:%-d %B %Y}. "
            f"{listed} have their own law and procedures: if you work there, follow those instead.")
