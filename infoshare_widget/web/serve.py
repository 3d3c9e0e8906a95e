"""Run the widget: Reflex's own `reflex run`, with two changes (compat/server.py says how and why).

- A Granian worker that dies is replaced (Granian's `respawn_failed_workers`) and the other workers
  keep serving, where plain `reflex run` stops the whole server when any worker dies.
- The build is the same on every machine: Reflex writes the time of each run into the bundle
  (`last_reflex_run_datetime`, for its own update checks), so two instances built from the same
  code got different asset names, and behind a load balancer a page from one asked the other for
  files it did not have. The time is no longer written.

  python -m infoshare_widget serve run --env prod --single-port --frontend-port 3000 --backend-port 3000

Every argument goes to `reflex` unchanged (`make run` uses this). Workers that die again within
Granian's 5.5 s crash-loop window are not respawned: the server stops, as it should when something is
broken for good.
"""

from __future__ import annotations

from infoshare_widget.compat import server


def serve(argv: list[str]) -> None:
    """Run reflex's command line with `argv`, with the two changes above."""
    server.respawn_failed_workers()
    server.same_build_everywhere()
    server.run_reflex_cli(argv)
