"""A server's processes, from /proc: the workers under Granian's supervisor, and their CPU time."""

from __future__ import annotations

import os
from pathlib import Path


def _processes():
    """(pid, parent pid, process group, CPU seconds) of every live process, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        yield int(stat.parent.name), int(fields[1]), int(fields[2]), (int(fields[11]) + int(fields[12])) / tick


def children(pid: int) -> set[int]:
    """The processes whose parent is pid (Granian's workers, under its supervisor)."""
    return {child for child, parent, _, _ in _processes() if parent == pid}


def group_cpu_seconds(pgid: int) -> float:
    """User and system CPU time of every live process in a process group (a server start_reflex
    started: its supervisor and workers)."""
    return sum(cpu for _, _, group, cpu in _processes() if group == pgid)
