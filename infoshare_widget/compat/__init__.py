"""Where the widget leans on framework internals (Reflex, React Router, Granian), in one place.

Each module says why it exists, the upstream issue if there is one, which versions it was checked
against, and has a contract test in tests/unit/test_compat.py (or tests/db, tests/e2e where it needs a
server or the built page) that fails, naming the workaround, when an upgrade changes what it relies
on. The page scripts' own workarounds are in assets/compat/. This package imports nothing of the
widget's own (the lowest layer), and nothing outside it may use an internal
(tests/unit/test_architecture.py::test_framework_internals_are_used_only_in_compat).

- not_kept.py: State vars that are sent to the browser and never kept or pickled.
- redis_bounds.py: a time bound on every Redis command Reflex sends.
- redis_listeners.py: restarting Reflex's Redis listeners after they give up.
- browser_values.py: values computed in the browser, as Vars (with the hooks they need).
- react_router.py: links inside the app; a route segment as the browser's router has it.
- event_context.py: the event being handled (its router data, an update straight to its tab).
- server.py: Granian replacing workers that die; the same build on every instance.
- web_build.py: where the build's pages are, and React Router's links in them.

Checked against reflex 0.10.1, granian 2.8.9, redis-py 7.4.1 (docs/architecture.md lists each
workaround, why, and its contract test).
"""
