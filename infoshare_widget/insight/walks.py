"""Walks that ended, recorded or not: what the browser may send, and counting it.

Only where the partnership opts in. A walk is sent as its outcome kind and the questions answered
"Not sure" on its path; nothing else is accepted (no answers, no times, no identity), and the day is
the UK day the batch arrived. Counts are kept per day, kind and question, never per walk.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from infoshare_widget.flowchart.chart import Chart
from infoshare_widget.insight.models import WalkCount

MAX_WALKS = 50  # in one batch


class WalkError(ValueError):
    """A batch that is not exactly what the browser sends; the message says what is wrong."""


@dataclass(frozen=True)
class Walk:
    kind: str
    unsure: tuple[str, ...]


def check_walks(body: object, chart: Chart) -> list[Walk]:
    """The walks in a batch, or WalkError: {"walks": [{"kind": ..., "unsure": [...]}, ...]} and no more."""
    if not isinstance(body, dict) or set(body) != {"walks"} or not isinstance(body["walks"], list):
        raise WalkError('Send {"walks": [...]} and nothing else.')
    items = body["walks"]
    if not 1 <= len(items) <= MAX_WALKS:
        raise WalkError(f"Send from 1 to {MAX_WALKS} walks at a time.")
    kinds = {outcome.kind for outcome in chart.outcomes.values()}
    walks = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or set(item) != {"kind", "unsure"}:
            raise WalkError(f'Walk {number}: send "kind" and "unsure" only.')
        kind, unsure = item["kind"], item["unsure"]
        if kind not in kinds:
            raise WalkError(f"Walk {number}: unknown outcome kind.")
        if not isinstance(unsure, list) or len(unsure) > len(chart.questions) or len(set(map(str, unsure))) != len(unsure):
            raise WalkError(f"Walk {number}: unsure is a list of different question ids.")
        if any(not isinstance(q, str) or q not in chart.questions for q in unsure):
            raise WalkError(f"Walk {number}: unknown question id.")
        walks.append(Walk(kind, tuple(unsure)))
    return walks


def add_walks(*, session: Session, walks: list[Walk], day: dt.date) -> None:
    """Add a batch to the day's counts (each walk once under question "", once per unsure question),
    as one upsert, so two batches at once both count."""
    counts = Counter()
    for walk in walks:
        counts[(walk.kind, "")] += 1
        for question in walk.unsure:
            counts[(walk.kind, question)] += 1
    rows = [{"day": day, "outcome_kind": kind, "question": question, "count": n}
            for (kind, question), n in sorted(counts.items())]
    insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(WalkCount)
    statement = insert.values(rows)
    session.execute(statement.on_conflict_do_update(
        index_elements=["day", "outcome_kind", "question"], set_={"count": WalkCount.count + statement.excluded.count}))
    session.commit()
