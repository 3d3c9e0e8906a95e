"""Random codes that people read out and type: record references, recovery codes and one-time reset
codes. Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L, U), in groups of four."""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"


def readable_code(length: int) -> str:
    """A random code of `length` characters, as XXXX-XXXX-..."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return "-".join(raw[i:i + 4] for i in range(0, length, 4))
