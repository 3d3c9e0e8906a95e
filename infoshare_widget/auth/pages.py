"""The second step of an elevated sign-in (a code, or setting up an authenticator app) and setting a
password with a one-time code from an admin or a lead. GOV.UK patterns: one thing per page, an error summary
that takes focus, and the field's own error message."""

from __future__ import annotations

import reflex as rx
from infoshare_widget.compat.react_router import router_link

from infoshare_widget.base import routes
from infoshare_widget.auth.rules import RESET_LASTS
from infoshare_widget.components.govuk import error_link, error_summary
from infoshare_widget.components.layout import page_layout
from infoshare_widget.components.browser import loader, on_change
from infoshare_widget.components.forms import text_input
from infoshare_widget.auth.state import AuthState
from infoshare_widget.compat.browser_values import SESSION
from infoshare_widget.auth.state import ResetPasswordState, SecondFactorState


def _code_field(hint: str) -> rx.Component:
    return rx.el.div(
        rx.el.label("Code", html_for="code", class_name="label label--bold"),
        rx.el.div(hint, id="code-hint", class_name="hint"),
        rx.cond(SecondFactorState.error != "",
                rx.el.p(rx.el.span("Error: ", class_name="visually-hidden"), SecondFactorState.error,
                        id="code-message", class_name="error-message")),
        rx.el.input(type="text", id="code", name="code", class_name="input input--10", auto_complete="one-time-code",
                    spell_check=False, aria_describedby="code-hint"),
        class_name=rx.cond(SecondFactorState.error != "", "form-group form-group--error", "form-group"),
    )


def _errors() -> rx.Component:
    return rx.cond(SecondFactorState.error != "",
                   error_summary(error_link(SecondFactorState.error, "code"), summary_id="code-error"))


def code_page() -> rx.Component:
    """Step two for a lead, admin or auditor: the code from their app, or a recovery code."""
    return page_layout(
        _errors(),
        rx.el.h1("Enter the code from your authenticator app", class_name="heading-l"),
        rx.el.p("Your account can see more than your own records, so signing in needs a second step."),
        rx.el.form(
            _code_field("The 6-digit code your app shows now. Lost your phone? Enter one of your recovery codes "
                        "instead."),
            rx.el.button("Continue", type="submit", class_name="button"),
            on_submit=SecondFactorState.submit_code(SESSION),
            reset_on_submit=False,
        ),
        rx.el.p("No code and no recovery codes? Ask your organisation's admin to reset your second factor."),
        router_link("Sign in again", to=routes.SIGN_IN),
        current="records",
        contacts_notice=False,
    )


def set_up_page() -> rx.Component:
    """First sign-in of an elevated account: scan, confirm with a code, then keep the recovery codes."""
    return page_layout(
        loader(rx.Var.create(routes.SIGN_IN_SET_UP), SecondFactorState.load_set_up(SESSION)),
        rx.cond(
            SecondFactorState.recovery_codes.length() > 0,
            rx.el.div(
                rx.el.h1("Keep your recovery codes", class_name="heading-l"),
                rx.el.p("Your authenticator app is set up. If you lose your phone, each of these codes signs you "
                        "in once instead of a code from the app. They are shown only now: print them or write "
                        "them down, and keep them somewhere safe away from your phone."),
                rx.el.ul(rx.foreach(SecondFactorState.recovery_codes,
                                    lambda code: rx.el.li(rx.el.code(code))),
                         class_name="list recovery-codes", aria_label="Recovery codes"),
                rx.el.button("Print", type="button", class_name="button button--secondary no-print",
                             on_click=rx.run_script("window.print()")),
                router_link("Continue", to=SecondFactorState.next_page, class_name="button no-print"),
                id="recovery-codes", tab_index=-1,
            ),
            rx.el.div(
                _errors(),
                rx.el.h1("Set up your authenticator app", class_name="heading-l"),
                rx.el.p("Your account can see more than your own records, so it needs a second step when you sign "
                        "in: a code from an app on your phone, such as Microsoft Authenticator or Google "
                        "Authenticator."),
                rx.el.ol(
                    rx.el.li("Open the app and choose to add an account."),
                    rx.el.li("Scan this QR code, or type the key under it."),
                    rx.el.li("Enter the 6-digit code the app then shows."),
                    class_name="list list--number",
                ),
                rx.cond(
                    SecondFactorState.qr != "",
                    rx.el.figure(
                        rx.el.img(src=SecondFactorState.qr, alt="QR code for your authenticator app",
                                  width="205", height="205", class_name="qr"),
                        rx.el.figcaption("Key: ", rx.el.code(SecondFactorState.key, id="totp-key")),
                        class_name="qr-figure",
                    ),
                    rx.el.p("Making your QR code", role="status", class_name="loading"),
                ),
                rx.el.form(
                    _code_field("The 6-digit code from the app"),
                    rx.el.button("Confirm", type="submit", class_name="button"),
                    on_submit=SecondFactorState.confirm_set_up(SESSION),
                    reset_on_submit=False,
                ),
            ),
        ),
        current="records",
        contacts_notice=False,
    )


def reset_password_page() -> rx.Component:
    """Set a password with the one-time code an admin or a lead gave (a new account, or after a reset)."""
    return page_layout(
        rx.cond(ResetPasswordState.error != "",
                error_summary(error_link(ResetPasswordState.error, "reset-organisation"), summary_id="reset-error")),
        rx.el.h1("Set your password", class_name="heading-l"),
        rx.el.p(f"Use the one-time code you were given: by a safeguarding lead for an account that reads records, "
                f"by an admin for an admin account. It lasts {RESET_LASTS}."),
        rx.el.form(
            text_input("Organisation", "organisation", id_prefix="reset-", autocomplete="organization"),
            text_input("Username", "username", id_prefix="reset-", autocomplete="username"),
            text_input("One-time code", "code", id_prefix="reset-", hint="For example, ABCD-EFGH-JKMN"),
            text_input("New password", "password", id_prefix="reset-", kind="password",
                        autocomplete="new-password", hint="At least 12 characters. A few words you will remember "
                                                          "make a strong password."),
            text_input("New password again", "password_again", id_prefix="reset-", kind="password",
                        autocomplete="new-password"),
            rx.el.button("Set password", type="submit", class_name="button"),
            on_submit=ResetPasswordState.submit,
            reset_on_submit=False,
        ),
        current="records",
        contacts_notice=False,
    )


def sign_in_fields(id_prefix: str) -> list[rx.Component]:
    """Organisation, username and password."""
    return [
        text_input("Organisation", "organisation", id_prefix=id_prefix, hint="The short name you were given, like example-trust",
                    autocomplete="organization"),
        text_input("Username", "username", id_prefix=id_prefix, autocomplete="username"),
        text_input("Password", "password", id_prefix=id_prefix, kind="password", autocomplete="current-password"),
    ]


def sign_in_page() -> rx.Component:
    """The standalone sign-in (deciding and the glossary never need it)."""
    return page_layout(
        rx.el.h1("Sign in to record decisions", class_name="heading-l"),
        rx.el.p("Deciding and the glossary work without signing in. Records belong to your organisation."),
        rx.cond(
            AuthState.sign_in_error != "",
            error_summary(error_link(AuthState.sign_in_error, "sign-in-organisation"), summary_id="sign-in-error"),
        ),
        rx.cond(AuthState.sign_in_notice != "",
                rx.el.p(AuthState.sign_in_notice, class_name="inset", role="status")),
        rx.el.form(
            *sign_in_fields("sign-in-"),
            rx.el.button("Sign in", type="submit", class_name="button"),
            on_submit=AuthState.submit_sign_in,
            reset_on_submit=False,
        ),
        rx.el.p("New account, or your password was reset? ",
                router_link("Set your password with the code you were given", to=routes.RESET_PASSWORD)),
        current="records",
    )


def level_links() -> rx.Component:
    """Links to the admin area and the access log, for the levels that use them (the server checks)."""
    return rx.fragment(
        rx.cond(AuthState.can.contains("manage_accounts"),
                rx.el.p(router_link("Manage accounts and keys", to=routes.ADMIN))),
        rx.cond(AuthState.can.contains("hand_over"),
                rx.el.p(router_link("Sign-in codes and records API keys", to=routes.ADMIN))),
        rx.cond(AuthState.can.contains("read_access_log"),
                rx.el.p(router_link("Access log: who read what", to=routes.ACCESS_LOG))),
        rx.cond(AuthState.can.contains("insight"),
                rx.el.p(router_link("Insight: where people are unsure, and follow-ups", to=routes.INSIGHT))),
    )


def session_keeper() -> rx.Component:
    """Puts a new session's secret in the tab's storage (assets/records.js) the moment it arrives."""
    return on_change("infoshareSession.keep", AuthState.handoff)
