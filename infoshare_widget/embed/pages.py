"""What the embedded widget adds to every page: the form that takes the intranet's identity token."""

from __future__ import annotations

import reflex as rx

from infoshare_widget.embed.state import EmbedState


def token_form() -> rx.Component:
    """The hidden form that takes an intranet's identity token (assets/embed-frame.js fills it), and
    its error. Every page carries it (the app puts it in the page frame)."""
    return rx.fragment(
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
