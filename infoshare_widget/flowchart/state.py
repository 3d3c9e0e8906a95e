"""The decision helper's page state: only the answers given, never personal data.

The state holds question ids and yes/no/unsure values; everything shown is derived from them by the
pure engine. Question and outcome text is compiled into the page, so a step sends only ids.
"""

from __future__ import annotations

import reflex as rx

from infoshare_widget.flowchart.chart import ANSWER_LABELS, ANSWERS, get_chart
from infoshare_widget.flowchart.engine import Position, answers_on_path, previous_question, walk

FOCUS_HEADING = "document.getElementById('step-heading')?.focus()"
FOCUS_ERROR = "document.getElementById('error-summary')?.focus()"


class DecideState(rx.State):
    """Answers so far, the question being changed (if any), and whether to show the error."""

    answers: dict[str, str] = {}
    revisit: str = ""
    missing_answer: bool = False

    def _position(self) -> Position:
        return walk(get_chart(), self.answers, stop_at=self.revisit or None)

    @rx.var
    def current(self) -> str:
        """The id of the question or outcome on screen."""
        return self._position().current

    @rx.var
    def chosen(self) -> dict[str, str]:
        """The answers on the path to where the user is (for the picture and pre-filled radios)."""
        position = self._position()
        chosen = answers_on_path(position)
        if position.question and position.question in self.answers:
            chosen[position.question] = self.answers[position.question]
        return chosen

    @rx.var
    def summary(self) -> list[dict[str, str]]:
        """The 'Your answers' rows: question id, question text and the answer's label."""
        chart = get_chart()
        return [
            {"id": step.node, "question": chart.questions[step.node].text, "answer": ANSWER_LABELS[step.answer]}
            for step in self._position().path
        ]

    @rx.var
    def about(self) -> str:
        """For 'seek advice': the question answered 'Not sure', to return to."""
        return self._position().about or ""

    @rx.var
    def page_title(self) -> str:
        """The document title: the question or outcome, with 'Error: ' first when an answer is missing."""
        chart = get_chart()
        current = self._position().current
        text = chart.questions[current].text if current in chart.questions else chart.outcomes[current].title
        return f"{'Error: ' if self.missing_answer else ''}{text} - InfoShare"

    @rx.var
    def can_go_back(self) -> bool:
        """False on the first question."""
        return previous_question(self._position()) is not None

    @rx.event
    def submit_answer(self, form_data: dict):
        """Take the answer to the question on screen; with none, show the error and keep the page."""
        answer = form_data.get("answer")
        position = self._position()
        if position.question is None:
            return None
        if answer not in ANSWERS:
            self.missing_answer = True
            return rx.call_script(FOCUS_ERROR)
        # Keep later answers (a changed answer returns to where the user was), but drop answers
        # from branches no longer taken, so they cannot resurface later.
        self.answers = answers_on_path(walk(get_chart(), {**self.answers, position.question: answer}))
        self.revisit = ""
        self.missing_answer = False
        return rx.call_script(FOCUS_HEADING)

    @rx.event
    def go_back(self):
        """Return to the previous question, keeping its answer selected."""
        previous = previous_question(self._position())
        if previous is not None:
            self.revisit = previous
        self.missing_answer = False
        return rx.call_script(FOCUS_HEADING)

    @rx.event
    def change(self, node: str):
        """Go to an answered question to change it ('Change' in the summary, or back from advice)."""
        if node in get_chart().questions:
            self.revisit = node
        self.missing_answer = False
        return rx.call_script(FOCUS_HEADING)

    @rx.event
    def back_to_question(self):
        """From 'seek advice', return to the question answered 'Not sure', with no answer chosen."""
        about = self._position().about
        if about is not None:
            self.answers = {node: value for node, value in self.answers.items() if node != about}
        self.revisit = ""
        self.missing_answer = False
        return rx.call_script(FOCUS_HEADING)

    @rx.event
    def start_again(self):
        """Forget every answer and show the first question."""
        self.answers = {}
        self.revisit = ""
        self.missing_answer = False
        return rx.call_script(FOCUS_HEADING)
