"""A part a test needs (PostgreSQL, Redis, nginx...) is missing: fail where CI requires it, skip elsewhere."""

from __future__ import annotations

import os


def require(what: str, message: str):
    """A part a test needs is missing: fail where CI requires it (INFOSHARE_REQUIRE_<WHAT>=1, set by
    .ci/run for POSTGRES and REDIS), skip with the message elsewhere."""
    import pytest

    if os.environ.get(f"INFOSHARE_REQUIRE_{what}") == "1":
        pytest.fail(f"{message} (required here: INFOSHARE_REQUIRE_{what}=1)")
    pytest.skip(message)
