"""The tamper-evident chain: canonical content, SHA-256 links, and checking them. Pure.

Each record and amendment is hashed over its canonical content (sorted-key JSON of every stored
field but the hash itself) together with the previous entry's hash in the organisation's chain. A
row edited in the database, deleted, or re-ordered no longer matches, and verify() names the first
broken link. When the retention policy removes an entry's content, its hash stays: the next entry
covers it, so the chain still proves the entry was there, and the removal is itself an entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from infoshare_widget.base.models import GENESIS


def _plain(value: object) -> object:
    if isinstance(value, dt.datetime):
        utc = value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return utc.replace(tzinfo=None).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def link_hash(content: Mapping[str, object], prev_hash: str) -> str:
    """SHA-256 over the canonical content and the previous link's hash."""
    canonical = json.dumps(
        {key: _plain(value) for key, value in content.items()}, sort_keys=True, separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


@dataclass(frozen=True)
class Link:
    """One entry of a chain as stored: what it says, and its claimed place and hashes."""

    entry_type: str  # "record" or "amendment"
    entry_id: str
    seq: int
    prev_hash: str
    hash: str
    content: Mapping[str, object]
    removed: bool = False  # its content was removed under the retention policy
    removal_seq: int | None = None  # where in the chain the removal of its record was written


@dataclass(frozen=True)
class ChainReport:
    """The result of checking a chain: ok, or the first broken link and what is wrong with it."""

    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_id: str | None = None
    broken_type: str | None = None
    problem: str | None = None

    def as_dict(self) -> dict:
        """For the API and the command."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


def verify(links: Iterable[Link], head_seq: int | None = None, head_hash: str | None = None) -> ChainReport:
    """Walk the links in seq order from the start; report the first that does not hold."""
    previous = GENESIS
    expected_seq = 1
    checked = 0
    for link in links:
        def broken(problem: str) -> ChainReport:
            return ChainReport(False, checked, link.seq, link.entry_id, link.entry_type, problem)

        if link.seq != expected_seq:
            return broken(f"expected entry {expected_seq} of the chain here, found {link.seq}: an entry is missing")
        if link.prev_hash != previous:
            return broken("its link to the previous entry does not match: an earlier entry was changed or removed")
        if link.removed:
            # Its content is gone, so only its links can be checked; that is allowed only where a
            # later entry of the chain records the removal.
            if link.removal_seq is None or link.removal_seq <= link.seq:
                return broken("it is marked removed, but no removal under the retention policy was recorded")
        elif link_hash(link.content, link.prev_hash) != link.hash:
            return broken("its content does not match its hash: it was changed after it was written")
        previous = link.hash
        expected_seq += 1
        checked += 1
    if head_seq is not None and head_seq != checked:
        return ChainReport(False, checked, checked + 1, None, None,
                           f"the chain should have {head_seq} entries but has {checked}: the last were removed")
    if head_hash is not None and checked and head_hash != previous:
        return ChainReport(False, checked, checked, None, None, "the last entry does not match the chain's head")
    return ChainReport(True, checked)
