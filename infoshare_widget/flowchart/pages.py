"""The decision helper page: one question per screen, outcomes as results, and the whole chart.

Every question and outcome is compiled into the page from the chart file, hidden but for the first
question. Answering runs in the browser (assets/flow.js): a step un-hides the next step and marks
the few elements that change, so it needs no server round trip and no answer goes to the server.
"""

from __future__ import annotations

import reflex as rx
from infoshare_widget.compat.react_router import router_link

from infoshare_widget.base import routes

from infoshare_widget.components.govuk import back_link, bullet_list, error_link, error_summary
from infoshare_widget.flowchart.contact_cards import contact_card, contacts_list, other_areas, other_areas_link
from infoshare_widget.components.layout import page_layout
from infoshare_widget.glossary.terms import Explained, Popovers, with_terms
from infoshare_widget.flowchart import client
from infoshare_widget.flowchart.chart import (
    ANSWER_LABELS,
    ANSWERS,
    OUTCOME_LABELS,
    Chart,
    Outcome,
    Question,
    get_chart,
)
from infoshare_widget.flowchart.chart_view_model import (
    DUTY_STATUS_LABELS,
    FIND_COUNCIL_URL,
    offers_other_areas,
    outcome_contacts,
)
from infoshare_widget.flowchart.review import due_items, watch_due
from infoshare_widget.base.clock import uk_today
from infoshare_widget.base.settings import Partnership, get_partnership

ERROR_TEXT = "Select Yes, No or Not sure"

def _radio(qid: str, answer: str) -> rx.Component:
    input_id = f"{qid}-{answer}"
    return rx.el.div(
        rx.el.input(type="radio", name="answer", value=answer, id=input_id, class_name="radios__input"),
        rx.el.label(ANSWER_LABELS[answer], html_for=input_id, class_name="radios__label"),
        class_name="radios__item",
    )

def question_view(chart: Chart, qid: str, question: Question, popovers: Popovers | None = None) -> rx.Component:
    """One question: the h1 is the fieldset's legend; native radios, none chosen until answered.
    With `popovers`, its terms' meanings go there (the page renders them once)."""
    hint_id, error_id = f"{qid}-hint", f"{qid}-error"
    pops = Explained(popovers)
    return rx.el.section(
        # The first question has no answer before it, so no back link.
        back_link(**client.control("back")) if qid != chart.start else rx.fragment(),
        error_summary(error_link(ERROR_TEXT, f"{qid}-yes"), summary_id=f"{qid}-error-summary", hidden=True),
        rx.el.form(
            rx.el.div(
                rx.el.fieldset(
                    rx.el.legend(
                        rx.el.h1(
                            with_terms(question.text, pops), id=f"{qid}-heading", tab_index=-1, class_name="heading-l"
                        ),
                        class_name="fieldset__legend",
                    ),
                    rx.el.div(with_terms(question.hint, pops), id=hint_id, class_name="hint")
                    if question.hint
                    else rx.fragment(),
                    rx.el.p(
                        rx.el.span("Error: ", class_name="visually-hidden"),
                        ERROR_TEXT,
                        id=error_id,
                        class_name="error-message",
                        hidden=True,
                    ),
                    rx.el.div(*[_radio(qid, a) for a in ANSWERS], class_name="radios"),
                    class_name="fieldset",
                    # flow.js adds the error to the description only while it shows.
                    aria_describedby=hint_id,
                    data_hint=hint_id,
                    data_error_id=error_id,
                ),
                class_name="form-group",
            ),
            rx.el.button("Continue", type="submit", class_name="button"),
            # assets/flow.js answers the submit (before React has hydrated, too).
            reset_on_submit=False,
            no_validate=True,
            data_question=qid,
        ),
        _lookup(),
        *pops.popovers,
        class_name="step step--question",
        data_step=qid,
        hidden=qid != chart.start,
    )

def _contacts(chart: Chart, outcome: Outcome, partnership: Partnership) -> rx.Component:
    """Who to contact; where the outcome sends someone to a service, the other areas' contacts too."""
    cards = outcome_contacts(outcome.contacts, partnership)
    elsewhere = offers_other_areas(chart, outcome)
    if not cards and not elsewhere:
        return rx.fragment()
    return rx.el.section(
        rx.el.h2("Who to contact", class_name="heading-m"),
        contacts_list(cards) if cards else rx.fragment(),
        other_areas_link() if elsewhere else rx.fragment(),
        class_name="section",
    )

def _duties(chart: Chart, outcome: Outcome, partnership: Partnership, pops: Explained) -> rx.Component:
    """The duties a practitioner may hold personally (FGM reporting, the LADO...), each with who, when,
    whom to tell, by when, and its status as checked: shown whatever else the outcome says."""
    if not outcome.duties:
        return rx.fragment()

    def row(label: str, *value) -> rx.Component:
        return rx.el.div(rx.el.dt(label), rx.el.dd(*value), class_name="facts__row")

    blocks = []
    for did in outcome.duties:
        duty = chart.duties[did]
        cards = outcome_contacts(duty.contacts, partnership)
        blocks.append(rx.el.div(
            rx.el.h3(duty.title, class_name="heading-s"),
            rx.el.dl(
                row("Who", with_terms(duty.who, pops)),
                row("When it applies", with_terms(duty.applies_when, pops)),
                row("Who to tell", with_terms(duty.tell, pops)),
                row("By when", with_terms(duty.by_when, pops)),
                row(f"Status on {duty.review.reviewed:%-d %B %Y}",
                    rx.el.strong(DUTY_STATUS_LABELS.get(duty.status, duty.status)), ". ", duty.status_note),
                class_name="facts",
            ),
            # The cards say "Open now" or "Closed now" themselves; no second "open now" line on the page.
            rx.el.div(*[contact_card(c.label, c.contact, c.key) for c in cards], class_name="contacts")
            if cards else rx.fragment(),
            class_name="inset duty",
            data_duty=did,
        ))
    return rx.el.section(
        rx.el.h2("Duties you may have yourself", class_name="heading-m"),
        rx.el.p("These apply whatever else you decide. Check whether any of them is yours."),
        *blocks,
        class_name="section duties",
    )


def _why(chart: Chart, outcome: Outcome, pops: Explained) -> rx.Component:
    rules = [chart.rules[r] for r in outcome.rules]
    legal = [chart.legal[ref] for ref in outcome.legal]
    return rx.el.section(
        rx.el.h2("Why", class_name="heading-m"),
        bullet_list([with_terms(t, pops) for t in outcome.why]),
        rx.el.details(
            rx.el.summary("The golden rules that apply", class_name="details__summary"),
            rx.el.ul(
                *[
                    rx.el.li(rx.el.strong(f"Rule {rule.number}: {rule.title}. "), rule.summary)
                    for rule in rules
                ],
                class_name="list list--spaced",
            ),
            class_name="details",
        )
        if rules
        else rx.fragment(),
        rx.el.details(
            rx.el.summary("The law behind this", class_name="details__summary"),
            rx.el.ul(
                *[
                    rx.el.li(
                        rx.el.a(ref.title, href=ref.url, target="_blank", rel="noopener noreferrer")
                        if ref.url
                        else rx.el.strong(ref.title),
                        ": ",
                        ref.summary,
                        rx.el.span(f" Status on {ref.review.reviewed:%-d %B %Y}: {ref.status}", class_name="legal__status"),
                    )
                    for ref in legal
                ],
                class_name="list list--spaced",
            ),
            class_name="details",
        )
        if legal
        else rx.fragment(),
        class_name="section",
    )

def _lookup() -> rx.Component:
    """A term heard on the call: the glossary is one tap away, and Back returns to this step."""
    return rx.el.p(
        router_link("Look up a word in the glossary", to=routes.GLOSSARY),
        class_name="lookup no-print",
    )


def _without_javascript(partnership: Partnership) -> rx.Component:
    """Where scripts do not run, the questions cannot work: say what to do in an emergency instead."""
    front, night = partnership.front_door, partnership.out_of_hours

    def phone(contact) -> rx.Component:
        return rx.fragment(", on ", rx.el.a(contact.phone, href=contact.tel_href)) if contact.phone else rx.fragment()

    return rx.el.noscript(
        rx.el.style(".decide, .contrast-toggle { display: none; }"),
        rx.el.div(
            rx.el.h1("This page needs JavaScript to ask its questions", class_name="heading-l"),
            rx.el.p(rx.el.strong("If a child is in immediate danger, call "), rx.el.a("999", href="tel:999"),
                    rx.el.strong(" now.")),
            rx.el.p("If you think a child is at risk of significant harm, refer now: call the front door, ",
                    front.name, phone(front), ". Out of hours: ", night.name, phone(night), "."),
            rx.el.p("If the child lives in another area, call that area's front door",
                    *[rx.fragment("; " if n else ": ", area.name, phone(area.front_door))
                      for n, area in enumerate(partnership.areas)],
                    ". For an area not listed, find its council on " if partnership.areas else
                    ": find its council on ",
                    rx.el.a("GOV.UK: Find your local council", href=FIND_COUNCIL_URL),
                    "." if partnership.areas else " and ask for children's social care."),
            rx.el.p("For anything else, talk to your designated safeguarding lead or named professional."),
            class_name="panel panel--emergency",
        ),
    )


def outcome_view(chart: Chart, oid: str, outcome: Outcome, partnership: Partnership,
                 popovers: Popovers | None = None) -> rx.Component:
    """An outcome page: the decision in one sentence, who to contact, why, how, and next steps."""
    how_title = "How to share" if outcome.kind not in ("do_not_share", "seek_advice") else (
        "How to ask" if outcome.kind == "seek_advice" else "What to do instead"
    )
    pops = Explained(popovers)
    return rx.el.section(
        back_link(**client.control("back")),
        rx.el.div(
            rx.el.p(OUTCOME_LABELS[outcome.kind], class_name="panel__kind"),
            rx.el.h1(outcome.title, id=f"{oid}-heading", tab_index=-1, class_name="panel__title"),
            rx.el.p(with_terms(outcome.decision, pops), class_name="panel__body"),
            rx.el.p(with_terms(outcome.note, pops), class_name="panel__note") if outcome.note else rx.fragment(),
            rx.el.a("Call 999", href="tel:999", class_name="button button--warning")
            if outcome.kind == "emergency"
            else rx.fragment(),
            class_name=f"panel panel--{outcome.kind}",
        ),
        _seek_advice_return(chart, pops) if outcome.kind == "seek_advice" else rx.fragment(),
        _contacts(chart, outcome, partnership),
        _duties(chart, outcome, partnership, pops),
        _why(chart, outcome, pops),
        rx.el.section(
            rx.el.h2(how_title, class_name="heading-m"),
            bullet_list([with_terms(t, pops) for t in outcome.how]),
            class_name="section",
        ),
        rx.el.section(
            rx.el.h2("What to do next", class_name="heading-m"),
            bullet_list([with_terms(step.text, pops) for step in outcome.next_steps]),
            class_name="section",
        ),
        _lookup(),
        *pops.popovers,
        class_name=f"step step--outcome step--{outcome.kind}",
        data_step=oid,
        hidden=True,
    )

def _seek_advice_return(chart: Chart, pops: Explained) -> rx.Component:
    """The note for the question answered 'Not sure' (shown by data-about), and the way back to it."""
    return rx.el.div(
        *[
            rx.el.p(
                rx.el.strong("About this question: "),
                with_terms(q.unsure_note, pops.part()),
                class_name="inset",
                data_about_note=qid,
                hidden=True,
            )
            for qid, q in chart.questions.items()
        ],
        rx.el.button(
            "Go back to the question",
            type="button",
            class_name="button button--secondary",
            **client.control("backToQuestion"),
        ),
    )

def answers_summary(chart: Chart) -> rx.Component:
    """'Your answers' as a GOV.UK summary list with a Change link on each row; rows show as answered."""
    rows = []
    for qid in chart.question_order():
        question = chart.questions[qid]
        rows.append(
            rx.el.div(
                rx.el.dt(question.text, class_name="summary-list__key"),
                rx.el.dd(
                    *[
                        rx.el.span(ANSWER_LABELS[a], data_answer=f"{qid}:{a}", hidden=True)
                        for a in ANSWERS
                    ],
                    class_name="summary-list__value",
                ),
                rx.el.dd(
                    rx.el.button(
                        "Change",
                        rx.el.span(f" your answer to: {question.text}", class_name="visually-hidden"),
                        type="button",
                        class_name="link-button",
                        **client.control("change", qid),
                    ),
                    class_name="summary-list__actions",
                ),
                class_name="summary-list__row",
                data_row=qid,
                hidden=True,
            )
        )
    return rx.el.div(
        rx.el.section(
            rx.el.h2("Your answers", class_name="heading-m"),
            rx.el.dl(*rows, class_name="summary-list"),
            class_name="section",
        ),
        rx.el.p(rx.el.button("Start again", type="button", class_name="link-button", **client.control("startAgain")),
                class_name="start-again"),
        class_name="answers",
        hidden=True,
    )

def chart_picture(chart: Chart) -> rx.Component:
    """The whole chart drawn from the same data; flow.js marks the current box and the path taken."""
    order = chart.question_order()
    number = {qid: i + 1 for i, qid in enumerate(order)}
    nodes = []
    for qid in order:
        question = chart.questions[qid]
        exits = []
        for answer in ANSWERS:
            target = question.answers[answer]
            if target in chart.outcomes:
                where = rx.el.span(
                    chart.outcomes[target].title,
                    class_name=f"flow__outcome flow__outcome--{chart.outcomes[target].kind}",
                )
            else:
                where = rx.el.span(f"go to {number[target]}")
            exits.append(
                rx.el.li(
                    rx.el.span(ANSWER_LABELS[answer], class_name="flow__answer"),
                    rx.el.span(" → ", aria_hidden="true"),
                    where,
                    rx.el.span(" (your answer)", class_name="flow__yours visually-hidden"),
                    class_name="flow__exit",
                    data_exit=f"{qid}:{answer}",
                )
            )
        nodes.append(
            rx.el.li(
                rx.el.div(
                    rx.el.span(str(number[qid]), class_name="flow__num", aria_hidden="true"),
                    rx.el.span(question.short, class_name="flow__question"),
                    rx.el.span("You are here", class_name="flow__here"),
                    class_name="flow__head",
                ),
                rx.el.ul(*exits, class_name="flow__exits"),
                class_name="flow__node flow__node--current" if qid == chart.start else "flow__node",
                data_node=qid,
            )
        )
    return rx.el.details(
        rx.el.summary("See the whole flowchart", class_name="details__summary chart__summary"),
        rx.el.div(
            rx.el.h2("The whole flowchart", class_name="heading-s chart__title"),
            rx.el.ol(*nodes, class_name="flow"),
            class_name="chart__body",
        ),
        class_name="chart",
    )

def print_controls() -> rx.Component:
    """Under an outcome: "Print this outcome", with "Include my answers". The print stylesheet
    (assets/infoshare.css) fits the outcome on one A4 page and shows 'Your answers' only while the box
    is ticked; assets/flow.js shows the controls at an outcome, prints, and dates the printout. Nothing
    is stored or sent: the box is read by the stylesheet alone, and printing is the browser's."""
    return rx.fragment(
        rx.el.div(
            rx.el.div(
                rx.el.input(type="checkbox", id="print-answers", class_name="checkboxes__input",
                            data_print_answers=""),
                rx.el.label("Include my answers", html_for="print-answers", class_name="checkboxes__label"),
                class_name="checkboxes__item",
            ),
            rx.el.button("Print this outcome", type="button", class_name="button button--secondary",
                         data_print_outcome=""),
            rx.el.p("Printing saves nothing and sends nothing.", class_name="hint"),
            class_name="print-outcome no-print",
            data_print_controls="",
            hidden=True,
        ),
        # Only on paper: when it was printed, so "Open now" on the page is read as of then.
        rx.el.p(class_name="print-only", data_print_stamp="", hidden=True),
    )


def decide_page(record_panel: rx.Component) -> rx.Component:
    """The decision helper: every step in the page, the one on screen chosen by the flow's state.
    `record_panel`: the panel that records an outcome, from the records feature (the app composes
    them: deciding knows nothing of records)."""
    chart = get_chart()
    partnership = get_partnership()
    # Each term's meaning once for the page, outside the steps (a popover in a hidden step could not
    # open): the page is smaller, so it shows sooner on a slow phone.
    popovers = Popovers()
    steps = [question_view(chart, qid, q, popovers) for qid, q in chart.questions.items()]
    steps += [outcome_view(chart, oid, o, partnership, popovers) for oid, o in chart.outcomes.items()]
    # Once in the page (each listed area's contacts would weigh on every outcome), after the steps.
    elsewhere = [oid for oid, o in chart.outcomes.items() if offers_other_areas(chart, o)]
    steps.append(other_areas(partnership, elsewhere, [oid for oid in elsewhere
                                                      if chart.outcomes[oid].kind == "emergency"]))
    return page_layout(
        _without_javascript(partnership),
        rx.el.div(
            rx.el.div(*steps, print_controls(), record_panel, answers_summary(chart), *popovers.all,
                      class_name="decide__main"),
            rx.el.aside(chart_picture(chart), class_name="decide__aside", aria_label="The whole flowchart"),
            class_name="decide",
        ),
        current="decide",
        footer_note=content_footer(chart, partnership),
    )

def content_footer(chart: Chart, partnership: Partnership) -> rx.Component:
    """Which content this is, who owns it, what it is based on, and when it is next due for review."""
    today = uk_today()
    due = due_items(chart, today)
    watched = watch_due(chart, today)
    sources = [chart.sources[sid] for sid in chart.based_on]
    return rx.fragment(
        rx.el.p(
            f"Decision content version {chart.version}, kept by {partnership.name}; last reviewed "
            f"{chart.last_reviewed:%-d %B %Y}, next review due {chart.next_review:%-d %B %Y}.",
            # The screen says so in the notice at the top, which paper leaves off.
            rx.el.strong(" Example contacts: these numbers reach no one.", class_name="print-only-inline")
            if partnership.example else rx.fragment(),
        ),
        rx.el.p(
            rx.el.strong("Content review due: "),
            f"{len(due)} item{'s' if len(due) != 1 else ''} of this content "
            f"{'are' if len(due) != 1 else 'is'} past {'their' if len(due) != 1 else 'its'} review date. "
            "Whoever runs this widget can list them with the content-review command.",
            class_name="footer__due",
        )
        if due
        else rx.fragment(),
        rx.el.p(
            rx.el.strong("Changes to check: "),
            f"{len(watched)} coming or unconfirmed change{'s' if len(watched) != 1 else ''} in the law or guidance "
            f"{'are' if len(watched) != 1 else 'is'} due to be looked at again. Whoever runs this widget can list "
            f"{'them' if len(watched) != 1 else 'it'} with the content-review command.",
            class_name="footer__due",
        )
        if watched
        else rx.fragment(),
        # Left off a printed outcome, which has room for one page only.
        rx.el.p(
            "Based on: ",
            *[
                rx.fragment(rx.el.a(source.title, href=source.url, target="_blank", rel="noopener noreferrer"),
                            "; " if n < len(sources) - 1 else ".")
                for n, source in enumerate(sources)
            ],
            class_name="no-print",
        ),
    )
