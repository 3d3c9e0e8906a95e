"""compat/ against a real Redis of the test's own: a frozen Redis fails a command within the bound;
pub/sub on a bounded client waits for as long as there is nothing to hear; a listener Reflex gave up
on is started again."""

from __future__ import annotations

import asyncio
import time

import pytest
from redis.asyncio import Redis
from redis.exceptions import TimeoutError as RedisTimeoutError

from infoshare_widget.compat.redis_bounds import bound
from tests.support import private_redis
from tests.support.coroutines import run_coroutine


@pytest.fixture
def redis():
    with private_redis() as server:
        yield server


def test_a_frozen_redis_fails_a_command_and_a_pipeline_within_the_bound(redis):
    async def go():
        client = bound(Redis.from_url(redis.url), 0.5)
        try:
            await client.set("k", "v")
            redis.freeze()
            try:
                for attempt in (client.get("k"), client.pipeline().get("k").set("k", "w").execute()):
                    started = time.monotonic()
                    with pytest.raises(RedisTimeoutError):
                        await attempt
                    assert time.monotonic() - started < 2
            finally:
                redis.thaw()
            assert await client.get("k") == b"v"  # the client works again once Redis does
        finally:
            await client.aclose()

    run_coroutine(go())


def test_pub_sub_on_a_bounded_client_waits_past_the_bound(redis):
    async def go():
        client = bound(Redis.from_url(redis.url), 0.3)
        try:
            async with client.pubsub() as pubsub:
                await pubsub.subscribe("news")
                await pubsub.get_message(timeout=1)  # the subscribe confirmation
                assert await pubsub.get_message(timeout=1.2) is None  # quiet for 4 bounds: no error
                await client.publish("news", "hello")
                message = await pubsub.get_message(timeout=2)
                assert message and message["data"] == b"hello"
        finally:
            await client.aclose()

    run_coroutine(go())


def test_a_listener_reflex_gave_up_on_is_started_again(redis):
    """compat/redis_listeners.restart_stopped on Reflex's real state manager and token manager."""
    from reflex.istate.manager.redis import StateManagerRedis
    from reflex.utils.token_manager import RedisTokenManager

    from infoshare_widget.compat.redis_listeners import restart_stopped

    async def go():
        manager = StateManagerRedis(redis=bound(Redis.from_url(redis.url), 1.0))
        tokens = RedisTokenManager(bound(Redis.from_url(redis.url), 1.0))

        class Namespace:
            _token_manager = tokens

            async def emit_update(self, update, token):
                return None

        class App:
            state_manager = manager
            event_namespace = Namespace()

        async def gave_up():
            raise ConnectionError("gave up after five errors")

        for owner, name in ((manager, "_lock_task"), (tokens, "_socket_record_task"), (tokens, "_lost_and_found_task")):
            task = asyncio.create_task(gave_up())
            await asyncio.gather(task, return_exceptions=True)
            setattr(owner, name, task)
        assert restart_stopped(App()) == ["state locks", "socket records", "lost and found"]
        for task in (manager._lock_task, tokens._socket_record_task, tokens._lost_and_found_task):
            assert not task.done()
        assert restart_stopped(App()) == []  # running: left alone
        for task in (manager._lock_task, tokens._socket_record_task, tokens._lost_and_found_task):
            task.cancel()
        await asyncio.gather(manager._lock_task, tokens._socket_record_task, tokens._lost_and_found_task,
                             return_exceptions=True)
        await manager.redis.aclose()
        await tokens.redis.aclose()

    run_coroutine(go())
