"""The insight page: for leads and auditors, counts only. Each chart has its figures as a table under
a disclosure, and a CSV download of them."""

from __future__ import annotations

import reflex as rx
from infoshare_widget.compat.react_router import router_link

from infoshare_widget.base import routes
from infoshare_widget.components.browser import loader
from infoshare_widget.components.govuk import error_link, error_summary, table
from infoshare_widget.components.layout import page_layout
from infoshare_widget.flowchart.chart import OUTCOME_KINDS, OUTCOME_LABELS
from infoshare_widget.insight.pages_view_model import ALL
from infoshare_widget.insight.state import InsightState
from infoshare_widget.insight.suppress import THRESHOLD
from infoshare_widget.insight.tables_view_model import CAPTIONS, COLUMNS, FOLLOW_UP_SERIES, HIDDEN_KINDS
from infoshare_widget.compat.browser_values import SESSION

# Each series' colour is a CSS variable (assets/infoshare.css), darker in high contrast.
KIND_COLOURS = {kind: f"var(--chart-{n})" for n, kind in enumerate(OUTCOME_KINDS, start=1)}
FOLLOW_UP_COLOURS = {"confirmed": "var(--chart-4)", "not_done": "var(--chart-1)", "open": "var(--chart-6)"}


def _figures_table(name: str, caption_hidden: bool = True) -> rx.Component:
    """A table of one set of figures (the chart's text alternative), and its CSV download."""
    return rx.el.div(
        table(CAPTIONS[name], [(heading, lambda row, key=key: row[key]) for key, heading in COLUMNS[name]],
              InsightState.rows[name].to(list[dict[str, str]]), caption_hidden=caption_hidden),
        rx.el.button(f"Download CSV: {CAPTIONS[name].lower()}", type="button", class_name="button button--secondary",
                     on_click=InsightState.download(SESSION, name)),
    )


def _disclosure(name: str) -> rx.Component:
    return rx.el.details(
        rx.el.summary(rx.el.span("Show the figures as a table", class_name="details__summary-text"),
                      class_name="details__summary"),
        rx.el.div(_figures_table(name), class_name="details__text"),
        class_name="details",
    )


def _bars(series, stack: bool) -> list[rx.Component]:
    # Segments are parted by a white line; the light "not shown" segment has a dark edge instead, so
    # its shape stands out against the white ground (WCAG 1.4.11).
    return [rx.recharts.bar(data_key=key, name=label, fill=colour,
                            stroke="#0b0c0c" if key == HIDDEN_KINDS else "#ffffff", stroke_width=1,
                            is_animation_active=False, **({"stack_id": "all"} if stack else {}))
            for key, label, colour in series]


def _chart(title: str, description: str, data: rx.Var, category: str, series, *, stack: bool = True,
           sideways: bool = False) -> rx.Component:
    """A bar chart with a heading-like label: drawn from the published figures only."""
    axes = ([rx.recharts.x_axis(type_="number", allow_decimals=False, tick={"fontSize": 12}),
             rx.recharts.y_axis(data_key=category, type_="category", width=130, tick={"fontSize": 12}, interval=0)]
            if sideways else
            [rx.recharts.x_axis(data_key=category, tick={"fontSize": 12}, interval="preserveStartEnd"),
             rx.recharts.y_axis(allow_decimals=False, width=36, tick={"fontSize": 12})])
    return rx.el.figure(
        rx.el.div(
            rx.recharts.bar_chart(
                rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
                *axes,
                rx.recharts.legend(),
                *_bars(series, stack),
                data=data, width="100%", height=360 if sideways else 300,
                layout="vertical" if sideways else "horizontal",
                margin={"top": 8, "right": 8, "left": 0, "bottom": 8},
            ),
            class_name="chart",
            role="img",
            aria_label=f"{title}. {description} The figures are in the table below the chart.",
        ),
        rx.el.figcaption(description, class_name="hint"),
        class_name="figure",
    )


def _section(heading: str, *children: rx.Component, id: str) -> rx.Component:
    return rx.el.section(rx.el.h2(heading, class_name="heading-m", id=id), *children, aria_labelledby=id,
                         class_name="section")


SUPPRESSION_NOTE = (f"Counts below {THRESHOLD} are shown as \u201cfewer than {THRESHOLD}\u201d, and some larger "
                    "counts are hidden too, so a small count cannot be worked out by subtraction. Charts leave "
                    "hidden counts out.")


def _form() -> rx.Component:
    errors = InsightState.errors
    return rx.el.form(
        rx.el.div(
            *[rx.el.div(
                rx.el.label(label, html_for=f"insight-{name}", class_name="label"),
                rx.cond(errors.contains(name), rx.el.p(rx.el.span("Error: ", class_name="visually-hidden"),
                                                       errors[name], id=f"insight-{name}-error",
                                                       class_name="error-message")),
                rx.el.input(type="date", id=f"insight-{name}", name=name, class_name="input",
                            default_value=value, key=value),
                class_name=rx.cond(errors.contains(name), "form-group form-group--error", "form-group"),
            ) for name, label, value in (("from", "From", InsightState.period_from),
                                         ("to", "To (inclusive)", InsightState.period_to))],
            rx.cond(
                InsightState.may_partnership,
                rx.el.div(
                    rx.el.label("Show figures for", html_for="insight-show", class_name="label"),
                    rx.cond(errors.contains("show"), rx.el.p(errors["show"], id="insight-show-error",
                                                             class_name="error-message")),
                    rx.el.select(
                        rx.el.option("Your organisation", value="own"),
                        rx.el.option("The whole partnership", value=ALL),
                        rx.foreach(InsightState.orgs, lambda org: rx.el.option(
                            "Partnership view: " + org["name"], value=org["id"])),
                        id="insight-show", name="show", class_name="select", default_value=InsightState.show,
                        key=InsightState.show + InsightState.orgs.length().to(str),
                    ),
                    class_name="form-group",
                ),
            ),
            class_name="filters",
        ),
        rx.el.p("The figures cover whole weeks, Monday to Sunday, that have ended: a period is widened to "
                "whole weeks and ends last Sunday at the latest.", class_name="hint"),
        rx.el.button("Show figures", type="submit", class_name="button"),
        on_submit=InsightState.load(SESSION),
        reset_on_submit=False,
        no_validate=True,
    )


def _figures() -> rx.Component:
    rows = InsightState.rows
    return rx.el.div(
        rx.el.p(InsightState.scope, class_name="caption", role="status"),
        rx.el.dl(rx.foreach(InsightState.headline, lambda item: rx.el.div(
            rx.el.dt(item["label"], class_name="stat__label"), rx.el.dd(item["value"], class_name="stat__value"),
            class_name="stat")), class_name="stats"),
        rx.el.p(SUPPRESSION_NOTE, class_name="inset"),
        _section(
            "Decisions by outcome",
            _chart("Decisions recorded each week, by outcome",
                   "Bars stacked by outcome, one bar a week; the light grey part is the week's decisions whose "
                   "kinds are not shown.",
                   InsightState.weeks_chart, "week",
                   [*((kind, OUTCOME_LABELS[kind], KIND_COLOURS[kind]) for kind in OUTCOME_KINDS),
                    (HIDDEN_KINDS, "Kinds not shown", "var(--chart-hidden)")]),
            _disclosure("weeks"),
            rx.el.h3("Share of each outcome", class_name="heading-s"),
            _figures_table("outcomes", caption_hidden=True),
            id="insight-outcomes",
        ),
        _section(
            "Where people were unsure",
            rx.el.p("How often each question was answered \u201cNot sure\u201d in the decisions recorded, and "
                    "what the advice led to (from the record's details)."),
            _chart("Not sure, by question", "One bar a question: how many recorded decisions answered it "
                   "\u201cNot sure\u201d.", InsightState.unsure_chart, "question",
                   [("count", "Not sure", "var(--chart-7)")], stack=False, sideways=True),
            _disclosure("unsure"),
            id="insight-unsure",
        ),
        _section(
            "Did the other agency do what it said?",
            rx.el.p("Decisions whose check-by date had passed by the period's last day, as they stood then: the "
                    "other agency's action confirmed, not done, or still open (and so overdue). A result recorded "
                    "later counts in a later period, so a past period reads the same whenever you look. Agencies "
                    "come from the details form's list."),
            _chart("Follow-ups that were due, by receiving agency", "Bars stacked by result, one bar an agency.",
                   InsightState.follow_up_chart, "agency",
                   [(key, label, FOLLOW_UP_COLOURS[key]) for key, label in FOLLOW_UP_SERIES], sideways=True),
            _disclosure("follow_up"),
            id="insight-follow-up",
        ),
        _section(
            "Consent and lawful basis",
            _chart("Consent", "One bar a consent state.", InsightState.consent_chart, "state",
                   [("count", "Decisions", "var(--chart-3)")], stack=False, sideways=True),
            _disclosure("consent"),
            rx.el.h3("Lawful basis", class_name="heading-s"),
            _figures_table("lawful_basis"),
            id="insight-consent",
        ),
        rx.cond(rows["organisations"].to(list).length() > 0,
                _section("Decisions by organisation", _figures_table("organisations"), id="insight-orgs")),
        rx.cond(rows["walks"].to(list).length() > 0,
                _section("All walks, recorded or not",
                         rx.el.p("This partnership counts every walk through the decision helper that ends: its "
                                 "outcome and the questions answered \u201cNot sure\u201d, nothing else."),
                         _figures_table("walks"), id="insight-walks")),
    )


def insight_page() -> rx.Component:
    """Where practitioners are unsure, and whether agencies do what they said: for leads and auditors."""
    errors = InsightState.errors
    return page_layout(
        loader(rx.Var.create(routes.INSIGHT), InsightState.load(SESSION, {})),
        router_link("Records", to=routes.RECORDS, class_name="back-link"),
        rx.cond(errors.length() > 0, error_summary(
            *[rx.cond(errors.contains(name), error_link(errors[name], target))
              for name, target in (("from", "insight-from"), ("to", "insight-to"), ("show", "insight-show"),
                                   ("form", "insight-from"))])),
        rx.el.h1("Insight", class_name="heading-l"),
        rx.el.p("Counts from your decision records, for audits and for the partnership: how often people were "
                "unsure, and whether other agencies did what they said. Counts only: no record, name or case "
                "reference is ever on this page."),
        rx.cond(
            InsightState.refused != "",
            rx.el.p(InsightState.refused, class_name="inset", role="status"),
            rx.el.div(
                _form(),
                rx.cond(~InsightState.loaded, rx.el.p("Loading", role="status", class_name="loading"),
                        rx.cond(InsightState.scope != "", _figures())),
            ),
        ),
        current="records",
        contacts_notice=False,
    )
