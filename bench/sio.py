"""A Reflex client over socket.io, speaking the protocol as the built frontend does.

What a browser would send is read from the build in `.web`, not written here: the boot event and the
state hashes from utils/context.jsx, the Reflex version (sent as the websocket subprotocol) from
reflex.json, the event endpoint from env.json, and each handler's full name from the compiled pages.
Engine.IO 4 and Socket.IO 5 over a websocket: open, CONNECT to the namespace with the hydrate event in
its auth (as state.js's bootAuth does), answer pings, emit "event" packets, read "event" updates.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import websockets


@dataclass(frozen=True)
class Build:
    """What the built frontend sends, read from its files."""

    version: str
    boot_event: str
    hashes: list[str]
    state_schema: str
    namespace: str
    handlers: dict[str, str]

    @classmethod
    def read(cls, web: Path, wanted: tuple[str, ...] = ()) -> Build:
        context = (web / "utils" / "context.jsx").read_text()
        boot = re.search(r"return \[ReflexEvent\('([^']+)', payload\)\]", context)
        hashes = re.search(r"export const initialStateHashes = (\[.*?\])", context)
        schema = re.search(r'export const stateSchema = "([0-9a-f]+)"', context)
        if not (boot and hashes and schema):
            raise RuntimeError(f"{web}/utils/context.jsx does not look like a Reflex 0.10 build")
        on_load = re.search(r"ReflexEvent\('([^']+\.on_load_internal)'\)", context)
        if not on_load:
            raise RuntimeError(f"no on_load_internal event in {web}/utils/context.jsx")
        env = json.loads((web / "env.json").read_text())
        pages = "\n".join(p.read_text() for folder in ("app", "app_components") for p in (web / folder).rglob("*.jsx"))
        handlers = {"on_load_internal": on_load.group(1)}
        for short in wanted:
            found = re.search(r'"(reflex___state____state[\w.]*\.' + re.escape(short) + r')"', pages)
            if not found:
                raise RuntimeError(f"no handler ending .{short} in the compiled pages")
            handlers[short] = found.group(1)
        return cls(version=json.loads((web / "reflex.json").read_text())["version"], boot_event=boot.group(1),
                   hashes=json.loads(hashes.group(1)), state_schema=schema.group(1),
                   namespace=urlsplit(env["EVENT"]).path, handlers=handlers)


class Refused(Exception):
    """The server refused the socket.io connection (its CONNECT_ERROR packet)."""


@dataclass
class Client:
    """One browser tab's socket: connect (hydrating on the way), send events, wait for updates."""

    build: Build
    url: str  # http(s)://host:port of the widget, or of the proxy in front of it
    origin: str
    path: str = "/"
    token: str = field(default_factory=lambda: str(uuid.uuid4()))
    updates: asyncio.Queue = field(default_factory=asyncio.Queue)
    hydrate_bytes: int = 0
    seq: int = 0
    # Where the connection comes from (a loopback address such as 127.0.0.7, so a test can tell
    # clients apart), headers to add to the handshake, and whether to check a wss certificate.
    local_address: str | None = None
    headers: dict[str, str] | None = None
    verify_tls: bool = True
    _socket: object = None
    _reader: asyncio.Task | None = None

    def _router_data(self) -> dict:
        # Each event numbered as assets/trouble.js numbers it, so a failure names the event.
        self.seq += 1
        return {"pathname": self.path, "asPath": self.path, "infoshare_seq": self.seq}

    async def connect(self, timeout: float = 60) -> float:
        """Open the socket with the hydrate event in the CONNECT packet, as a first page load does;
        return the seconds until the page is live (the update that sets is_hydrated, after which the
        browser takes clicks). hydrate_bytes: the size of every update until then."""
        parts = urlsplit(self.url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.updates, self.hydrate_bytes, self.seq = asyncio.Queue(), 0, 0
        address = f"{scheme}://{parts.netloc}{self.build.namespace}/?EIO=4&transport=websocket&token={self.token}"
        started = time.perf_counter()
        extra: dict = {}
        if self.local_address:
            extra["local_addr"] = (self.local_address, 0)
        if scheme == "wss" and not self.verify_tls:
            import ssl

            extra["ssl"] = ssl._create_unverified_context()  # the test's own certificate
        self._socket = await asyncio.wait_for(websockets.connect(
            address, subprotocols=[self.build.version], origin=self.origin, max_size=2 ** 24,
            open_timeout=timeout, ping_interval=None, compression=None, additional_headers=self.headers,
            **extra), timeout)
        opened = await asyncio.wait_for(self._socket.recv(), timeout)
        if not opened.startswith("0"):
            raise RuntimeError(f"expected an Engine.IO open packet, got {opened[:40]!r}")
        boot = {"name": self.build.boot_event, "payload": {"hashes": self.build.hashes},
                "router_data": self._router_data()}
        await self._socket.send(f"40{self.build.namespace},"
                                + json.dumps({"event": boot, "state_schema": self.build.state_schema}))
        self._reader = asyncio.create_task(self._read())
        deadline = started + timeout
        while True:
            update = await self.next_update(max(0.001, deadline - time.perf_counter()))
            self.hydrate_bytes += update["_bytes"]
            if field_of(update.get("delta") or {}, "", "is_hydrated"):
                return time.perf_counter() - started

    async def _read(self) -> None:
        prefix = f"42{self.build.namespace},"
        try:
            async for message in self._socket:
                if message == "2":
                    await self._socket.send("3")
                elif message.startswith(prefix):
                    name, update = json.loads(message[len(prefix):])
                    if name == "event":
                        update["_bytes"] = len(message.encode())
                        await self.updates.put(update)
                elif message.startswith(f"44{self.build.namespace}"):
                    await self.updates.put(Refused(message))
        except websockets.ConnectionClosed:
            pass
        await self.updates.put(ConnectionError("the socket closed"))

    async def next_update(self, timeout: float) -> dict:
        update = await asyncio.wait_for(self.updates.get(), timeout)
        if isinstance(update, Exception):
            raise update
        return update

    async def emit(self, handler: str, payload: dict, retry: bool = False) -> int:
        """Send an event; its number."""
        event = {"name": self.build.handlers.get(handler, handler), "payload": payload,
                 "router_data": self._router_data()}
        if retry:
            event["router_data"]["infoshare_retry"] = True
        await self._socket.send(f"42{self.build.namespace}," + json.dumps(["event", event]))
        return self.seq

    @property
    def connected(self) -> bool:
        return self._socket is not None and self._reader is not None and not self._reader.done()

    async def call(self, handler: str, payload: dict, until, timeout: float = 60) -> tuple[float, dict]:
        """Send an event and wait for the update that `until(delta)` accepts; (seconds, delta)."""
        started = time.perf_counter()
        await self.emit(handler, payload)
        deadline = started + timeout
        while True:
            update = await self.next_update(max(0.001, deadline - time.perf_counter()))
            delta = update.get("delta") or {}
            if until(delta):
                return time.perf_counter() - started, delta

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)


def page_changed(path: str):
    """An `until` for a page change: the update that moves the router to path."""
    route = "/index" if path == "/" else path  # Reflex names the root route "/index"
    return lambda delta: field_of(delta, "", "rx_router_route_id") == route


def field_of(delta: dict, state_suffix: str, name: str):
    """A var's new value in a delta, from the substate whose full name ends with state_suffix."""
    for state, values in delta.items():
        if state.endswith(state_suffix) and f"{name}_rx_state_" in values:
            return values[f"{name}_rx_state_"]
    return None
