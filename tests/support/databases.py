"""PostgreSQL for the tests: a throw-away database on the machine's server, a second empty database
of the same kind as an engine's (for migration tests), and a server of a test's own that it can crash.

The machine's server is reached over a real connection (INFOSHARE_TEST_POSTGRES_URL, default
postgresql+psycopg://postgres@127.0.0.1:5432/test). Where it cannot be reached the PostgreSQL tests
are skipped with a notice, unless INFOSHARE_REQUIRE_POSTGRES=1 (set by .ci/run), where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from harness.server import free_port
from tests.support.requirements import require

POSTGRES_URL = os.environ.get("INFOSHARE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres_database():
    """Create a throw-away database on the server; return its URL and a drop function."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"infoshare_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server
        admin.dispose()
        require("POSTGRES", f"PostgreSQL not reachable at {POSTGRES_URL.split('@')[-1]}: {type(exc).__name__}")
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def another_database(engine, tmp_path, name: str):
    """A second, empty database of the same kind as `engine` (for migration tests): its URL and a
    drop function."""
    if engine.dialect.name == "sqlite":
        return f"sqlite:///{tmp_path / f'{name}.db'}", (lambda: None)
    return postgres_database()


def _as_postgres(*command: str) -> subprocess.CompletedProcess:
    """Run a PostgreSQL program as the postgres user (its programs refuse to run as root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120)


class PrivatePostgres:
    """A PostgreSQL server in a folder of its own, on a free port: started, stopped and restarted."""

    def __init__(self):
        binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        if not binaries:
            require("POSTGRES", "PostgreSQL's programs are not installed (/usr/lib/postgresql/*/bin)")
        self.bin = binaries[-1].parent
        self.folder = Path(tempfile.mkdtemp(prefix="infoshare-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.port = free_port()
        made = _as_postgres(str(self.bin / "initdb"), "-D", str(self.folder / "data"), "-A", "trust", "-U",
                            "postgres", "--no-sync")
        assert made.returncode == 0, made.stderr

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        started = _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-l",
                               str(self.folder / "log"), "-w", "-o",
                               f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        assert started.returncode == 0, started.stderr + (self.folder / "log").read_text()

    def crash(self) -> None:
        """An immediate shutdown: every server process quits at once, nothing is flushed."""
        stopped = _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w",
                               "stop")
        assert stopped.returncode == 0, stopped.stderr

    def remove(self) -> None:
        _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
