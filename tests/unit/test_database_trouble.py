"""A database that does not answer: every handler says the one message, in the place its page shows
errors, moves focus as that page does, and touches nothing the person typed (the helper in
components/database_trouble.py); and no handler catches it in a way of its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import reflex as rx
from sqlmodel import select

from infoshare_widget.base import db
from infoshare_widget.base.access import Refused
from infoshare_widget.base.acting import RecordError
from infoshare_widget.components.database_trouble import MESSAGE, NotAnswered, ask_database
from tests.support.coroutines import run_coroutine

PACKAGE = Path(__file__).resolve().parents[2] / "infoshare_widget"
TYPED = {"description": "Told the front door about the bruising", "case_reference": "C-1"}


class Page:
    """A stand-in for a page's state: its message vars, and what the person typed."""

    def __init__(self):
        self.error = ""
        self.errors = {"description": "Enter no more than 2,000 characters"}
        self.typed = dict(TYPED)


async def _fails():
    raise db.Unavailable(MESSAGE)


async def _answers():
    return "REF-1"


def _focus(reply) -> str | None:
    """Where an rx.set_focus reply moves focus, as Reflex names the element's ref (None for no reply)."""
    return None if reply is None else str(reply.args[0][1])


CASES = [
    # (what, show, under, focus, the vars afterwards, where focus goes)
    ("a message of its own, with focus", "error", "", "code-error",
     {"error": MESSAGE, "errors": Page().errors}, "code-error"),
    ("an error summary: the message replaces the field errors", "errors", "form", "error-summary",
     {"error": "", "errors": {"form": MESSAGE}}, "error-summary"),
    ("a message where the page does not move focus", "error", "", "",
     {"error": MESSAGE, "errors": Page().errors}, None),
    ("nothing said (the thing happened in the browser)", None, "", "",
     {"error": "", "errors": Page().errors}, None),
]


@pytest.mark.parametrize("what, show, under, focus, after, focused", CASES, ids=[c[0] for c in CASES])
def test_a_database_that_does_not_answer_gives_the_one_message(what, show, under, focus, after, focused):
    page = Page()
    result = run_coroutine(ask_database(page, _fails(), show=show, under=under, focus=focus))
    assert isinstance(result, NotAnswered)
    assert {"error": page.error, "errors": page.errors} == after
    assert _focus(result.reply) == (focused and _focus(rx.set_focus(focused)))
    assert page.typed == TYPED, "what the person typed is never touched"


def test_an_answer_comes_back_and_nothing_is_said():
    page = Page()
    assert run_coroutine(ask_database(page, _answers(), show="error", focus="code-error")) == "REF-1"
    assert (page.error, page.errors, page.typed) == ("", Page().errors, TYPED)


@pytest.mark.parametrize("error", [Refused("You do not have access"), RecordError("There is no such record")])
def test_other_failures_are_the_handler_s_own(error):
    async def refused():
        raise error

    with pytest.raises(type(error)):
        run_coroutine(ask_database(Page(), refused(), show="error"))


def test_the_message_says_nothing_was_done_what_is_kept_and_what_to_do():
    assert "did not answer" in MESSAGE
    assert "nothing was saved or done" in MESSAGE
    assert "What you entered is still here" in MESSAGE
    assert "try again in a moment" in MESSAGE


def test_a_real_database_that_does_not_answer_gives_the_message(monkeypatch, tmp_path):
    """in_database turns a database it cannot reach into Unavailable, carrying the one message."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'records.db'}")
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    page = Page()
    try:
        result = run_coroutine(ask_database(page, db.in_database(lambda session: session.exec(select(1)).one()),
                                          show="errors", under="form", focus="error-summary"))
    finally:
        engine.dispose()
    assert isinstance(result, NotAnswered)
    assert page.errors == {"form": MESSAGE} and page.typed == TYPED
    with pytest.raises(db.Unavailable, match="nothing was saved or done"):
        run_coroutine(db.in_database(lambda session: session.exec(select(1)).one()))


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def test_only_the_helper_catches_a_database_that_does_not_answer():
    catching = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and node.type is not None and "Unavailable" in ast.unparse(node.type):
                catching.append(f"{name}:{node.lineno}")
    assert [place.split(":")[0] for place in catching] == ["components/database_trouble.py"], catching


def test_no_page_words_the_message_its_own_way():
    worded = []
    for name, tree in _modules():
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                    and "did not answer" in node.value and "database" in node.value):
                worded.append(f"{name}:{node.lineno}")
    # The message itself, and the server's log line.
    assert [w.split(":")[0] for w in worded] == ["base/db.py", "base/db.py"], worded
