"""The decision helper's client side: Vars and actions bound to assets/flow.js.

A step runs in the browser, so answering needs no server round trip and no answer reaches the
server (or Reflex State, which is pickled to disk) unless the user records the decision. flow.js
walks a table written from the same validated chart as the Python engine (write_flow_table).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reflex.event import EventChain
from reflex.utils.imports import ImportVar
from reflex.vars import FunctionVar, Var, VarData

from infoshare_widget.flowchart.chart import ANSWER_LABELS, Chart

FLOW_MODULE = "$/public/flow.js"
ASSETS = Path(__file__).resolve().parents[2] / "assets"
TABLE_FILE = ASSETS / "flow-table.json"

_DISPATCH_DATA = VarData(imports={FLOW_MODULE: [ImportVar(tag="dispatch"), ImportVar(tag="submitAnswer")]})
_WALK_DATA = VarData(imports={FLOW_MODULE: [ImportVar(tag="useWalk")]}, hooks={"const flowWalk = useWalk()": None})

# The answers on the path so far, read when an event fires (for recording a decision).
current_answers = Var(
    _js_expr="currentAnswers()", _var_data=VarData(imports={FLOW_MODULE: [ImportVar(tag="currentAnswers")]})
).to(dict[str, str])
# The number of the walk on screen: changes whenever the answers change.
walk = Var(_js_expr="flowWalk", _var_data=_WALK_DATA).to(int)


def first_title(chart: Chart) -> str:
    """The document title before any answer (flow.js sets it after each step)."""
    return f"{chart.questions[chart.start].text} - InfoShare"


def flow_table(chart: Chart) -> dict[str, Any]:
    """The part of the chart the browser needs to walk it and label the answers."""
    return {
        "version": chart.version,
        "start": chart.start,
        "labels": ANSWER_LABELS,
        "questions": {qid: {"text": q.text, "next": dict(q.answers)} for qid, q in chart.questions.items()},
        "outcomes": {oid: {"kind": o.kind, "title": o.title} for oid, o in chart.outcomes.items()},
    }


def write_flow_table(chart: Chart, path: Path = TABLE_FILE) -> None:
    """Write the browser's table for this chart (rewritten at each start, never edited by hand)."""
    text = json.dumps(flow_table(chart), indent=1, sort_keys=True) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def action(name: str, arg: Var | str | None = None) -> Var:
    """An event handler that applies a flow action in the browser."""
    arg_js = str(arg) if isinstance(arg, Var) else json.dumps(arg)
    data = VarData.merge(_DISPATCH_DATA, arg._get_all_var_data() if isinstance(arg, Var) else None)
    return Var(_js_expr=f"(() => dispatch({json.dumps(name)}, {arg_js}))", _var_data=data).to(
        FunctionVar, EventChain
    )


def submit_answer() -> Var:
    """The question form's submit handler: takes the form data Reflex collects, and moves on."""
    return Var(_js_expr="((formData) => submitAnswer(formData))", _var_data=_DISPATCH_DATA).to(FunctionVar, EventChain)
