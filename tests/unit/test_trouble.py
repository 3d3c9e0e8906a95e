"""The trouble core: which failures are the state store's, and what the browser is told to do."""

import pytest
from redis.exceptions import BusyLoadingError, ConnectionError as RedisConnectionError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from infoshare_widget.trouble import LOADED_KEY, SEQ_KEY, event_seq, is_store_failure, kind_of, signal


def _wrapped(inner: BaseException) -> Exception:
    try:
        try:
            raise inner
        except BaseException as exc:
            raise RuntimeError("while loading the state") from exc
    except RuntimeError as outer:
        return outer


@pytest.mark.parametrize(("exc", "store"), [
    (RedisConnectionError("Error 111 connecting"), True),
    (RedisTimeoutError("Timeout reading"), True),
    (BusyLoadingError("loading"), True),
    (_wrapped(RedisConnectionError("refused")), True),
    (ResponseError("WRONGTYPE"), False),
    (ValueError("bad payload"), False),
    (ConnectionRefusedError(), False),  # not through the store's client: not the store's failure
])
def test_store_failures_are_told_apart(exc, store):
    assert is_store_failure(exc) is store


@pytest.mark.parametrize(("router_data", "seq"), [
    ({SEQ_KEY: 7}, 7),
    ({SEQ_KEY: 1}, 1),
    ({SEQ_KEY: 0}, None),
    ({SEQ_KEY: -3}, None),
    ({SEQ_KEY: "7"}, None),
    ({SEQ_KEY: True}, None),
    ({SEQ_KEY: 2 ** 60}, None),
    ({}, None),
    (None, None),
])
def test_only_a_sensible_event_number_is_used(router_data, seq):
    assert event_seq(router_data) == seq


@pytest.mark.parametrize(("exc", "router_data", "kind"), [
    (RedisConnectionError(), {SEQ_KEY: 3}, "retry"),  # the store failed before the handler ran
    (RedisConnectionError(), {SEQ_KEY: 3, LOADED_KEY: True}, "unsure"),  # after the state loaded
    (ValueError(), {SEQ_KEY: 3}, "failed"),
    (ValueError(), {SEQ_KEY: 3, LOADED_KEY: True}, "failed"),
])
def test_what_the_browser_may_do(exc, router_data, kind):
    assert kind_of(exc, router_data) == kind


def test_the_signal_names_the_event_and_the_kind():
    assert signal(12, "retry") == "12:retry"
    assert signal(None, "failed") == "0:failed"
    with pytest.raises(ValueError):
        signal(1, "shrug")
