"""Start again the Redis listeners Reflex gives up on after repeated errors.

Why: Reflex 0.10.1 keeps three pub/sub listeners per worker when states live in Redis (the state
manager's lock notices, and the token manager's socket records and "lost and found" updates, which
let another worker or instance reach a tab). Each runs under `reflex.utils.tasks.ensure_task`, which
stops for good after five errors in a minute: after a Redis outage of ten seconds or so they stay
stopped until some browser next connects to that worker, and until then a tab whose socket is on
another instance misses its updates. This lifespan task looks every 15 seconds and starts again any
that have stopped, saying so in the log once each time.

Checked against Reflex 0.10.1: the private names used are StateManagerRedis._lock_task and
_ensure_lock_task, RedisTokenManager._socket_record_task, _ensure_socket_record_task,
_lost_and_found_task and ensure_lost_and_found_task, EventNamespace._token_manager and emit_update.
tests/unit/test_compat.py fails, naming this file, if any of them goes.
"""

from __future__ import annotations

import asyncio
import logging

log = logging.getLogger("infoshare.redis")
EVERY_SECONDS = 15.0


def _stopped(task: asyncio.Task | None) -> bool:
    """A listener that was started and has ended (not one never started: that is Reflex's to start)."""
    return task is not None and task.done()


def restart_stopped(app) -> list[str]:
    """Start again each of Reflex's Redis listeners that has stopped; the names of those started."""
    from reflex.istate.manager.redis import StateManagerRedis
    from reflex.utils.token_manager import RedisTokenManager

    started: list[str] = []
    manager = app.state_manager
    if isinstance(manager, StateManagerRedis) and _stopped(manager._lock_task):
        manager._ensure_lock_task()
        started.append("state locks")
    namespace = app.event_namespace
    tokens = getattr(namespace, "_token_manager", None)
    if isinstance(tokens, RedisTokenManager):
        if _stopped(tokens._socket_record_task):
            tokens._ensure_socket_record_task()
            started.append("socket records")
        if _stopped(tokens._lost_and_found_task):
            tokens.ensure_lost_and_found_task(namespace.emit_update)
            started.append("lost and found")
    return started


async def keep_redis_listeners(app) -> None:
    """A lifespan task (app.register_lifespan_task): look, start again, wait, for as long as the app runs."""
    while True:
        await asyncio.sleep(EVERY_SECONDS)
        try:
            started = restart_stopped(app)
        except Exception as exc:  # noqa: BLE001 - the keeper must outlive whatever it finds
            log.warning("Could not check Reflex's Redis listeners: %s", type(exc).__name__)
            continue
        if started:
            log.warning("Reflex's Redis listeners had stopped after repeated errors and were started again: %s",
                        ", ".join(started))
