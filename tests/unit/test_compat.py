"""Contract tests for infoshare_widget/compat/: each fails, naming the workaround, when Reflex (or
redis-py) no longer looks the way the workaround relies on. The ones that need a live Redis are in
tests/db/test_compat_redis.py."""

from __future__ import annotations

import inspect

import pytest


def test_redis_bounds_reflex_builds_every_redis_client_in_get_redis():
    """compat/redis_bounds.py replaces reflex.utils.prerequisites.get_redis: the state manager, the
    token manager and the health check must all still get their clients from it."""
    from reflex.istate.manager import StateManager
    from reflex.utils import prerequisites, token_manager

    assert callable(getattr(prerequisites, "get_redis", None)), "compat/redis_bounds.py: get_redis is gone"
    for where, source in (("StateManager.create", inspect.getsource(StateManager.create)),
                          ("TokenManager.create", inspect.getsource(token_manager.TokenManager.create)),
                          ("_get_health_redis", inspect.getsource(prerequisites._get_health_redis))):
        assert "get_redis()" in source, f"compat/redis_bounds.py: {where} no longer calls get_redis()"


def test_redis_bounds_the_bound_wraps_commands_and_pipelines_but_not_pub_sub():
    from redis.asyncio import Redis
    from redis.asyncio.client import PubSub

    from infoshare_widget.compat.redis_bounds import BoundedPipeline, BoundedRedis, bound

    client = bound(Redis.from_url("redis://127.0.0.1:1/0"), 0.5)
    assert isinstance(client, BoundedRedis) and client.bound == 0.5
    assert client.connection_pool.connection_kwargs["socket_connect_timeout"] == 0.5
    assert isinstance(client.pipeline(), BoundedPipeline) and client.pipeline().bound == 0.5
    # Pub/sub is redis-py's own class, unbounded (Reflex's listeners wait on it for as long as it takes).
    assert type(client.pubsub()) is PubSub
    assert "execute_command" in vars(Redis) and "execute" in vars(__import__(
        "redis.asyncio.client", fromlist=["Pipeline"]).Pipeline), "compat/redis_bounds.py: redis-py's methods moved"


def test_redis_bounds_setting_is_checked():
    from infoshare_widget.compat.redis_bounds import command_timeout

    assert command_timeout({}) == 3.0 and command_timeout({"INFOSHARE_REDIS_TIMEOUT_SECONDS": "1.5"}) == 1.5
    for bad in ("0", "31", "soon"):
        with pytest.raises(ValueError, match="INFOSHARE_REDIS_TIMEOUT_SECONDS"):
            command_timeout({"INFOSHARE_REDIS_TIMEOUT_SECONDS": bad})


def test_redis_listeners_the_private_names_it_restarts_are_there():
    """compat/redis_listeners.py restarts Reflex's listeners by these names."""
    import dataclasses

    from reflex.app import EventNamespace
    from reflex.istate.manager.redis import StateManagerRedis
    from reflex.utils.token_manager import RedisTokenManager

    fields = {f.name for f in dataclasses.fields(StateManagerRedis)}
    assert "_lock_task" in fields and callable(StateManagerRedis._ensure_lock_task), (
        "compat/redis_listeners.py: StateManagerRedis._lock_task / _ensure_lock_task changed")
    init = inspect.getsource(RedisTokenManager.__init__)
    assert "_socket_record_task" in init and "_lost_and_found_task" in init, (
        "compat/redis_listeners.py: RedisTokenManager's listener tasks changed")
    assert callable(RedisTokenManager._ensure_socket_record_task)
    assert "emit_update" in inspect.signature(RedisTokenManager.ensure_lost_and_found_task).parameters
    assert "_token_manager" in inspect.getsource(EventNamespace.__init__) and callable(EventNamespace.emit_update), (
        "compat/redis_listeners.py: EventNamespace._token_manager / emit_update changed")


def test_redis_listeners_ensure_task_still_gives_up_after_repeated_errors():
    """Why the keeper exists: if Reflex's ensure_task stopped giving up, the keeper could go."""
    from reflex.utils.tasks import ensure_task

    assert inspect.signature(ensure_task).parameters["exception_limit"].default == 5, (
        "compat/redis_listeners.py: Reflex's ensure_task limit changed; check whether the keeper is still needed")
