"""The insight page's form and what it shows, apart from Reflex: the period asked for, checked like
any other form, and the published figures turned into the tables and charts the page draws. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from infoshare_widget.base.clock import is_record_date, iso_day
from infoshare_widget.records.insight_facts import week_of
from infoshare_widget.insight.service import PeriodError, check_period
from infoshare_widget.insight.tables_view_model import chart_data, count_text, tables, week_label

ALL = "*"  # the partnership view's "every organisation"
DEFAULT_WEEKS = 13


@dataclass(frozen=True)
class Choice:
    """What the form asked for: a period, and (for the partnership view) whose figures."""

    start: dt.date
    end: dt.date
    partnership: bool = False
    organisation: str | None = None  # one organisation in the partnership view; None for all


@dataclass
class Checked:
    choice: Choice | None = None
    errors: dict[str, str] = field(default_factory=dict)


def default_choice(today: dt.date) -> Choice:
    """The last 13 whole weeks, up to last Sunday."""
    last_sunday = week_of(today) - dt.timedelta(days=1)
    return Choice(last_sunday - dt.timedelta(weeks=DEFAULT_WEEKS) + dt.timedelta(days=1), last_sunday)


def _day(text: str, name: str, errors: dict[str, str]) -> dt.date | None:
    which = "start" if name == "from" else "end"
    text = text.strip()
    if not text:
        errors[name] = f"Enter the {which} date"
        return None
    if not is_record_date(text):
        errors[name] = f"The {which} date must be a real date"
        return None
    return iso_day(text)


def check_choice(form: dict, today: dt.date, *, may_partnership: bool) -> Checked:
    """The form's period and view, or a message per field (GOV.UK style)."""
    raw = {k: (v if isinstance(v, str) else "") for k, v in form.items()}
    errors: dict[str, str] = {}
    start, end = _day(raw.get("from", ""), "from", errors), _day(raw.get("to", ""), "to", errors)
    if start and end:
        try:
            check_period(start, end)
        except PeriodError as exc:
            errors["to"] = str(exc)
    shown = raw.get("show", "").strip()
    partnership, organisation = False, None
    if shown and shown != "own":
        if not may_partnership:
            errors["show"] = "Choose your own organisation: the partnership view is not open to you"
        else:
            partnership, organisation = True, (None if shown == ALL else shown[:64])
    if errors:
        return Checked(errors=errors)
    return Checked(Choice(start, end, partnership, organisation))


def headline(report: dict) -> list[dict[str, str]]:
    """The key figures, as label and value, for the top of the page."""
    fu = report["follow_up"]
    median = fu["median_days_to_confirm"]
    return [
        {"label": "Decisions recorded", "value": count_text(report["decisions"])},
        {"label": "Follow-ups due", "value": count_text(fu["due"])},
        {"label": "Confirmed", "value": "not shown" if fu["confirmed_share"] is None else f"{fu['confirmed_share']}%"},
        {"label": "Overdue at the period's end", "value": count_text(fu["overdue_now"])},
        {"label": "Median days to confirm", "value": "not shown" if median is None else f"{median:g}"},
    ]


def scope_text(report: dict, own_name: str) -> str:
    """Whose figures, for which period, in words."""
    period = f"{week_label(report['period']['from'])} to {week_label(report['period']['to'])}"
    if report["scope"] == "partnership":
        who = (f"{report['organisation']['name']}, in the partnership view" if report["organisation"]
               else "Every organisation in the partnership")
    else:
        who = own_name
    return f"{who}: {period}"


def page_parts(report: dict) -> tuple[dict[str, list[dict[str, str]]], dict[str, list[dict]]]:
    """The page's tables (rows of text by name; absent tables empty) and its charts' numbers."""
    found = tables(report)
    rows = {name: list(table.rows) for name, table in found.items()}
    for name in ("organisations", "walks"):
        rows.setdefault(name, [])
    return rows, chart_data(report)
