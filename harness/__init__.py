"""Starting the widget, Chromium and private databases, for the tests and the benchmarks.

Both the tests and the benchmarks need a widget started as `make run` starts it, the account it is
signed in with, Chromium's path and flags, a Redis of their own, and ways to count records and
processes. That code lives here, once. harness imports neither `tests` nor `bench` (import-linter
contracts in pyproject.toml): the tests reach it through tests/support, the benchmarks import it.

- server.py     start and stop `reflex run --env prod` on a free port; run the command line
- widget.py     the widget with the test partnership and practitioner (running_widget)
- accounts.py   the test organisation, practitioner and password
- records.py    decisions written straight into a widget's database; counting them, the chain
- browser.py    opening a page until it is live, signing in (Playwright)
- chromium.py   Debian's Chromium and the flags it runs with
- processes.py  a server's workers and CPU time, from /proc
- redis.py      a Redis of its own on a free port
"""
