"""The admin area and the access log page. GOV.UK patterns; every control is a real button or a
form with labels, and each row's buttons name the account they act on."""

from __future__ import annotations

import reflex as rx
from infoshare_widget.compat.react_router import router_link

from infoshare_widget.base import routes
from infoshare_widget.base.access import LEVEL_LABELS, LEVELS
from infoshare_widget.admin.state import AccessLogState, AdminState
from infoshare_widget.components.govuk import error_link, error_summary, table
from infoshare_widget.components.layout import page_layout
from infoshare_widget.components.browser import loader
from infoshare_widget.components.forms import text_input
from infoshare_widget.auth.pages import level_links
from infoshare_widget.compat.browser_values import SESSION
from infoshare_widget.auth.state import AuthState


def _hidden(text) -> rx.Component:
    return rx.el.span(text, class_name="visually-hidden")


def _signed_in_as() -> rx.Component:
    return rx.el.p("Signed in as ", rx.el.strong(AuthState.who), ". ",
                   router_link("Records", to=routes.RECORDS))


def _level_select(field_id: str, selected=None) -> rx.Component:
    return rx.el.select(
        *[rx.el.option(LEVEL_LABELS[level], value=level) for level in LEVELS],
        id=field_id, name="access", class_name="select", **({"default_value": selected} if selected is not None
                                                           else {}),
    )


def _level_form(a) -> rx.Component:
    return rx.el.form(
        rx.el.input(type="hidden", name="user_id", value=a["id"]),
        rx.el.label(rx.el.span("Level of ", a["username"]), html_for="level-" + a["id"],
                    class_name="visually-hidden"),
        rx.el.select(*[rx.el.option(level, value=level) for level in LEVELS], id="level-" + a["id"],
                     name="access", class_name="select select--small", default_value=a["access"],
                     key=a["id"] + a["access"], disabled=a["self"] == "yes"),
        rx.cond(a["self"] == "yes", rx.el.span(" (you)"),
                rx.el.button("Change", _hidden(rx.el.span(" level of ", a["username"])), type="submit",
                             class_name="link-button")),
        on_submit=AdminState.change_level(SESSION),
        reset_on_submit=False,
    )


def _account_actions(a) -> rx.Component:
    return rx.el.div(
        rx.cond(
            a["self"] == "yes",
            rx.fragment(),
            rx.cond(
                a["active"] == "yes",
                rx.el.button("Switch off", _hidden(rx.el.span(" ", a["username"])), type="button",
                             class_name="link-button",
                             on_click=AdminState.set_active(SESSION, a["id"], False)),
                rx.el.button("Switch on", _hidden(rx.el.span(" ", a["username"])), type="button",
                             class_name="link-button", on_click=AdminState.set_active(SESSION, a["id"], True)),
            ),
        ),
        # Not on your own account: an admin who locked themselves out might be the only one.
        rx.cond(
            a["self"] == "yes",
            rx.el.span("Ask another admin to change your own account", class_name="hint"),
            rx.fragment(
                rx.el.button("Reset password", _hidden(rx.el.span(" of ", a["username"])), type="button",
                             class_name="link-button",
                             on_click=AdminState.reset_password(SESSION, a["id"], a["username"], a["access"])),
                rx.el.button("Reset second factor", _hidden(rx.el.span(" of ", a["username"])),
                             type="button", class_name="link-button",
                             on_click=AdminState.reset_second_factor(SESSION, a["id"])),
            ),
        ),
        class_name="row-actions",
    )


def _email_form(a) -> rx.Component:
    return rx.el.form(
        rx.el.input(type="hidden", name="user_id", value=a["id"]),
        rx.el.label(rx.el.span("Email address of ", a["username"]), html_for="email-" + a["id"],
                    class_name="visually-hidden"),
        rx.el.input(type="email", id="email-" + a["id"], name="email", class_name="input input--small",
                    default_value=a["email"], key=a["id"] + a["email"], auto_complete="off", spell_check=False),
        rx.el.button("Save", _hidden(rx.el.span(" email address of ", a["username"])), type="submit",
                     class_name="link-button"),
        rx.cond(a["alerts"] != "", rx.el.span(rx.el.br(), "Alerts: ", a["alerts"], class_name="hint")),
        on_submit=AdminState.set_email(SESSION),
        reset_on_submit=False,
        # The server checks the address and says what is wrong, in the page's error summary.
        no_validate=True,
    )


DELIVERY_COLUMNS = (
    ("Queued", lambda d: d["queued"]),
    ("How", lambda d: d["channel"]),
    ("To", lambda d: d["to"]),
    ("What", lambda d: d["what"]),
    ("Status", lambda d: (rx.cond(d["failed"] == "yes", rx.el.strong(d["status"], class_name="tag tag--red"),
                                  d["status"]),
                          rx.cond(d["error"] != "", rx.el.span(rx.el.br(), d["error"], class_name="hint")))),
    ("Tries", lambda d: d["tries"]),
)


ACCOUNT_COLUMNS = (
    ("Username", lambda a: a["username"]),
    ("Name", lambda a: (a["name"], rx.el.br(), rx.el.span(a["role"], class_name="hint"))),
    ("Level", _level_form),
    ("Status", lambda a: (a["status"], rx.cond(a["note"] != "", rx.el.span(rx.el.br(), a["note"], class_name="hint")))),
    ("Second factor", lambda a: a["second_factor"]),
    ("Email for alerts", _email_form),
    ("Actions", _account_actions),
)

KEY_COLUMNS = (
    ("Name", lambda k: k["name"]),
    ("Made", lambda k: k["created"]),
    ("Last used", lambda k: k["last_used"]),
    ("Status", lambda k: k["status"]),
    ("Actions", lambda k: rx.cond(k["live"] == "yes",
                                  rx.el.button("Revoke", _hidden(rx.el.span(" key ", k["name"])), type="button",
                                               class_name="link-button",
                                               on_click=AdminState.revoke_key(SESSION, k["id"])))),
)

WAITING_COLUMNS = (
    ("Username", lambda a: a["username"]),
    ("Name", lambda a: (a["name"], rx.el.br(), rx.el.span(a["role"], class_name="hint"))),
    ("Level", lambda a: a["access"]),
    ("Status", lambda a: rx.cond(a["code_given"] == "yes", "Code made, not used yet", "Waiting for a code")),
    ("Actions", lambda a: rx.el.button(
        rx.cond(a["code_given"] == "yes", "Make a new code", "Make a one-time code"),
        _hidden(rx.el.span(" for ", a["username"])), type="button", class_name="link-button",
        on_click=AdminState.hand_over_code(SESSION, a["id"], a["username"]))),
)

LOG_COLUMNS = (
    ("When", lambda r: r["when"]),
    ("Who", lambda r: (r["who"], rx.el.br(), rx.el.span(r["account"], class_name="hint"))),
    ("Level", lambda r: r["level"]),
    ("What", lambda r: r["action"]),
    ("Record or filters", lambda r: r["target"]),
    ("From", lambda r: r["client"]),
    ("Result", lambda r: r["outcome"]),
)


def admin_page() -> rx.Component:
    """Accounts, keys and settings for an admin; codes to hand over and keys for a lead (the server
    refuses anyone else, and each part to anyone whose level does not allow it)."""
    return page_layout(
        loader(rx.Var.create(routes.ADMIN), AdminState.load(SESSION)),
        rx.el.h1(rx.cond(AuthState.can.contains("manage_accounts"), "Manage accounts and keys",
                         "Sign-in codes and records API keys"), class_name="heading-l"),
        rx.cond(
            ~AdminState.loaded,
            rx.el.p("Loading", role="status", class_name="loading"),
            rx.cond(
                AdminState.refused != "",
                rx.el.div(rx.el.p(AdminState.refused), level_links(), class_name="inset", role="status"),
                rx.el.div(
                    _signed_in_as(),
                    rx.cond(AuthState.can.contains("manage_accounts"),
                            rx.el.p("Admins manage who can use records. They never see what a record says, and "
                                    "never hold a code or key that would let them.")),
                    rx.cond(AdminState.error != "",
                            error_summary(error_link(AdminState.error, "new-username"), summary_id="admin-error")),
                    rx.cond(AdminState.message != "",
                            rx.el.p(AdminState.message, id="admin-message", class_name="inset", role="status",
                                    tab_index=-1)),
                    rx.cond(
                        AdminState.shown_secret != "",
                        rx.el.div(
                            rx.el.h2(AdminState.shown_label, class_name="heading-s"),
                            rx.el.p(rx.el.code(AdminState.shown_secret, class_name="shown-secret")),
                            rx.el.p("It is not stored anywhere it can be read again. Give it to the person by a "
                                    "safe route, such as in person or by phone."),
                            rx.el.button("I have noted it", type="button", class_name="button button--secondary",
                                         on_click=AdminState.forget_secret),
                            id="shown-secret", class_name="panel-once", tab_index=-1, role="status",
                        ),
                    ),
                    rx.cond(AuthState.can.contains("hand_over"), _waiting_section()),
                    rx.cond(AuthState.can.contains("manage_accounts"), _accounts_section()),
                    _keys_section(),
                    rx.cond(AuthState.can.contains("manage_accounts"), _retention_section()),
                    rx.cond(AuthState.can.contains("manage_accounts"), _deliveries_section()),
                ),
            ),
        ),
        current="records",
        contacts_notice=False,
    )


def _waiting_section() -> rx.Component:
    """For leads: accounts that read records and wait for their one-time code."""
    return rx.el.section(
        rx.el.h2("Accounts waiting for a one-time code", class_name="heading-m"),
        rx.el.p("An admin made or reset these accounts. They read records, so the admin does not see their code: "
                "you make it here and give it to the person yourself, in person or by phone. Check who they are "
                "first."),
        rx.cond(AdminState.waiting.length() > 0, table("Waiting for a code", WAITING_COLUMNS, AdminState.waiting),
                rx.el.p("No account is waiting for a code.", class_name="hint")),
        class_name="section",
    )


def _accounts_section() -> rx.Component:
    return rx.fragment(
        table("Accounts", ACCOUNT_COLUMNS, AdminState.accounts),
        rx.el.details(
            rx.el.summary("What each level can do", class_name="details__summary"),
            rx.el.ul(*[rx.el.li(LEVEL_LABELS[level]) for level in LEVELS], class_name="list list--bullet"),
            rx.el.p("Lead, admin and auditor accounts sign in with a code from an authenticator app "
                    "as well as their password."),
            rx.el.p("You see the one-time code of an admin account only. For an account that reads "
                    "records, a safeguarding lead makes the code and gives it to the person."),
            class_name="details",
        ),
        rx.el.form(
            rx.el.h2("Add an account", class_name="heading-m"),
            text_input("Username", "username", id_prefix="new-", hint="Lower case, like sam.jones"),
            text_input("Full name", "name", id_prefix="new-"),
            text_input("Job title", "role", id_prefix="new-", hint="For example, health visitor"),
            rx.el.div(rx.el.label("Access level", html_for="new-access", class_name="label"),
                      _level_select("new-access", "recorder"), class_name="form-group"),
            text_input("Email address for alerts (optional)", "email", id_prefix="new-", kind="email",
                       hint="Leads get an email when a decision needs them; never any details of a child"),
            rx.el.button("Add account", type="submit", class_name="button"),
            on_submit=AdminState.create_account(SESSION),
            reset_on_submit=False,
            no_validate=True,
            class_name="section",
        ),
    )


def _deliveries_section() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Alert deliveries", class_name="heading-m", id="deliveries"),
        rx.el.p("The latest emails and webhook calls that told people about alerts. None holds record content. "
                "A message that could not be delivered is tried again for 24 hours, then marked failed here."),
        rx.cond(AdminState.failed_deliveries > 0,
                rx.el.div(rx.el.p(rx.el.strong(AdminState.failed_deliveries.to_string(), " failed"),
                                  ": check the mail server or the webhook, and tell the leads concerned."),
                          class_name="inset inset--warning", role="status")),
        rx.cond(AdminState.deliveries.length() > 0, table("Latest alert deliveries", DELIVERY_COLUMNS, AdminState.deliveries),
                rx.el.p("No alert has been sent yet.", class_name="hint")),
        class_name="section",
    )


def _keys_section() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Records API keys", class_name="heading-m"),
        rx.el.p("Your organisation's own systems read records with a key. Each key reads like an "
                "auditor and its every read is in the access log under its name."),
        table("API keys", KEY_COLUMNS, AdminState.keys),
        rx.cond(
            AuthState.can.contains("manage_keys"),
            rx.el.form(
                text_input("Name of the new key", "key_name", id_prefix="new-",
                            hint="The system that will use it, like Case system"),
                rx.el.button("Make a key", type="submit", class_name="button button--secondary"),
                on_submit=AdminState.create_key(SESSION),
                reset_on_submit=False,
            ),
            rx.el.p("A key reads records, so a safeguarding lead makes it. You can revoke one here.",
                    class_name="hint"),
        ),
        class_name="section",
    )


def _retention_section() -> rx.Component:
    return rx.el.form(
        rx.el.h2("Retention", class_name="heading-m"),
        rx.el.div(
            rx.el.label("Years to keep a record after its last entry", html_for="retention-years",
                        class_name="label"),
            rx.el.div("Leave empty to keep records until you set a period. Currently: ",
                      rx.cond(AdminState.retention != "", AdminState.retention + " years",
                              "no period set"),
                      id="retention-years-hint", class_name="hint"),
            rx.el.input(type="text", inputmode="numeric", id="retention-years", name="years",
                        class_name="input input--3", aria_describedby="retention-years-hint",
                        key=AdminState.retention, default_value=AdminState.retention),
            class_name="form-group",
        ),
        rx.el.button("Save retention period", type="submit", class_name="button button--secondary"),
        on_submit=AdminState.set_retention(SESSION),
        reset_on_submit=False,
        class_name="section",
    )


def access_log_page() -> rx.Component:
    """Who read what, when and from where: for leads and auditors."""
    return page_layout(
        loader(rx.Var.create(routes.ACCESS_LOG), AccessLogState.load(SESSION, {})),
        router_link("Records", to=routes.RECORDS, class_name="back-link"),
        rx.el.h1("Access log", class_name="heading-l"),
        rx.el.p("Every read of a record, every export with its filters, every sign-in (failed and refused too) "
                "and every admin change. It never holds what a record says, and nothing in it can be changed."),
        rx.cond(
            AccessLogState.refused != "",
            rx.el.p(AccessLogState.refused, class_name="inset", role="status"),
            rx.el.div(
                rx.el.form(
                    rx.cond(AccessLogState.error != "",
                            rx.el.p(AccessLogState.error, class_name="error-message", role="alert")),
                    rx.el.div(
                        text_input("From", "from", id_prefix="log-", kind="date"),
                        text_input("To", "to", id_prefix="log-", kind="date"),
                        text_input("Who", "who", id_prefix="log-"),
                        text_input("Record reference", "reference", id_prefix="log-"),
                        class_name="filters",
                    ),
                    rx.el.button("Apply filters", type="submit", class_name="button button--secondary"),
                    on_submit=AccessLogState.load(SESSION),
                    reset_on_submit=False,
                ),
                rx.cond(~AccessLogState.loaded, rx.el.p("Loading", role="status", class_name="loading")),
                table("Entries, newest first (up to 500)", LOG_COLUMNS, AccessLogState.rows),
            ),
        ),
        current="records",
        contacts_notice=False,
    )
