"""A Redis of its own, for a test or a benchmark that kills, freezes or empties it."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time

from harness.server import free_port


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
