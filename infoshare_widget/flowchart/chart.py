"""The decision chart: its data model, loading and validation. Pure: no Reflex import.

A chart is a small directed graph of questions (each answered yes, no or unsure) that ends in
outcomes. It is loaded from YAML and validated as a whole; any problem raises ChartError with every
problem found, each naming the node, so a broken file stops start-up instead of half working.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from infoshare_widget.content_files import ContentFileError, read_yaml, validation_problems

ANSWERS: tuple[str, ...] = ("yes", "no", "unsure")
ANSWER_LABELS: dict[str, str] = {"yes": "Yes", "no": "No", "unsure": "Not sure"}
OUTCOME_KINDS: tuple[str, ...] = (
    "emergency",
    "refer_now",
    "share",
    "share_with_consent",
    "share_without_consent",
    "do_not_share",
    "seek_advice",
)
# How each kind of outcome is named to people (panel labels, filters).
OUTCOME_LABELS: dict[str, str] = {
    "emergency": "Emergency",
    "refer_now": "Refer now",
    "share": "Share",
    "share_with_consent": "Share with consent",
    "share_without_consent": "Share without consent",
    "do_not_share": "Do not share",
    "seek_advice": "Seek advice",
}
CONTACT_KINDS: tuple[str, ...] = ("front_door", "consultation", "out_of_hours", "advice")
# Outcomes where information is passed on; these must ask the user to get feedback (the seed's
# "get feedback" habit). Every outcome must ask the user to record the decision (golden rule 7).
SHARING_KINDS = frozenset(
    {"emergency", "refer_now", "share", "share_with_consent", "share_without_consent"}
)

DEFAULT_CHART_PATH = Path(__file__).resolve().parent.parent / "content" / "flowchart.yaml"


class ChartError(ValueError):
    """The chart file is not a valid decision chart; `problems` lists every problem found."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        listed = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: the decision chart is not valid:\n{listed}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    title: str = Field(min_length=1)
    url: str = Field(min_length=1)


class Review(_Strict):
    """Where an item's facts come from, when they were last checked, and when they must be again."""

    source: str = Field(min_length=1)  # an id in the chart's `sources`
    reviewed: dt.date
    next_review: dt.date


class Rule(_Strict):
    number: int = Field(ge=1, le=7)
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    review: Review


class LegalRef(_Strict):
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    # Whether it is in force on the review date, in plain words ("In force since ...").
    status: str = Field(min_length=1)
    url: str | None = None
    review: Review


class Question(_Strict):
    # A label of a few words for the picture of the chart.
    short: str = Field(min_length=1, max_length=40)
    stage: Literal["triage", "share"]
    text: str = Field(min_length=1)
    hint: str = ""
    answers: dict[str, str]
    unsure_note: str = Field(min_length=1)
    rules: tuple[str, ...] = ()
    legal: tuple[str, ...] = ()
    review: Review


class NextStep(_Strict):
    kind: Literal["feedback", "record", "other"]
    text: str = Field(min_length=1)


class Outcome(_Strict):
    # kind is checked by the chart validator so the message can name the outcome.
    kind: str = ""
    title: str = Field(min_length=1)
    decision: str = Field(min_length=1)
    # One line under the decision, in the panel: what counts, or who else to tell.
    note: str = ""
    why: tuple[str, ...] = Field(min_length=1)
    how: tuple[str, ...] = Field(min_length=1)
    next_steps: tuple[NextStep, ...] = Field(min_length=1)
    contacts: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    legal: tuple[str, ...] = ()
    review: Review


class Chart(_Strict):
    # YEAR.N: the year of last_reviewed, and a number that goes up with every change of content.
    version: str = Field(pattern=r"^20[0-9]{2}\.[1-9][0-9]*$")
    last_reviewed: dt.date
    title: str = Field(min_length=1)
    sources: dict[str, Source] = Field(min_length=1)
    based_on: tuple[str, ...] = ()
    start: str
    rules: dict[str, Rule]
    legal: dict[str, LegalRef]
    questions: dict[str, Question] = Field(min_length=1)
    outcomes: dict[str, Outcome] = Field(min_length=1)

    def reviewed_items(self) -> list[tuple[str, Review]]:
        """Every item that carries review dates, named as 'question X', 'legal reference Y'..."""
        return [
            *((f"golden rule '{rid}'", r.review) for rid, r in self.rules.items()),
            *((f"legal reference '{lid}'", ref.review) for lid, ref in self.legal.items()),
            *((f"question '{qid}'", q.review) for qid, q in self.questions.items()),
            *((f"outcome '{oid}'", o.review) for oid, o in self.outcomes.items()),
        ]

    @property
    def next_review(self) -> dt.date:
        """The earliest next review date of any item: when the content as a whole is next due."""
        return min(review.next_review for _, review in self.reviewed_items())

    def question_order(self) -> list[str]:
        """Question ids in the order a reader meets them: depth first from the start, yes first."""
        order: list[str] = []

        def visit(node_id: str) -> None:
            if node_id in order or node_id not in self.questions:
                return
            order.append(node_id)
            for answer in ANSWERS:
                visit(self.questions[node_id].answers[answer])

        visit(self.start)
        return order


def _problems_in(chart: Chart) -> list[str]:
    """Every structural and content problem in an already-parsed chart."""
    problems: list[str] = []
    node_ids = set(chart.questions) | set(chart.outcomes)

    if chart.version.split(".")[0] != str(chart.last_reviewed.year):
        problems.append(
            f"version: '{chart.version}' must start with the year of last_reviewed ({chart.last_reviewed.year}), "
            "so the version changes with a review"
        )
    for source in chart.based_on:
        if source not in chart.sources:
            problems.append(f"based_on: unknown source '{source}'")
    for owner, review in chart.reviewed_items():
        if review.source not in chart.sources:
            problems.append(f"{owner}: unknown source '{review.source}'")
        if review.next_review <= review.reviewed:
            problems.append(f"{owner}: next_review must be after reviewed")
        if review.reviewed > chart.last_reviewed:
            problems.append(f"{owner}: reviewed {review.reviewed} is after the chart's last_reviewed")

    for both in sorted(set(chart.questions) & set(chart.outcomes)):
        problems.append(f"node '{both}': the id is used for both a question and an outcome")
    if chart.start not in chart.questions:
        problems.append(f"start: '{chart.start}' is not a question")

    def check_refs(owner: str, rules: tuple[str, ...], legal: tuple[str, ...]) -> None:
        for rule in rules:
            if rule not in chart.rules:
                problems.append(f"{owner}: unknown golden rule '{rule}'")
        for ref in legal:
            if ref not in chart.legal:
                problems.append(f"{owner}: unknown legal reference '{ref}'")

    for qid, question in chart.questions.items():
        owner = f"question '{qid}'"
        for answer in ANSWERS:
            if answer not in question.answers:
                problems.append(f"{owner}: dead end, no next step for the answer '{answer}'")
        for answer, target in question.answers.items():
            if answer not in ANSWERS:
                problems.append(f"{owner}: unknown answer '{answer}' (use yes, no, unsure)")
            elif target not in node_ids:
                problems.append(
                    f"{owner}: the answer '{answer}' leads to '{target}', "
                    "which is not a question or an outcome"
                )
        problems.extend(_unsure_problems(chart, qid, question))
        check_refs(owner, question.rules, question.legal)

    for oid, outcome in chart.outcomes.items():
        owner = f"outcome '{oid}'"
        if not outcome.kind:
            problems.append(f"{owner}: outcome without a kind")
        elif outcome.kind not in OUTCOME_KINDS:
            problems.append(
                f"{owner}: unknown kind '{outcome.kind}' (use one of {', '.join(OUTCOME_KINDS)})"
            )
        step_kinds = {step.kind for step in outcome.next_steps}
        if "record" not in step_kinds:
            problems.append(f"{owner}: next steps must include recording the decision (rule 7)")
        if outcome.kind in SHARING_KINDS and "feedback" not in step_kinds:
            problems.append(f"{owner}: next steps must include getting feedback")
        for contact in outcome.contacts:
            if contact not in CONTACT_KINDS:
                problems.append(f"{owner}: unknown contact '{contact}'")
        if FRONT_DOOR_CONTACTS & set(outcome.contacts) and "out_of_hours" not in outcome.contacts:
            problems.append(f"{owner}: an outcome that shows the front door must show the out-of-hours team "
                            "beside it (the front door is closed at night, at weekends and on bank holidays)")
        check_refs(owner, outcome.rules, outcome.legal)

    if problems:
        # Graph checks need sound edges; report the local problems first.
        return problems

    # Reachability from the start.
    reachable: set[str] = set()
    stack = [chart.start]
    while stack:
        node = stack.pop()
        if node in reachable:
            continue
        reachable.add(node)
        if node in chart.questions:
            stack.extend(chart.questions[node].answers.values())
    for node in sorted(node_ids - reachable):
        problems.append(f"node '{node}': unreachable from the start '{chart.start}'")

    # Loops: each question is answered once, so any cycle would walk forever.
    colour: dict[str, int] = {}  # 1: on the current trail, 2: done

    def find_cycle(node: str, trail: list[str]) -> list[str] | None:
        colour[node] = 1
        trail.append(node)
        for target in chart.questions[node].answers.values():
            if target not in chart.questions:
                continue
            if colour.get(target) == 1:
                return trail[trail.index(target) :] + [target]
            if target not in colour:
                found = find_cycle(target, trail)
                if found:
                    return found
        trail.pop()
        colour[node] = 2
        return None

    for qid in chart.questions:
        if qid not in colour:
            cycle = find_cycle(qid, [])
            if cycle:
                problems.append(f"question '{cycle[0]}': loop with no exit ({' -> '.join(cycle)})")
                break
    return problems


# Someone unsure at a safety question must be sent towards protection now, never told to wait:
# 'Not sure' leads where 'Yes' does, except that a referral may become a consultation with the front
# door now (its out-of-hours team beside it). An emergency never becomes advice.
UNSURE_AT_SAFETY_QUESTION: dict[str, frozenset[str]] = {
    "emergency": frozenset({"emergency"}),
    "refer_now": frozenset({"refer_now", "seek_advice"}),
}
FRONT_DOOR_CONTACTS = frozenset({"front_door", "consultation"})


def _unsure_problems(chart: Chart, qid: str, question: Question) -> list[str]:
    """What is wrong with where 'Not sure' leads from this question."""
    owner = f"question '{qid}'"
    unsure, yes = (chart.outcomes.get(question.answers.get(a, "")) for a in ("unsure", "yes"))
    if unsure is None:
        return []
    if question.stage == "share":
        return [] if unsure.kind == "seek_advice" else [f"{owner}: the answer 'unsure' must lead to a seek_advice outcome"]
    allowed = UNSURE_AT_SAFETY_QUESTION.get(yes.kind if yes else "", frozenset())
    if unsure.kind not in allowed:
        return [f"{owner}: at a safety question 'unsure' must lead to {' or '.join(sorted(allowed)) or 'protection'}, "
                f"as 'yes' does, not to {unsure.kind}"]
    if not FRONT_DOOR_CONTACTS & set(unsure.contacts):
        # The out-of-hours team comes with the front door (checked for every outcome).
        return [f"{owner}: at a safety question 'unsure' must lead to an outcome that shows the front door "
                "and the out-of-hours team"]
    return []


def parse_chart(data: object, source: str = "<chart>") -> Chart:
    """Validate already-parsed YAML data and return the chart, or raise ChartError."""
    if not isinstance(data, dict):
        raise ChartError(source, ["the file must hold a mapping at the top level"])
    try:
        chart = Chart.model_validate(data)
    except ValidationError as exc:
        raise ChartError(source, validation_problems(exc, _name_node)) from None
    problems = _problems_in(chart)
    if problems:
        raise ChartError(source, problems)
    return chart


def _name_node(loc: tuple) -> str:
    """A 'node X: ' prefix for pydantic error locations inside questions or outcomes."""
    if len(loc) >= 2 and loc[0] in ("questions", "outcomes"):
        return f"node '{loc[1]}': "
    return ""


def load_chart(path: Path | str = DEFAULT_CHART_PATH) -> Chart:
    """Read and validate a chart file; raise ChartError naming the file on any problem."""
    try:
        data = read_yaml(path)
    except ContentFileError as exc:
        raise ChartError(exc.source, [exc.problem]) from None
    return parse_chart(data, source=str(path))


@functools.cache
def get_chart() -> Chart:
    """The shipped chart, loaded and validated once per process."""
    return load_chart(DEFAULT_CHART_PATH)
