"""Reflex's pickled states, read back byte by byte where the widget keeps them: the files under a
test widget's folder (REFLEX_STATES_WORKDIR, set by start_reflex), or the machine's Redis."""

from __future__ import annotations

from pathlib import Path

from tests.support.redis import REDIS, REDIS_DB


def disk_states(folder: Path) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in (folder / "states").rglob("*") if path.is_file()}


def redis_states() -> dict[str, bytes]:
    import redis

    client = redis.Redis(*REDIS, db=REDIS_DB)
    states: dict[str, bytes] = {}
    for key in client.scan_iter():
        kind = client.type(key)
        if kind == b"string":
            states[key.decode(errors="replace")] = client.get(key) or b""
        elif kind == b"hash":
            states[key.decode(errors="replace")] = b"".join(k + v for k, v in client.hgetall(key).items())
        elif kind == b"list":
            states[key.decode(errors="replace")] = b"".join(client.lrange(key, 0, -1))
        elif kind in (b"set", b"zset"):
            members = client.smembers(key) if kind == b"set" else client.zrange(key, 0, -1)
            states[key.decode(errors="replace")] = b"".join(members)
    return states
