"""A cold visit's HTTP, as a browser makes it, cheaply enough that the driver is not what is measured.

httpx spends a few milliseconds of the driver's CPU on each request; a burst of 200 users fetching a
page and a dozen files each saturated the driver's one core before the server's (`bench load` prints
the driver's own CPU beside its figures). This speaks just enough HTTP/1.1 for a cold visit: GET, with
gzip accepted, over keep-alive connections (up to six to one host, as a browser opens), reading each
answer to its end without unzipping it (a browser's unzipping is its own CPU). Over TLS where the
address is https (the proxy's self-made certificate is not checked).
"""

from __future__ import annotations

import asyncio
import gzip
import re
import ssl
from collections import deque
from urllib.parse import urlsplit

BROWSER_CONNECTIONS = 6  # a browser's connections to one host
ASSET = re.compile(r'(?:src|href)="(/[^"#?]+\.(?:js|css|mjs))"')


class HTTPError(Exception):
    """An answer other than 200, or a connection that broke."""


class Connection:
    """One keep-alive connection to the server."""

    def __init__(self, url: str, timeout: float):
        parts = urlsplit(url)
        self.host, self.tls = parts.netloc, parts.scheme == "https"
        self.address = (parts.hostname, parts.port or (443 if self.tls else 80))
        self.timeout = timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        context = None
        if self.tls:
            context = ssl.create_default_context()
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        self.reader, self.writer = await asyncio.wait_for(
            asyncio.open_connection(*self.address, ssl=context), self.timeout)

    async def get(self, path: str) -> tuple[dict[str, str], bytes]:
        """GET path: the answer's headers and its body as sent."""
        if self.writer is None:
            await self._open()
        try:
            return await asyncio.wait_for(self._get(path), self.timeout)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            self.close()
            raise HTTPError(f"{path}: {type(exc).__name__} {exc}") from exc

    async def _get(self, path: str) -> tuple[dict[str, str], bytes]:
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\nAccept-Encoding: gzip\r\n"
                          "User-Agent: infoshare-bench\r\n\r\n".encode("latin-1"))
        await self.writer.drain()
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = {name.strip().lower(): value.strip()
                   for name, _, value in (line.partition(":") for line in head[1:] if line)}
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            await self.reader.readuntil(b"\r\n")
            body = b"".join(chunks)
        else:
            body = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self.close()
        if status != 200:
            raise HTTPError(f"{path}: {status}")
        return headers, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def cold_visit(url: str, path: str, timeout: float, seen: list[str] | None = None) -> None:
    """The page, then every script and stylesheet it names, over up to six keep-alive connections
    (`seen`, if given, gets each path as it is asked for)."""
    seen = [] if seen is None else seen
    first = Connection(url, timeout)
    try:
        seen.append(path)
        headers, body = await first.get(path)
        page = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
        files = deque(sorted(set(ASSET.findall(page.decode("utf-8", "replace")))))

        async def fetch_over(connection: Connection) -> None:
            try:
                while files:
                    seen.append(files.popleft())
                    await connection.get(seen[-1])
            finally:
                connection.close()

        others = [Connection(url, timeout) for _ in range(min(BROWSER_CONNECTIONS, len(files)) - 1)]
        await asyncio.gather(fetch_over(first), *(fetch_over(c) for c in others))
    finally:
        first.close()
