"""The chart and walk results as plain JSON-ready dicts, for the API. Pure: no Reflex import."""

from __future__ import annotations

from infoshare_widget.flowchart.chart import ANSWER_LABELS, ANSWERS, Chart
from infoshare_widget.flowchart.engine import Position


def question_dict(chart: Chart, qid: str) -> dict:
    """One question with its answers and where each leads."""
    question = chart.questions[qid]
    return {
        "id": qid,
        "stage": question.stage,
        "text": question.text,
        "hint": question.hint,
        "answers": [
            {"value": a, "label": ANSWER_LABELS[a], "next": question.answers[a]} for a in ANSWERS
        ],
        "unsure_note": question.unsure_note,
        "rules": list(question.rules),
        "legal": list(question.legal),
    }


def outcome_dict(chart: Chart, oid: str) -> dict:
    """One outcome: the decision, why, how and next steps."""
    outcome = chart.outcomes[oid]
    return {
        "id": oid,
        "kind": outcome.kind,
        "title": outcome.title,
        "decision": outcome.decision,
        "why": list(outcome.why),
        "how": list(outcome.how),
        "next_steps": [step.model_dump() for step in outcome.next_steps],
        "contacts": list(outcome.contacts),
        "rules": list(outcome.rules),
        "legal": list(outcome.legal),
    }


def chart_dict(chart: Chart) -> dict:
    """The whole chart, questions in reading order."""
    return {
        "version": chart.version,
        "last_reviewed": chart.last_reviewed.isoformat(),
        "title": chart.title,
        "start": chart.start,
        "based_on": [s.model_dump() for s in chart.based_on],
        "questions": [question_dict(chart, qid) for qid in chart.question_order()],
        "outcomes": [outcome_dict(chart, oid) for oid in chart.outcomes],
        "rules": {rid: r.model_dump() for rid, r in chart.rules.items()},
        "legal": {lid: ref.model_dump() for lid, ref in chart.legal.items()},
    }


def position_dict(chart: Chart, position: Position) -> dict:
    """A walk's result: the next question, or the outcome; with the path taken."""
    body: dict = {
        "version": chart.version,
        "path": [
            {
                "id": step.node,
                "question": chart.questions[step.node].text,
                "answer": step.answer,
                "label": ANSWER_LABELS[step.answer],
            }
            for step in position.path
        ],
    }
    if position.outcome is not None:
        outcome = outcome_dict(chart, position.outcome)
        if position.about is not None:
            outcome["about"] = position.about
            outcome["about_note"] = chart.questions[position.about].unsure_note
        body["outcome"] = outcome
    else:
        assert position.question is not None
        body["next"] = question_dict(chart, position.question)
    if position.ignored:
        body["ignored"] = list(position.ignored)
    return body
