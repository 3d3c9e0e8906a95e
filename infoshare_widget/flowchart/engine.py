"""The decision engine: from a chart and the answers so far, where the user is. Pure: no Reflex.

Answers are a mapping of question id to "yes", "no" or "unsure". The walk starts at the chart's
start and follows the answers until it meets a question without an answer (the next question) or
an outcome. Answers to questions off the walked path are ignored and reported as such.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from infoshare_widget.flowchart.chart import ANSWERS, Chart


class AnswerError(ValueError):
    """The answers given cannot be used with this chart; `problems` lists why."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Step:
    """One answered question on the path taken."""

    node: str
    answer: str


@dataclass(frozen=True)
class Position:
    """Where a walk through the chart stands: at a question, or at an outcome."""

    path: tuple[Step, ...]
    question: str | None = None
    outcome: str | None = None
    # For an outcome reached by answering "unsure": the question to go back to.
    about: str | None = None
    ignored: tuple[str, ...] = ()

    @property
    def finished(self) -> bool:
        """True when the walk has reached an outcome."""
        return self.outcome is not None

    @property
    def current(self) -> str:
        """The id of the question or outcome the walk stands on."""
        return self.outcome if self.outcome is not None else self.question  # type: ignore[return-value]


def check_answers(chart: Chart, answers: object) -> dict[str, str]:
    """Return answers as a clean dict, or raise AnswerError naming each unknown id or value."""
    if not isinstance(answers, Mapping):
        raise AnswerError(["answers must be an object of question id to answer"])
    problems: list[str] = []
    clean: dict[str, str] = {}
    for node, answer in answers.items():
        if not isinstance(node, str) or node not in chart.questions:
            problems.append(f"unknown question id {node!r}")
        elif not isinstance(answer, str) or answer not in ANSWERS:
            problems.append(
                f"question {node!r}: answer must be one of {', '.join(ANSWERS)}, not {answer!r}"
            )
        else:
            clean[node] = answer
    if problems:
        raise AnswerError(problems)
    return clean


def walk(chart: Chart, answers: Mapping[str, str], stop_at: str | None = None) -> Position:
    """Follow the answers from the start; stop at the first unanswered question, `stop_at`, or an outcome.

    `answers` must already be checked (see check_answers). The chart is validated to be acyclic,
    so the walk always ends.
    """
    path: list[Step] = []
    node = chart.start
    while node in chart.questions:
        answer = answers.get(node)
        if answer is None or node == stop_at:
            return Position(tuple(path), question=node, ignored=_ignored(answers, path, node))
        path.append(Step(node, answer))
        node = chart.questions[node].answers[answer]
    about = path[-1].node if chart.outcomes[node].kind == "seek_advice" and path else None
    return Position(tuple(path), outcome=node, about=about, ignored=_ignored(answers, path))


def _ignored(answers: Mapping[str, str], path: list[Step], current: str | None = None) -> tuple[str, ...]:
    used = {step.node for step in path}
    if current is not None:
        used.add(current)
    return tuple(node for node in answers if node not in used)


def all_paths(chart: Chart) -> list[tuple[dict[str, str], str]]:
    """Every complete path through the chart as (answers, outcome id), depth first."""
    return chart.walks()
