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

Printed per setup and N: failed page loads, connects, page changes and records; hydrate and event
p50/p95; record and sign-in p95 (a password check is deliberately slow: Argon2); hydrate reply bytes;
and the server's CPU (every process of the server, read from /proc): per page load and per password
sign-in, each measured alone before the run (100 loads, 10 sign-ins, one after another), and per
other socket event (hydrate, page change, record): the rest of the run's CPU divided by those events. Then the widget's medians as multiples of the bare app's at N=200.

Both apps are started the same way (harness/server.py start_reflex: `reflex run --env prod` through the
widget's launcher). Setups: the bare app; the widget on SQLite with one worker (the default); the
widget on PostgreSQL and Redis with two workers (where both answer). INFOSHARE_BENCH_USERS (default
"200,500,1000") and INFOSHARE_BENCH_RAMP (seconds, default 60) change the load.

Two more modes (INFOSHARE_BENCH_LOAD, default "spread,burst,nginx"): burst, 200 users arriving at 50
a second against the widget as `make run` starts it and the bare app, each a cold visit fetching the
page and every script and style from the Python server; and nginx, 1,000 arriving at 100 a second
over https to two instances behind nginx (deploy/), which serves the scripts and styles itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench import browser_http, practitioner
from bench.flowchart import percentile
from bench.sio import Build, Client, page_changed
from harness.processes import group_cpu_seconds
from harness.server import ROOT, start_reflex, stop_reflex

BARE = ROOT / "bench" / "bare_app"
SIGN_IN_SHARE = 5  # one user in five signs in and records
PAGE_GAP = 1.0
PAGE_LOADS_ALONE = 100
SIGN_INS_ALONE = 10
TIMEOUT = 60.0
POSTGRES_ADMIN = os.environ.get("INFOSHARE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("INFOSHARE_BENCH_REDIS", "redis://127.0.0.1:6379/7")


@dataclass
class Figures:
    page_fail: int = 0
    connect_fail: int = 0
    event_fail: int = 0
    record_fail: int = 0
    page: list[float] = field(default_factory=list)  # the HTML and every script and style it names
    hydrate: list[float] = field(default_factory=list)
    event: list[float] = field(default_factory=list)
    record: list[float] = field(default_factory=list)
    sign_in: list[float] = field(default_factory=list)
    hydrate_bytes: list[int] = field(default_factory=list)
    page_cpu_ms: float = 0.0
    sign_in_cpu_ms: float = 0.0
    event_cpu_ms: float = 0.0
    finished: int = 0  # users whose steps are over
    why: dict[str, int] = field(default_factory=dict)  # each failure's reason, counted
    driver_cpu: float = 0.0  # this driver's own CPU seconds in the run (it shares the machine)
    wall: float = 0.0

    def failed(self, kind: str, exc: BaseException) -> None:
        reason = f"{kind}: {type(exc).__name__} {str(exc)[:80]}".strip()
        self.why[reason] = self.why.get(reason, 0) + 1

    @property
    def pages(self) -> int:
        """Page loads answered."""
        return len(self.hydrate) + self.connect_fail

    @property
    def socket_events(self) -> int:
        """Socket events answered, sign-ins apart: hydrates, page changes and records."""
        return len(self.hydrate) + len(self.event) + len(self.record)


@dataclass(frozen=True)
class Target:
    """One running server and what its users do."""

    name: str
    url: str
    pgid: int
    build: Build
    pages: tuple[str, ...]
    records: bool
    more_pgids: tuple[int, ...] = ()  # other instances behind the same proxy

    def cpu_seconds(self) -> float:
        """The CPU time of every process of every instance."""
        return sum(group_cpu_seconds(pgid) for pgid in (self.pgid, *self.more_pgids))


ASSET = browser_http.ASSET


async def _page_load(target: Target, http: httpx.AsyncClient) -> float:
    """A cold visit: the page, then every script and stylesheet it names, over up to six keep-alive
    connections as a browser fetches them from one host (bench/browser_http.py). Seconds."""
    started = time.perf_counter()
    await browser_http.cold_visit(target.url, target.pages[0], TIMEOUT)
    return time.perf_counter() - started


async def _user(target: Target, n: int, http: httpx.AsyncClient, figures: Figures, done: asyncio.Event,
                steps: bool = True) -> None:
    """One practitioner: load, hydrate, (with steps) change page, maybe sign in and record; then stay
    connected."""
    try:
        try:
            figures.page.append(await _page_load(target, http))
        except (httpx.HTTPError, browser_http.HTTPError, OSError, asyncio.TimeoutError) as exc:
            figures.page_fail += 1
            figures.failed("page", exc)
            return
        client = Client(target.build, target.url, target.url, path=target.pages[0])
        try:
            figures.hydrate.append(await client.connect(TIMEOUT))
            figures.hydrate_bytes.append(client.hydrate_bytes)
        except Exception as exc:
            figures.connect_fail += 1
            figures.failed("connect", exc)
            return
        try:
            if steps:
                await _steps(target, n, client, figures)
        finally:
            figures.finished += 1
            await done.wait()  # stay connected until everyone has arrived and finished
            with contextlib.suppress(Exception):
                await client.close()
    finally:
        if not done.is_set():
            figures.finished += 1  # left early (the page or the connect failed)


async def _steps(target: Target, n: int, client: Client, figures: Figures) -> None:
    for step in range(3):
        await asyncio.sleep(PAGE_GAP)
        client.path = target.pages[(step + 1) % len(target.pages)]
        try:
            seconds, _ = await client.call("on_load_internal", {}, page_changed(client.path), TIMEOUT)
            figures.event.append(seconds)
        except Exception as exc:
            figures.event_fail += 1
            figures.failed("page change", exc)
    if not target.records or n % SIGN_IN_SHARE:
        return
    client.path = "/"
    try:
        seconds, secret = await practitioner.sign_in(client, TIMEOUT)
        figures.sign_in.append(seconds)
        figures.record.append(await practitioner.record(client, secret, f"bench-{n}-{time.time_ns()}", TIMEOUT))
    except Exception as exc:
        figures.record_fail += 1
        figures.failed("sign-in or record", exc)


async def _page_cpu_ms(target: Target, http: httpx.AsyncClient) -> float:
    """Server CPU per page load, with nothing else going on."""
    before = target.cpu_seconds()
    for _ in range(PAGE_LOADS_ALONE):
        (await http.get(target.url + target.pages[0], headers={"Accept-Encoding": "gzip"})).raise_for_status()
    return 1000 * (target.cpu_seconds() - before) / PAGE_LOADS_ALONE


async def _sign_in_cpu_ms(target: Target) -> float:
    """Server CPU per password sign-in (mostly Argon2, slow on purpose), with nothing else going on."""
    if not target.records:
        return 0.0
    client = Client(target.build, target.url, target.url, path="/")
    await client.connect(TIMEOUT)
    try:
        before = target.cpu_seconds()
        for _ in range(SIGN_INS_ALONE):
            await practitioner.sign_in(client, TIMEOUT)
        return 1000 * (target.cpu_seconds() - before) / SIGN_INS_ALONE
    finally:
        await client.close()


async def _load(target: Target, users: int, ramp: float, steps: bool = True) -> Figures:
    """N users arriving evenly over `ramp` seconds; with steps, each then changes page and one in five
    signs in and records; without, each opens the widget and stays (a burst: answering a question
    sends nothing to the server)."""
    figures = Figures()
    done = asyncio.Event()
    # Each user's own browser: up to six connections to the server at once.
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=TIMEOUT, limits=limits) as http:
        figures.page_cpu_ms = await _page_cpu_ms(target, http)
        figures.sign_in_cpu_ms = await _sign_in_cpu_ms(target) if steps else 0.0
        cpu_before = target.cpu_seconds()
        driver_before = time.process_time()
        started = time.perf_counter()
        tasks = []
        for n in range(users):
            delay = started + n * ramp / users - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(_user(target, n, http, figures, done, steps)))
        # Everyone has arrived; when each has finished their steps, let them all go.
        while figures.finished < users and time.perf_counter() - started < ramp + 4 * TIMEOUT:
            await asyncio.sleep(0.25)
        done.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        cpu = target.cpu_seconds() - cpu_before
        figures.driver_cpu = time.process_time() - driver_before
        figures.wall = time.perf_counter() - started
    apart = figures.pages * figures.page_cpu_ms + len(figures.sign_in) * figures.sign_in_cpu_ms
    events_cpu = max(0.0, cpu - apart / 1000)
    figures.event_cpu_ms = 1000 * events_cpu / max(1, figures.socket_events)
    return figures


def _say_why(f: Figures) -> None:
    """The failures' reasons, most common first (under the table row), and how busy the driver was."""
    print(f"|  | (the driver itself: {f.driver_cpu:.0f} s of CPU in {f.wall:.0f} s) |", flush=True)
    for reason, count in sorted(f.why.items(), key=lambda item: -item[1])[:3]:
        print(f"|  | ({count} failed: {reason}) |", flush=True)


def _ms(values: list[float], pct: float) -> str:
    if not values:
        return "-"
    ms = 1000 * percentile(values, pct)
    return f"{ms:.1f}" if ms < 10 else f"{ms:,.0f}"


def _row(setup: str, users: int, f: Figures) -> str:
    hydrate_kb = sum(f.hydrate_bytes) / len(f.hydrate_bytes) / 1024 if f.hydrate_bytes else 0
    failures = f"{f.page_fail}/{f.connect_fail}/{f.event_fail}/{f.record_fail}"
    return (f"| {setup} | {users:,} | {_ms(f.page, 50)} | {_ms(f.hydrate, 50)} | {_ms(f.hydrate, 95)} | {_ms(f.event, 50)} | "
            f"{_ms(f.event, 95)} | {_ms(f.record, 95)} | {_ms(f.sign_in, 95)} | {hydrate_kb:.1f} | "
            f"{f.page_cpu_ms:.1f} | {f.sign_in_cpu_ms:.0f} | {f.event_cpu_ms:.1f} | {failures} |")


@contextlib.contextmanager
def _bare(folder: Path):
    """The bare app, started as the widget is (the same launcher, production build, one port)."""
    url, process = start_reflex(BARE, folder, {"REFLEX_REDIS_URL": ""}, migrate=False)
    try:
        yield Target("bare Reflex app", url, process.pid, Build.read(BARE / ".web"), ("/", "/other"), False)
    finally:
        stop_reflex(process)


@contextlib.contextmanager
def _widget(folder: Path, name: str, env: dict[str, str]):
    from harness.widget import running_widget

    with running_widget(folder, "http://127.0.0.1:9", env, own_build=True) as started:
        build = Build.read(folder / "web", practitioner.HANDLERS)
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


BURST_USERS = 200
BURST_RATE = 50  # arrivals a second


def burst() -> None:
    """200 arriving at 50 a second (a training session told to open the widget now): the widget
    against the bare app, each cold visit timed whole (the page and its scripts) and hydrated."""
    ramp = BURST_USERS / BURST_RATE
    print(f"\nBurst: {BURST_USERS} users arriving at {BURST_RATE} a second ({ramp:.0f} s), each a cold visit "
          "(the page and every script and style it names, 6 at a time), then connecting and hydrating; then "
          "each stays connected (answering sends nothing to the server).\n")
    print("| setup | N | page load p50 ms | page load p95 | hydrate p50 | hydrate p95 | load + hydrate p95 | "
          "failures |")
    print("|---|---|---|---|---|---|---|---|")
    results = {}
    with tempfile.TemporaryDirectory(prefix="infoshare-burst-") as tmp:
        folder = Path(tmp)
        for name, start in (("bare Reflex app", lambda: _bare(folder / "bare")),
                            ("widget, SQLite, 1 worker", lambda: _widget(folder / "sqlite", "sqlite", {}))):
            (folder / ("bare" if name.startswith("bare") else "sqlite")).mkdir()
            with start() as target:
                f = asyncio.run(_load(target, BURST_USERS, ramp, steps=False))
            results[name] = f
            both = [p + h for p, h in zip(f.page, f.hydrate)]
            print(f"| {name} | {BURST_USERS} | {_ms(f.page, 50)} | {_ms(f.page, 95)} | {_ms(f.hydrate, 50)} | "
                  f"{_ms(f.hydrate, 95)} | {_ms(both, 95)} | {f.page_fail}/{f.connect_fail}/{f.event_fail}/"
                  f"{f.record_fail} |", flush=True)
            _say_why(f)
    bare, widget = results["bare Reflex app"], results["widget, SQLite, 1 worker"]
    if bare.page and widget.page and bare.hydrate and widget.hydrate:
        print(f"\nBurst at N={BURST_USERS}, the widget against the bare app (target: at most 2 times): page load median "
              f"{percentile(widget.page, 50) / percentile(bare.page, 50):.2f} times, hydrate median "
              f"{percentile(widget.hydrate, 50) / percentile(bare.hydrate, 50):.2f} times.")


NGINX_USERS = 1000
NGINX_RATE = 100  # arrivals a second


@contextlib.contextmanager
def _behind_nginx(folder: Path, database: str):
    """Two widget instances (PostgreSQL and Redis shared, as deploy/ runs them) behind Debian's nginx
    with TLS, configured from deploy/nginx.conf.template: nginx serves the build's files, the instances
    the pages and the websockets."""
    from harness.accounts import TEST_ORG, TEST_PASSWORD, TEST_USER
    from harness.proxy import nginx_in_front
    from harness.server import free_port, run_records_command
    from harness.widget import write_test_partnership

    port = free_port()
    # Plain http to nginx: this driver, in Python on the same two cores, cannot make a hundred TLS
    # handshakes a second (it used all of one core doing so); the instances behind are as deployed.
    public = f"http://127.0.0.1:{port}"
    env = {"REFLEX_DB_URL": database, "REFLEX_REDIS_URL": REDIS_URL, "INFOSHARE_PUBLIC_ORIGIN": public,
           "REFLEX_API_URL": public, "INFOSHARE_TRUSTED_PROXIES": "127.0.0.1 ::1",
           "INFOSHARE_PARTNERSHIP_FILE": str(write_test_partnership(folder, "http://127.0.0.1:9"))}
    started = []
    try:
        for name in ("a", "b"):
            (folder / name).mkdir()
            started.append(start_reflex(ROOT, folder / name, env, own_build=True))
        run_records_command(folder, "create-org", TEST_ORG, "Example Trust", db_url=database)
        run_records_command(folder, "create-user", TEST_ORG, TEST_USER, "Sam Jones", "Health visitor",
                            stdin=TEST_PASSWORD + "\n", db_url=database)
        ports = [int(url.rsplit(":", 1)[1]) for url, _ in started]
        with nginx_in_front(folder, port, ports, folder / "a" / "web" / "build" / "client", tls=False) as url:
            build = Build.read(folder / "a" / "web", practitioner.HANDLERS)
            yield Target("widget, 2 instances behind nginx", url, started[0][1].pid, build,
                         ("/", "/glossary", "/sign-in"), True, more_pgids=(started[1][1].pid,))
    finally:
        for _, process in started:
            stop_reflex(process)


def behind_nginx() -> None:
    """1,000 arriving at 100 a second, through nginx to two instances."""
    ramp = NGINX_USERS / NGINX_RATE
    print(f"\nBurst behind nginx: {NGINX_USERS:,} users arriving at {NGINX_RATE} a second ({ramp:.0f} s) over http, "
          "two instances (PostgreSQL + Redis, 1 worker each) behind nginx, which serves the build's files; "
          "each a cold visit (up to six keep-alive connections, as a browser), then connecting, hydrating "
          "and staying connected.\n")
    if not Path("/usr/sbin/nginx").exists():
        print("(nginx is not installed: `make proxy` installs it; left out)")
        return
    if not _redis_up() or not (database := _postgres_database("infoshare_bench_nginx")):
        return
    with tempfile.TemporaryDirectory(prefix="infoshare-nginx-") as tmp, _behind_nginx(Path(tmp), database) as target:
        f = asyncio.run(_load(target, NGINX_USERS, ramp, steps=False))
    both = [p + h for p, h in zip(f.page, f.hydrate)]
    print("| setup | N | page load p50 ms | page load p95 | hydrate p50 | hydrate p95 | load + hydrate p95 | failures |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {target.name} | {NGINX_USERS:,} | {_ms(f.page, 50)} | {_ms(f.page, 95)} | {_ms(f.hydrate, 50)} | "
          f"{_ms(f.hydrate, 95)} | {_ms(both, 95)} | {f.page_fail}/{f.connect_fail}/{f.event_fail}/{f.record_fail} |")
    _say_why(f)
    failures = f.page_fail + f.connect_fail + f.event_fail + f.record_fail
    print(f"\nTarget: 0 failures (here {failures}), page load + hydrate p95 under 1,000 ms (here {_ms(both, 95)}).")


def main() -> None:
    mode = os.environ.get("INFOSHARE_BENCH_LOAD", "spread,burst,nginx").split(",")
    if "spread" in mode:
        spread()
    if "burst" in mode:
        burst()
    if "nginx" in mode:
        behind_nginx()


def spread() -> None:
    users = [int(n) for n in os.environ.get("INFOSHARE_BENCH_USERS", "200,500,1000").split(",")]
    ramp = float(os.environ.get("INFOSHARE_BENCH_RAMP", "60"))
    print(f"N users arriving evenly over {ramp:.0f} s, all connected at the end; each loads the page, "
          f"hydrates, changes page 3 times a second apart; 1 in {SIGN_IN_SHARE} signs in and records.")
    print("Failures: page loads / connects / page changes / records. CPU: the server's, in ms, per page "
          "load and per password sign-in (each measured alone before the run), and per other socket event "
          "(the rest of the run's CPU).\n")
    print("| setup | N | page load p50 ms | hydrate p50 ms | hydrate p95 | event p50 | event p95 | record p95 | "
          "sign-in p95 | hydrate KB | CPU per page | CPU per sign-in | CPU per event | failures |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    results: dict[tuple[str, int], Figures] = {}
    with tempfile.TemporaryDirectory(prefix="infoshare-load-") as tmp:
        folder = Path(tmp)
        for name in ("bare", "sqlite", "pg"):
            (folder / name).mkdir()
        setups = [("bare Reflex app", lambda: _bare(folder / "bare"), [200]),
                  ("widget, SQLite, 1 worker", lambda: _widget(folder / "sqlite", "sqlite", {}), users)]
        if _redis_up() and (database := _postgres_database("infoshare_bench")):
            setups.append(("widget, PostgreSQL + Redis, 2 workers", lambda: _widget(
                folder / "pg", "pg", {"REFLEX_DB_URL": database, "REFLEX_REDIS_URL": REDIS_URL,
                                      "GRANIAN_WORKERS": "2"}), users))
        for setup, start, counts in setups:
            with start() as target:
                for n in counts:
                    figures = asyncio.run(_load(target, n, ramp))
                    results[setup, n] = figures
                    print(_row(setup, n, figures), flush=True)
                    _say_why(figures)
    bare, widget = results.get(("bare Reflex app", 200)), results.get(("widget, SQLite, 1 worker", 200))
    if bare and widget and bare.hydrate and bare.event and widget.hydrate and widget.event:
        print(f"\nAt N=200, the widget against the bare app (target: at most 2 times): hydrate median "
              f"{percentile(widget.hydrate, 50) / percentile(bare.hydrate, 50):.2f} times, event median "
              f"{percentile(widget.event, 50) / percentile(bare.event, 50):.2f} times; server CPU per page load "
              f"{widget.page_cpu_ms / max(bare.page_cpu_ms, 0.001):.2f} times, per socket event "
              f"{widget.event_cpu_ms / max(bare.event_cpu_ms, 0.001):.2f} times.")


if __name__ == "__main__":
    main()
