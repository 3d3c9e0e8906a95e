"""Benchmark: many practitioners at once over Reflex's socket.io, with a bare Reflex app in the same run.

The driver (bench/sio.py) speaks the protocol as the built frontend does. Each simulated user arrives
at an even spacing over RAMP seconds and stays connected until the run ends, so all N are connected
together at the end. Each user:
1. loads the page (GET of its HTML, gzip accepted; the scripts and styles are long-cached files that
   a proxy serves in production, see deploy/);
2. connects and hydrates (the hydrate event rides in the socket.io CONNECT packet, as in a browser);
3. changes page three times, a second apart (Reflex's on-load event: the widget's decide page, glossary
   and sign-in page; the bare app's two pages): this is "event" below;
4. one user in five then signs in with a password and records a decision.
Glossary typing sends nothing to the server (it runs in the browser), so there is no keystroke event
to time.

Printed per setup and N: failed page loads and connects, hydrate and event p50/p95, record and sign-in
p95 (a password check is deliberately slow: Argon2), hydrate reply bytes, and the server's CPU time per
event (every process of the server, read from /proc, over the run, divided by the events it answered).
Then the widget's medians as multiples of the bare app's at N=200.

Setups: the bare app; the widget on SQLite with one worker (the default); the widget on PostgreSQL
and Redis with two workers (where both answer). INFOSHARE_BENCH_USERS (default "200,500,1000") and
INFOSHARE_BENCH_RAMP (seconds, default 60) change the load.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.flowchart import percentile
from bench.sio import Build, Client, field_of, page_changed
from tests.support import ROOT, free_port, stop_reflex

BARE = ROOT / "bench" / "bare_app"
SIGN_IN_SHARE = 5  # one user in five signs in and records
PAGE_GAP = 1.0
TIMEOUT = 60.0
POSTGRES_ADMIN = os.environ.get("INFOSHARE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("INFOSHARE_BENCH_REDIS", "redis://127.0.0.1:6379/7")


@dataclass
class Figures:
    page_fail: int = 0
    connect_fail: int = 0
    event_fail: int = 0
    record_fail: int = 0
    hydrate: list[float] = field(default_factory=list)
    event: list[float] = field(default_factory=list)
    record: list[float] = field(default_factory=list)
    sign_in: list[float] = field(default_factory=list)
    hydrate_bytes: list[int] = field(default_factory=list)
    cpu_per_event_ms: float = 0.0
    finished: int = 0  # users whose steps are over


@dataclass(frozen=True)
class Target:
    """One running server and what its users do."""

    name: str
    url: str
    pgid: int
    build: Build
    pages: tuple[str, ...]
    records: bool


def _cpu_seconds(pgid: int) -> float:
    """User and system CPU time of every live process in the server's process group."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / tick


async def _user(target: Target, n: int, http: httpx.AsyncClient, figures: Figures, done: asyncio.Event) -> int:
    """One practitioner; the number of events the server answered for them."""
    try:
        response = await http.get(target.url + target.pages[0], headers={"Accept-Encoding": "gzip"})
        if response.status_code != 200:
            raise RuntimeError(response.status_code)
    except Exception:
        figures.page_fail += 1
        figures.finished += 1
        return 0
    return await _connected(target, n, figures, done, 1)


async def _connected(target: Target, n: int, figures: Figures, done: asyncio.Event, answered: int) -> int:
    client = Client(target.build, target.url, target.url, path=target.pages[0])
    try:
        try:
            figures.hydrate.append(await client.connect(TIMEOUT))
            figures.hydrate_bytes.append(client.hydrate_bytes)
            answered += 1
        except Exception:
            figures.connect_fail += 1
            figures.finished += 1
            await done.wait()
            return answered
        for step in range(3):
            await asyncio.sleep(PAGE_GAP)
            client.path = target.pages[(step + 1) % len(target.pages)]
            try:
                seconds, _ = await client.call("on_load_internal", {}, page_changed(client.path), TIMEOUT)
                figures.event.append(seconds)
                answered += 1
            except Exception:
                figures.event_fail += 1
        if target.records and n % SIGN_IN_SHARE == 0:
            client.path = "/"
            try:
                seconds, delta = await client.call(
                    "submit_sign_in",
                    {"form": {"organisation": "example-trust", "username": "sam", "password": "a long test password"}},
                    lambda d: field_of(d, "auth_state", "handoff") or field_of(d, "auth_state", "sign_in_error"),
                    TIMEOUT)
                secret = field_of(delta, "auth_state", "handoff")
                figures.sign_in.append(seconds)
                answered += 1
                if not secret:
                    raise RuntimeError(field_of(delta, "auth_state", "sign_in_error"))
                seconds, delta = await client.call(
                    "record_decision",
                    {"answers": {"immediate_danger": "no", "significant_harm": "yes"}, "walk": 1, "secret": secret,
                     "key": f"bench-{n}-{time.time_ns()}"},
                    lambda d: field_of(d, "record_state", "reference") or field_of(d, "record_state", "error"),
                    TIMEOUT)
                if not field_of(delta, "record_state", "reference"):
                    raise RuntimeError(field_of(delta, "record_state", "error"))
                figures.record.append(seconds)
                answered += 1
            except Exception:
                figures.record_fail += 1
        figures.finished += 1
        await done.wait()  # stay connected until everyone has arrived and finished
        return answered
    finally:
        with contextlib.suppress(Exception):
            await client.close()


async def _load(target: Target, users: int, ramp: float) -> Figures:
    figures = Figures()
    done = asyncio.Event()
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=TIMEOUT, limits=limits) as http:
        cpu_before = _cpu_seconds(target.pgid)
        started = time.perf_counter()
        tasks = []
        for n in range(users):
            delay = started + n * ramp / users - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(_user(target, n, http, figures, done)))
        # Everyone has arrived; when each has finished their steps, let them all go.
        while figures.finished < users and time.perf_counter() - started < ramp + 4 * TIMEOUT:
            await asyncio.sleep(0.25)
        answered = 0
        done.set()
        for result in await asyncio.gather(*tasks, return_exceptions=True):
            answered += result if isinstance(result, int) else 0
        cpu = _cpu_seconds(target.pgid) - cpu_before
    figures.cpu_per_event_ms = 1000 * cpu / max(1, answered)
    figures.finished = 0
    return figures


def _ms(values: list[float], pct: float) -> str:
    if not values:
        return "-"
    ms = 1000 * percentile(values, pct)
    return f"{ms:.1f}" if ms < 10 else f"{ms:,.0f}"


def _row(setup: str, users: int, f: Figures) -> str:
    hydrate_kb = sum(f.hydrate_bytes) / len(f.hydrate_bytes) / 1024 if f.hydrate_bytes else 0
    failures = (f"{f.page_fail}/{f.connect_fail}/{f.event_fail}/{f.record_fail}")
    return (f"| {setup} | {users:,} | {_ms(f.hydrate, 50)} | {_ms(f.hydrate, 95)} | {_ms(f.event, 50)} | "
            f"{_ms(f.event, 95)} | {_ms(f.record, 95)} | {_ms(f.sign_in, 95)} | {hydrate_kb:.1f} | "
            f"{f.cpu_per_event_ms:.1f} | {failures} |")


def _wait_ready(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url + "/ping", timeout=5).status_code == 200 and httpx.get(url + "/", timeout=30).status_code == 200:
                return
        time.sleep(1)
    raise RuntimeError(f"the server did not answer:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def _bare(folder: Path):
    """The bare app, built and served as `reflex run --env prod` does, on one port."""
    port = free_port()
    log = folder / "bare.log"
    env = {**os.environ, "REFLEX_TELEMETRY_ENABLED": "false", "REFLEX_CHECK_LATEST_VERSION": "false",
           "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{Path(sys.executable).parent}:{os.environ['PATH']}",
           "REFLEX_STATES_WORKDIR": str(folder / "bare-states")}
    env.pop("REFLEX_REDIS_URL", None)
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port",
                                    "--frontend-port", str(port), "--backend-port", str(port)],
                                   cwd=BARE, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://localhost:{port}"
    try:
        _wait_ready(url, process, log)
        yield Target("bare Reflex app", url, process.pid, Build.read(BARE / ".web"), ("/", "/other"), False)
    finally:
        stop_reflex(process)


@contextlib.contextmanager
def _widget(folder: Path, name: str, env: dict[str, str]):
    from tests.e2e.conftest import running_widget

    with running_widget(folder, "http://127.0.0.1:9", env, own_build=True) as started:
        build = Build.read(folder / "web", ("submit_sign_in", "record_decision"))
        yield Target(name, started.url, started.process.pid, build, ("/", "/glossary", "/sign-in"), True)


def _postgres_database(name: str) -> str | None:
    """A fresh PostgreSQL database for the run, or None where PostgreSQL does not answer."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        print(f"(PostgreSQL not reachable at {POSTGRES_ADMIN}: {exc}; its rows are left out)")
        return None
    return POSTGRES_ADMIN.replace("postgresql://", "postgresql+psycopg://").rsplit("/", 1)[0] + f"/{name}"


def _redis_up() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
        return True
    except Exception as exc:
        print(f"(Redis not reachable at {REDIS_URL}: {exc}; the PostgreSQL + Redis rows are left out)")
        return False


def main() -> None:
    users = [int(n) for n in os.environ.get("INFOSHARE_BENCH_USERS", "200,500,1000").split(",")]
    ramp = float(os.environ.get("INFOSHARE_BENCH_RAMP", "60"))
    print(f"N users arriving evenly over {ramp:.0f} s, all connected at the end; each loads the page, "
          f"hydrates, changes page 3 times a second apart; 1 in {SIGN_IN_SHARE} signs in and records.")
    print("Failures: page loads / connects / page changes / records. CPU: server ms per answered event.\n")
    print("| setup | N | hydrate p50 ms | hydrate p95 | event p50 | event p95 | record p95 | sign-in p95 | "
          "hydrate KB | CPU ms/event | failures |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    results: dict[tuple[str, int], Figures] = {}
    with tempfile.TemporaryDirectory(prefix="infoshare-load-") as tmp:
        folder = Path(tmp)
        setups = [("bare Reflex app", lambda: _bare(folder), [200]),
                  ("widget, SQLite, 1 worker", lambda: _widget(folder / "sqlite", "sqlite", {}), users)]
        if _redis_up() and (database := _postgres_database("infoshare_bench")):
            setups.append(("widget, PostgreSQL + Redis, 2 workers", lambda: _widget(
                folder / "pg", "pg", {"REFLEX_DB_URL": database, "REFLEX_REDIS_URL": REDIS_URL,
                                      "GRANIAN_WORKERS": "2"}), users))
        for setup, start, counts in setups:
            (folder / "sqlite").mkdir(exist_ok=True)
            (folder / "pg").mkdir(exist_ok=True)
            with start() as target:
                for n in counts:
                    figures = asyncio.run(_load(target, n, ramp))
                    results[setup, n] = figures
                    print(_row(setup, n, figures), flush=True)
    bare, widget = results.get(("bare Reflex app", 200)), results.get(("widget, SQLite, 1 worker", 200))
    if bare and widget and bare.hydrate and bare.event and widget.hydrate and widget.event:
        print(f"\nAt N=200, the widget against the bare app (target: at most 2 times): hydrate median "
              f"{percentile(widget.hydrate, 50) / percentile(bare.hydrate, 50):.2f} times, event median "
              f"{percentile(widget.event, 50) / percentile(bare.event, 50):.2f} times, server CPU per event "
              f"{widget.cpu_per_event_ms / max(bare.cpu_per_event_ms, 0.001):.2f} times.")


if __name__ == "__main__":
    main()
