"""Real receivers for the alerts' messages, for tests and benchmarks: an SMTP server (aiosmtpd) that
keeps every message it accepts and can be stopped and started again on the same port, and an HTTP
receiver for webhooks that can be told to fail its first calls."""

from __future__ import annotations

import asyncio
import email
import email.policy
import http.server
import threading
import time
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

from harness.server import free_port


class _Keep:
    def __init__(self, box: "MailServer"):
        self.box = box

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's name
        # Stalled here, before the message is sent, a client killed now has delivered nothing.
        if self.box.stall_before_data:
            await asyncio.sleep(self.box.stall_before_data)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.box.lock:
            self.box.messages.append(message)
            self.box.raw.append(envelope.content)
            self.box.received_at.append(time.time())
        return "250 Message accepted for delivery"


class MailServer:
    """An SMTP server on 127.0.0.1 that keeps what it receives (`messages`, parsed; `raw`, the bytes)."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages: list[email.message.EmailMessage] = []
        self.raw: list[bytes] = []
        self.received_at: list[float] = []  # when each message was accepted (time.time())
        self.lock = threading.Lock()
        self.stall_before_data = 0.0  # seconds each recipient waits for its answer
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> "MailServer":
        self._controller = Controller(_Keep(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, timeout: float = 20.0) -> list:
        """The messages once at least `count` have arrived (AssertionError after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"{len(self.messages)} emails arrived in {timeout:.0f} s, not {count}")

    def __enter__(self) -> "MailServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@dataclass
class Call:
    headers: dict[str, str]
    body: bytes
    answered: int


@dataclass
class WebhookReceiver:
    """An HTTP server on 127.0.0.1 that answers 500 to its first `fail_first` calls, then 204."""

    fail_first: int = 0
    port: int = field(default_factory=free_port)
    calls: list[Call] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/infoshare"

    def start(self) -> "WebhookReceiver":
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                failing = len(receiver.calls) < receiver.fail_first
                status = 500 if failing else 204
                receiver.calls.append(Call({k.lower(): v for k, v in self.headers.items()}, body, status))
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def accepted(self) -> list[Call]:
        return [call for call in self.calls if call.answered < 300]

    def __enter__(self) -> "WebhookReceiver":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
