"""Values read from the browser tab as an event is sent, written as raw JavaScript expressions.

Why: the session secret and the attempt token live only in the tab (assets/records.js keeps them in
sessionStorage and a page-load variable) and must travel with the event that needs them, as an
argument, never through State. Reflex has no public way to pass a JavaScript expression as an event
argument, so these use `Var(_js_expr=...)`, a private constructor argument.
Checked against: reflex 0.10.1. Contract test: tests/unit/test_compat.py
(test_browser_values_render_as_the_expression_given).
"""

from __future__ import annotations

from reflex.vars.base import Var


def browser_value(expression: str) -> Var[str]:
    """A string computed in the browser by `expression` when the event is sent."""
    return Var(_js_expr=expression).to(str)


# The session secret, read from the browser tab when an event is sent (assets/records.js).
SESSION: Var[str] = browser_value("(window.infoshareSession?.get() ?? '')")
# This page load's attempt token (assets/records.js): with what a save says, the key that makes the
# same save, sent again, save once (records/service.amendment_key).
ATTEMPT: Var[str] = browser_value("(window.infoshareAttempt ?? '')")
