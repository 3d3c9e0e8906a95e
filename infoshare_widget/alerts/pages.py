"""The "Needs your attention" section at the top of the records page, for leads."""

from __future__ import annotations

import reflex as rx

from infoshare_widget.alerts.state import AttentionState
from infoshare_widget.compat.browser_values import SESSION
from infoshare_widget.compat.react_router import router_link


def _item(item) -> rx.Component:
    return rx.el.li(
        rx.el.p(rx.el.strong(item["what"]), ": ", router_link(item["reference"], to=item["href"]),
                " (", item["outcome"], "), ", item["when"], "."),
        rx.cond(
            item["seen"] != "",
            rx.el.p(item["seen"], class_name="hint"),
            rx.el.button(rx.el.span("Mark as seen"), rx.el.span(" ", item["reference"], class_name="visually-hidden"),
                         type="button", class_name="button button--secondary button--small",
                         on_click=AttentionState.mark_seen(SESSION, item["id"])),
        ),
        class_name=rx.cond(item["seen"] != "", "attention attention--seen", "attention"),
    )


def _alert_setting() -> rx.Component:
    return rx.cond(
        AttentionState.email != "",
        rx.el.p(
            rx.cond(AttentionState.alerts_on, "Alerts are emailed to ", "Alert emails are off for "),
            rx.el.strong(AttentionState.email), ". ",
            rx.el.button(rx.cond(AttentionState.alerts_on, "Turn alert emails off", "Turn alert emails on"),
                         type="button", class_name="link-button",
                         on_click=AttentionState.set_alerts(SESSION, ~AttentionState.alerts_on)),
            class_name="hint",
        ),
        rx.el.p("Alerts are shown here. To have them emailed too, ask an admin to add your email address.",
                class_name="hint"),
    )


def attention_section() -> rx.Component:
    """For leads: decisions, follow-ups marked "Not done" and overdue ones, newest first, each marked
    seen by whom and when. Filled as the records page opens (records/state.py)."""
    return rx.fragment(
        rx.cond(
            AttentionState.lead,
            rx.el.section(
                rx.el.h2("Needs your attention", class_name="heading-m", id="attention"),
                rx.cond(AttentionState.message != "",
                        rx.el.p(AttentionState.message, role="status", class_name="inset")),
                rx.cond(
                    AttentionState.items.length() > 0,
                    rx.el.ul(rx.foreach(AttentionState.items, _item), class_name="list list--spaced attention-list"),
                    rx.el.p("Nothing needs your attention."),
                ),
                _alert_setting(),
                class_name="section attention-section",
                aria_labelledby="attention",
            ),
        ),
    )
