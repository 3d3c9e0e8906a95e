"""Two changes to how `reflex run` serves the widget (web/serve.py makes them, then runs Reflex's CLI).

`respawn_failed_workers()`: a Granian worker that dies is replaced and the other workers keep
serving. Plain `reflex run --env prod` stops the whole server when any worker dies: Reflex 0.10.1
builds its Granian server in `reflex.utils.exec.run_granian_backend_prod`, importing
`granian.server.Server` inside the function when it runs, with no way to pass Granian's
`respawn_failed_workers` (and Granian reads its GRANIAN_RESPAWN_FAILED_WORKERS variable only in its
own command line). So the class found there is replaced by one that sets the option by default.
Workers that die again within Granian's 5.5 s crash-loop window are not respawned: the server stops,
as it should when something is broken for good.

`same_build_everywhere()`: Reflex writes the time of each run into the bundle
(`last_reflex_run_datetime` in the web folder's reflex.json, through
`reflex.utils.prerequisites.set_last_reflex_run_time`, for its own update checks), so two instances
built from the same code got different asset names, and behind a load balancer a page from one
asked the other for files it did not have. The time is no longer written.

Both must run in the process that then runs Reflex's command line (`run_reflex_cli`: Reflex's own
click group, `reflex.reflex.cli`, called in this process), before it starts.
Checked against: reflex 0.10.1, granian 2.8.9. Upstream: Granian added the option for this
(emmett-framework/granian#148); Reflex has no setting for it, and none for the run time. Contract tests:
tests/unit/test_compat.py (test_server_reflex_looks_up_granian_s_server_class_when_it_runs,
test_server_granian_respawns_failed_workers_when_asked, test_server_reflex_writes_its_run_time_through_one_function),
and tests/e2e/test_faults.py (test_a_worker_killed_is_replaced_the_other_keeps_serving_and_nobody_is_signed_out).
"""

from __future__ import annotations

import sys

import granian.server


class RespawningServer(granian.server.Server):
    """Granian's server, replacing workers that die."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("respawn_failed_workers", True)
        super().__init__(*args, **kwargs)


def respawn_failed_workers() -> None:
    """From now on, the Granian server Reflex makes replaces workers that die."""
    granian.server.Server = RespawningServer


def same_build_everywhere() -> None:
    """From now on, Reflex does not write the time of the run into the build."""
    from reflex.utils import prerequisites

    prerequisites.set_last_reflex_run_time = lambda: None


def run_reflex_cli(argv: list[str]) -> None:
    """Run `reflex <argv>` in this process (so the changes above apply to the server it starts)."""
    from reflex.reflex import cli

    sys.argv = ["reflex", *argv]
    cli()
