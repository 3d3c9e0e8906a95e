"""A bound on every Redis command Reflex sends, so a Redis that hangs fails an event in seconds.

Why: Reflex 0.10.1 builds its Redis clients (the state manager's, the token manager's and the health
check's) in `reflex.utils.prerequisites.get_redis` with retries and no timeout. A Redis that stops
answering without refusing connections (a frozen process, a network that drops packets) then holds
every event for as long as it hangs, in silence. A socket timeout on the client would also end
the pub/sub listeners Reflex keeps on the same clients, which wait for messages for as long as none
come. So the bound is put around each command and pipeline instead: after `timeout` seconds the
command raises redis.exceptions.TimeoutError, which the trouble handler reports to the browser as
"retry" (nothing was done) or "unsure" (infoshare_widget/components/trouble/). Pub/sub reads are left alone.
Connecting gets the same bound (socket_connect_timeout).

Checked against Reflex 0.10.1 and redis-py 7.4.1 (upstream: Reflex has no setting for this).
`install()` must run before rx.App is made (the state manager takes its client then).
"""

from __future__ import annotations

import asyncio
import os

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import TimeoutError as RedisTimeoutError

TIMEOUT_ENV = "INFOSHARE_REDIS_TIMEOUT_SECONDS"
DEFAULT_TIMEOUT = 3.0


def command_timeout(environ: dict[str, str] | None = None) -> float:
    """INFOSHARE_REDIS_TIMEOUT_SECONDS (0.1 to 30), or 3."""
    environ = os.environ if environ is None else environ
    text = environ.get(TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = -1
    if not 0.1 <= value <= 30:
        raise ValueError(f"{TIMEOUT_ENV} must be a number of seconds from 0.1 to 30, not {text!r}")
    return value


async def _bounded(bound: float, what: str, call):
    try:
        async with asyncio.timeout(bound):
            return await call
    except TimeoutError:
        raise RedisTimeoutError(f"Redis did not answer {what} within {bound:g} s") from None


class BoundedPipeline(Pipeline):
    """A pipeline whose execute() ends with TimeoutError after the bound."""

    bound: float = DEFAULT_TIMEOUT

    async def execute(self, raise_on_error: bool = True):
        return await _bounded(self.bound, "a pipeline", super().execute(raise_on_error))


class BoundedRedis(Redis):
    """Reflex's own client, each command ending with TimeoutError after the bound."""

    bound: float = DEFAULT_TIMEOUT

    async def execute_command(self, *args, **options):
        return await _bounded(self.bound, str(args[0]) if args else "a command", super().execute_command(*args, **options))

    def pipeline(self, transaction: bool = True, shard_hint=None) -> Pipeline:
        pipe = BoundedPipeline(self.connection_pool, self.response_callbacks, transaction, shard_hint)
        pipe.bound = self.bound
        return pipe


def bound(client: Redis | None, timeout: float) -> Redis | None:
    """The same client (its pool, retries and settings as Reflex made them), bounded."""
    if client is None:
        return None
    client.__class__ = BoundedRedis
    client.bound = timeout
    client.connection_pool.connection_kwargs.setdefault("socket_connect_timeout", timeout)
    return client


_installed = False


def install(timeout: float | None = None) -> None:
    """Make every Redis client Reflex gets from now on bounded (idempotent)."""
    global _installed
    if _installed:
        return
    from reflex.utils import prerequisites

    seconds = command_timeout() if timeout is None else timeout
    original = prerequisites.get_redis

    def get_redis():
        return bound(original(), seconds)

    get_redis.__wrapped__ = original
    prerequisites.get_redis = get_redis
    _installed = True
