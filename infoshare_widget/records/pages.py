"""Record pages: sign in, the record panel under each outcome, details, one record, the list."""

from __future__ import annotations

import reflex as rx
from infoshare_widget.compat.react_router import route_param, router_link

from infoshare_widget.base import routes
from infoshare_widget.components.govuk import error_link, error_summary, link_button, table
from infoshare_widget.flowchart.contact_cards import contacts_list
from infoshare_widget.components.layout import page_layout
from infoshare_widget.flowchart.chart_view_model import outcome_contacts
from infoshare_widget.flowchart import client
from infoshare_widget.flowchart.chart import OUTCOME_LABELS
from infoshare_widget.records.details import (
    AFTER_ADVICE, CONSENT, CONSENT_WHY, INFO_CATEGORIES, LAWFUL_BASES, LAWFUL_BASIS_HINT, LIMITS, OTHER_AGENCY, ROUTES,
    TOLD)
from infoshare_widget.components.browser import loader, on_change
from infoshare_widget.components.forms import text_input
from infoshare_widget.auth.pages import level_links, sign_in_fields
from infoshare_widget.compat.browser_values import ATTEMPT, SESSION, js_value
from infoshare_widget.auth.state import AuthState
from infoshare_widget.alerts.pages import attention_section
from infoshare_widget.records.state import DetailsState, RecordPageState, RecordState, RecordsState
from infoshare_widget.base.settings import get_partnership


def record_panel() -> rx.Component:
    """Under every outcome: record with one click, sign in first if needed, then the confirmation."""
    recorded = RecordState.recorded_walk == client.walk
    return rx.el.section(
        rx.cond(
            recorded,
            rx.el.div(
                rx.el.h2("Decision recorded", class_name="panel__title panel__title--small"),
                rx.el.p("Your reference is ", rx.el.strong(RecordState.reference, class_name="reference")),
                rx.el.p(
                    "The record holds the decision, your answers, the version of this guidance, the time and "
                    "your name. Next, add what you shared, with whom and the follow-up to check, if you have time."
                ),
                router_link("Add details", to="/records/" + RecordState.record_id + "/details",
                                       class_name="button"),
                router_link("See the record", to="/records/" + RecordState.record_id, class_name="link-after"),
                id="record-done", class_name="record-done", tab_index=-1, role="status",
            ),
            rx.cond(
                RecordState.needs_sign_in,
                rx.el.form(
                    rx.el.h2("Sign in to record this decision", class_name="heading-m"),
                    rx.cond(RecordState.needs_sign_in & (AuthState.sign_in_error != ""),
                            rx.el.p(AuthState.sign_in_error, id="record-sign-in-error", class_name="error-message",
                                    tab_index=-1)),
                    *sign_in_fields("record-sign-in-"),
                    rx.el.button("Sign in and record", type="submit", class_name="button"),
                    on_submit=RecordState.sign_in_and_record,
                    reset_on_submit=False,
                    class_name="record-sign-in",
                ),
                rx.el.div(
                    rx.el.h2("Record this decision", class_name="heading-m"),
                    rx.el.p("Golden rule 7: record what you decided and why, whether you share or not. "
                            "One click saves it now; you can add details after."),
                    rx.cond(RecordState.error != "", rx.el.p(RecordState.error, class_name="error-message")),
                    rx.el.p("You are offline. This tab can hold the decision and record it once when the "
                            "connection comes back. Nothing else about it is kept on this device.",
                            class_name="record-later-hint"),
                    rx.el.button(
                        "Record this decision",
                        type="button",
                        class_name="button record-now",
                        on_click=RecordState.record_decision(client.current_answers, client.walk, SESSION,
                                                            client.record_key),
                    ),
                    # Offline only (the stylesheet swaps the buttons): assets/records.js holds it.
                    rx.el.button("Record when back online", type="button", class_name="button record-later",
                                 data_record_later=""),
                ),
            ),
        ),
        # What assets/records.js says of decisions held while offline; and the sender it presses once
        # the page is live again (hidden: not a control for people).
        rx.el.p(class_name="record-held", role="status", data_record_held_status=""),
        on_change("infoshareRecordLater.saved", RecordState.saved),
        on_change("infoshareRecordLater.signIn", RecordState.pending_key),
        rx.el.button("Send the held decision", type="button", id="record-held-send", hidden=True, tab_index=-1,
                     aria_hidden="true", on_click=RecordState.record_held(client.held_decision, SESSION)),
        class_name="record-panel",
        hidden=True,
    )


def _radios(name: str, legend: str, choices: dict[str, str], *, hint: str = "") -> rx.Component:
    return rx.el.div(
        rx.el.fieldset(
            rx.el.legend(legend, class_name="fieldset__legend fieldset__legend--m"),
            rx.el.div(hint, class_name="hint") if hint else rx.fragment(),
            _error(name),
            rx.el.div(
                *[
                    rx.el.div(
                        rx.el.input(type="radio", name=name, value=value, id=f"{name}-{value}", class_name="radios__input"),
                        rx.el.label(label, html_for=f"{name}-{value}", class_name="radios__label"),
                        class_name="radios__item",
                    )
                    for value, label in choices.items()
                ],
                class_name="radios radios--small",
            ),
            class_name="fieldset",
        ),
        class_name=rx.cond(DetailsState.errors.contains(name), "form-group form-group--error", "form-group"),
    )


def _error(name: str) -> rx.Component:
    return rx.cond(
        DetailsState.errors.contains(name),
        rx.el.p(rx.el.span("Error: ", class_name="visually-hidden"), DetailsState.errors[name], id=f"{name}-error",
                class_name="error-message"),
    )


def _hint_for(name: str) -> rx.Component:
    return rx.cond(
        DetailsState.hints.contains(name),
        rx.el.p(DetailsState.hints[name], class_name="pii-hint", role="note"),
    )


def _area(label: str, name: str, hint: str = "") -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=name, class_name="label"),
        rx.el.div(hint, id=f"{name}-hint", class_name="hint") if hint else rx.fragment(),
        _error(name),
        _hint_for(name),
        rx.el.textarea(id=name, name=name, rows=3, class_name="textarea", max_length=LIMITS[name] + 200),
        class_name=rx.cond(DetailsState.errors.contains(name), "form-group form-group--error", "form-group"),
    )


def _line(label: str, name: str, hint: str = "") -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=name, class_name="label"),
        rx.el.div(hint, class_name="hint") if hint else rx.fragment(),
        _error(name),
        _hint_for(name),
        rx.el.input(type="text", id=name, name=name, class_name="input", auto_complete="off"),
        class_name=rx.cond(DetailsState.errors.contains(name), "form-group form-group--error", "form-group"),
    )


def _agency_choices() -> dict[str, str]:
    """The partnership's receiving agencies, then Other (the name goes in the box below)."""
    return {**{a.id: a.name for a in get_partnership().agencies}, OTHER_AGENCY: "Other"}


def _first(name: str, choices: dict[str, str]) -> str:
    return f"{name}-{next(iter(choices))}"


# Each field that can be in error, in page order, and the input its summary link focuses.
ERROR_TARGETS = {
    "categories": f"category-{next(iter(INFO_CATEGORIES))}",
    "description": "description", "recipient_agency": "", "recipient_org": "recipient_org",
    "recipient_role": "recipient_role",
    "route": _first("route", ROUTES), "purpose": "purpose", "lawful_basis": _first("lawful_basis", LAWFUL_BASES),
    "consent": _first("consent", CONSENT), "consent_why": _first("consent_why", CONSENT_WHY),
    "consent_reason": "consent_reason", "told": _first("told", TOLD),
    "told_reason": "told_reason", "identity_protection": "identity_protection", "advice_from": "advice_from",
    "advice_said": "advice_said", "after_advice": _first("after_advice", AFTER_ADVICE), "follow_up_action": "follow_up_action", "check_by": "check_by",
    "case_reference": "case_reference", "form": "description",
}


def details_page() -> rx.Component:
    """The optional details, GOV.UK style, checked on the server; typed values survive an error, and
    what is typed before the record has loaded stays (its suggestions fill only what is empty)."""
    record_id = route_param("record_id")
    return page_layout(
        loader(record_id, DetailsState.load(SESSION, record_id)),
        on_change("infoshareForm.suggest", DetailsState.prefill),
        router_link("Back to the record", to="/records/" + record_id, class_name="back-link"),
        rx.cond(
            DetailsState.errors.length() > 0,
            error_summary(
                *[rx.cond(DetailsState.errors.contains(name), error_link(DetailsState.errors[name], target))
                  for name, target in {**ERROR_TARGETS,
                                       "recipient_agency": _first("recipient_agency", _agency_choices())}.items()]
            ),
        ),
        rx.el.span(
            rx.cond(DetailsState.shown_id == record_id,
                    rx.cond(DetailsState.reference != "", "Record " + DetailsState.reference,
                            "There is no such record in your organisation"),
                    "Loading the record"),
            class_name="caption", role="status",
        ),
        rx.el.h1("Add the details", class_name="heading-l"),
        rx.el.p("Every question is optional. Use the case reference, not names: the record only needs enough to "
                "find the case. To correct a record, fill in only what changes: what you leave blank keeps "
                "what the record already says."),
        rx.el.form(
            rx.el.div(
                rx.el.fieldset(
                    rx.el.legend("What information did you share?", class_name="fieldset__legend fieldset__legend--m"),
                    _error("categories"),
                    rx.el.div(
                        *[
                            rx.el.div(
                                rx.el.input(type="checkbox", id=f"category-{key}", name=f"category-{key}",
                                            class_name="checkboxes__input"),
                                rx.el.label(label, html_for=f"category-{key}", class_name="checkboxes__label"),
                                class_name="checkboxes__item",
                            )
                            for key, label in INFO_CATEGORIES.items()
                        ],
                        class_name="checkboxes",
                    ),
                    class_name="fieldset",
                ),
                class_name="form-group",
            ),
            _area("Describe what you shared", "description", "A short description, facts apart from opinion."),
            _radios("recipient_agency", "Who did you share it with?", _agency_choices(),
                    hint="Choose the agency, so follow-ups can be counted agency by agency."),
            _line("If other, the organisation's name", "recipient_org"),
            _line("Their role", "recipient_role", "For example, duty social worker"),
            _radios("route", "How did you share it?", ROUTES),
            _area("What was it for?", "purpose"),
            _radios("lawful_basis", "Lawful basis", LAWFUL_BASES, hint=LAWFUL_BASIS_HINT),
            _radios("consent", "Consent", CONSENT),
            _radios("consent_why", "If consent was not sought, the main reason", CONSENT_WHY),
            _area("If consent was not sought or was overridden, why?", "consent_reason"),
            _radios("told", "Was the person told that you shared it?", TOLD),
            _area("If not, why not?", "told_reason", "For example, telling them could put the child at risk."),
            _area("What did you do to protect identities?", "identity_protection"),
            _line("Who did you ask for advice?", "advice_from"),
            _area("What did they advise?", "advice_said"),
            _radios("after_advice", "If you asked for advice, what did it lead to?", AFTER_ADVICE),
            _area("What did the other agency say they would do?", "follow_up_action"),
            rx.el.div(
                rx.el.fieldset(
                    rx.el.legend("When will you check they did it?", class_name="fieldset__legend fieldset__legend--m"),
                    rx.el.div("For example, 27 3 2027", id="check_by-hint", class_name="hint"),
                    _error("check_by"),
                    rx.el.div(
                        *[
                            rx.el.div(
                                rx.el.label(label, html_for=f"check_by_{part}" if part != "day" else "check_by",
                                            class_name="label label--small"),
                                rx.el.input(type="text", inputmode="numeric", id=f"check_by_{part}" if part != "day" else "check_by",
                                            name=f"check_by_{part}", class_name=f"input input--{size}", auto_complete="off"),
                                class_name="date-input__item",
                            )
                            for part, label, size in (("day", "Day", "2"), ("month", "Month", "2"), ("year", "Year", "4"))
                        ],
                        class_name="date-input",
                    ),
                    class_name="fieldset",
                    aria_describedby="check_by-hint",
                ),
                class_name=rx.cond(DetailsState.errors.contains("check_by"), "form-group form-group--error", "form-group"),
            ),
            _line("Case reference", "case_reference", "Your case management system's reference, not a name"),
            rx.el.button("Save details", type="submit", class_name="button"),
            on_submit=DetailsState.save(SESSION, record_id, ATTEMPT),
            reset_on_submit=False,
            no_validate=True,
            id="details-form",
        ),
        current="records",
    )


def record_page() -> rx.Component:
    """One record as it reads now, with the follow-up to mark, print and copy."""
    partnership = get_partnership()
    record_id = route_param("record_id")
    shown = RecordPageState.shown_id == record_id
    return page_layout(
        loader(record_id, RecordPageState.load(SESSION, record_id)),
        router_link("All records", to=routes.RECORDS, class_name="back-link no-print"),
        rx.cond(
            shown & (RecordPageState.heading != ""),
            rx.el.article(
                rx.el.span("Decision record", class_name="caption"),
                rx.el.h1(RecordPageState.heading, class_name="heading-l"),
                rx.el.dl(
                    rx.foreach(
                        RecordPageState.rows,
                        lambda row: rx.el.div(rx.el.dt(row["label"], class_name="summary-list__key"),
                                              rx.el.dd(row["value"], class_name="summary-list__value"),
                                              class_name="summary-list__row summary-list__row--two"),
                    ),
                    class_name="summary-list",
                ),
                rx.el.div(
                    rx.cond(~RecordPageState.removed & AuthState.can.contains("amend"),
                            router_link("Add or correct details", to="/records/" + record_id + "/details",
                                                   class_name="button button--secondary")),
                    # The summary is already on the page (sent with the record, never kept on the server);
                    # copying and printing are logged as reads of the record.
                    rx.el.button("Copy summary", type="button", class_name="button button--secondary",
                                 on_click=[rx.set_clipboard(RecordPageState.summary),
                                           rx.run_script("document.getElementById('copied').hidden = false"),
                                           RecordPageState.note_use(SESSION, record_id, "copy summary")]),
                    rx.el.button("Print", type="button", class_name="button button--secondary",
                                 on_click=[RecordPageState.note_use(SESSION, record_id, "print"),
                                           rx.run_script("window.print()")]),
                    rx.el.p("Summary copied. Paste it into your case system.", id="copied", role="status", hidden=True),
                    class_name="actions no-print",
                ),
                rx.cond(
                    RecordPageState.follow_up == "awaiting",
                    rx.el.p("The follow-up is waiting to be checked: mark it from ",
                            router_link("To check", to=routes.RECORDS), ".", class_name="no-print"),
                ),
                rx.cond(
                    RecordPageState.follow_up == "not_done",
                    rx.el.section(
                        rx.el.h2("Escalate: they have not done what they said", class_name="heading-m"),
                        rx.el.p("Never assume another professional has acted. Use your partnership's escalation "
                                "procedure, and record what you do."),
                        _escalation_contacts(partnership),
                        class_name="section escalation",
                    ),
                ),
                _readers(),
            ),
            rx.cond(
                shown,
                rx.cond(
                    RecordPageState.refused != "",
                    rx.el.div(rx.el.h1("You cannot open records", class_name="heading-l"),
                              rx.el.p(RecordPageState.refused), level_links()),
                    rx.el.div(rx.el.h1("Record not found", class_name="heading-l"),
                              rx.el.p("There is no such record that you can see in your organisation. Recorders "
                                      "see the records they made; your safeguarding lead sees them all.")),
                ),
                rx.el.p("Loading the record", role="status", class_name="loading"),
            ),
        ),
        current="records",
    )


READER_COLUMNS = (
    ("When", lambda r: r["when"]),
    ("Who", lambda r: r["who"]),
    ("Level", lambda r: r["level"]),
    ("What", lambda r: r["what"]),
)


def _readers() -> rx.Component:
    """Who has read this record, from the access log (newest first)."""
    return rx.el.section(
        rx.el.h2("Who has read this record", class_name="heading-m"),
        table("Reads of this record, newest first", READER_COLUMNS, RecordPageState.readers, caption_hidden=True),
        class_name="section no-print readers",
    )


RECORD_COLUMNS = (
    ("Reference", lambda r: router_link(r["reference"], to=r["href"])),
    ("When", lambda r: r["when"]),
    ("Decision", lambda r: r["outcome"]),
    ("By", lambda r: r["who"]),
    ("Case", lambda r: r["case"]),
    ("Follow-up", lambda r: r["follow_up"]),
)


def records_page() -> rx.Component:
    """The organisation's records: what to check first, then the list with filters, paging, export."""
    return page_layout(
        loader(rx.Var.create(routes.RECORDS), RecordsState.load(SESSION)),
        rx.el.div(
            rx.el.h1("Decision records", class_name="heading-l"),
            rx.el.p("Signed in as ", rx.el.strong(AuthState.who), rx.cond(AuthState.level != "",
                                                                           " (" + AuthState.level + ")", ""), ". ",
                    link_button("Sign out", [AuthState.sign_out(SESSION),
                                             rx.run_script("window.infoshareSession.clear()")])),
            level_links(),
            class_name="records-head",
        ),
        rx.cond(RecordsState.refused != "",
                rx.el.div(rx.el.p(RecordsState.refused), class_name="inset", role="status")),
        attention_section(),
        rx.cond(RecordsState.follow_up_message != "",
                rx.el.p(RecordsState.follow_up_message, role="status", class_name="inset")),
        rx.cond(
            RecordsState.checks.length() > 0,
            rx.el.section(
                rx.el.h2("To check", class_name="heading-m"),
                rx.el.p("Follow-ups not yet confirmed, overdue first. Never assume the other agency has acted."),
                rx.el.ul(
                    rx.foreach(
                        RecordsState.checks,
                        lambda c: rx.el.li(
                            router_link(c["reference"], to=c["href"]),
                            rx.cond(c["overdue"] == "yes", rx.el.span("Overdue", class_name="tag tag--red")),
                            rx.el.span(" check by ", c["check_by"]),
                            rx.cond(c["action"] != "", rx.el.span(": ", c["action"])),
                            rx.el.form(
                                rx.el.input(type="hidden", name="record_id", value=c["id"]),
                                rx.el.label(rx.el.span("Note about ", c["reference"], " (optional)"),
                                            html_for="note-" + c["id"], class_name="label label--small"),
                                rx.el.input(type="text", id="note-" + c["id"], name="note", class_name="input",
                                            auto_complete="off"),
                                rx.el.div(
                                    rx.el.button("Confirmed: they acted", type="submit", class_name="button",
                                                 on_click=RecordsState.choose_result("confirmed")),
                                    rx.el.button("Not done", type="submit", class_name="button button--warning-plain",
                                                 on_click=RecordsState.choose_result("not_done")),
                                    class_name="actions",
                                ),
                                on_submit=RecordsState.mark_follow_up(SESSION, RecordsState.filters,
                                                                      RecordsState.page, ATTEMPT),
                                reset_on_submit=True,
                                class_name="check-form",
                            ),
                        ),
                    ),
                    class_name="list list--spaced checks",
                ),
                class_name="section",
            ),
        ),
        rx.el.form(
            rx.el.h2("Find records", class_name="heading-m"),
            rx.cond(RecordsState.filter_error != "",
                    rx.el.p(RecordsState.filter_error, class_name="error-message", role="alert")),
            rx.el.div(
                text_input("From", "date_from", kind="date"),
                text_input("To", "date_to", kind="date"),
                rx.el.div(rx.el.label("Outcome", html_for="kind", class_name="label"),
                          rx.el.select(rx.el.option("Any outcome", value=""),
                                       *[rx.el.option(label, value=key) for key, label in OUTCOME_LABELS.items()],
                                       id="kind", name="kind", class_name="select"),
                          class_name="form-group"),
                text_input("Case reference", "case_reference", id_prefix="filter-"),
                class_name="filters",
            ),
            rx.el.div(
                rx.el.input(type="checkbox", id="awaiting", name="awaiting", class_name="checkboxes__input"),
                rx.el.label("Only records awaiting follow-up", html_for="awaiting", class_name="checkboxes__label"),
                class_name="checkboxes__item form-group",
            ),
            rx.el.button("Apply filters", type="submit", class_name="button button--secondary"),
            on_submit=RecordsState.apply_filters(SESSION),
            reset_on_submit=False,
        ),
        _export_buttons(),
        table("Records, newest first", RECORD_COLUMNS, RecordsState.rows, caption_hidden=True),
        rx.el.nav(
            rx.cond(RecordsState.page > 1,
                    link_button("Previous page", RecordsState.go_to_page(SESSION, RecordsState.filters,
                                                                         RecordsState.page - 1))),
            rx.el.span(" Page ", RecordsState.page.to_string(), " "),
            rx.cond(RecordsState.has_next,
                    link_button("Next page", RecordsState.go_to_page(SESSION, RecordsState.filters,
                                                                     RecordsState.page + 1))),
            aria_label="Pages", class_name="pagination",
        ),
        current="records",
    )


def _escalation_contacts(partnership) -> rx.Component:
    """Who to escalate to, with the out-of-hours team beside them, and which is open now."""
    return contacts_list(outcome_contacts(("escalation", "out_of_hours"), partnership))


def _export_buttons() -> rx.Component:
    """Export the list as filtered: the browser posts a form (assets/records.js) so the file streams
    from the server straight to a download, with the session secret in the body, never the address."""
    filters = RecordsState.filters

    def export(fmt: str):
        return rx.run_script(js_value(f"window.infoshareExport({fmt!r}, {filters!s})", uses=[filters]))

    # A recorder's export holds their own records; the subject access request is for leads and auditors.
    readers = AuthState.can.contains("subject_access")
    return rx.cond(AuthState.can.contains("export"), rx.el.div(
        rx.el.div(
            rx.el.button("Export CSV", type="button", class_name="button button--secondary", on_click=export("csv")),
            rx.el.button("Export JSON", type="button", class_name="button button--secondary",
                         on_click=export("json")),
            class_name="actions",
        ),
        rx.cond(
            readers & (filters["case_reference"] != ""),
            rx.el.div(
                rx.el.h2("Subject access request for case ", filters["case_reference"], class_name="heading-s"),
                rx.el.p("Every record with this case reference, whatever the other filters say. The export is "
                        "logged. Check it for other people's information before anything is released."),
                rx.el.div(
                    rx.el.button("Download for the request (JSON)", type="button",
                                 class_name="button button--secondary", on_click=export("sar-json")),
                    rx.el.button("Printable page for the request", type="button",
                                 class_name="button button--secondary", on_click=export("sar-html")),
                    class_name="actions",
                ),
                class_name="inset sar",
            ),
        ),
    ))
