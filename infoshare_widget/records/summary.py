"""A record as people read it: rows for the page, and plain text for a case system. Pure: no Reflex."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from infoshare_widget.base.clock import UK, as_utc
from infoshare_widget.flowchart.chart import ANSWER_LABELS, Chart
from infoshare_widget.records.details import (
    AFTER_ADVICE, CONSENT, CONSENT_WHY, INFO_CATEGORIES, LAWFUL_BASES, OTHER_AGENCY, ROUTES, TOLD)
from infoshare_widget.records.service import RecordView
from infoshare_widget.base.settings import get_partnership


def _agency_names() -> dict[str, str]:
    """The partnership's agency names by id, and Other (looked up when a record is shown)."""
    return {**{a.id: a.name for a in get_partnership().agencies}, OTHER_AGENCY: "Other"}


# Details in the order they are shown, with the labels of their choices where they have them.
DETAIL_ROWS: tuple[tuple[str, str, dict[str, str] | Callable[[], dict[str, str]] | None], ...] = (
    ("categories", "Information shared", INFO_CATEGORIES),
    ("description", "What was shared", None),
    ("recipient_agency", "Shared with (agency)", _agency_names),
    ("recipient_org", "Shared with (organisation)", None),
    ("recipient_role", "Shared with (role)", None),
    ("route", "How", ROUTES),
    ("purpose", "Purpose", None),
    ("lawful_basis", "Lawful basis", LAWFUL_BASES),
    ("consent", "Consent", CONSENT),
    ("consent_why", "Main reason consent was not sought", CONSENT_WHY),
    ("consent_reason", "Why", None),
    ("told", "Person told", TOLD),
    ("told_reason", "Why not", None),
    ("identity_protection", "Identities protected by", None),
    ("advice_from", "Advice from", None),
    ("advice_said", "Advice given", None),
    ("after_advice", "The advice led to", AFTER_ADVICE),
    ("follow_up_action", "They said they would", None),
)


def local_time(moment: dt.datetime) -> str:
    """A UTC time as UK local time, e.g. 26 Nov 2026, 2:05pm (a naive time, as SQLite gives back, is
    UTC, whatever the server's own time zone)."""
    local = as_utc(moment).astimezone(UK)
    return local.strftime("%-d %b %Y, %-I:%M") + local.strftime("%p").lower()


def _shown(value: object, choices: dict[str, str] | Callable[[], dict[str, str]] | None) -> str:
    if callable(choices):
        choices = choices()
    if isinstance(value, list):
        return ", ".join(_shown(v, choices) for v in value)
    return choices.get(str(value), str(value)) if choices else str(value)


def summary_rows(view: RecordView, chart: Chart) -> list[tuple[str, str]]:
    """The record as (label, value) rows: the one-click facts, the answers, then the details."""
    record = view.record
    outcome = chart.outcomes.get(record.outcome_id)
    if view.removed_on:
        return [
            ("Recorded", local_time(record.created_at)),
            ("Decision", f"{outcome.title if outcome else record.outcome_id} ({record.outcome_kind})"),
            ("Content", f"Removed under the retention policy on {view.removed_on:%-d %B %Y}"),
        ]
    rows = [
        ("Recorded", f"{local_time(record.created_at)} by {record.recorded_by} ({record.recorded_role})"),
        ("Decision", f"{outcome.title if outcome else record.outcome_id} ({record.outcome_kind})"),
        ("Decision content version", record.chart_version),
    ]
    for step in view.path:
        question = chart.questions.get(step["id"])
        rows.append((question.text if question else step["id"], ANSWER_LABELS.get(step["answer"], step["answer"])))
    if view.case_reference:
        rows.append(("Case reference", view.case_reference))
    rows += [(label, _shown(view.details[key], choices)) for key, label, choices in DETAIL_ROWS if view.details.get(key)]
    if view.check_by:
        rows.append(("Check by", f"{view.check_by:%-d %b %Y}"))
    rows.append(("Follow-up", view.follow_up.replace("_", " ")))
    if view.follow_up_note:
        rows.append(("Follow-up note", view.follow_up_note))
    return rows


def summary_text(view: RecordView, chart: Chart) -> str:
    """A plain-text summary to paste into a case management system."""
    lines = [f"Information sharing decision {view.record.reference}"]
    lines += [f"{label}: {value}" for label, value in summary_rows(view, chart)]
    return "\n".join(lines)
