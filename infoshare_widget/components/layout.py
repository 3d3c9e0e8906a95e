"""The page frame shared by every page: skip link, header and navigation, notices, footer."""

from __future__ import annotations

import reflex as rx

from infoshare_widget import routes
from infoshare_widget.components.govuk import nav_link
from infoshare_widget.flowchart.public import ShownContact
from infoshare_widget.settings import Contact, get_partnership

NAV = (
    ("decide", "Decide", routes.DECIDE),
    ("glossary", "Glossary", routes.GLOSSARY),
    ("records", "Records", routes.RECORDS),
)


def page_layout(*children: rx.Component, current: str, footer_note: str | rx.Component = "",
                contacts_notice: bool = True) -> rx.Component:
    """Wrap a page's content in the shared frame; `current` names the active navigation item.
    `contacts_notice`: say when the partnership's contacts are examples (pages that show contacts)."""
    partnership = get_partnership()
    return rx.el.div(
        rx.el.a("Skip to main content", href="#main-content", class_name="skip-link"),
        _exit_this_page(partnership.exit_page),
        rx.el.header(
            rx.el.div(
                rx.el.span("InfoShare", class_name="header__brand"),
                rx.el.span(partnership.area, class_name="header__area"),
                class_name="header__title",
            ),
            rx.el.nav(
                *[nav_link(label, to, current=(key == current)) for key, label, to in NAV],
                class_name="nav",
                aria_label="Widget",
            ),
            # assets/safety.js toggles it and remembers the choice on this device.
            rx.el.button("High contrast", type="button", class_name="contrast-toggle", aria_pressed="false",
                         data_contrast_toggle=""),
            class_name="header",
        ),
        rx.el.div(
            rx.el.strong("Example contacts. "),
            "The phone numbers on these pages are examples and reach no one. "
            "Ask whoever runs this widget to set up your partnership's contacts.",
            class_name="notice",
            role="note",
        )
        if partnership.example and contacts_notice
        else rx.fragment(),
        _embed_parts(),
        rx.el.main(*children, id="main-content", class_name="main", tab_index=-1),
        # A marker for tests and embedding hosts: present once the page is live and connected.
        rx.cond(rx.State.is_hydrated, rx.el.span(id="widget-ready", hidden=True)),
        rx.el.footer(
            (rx.el.p(footer_note) if isinstance(footer_note, str) else footer_note) if footer_note else rx.fragment(),
            rx.el.p(
                "This helps you decide; it does not replace your organisation's procedures or legal "
                "advice. Based on UK GDPR, the Data Protection Act 2018 and the government's "
                "information sharing advice (2024)."
            ),
            where_and_when(),
            class_name="footer",
        ),
        class_name="page",
    )


UK_NATIONS = ("England", "Wales", "Scotland", "Northern Ireland")


def where_and_when_text() -> str:
    """Which nation the decision content covers, the date its law is stated at, and that the other
    nations have their own law and procedures."""
    from infoshare_widget.flowchart.chart import get_chart

    chart = get_chart()
    others = [nation for nation in UK_NATIONS if nation != chart.jurisdiction]
    listed = ", ".join(others[:-1]) + " and " + others[-1] if len(others) > 1 else "".join(others)
    return (f"This content covers {chart.jurisdiction} only, with the law as it stood on {chart.law_as_at:%-d %B %Y}. "
            f"{listed} have their own law and procedures: if you work there, follow those instead.")


def where_and_when() -> rx.Component:
    return rx.el.p(where_and_when_text(), class_name="footer__where")


def _exit_this_page(destination: str) -> rx.Component:
    """GOV.UK's Exit this page: a button (and Shift three times) that leaves at once (assets/safety.js).
    A plain link underneath, so it leaves even before scripts run."""
    return rx.el.div(
        rx.el.a("Exit this page", href=destination, role="button", rel="nofollow noreferrer",
                class_name="button button--warning exit-this-page__button", data_exit_page=""),
        rx.el.p(class_name="visually-hidden", aria_live="polite", data_exit_status=""),
        class_name="exit-this-page no-print",
    )


def _embed_parts() -> rx.Component:
    """The session keeper, the hidden form that takes an intranet's identity token (embed-frame.js fills
    it), and its error."""
    from infoshare_widget.components.browser import session_keeper, trouble_watcher
    from infoshare_widget.embed.state import EmbedState

    return rx.fragment(
        session_keeper(),
        trouble_watcher(),
        rx.el.form(
            rx.el.input(type="hidden", name="token"),
            rx.el.input(type="hidden", name="origin"),
            id="embed-token-form",
            on_submit=EmbedState.accept_token,
            reset_on_submit=True,
            hidden=True,
        ),
        rx.cond(
            EmbedState.token_error != "",
            rx.el.div(EmbedState.token_error, class_name="notice notice--error", role="alert", id="embed-error"),
        ),
    )


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
