"""Values computed in the browser, written as raw JavaScript expressions, and what the page component
needs for them (a React hook, an import, another var's own hooks).

Why: several values the server must never hold live only in the browser: the session secret and the
attempt token (assets/records.js keeps them in sessionStorage and a page-load variable), the answers
of the walk on screen and its number (assets/flow.js, read through flow-react.js's `useWalk`), and a
dynamic route segment as React Router has it (`useParams`). They travel with the event that needs
them, as arguments, never through State. Reflex's public API makes Vars from Python values and State
fields only: a Var whose JavaScript is given as text, with the hooks and imports it needs in the page
component, is built here with `Var(_js_expr=..., _var_data=VarData(...))`, private constructor
arguments of reflex_base's Var (upstream: Reflex documents no way to write a hook-backed Var).

Checked against: reflex 0.10.1 (reflex_base 0.10.1). Contract tests: tests/unit/test_compat.py
(test_browser_values_render_as_the_expression_given, test_browser_values_carry_their_hooks_and_imports,
test_browser_values_effect_runs_the_call_when_the_value_changes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from reflex.vars.base import Var, VarData
from reflex_base.constants.compiler import Imports
from reflex_base.utils.imports import ImportVar


def _needs(uses: Iterable[Var], hooks: Iterable[str], imports: Mapping[str, Iterable[str]] | None,
           add_events: bool) -> VarData | None:
    """What a Var needs in the page component: its own hooks and imports, and those of `uses`."""
    own = VarData(hooks={hook: None for hook in hooks},
                  imports={**{module: [ImportVar(tag=name) for name in names]
                              for module, names in (imports or {}).items()},
                           **(Imports.EVENTS if add_events else {})})
    return VarData.merge(*(var._get_all_var_data() for var in uses), own)


def js_value(expression: str, *, uses: Iterable[Var] = (), hooks: Iterable[str] = (),
             imports: Mapping[str, Iterable[str]] | None = None, add_events: bool = False) -> Var:
    """A Var whose value is `expression`, evaluated in the browser where it is used.

    uses: Vars the expression is written with (their own hooks and imports come along);
    hooks: lines the page component runs before rendering (a React hook, `const x = useX()`);
    imports: names the page component imports, by module (`{"react-router": ["useParams"]}`);
    add_events: the page component also gets Reflex's `addEvents`, to send an event from a hook.
    Give it a type with `.to(str)` and the like."""
    return Var(_js_expr=expression, _var_data=_needs(uses, hooks, imports, add_events))


def effect_marker(call: str, value: Var, *, add_events: bool = False) -> Var[str]:
    """An empty string whose page component runs the JavaScript statement `call` in a React effect
    each time `value` changes (compared as JSON): put it in an attribute of a hidden element. With
    add_events, `call` may use Reflex's `addEvents`."""
    hook = f"useEffect(() => {{ {call} }}, [JSON.stringify({value!s})]);"
    return Var(_js_expr="''", _var_type=str,
               _var_data=_needs([value], [hook], {"react": ["useEffect"]}, add_events))


def browser_value(expression: str) -> Var[str]:
    """A string computed in the browser by `expression` when the event is sent."""
    return Var(_js_expr=expression).to(str)


# The session secret, read from the browser tab when an event is sent (assets/records.js).
SESSION: Var[str] = browser_value("(window.infoshareSession?.get() ?? '')")
# This page load's attempt token (assets/records.js): with what a save says, the key that makes the
# same save, sent again, save once (records/service.amendment_key).
ATTEMPT: Var[str] = browser_value("(window.infoshareAttempt ?? '')")
