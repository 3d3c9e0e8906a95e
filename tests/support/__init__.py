"""Helpers the tests share, by purpose; a test module takes its helpers from here, never from another
test module or a conftest (tests/unit/test_architecture.py checks it). Fixtures stay in the
conftest.py files, where pytest finds them.

What the tests share with the benchmarks (starting the widget, Chromium, a private Redis, counting
records and processes) is in the top-level package `harness`; the names below come from there or
from this package's modules, so `from tests.support import X` works for each. The heavier helpers
(Playwright pages, the walk, the answer tables, databases) are imported from their modules:

- rows.py          comparisons of many rows, reported in a few lines
- explanations.py  the short explanation of a failed comparison of large values (tests/conftest.py)
- requirements.py  require: fail where CI requires a part, skip elsewhere
- scenarios.py     the chart's answer paths, written out from the guidance (ASKED, NOT_S47, ALL_PATHS...)
- relevance.py     what practitioners type into the glossary search, and the entry it must find
- databases.py     a throw-away PostgreSQL database, a second one for migrations, a private server
- redis.py         the machine's Redis, and a private one for one test
- connections.py   TCP connections from /proc
- browser.py       pages in Chromium: open, sign in, CSP violations, axe, screenshots
- flows.py         walking the decision helper: answer, expect_outcome, heading, walk_to_refer_now
- accounts.py      the test accounts, accounts at an access level, an authenticator, the sign-in steps
- widget.py        the running widget (running_widget, Widget) and records in its database
- states.py        Reflex's pickled states, on disk or in Redis
- intranets.py     intranet sites on another origin that frame the widget
"""

from harness.chromium import CHROMIUM, CHROMIUM_ARGS
from harness.processes import children, group_cpu_seconds
from harness.proxy import NGINX, nginx_in_front
from harness.records import records_and_chain
from harness.redis import PrivateRedis
from harness.server import ROOT, free_port, run_records_command, start_reflex, stop_reflex
from tests.support.connections import established_tcp, holding_connections
from tests.support.redis import private_redis
from tests.support.requirements import require
from tests.support.rows import MISMATCHES_SHOWN, assert_rows_agree, mismatch_report

__all__ = [
    "CHROMIUM", "CHROMIUM_ARGS", "MISMATCHES_SHOWN", "NGINX", "PrivateRedis", "ROOT", "assert_rows_agree",
    "children", "established_tcp", "free_port", "group_cpu_seconds", "holding_connections", "mismatch_report",
    "nginx_in_front", "private_redis", "records_and_chain", "require", "run_records_command", "start_reflex",
    "stop_reflex",
]
