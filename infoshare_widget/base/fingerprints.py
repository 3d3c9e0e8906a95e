"""Keyed fingerprints: what the access log keeps instead of a value it must not hold as typed (a case
reference, a username that belongs to no account). Pure: no Reflex, no database.

A fingerprint is the first 16 hex digits of HMAC-SHA256 under a key kept in the database (table
server_key), so "who searched for this case?" stays answerable by fingerprinting the reference
again, while the log itself, read alone or after the retention purge removed the records, does not
say the reference. Without the key, a fingerprint cannot be tested against guesses.
"""

from __future__ import annotations

import hashlib
import hmac
import re

PREFIX = "#"
HEX_DIGITS = 16
_FINGERPRINT = re.compile(rf"^{PREFIX}[0-9a-f]{{{HEX_DIGITS}}}$")


def fingerprint(key: bytes, kind: str, value: str) -> str:
    """'#' and 16 hex digits for `value` (trimmed) of a kind ('case', 'username'): the same value
    always gives the same fingerprint under one key, and kinds never collide."""
    digest = hmac.new(key, f"{kind}\0{value.strip()}".encode(), hashlib.sha256).hexdigest()
    return PREFIX + digest[:HEX_DIGITS]


def is_fingerprint(text: str) -> bool:
    return bool(_FINGERPRINT.match(text))


# What a list or export's log entry says after its filters, in the order describe_filters writes it
# (records/service.py): the case filter's value runs up to these. For the migration of entries
# written before case references were fingerprinted (alembic 0008).
_AFTER_CASE = re.compile(r"(?: awaiting=yes)?(?: (?:page=\d+|csv \(API\)|subject access request|csv|json|html))?$")
_CASE = re.compile(r"(?:^| )case=")


def fingerprint_case_in_target(key: bytes, target: str) -> str:
    """An access log target with its `case=VALUE` filter replaced by the value's fingerprint."""
    found = _CASE.search(target)
    if not found:
        return target
    start = found.end()
    rest = target[start:]
    for end in range(1, len(rest) + 1):
        if _AFTER_CASE.fullmatch(rest[end:]):
            value = rest[:end]
            if is_fingerprint(value):
                return target
            return target[:start] + fingerprint(key, "case", value) + rest[end:]
    return target
