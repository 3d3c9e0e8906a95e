"""TCP connections on this machine, from /proc: which instance holds a browser's websocket."""

from __future__ import annotations

import os
from pathlib import Path


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
