"""Redis for the tests: a private one (harness.redis.PrivateRedis), started and killed around a test."""

from __future__ import annotations

from contextlib import contextmanager

from harness.redis import PrivateRedis
from tests.support.requirements import require


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
