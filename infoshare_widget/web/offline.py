"""Offline use: the version the offline copy is kept under (assets/sw.js, registered by
assets/offline.js).

The worker keeps the decide page and the glossary with what they use, under a cache named for this
version. The version is a digest of everything those pages show or run: the decision content, the
glossary, the partnership file (its contacts and hours) and the page scripts and stylesheet. So any
change to one of them, deployed, gives a new version; the page registers the worker under it, and
the new worker replaces the old copy at once (tests/unit/test_offline.py, tests/e2e/test_offline.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

# The page files whose change must replace the offline copy: scripts (inlined or fetched) and styles.
PAGE_FILE_SUFFIXES = (".js", ".css")


def offline_version(parts: Iterable[str | bytes]) -> str:
    """A short digest of the parts, in order (each length-prefixed, so parts cannot run together)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:24]


def page_files(folder: Path) -> list[bytes]:
    """The name and bytes of every script and stylesheet under folder, in a stable order."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in PAGE_FILE_SUFFIXES)
    return [part for p in files for part in (p.relative_to(folder).as_posix().encode(), p.read_bytes())]


def content_version(*, chart: BaseModel, glossary: BaseModel, partnership: BaseModel, assets: Path) -> str:
    """The version of what the offline pages show: the chart, the glossary, the partnership file and
    the page files, as loaded and validated."""
    return offline_version([chart.model_dump_json(), glossary.model_dump_json(), partnership.model_dump_json(),
                            *page_files(assets)])
