"""Contract tests for infoshare_widget/compat/ and assets/compat/: each fails, naming the workaround
and its file, when Reflex, React Router, Granian (or redis-py) no longer behave the way the workaround
relies on. The ones that need a live Redis are in tests/db/test_compat_redis.py; the ones that need
the built page or the running server are in tests/e2e (test_phone.py's first-paint contract,
test_faults.py's worker replaced). Checked against reflex 0.10.1, granian 2.8.9, redis-py 7.4.1."""

from __future__ import annotations

import inspect

import pytest
import reflex as rx

from infoshare_widget.compat.not_kept import NotKept, not_kept
from tests.support.coroutines import run_coroutine


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


# -- compat/not_kept.py ------------------------------------------------------------------------------

CANARY = "canary-9f1c-never-kept"


@not_kept("canary")
class CanaryState(NotKept, rx.State):
    """A state holding a canary the way the records states hold a record's content."""

    canary: str = ""
    kept: str = ""

    def take(self, value: str):
        self.kept = value


def test_not_kept_a_canary_is_sent_once_and_never_pickled():
    """compat/not_kept.py: the canary reaches the browser in the delta, and the pickle Reflex stores
    (disk or Redis) never holds it, before or after the delta."""
    root = rx.State(_reflex_internal_init=True)
    state = root.substates[CanaryState.get_name()]
    state.canary, state.kept = CANARY, "kept-value"
    assert CANARY.encode() not in state._serialize(), (
        "compat/not_kept.py: a state's pickle holds a @not_kept var: Reflex no longer pickles through __getstate__")
    assert b"kept-value" in state._serialize(), "compat/not_kept.py: the test's own kept var is not pickled"
    sent = root.get_delta().get(CanaryState.get_full_name(), {})
    assert CANARY in sent.values(), (
        "compat/not_kept.py: the @not_kept var is no longer in the delta: Reflex no longer builds it through get_delta")
    assert state.canary == "" and state.kept == "kept-value", (
        "compat/not_kept.py: the var was not put back to its default once sent")
    assert CANARY.encode() not in state._serialize()
    # The state managers store exactly what _serialize gives.
    from reflex.istate.manager.token import BaseStateToken

    assert "state._serialize()" in inspect.getsource(BaseStateToken.serialize), (
        "compat/not_kept.py: Reflex's state managers no longer pickle a state through _serialize")


def test_not_kept_reflex_honours_the_override_marker():
    """compat/not_kept.py marks its get_delta and __getstate__ with __override_base_method__: Reflex
    must still take an unmarked public method for an event handler, and a marked one for a method."""
    from reflex.state import BaseState

    def get_delta(self):
        return {}

    assert BaseState._item_is_event_handler("get_delta", get_delta), (
        "compat/not_kept.py: Reflex no longer turns a state's public methods into event handlers; "
        "the __override_base_method__ marks may be unneeded")
    get_delta.__override_base_method__ = True
    assert not BaseState._item_is_event_handler("get_delta", get_delta), (
        "compat/not_kept.py: Reflex ignores __override_base_method__: NotKept.get_delta would become an event handler")
    assert "get_delta" not in CanaryState.event_handlers and "__getstate__" not in CanaryState.event_handlers
    assert callable(getattr(BaseState, "get_delta", None)) and callable(getattr(BaseState, "__getstate__", None)), (
        "compat/not_kept.py: BaseState.get_delta or __getstate__ is gone")


# -- compat/browser_values.py ------------------------------------------------------------------------

def _hooks_and_imports(var) -> tuple[set[str], dict[str, set[str]]]:
    data = var._get_all_var_data()
    return set(data.hooks), {module: {i.tag for i in names} for module, names in data.imports}


def test_browser_values_render_as_the_expression_given():
    """compat/browser_values.py: a Var made from JavaScript text is that text where it is used."""
    from infoshare_widget.compat.browser_values import ATTEMPT, SESSION, js_value

    assert str(SESSION) == "(window.infoshareSession?.get() ?? '')", "compat/browser_values.py: SESSION renders otherwise"
    assert str(ATTEMPT) == "(window.infoshareAttempt ?? '')", "compat/browser_values.py: ATTEMPT renders otherwise"
    assert str(js_value("window.x(1)").to(str)) == "window.x(1)"
    # As an event argument, in the page: the expression itself, evaluated when the event is sent.
    button = rx.el.button(on_click=CanaryState.take(SESSION))
    assert "(window.infoshareSession?.get() ?? '')" in str(button), (
        "compat/browser_values.py: an event argument made from JavaScript text is not written as that text")


def test_browser_values_carry_their_hooks_and_imports():
    """compat/browser_values.py: what a value needs in the page component (a hook, an import) goes with
    it, and with every Var made from it, into the component that uses it."""
    from infoshare_widget.compat.browser_values import js_value

    base = js_value("flowWalk", hooks=["const flowWalk = useWalk()"], imports={"$/public/flow-react.js": ["useWalk"]})
    derived = js_value("(f(flowWalk))", uses=[base.to(int), CanaryState.kept]).to(str)
    hooks, imports = _hooks_and_imports(derived)
    assert "const flowWalk = useWalk()" in hooks, "compat/browser_values.py: a value's hook is lost"
    assert imports.get("$/public/flow-react.js") == {"useWalk"}, "compat/browser_values.py: a value's import is lost"
    component = rx.el.span(data_x=derived)
    assert "const flowWalk = useWalk()" in component._get_all_hooks(), (
        "compat/browser_values.py: the hook does not reach the component that uses the value")
    assert "$/public/flow-react.js" in component._get_all_imports()


def test_browser_values_effect_runs_the_call_when_the_value_changes():
    """compat/browser_values.py's effect_marker (components/browser.py's on_change): a React effect,
    keyed on the value, in the component; with add_events, Reflex's addEvents is in reach."""
    from infoshare_widget.compat.browser_values import effect_marker

    marker = effect_marker("window.f?.(x, addEvents);", CanaryState.kept, add_events=True)
    hooks, imports = _hooks_and_imports(marker)
    assert str(marker) == "''"
    assert any(h.startswith("useEffect(() => { window.f?.(x, addEvents); }, [JSON.stringify(") for h in hooks), (
        "compat/browser_values.py: the effect hook is not there")
    assert "useEffect" in imports.get("react", set()), "compat/browser_values.py: useEffect is not imported"
    assert "addEvents" in imports.get("$/utils/context", set()), (
        "compat/browser_values.py: Reflex's addEvents no longer comes from $/utils/context (Imports.EVENTS)")
    from reflex_base.compiler import templates

    assert "export function addEvents(" in inspect.getsource(templates), (
        "compat/browser_values.py: Reflex's context module no longer exports addEvents for a hook to call")


# -- compat/react_router.py --------------------------------------------------------------------------

def test_react_router_link_renders_react_router_s_link():
    """compat/react_router.py: router_link is React Router's Link, as a plain <a> with our props."""
    from infoshare_widget.compat.react_router import router_link

    component = router_link("Records", to="/records", class_name="back-link", **{"aria-current": "page"})
    rendered = str(component)
    assert "ReactRouterLink" in rendered and 'to:"/records"' in rendered, (
        f"compat/react_router.py: the link renders otherwise: {rendered}")
    assert 'className:"back-link"' in rendered and '"aria-current":"page"' in rendered
    imports = {module: {(i.tag, i.alias) for i in names} for module, names in component._get_all_imports().items()}
    assert ("Link", "ReactRouterLink") in imports.get("react-router", set()), (
        "compat/react_router.py: the link is no longer React Router's Link")


def test_react_router_route_param_reads_use_params():
    """compat/react_router.py: route_param reads React Router's useParams in the page component."""
    from infoshare_widget.compat.react_router import route_param

    param = route_param("record_id")
    hooks, imports = _hooks_and_imports(param)
    assert str(param) == "(infoshareRouteParams['record_id'] ?? '')"
    assert hooks == {"const infoshareRouteParams = useParams();"} and imports == {"react-router": {"useParams"}}, (
        "compat/react_router.py: route_param no longer brings useParams")


# -- compat/event_context.py -------------------------------------------------------------------------

def test_event_context_sends_a_var_to_the_tab_without_the_store():
    """compat/event_context.py: inside an event, a var's value goes straight to the tab's socket, keyed
    exactly as Reflex keys that var in its own deltas; outside an event there is no tab."""
    import asyncio

    from reflex_base.event.context import EventContext

    from infoshare_widget.compat.event_context import current_tab, var_update

    # The key Reflex itself uses for the var in a delta.
    root = rx.State(_reflex_internal_init=True)
    root.substates[CanaryState.get_name()].kept = "x"
    assert var_update(CanaryState, "kept", "x") == {CanaryState.get_full_name(): root.get_delta()[
        CanaryState.get_full_name()]}, "compat/event_context.py: Reflex keys a var's update otherwise (FIELD_MARKER)"

    sent = []

    async def emit(token, delta):
        sent.append((token, delta))

    async def inside():
        assert current_tab() is None, "compat/event_context.py: a tab outside any event"
        context = EventContext(token="tab-1", state_manager=None, enqueue_impl=None, emit_delta_impl=emit,
                               router_data={"infoshare_seq": 4})
        with context:
            tab = current_tab()
            assert tab is not None and tab.router_data == {"infoshare_seq": 4}, (
                "compat/event_context.py: EventContext.get() no longer gives the event's context")
            await tab.send(CanaryState, "kept", "1:done")
            tab.send_soon(CanaryState, "kept", "2:retry")
            await asyncio.sleep(0)

    run_coroutine(inside())
    assert sent == [("tab-1", var_update(CanaryState, "kept", "1:done")),
                    ("tab-1", var_update(CanaryState, "kept", "2:retry"))], (
        "compat/event_context.py: EventContext.emit_delta no longer sends the update to the event's tab")


def test_event_context_router_data_is_the_event_s():
    """compat/event_context.py: the router data in the event's context is the event's own dict, so
    the mark made once the state is loaded is seen by the exception handler."""
    from reflex_base.event.processor import event_processor

    source = inspect.getsource(event_processor)
    assert "router_data=event.router_data" in source, (
        "compat/event_context.py: Reflex no longer binds the event's router_data to its context; "
        "trouble's 'unsure' mark may not reach the exception handler")


def test_event_context_middleware_runs_once_the_state_is_loaded():
    """compat/event_context.py's when_state_loaded: Reflex calls middleware's preprocess, with the
    event, inside its hold on the tab's loaded state and before the handler."""
    from reflex.app_mixins.middleware import MiddlewareMixin
    from reflex_base.event.processor.base_state_processor import BaseStateEventProcessor

    source = inspect.getsource(BaseStateEventProcessor._execute_event)
    held, pre, run = (source.find("modify_state_with_links("), source.find("_preprocess(state, event)"),
                      source.find("await process_event("))
    assert 0 <= held < pre < run, (
        "compat/event_context.py: Reflex no longer runs middleware after loading the state and before "
        "the handler (when_state_loaded)")
    assert "middleware.preprocess(app=self, state=state, event=event)" in inspect.getsource(MiddlewareMixin._preprocess)


def test_event_context_handlers_marked_by_the_names_the_browser_sends():
    """compat/event_context.py's handlers_marked: by the very names Reflex gives the events."""
    from reflex_base.utils.format import format_event_handler

    import infoshare_widget.infoshare_widget  # noqa: F401 - the app, with every state defined
    from infoshare_widget.compat.event_context import handlers_marked

    found = handlers_marked("infoshare_watch")
    assert len(found) >= 10, f"compat/event_context.py: handlers_marked found {len(found)} handlers"
    by_name = {}
    pending = [rx.State]
    while pending:
        state = pending.pop()
        pending.extend(state.get_substates())
        for handler in state.event_handlers.values():
            by_name[format_event_handler(handler)] = handler
    for name in found:
        assert name in by_name, f"compat/event_context.py: Reflex names the event {name!r} otherwise"
        assert getattr(by_name[name].fn, "infoshare_watch", None) == found[name]


def test_event_context_reflex_s_default_handler_logs_and_returns_its_toast(caplog):
    """compat/event_context.py's log_like_reflex: Reflex's default backend handler logs the error with
    its traceback, and replies with a toast (which the widget drops: its page would refuse to run it)."""
    import logging

    from reflex.app import default_backend_exception_handler
    from reflex_base.event import EventSpec

    try:
        raise ValueError("compat-canary-error")
    except ValueError as exc:
        error = exc
    with caplog.at_level(logging.ERROR):
        reply = default_backend_exception_handler(error)
    assert "compat-canary-error" in caplog.text and "Traceback" in caplog.text, (
        "compat/event_context.py: Reflex's default handler no longer logs the error with its traceback")
    assert isinstance(reply, EventSpec), "compat/event_context.py: Reflex's default handler replies otherwise"


# -- compat/server.py --------------------------------------------------------------------------------

def test_server_reflex_looks_up_granian_s_server_class_when_it_runs():
    """compat/server.py replaces granian.server.Server: Reflex must import it inside the function that
    starts the production server, when it runs (not once, when the module is loaded)."""
    from reflex.utils import exec as reflex_exec

    source = inspect.getsource(reflex_exec.run_granian_backend_prod)
    assert "from granian.server import Server" in source and "respawn_failed_workers" not in source, (
        "compat/server.py: Reflex no longer imports granian.server.Server when it starts the server, "
        "or now sets respawn_failed_workers itself")
    assert not hasattr(reflex_exec, "Server") and not hasattr(reflex_exec, "Granian")


def test_server_granian_respawns_failed_workers_when_asked(monkeypatch):
    """compat/server.py: Granian's server takes respawn_failed_workers, and the class is replaced."""
    import granian.server

    from infoshare_widget.compat import server

    monkeypatch.setattr(granian.server, "Server", granian.server.Server)
    assert "respawn_failed_workers" in inspect.signature(granian.server.Server.__init__).parameters, (
        "compat/server.py: Granian's server no longer takes respawn_failed_workers")
    assert "if not self.respawn_failed_workers:" in inspect.getsource(granian.server.Server._serve_loop), (
        "compat/server.py: Granian's serve loop no longer respawns workers by respawn_failed_workers")
    server.respawn_failed_workers()
    assert granian.server.Server is server.RespawningServer
    made = server.RespawningServer(target="infoshare_widget.infoshare_widget:app", factory=True)
    assert made.respawn_failed_workers is True, "compat/server.py: the replaced server does not respawn workers"


def test_server_reflex_writes_its_run_time_through_one_function(monkeypatch):
    """compat/server.py turns off prerequisites.set_last_reflex_run_time: it must be the only place
    Reflex writes the run's time, called through the module (so the replacement is the one called)."""
    import pathlib

    import reflex
    from reflex.utils import build, prerequisites

    from infoshare_widget.compat import server

    writers = [path.relative_to(pathlib.Path(reflex.__file__).parent).as_posix()
               for path in pathlib.Path(reflex.__file__).parent.rglob("*.py")
               if "last_reflex_run_datetime" in path.read_text(encoding="utf-8")]
    assert writers == ["utils/prerequisites.py"], f"compat/server.py: Reflex writes its run time in {writers}"
    assert "prerequisites.set_last_reflex_run_time()" in inspect.getsource(build.setup_frontend), (
        "compat/server.py: Reflex no longer writes its run time through prerequisites.set_last_reflex_run_time")
    monkeypatch.setattr(prerequisites, "set_last_reflex_run_time", prerequisites.set_last_reflex_run_time)
    server.same_build_everywhere()
    assert prerequisites.set_last_reflex_run_time() is None
    assert callable(getattr(__import__("reflex.reflex", fromlist=["cli"]), "cli", None)), (
        "compat/server.py: Reflex's command line (reflex.reflex.cli) is gone")


# -- compat/web_build.py -----------------------------------------------------------------------------

def test_web_build_static_dir_is_where_reflex_builds_its_pages():
    """compat/web_build.py: the folder first_paint reads stylesheets from is the one Reflex serves
    the built pages from."""
    from reflex.utils import exec as reflex_exec
    from reflex.utils import prerequisites
    from reflex_base import constants

    from infoshare_widget.compat.web_build import static_dir

    source = inspect.getsource(reflex_exec.get_frontend_mount)
    assert "prerequisites.get_web_dir()" in source and "constants.Dirs.STATIC" in source, (
        "compat/web_build.py: Reflex serves its built pages from another folder")
    assert static_dir() == prerequisites.get_web_dir() / constants.Dirs.STATIC


# -- assets/compat/reflex.js -------------------------------------------------------------------------

def _reflex_state_js() -> str:
    from pathlib import Path

    import reflex_base

    return (Path(reflex_base.__file__).parent / ".templates" / "web" / "utils" / "state.js").read_text(encoding="utf-8")


def test_reflex_js_reflex_calls_the_send_hook_after_router_data_and_before_the_socket():
    """assets/compat/reflex.js takes over window.__reflex_otel.onEventSend: Reflex's frontend must call
    it with each event (the socket's hydrate event too) after filling in its router_data and before
    sending it, so what the hook adds to router_data reaches the server."""
    source = _reflex_state_js()
    send = source.find("window.__reflex_otel?.onEventSend?.(routed_event);")
    assert send > 0, "assets/compat/reflex.js: Reflex's frontend no longer calls window.__reflex_otel.onEventSend"
    assert source.rfind("withRouterData(", 0, send) > source.rfind("\n};", 0, send), (
        "assets/compat/reflex.js: the hook is no longer called after router_data is filled in")
    assert source.find('socket.emit("event", encodeFormDataArgs(routed_event));', send) - send < 120, (
        "assets/compat/reflex.js: the hook is no longer called just before the socket sends the event")
    assert "window.__reflex_otel?.onEventSend?.(boot_event);" in source, (
        "assets/compat/reflex.js: the socket's hydrate event no longer goes through the hook")
    from reflex_base.event import Event

    assert "router_data" in {f.name for f in __import__("dataclasses").fields(Event)}, (
        "assets/compat/reflex.js: the server's Event has no router_data")


def test_reflex_js_reflex_keeps_the_tab_token_in_session_storage_under_token():
    """assets/compat/reflex.js's forgetTab removes sessionStorage's "token": Reflex's own key for the tab."""
    source = _reflex_state_js()
    assert 'const TOKEN_KEY = "token";' in source and "window.sessionStorage.getItem(TOKEN_KEY)" in source, (
        "assets/compat/reflex.js: Reflex keeps the tab's token elsewhere; Exit this page would not forget it")


def test_reflex_js_add_events_takes_a_name_and_payload():
    """assets/compat/reflex.js's again() makes { name, payload }: the shape of Reflex's own events."""
    source = _reflex_state_js()
    assert "export const ReflexEvent = (\n  name,\n  payload = {}," in source and "const e = { name };" in source, (
        "assets/compat/reflex.js: Reflex's events are no longer { name, payload }")
