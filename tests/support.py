"""Helpers shared by the browser tests and the benchmarks: start a Reflex app, find Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the widget stopped while starting:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the widget did not answer at {url} within {timeout:.0f} s:\n{log.read_text()[-4000:]}")


def start_reflex(
    app_root: Path, tmp: Path, extra_env: dict[str, str] | None = None, *, migrate: bool = True,
    own_build: bool = False,
) -> tuple[str, subprocess.Popen]:
    """Start `reflex run --env prod` for the app in app_root on a free port, with its own SQLite
    file in tmp; return (url, process). Stop it with stop_reflex.

    The build goes to app_root/.web, where a widget already running serves it from; a second widget
    started while the first runs needs `own_build` (a copy of .web in tmp, built there), or the
    first would start serving pages that talk to the second's port.
    """
    port = free_port()
    if own_build:
        web = tmp / "web"
        if (app_root / ".web").exists() and not web.exists():
            shutil.copytree(app_root / ".web", web, symlinks=True)
        extra_env = {"REFLEX_WEB_WORKDIR": str(web), **(extra_env or {})}
    log = tmp / f"widget-{port}.log"
    env = {
        **os.environ,
        "REFLEX_DB_URL": f"sqlite:///{tmp / 'e2e.db'}",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{Path(sys.executable).parent}:{os.environ['PATH']}",
        # The widget's own origin, as the browser will address it (CORS and the websocket check use it).
        "INFOSHARE_PUBLIC_ORIGIN": f"http://localhost:{port}",
        # Reflex's pickled states, where a test can read them (the privacy tests search them).
        "REFLEX_STATES_WORKDIR": str(tmp / "states"),
        **(extra_env or {}),
    }
    if migrate:
        subprocess.run([sys.executable, "-m", "infoshare_widget", "migrate"], cwd=app_root, env=env,
                       check=True, stdout=subprocess.DEVNULL)
    with log.open("w") as log_file:  # the child keeps its own copy of the handle
        process = subprocess.Popen(
            # As `make run` starts it: Reflex, with workers that die replaced (infoshare_widget/web/serve.py).
            [sys.executable, "-m", "infoshare_widget", "serve", "run", "--env", "prod", "--single-port",
             "--frontend-port", str(port), "--backend-port", str(port)],
            cwd=app_root, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )
    url = f"http://localhost:{port}"
    try:
        _wait_for(f"{url}/ping", process, log)
        _wait_for(f"{url}/", process, log)
    except Exception:
        stop_reflex(process)
        raise
    return url, process


def stop_reflex(process: subprocess.Popen) -> None:
    """Stop a server started by start_reflex, with its whole process group."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def run_records_command(tmp: Path, *args: str, stdin: str | None = None, db_url: str | None = None) -> None:
    """Run `python -m infoshare_widget ...` against the SQLite file start_reflex uses in tmp
    (or the database at db_url)."""
    env = {**os.environ, "REFLEX_DB_URL": db_url or f"sqlite:///{tmp / 'e2e.db'}"}
    subprocess.run([sys.executable, "-m", "infoshare_widget", *args], cwd=ROOT, env=env, check=True,
                   input=stdin, text=True, stdout=subprocess.DEVNULL)


def require(what: str, message: str):
    """A part a test needs is missing: fail where CI requires it (INFOSHARE_REQUIRE_<WHAT>=1, set by
    .ci/run for POSTGRES and REDIS), skip with the message elsewhere."""
    import pytest

    if os.environ.get(f"INFOSHARE_REQUIRE_{what}") == "1":
        pytest.fail(f"{message} (required here: INFOSHARE_REQUIRE_{what}=1)")
    pytest.skip(message)


def _processes():
    """(pid, parent pid, process group, CPU seconds) of every live process, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        yield int(stat.parent.name), int(fields[1]), int(fields[2]), (int(fields[11]) + int(fields[12])) / tick


def established_tcp() -> list[tuple[int, int, str]]:
    """Every established TCP connection on this machine: (local port, remote port, socket inode),
    from /proc/net/tcp and tcp6."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "01":
                found.append((int(fields[1].rsplit(":", 1)[1], 16), int(fields[2].rsplit(":", 1)[1], 16), fields[9]))
    return found


def holding_connections(pids: set[int], port: int) -> set[int]:
    """Which of these processes hold an established TCP connection on local `port` (a worker that
    has a browser's websocket, say), from /proc."""
    inodes: dict[str, int] = {}
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes[target[8:-1]] = pid
        except OSError:
            continue
    return {inodes[inode] for local, _, inode in established_tcp() if local == port and inode in inodes}


def children(pid: int) -> set[int]:
    """The processes whose parent is pid (Granian's workers, under its supervisor)."""
    return {child for child, parent, _, _ in _processes() if parent == pid}


def group_cpu_seconds(pgid: int) -> float:
    """User and system CPU time of every live process in a process group (a server start_reflex
    started: its supervisor and workers)."""
    return sum(cpu for _, _, group, cpu in _processes() if group == pgid)


def records_and_chain(db_url: str, org_id: str) -> tuple[int, bool]:
    """How many decision records the database at db_url holds, and whether org_id's chain verifies."""
    from sqlalchemy import func
    from sqlmodel import Session, select

    from infoshare_widget.base.db import make_engine
    from infoshare_widget.records.models import DecisionRecord
    from infoshare_widget.records.service import verify_chain

    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            return (session.exec(select(func.count()).select_from(DecisionRecord)).one(),
                    verify_chain(session=session, org_id=org_id).ok)
    finally:
        engine.dispose()


class PrivateRedis:
    """A Redis of its own on a free port, without persistence: killed, it comes back empty.
    FileNotFoundError where redis-server is not installed."""

    def __init__(self):
        self.server = shutil.which("redis-server")
        if self.server is None:
            raise FileNotFoundError("redis-server is not installed")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([self.server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGCONT)  # a frozen one too
            self.process.kill()
            self.process.wait()
            self.process = None

    def freeze(self) -> None:
        """Stop the process (SIGSTOP): connections stay open and nothing answers, as a Redis that
        hangs rather than refusing."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)


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


# Comparisons of many rows. pytest's own explanation of a failed `==` between long lists runs
# difflib.ndiff over them (always on CI, where CI=true), which is quadratic and took over 15 minutes
# for two 566-row lists; these report the first few mismatches with their inputs instead.
MISMATCHES_SHOWN = 5


def _short(value: object, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def mismatch_report(inputs, got, expected, *, what: str, got_name: str = "got",
                    expected_name: str = "expected", limit: int = MISMATCHES_SHOWN,
                    numbered: bool = True) -> str | None:
    """None when got and expected agree row by row; otherwise a short report: how many rows differ,
    and the first `limit` of them with the input that produced them."""
    inputs, got, expected = list(inputs), list(got), list(expected)
    if not len(inputs) == len(got) == len(expected):
        return (f"{what}: {len(inputs)} inputs, {len(got)} {got_name} rows and {len(expected)} "
                f"{expected_name} rows: every input needs one row from each side")
    bad = [(n, x, g, e) for n, (x, g, e) in enumerate(zip(inputs, got, expected)) if g != e]
    if not bad:
        return None
    lines = [f"{what}: {len(bad)} of {len(expected)} rows differ; the first {min(limit, len(bad))}:"]
    for n, x, g, e in bad[:limit]:
        where = f"row {n}: input" if numbered else "input"
        lines.append(f"  {where} {_short(x)}\n    {got_name}: {_short(g)}\n    {expected_name}: {_short(e)}")
    return "\n".join(lines)


def assert_rows_agree(inputs, got, expected, *, what: str, got_name: str = "got",
                      expected_name: str = "expected") -> None:
    """Fail with mismatch_report's short report (never pytest's diff) unless every row agrees."""
    import pytest

    report = mismatch_report(inputs, got, expected, what=what, got_name=got_name, expected_name=expected_name)
    if report is not None:
        pytest.fail(report, pytrace=False)
