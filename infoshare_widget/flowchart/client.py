"""The decision helper's client side: the scripts inlined in each page's head, and the bindings
React needs.

A step runs in the browser (assets/flow.js), so answering needs no server round trip and no answer
reaches the server (or Reflex State, which is pickled) unless the user records the decision. The
script is inlined in the head with the chart's table (written from the same validated chart as the
Python engine), so a tap acts the moment the question is on screen, before React has hydrated and
before the websocket connects. Controls carry what they do in data attributes (`data-flow`), which
the script handles in the capture phase: one handler, before and after hydration.
"""

from __future__ import annotations

import json
from typing import Any

import reflex as rx

from infoshare_widget.compat.browser_values import js_value
from infoshare_widget.components.browser import inline_asset, inline_script
from infoshare_widget.flowchart.chart import ANSWER_LABELS, ANSWERS, Chart

# The React side (bundled): the walk number for the record panel, the answers for recording.
FLOW_MODULE = "$/public/flow-react.js"

# The answers on the path so far, read when an event fires (for recording a decision).
current_answers = js_value("currentAnswers()", imports={FLOW_MODULE: ["currentAnswers"]}).to(dict[str, str])
# The number of the walk on screen: changes whenever the answers change.
walk = js_value("flowWalk", hooks=["const flowWalk = useWalk()"], imports={FLOW_MODULE: ["useWalk"]}).to(int)
# The key of this attempt to record the walk on screen (assets/records.js): the same until the answers
# change, so a retry records once.
record_key = js_value("(window.infoshareRecordKey?.(currentAnswers(), flowWalk) ?? '')",
                      uses=[current_answers, walk]).to(str)
# The first decision held in the tab while offline ({answers, key, walk}: assets/records.js), sent once
# the page is live again.
held_decision = js_value("(window.infoshareRecordLater?.next(flowWalk) ?? {})", uses=[walk]).to(dict)


def first_title(chart: Chart) -> str:
    """The document title before any answer (flow.js sets it after each step)."""
    return f"{chart.questions[chart.start].text} - InfoShare"


def flow_table(chart: Chart) -> dict[str, Any]:
    """The part of the chart the browser needs to walk it and label the answers (the answers a
    question takes come from here too: flow.js holds no copy of them)."""
    return {
        "version": chart.version,
        "start": chart.start,
        "answers": list(ANSWERS),
        "labels": ANSWER_LABELS,
        "questions": {qid: {"text": q.text, "next": dict(q.answers)} for qid, q in chart.questions.items()},
        "outcomes": {oid: {"kind": o.kind, "title": o.title} for oid, o in chart.outcomes.items()},
    }


def head_scripts(chart: Chart) -> list[rx.Component]:
    """For every page's head: the chart's table, the decision helper (with the other areas' search), and
    the safety controls."""
    table = json.dumps(flow_table(chart), sort_keys=True, separators=(",", ":"))
    return [inline_script(f"window.INFOSHARE_FLOW = {table};"), inline_asset("flow.js"), inline_asset("areas.js"),
            inline_asset("safety.js")]


def control(action: str, arg: str | None = None) -> dict[str, str]:
    """The data attributes of a control that applies a flow action (back, change, startAgain...)."""
    return {"data_flow": action, **({"data_flow_arg": arg} if arg is not None else {})}
