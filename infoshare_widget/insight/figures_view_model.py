"""One insight view, from who is asking to the published figures (used by the page and the API)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from infoshare_widget.flowchart.chart import OUTCOME_LABELS, Chart
from infoshare_widget.flowchart.engine import all_paths
from infoshare_widget.insight.report import Labels, build
from infoshare_widget.insight.service import Scope, ended_weeks, look
from infoshare_widget.records.details import LAWFUL_BASES
from infoshare_widget.base.acting import Actor
from infoshare_widget.base.settings import Partnership


def chart_shape(chart: Chart) -> tuple[dict[str, str], frozenset[str]]:
    """Which kind "Not sure" at each question leads straight to, and which kinds a walk also reaches
    another way; ({}, every kind) when some "Not sure" leads on to another question (a walk could
    then hold several, and the counts would not add up so simply)."""
    leads_to = {}
    for qid, question in chart.questions.items():
        target = question.answers.get("unsure", "")
        if target not in chart.outcomes:
            return {}, frozenset(OUTCOME_LABELS)
        leads_to[qid] = chart.outcomes[target].kind
    otherwise = set()
    for answers, outcome in all_paths(chart):
        last_question, last_answer = list(answers.items())[-1]
        if last_answer != "unsure":
            otherwise.add(chart.outcomes[outcome].kind)
    return leads_to, frozenset(otherwise)


def labels_for(chart: Chart, partnership: Partnership) -> Labels:
    """The names of every code the figures use, in the order they are shown, and the chart's shape."""
    leads_to, otherwise = chart_shape(chart)
    return Labels(
        kinds=dict(OUTCOME_LABELS),
        questions={qid: question.short for qid, question in chart.questions.items()},
        agencies={agency.id: agency.name for agency in partnership.agencies},
        lawful_bases=dict(LAWFUL_BASES),
        unsure_leads_to=leads_to,
        reached_otherwise=otherwise,
    )


def report_for(*, session: Session, actor: Actor, scope: Scope, start: dt.date, end: dt.date, today: dt.date,
               organisation: str | None, chart: Chart, partnership: Partnership) -> dict:
    """The published figures of one view, for the whole weeks that have ended in the period asked for
    (logged in the access log as it is read). In the partnership view, the viewer's own
    organisation's figures are treated as known to them (they can count its records), so they cannot
    help work out another organisation's small count either."""
    start, end = ended_weeks(start, end, today)
    raw = look(session=session, actor=actor, scope=scope, start=start, end=end, today=today,
               organisation=organisation, walks=partnership.insight.count_unrecorded_walks)
    known = actor.org_id if scope.partnership and scope.org_id else None
    return build(raw, start=start, end=end, labels=labels_for(chart, partnership), partnership=scope.partnership,
                 focus=organisation if scope.partnership else scope.org_id, known_org=known)
