"""Redis for the tests: the machine's own (CI runs one at 127.0.0.1:6379, and .ci/run requires it),
and a private one (harness.redis.PrivateRedis) started and killed around a test."""

from __future__ import annotations

import socket
from contextlib import contextmanager

from harness.redis import PrivateRedis
from tests.support.requirements import require

# The machine's Redis, and the database there that the privacy test searches (the fault test's
# two workers use the next one).
REDIS = ("127.0.0.1", 6379)
REDIS_DB = 9


def redis_is_up() -> bool:
    """Whether the machine's Redis answers at REDIS."""
    try:
        with socket.create_connection(REDIS, timeout=2):
            return True
    except OSError:
        return False


@contextmanager
def private_redis():
    """A PrivateRedis, started; killed after. Where redis-server is missing, require("REDIS")."""
    try:
        redis = PrivateRedis()
    except FileNotFoundError as missing:
        require("REDIS", str(missing))
    redis.start()
    try:
        yield redis
    finally:
        redis.kill()
