"""Start the widget (or another Reflex app) as `make run` does, on a free port; stop it; run its
command line against the database it uses."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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
    own_build: bool = False, port: int | None = None,
) -> tuple[str, subprocess.Popen]:
    """Start `reflex run --env prod` for the app in app_root on a free port, with its own SQLite
    file in tmp; return (url, process). Stop it with stop_reflex.

    The build goes to app_root/.web, where a widget already running serves it from; a second widget
    started while the first runs needs `own_build` (a copy of .web in tmp, built there), or the
    first would start serving pages that talk to the second's port. `port`: a given port (a widget
    started again at the same address, as a deployment does), else a free one.
    """
    port = port or free_port()
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
