"""The page frame shared by every page: skip link, header and navigation, notices, footer.

Components know no feature. What the frame carries from features (the footer line on where and when
the decision content applies; the session keeper and the embed form every page holds) is handed in
once by the app, with `compose`, before its pages are built (infoshare_widget.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import reflex as rx

from infoshare_widget.base import routes
from infoshare_widget.components.govuk import nav_link
from infoshare_widget.base.settings import get_partnership

NAV = (
    ("decide", "Decide", routes.DECIDE),
    ("glossary", "Glossary", routes.GLOSSARY),
    ("records", "Records", routes.RECORDS),
)


@dataclass(frozen=True)
class Frame:
    """What the app puts in every page's frame."""

    footer_line: str = ""
    parts: Callable[[], rx.Component] = rx.fragment


_frame = Frame()


def compose(frame: Frame) -> None:
    """Set what every page's frame carries (the app does this once, at start-up)."""
    global _frame
    _frame = frame


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
            "These phone numbers reach no one.",
            # Left off small screens, so the first question's answers stay above the fold on a phone.
            rx.el.span(" Ask whoever runs this widget to set up your partnership's contacts.",
                       class_name="notice__more"),
            class_name="notice",
            role="note",
        )
        if partnership.example and contacts_notice
        else rx.fragment(),
        _offline_line(),
        _frame.parts(),
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
            rx.el.p(_frame.footer_line, class_name="footer__where") if _frame.footer_line else rx.fragment(),
            class_name="footer",
        ),
        class_name="page",
    )


def _offline_line() -> rx.Component:
    """Says the widget is offline and what still works. The stylesheet shows it only while the page is
    marked offline (assets/offline.js sets <html data-offline> from the browser's network state)."""
    return rx.el.div(
        rx.el.strong("You are offline. "),
        "The decision helper, its contacts and the glossary work on this device; "
        "recording a decision needs a connection, and this tab can hold one until it comes back.",
        class_name="offline-line",
        role="status",
    )


def _exit_this_page(destination: str) -> rx.Component:
    """GOV.UK's Exit this page: a button (and Shift three times) that leaves at once (assets/safety.js).
    A plain link underneath, so it leaves even before scripts run."""
    return rx.el.div(
        rx.el.a("Exit this page", href=destination, role="button", rel="nofollow noreferrer",
                class_name="button button--warning exit-this-page__button", data_exit_page=""),
        rx.el.p(class_name="visually-hidden", aria_live="polite", data_exit_status=""),
        class_name="exit-this-page no-print",
    )


