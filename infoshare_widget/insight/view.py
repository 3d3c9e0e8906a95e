"""One insight view, from who is asking to the published figures (used by the page and the API)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from infoshare_widget.flowchart.chart import OUTCOME_LABELS, Chart
from infoshare_widget.insight.report import Labels, build
from infoshare_widget.insight.service import Scope, look
from infoshare_widget.records.details import LAWFUL_BASES
from infoshare_widget.records.service import Actor
from infoshare_widget.settings import Partnership


def labels_for(chart: Chart, partnership: Partnership) -> Labels:
    """The names of every code the figures use, in the order they are shown."""
    return Labels(
        kinds=dict(OUTCOME_LABELS),
        questions={qid: question.short for qid, question in chart.questions.items()},
        agencies={agency.id: agency.name for agency in partnership.agencies},
        lawful_bases=dict(LAWFUL_BASES),
    )


def report_for(*, session: Session, actor: Actor, scope: Scope, start: dt.date, end: dt.date, today: dt.date,
               organisation: str | None, chart: Chart, partnership: Partnership) -> dict:
    """The published figures of one view (logged in the access log as it is read)."""
    raw = look(session=session, actor=actor, scope=scope, start=start, end=end, today=today,
               organisation=organisation, walks=partnership.insight.count_unrecorded_walks)
    return build(raw, start=start, end=end, labels=labels_for(chart, partnership), partnership=scope.partnership,
                 focus=organisation if scope.partnership else scope.org_id)
