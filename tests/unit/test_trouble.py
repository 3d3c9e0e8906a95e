"""The trouble core: which failures are the state store's, and what the browser is told to do."""

import pytest
from redis.exceptions import BusyLoadingError, ConnectionError as RedisConnectionError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from infoshare_widget.components.trouble import LOADED_KEY, SEQ_KEY, event_seq, is_store_failure, kind_of, signal


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


def test_the_events_the_page_waits_on_are_watched_and_how():
    """Every save, sign-in step and admin action is marked @answered; a save (keyed) may be sent again by
    the page's watchdog, an admin action or a password reset only asks the person to check."""
    import infoshare_widget.infoshare_widget  # noqa: F401 - the app, with every state defined
    from infoshare_widget.components.trouble.state import watched_events

    watched = {name.rsplit(".", 2)[-2].split("____")[-1] + "." + name.rsplit(".", 1)[-1]: mode
               for name, mode in watched_events().items()}
    assert {k: v for k, v in watched.items() if v == "resend"} == {
        "record_state.record_decision": "resend", "record_state.sign_in_and_record": "resend",
        # A decision held offline, sent when back online: keyed like record_decision.
        "record_state.record_held": "resend",
        "details_state.save": "resend", "records_state.mark_follow_up": "resend",
        "auth_state.submit_sign_in": "resend", "second_factor_state.submit_code": "resend",
        "second_factor_state.confirm_set_up": "resend",
        # Marking seen and the alert setting can be sent twice safely: the first mark stands, and the
        # setting is a value, not a switch.
        "attention_state.mark_seen": "resend", "attention_state.set_alerts": "resend"}
    assert {k for k, v in watched.items() if v == "check"} == {
        "reset_password_state.submit", *(f"admin_state.{n}" for n in (
            "create_account", "change_level", "set_active", "reset_password", "reset_second_factor", "create_key",
            "revoke_key", "set_retention", "hand_over_code", "set_email"))}


def test_an_answered_handler_keeps_its_signature_and_its_outcome():
    import asyncio
    import inspect
    from concurrent.futures import ThreadPoolExecutor

    from infoshare_widget.components.trouble.state import answered

    @answered("resend")
    async def fails(self, secret: str, form: dict):
        raise LookupError("the handler failed")

    @answered("check")
    async def works(self, secret: str, form: dict):
        return "result"

    assert list(inspect.signature(fails).parameters) == ["self", "secret", "form"]
    assert (fails.infoshare_watch, works.infoshare_watch) == ("resend", "check")
    # No event context here: nothing to tell the browser, and the handler's own result or error stands
    # (a failure is answered by the backend exception handler's signal instead).
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, works(None, "s", {})).result() == "result"
        with pytest.raises(LookupError, match="the handler failed"):
            pool.submit(asyncio.run, fails(None, "s", {})).result()
    with pytest.raises(ValueError):
        answered("maybe")
